//! Gateway events by webhook, in our words: what a gateway's webhook said, once its signature is
//! verified and its body read (each gateway's module reads its own format: `stripe::webhook`, which
//! the mock shares as Stripe's test mode does), and the bounds every signature header is held to.

use super::Decline;

/// How far a signature's timestamp may be from now.
pub const TOLERANCE_SECONDS: i64 = 300;
/// Stripe sends one `v1` per endpoint secret (two while one is rolled); a header with more, or
/// longer than this, is not Stripe's. Each secret costs one HMAC over the body however many `v1`
/// there are, so a verification costs a few milliseconds at most.
pub const MAX_SIGNATURES: usize = 8;
pub const MAX_SIGNATURE_HEADER_BYTES: usize = 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the Stripe-Signature header is missing")]
    MissingSignature,
    #[error("no signature matches")]
    BadSignature,
    #[error(
        "the Stripe-Signature header holds more than {MAX_SIGNATURES} signatures or {MAX_SIGNATURE_HEADER_BYTES} bytes"
    )]
    OversizedSignature,
    #[error("the signature's timestamp is more than {TOLERANCE_SECONDS} s from now")]
    Stale,
    #[error("the event is not one we can read: {0}")]
    Malformed(String),
}

/// An event, verified and read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    /// The gateway's event id: each is applied once.
    pub id: String,
    /// The gateway's event type, e.g. `payment_intent.succeeded`.
    pub kind: String,
    /// The deployment that made the object, from its metadata (`INSTALLATION_METADATA`);
    /// `None` for objects we never tag and for other products' objects.
    pub installation: Option<String>,
    pub event: GatewayEvent,
}

/// What happened, in our words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayEvent {
    PaymentSucceeded {
        reference: String,
        payment_id: Option<i64>,
    },
    PaymentFailed {
        reference: String,
        payment_id: Option<i64>,
        decline: Decline,
    },
    PaymentProcessing {
        reference: String,
        payment_id: Option<i64>,
    },
    PaymentCanceled {
        reference: String,
        payment_id: Option<i64>,
    },
    /// `amount_refunded` is the total refunded so far, in minor units.
    ChargeRefunded {
        reference: String,
        amount_refunded: i64,
    },
    DisputeCreated {
        reference: String,
        dispute_id: String,
        amount_minor: i64,
        reason: String,
    },
    /// New expiry (and possibly last 4) of a card, e.g. after the bank reissued it.
    MethodUpdated {
        method: String,
        exp_month: Option<i32>,
        exp_year: Option<i32>,
        last4: Option<String>,
    },
    MethodDetached {
        method: String,
    },
    /// Acknowledged, nothing to do.
    Ignored,
}
