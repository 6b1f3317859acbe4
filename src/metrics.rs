//! Prometheus metrics, recorded with the `metrics` facade and rendered by
//! `metrics-exporter-prometheus` (the facade's own exporter: no hand-written exposition format).
//! Labels never carry account data: operation names, outcomes, statuses, gateways, event types.
//!
//! Recorded where things happen: GraphQL requests (`graphql`), payments (`services::payments`),
//! webhook events (`services::webhooks`), Auto Pay passes (`services::auto_pay`).
//! Read when scraped: the email outbox's depth and oldest age, and the database pool.

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock},
};

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::services::Deps;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets, in seconds: a GraphQL request is usually tens of milliseconds.
const SECONDS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Drops latency samples a scrape has not collected yet, and idle series: without it, a server
/// nobody scrapes would keep every sample. Call it every few seconds.
pub fn upkeep() {
    handle().run_upkeep();
}

/// The process's recorder, installed on first use (several apps in one test process share it).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets(SECONDS) {
            Ok(with_buckets) => with_buckets,
            Err(error) => {
                tracing::warn!(%error, "metrics: latency buckets refused; summaries instead");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("metrics: a recorder was already installed");
        }
        handle
    })
}

/// The text a scrape gets: what was recorded, plus what is read now.
pub async fn render(deps: &Deps) -> String {
    let handle = handle();
    handle.run_upkeep();
    if let Err(error) = read_now(deps).await {
        tracing::warn!(%error, "metrics: reading the outbox failed");
    }
    handle.render()
}

async fn read_now(deps: &Deps) -> Result<(), sea_orm::DbErr> {
    let (waiting, oldest) = crate::mail::outbox::backlog(&deps.db).await?;
    metrics::gauge!("outbox_emails_waiting").set(waiting as f64);
    let age = oldest.map_or(0.0, |at| (deps.now() - at).num_milliseconds() as f64 / 1000.0);
    metrics::gauge!("outbox_oldest_waiting_seconds").set(age.max(0.0));
    let (size, idle) = match deps.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = deps.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = deps.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_connections_idle").set(idle as f64);
    Ok(())
}

/// Distinct operation names kept as labels; any later one is `other`. The client chooses names, so
/// without a bound each new one would add series for ever.
const MAX_OPERATIONS: usize = 100;
static OPERATIONS: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// The operation a GraphQL request runs, as a label: its `operationName`, else the name of the
/// first operation its document declares. Only a plain identifier of bounded length is kept, and
/// only the first [`MAX_OPERATIONS`] distinct ones.
pub fn operation_label(name: Option<&str>, document: &str) -> String {
    let label = plain_operation(name.or_else(|| declared_operation(document)));
    if matches!(label.as_str(), "anonymous" | "invalid") {
        return label;
    }
    let mut seen = OPERATIONS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seen = seen.get_or_insert_with(HashSet::new);
    if seen.contains(&label) || seen.len() < MAX_OPERATIONS {
        seen.insert(label.clone());
        label
    } else {
        "other".into()
    }
}

fn plain_operation(name: Option<&str>) -> String {
    match name {
        None => "anonymous".into(),
        Some(name)
            if !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name.to_string()
        }
        Some(_) => "invalid".into(),
    }
}

/// `Name` in the first `query Name`, `mutation Name` or `subscription Name` of `document`.
fn declared_operation(document: &str) -> Option<&str> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = document;
    while let Some(at) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '#') {
        rest = &rest[at..];
        if rest.starts_with('#') {
            rest = rest.split_once('\n').map_or("", |(_, after)| after);
            continue;
        }
        let word_end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        rest = after;
        if matches!(word, "query" | "mutation" | "subscription") {
            let after = after.trim_start();
            let name_end = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
            return after
                .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                .then(|| &after[..name_end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::operation_label;

    #[test]
    fn operations_are_named_by_their_document_when_the_request_does_not_say() {
        assert_eq!(operation_label(None, "mutation MakePayment($a: Int) { x }"), "MakePayment");
        assert_eq!(
            operation_label(None, "# hi\nfragment F on T { a }\nquery Dashboard { ...F }"),
            "Dashboard"
        );
        assert_eq!(operation_label(None, "query { account { id } }"), "anonymous");
        assert_eq!(operation_label(None, "{ viewer { id } }"), "anonymous");
        assert_eq!(operation_label(Some("Login"), "mutation Other { x }"), "Login");
        assert_eq!(operation_label(Some("drop table;"), "{ x }"), "invalid");
    }
}
