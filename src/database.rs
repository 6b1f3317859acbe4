//! Connecting to SQLite or PostgreSQL, and bringing the schema up to date.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, metric, sqlx::sqlite::SqliteJournalMode};

tokio::task_local! {
    static STATEMENTS: Arc<AtomicU64>;
}

/// Runs `work` counting the SQL statements it executes into `counter`: each request's log line
/// says how many it cost, which is how N+1 queries are caught (see the dataloader tests).
pub fn count_statements<F: Future>(counter: Arc<AtomicU64>, work: F) -> impl Future<Output = F::Output> {
    STATEMENTS.scope(counter, work)
}

fn on_statement(_: &metric::Info<'_>) {
    let _ = STATEMENTS.try_with(|counter| counter.fetch_add(1, Ordering::Relaxed));
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("cannot connect to the database (DATABASE_URL)")]
    Connect(#[source] DbErr),
    #[error("migrating the database failed")]
    Migrate(#[source] DbErr),
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DatabaseError> {
    let mut options = ConnectOptions::new(url);
    options
        .acquire_timeout(Duration::from_secs(10))
        // Statements are logged by our own spans when needed; sqlx's lines add noise only.
        .sqlx_logging(false)
        // Pinging every connection handed out doubles a statement's round trips; one idle for a
        // while may have been dropped by the server or a proxy, so only those are checked first.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // SQLite has one writer. One connection serialises our work instead of failing with
        // SQLITE_BUSY under concurrent writes; WAL lets external readers (backups, the CLI) in.
        options
            .max_connections(1)
            .map_sqlx_sqlite_opts(|o| o.journal_mode(SqliteJournalMode::Wal).foreign_keys(true));
    } else {
        options.max_connections(20);
    }
    let mut db = Database::connect(options).await.map_err(DatabaseError::Connect)?;
    db.set_metric_callback(on_statement);
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DatabaseError> {
    Migrator::up(db, None).await.map_err(DatabaseError::Migrate)
}
