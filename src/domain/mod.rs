//! Pure types and rules, free of I/O.

pub mod email_address;
pub mod password_policy;
