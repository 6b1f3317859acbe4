//! Addresses outside Canada: provinces and postal codes of other countries are longer than the
//! first migration allowed ("California", "SW1A 1AA" fits, "NSW 2000 AUSTRALIA" does not).
//! SQLite does not enforce varchar lengths, so only PostgreSQL needs the change.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE accounts ALTER COLUMN province TYPE varchar(64), \
                 ALTER COLUMN postal_code TYPE varchar(32)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE accounts ALTER COLUMN province TYPE varchar(2), \
                 ALTER COLUMN postal_code TYPE varchar(16)",
            )
            .await?;
        Ok(())
    }
}
