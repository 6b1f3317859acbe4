//! Outgoing email. Every message goes through the `email_outbox` table (`Outbox::enqueue`, in the
//! same transaction as what caused it) and is delivered by a background sender with retries
//! (`jobs::email_outbox`), over SMTP when `SMTP_URL` is set, otherwise as `.eml` files.

pub mod outbox;
pub mod transport;

pub use outbox::{Delivery, Outbox, Sender};
pub use transport::{SendError, Transport};

/// A message ready to queue: plain-text and HTML parts of the same content.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
