//! Transaction history: the ledger as the customer reads it.

use async_graphql::{Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::{invoice, ledger_entry};

use super::{
    ids::{self, Kind},
    invoices::Invoice,
    money::Money,
};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ledger_entry::Kind")]
pub enum TransactionKind {
    Invoice,
    Payment,
    Credit,
    Refund,
}

/// A ledger entry, with its invoice when it is for one.
pub struct Transaction(pub ledger_entry::Model, pub Option<invoice::Model>);

#[Object]
impl Transaction {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Transaction, self.0.id)
    }

    async fn kind(&self) -> TransactionKind {
        self.0.kind.into()
    }

    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Signed by its effect on what is owed: invoices and refunds positive, payments and credits
    /// negative.
    async fn amount(&self) -> Money {
        Money::new(self.0.amount_minor, self.0.currency)
    }

    /// The balance right after this transaction.
    async fn balance_after(&self) -> Money {
        Money::new(self.0.balance_after_minor, self.0.currency)
    }

    /// The invoice this transaction is for, if any.
    async fn invoice(&self) -> Option<Invoice> {
        self.1.clone().map(Invoice)
    }
}
