//! Pure types and rules, free of I/O.

pub mod address;
pub mod auto_pay;
pub mod card;
pub mod csv_cell;
pub mod email_address;
pub mod idempotency;
pub mod locale;
pub mod money;
pub mod opaque;
pub mod origin;
pub mod password_policy;
pub mod secret;
pub mod settlement;
pub mod tax;
pub mod time;
