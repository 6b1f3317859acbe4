//! sea-orm entities: one module per table, nothing else. They never reach the API directly.

pub mod account;
pub mod billing_contact;
pub mod email_outbox;
pub mod login_throttle;
pub mod password_reset_token;
pub mod session;
pub mod user;
