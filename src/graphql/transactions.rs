//! Transaction history: the ledger as the customer reads it.

use async_graphql::{Enum, ID, Object};
use entity::{invoice, ledger_entry};

use super::scalars::DateTime;
use super::{
    ids::{self, Kind},
    invoices::Invoice,
    money::Money,
};

/// What a transaction is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ledger_entry::Kind")]
pub enum TransactionKind {
    /// An invoice was issued: adds to the balance.
    Invoice,
    /// A payment succeeded: takes from the balance.
    Payment,
    /// The carrier credited the account (an outage credit, say): takes from the balance.
    Credit,
    /// The payment gateway refunded (part of) a payment: adds back to the balance.
    Refund,
}

/// A ledger entry, with its invoice when it is for one.
pub struct Transaction(pub ledger_entry::Model, pub Option<invoice::Model>);

/// One entry of the account's ledger: an invoice, a payment, a credit or a refund.
#[Object]
impl Transaction {
    /// Opaque; `node(id:)` finds the transaction again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Transaction, self.0.id)
    }

    /// What the transaction is.
    async fn kind(&self) -> TransactionKind {
        self.0.kind.into()
    }

    /// When it was posted to the account.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }

    /// What it is, for a person, e.g. "Payment by Visa ending 4242".
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
