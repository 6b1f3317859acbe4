//! This deployment's own name at the payment gateway: a random id made once, in every idempotency
//! key and in the metadata of what we create there, so that two databases on one Stripe account
//! (staging beside production, a restored backup, two CI runs) never replay each other's requests
//! or take each other's events.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(Installation::Table)
                    // One row, id 1: made by the first process that finds none.
                    .col(integer(Installation::Id).primary_key())
                    .col(string_len(Installation::GatewayNamespace, 32))
                    .col(timestamp_with_time_zone(Installation::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Installation::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Installation {
    Table,
    Id,
    /// The id itself (a variant name may not repeat the table's).
    #[sea_orm(iden = "installation_id")]
    GatewayNamespace,
    CreatedAt,
}
