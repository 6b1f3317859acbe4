//! An in-process gateway that behaves like Stripe's test mode for the test payment method ids of the
//! contract, plus `pm_mock_pad` (a pre-authorized debit: stays processing until a webhook settles
//! it) and `pm_mock_timeout` (the charge succeeds, but its answer never arrives). Deterministic, with
//! an optional latency on every call; its webhooks use Stripe's scheme under `MOCK_WEBHOOK_SECRET`.
//! Refused in production (see `config`).

use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
    time::Duration,
};

use async_trait::async_trait;

use crate::domain::secret::Secret;

use super::{
    ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, Decline, GatewayError, MethodDetails,
    MethodKind, PaymentGateway,
};

pub struct MockGateway {
    latency: Duration,
    webhook_secret: Secret,
    state: Mutex<State>,
}

/// Customers and attached methods are encoded in their ids (`cus_mock_{account}`,
/// `{test method}__{customer}__{random}`), so that they survive a restart of the process, as the
/// demo data needs; charges are remembered in memory only.
#[derive(Default)]
struct State {
    next_id: u64,
    /// Methods detached since the process started.
    detached: HashSet<String>,
    intents: HashMap<String, Intent>,
    /// What each idempotency key answered, as Stripe replays it.
    answers: HashMap<String, ChargeOutcome>,
}

struct Intent {
    payment_id: i64,
    status: ChargeOutcome,
    refunded_minor: i64,
}

/// What a test payment method does when charged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    Succeeds,
    Declines { decline_code: &'static str, message: &'static str },
    NeedsAuthentication,
    Settles,
    TimesOut,
}

/// The test methods: id, kind, brand, last 4, and behaviour.
const TEST_METHODS: &[(&str, MethodKind, &str, &str, Behaviour)] = &[
    ("pm_card_visa", MethodKind::Card, "visa", "4242", Behaviour::Succeeds),
    ("pm_card_mastercard", MethodKind::Card, "mastercard", "4444", Behaviour::Succeeds),
    (
        "pm_card_chargeDeclined",
        MethodKind::Card,
        "visa",
        "0002",
        Behaviour::Declines { decline_code: "generic_decline", message: "Your card was declined." },
    ),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        MethodKind::Card,
        "visa",
        "9995",
        Behaviour::Declines {
            decline_code: "insufficient_funds",
            message: "Your card has insufficient funds.",
        },
    ),
    (
        "pm_card_chargeDeclinedStolenCard",
        MethodKind::Card,
        "visa",
        "9979",
        Behaviour::Declines { decline_code: "stolen_card", message: "Your card was declined." },
    ),
    (
        "pm_card_chargeDeclinedLostCard",
        MethodKind::Card,
        "visa",
        "9987",
        Behaviour::Declines { decline_code: "lost_card", message: "Your card was declined." },
    ),
    ("pm_card_authenticationRequired", MethodKind::Card, "visa", "3184", Behaviour::NeedsAuthentication),
    ("pm_mock_pad", MethodKind::BankAccount, "Royal Bank of Canada", "6789", Behaviour::Settles),
    ("pm_mock_timeout", MethodKind::Card, "visa", "0077", Behaviour::TimesOut),
];

/// Test cards expire far enough ahead (Stripe's test cards take any future date).
const TEST_CARD_EXPIRY: (i32, i32) = (12, 2034);

fn test_method(id: &str) -> Option<(MethodDetails, &'static str, Behaviour)> {
    let (template, kind, brand, last4, behaviour) = TEST_METHODS.iter().find(|m| m.0 == id)?;
    let card = *kind == MethodKind::Card;
    let details = MethodDetails {
        id: id.to_string(),
        kind: *kind,
        brand: brand.to_string(),
        last4: last4.to_string(),
        exp_month: card.then_some(TEST_CARD_EXPIRY.0),
        exp_year: card.then_some(TEST_CARD_EXPIRY.1),
        funding: card.then(|| "credit".to_string()),
        customer: None,
    };
    Some((details, template, *behaviour))
}

impl MockGateway {
    pub fn new(latency: Duration, webhook_secret: Secret) -> Self {
        Self { latency, webhook_secret, state: Mutex::new(State::default()) }
    }

    async fn call(&self) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    /// A new id: a counter (readable in tests) and random letters, so that ids never repeat across
    /// restarts of the process while the database remembers the old ones.
    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        let salt: String = (0..8).map(|_| char::from(b'a' + rand::random_range(0..26u8))).collect();
        format!("{prefix}_mock_{:06}{salt}", self.next_id)
    }

    /// The behaviour of a method id: a test id used directly, or a method attached from one.
    fn behaviour(&self, method: &str) -> Option<Behaviour> {
        if self.detached.contains(method) {
            return None;
        }
        let (template, _) = attached_parts(method).unwrap_or((method, None));
        test_method(template).map(|(_, _, behaviour)| behaviour)
    }
}

/// The test method and customer of an attached method's id.
fn attached_parts(id: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = id.split("__");
    let (template, customer, _) = (parts.next()?, parts.next()?, parts.next()?);
    Some((template, Some(customer)))
}

