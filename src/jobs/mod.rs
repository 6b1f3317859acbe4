//! Background work that runs beside the server until it shuts down. Jobs call the same services a
//! resolver does.

pub mod auto_pay;
pub mod email_outbox;
pub mod janitor;
pub mod reconciliation;
