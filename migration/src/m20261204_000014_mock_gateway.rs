//! The mock gateway's own storage. It stands in for Stripe's test mode, which is one shared, durable
//! service: keeping what it made here lets every process and instance on this database (the server,
//! `reconcile` and `run-autopay` run on their own, a restarted server) see one mock "Stripe". These
//! tables are the mock's alone: nothing else reads them, and they reference none of ours.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(MockGatewayCharges::Table)
                    .col(string_len(MockGatewayCharges::Reference, 64).primary_key())
                    // As at Stripe: a request sent again with its key answers what the first one made.
                    .col(string_len(MockGatewayCharges::IdempotencyKey, 255).unique_key())
                    .col(big_integer(MockGatewayCharges::PaymentId))
                    .col(big_integer(MockGatewayCharges::AmountMinor))
                    .col(string_len(MockGatewayCharges::Status, 24))
                    .col(string_len_null(MockGatewayCharges::ClientSecret, 128))
                    .col(string_len_null(MockGatewayCharges::DeclineCode, 64))
                    .col(string_len_null(MockGatewayCharges::DeclineReason, 64))
                    .col(string_len_null(MockGatewayCharges::DeclineMessage, 255))
                    .col(timestamp_with_time_zone(MockGatewayCharges::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // Reconciliation looks a charge up by the payment in its metadata.
        index(
            manager,
            "idx_mock_gateway_charges_payment",
            MockGatewayCharges::Table,
            [MockGatewayCharges::PaymentId],
        )
        .await?;
        manager
            .create_table(
                table(MockGatewayRefunds::Table)
                    .col(string_len(MockGatewayRefunds::IdempotencyKey, 255).primary_key())
                    .col(string_len(MockGatewayRefunds::Reference, 64))
                    .col(big_integer(MockGatewayRefunds::AmountMinor))
                    .col(timestamp_with_time_zone(MockGatewayRefunds::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table(MockGatewayDetachedMethods::Table)
                    .col(string_len(MockGatewayDetachedMethods::Method, 255).primary_key())
                    .col(timestamp_with_time_zone(MockGatewayDetachedMethods::DetachedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MockGatewayDetachedMethods::Table.into_iden(),
            MockGatewayRefunds::Table.into_iden(),
            MockGatewayCharges::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum MockGatewayCharges {
    Table,
    Reference,
    IdempotencyKey,
    PaymentId,
    AmountMinor,
    /// `succeeded`, `processing`, `requires_action`, `declined` or `canceled`.
    Status,
    ClientSecret,
    /// Stripe's `code` and `decline_code` of a declined charge, and its message.
    DeclineCode,
    DeclineReason,
    DeclineMessage,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MockGatewayRefunds {
    Table,
    IdempotencyKey,
    Reference,
    AmountMinor,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MockGatewayDetachedMethods {
    Table,
    Method,
    DetachedAt,
}
