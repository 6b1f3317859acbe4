//! The language each account and user reads: `en-CA` or `fr-CA`. An account's defaults to French
//! where its billing address is in Quebec; a user's is null until they choose, and then they read
//! their account's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(string_len(Accounts::Locale, 5).default("en-CA"))
                    .to_owned(),
            )
            .await?;
        // Accounts made before this knew no language: Quebec's read French, as new ones do.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE accounts SET locale = 'fr-CA' WHERE country = 'CA' AND province = 'QC'",
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Users::Table).add_column(string_len_null(Users::Locale, 5)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::Locale).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::Locale).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Locale,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Locale,
}
