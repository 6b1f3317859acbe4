//! sea-orm entities: one module per table, nothing else. They never reach the API directly.

pub mod account;
pub mod activity;
pub mod auto_pay_attempt;
pub mod auto_pay_setting;
pub mod billing_contact;
pub mod call_record;
pub mod currency;
pub mod email_outbox;
pub mod gateway_customer;
pub mod installation;
pub mod invoice;
pub mod invoice_line_item;
pub mod invoice_tax_line;
pub mod ledger_entry;
pub mod locale;
pub mod login_challenge;
pub mod login_throttle;
pub mod partner_credit;
pub mod partner_key;
pub mod passkey;
pub mod passkey_ceremony;
pub mod password_reset_token;
pub mod payment;
pub mod payment_dispute;
pub mod payment_method;
pub mod recovery_code;
pub mod session;
pub mod user;
pub mod webhook_event;

pub use currency::Currency;
pub use locale::Locale;
