//! Dataloaders: every nested lookup is batched, so a page costs the same number of statements
//! whatever its size. They load by id without scoping: they only follow links from objects that
//! were already scoped to the caller's account.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{invoice, invoice_line_item, invoice_tax_line, payment_method};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::services::{
    ServiceError,
    billing::{self, AccountStanding},
    invoices,
};

/// Loader errors must be `Clone`; the cause is logged where it is turned into a GraphQL error.
#[derive(Clone, Debug)]
pub struct LoadError(pub Arc<String>);

impl From<LoadError> for ServiceError {
    fn from(error: LoadError) -> Self {
        ServiceError::Internal(anyhow::anyhow!("loading failed: {}", error.0))
    }
}

fn load_error(error: impl std::fmt::Debug) -> LoadError {
    LoadError(Arc::new(format!("{error:?}")))
}

pub struct InvoiceLoader(pub DatabaseConnection);

impl Loader<i64> for InvoiceLoader {
    type Value = invoice::Model;
    type Error = LoadError;

    async fn load(&self, ids: &[i64]) -> Result<HashMap<i64, invoice::Model>, LoadError> {
        let rows = invoice::Entity::find()
            .filter(invoice::Column::Id.is_in(ids.iter().copied()))
            .all(&self.0)
            .await
            .map_err(load_error)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

pub struct PaymentMethodLoader(pub DatabaseConnection);

impl Loader<i64> for PaymentMethodLoader {
    type Value = payment_method::Model;
    type Error = LoadError;

    async fn load(&self, ids: &[i64]) -> Result<HashMap<i64, payment_method::Model>, LoadError> {
        let rows = payment_method::Entity::find()
            .filter(payment_method::Column::Id.is_in(ids.iter().copied()))
            .all(&self.0)
            .await
            .map_err(load_error)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// Where an account's invoices stand, by account id: computed once per request however many
/// fields (balance, statuses, amounts due, Auto Pay's next charge) ask for it.
pub struct StandingLoader(pub DatabaseConnection);

impl Loader<i64> for StandingLoader {
    type Value = Arc<AccountStanding>;
    type Error = LoadError;

    async fn load(&self, account_ids: &[i64]) -> Result<HashMap<i64, Arc<AccountStanding>>, LoadError> {
        let mut standings = HashMap::new();
        for &account_id in account_ids {
            let standing = billing::standing_of(&self.0, account_id).await.map_err(load_error)?;
            standings.insert(account_id, Arc::new(standing));
        }
        Ok(standings)
    }
}

/// Line items, tax lines and call summaries by invoice id, for lists of invoices.
pub struct InvoiceDetailsLoader(pub DatabaseConnection);

/// The three kinds of invoice details, each loaded in one statement per batch.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineItemsOf(pub i64);
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaxLinesOf(pub i64);
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CallSummaryOf(pub i64);

impl Loader<LineItemsOf> for InvoiceDetailsLoader {
    type Value = Vec<invoice_line_item::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[LineItemsOf]) -> Result<HashMap<LineItemsOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = invoices::line_items(&self.0, &ids).await.map_err(load_error)?;
        Ok(rows.into_iter().map(|(id, lines)| (LineItemsOf(id), lines)).collect())
    }
}

impl Loader<TaxLinesOf> for InvoiceDetailsLoader {
    type Value = Vec<invoice_tax_line::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[TaxLinesOf]) -> Result<HashMap<TaxLinesOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = invoices::tax_lines(&self.0, &ids).await.map_err(load_error)?;
        Ok(rows.into_iter().map(|(id, lines)| (TaxLinesOf(id), lines)).collect())
    }
}

impl Loader<CallSummaryOf> for InvoiceDetailsLoader {
    type Value = invoices::CallSummary;
    type Error = LoadError;

    async fn load(&self, keys: &[CallSummaryOf]) -> Result<HashMap<CallSummaryOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = invoices::call_summaries(&self.0, &ids).await.map_err(load_error)?;
        Ok(rows.into_iter().map(|(id, summary)| (CallSummaryOf(id), summary)).collect())
    }
}

/// A request's loaders; `spawn` runs their batches (so that they can be counted with the request).
pub fn attach<S, R>(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    spawn: S,
) -> async_graphql::Request
where
    S: Fn(futures_util::future::BoxFuture<'static, ()>) -> R + Send + Sync + Clone + 'static,
{
    request
        .data(DataLoader::new(InvoiceLoader(db.clone()), spawn.clone()))
        .data(DataLoader::new(PaymentMethodLoader(db.clone()), spawn.clone()))
        .data(DataLoader::new(InvoiceDetailsLoader(db.clone()), spawn.clone()))
        .data(DataLoader::new(StandingLoader(db.clone()), spawn))
}
