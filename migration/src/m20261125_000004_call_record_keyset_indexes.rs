//! Exports walk call records by `(started_at, id)` in keyset chunks; with `id` in the indexes each
//! chunk starts where the last ended instead of rescanning the invoice's earlier calls.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, "idx_call_records_invoice", CallRecords::InvoiceId, true).await?;
        replace(manager, "idx_call_records_account_started", CallRecords::AccountId, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace(manager, "idx_call_records_invoice", CallRecords::InvoiceId, false).await?;
        replace(manager, "idx_call_records_account_started", CallRecords::AccountId, false).await
    }
}

/// Recreates `name` on (`first`, started_at[, id]).
async fn replace(
    manager: &SchemaManager<'_>,
    name: &str,
    first: CallRecords,
    with_id: bool,
) -> Result<(), DbErr> {
    manager.drop_index(Index::drop().name(name).table(CallRecords::Table).to_owned()).await?;
    let mut index = Index::create()
        .name(name)
        .table(CallRecords::Table)
        .col(first)
        .col(CallRecords::StartedAt)
        .to_owned();
    if with_id {
        index.col(CallRecords::Id);
    }
    manager.create_index(index).await
}

#[derive(DeriveIden, Clone, Copy)]
enum CallRecords {
    Table,
    Id,
    AccountId,
    InvoiceId,
    StartedAt,
}
