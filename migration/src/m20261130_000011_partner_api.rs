//! The Partner API: the billing engine's keys (only their hashes), and what makes its `PUT`s
//! idempotent: each posted invoice's and credit's digest of the request that posted it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(PartnerKeys::Table)
                    .col(big_pk_auto(PartnerKeys::Id))
                    .col(string_len_uniq(PartnerKeys::Name, 100))
                    // The key's first characters, printed to tell keys apart; never enough to use.
                    .col(string_len(PartnerKeys::Prefix, 16))
                    .col(string_len_uniq(PartnerKeys::KeyHash, 64))
                    .col(timestamp_with_time_zone(PartnerKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(PartnerKeys::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(string_len_null(Invoices::PartnerDigest, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table(PartnerCredits::Table)
                    .col(big_pk_auto(PartnerCredits::Id))
                    .col(big_integer(PartnerCredits::AccountId))
                    .col(string_len(PartnerCredits::CreditId, 100))
                    .col(string_len(PartnerCredits::Digest, 64))
                    .col(big_integer(PartnerCredits::LedgerEntryId))
                    .foreign_key(&mut fk(
                        PartnerCredits::Table,
                        PartnerCredits::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .foreign_key(&mut fk(
                        PartnerCredits::Table,
                        PartnerCredits::LedgerEntryId,
                        LedgerEntries::Table,
                        LedgerEntries::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_partner_credits_account_credit")
                    .table(PartnerCredits::Table)
                    .col(PartnerCredits::AccountId)
                    .col(PartnerCredits::CreditId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PartnerCredits::Table).to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table(Invoices::Table).drop_column(Invoices::PartnerDigest).to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(PartnerKeys::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum PartnerKeys {
    Table,
    Id,
    Name,
    Prefix,
    KeyHash,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    PartnerDigest,
}

#[derive(DeriveIden)]
enum PartnerCredits {
    Table,
    Id,
    AccountId,
    CreditId,
    Digest,
    LedgerEntryId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
}
