//! Accounts, the people who log in to them, and what authentication needs around them:
//! sessions, password-reset tokens, login throttling and the email outbox.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string_len_uniq(Accounts::Number, 32))
                    .col(string(Accounts::Name))
                    .col(string(Accounts::AddressLine1))
                    .col(string_null(Accounts::AddressLine2))
                    .col(string(Accounts::City))
                    .col(string_len(Accounts::Province, 2))
                    .col(string_len(Accounts::PostalCode, 16))
                    .col(string_len(Accounts::Country, 2))
                    .col(string(Accounts::TimeZone))
                    .col(string_len(Accounts::Currency, 3))
                    // Where sales tax is charged; the billing address may move, the tax region is set by the carrier.
                    .col(string_len(Accounts::TaxRegion, 2))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(big_integer(Users::AccountId))
                    // Stored lower-cased; the login name.
                    .col(string_uniq(Users::Email))
                    .col(string(Users::Name))
                    .col(string_len(Users::Role, 32))
                    .col(string_len(Users::Status, 32))
                    .col(string(Users::PasswordHash))
                    .col(boolean(Users::MustChangePassword))
                    // Set while the password is an invitation's temporary one.
                    .col(timestamp_with_time_zone_null(Users::PasswordExpiresAt))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_users_account_id", Users::Table, [Users::AccountId]).await?;

        manager
            .create_table(
                table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(big_integer(Sessions::UserId))
                    // SHA-256 of the bearer token; the token itself is never stored.
                    .col(string_len_uniq(Sessions::TokenHash, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_sessions_user_id", Sessions::Table, [Sessions::UserId]).await?;

        manager
            .create_table(
                table(PasswordResetTokens::Table)
                    .col(big_pk_auto(PasswordResetTokens::Id))
                    .col(big_integer(PasswordResetTokens::UserId))
                    .col(string_len_uniq(PasswordResetTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(PasswordResetTokens::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResetTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResetTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResetTokens::Table, PasswordResetTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_password_reset_tokens_user_id",
            PasswordResetTokens::Table,
            [PasswordResetTokens::UserId],
        )
        .await?;

        manager
            .create_table(
                table(BillingContacts::Table)
                    .col(big_pk_auto(BillingContacts::Id))
                    .col(big_integer(BillingContacts::AccountId))
                    .col(string(BillingContacts::Name))
                    .col(string(BillingContacts::Email))
                    .col(string_null(BillingContacts::Phone))
                    // Keeps the order the office manager gave.
                    .col(integer(BillingContacts::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BillingContacts::Table, BillingContacts::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_billing_contacts_account_id",
            BillingContacts::Table,
            [BillingContacts::AccountId],
        )
        .await?;

        manager
            .create_table(
                table(LoginThrottles::Table)
                    // "email:…" or "ip:…"
                    .col(string(LoginThrottles::Key).primary_key())
                    .col(integer(LoginThrottles::Failures))
                    .col(timestamp_with_time_zone(LoginThrottles::LastFailureAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::BlockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                table(EmailOutbox::Table)
                    .col(big_pk_auto(EmailOutbox::Id))
                    .col(string(EmailOutbox::Recipient))
                    .col(string(EmailOutbox::Subject))
                    // Emptied once delivered: invitations and resets carry secrets.
                    .col(text(EmailOutbox::TextBody))
                    .col(text(EmailOutbox::HtmlBody))
                    .col(integer(EmailOutbox::Attempts))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    // A sender's claim on the row, so that several instances never send it twice.
                    .col(timestamp_with_time_zone_null(EmailOutbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_outbox_pending")
                    .table(EmailOutbox::Table)
                    .col(EmailOutbox::SentAt)
                    .col(EmailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EmailOutbox::Table.into_iden(),
            LoginThrottles::Table.into_iden(),
            BillingContacts::Table.into_iden(),
            PasswordResetTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Accounts::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Number,
    Name,
    AddressLine1,
    AddressLine2,
    City,
    Province,
    PostalCode,
    Country,
    TimeZone,
    Currency,
    TaxRegion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    AccountId,
    Email,
    Name,
    Role,
    Status,
    PasswordHash,
    MustChangePassword,
    PasswordExpiresAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum PasswordResetTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum BillingContacts {
    Table,
    Id,
    AccountId,
    Name,
    Email,
    Phone,
    Position,
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    LastFailureAt,
    BlockedUntil,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    Recipient,
    Subject,
    TextBody,
    HtmlBody,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    LastError,
    CreatedAt,
}
