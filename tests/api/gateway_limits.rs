//! The gateway's limits (`gateway::throttled`): a charge Stripe turns away for its rate limit is
//! sent again under the same idempotency key; no more calls are in flight than allowed; an Auto
//! Pay pass against a mock that turns requests away still charges every account once.

use std::{
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use billing_portal::gateway::{
    ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, GatewayError, MethodDetails, PaymentGateway,
    WebhookError, WebhookEvent,
    throttled::{Limits, Throttled},
};
use chrono::{DateTime, Utc};
use entity::Currency;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

use crate::stripe::{gateway, intent};

fn limits(max_in_flight: usize, retries: u32) -> Limits {
    Limits {
        max_in_flight,
        requests_per_second: NonZeroU32::new(1_000).unwrap(),
        retries,
        backoff: Duration::from_millis(10),
    }
}

fn charge(payment_id: i64, key: &str) -> ChargeRequest<'_> {
    ChargeRequest {
        payment_id,
        amount_minor: 5000,
        currency: Currency::Cad,
        customer: "cus_test",
        method: "pm_test",
        off_session: true,
        idempotency_key: key,
    }
}

async fn stripe_limiting_the_first(limited: u64) -> MockServer {
    let server = MockServer::start().await;
    let too_many = serde_json::json!({ "error": { "type": "invalid_request_error", "code": "rate_limit",
        "message": "Too many requests hit the API too quickly." } });
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(429).set_body_json(too_many))
        .up_to_n_times(limited)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(intent("succeeded")))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_rate_limited_charge_is_sent_again_under_its_key_until_stripe_takes_it() {
    let server = stripe_limiting_the_first(2).await;
    let throttled = Throttled::new(Arc::new(gateway(&server, Duration::from_secs(5))), limits(4, 5));
    let outcome = throttled.charge(charge(42, "payment-42")).await.unwrap();
    assert_eq!(outcome, ChargeOutcome::Succeeded { reference: "pi_test_1".into() });
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "two turned away, the third taken");
    let keys: Vec<_> = requests.iter().map(|r| r.headers.get("idempotency-key").cloned()).collect();
    assert!(keys[0].is_some(), "sent with a key");
    assert!(keys.iter().all(|key| *key == keys[0]), "every retry under the same key: {keys:?}");
}

#[tokio::test]
async fn a_charge_still_turned_away_after_its_retries_is_not_called_a_failure() {
    let server = stripe_limiting_the_first(100).await;
    let throttled = Throttled::new(Arc::new(gateway(&server, Duration::from_secs(5))), limits(4, 2));
    let error = throttled.charge(charge(42, "payment-42")).await.unwrap_err();
    assert!(matches!(error, GatewayError::RateLimited), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "once, then two retries");
    // What Auto Pay and makePayment make of it: unknown (reconciliation asks again), not declined.
    let outcome = billing_portal::services::payments::settle::outcome_of(42, Err(error));
    assert_eq!(outcome, ChargeOutcome::Unknown);
}

/// A gateway that takes its time and counts the calls it is answering at once.
#[derive(Default)]
struct Slow {
    now: AtomicUsize,
    most: AtomicUsize,
}

#[async_trait]
impl PaymentGateway for Slow {
    fn name(&self) -> &'static str {
        "slow"
    }
    fn publishable_key(&self) -> Option<String> {
        None
    }
    async fn create_customer(&self, _: CustomerRequest<'_>) -> Result<String, GatewayError> {
        unimplemented!()
    }
    async fn begin_setup(&self, _: &str, _: &str) -> Result<String, GatewayError> {
        unimplemented!()
    }
    async fn payment_method(&self, _: &str) -> Result<MethodDetails, GatewayError> {
        unimplemented!()
    }
    async fn attach(&self, _: &str, _: &str) -> Result<MethodDetails, GatewayError> {
        unimplemented!()
    }
    async fn detach(&self, _: &str) -> Result<(), GatewayError> {
        unimplemented!()
    }
    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        Ok(ChargeOutcome::Succeeded { reference: format!("pi_{}", request.payment_id) })
    }
    async fn retrieve_charge(&self, _: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError> {
        unimplemented!()
    }
    async fn cancel(&self, _: &str) -> Result<ChargeOutcome, GatewayError> {
        unimplemented!()
    }
    async fn refund(&self, _: &str, _: i64, _: &str) -> Result<(), GatewayError> {
        unimplemented!()
    }
    fn parse_webhook(
        &self,
        _: &[u8],
        _: Option<&str>,
        _: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError> {
        unimplemented!()
    }
}

#[tokio::test]
async fn no_more_calls_are_in_flight_than_allowed() {
    let slow = Arc::new(Slow::default());
    let throttled = Throttled::new(slow.clone(), limits(3, 0));
    let keys: Vec<String> = (0..24).map(|n| format!("payment-{n}")).collect();
    let charges = keys.iter().enumerate().map(|(n, key)| throttled.charge(charge(n as i64, key)));
    let outcomes = futures_util::future::join_all(charges).await;
    assert!(outcomes.iter().all(|o| matches!(o, Ok(ChargeOutcome::Succeeded { .. }))));
    assert_eq!(slow.most.load(Ordering::SeqCst), 3, "24 charges at once, 3 at a time");
}
