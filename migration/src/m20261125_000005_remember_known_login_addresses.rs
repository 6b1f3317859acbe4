//! Throttling remembers where each login last succeeded, so that a guesser elsewhere cannot keep
//! the real user out from their usual address.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginThrottles::Table)
                    .add_column(timestamp_with_time_zone_null(LoginThrottles::LastSuccessAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginThrottles::Table)
                    .drop_column(LoginThrottles::LastSuccessAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    LastSuccessAt,
}
