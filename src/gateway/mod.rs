//! The payment gateway layer: one trait in our own words, a module per gateway (`mock`, `stripe`)
//! that speaks its wire format and maps it into these types, and a small error every gateway maps
//! into. Gateways never see our tables (the mock, standing in for Stripe's own storage, keeps its
//! own); services never see a gateway's wire types.

pub mod mock;
pub mod stripe;
pub mod throttled;
pub mod webhook;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::Currency;

pub use webhook::{GatewayEvent, WebhookError, WebhookEvent};

/// The metadata key naming the deployment that made an object at the gateway: set by the Stripe
/// backend on what it creates, read back from webhook events (`stripe::webhook::parse`).
pub const INSTALLATION_METADATA: &str = "installation";

/// What a gateway knows of a payment method: enough to show it and to check whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodDetails {
    pub id: String,
    pub kind: MethodKind,
    /// `visa`, `mastercard`…, or the bank's name.
    pub brand: String,
    pub last4: String,
    pub exp_month: Option<i32>,
    pub exp_year: Option<i32>,
    /// `credit`, `debit`, `prepaid` for cards.
    pub funding: Option<String>,
    /// The gateway customer it is attached to, if any.
    pub customer: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    Card,
    BankAccount,
}

/// The account a gateway customer is created for.
#[derive(Clone, Copy)]
pub struct CustomerRequest<'a> {
    pub account_id: i64,
    pub account_number: &'a str,
    pub name: &'a str,
}

/// A charge to make. `idempotency_key` is derived from our own payment row, so that a retry of the
/// same request can never charge twice.
#[derive(Clone, Copy)]
pub struct ChargeRequest<'a> {
    pub payment_id: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub customer: &'a str,
    pub method: &'a str,
    /// The customer is not there (Auto Pay): a card that needs authentication is declined.
    pub off_session: bool,
    pub idempotency_key: &'a str,
}

/// Where a charge stands at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        reference: String,
    },
    /// Accepted, and the money is on its way (a pre-authorized debit takes days).
    Processing {
        reference: String,
    },
    /// The customer must authenticate (3-D Secure) in the browser, with this secret.
    RequiresAction {
        reference: String,
        client_secret: String,
    },
    Declined(Decline),
    Canceled {
        reference: String,
    },
    /// The gateway may or may not have charged (a timeout, a 5xx): ask it again later, never charge
    /// again.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decline {
    /// The charge's id at the gateway, when it got that far.
    pub reference: Option<String>,
    /// Stripe's `code`, e.g. `card_declined`, `authentication_required`.
    pub code: String,
    /// Stripe's `decline_code`, e.g. `insufficient_funds`, `generic_decline`.
    pub decline_code: Option<String>,
    /// Stripe's `advice_code`, e.g. `do_not_try_again`.
    pub advice_code: Option<String>,
    pub message: String,
}

impl Decline {
    /// What a payment's `failureCode` says: the decline code, or the code when there is none or it
    /// is the uninformative `generic_decline`.
    pub fn failure_code(&self) -> &str {
        match self.decline_code.as_deref() {
            Some(code) if code != "generic_decline" => code,
            _ => &self.code,
        }
    }
}

/// How to find a charge: by the gateway's id, or by our payment id (in its metadata) when the answer
/// to its creation never arrived.
#[derive(Clone, Copy, Debug)]
pub enum ChargeLookup<'a> {
    Reference(&'a str),
    PaymentId(i64),
}

/// Why a gateway request failed. A charge never fails this way after the gateway may have acted:
/// that is `ChargeOutcome::Unknown`. The gateway's own error, when there is one, is kept as the
/// `source`, for the log.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("the payment gateway is unavailable: {reason}")]
    Unavailable {
        reason: String,
        #[source]
        cause: Option<Cause>,
    },
    #[error("the payment gateway has no such object")]
    NotFound,
    /// Too many requests (Stripe's 429): nothing was done, and the same request may be sent again
    /// later under the same idempotency key (`throttled` does).
    #[error("the payment gateway is limiting our request rate")]
    RateLimited,
    #[error("the payment gateway refused the request ({code}): {message}")]
    Refused { code: String, message: String },
    #[error("the payment gateway answered in an unexpected way: {reason}")]
    Protocol {
        reason: String,
        #[source]
        cause: Option<Cause>,
    },
}

/// What a gateway's library said went wrong.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

impl GatewayError {
    pub fn unavailable(reason: impl Into<String>) -> Self {
        Self::Unavailable { reason: reason.into(), cause: None }
    }

    pub fn protocol(reason: impl Into<String>) -> Self {
        Self::Protocol { reason: reason.into(), cause: None }
    }

    /// This error, caused by `error` (kept as its `source`).
    pub fn because(self, error: impl Into<Cause>) -> Self {
        match self {
            Self::Unavailable { reason, .. } => Self::Unavailable { reason, cause: Some(error.into()) },
            Self::Protocol { reason, .. } => Self::Protocol { reason, cause: Some(error.into()) },
            other => other,
        }
    }
}

/// A payment gateway, in plain verbs.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// `mock` or `stripe`: stored with what the gateway holds.
    fn name(&self) -> &'static str;
    /// What the browser needs to talk to the gateway itself.
    fn publishable_key(&self) -> Option<String>;
    /// Creates the account's customer (idempotent per account) and returns its id.
    async fn create_customer(&self, request: CustomerRequest<'_>) -> Result<String, GatewayError>;
    /// Starts saving a payment method for off-session use; the browser finishes it with the secret.
    async fn begin_setup(&self, customer: &str, idempotency_key: &str) -> Result<String, GatewayError>;
    async fn payment_method(&self, id: &str) -> Result<MethodDetails, GatewayError>;
    /// Attaches a method that belongs to no customer yet (what the browser created).
    async fn attach(&self, method: &str, customer: &str) -> Result<MethodDetails, GatewayError>;
    async fn detach(&self, method: &str) -> Result<(), GatewayError>;
    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError>;
    /// Where a charge stands; `None` when the gateway never made it.
    async fn retrieve_charge(&self, lookup: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError>;
    /// Cancels a charge still waiting (for the customer, or for the bank); answers where it ends up
    /// (a charge that succeeded meanwhile stays succeeded).
    async fn cancel(&self, reference: &str) -> Result<ChargeOutcome, GatewayError>;
    async fn refund(
        &self,
        reference: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<(), GatewayError>;
    /// Verifies a webhook's signature, then reads the event, each in the gateway's own scheme.
    fn parse_webhook(
        &self,
        payload: &[u8],
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError>;
}
