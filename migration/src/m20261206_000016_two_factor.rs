//! Two-step sign-in: a user's authenticator secret (sealed, never stored in the clear), the last
//! code step they used (each code works once), their single-use recovery codes (hashed), and the
//! short-lived challenges a password answers instead of a session once they are enrolled; and an
//! account's choice to require it of all its users.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(boolean(Accounts::RequireTwoFactor).default(false))
                    .to_owned(),
            )
            .await?;
        for column in [
            // XChaCha20-Poly1305 under a key derived from SECRET_KEY: version, nonce, ciphertext.
            text_null(Users::TotpSecret),
            // Begun, not yet confirmed with a code.
            text_null(Users::TotpPendingSecret),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            // The newest 30-second step a code was accepted for: an UPDATE conditioned on it is what
            // makes each code single-use, under any concurrency.
            big_integer_null(Users::TotpLastStep),
        ] {
            manager.alter_table(Table::alter().table(Users::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_table(
                table(RecoveryCodes::Table)
                    .col(big_pk_auto(RecoveryCodes::Id))
                    .col(big_integer(RecoveryCodes::UserId))
                    .col(string_len(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone(RecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(&mut fk(
                        RecoveryCodes::Table,
                        RecoveryCodes::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .index(
                        Index::create()
                            .name("idx_recovery_codes_user_code")
                            .col(RecoveryCodes::UserId)
                            .col(RecoveryCodes::CodeHash)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table(LoginChallenges::Table)
                    .col(big_pk_auto(LoginChallenges::Id))
                    .col(big_integer(LoginChallenges::UserId))
                    .col(string_len(LoginChallenges::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(LoginChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(LoginChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(LoginChallenges::ConsumedAt))
                    .foreign_key(&mut fk(
                        LoginChallenges::Table,
                        LoginChallenges::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginChallenges::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        for column in [Users::TotpSecret, Users::TotpPendingSecret, Users::TotpEnabledAt, Users::TotpLastStep]
        {
            manager.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter().table(Accounts::Table).drop_column(Accounts::RequireTwoFactor).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    RequireTwoFactor,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpPendingSecret,
    TotpEnabledAt,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginChallenges {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}
