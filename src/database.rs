//! Connecting to SQLite or PostgreSQL, and bringing the schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, sqlx::sqlite::SqliteJournalMode};

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url);
    options
        .acquire_timeout(Duration::from_secs(10))
        // Statements are logged by our own spans when needed; sqlx's lines add noise only.
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // SQLite has one writer. One connection serialises our work instead of failing with
        // SQLITE_BUSY under concurrent writes; WAL lets external readers (backups, the CLI) in.
        options
            .max_connections(1)
            .map_sqlx_sqlite_opts(|o| o.journal_mode(SqliteJournalMode::Wal).foreign_keys(true));
    } else {
        options.max_connections(20);
    }
    let db = Database::connect(options)
        .await
        .map_err(|error| anyhow::anyhow!("cannot connect to the database (DATABASE_URL): {error}"))?;
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.map_err(|error| anyhow::anyhow!("migrating the database failed: {error}"))
}
