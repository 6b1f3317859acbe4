//! Dataloaders: every nested lookup is batched, so a page costs the same number of statements
//! whatever its size (the one exception, `OverviewLoader`, says why). Each calls a service; they load by id without scoping, because they only
//! follow links from objects that were already scoped to the caller's account.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{account, invoice, invoice_line_item, invoice_tax_line, payment_method};

use crate::services::{
    Deps, ServiceError, accounts,
    billing::invoices,
    overview::{self, AccountOverview},
    payments,
};

/// Loader errors must be `Clone`; `graphql::errors` finds the `ServiceError` inside.
pub type LoadError = Arc<ServiceError>;

pub struct InvoiceLoader(Deps);

impl Loader<i64> for InvoiceLoader {
    type Value = invoice::Model;
    type Error = LoadError;

    async fn load(&self, ids: &[i64]) -> Result<HashMap<i64, invoice::Model>, LoadError> {
        Ok(invoices::by_ids(&self.0.db, ids).await?)
    }
}

pub struct AccountLoader(Deps);

impl Loader<i64> for AccountLoader {
    type Value = account::Model;
    type Error = LoadError;

    async fn load(&self, ids: &[i64]) -> Result<HashMap<i64, account::Model>, LoadError> {
        Ok(accounts::by_ids(&self.0.db, ids).await?)
    }
}

pub struct PaymentMethodLoader(Deps);

/// Payment methods are cached for the request, so that one loaded with its payment can be fed in.
pub type PaymentMethods = DataLoader<PaymentMethodLoader, HashMapCache>;

impl Loader<i64> for PaymentMethodLoader {
    type Value = payment_method::Model;
    type Error = LoadError;

    async fn load(&self, ids: &[i64]) -> Result<HashMap<i64, payment_method::Model>, LoadError> {
        Ok(payments::methods_by_ids(&self.0.db, ids).await?)
    }
}

/// Where an account's invoices stand, with the rest of its overview, by account id: read once for
/// all the invoices of a list that ask (status, amount due). Not batched across accounts: a
/// request is one caller's, so every batch holds one key (its account), and the overview is one
/// statement (`overview::of`) already. The loader is here for gathering a list's askers. (The
/// account's own fields share the overview their `Account` read: see `Account::overview`.)
pub struct OverviewLoader(Deps);

impl Loader<i64> for OverviewLoader {
    type Value = Arc<AccountOverview>;
    type Error = LoadError;

    async fn load(&self, account_ids: &[i64]) -> Result<HashMap<i64, Arc<AccountOverview>>, LoadError> {
        let mut overviews = HashMap::new();
        for &account_id in account_ids {
            let overview = overview::of(&self.0.db, account_id, self.0.now()).await?;
            overviews.insert(account_id, Arc::new(overview));
        }
        Ok(overviews)
    }
}

/// Line items, tax lines and call summaries by invoice id, for lists of invoices.
pub struct InvoiceDetailsLoader(Deps);

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
        let rows = invoices::line_items(&self.0.db, &ids).await?;
        Ok(rows.into_iter().map(|(id, lines)| (LineItemsOf(id), lines)).collect())
    }
}

impl Loader<TaxLinesOf> for InvoiceDetailsLoader {
    type Value = Vec<invoice_tax_line::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[TaxLinesOf]) -> Result<HashMap<TaxLinesOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = invoices::tax_lines(&self.0.db, &ids).await?;
        Ok(rows.into_iter().map(|(id, lines)| (TaxLinesOf(id), lines)).collect())
    }
}

impl Loader<CallSummaryOf> for InvoiceDetailsLoader {
    type Value = invoices::CallSummary;
    type Error = LoadError;

    async fn load(&self, keys: &[CallSummaryOf]) -> Result<HashMap<CallSummaryOf, Self::Value>, LoadError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = invoices::call_summaries(&self.0.db, &ids).await?;
        Ok(rows.into_iter().map(|(id, summary)| (CallSummaryOf(id), summary)).collect())
    }
}

/// A request's loaders; `spawn` runs their batches (so that they can be counted with the request).
pub fn attach<S, R>(mut request: async_graphql::Request, deps: &Deps, spawn: S) -> async_graphql::Request
where
    S: Fn(futures_util::future::BoxFuture<'static, ()>) -> R + Send + Sync + Clone + 'static,
{
    insert(&mut request.data, deps, spawn);
    request
}

/// The loaders, into `data` (a request's, or a WebSocket connection's for its subscriptions).
pub fn insert<S, R>(data: &mut async_graphql::Data, deps: &Deps, spawn: S)
where
    S: Fn(futures_util::future::BoxFuture<'static, ()>) -> R + Send + Sync + Clone + 'static,
{
    data.insert(DataLoader::new(InvoiceLoader(deps.clone()), spawn.clone()));
    data.insert(DataLoader::new(AccountLoader(deps.clone()), spawn.clone()));
    data.insert(PaymentMethods::with_cache(
        PaymentMethodLoader(deps.clone()),
        spawn.clone(),
        HashMapCache::default(),
    ));
    data.insert(DataLoader::new(InvoiceDetailsLoader(deps.clone()), spawn.clone()));
    data.insert(DataLoader::new(OverviewLoader(deps.clone()), spawn));
}
