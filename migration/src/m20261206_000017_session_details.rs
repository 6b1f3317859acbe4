//! What a person needs to recognise their sessions (where and with what they signed in) and when
//! a session last proved who holds it: what moves money or power asks for that to be recent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            // An IPv6 address is at most 45 characters written out.
            string_len_null(Sessions::ClientAddress, 45),
            // Cut to its first 256 characters: a client chooses it.
            string_len_null(Sessions::UserAgent, 256),
            // Null: never since the sign-in that created it (`created_at`).
            timestamp_with_time_zone_null(Sessions::ReauthenticatedAt),
        ] {
            manager.alter_table(Table::alter().table(Sessions::Table).add_column(column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Sessions::ClientAddress, Sessions::UserAgent, Sessions::ReauthenticatedAt] {
            manager.alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    ClientAddress,
    UserAgent,
    ReauthenticatedAt,
}
