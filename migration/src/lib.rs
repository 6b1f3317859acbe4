//! The database schema, as an ordered list of migrations. `serve` and `demo` apply the pending ones.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261125_000001_create_accounts_and_users;
mod m20261125_000002_create_billing;
mod m20261125_000003_widen_address_columns;
mod m20261125_000004_call_record_keyset_indexes;
mod m20261125_000005_remember_known_login_addresses;
mod m20261126_000006_payments_through_a_gateway;
mod m20261126_000007_auto_pay_attempts;
mod m20261126_000008_users_settings_and_activity;
mod m20261126_000009_payment_failure_advice;
mod m20261126_000010_payment_payer_name;
mod m20261130_000011_partner_api;
mod m20261204_000012_outbox_permanent_failures;
mod m20261204_000013_installation;
mod m20261204_000014_mock_gateway;
mod m20261206_000015_locales;
mod m20261206_000016_two_factor;
mod m20261206_000017_session_details;
mod m20261206_000018_passkeys;
mod m20261206_000019_partition_call_records;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_accounts_and_users::Migration),
            Box::new(m20261125_000002_create_billing::Migration),
            Box::new(m20261125_000003_widen_address_columns::Migration),
            Box::new(m20261125_000004_call_record_keyset_indexes::Migration),
            Box::new(m20261125_000005_remember_known_login_addresses::Migration),
            Box::new(m20261126_000006_payments_through_a_gateway::Migration),
            Box::new(m20261126_000007_auto_pay_attempts::Migration),
            Box::new(m20261126_000008_users_settings_and_activity::Migration),
            Box::new(m20261126_000009_payment_failure_advice::Migration),
            Box::new(m20261126_000010_payment_payer_name::Migration),
            Box::new(m20261130_000011_partner_api::Migration),
            Box::new(m20261204_000012_outbox_permanent_failures::Migration),
            Box::new(m20261204_000013_installation::Migration),
            Box::new(m20261204_000014_mock_gateway::Migration),
            Box::new(m20261206_000015_locales::Migration),
            Box::new(m20261206_000016_two_factor::Migration),
            Box::new(m20261206_000017_session_details::Migration),
            Box::new(m20261206_000018_passkeys::Migration),
            Box::new(m20261206_000019_partition_call_records::Migration),
        ]
    }
}
