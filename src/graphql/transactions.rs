//! Transaction history: the ledger as the customer reads it.

use async_graphql::{Context, Enum, ID, Object, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use entity::ledger_entry;

use crate::services::ServiceError;

use super::{errors::ApiResult, ids, invoices::InvoiceRef, loaders::InvoiceLoader, money::Money};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum TransactionKind {
    Invoice,
    Payment,
    Credit,
    Refund,
}

impl From<TransactionKind> for ledger_entry::Kind {
    fn from(kind: TransactionKind) -> Self {
        match kind {
            TransactionKind::Invoice => Self::Invoice,
            TransactionKind::Payment => Self::Payment,
            TransactionKind::Credit => Self::Credit,
            TransactionKind::Refund => Self::Refund,
        }
    }
}

pub struct Transaction(pub ledger_entry::Model);

#[Object]
impl Transaction {
    async fn id(&self) -> ID {
        ids::encode("Transaction", self.0.id)
    }

    async fn kind(&self) -> TransactionKind {
        match self.0.kind {
            ledger_entry::Kind::Invoice => TransactionKind::Invoice,
            ledger_entry::Kind::Payment => TransactionKind::Payment,
            ledger_entry::Kind::Credit => TransactionKind::Credit,
            ledger_entry::Kind::Refund => TransactionKind::Refund,
        }
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
        Money::new(self.0.amount_minor, &self.0.currency)
    }

    /// The balance right after this transaction.
    async fn balance_after(&self) -> Money {
        Money::new(self.0.balance_after_minor, &self.0.currency)
    }

    /// The invoice this transaction is for, if any.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InvoiceRef>> {
        let Some(invoice_id) = self.0.invoice_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<InvoiceLoader>>();
        let invoice = loader.load_one(invoice_id).await.map_err(ServiceError::from).api(ctx)?;
        Ok(invoice.map(InvoiceRef))
    }
}
