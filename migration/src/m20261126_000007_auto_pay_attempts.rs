//! Auto Pay's attempts, each claimed once under (account, due date, attempt number), and what the
//! office managers have been told about the Auto Pay card's expiry.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(AutoPayAttempts::Table)
                    .col(big_pk_auto(AutoPayAttempts::Id))
                    .col(big_integer(AutoPayAttempts::AccountId))
                    // The due date of the oldest invoice the attempts are for.
                    .col(date(AutoPayAttempts::DueOn))
                    .col(integer(AutoPayAttempts::Attempt))
                    // `scheduled` (the pass) or `enabled` (Auto Pay turned on: a fresh start).
                    .col(string_len(AutoPayAttempts::Kind, 16))
                    // The account's day it was made on.
                    .col(date(AutoPayAttempts::MadeOn))
                    .col(big_integer_null(AutoPayAttempts::PaymentId))
                    .col(timestamp_with_time_zone(AutoPayAttempts::CreatedAt))
                    .foreign_key(&mut fk(
                        AutoPayAttempts::Table,
                        AutoPayAttempts::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_auto_pay_attempts_claim")
                    .table(AutoPayAttempts::Table)
                    .col(AutoPayAttempts::AccountId)
                    .col(AutoPayAttempts::DueOn)
                    .col(AutoPayAttempts::Attempt)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for column in [
            string_len_null(PaymentMethods::ExpiryNoticeFor, 7),
            string_len_null(PaymentMethods::ExpiredNoticeFor, 7),
        ] {
            manager
                .alter_table(Table::alter().table(PaymentMethods::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AutoPayAttempts::Table).to_owned()).await?;
        for column in [PaymentMethods::ExpiryNoticeFor, PaymentMethods::ExpiredNoticeFor] {
            manager
                .alter_table(Table::alter().table(PaymentMethods::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AutoPayAttempts {
    Table,
    Id,
    AccountId,
    DueOn,
    Attempt,
    Kind,
    MadeOn,
    PaymentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    /// `YYYY-MM` of the expiry the "expires soon" notice was sent for.
    ExpiryNoticeFor,
    /// `YYYY-MM` of the expiry the "has expired" notice was sent for.
    ExpiredNoticeFor,
}
