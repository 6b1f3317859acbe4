//! A gateway that behaves like Stripe's test mode for the test payment method ids of the contract,
//! plus `pm_mock_pad` (a pre-authorized debit: stays processing until a webhook settles it) and
//! `pm_mock_timeout` (the charge succeeds, but its answer never arrives). Like Stripe's test mode it
//! is one shared, durable service: what it makes is kept in its own tables (`store`), so every
//! process and instance on the database sees the same charges, across restarts. Deterministic, with
//! an optional latency on every call; its webhooks use Stripe's scheme under `MOCK_WEBHOOK_SECRET`.
//! Refused in production (see `config`).

mod store;
mod test_methods;

use std::{num::NonZeroU32, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::secret::Secret;

use self::{
    store::{NewCharge, Store},
    test_methods::{Behaviour, attached_parts, test_method},
};
use super::{
    ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, Decline, GatewayError, MethodDetails,
    PaymentGateway, WebhookError, WebhookEvent,
};

pub struct MockGateway {
    latency: Duration,
    webhook_secret: Secret,
    store: Store,
    /// Requests a second this process's mock takes before it answers "too many" (Stripe's 429).
    rate_limit: Option<DefaultDirectRateLimiter>,
}

impl MockGateway {
    /// `db` holds the mock's own tables; it never reads ours.
    pub fn new(db: DatabaseConnection, latency: Duration, webhook_secret: Secret) -> Self {
        Self { latency, webhook_secret, store: Store::new(db), rate_limit: None }
    }

    /// Turns requests past `per_second` away, as Stripe's test mode does past its limit.
    pub fn with_rate_limit(mut self, per_second: NonZeroU32) -> Self {
        self.rate_limit = Some(RateLimiter::direct(Quota::per_second(per_second)));
        self
    }

    /// Every call: the rate limit, then the latency.
    async fn call(&self) -> Result<(), GatewayError> {
        if self.rate_limit.as_ref().is_some_and(|limit| limit.check().is_err()) {
            return Err(GatewayError::RateLimited);
        }
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        Ok(())
    }

    /// The behaviour of a method id: a test id used directly, or a method attached from one.
    async fn behaviour(&self, method: &str) -> Result<Option<Behaviour>, GatewayError> {
        if self.store.is_detached(method).await.map_err(unavailable)? {
            return Ok(None);
        }
        let (template, _) = attached_parts(method).unwrap_or((method, None));
        Ok(test_method(template).map(|(_, _, behaviour)| behaviour))
    }
}

/// A gateway event as the gateway sends it: the body and its `Stripe-Signature`.
pub struct SignedEvent {
    pub payload: Vec<u8>,
    pub signature: String,
}

/// The customer's answer to a 3-D Secure challenge, as Stripe's test mode takes it on its
/// challenge page ("Complete" or "Fail"): the waiting charge succeeds or fails, and the event
/// Stripe would then send (`payment_intent.succeeded` or `payment_intent.payment_failed`), signed
/// with the mock's webhook secret. `None`: no charge waits for that client secret.
pub async fn answer_challenge(
    db: &DatabaseConnection,
    webhook_secret: &Secret,
    installation: &str,
    client_secret: &str,
    approve: bool,
) -> Result<Option<SignedEvent>, DbErr> {
    let Some(charge) = Store::new(db.clone()).answer_challenge(client_secret, approve).await? else {
        return Ok(None);
    };
    let mut intent = serde_json::json!({
        "id": charge.reference,
        "object": "payment_intent",
        "amount": charge.amount_minor,
        "status": if approve { "succeeded" } else { "requires_payment_method" },
        "metadata": { "payment_id": charge.payment_id.to_string(), super::INSTALLATION_METADATA: installation },
    });
    if !approve {
        intent["last_payment_error"] = serde_json::json!({
            "code": charge.decline_code,
            "message": charge.decline_message,
        });
    }
    let kind = if approve { "payment_intent.succeeded" } else { "payment_intent.payment_failed" };
    let now = Utc::now().timestamp();
    let event = serde_json::json!({
        "id": new_id("evt"),
        "object": "event",
        "created": now,
        "livemode": false,
        "type": kind,
        "data": { "object": intent },
    });
    let payload = event.to_string().into_bytes();
    let signature = crate::gateway::stripe::webhook::signature_header(&payload, webhook_secret, now);
    Ok(Some(SignedEvent { payload, signature }))
}

/// A new id: random letters, so that ids never repeat across processes and restarts.
fn new_id(prefix: &str) -> String {
    format!("{prefix}_mock_{}", random_letters())
}

/// Sixteen random letters. Letters only: a run of digits would look like a card number.
fn random_letters() -> String {
    (0..16).map(|_| char::from(b'a' + rand::random_range(0..26u8))).collect()
}

/// The mock's storage failing is the gateway being unavailable: nothing was done.
fn unavailable(error: DbErr) -> GatewayError {
    GatewayError::unavailable("the mock gateway's storage failed").because(error)
}

/// What a charge with this behaviour makes at the gateway (never `Unknown`: the mock always knows
/// what it did), and whether its answer is lost on the way back.
fn charge_made(behaviour: Behaviour, off_session: bool, reference: String) -> (ChargeOutcome, bool) {
    let declined = |code: &str, decline_code: &str, message: &str| {
        ChargeOutcome::Declined(Decline {
            reference: Some(reference.clone()),
            code: code.into(),
            decline_code: Some(decline_code.into()),
            advice_code: None,
            message: message.into(),
        })
    };
    match behaviour {
        Behaviour::Succeeds => (ChargeOutcome::Succeeded { reference }, false),
        Behaviour::Declines { decline_code, message } => {
            (declined("card_declined", decline_code, message), false)
        }
        Behaviour::NeedsAuthentication if off_session => (
            declined(
                "authentication_required",
                "authentication_required",
                "Your card was declined. This transaction requires authentication.",
            ),
            false,
        ),
        Behaviour::NeedsAuthentication => {
            let client_secret = format!("{reference}_secret_mock");
            (ChargeOutcome::RequiresAction { reference, client_secret }, false)
        }
        Behaviour::Settles => (ChargeOutcome::Processing { reference }, false),
        // The money moves; the answer is lost on the way back.
        Behaviour::TimesOut => (ChargeOutcome::Succeeded { reference }, true),
    }
}

#[async_trait]
impl PaymentGateway for MockGateway {
    fn name(&self) -> &'static str {
        "mock"
    }

    fn publishable_key(&self) -> Option<String> {
        Some("pk_mock".into())
    }

    #[tracing::instrument(name = "gateway.create_customer", skip_all, fields(gateway = "mock", account_id = request.account_id))]
    async fn create_customer(&self, request: CustomerRequest<'_>) -> Result<String, GatewayError> {
        self.call().await?;
        Ok(format!("cus_mock_{}", request.account_id))
    }

    #[tracing::instrument(name = "gateway.begin_setup", skip_all, fields(gateway = "mock"))]
    async fn begin_setup(&self, _customer: &str, _idempotency_key: &str) -> Result<String, GatewayError> {
        self.call().await?;
        Ok(format!("{}_secret_mock", new_id("seti")))
    }

    #[tracing::instrument(name = "gateway.payment_method", skip_all, fields(gateway = "mock", method = id))]
    async fn payment_method(&self, id: &str) -> Result<MethodDetails, GatewayError> {
        self.call().await?;
        if self.store.is_detached(id).await.map_err(unavailable)? {
            return Err(GatewayError::NotFound);
        }
        let (template, customer) = attached_parts(id).unwrap_or((id, None));
        let (mut details, _, _) = test_method(template).ok_or(GatewayError::NotFound)?;
        details.id = id.to_string();
        details.customer = customer.map(str::to_string);
        Ok(details)
    }

    #[tracing::instrument(name = "gateway.attach", skip_all, fields(gateway = "mock", method, customer))]
    async fn attach(&self, method: &str, customer: &str) -> Result<MethodDetails, GatewayError> {
        self.call().await?;
        if attached_parts(method).is_some() {
            return Err(GatewayError::Refused {
                code: "payment_method_already_attached".into(),
                message: "This PaymentMethod is already attached to a customer.".into(),
            });
        }
        let (mut details, template, _) = test_method(method).ok_or(GatewayError::NotFound)?;
        // As Stripe does with its test ids: attaching makes a new method of the customer's, whose id
        // says which test method and customer it is (so it needs no row).
        details.id = format!("{template}__{customer}__{}", random_letters());
        details.customer = Some(customer.to_string());
        Ok(details)
    }

    #[tracing::instrument(name = "gateway.detach", skip_all, fields(gateway = "mock", method))]
    async fn detach(&self, method: &str) -> Result<(), GatewayError> {
        self.call().await?;
        if attached_parts(method).is_none() || !self.store.detach(method).await.map_err(unavailable)? {
            return Err(GatewayError::NotFound);
        }
        Ok(())
    }

    #[tracing::instrument(name = "gateway.charge", skip_all, fields(gateway = "mock", payment_id = request.payment_id, off_session = request.off_session))]
    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        self.call().await?;
        // As Stripe replays a key's first answer, whatever happened since.
        if let Some(made) = self.store.charge_by_key(request.idempotency_key).await.map_err(unavailable)? {
            return Ok(made.outcome());
        }
        let behaviour = self.behaviour(request.method).await?.ok_or_else(|| GatewayError::Refused {
            code: "resource_missing".into(),
            message: format!("No such PaymentMethod: '{}'", request.method),
        })?;
        let (made, answer_lost) = charge_made(behaviour, request.off_session, new_id("pi"));
        let stored = self
            .store
            .insert_charge(NewCharge {
                idempotency_key: request.idempotency_key,
                payment_id: request.payment_id,
                amount_minor: request.amount_minor,
                outcome: &made,
            })
            .await;
        match stored {
            Ok(_) if answer_lost => Ok(ChargeOutcome::Unknown),
            // Another request with this key may have got there first: its charge is the answer.
            Ok(charge) => Ok(charge.outcome()),
            // The charge may or may not be stored: ask again later, as after a timeout at Stripe.
            Err(error) => {
                tracing::warn!(%error, "the mock gateway could not store a charge");
                Ok(ChargeOutcome::Unknown)
            }
        }
    }

    #[tracing::instrument(name = "gateway.retrieve_charge", skip_all, fields(gateway = "mock", ?lookup))]
    async fn retrieve_charge(&self, lookup: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.call().await?;
        let found = match lookup {
            ChargeLookup::Reference(reference) => self.store.charge(reference).await,
            ChargeLookup::PaymentId(id) => self.store.charge_of_payment(id).await,
        };
        Ok(found.map_err(unavailable)?.map(|charge| charge.outcome()))
    }

    #[tracing::instrument(name = "gateway.cancel", skip_all, fields(gateway = "mock", reference))]
    async fn cancel(&self, reference: &str) -> Result<ChargeOutcome, GatewayError> {
        self.call().await?;
        let charge = self.store.cancel(reference).await.map_err(unavailable)?;
        Ok(charge.ok_or(GatewayError::NotFound)?.outcome())
    }

    #[tracing::instrument(
        name = "gateway.refund",
        skip_all,
        fields(gateway = "mock", reference, amount_minor)
    )]
    async fn refund(
        &self,
        reference: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<(), GatewayError> {
        self.call().await?;
        let charge =
            self.store.charge(reference).await.map_err(unavailable)?.ok_or(GatewayError::NotFound)?;
        if !matches!(charge.outcome(), ChargeOutcome::Succeeded { .. }) {
            return Err(GatewayError::Refused {
                code: "charge_not_refundable".into(),
                message: format!("PaymentIntent {reference} has no successful charge to refund."),
            });
        }
        self.store.refund(reference, amount_minor, idempotency_key).await.map_err(unavailable)
    }

    /// Stripe's scheme and format, as Stripe's test mode sends them, under `MOCK_WEBHOOK_SECRET`.
    fn parse_webhook(
        &self,
        payload: &[u8],
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError> {
        super::stripe::webhook::verified_event(
            payload,
            signature,
            std::slice::from_ref(&self.webhook_secret),
            now,
        )
    }
}
