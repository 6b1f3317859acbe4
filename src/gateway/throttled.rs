//! Every gateway call goes through here: at most `max_in_flight` at once and at most
//! `requests_per_second` started (per process), and a request the gateway turns away for its rate
//! limit (Stripe's 429: nothing was done) is sent again, under the same idempotency key, after an
//! exponential backoff with jitter. On a common due date an Auto Pay pass has thousands of charges
//! to make; without this it would meet Stripe's limit and leave them unknown until reconciliation.
//!
//! The rate limiter is **governor**'s GCRA (well kept, lock-free, made for staying under an API's
//! limit); the default limits are Stripe's own (`Limits::stripe`).

use std::{future::Future, num::NonZeroU32, sync::Arc, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, Jitter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use super::{
    ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, GatewayError, MethodDetails, PaymentGateway,
    WebhookError, WebhookEvent,
};

/// How hard we may press a gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_in_flight: usize,
    pub requests_per_second: NonZeroU32,
    /// Times a rate-limited request is sent again before it is given up as unavailable.
    pub retries: u32,
    /// The first backoff; each retry doubles it, with up to as much again of random jitter.
    pub backoff: Duration,
}

impl Limits {
    /// Stripe's documented limits (<https://docs.stripe.com/rate-limits>): 100 requests a second in
    /// live mode, 25 in test mode (and sandboxes). A second instance sharing the key shares them:
    /// set `GATEWAY_RATE_LIMIT` to the limit divided by the instances.
    pub fn stripe(live: bool) -> Self {
        let rate = if live { 100 } else { 25 };
        Self {
            max_in_flight: 16,
            requests_per_second: NonZeroU32::new(rate).unwrap_or(NonZeroU32::MIN),
            retries: 5,
            backoff: Duration::from_millis(250),
        }
    }
}

pub struct Throttled {
    inner: Arc<dyn PaymentGateway>,
    limits: Limits,
    in_flight: Semaphore,
    rate: DefaultDirectRateLimiter,
}

impl Throttled {
    pub fn new(inner: Arc<dyn PaymentGateway>, limits: Limits) -> Self {
        Self {
            inner,
            in_flight: Semaphore::new(limits.max_in_flight.max(1)),
            rate: RateLimiter::direct(Quota::per_second(limits.requests_per_second)),
            limits,
        }
    }

    /// Sends `request` when a slot and the rate allow, again while the gateway says "too many".
    async fn send<T, F>(&self, what: &'static str, request: impl Fn() -> F) -> Result<T, GatewayError>
    where
        F: Future<Output = Result<T, GatewayError>>,
    {
        let mut retry = 0;
        loop {
            let answer = {
                // A closed semaphore is impossible (never closed); go on without a slot if it were.
                let _slot = self.in_flight.acquire().await.ok();
                // Spread a burst's waiters over a few milliseconds rather than waking them at once.
                self.rate.until_ready_with_jitter(Jitter::up_to(Duration::from_millis(5))).await;
                let timer = metrics::histogram!("gateway_request_seconds", "request" => what);
                let started = std::time::Instant::now();
                let answer = request().await;
                timer.record(started.elapsed().as_secs_f64());
                answer
            };
            match answer {
                Err(GatewayError::RateLimited) if retry < self.limits.retries => {
                    metrics::counter!("gateway_rate_limited_total", "request" => what).increment(1);
                    let wait = self.limits.backoff * 2u32.pow(retry);
                    let jitter = wait.mul_f64(rand::random::<f64>());
                    tracing::info!(
                        request = what,
                        retry,
                        wait_ms = (wait + jitter).as_millis() as u64,
                        "the gateway limited our rate; waiting"
                    );
                    tokio::time::sleep(wait + jitter).await;
                    retry += 1;
                }
                other => return other,
            }
        }
    }
}

#[async_trait]
impl PaymentGateway for Throttled {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn publishable_key(&self) -> Option<String> {
        self.inner.publishable_key()
    }

    async fn create_customer(&self, request: CustomerRequest<'_>) -> Result<String, GatewayError> {
        self.send("create_customer", || self.inner.create_customer(request)).await
    }

    async fn begin_setup(&self, customer: &str, idempotency_key: &str) -> Result<String, GatewayError> {
        self.send("begin_setup", || self.inner.begin_setup(customer, idempotency_key)).await
    }

    async fn payment_method(&self, id: &str) -> Result<MethodDetails, GatewayError> {
        self.send("payment_method", || self.inner.payment_method(id)).await
    }

    async fn attach(&self, method: &str, customer: &str) -> Result<MethodDetails, GatewayError> {
        self.send("attach", || self.inner.attach(method, customer)).await
    }

    async fn detach(&self, method: &str) -> Result<(), GatewayError> {
        self.send("detach", || self.inner.detach(method)).await
    }

    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        self.send("charge", || self.inner.charge(request)).await
    }

    async fn retrieve_charge(&self, lookup: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.send("retrieve_charge", || self.inner.retrieve_charge(lookup)).await
    }

    async fn cancel(&self, reference: &str) -> Result<ChargeOutcome, GatewayError> {
        self.send("cancel", || self.inner.cancel(reference)).await
    }

    async fn refund(
        &self,
        reference: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<(), GatewayError> {
        self.send("refund", || self.inner.refund(reference, amount_minor, idempotency_key)).await
    }

    fn parse_webhook(
        &self,
        payload: &[u8],
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError> {
        self.inner.parse_webhook(payload, signature, now)
    }
}
