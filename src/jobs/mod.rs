//! Background work that runs beside the server until it shuts down.

pub mod email_outbox;
