//! What an account is billed and pays: invoices with their lines and taxes, the ledger, rated call
//! records, payment methods, payments and the Auto Pay setting. Money is integer minor units.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table(Invoices::Table)
                    .col(big_pk_auto(Invoices::Id))
                    .col(big_integer(Invoices::AccountId))
                    .col(string_len_uniq(Invoices::Number, 32))
                    .col(date(Invoices::PeriodStart))
                    .col(date(Invoices::PeriodEnd))
                    .col(date(Invoices::IssuedOn))
                    .col(date(Invoices::DueOn))
                    .col(string_len(Invoices::Currency, 3))
                    .col(big_integer(Invoices::SubtotalMinor))
                    .col(big_integer(Invoices::TaxTotalMinor))
                    .col(big_integer(Invoices::TotalMinor))
                    .col(timestamp_with_time_zone_null(Invoices::VoidedAt))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .foreign_key(&mut fk(Invoices::Table, Invoices::AccountId, Accounts::Table, Accounts::Id))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_invoices_account_issued",
            Invoices::Table,
            [Invoices::AccountId, Invoices::IssuedOn],
        )
        .await?;

        manager
            .create_table(
                table(InvoiceLineItems::Table)
                    .col(big_pk_auto(InvoiceLineItems::Id))
                    .col(big_integer(InvoiceLineItems::InvoiceId))
                    .col(integer(InvoiceLineItems::Position))
                    .col(string(InvoiceLineItems::Description))
                    .col(big_integer(InvoiceLineItems::Quantity))
                    .col(big_integer(InvoiceLineItems::UnitPriceMinor))
                    .col(big_integer(InvoiceLineItems::AmountMinor))
                    .foreign_key(&mut fk(
                        InvoiceLineItems::Table,
                        InvoiceLineItems::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_invoice_line_items_invoice",
            InvoiceLineItems::Table,
            [InvoiceLineItems::InvoiceId],
        )
        .await?;

        manager
            .create_table(
                table(InvoiceTaxLines::Table)
                    .col(big_pk_auto(InvoiceTaxLines::Id))
                    .col(big_integer(InvoiceTaxLines::InvoiceId))
                    .col(integer(InvoiceTaxLines::Position))
                    .col(string_len(InvoiceTaxLines::Name, 16))
                    // Parts per million: 13% is 130000, Quebec's 9.975% is 99750.
                    .col(integer(InvoiceTaxLines::RatePpm))
                    .col(big_integer(InvoiceTaxLines::AmountMinor))
                    .foreign_key(&mut fk(
                        InvoiceTaxLines::Table,
                        InvoiceTaxLines::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_invoice_tax_lines_invoice", InvoiceTaxLines::Table, [InvoiceTaxLines::InvoiceId])
            .await?;

        manager
            .create_table(
                table(PaymentMethods::Table)
                    .col(big_pk_auto(PaymentMethods::Id))
                    .col(big_integer(PaymentMethods::AccountId))
                    .col(string_len(PaymentMethods::Gateway, 16))
                    // The gateway's id (`pm_…`): all we keep of a card besides what is shown.
                    .col(string(PaymentMethods::GatewayId))
                    .col(string_len(PaymentMethods::Kind, 16))
                    .col(string_len(PaymentMethods::Brand, 32))
                    .col(string_len(PaymentMethods::Last4, 4))
                    .col(integer_null(PaymentMethods::ExpMonth))
                    .col(integer_null(PaymentMethods::ExpYear))
                    .col(timestamp_with_time_zone(PaymentMethods::CreatedAt))
                    .col(timestamp_with_time_zone_null(PaymentMethods::RemovedAt))
                    .foreign_key(&mut fk(
                        PaymentMethods::Table,
                        PaymentMethods::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_payment_methods_account", PaymentMethods::Table, [PaymentMethods::AccountId])
            .await?;

        manager
            .create_table(
                table(Payments::Table)
                    .col(big_pk_auto(Payments::Id))
                    .col(big_integer(Payments::AccountId))
                    .col(big_integer_null(Payments::PaymentMethodId))
                    .col(big_integer(Payments::AmountMinor))
                    .col(string_len(Payments::Currency, 3))
                    .col(string_len(Payments::Status, 32))
                    // What started it: `manual` (makePayment) or `auto_pay`.
                    .col(string_len(Payments::Origin, 16))
                    .col(string_null(Payments::IdempotencyKey))
                    // A digest of the request, so that a reused key with other input is refused.
                    .col(string_null(Payments::RequestFingerprint))
                    .col(string_null(Payments::GatewayReference))
                    .col(string_null(Payments::FailureCode))
                    .col(string_null(Payments::FailureMessage))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .col(timestamp_with_time_zone(Payments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Payments::SucceededAt))
                    .foreign_key(&mut fk(Payments::Table, Payments::AccountId, Accounts::Table, Accounts::Id))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::PaymentMethodId,
                        PaymentMethods::Table,
                        PaymentMethods::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_payments_idempotency")
                    .table(Payments::Table)
                    .col(Payments::AccountId)
                    .col(Payments::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "idx_payments_gateway_reference", Payments::Table, [Payments::GatewayReference])
            .await?;
        // At most one payment in progress per account, enforced by the database itself.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_payments_one_in_progress ON payments (account_id) \
                 WHERE status IN ('processing', 'requires_action')",
            )
            .await?;

        manager
            .create_table(
                table(LedgerEntries::Table)
                    .col(big_pk_auto(LedgerEntries::Id))
                    .col(big_integer(LedgerEntries::AccountId))
                    .col(string_len(LedgerEntries::Kind, 16))
                    // Signed by its effect on what the customer owes.
                    .col(big_integer(LedgerEntries::AmountMinor))
                    .col(big_integer(LedgerEntries::BalanceAfterMinor))
                    .col(string_len(LedgerEntries::Currency, 3))
                    .col(string(LedgerEntries::Description))
                    .col(big_integer_null(LedgerEntries::InvoiceId))
                    .col(big_integer_null(LedgerEntries::PaymentId))
                    .col(timestamp_with_time_zone(LedgerEntries::OccurredAt))
                    .foreign_key(&mut fk(
                        LedgerEntries::Table,
                        LedgerEntries::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .foreign_key(&mut fk(
                        LedgerEntries::Table,
                        LedgerEntries::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                    ))
                    .foreign_key(&mut fk(
                        LedgerEntries::Table,
                        LedgerEntries::PaymentId,
                        Payments::Table,
                        Payments::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // Keyset pagination walks (account_id, id) newest first.
        index(
            manager,
            "idx_ledger_entries_account_id",
            LedgerEntries::Table,
            [LedgerEntries::AccountId, LedgerEntries::Id],
        )
        .await?;

        manager
            .create_table(
                table(CallRecords::Table)
                    .col(big_pk_auto(CallRecords::Id))
                    .col(big_integer(CallRecords::AccountId))
                    .col(big_integer_null(CallRecords::InvoiceId))
                    .col(string_len(CallRecords::CallId, 64))
                    .col(timestamp_with_time_zone(CallRecords::StartedAt))
                    .col(string_len(CallRecords::Direction, 8))
                    .col(string_len(CallRecords::FromNumber, 32))
                    .col(string_len(CallRecords::ToNumber, 32))
                    .col(integer(CallRecords::DurationSeconds))
                    .col(string_len(CallRecords::CallType, 16))
                    // Millionths of the currency unit: rated amounts carry sub-cent precision and are
                    // rounded once, per invoice line.
                    .col(big_integer(CallRecords::RatedAmountMicros))
                    .col(string_len(CallRecords::Currency, 3))
                    .foreign_key(&mut fk(
                        CallRecords::Table,
                        CallRecords::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .foreign_key(&mut fk(
                        CallRecords::Table,
                        CallRecords::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_call_records_call_id")
                    .table(CallRecords::Table)
                    .col(CallRecords::AccountId)
                    .col(CallRecords::CallId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_call_records_invoice",
            CallRecords::Table,
            [CallRecords::InvoiceId, CallRecords::StartedAt],
        )
        .await?;
        index(
            manager,
            "idx_call_records_account_started",
            CallRecords::Table,
            [CallRecords::AccountId, CallRecords::StartedAt],
        )
        .await?;

        manager
            .create_table(
                table(AutoPaySettings::Table)
                    .col(big_integer(AutoPaySettings::AccountId).primary_key())
                    .col(boolean(AutoPaySettings::Enabled))
                    .col(big_integer_null(AutoPaySettings::PaymentMethodId))
                    .col(timestamp_with_time_zone(AutoPaySettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        AutoPaySettings::Table,
                        AutoPaySettings::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .foreign_key(&mut fk(
                        AutoPaySettings::Table,
                        AutoPaySettings::PaymentMethodId,
                        PaymentMethods::Table,
                        PaymentMethods::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AutoPaySettings::Table.into_iden(),
            CallRecords::Table.into_iden(),
            LedgerEntries::Table.into_iden(),
            Payments::Table.into_iden(),
            PaymentMethods::Table.into_iden(),
            InvoiceTaxLines::Table.into_iden(),
            InvoiceLineItems::Table.into_iden(),
            Invoices::Table.into_iden(),
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
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    AccountId,
    Number,
    PeriodStart,
    PeriodEnd,
    IssuedOn,
    DueOn,
    Currency,
    SubtotalMinor,
    TaxTotalMinor,
    TotalMinor,
    VoidedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InvoiceLineItems {
    Table,
    Id,
    InvoiceId,
    Position,
    Description,
    Quantity,
    UnitPriceMinor,
    AmountMinor,
}

#[derive(DeriveIden)]
enum InvoiceTaxLines {
    Table,
    Id,
    InvoiceId,
    Position,
    Name,
    RatePpm,
    AmountMinor,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Id,
    AccountId,
    Gateway,
    GatewayId,
    Kind,
    Brand,
    Last4,
    ExpMonth,
    ExpYear,
    CreatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    AccountId,
    PaymentMethodId,
    AmountMinor,
    Currency,
    Status,
    Origin,
    IdempotencyKey,
    RequestFingerprint,
    GatewayReference,
    FailureCode,
    FailureMessage,
    CreatedAt,
    UpdatedAt,
    SucceededAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    AccountId,
    Kind,
    AmountMinor,
    BalanceAfterMinor,
    Currency,
    Description,
    InvoiceId,
    PaymentId,
    OccurredAt,
}

#[derive(DeriveIden)]
enum CallRecords {
    Table,
    Id,
    AccountId,
    InvoiceId,
    CallId,
    StartedAt,
    Direction,
    FromNumber,
    ToNumber,
    DurationSeconds,
    CallType,
    RatedAmountMicros,
    Currency,
}

#[derive(DeriveIden)]
enum AutoPaySettings {
    Table,
    AccountId,
    Enabled,
    PaymentMethodId,
    UpdatedAt,
}
