//! Passkeys (WebAuthn): each user's registered credentials, the ceremonies under way (a
//! registration, a sign-in without a password), and what a password's second step needs to take a
//! passkey. A user's passkeys share one user handle, the random id authenticators store them under.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            // A UUID, made at the first registration.
            string_len_null(Users::PasskeyHandle, 36),
            // Kept with the rows it counts, in their transactions: a session's lookup reads whether
            // its user has a second factor without another query.
            integer(Users::PasskeyCount).default(0).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Users::Table).add_column(column).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_users_passkey_handle")
                    .table(Users::Table)
                    .col(Users::PasskeyHandle)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table(Passkeys::Table)
                    .col(big_pk_auto(Passkeys::Id))
                    .col(big_integer(Passkeys::UserId))
                    // base64url of the authenticator's credential id (at most 1023 bytes).
                    .col(string_len(Passkeys::CredentialId, 1400).unique_key())
                    .col(string_len(Passkeys::Name, 100))
                    // The verified public key and its signature counter (webauthn-rs' `Passkey`, JSON).
                    .col(text(Passkeys::Credential))
                    .col(timestamp_with_time_zone(Passkeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(Passkeys::LastUsedAt))
                    .foreign_key(&mut fk(Passkeys::Table, Passkeys::UserId, Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        crate::helpers::index(manager, "idx_passkeys_user_id", Passkeys::Table, [Passkeys::UserId]).await?;
        manager
            .create_table(
                table(PasskeyCeremonies::Table)
                    .col(big_pk_auto(PasskeyCeremonies::Id))
                    // "registration" or "sign-in".
                    .col(string_len(PasskeyCeremonies::Purpose, 16))
                    // Null for a sign-in that lets the authenticator say whose passkey it is.
                    .col(big_integer_null(PasskeyCeremonies::UserId))
                    // A sign-in's challenge, handed to the client (hashed); null for a registration,
                    // which is its user's newest.
                    .col(string_len_null(PasskeyCeremonies::TokenHash, 64).unique_key())
                    // webauthn-rs' ceremony state (JSON): the challenge the authenticator must sign.
                    .col(text(PasskeyCeremonies::State))
                    .col(timestamp_with_time_zone(PasskeyCeremonies::CreatedAt))
                    .col(timestamp_with_time_zone(PasskeyCeremonies::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasskeyCeremonies::ConsumedAt))
                    .foreign_key(&mut fk(
                        PasskeyCeremonies::Table,
                        PasskeyCeremonies::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        crate::helpers::index(
            manager,
            "idx_passkey_ceremonies_user_id",
            PasskeyCeremonies::Table,
            [PasskeyCeremonies::UserId],
        )
        .await?;
        // The passkey half of a password's second step: the sign-in its user's passkeys may answer.
        manager
            .alter_table(
                Table::alter()
                    .table(LoginChallenges::Table)
                    .add_column(text_null(LoginChallenges::PasskeyState))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginChallenges::Table)
                    .drop_column(LoginChallenges::PasskeyState)
                    .to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(PasskeyCeremonies::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Passkeys::Table).to_owned()).await?;
        manager
            .drop_index(Index::drop().name("idx_users_passkey_handle").table(Users::Table).to_owned())
            .await?;
        for column in [Users::PasskeyHandle, Users::PasskeyCount] {
            manager.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    PasskeyHandle,
    PasskeyCount,
}

#[derive(DeriveIden)]
enum Passkeys {
    Table,
    Id,
    UserId,
    CredentialId,
    Name,
    Credential,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum PasskeyCeremonies {
    Table,
    Id,
    Purpose,
    UserId,
    TokenHash,
    State,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

#[derive(DeriveIden)]
enum LoginChallenges {
    Table,
    PasskeyState,
}