#[async_trait]
impl PaymentGateway for MockGateway {
    fn name(&self) -> &'static str {
        "mock"
    }

    fn publishable_key(&self) -> Option<String> {
        Some("pk_mock".into())
    }

    async fn create_customer(&self, request: CustomerRequest<'_>) -> Result<String, GatewayError> {
        self.call().await;
        Ok(format!("cus_mock_{}", request.account_id))
    }

    async fn begin_setup(&self, customer: &str, _idempotency_key: &str) -> Result<String, GatewayError> {
        self.call().await;
        let id = self.state().id("seti");
        Ok(format!("{id}_secret_{}", customer.len()))
    }

    async fn payment_method(&self, id: &str) -> Result<MethodDetails, GatewayError> {
        self.call().await;
        if self.state().detached.contains(id) {
            return Err(GatewayError::NotFound);
        }
        let (template, customer) = attached_parts(id).unwrap_or((id, None));
        let (mut details, _, _) = test_method(template).ok_or(GatewayError::NotFound)?;
        details.id = id.to_string();
        details.customer = customer.map(str::to_string);
        Ok(details)
    }

    async fn attach(&self, method: &str, customer: &str) -> Result<MethodDetails, GatewayError> {
        self.call().await;
        if attached_parts(method).is_some() {
            return Err(GatewayError::Refused {
                code: "payment_method_already_attached".into(),
                message: "This PaymentMethod is already attached to a customer.".into(),
            });
        }
        let (mut details, template, _) = test_method(method).ok_or(GatewayError::NotFound)?;
        // As Stripe does with its test ids: attaching makes a new method of the customer's.
        // Letters only: a run of digits would look like a card number.
        let suffix: String = (0..16).map(|_| char::from(b'a' + rand::random_range(0..26u8))).collect();
        details.id = format!("{template}__{customer}__{suffix}");
        details.customer = Some(customer.to_string());
        Ok(details)
    }

    async fn detach(&self, method: &str) -> Result<(), GatewayError> {
        self.call().await;
        if attached_parts(method).is_none() || !self.state().detached.insert(method.to_string()) {
            return Err(GatewayError::NotFound);
        }
        Ok(())
    }

    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        self.call().await;
        let mut state = self.state();
        if let Some(answer) = state.answers.get(request.idempotency_key) {
            return Ok(answer.clone());
        }
        let behaviour = state.behaviour(request.method).ok_or_else(|| GatewayError::Refused {
            code: "resource_missing".into(),
            message: format!("No such PaymentMethod: '{}'", request.method),
        })?;
        let reference = state.id("pi");
        let (status, answer) = match behaviour {
            Behaviour::Succeeds => {
                let outcome = ChargeOutcome::Succeeded { reference: reference.clone() };
                (outcome.clone(), outcome)
            }
            Behaviour::Declines { decline_code, message } => {
                let outcome = ChargeOutcome::Declined(Decline {
                    reference: Some(reference.clone()),
                    code: "card_declined".into(),
                    decline_code: Some(decline_code.into()),
                    advice_code: None,
                    message: message.into(),
                });
                (outcome.clone(), outcome)
            }
            Behaviour::NeedsAuthentication if request.off_session => {
                let outcome = ChargeOutcome::Declined(Decline {
                    reference: Some(reference.clone()),
                    code: "authentication_required".into(),
                    decline_code: Some("authentication_required".into()),
                    advice_code: None,
                    message: "Your card was declined. This transaction requires authentication.".into(),
                });
                (outcome.clone(), outcome)
            }
            Behaviour::NeedsAuthentication => {
                let client_secret = format!("{reference}_secret_mock");
                let outcome = ChargeOutcome::RequiresAction { reference: reference.clone(), client_secret };
                (outcome.clone(), outcome)
            }
            Behaviour::Settles => {
                let outcome = ChargeOutcome::Processing { reference: reference.clone() };
                (outcome.clone(), outcome)
            }
            // The money moves; the answer is lost on the way back.
            Behaviour::TimesOut => {
                (ChargeOutcome::Succeeded { reference: reference.clone() }, ChargeOutcome::Unknown)
            }
        };
        state.intents.insert(reference, Intent { payment_id: request.payment_id, status, refunded_minor: 0 });
        if answer != ChargeOutcome::Unknown {
            state.answers.insert(request.idempotency_key.to_string(), answer.clone());
        }
        Ok(answer)
    }

    async fn retrieve_charge(&self, lookup: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError> {
        self.call().await;
        let state = self.state();
        Ok(match lookup {
            ChargeLookup::Reference(reference) => state.intents.get(reference).map(|i| i.status.clone()),
            ChargeLookup::PaymentId(id) => {
                state.intents.values().find(|intent| intent.payment_id == id).map(|i| i.status.clone())
            }
        })
    }

    async fn cancel(&self, reference: &str) -> Result<ChargeOutcome, GatewayError> {
        self.call().await;
        let mut state = self.state();
        let intent = state.intents.get_mut(reference).ok_or(GatewayError::NotFound)?;
        if matches!(intent.status, ChargeOutcome::RequiresAction { .. } | ChargeOutcome::Processing { .. }) {
            intent.status = ChargeOutcome::Canceled { reference: reference.to_string() };
        }
        Ok(intent.status.clone())
    }

    async fn refund(
        &self,
        reference: &str,
        amount_minor: i64,
        _idempotency_key: &str,
    ) -> Result<(), GatewayError> {
        self.call().await;
        let mut state = self.state();
        let intent = state.intents.get_mut(reference).ok_or(GatewayError::NotFound)?;
        intent.refunded_minor += amount_minor;
        Ok(())
    }

    fn webhook_secrets(&self) -> &[Secret] {
        std::slice::from_ref(&self.webhook_secret)
    }
}
