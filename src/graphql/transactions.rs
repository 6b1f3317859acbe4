//! Transaction history: the ledger as the customer reads it.

use async_graphql::{Context, Enum, ID, Object, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use entity::ledger_entry;

use super::{ids, invoices::InvoiceRef, loaders::InvoiceLoader, money::Money};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ledger_entry::Kind")]
pub enum TransactionKind {
    Invoice,
    Payment,
    Credit,
    Refund,
}

pub struct Transaction(pub ledger_entry::Model);

#[Object]
impl Transaction {
    async fn id(&self) -> ID {
        ids::encode("Transaction", self.0.id)
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
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InvoiceRef>> {
        let Some(invoice_id) = self.0.invoice_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<InvoiceLoader>>();
        let invoice = loader.load_one(invoice_id).await?;
        Ok(invoice.map(InvoiceRef))
    }
}
