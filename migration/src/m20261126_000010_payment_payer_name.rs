//! A payment names who made it as they were then, so that it still does once they are deleted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Payments::Table).add_column(string_null(Payments::PayerName)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Payments::Table).drop_column(Payments::PayerName).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    PayerName,
}
