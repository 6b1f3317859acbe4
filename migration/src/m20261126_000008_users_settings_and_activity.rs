//! Each user's time zone and billing notifications, and the account's activity: who did what.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            // Null: the account's.
            string_len_null(Users::TimeZone, 64),
            boolean(Users::BillingNotifications).default(false).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Users::Table).add_column(column).to_owned()).await?;
        }
        // On by default for office managers, off for members.
        manager
            .get_connection()
            .execute_unprepared("UPDATE users SET billing_notifications = TRUE WHERE role = 'office_manager'")
            .await?;

        manager
            .create_table(
                table(Activities::Table)
                    .col(big_pk_auto(Activities::Id))
                    .col(big_integer(Activities::AccountId))
                    // Who, as they were then: a deleted user's actions still name them. All null for
                    // the carrier's systems and jobs.
                    .col(big_integer_null(Activities::ActorUserId))
                    .col(string_null(Activities::ActorName))
                    .col(string_null(Activities::ActorEmail))
                    .col(string_len(Activities::Action, 48))
                    .col(string_len(Activities::Summary, 500))
                    .col(timestamp_with_time_zone(Activities::OccurredAt))
                    .foreign_key(&mut fk(
                        Activities::Table,
                        Activities::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_activities_account", Activities::Table, [Activities::AccountId, Activities::Id])
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Activities::Table).to_owned()).await?;
        for column in [Users::TimeZone, Users::BillingNotifications] {
            manager.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
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
enum Users {
    Table,
    TimeZone,
    BillingNotifications,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    AccountId,
    ActorUserId,
    ActorName,
    ActorEmail,
    Action,
    Summary,
    OccurredAt,
}
