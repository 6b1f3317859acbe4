//! Payments through a gateway: each account's customer at the gateway, what a payment needs while
//! it is in flight (the invoice it pays, who paid, the 3-D Secure secret, when to ask the gateway
//! again, what has been refunded), webhook events applied once each, and disputes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            big_integer_null(Payments::InvoiceId),
            big_integer_null(Payments::PayerUserId),
            string_len_null(Payments::Gateway, 16),
            string_null(Payments::ClientSecret),
            big_integer(Payments::RefundedMinor).default(0).to_owned(),
            timestamp_with_time_zone_null(Payments::NextCheckAt),
            integer(Payments::CheckAttempts).default(0).to_owned(),
        ] {
            manager.alter_table(Table::alter().table(Payments::Table).add_column(column).to_owned()).await?;
        }
        index(manager, "idx_payments_next_check", Payments::Table, [Payments::NextCheckAt]).await?;
        index(manager, "idx_payments_account_created", Payments::Table, [Payments::AccountId, Payments::Id])
            .await?;

        manager
            .create_table(
                table(GatewayCustomers::Table)
                    .col(big_pk_auto(GatewayCustomers::Id))
                    .col(big_integer(GatewayCustomers::AccountId))
                    .col(string_len(GatewayCustomers::Gateway, 16))
                    .col(string(GatewayCustomers::CustomerId))
                    .col(timestamp_with_time_zone(GatewayCustomers::CreatedAt))
                    .foreign_key(&mut fk(
                        GatewayCustomers::Table,
                        GatewayCustomers::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_gateway_customers_account")
                    .table(GatewayCustomers::Table)
                    .col(GatewayCustomers::AccountId)
                    .col(GatewayCustomers::Gateway)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // A gateway's payment method belongs to one customer: it is on file once, in one account.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_payment_methods_gateway_id ON payment_methods (gateway, gateway_id) \
                 WHERE removed_at IS NULL",
            )
            .await?;

        manager
            .create_table(
                table(WebhookEvents::Table)
                    .col(big_pk_auto(WebhookEvents::Id))
                    .col(string_len(WebhookEvents::Gateway, 16))
                    .col(string(WebhookEvents::EventId))
                    .col(string(WebhookEvents::EventType))
                    .col(timestamp_with_time_zone(WebhookEvents::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_events_event")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::Gateway)
                    .col(WebhookEvents::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                table(PaymentDisputes::Table)
                    .col(big_pk_auto(PaymentDisputes::Id))
                    .col(big_integer(PaymentDisputes::PaymentId))
                    .col(string(PaymentDisputes::GatewayDisputeId))
                    .col(big_integer(PaymentDisputes::AmountMinor))
                    .col(string(PaymentDisputes::Reason))
                    .col(timestamp_with_time_zone(PaymentDisputes::CreatedAt))
                    .foreign_key(&mut fk(
                        PaymentDisputes::Table,
                        PaymentDisputes::PaymentId,
                        Payments::Table,
                        Payments::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payment_disputes_gateway_id")
                    .table(PaymentDisputes::Table)
                    .col(PaymentDisputes::GatewayDisputeId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            PaymentDisputes::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            GatewayCustomers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(name).to_owned()).await?;
        }
        manager.get_connection().execute_unprepared("DROP INDEX idx_payment_methods_gateway_id").await?;
        for name in ["idx_payments_next_check", "idx_payments_account_created"] {
            manager.drop_index(Index::drop().name(name).table(Payments::Table).to_owned()).await?;
        }
        for column in [
            Payments::InvoiceId,
            Payments::PayerUserId,
            Payments::Gateway,
            Payments::ClientSecret,
            Payments::RefundedMinor,
            Payments::NextCheckAt,
            Payments::CheckAttempts,
        ] {
            manager.alter_table(Table::alter().table(Payments::Table).drop_column(column).to_owned()).await?;
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
enum Payments {
    Table,
    Id,
    AccountId,
    InvoiceId,
    PayerUserId,
    Gateway,
    ClientSecret,
    RefundedMinor,
    NextCheckAt,
    CheckAttempts,
}

#[derive(DeriveIden)]
enum GatewayCustomers {
    Table,
    Id,
    AccountId,
    Gateway,
    CustomerId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    Gateway,
    EventId,
    EventType,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum PaymentDisputes {
    Table,
    Id,
    PaymentId,
    GatewayDisputeId,
    AmountMinor,
    Reason,
    CreatedAt,
}
