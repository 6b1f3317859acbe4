//! The Stripe gateway against a local double of Stripe's API (wiremock), answering with Stripe's
//! published example objects (`tests/fixtures/stripe.json`, a copy of the contract's).

use std::{collections::HashMap, time::Duration};

use billing_portal::{
    domain::secret::Secret,
    gateway::{
        ChargeLookup, ChargeOutcome, ChargeRequest, GatewayError, MethodKind, PaymentGateway,
        stripe::{StripeGateway, StripeSettings},
    },
};
use entity::Currency;
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path, query_param},
};

pub(crate) fn fixture(name: &str) -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stripe.json")).unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    all["resources"][name].clone()
}

#[test]
fn the_fixtures_are_the_contract_s_when_it_is_at_hand() {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/stripe/fixtures.json");
    if let Ok(theirs) = std::fs::read_to_string(shared) {
        let ours =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stripe.json"))
                .unwrap();
        assert_eq!(ours, theirs, "tests/fixtures/stripe.json is stale: copy ../shared/stripe/fixtures.json");
    }
}

/// Stripe's example PaymentIntent, as ours: CAD, our metadata, no placeholder error.
pub(crate) fn intent(status: &str) -> Value {
    let mut intent = fixture("payment_intent");
    for field in ["last_payment_error", "next_action", "processing", "canceled_at"] {
        intent[field] = Value::Null;
    }
    intent["id"] = json!("pi_test_1");
    intent["currency"] = json!("cad");
    intent["amount"] = json!(5000);
    intent["customer"] = json!("cus_test");
    intent["payment_method"] = json!("pm_test");
    intent["metadata"] = json!({ "payment_id": "42" });
    intent["status"] = json!(status);
    intent
}

/// A card error as Stripe sends it with a 402, with the PaymentIntent it carries.
pub(crate) fn card_error(code: &str, decline_code: Option<&str>, advice_code: Option<&str>) -> Value {
    let mut carried = intent("requires_payment_method");
    carried["id"] = json!("pi_declined");
    json!({ "error": {
        "type": "card_error",
        "code": code,
        "decline_code": decline_code,
        "advice_code": advice_code,
        "message": "Your card was declined.",
        "payment_intent": carried,
    }})
}

pub(crate) fn gateway(server: &MockServer, timeout: Duration) -> StripeGateway {
    StripeGateway::new(StripeSettings {
        secret_key: Secret("sk_test_double".into()),
        publishable_key: Some("pk_test_double".into()),
        webhook_secrets: vec![Secret("whsec_old".into()), Secret("whsec_new".into())],
        api_base: Some(server.uri()),
        timeout,
        installation: INSTALLATION.into(),
    })
    .unwrap()
}

/// The test deployment's id at Stripe.
const INSTALLATION: &str = "inst0test";

fn charge(off_session: bool) -> ChargeRequest<'static> {
    ChargeRequest {
        payment_id: 42,
        amount_minor: 5000,
        currency: Currency::Cad,
        customer: "cus_test",
        method: "pm_test",
        off_session,
        idempotency_key: "payment-42",
    }
}

async fn answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// A form body's fields, decoded.
fn form(body: &[u8]) -> HashMap<String, String> {
    let decode = |text: &str| {
        let bytes = text.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    };
    std::str::from_utf8(body)
        .unwrap()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

#[tokio::test]
async fn a_charge_sends_our_fields_under_our_idempotency_key() {
    let server = answering(200, intent("succeeded")).await;
    let outcome = gateway(&server, Duration::from_secs(5)).charge(charge(true)).await.unwrap();
    assert_eq!(outcome, ChargeOutcome::Succeeded { reference: "pi_test_1".into() });

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one attempt");
    let sent = &requests[0];
    // In this deployment's namespace: another database's payment 42 is another key.
    assert_eq!(sent.headers["idempotency-key"], "inst0test-payment-42");
    assert_eq!(sent.headers["authorization"], "Bearer sk_test_double");
    let fields = form(&sent.body);
    for (field, value) in [
        ("amount", "5000"),
        ("currency", "cad"),
        ("customer", "cus_test"),
        ("payment_method", "pm_test"),
        ("confirm", "true"),
        ("off_session", "true"),
        ("metadata[payment_id]", "42"),
        ("metadata[installation]", INSTALLATION),
        ("allowed_payment_method_types[0]", "card"),
    ] {
        assert_eq!(fields.get(field).map(String::as_str), Some(value), "{field} in {fields:?}");
    }
    assert!(!fields.contains_key("return_url"), "server-side confirmation needs no return URL");

    let on_session = answering(200, intent("succeeded")).await;
    gateway(&on_session, Duration::from_secs(5)).charge(charge(false)).await.unwrap();
    let fields = form(&on_session.received_requests().await.unwrap()[0].body);
    assert!(!fields.contains_key("off_session"), "{fields:?}");
}

#[tokio::test]
async fn each_payment_intent_status_is_an_outcome() {
    let mut action = intent("requires_action");
    action["client_secret"] = json!("pi_test_1_secret_abc");
    let mut failed = intent("requires_payment_method");
    failed["last_payment_error"] = json!({ "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds", "message": "No funds." });
    let cases = [
        (intent("succeeded"), "Succeeded"),
        (intent("processing"), "Processing"),
        (action, "RequiresAction"),
        (intent("canceled"), "Canceled"),
        (failed, "Declined"),
    ];
    for (body, expected) in cases {
        let server = answering(200, body).await;
        let outcome = gateway(&server, Duration::from_secs(5)).charge(charge(false)).await.unwrap();
        let found = match &outcome {
            ChargeOutcome::Succeeded { reference }
            | ChargeOutcome::Processing { reference }
            | ChargeOutcome::Canceled { reference } => {
                assert_eq!(reference, "pi_test_1");
                format!("{outcome:?}").split(' ').next().unwrap().to_string()
            }
            ChargeOutcome::RequiresAction { client_secret, .. } => {
                assert_eq!(client_secret, "pi_test_1_secret_abc");
                "RequiresAction".into()
            }
            ChargeOutcome::Declined(decline) => {
                assert_eq!(decline.failure_code(), "insufficient_funds");
                assert_eq!(decline.reference.as_deref(), Some("pi_test_1"));
                "Declined".into()
            }
            ChargeOutcome::Unknown => "Unknown".into(),
        };
        assert_eq!(found, expected);
    }
}

#[tokio::test]
async fn a_card_error_is_a_decline_that_keeps_its_codes_and_payment_intent() {
    for (code, decline_code, advice, failure_code) in [
        ("card_declined", Some("generic_decline"), None, "card_declined"),
        ("card_declined", Some("insufficient_funds"), Some("try_again_later"), "insufficient_funds"),
        ("card_declined", Some("stolen_card"), Some("do_not_try_again"), "stolen_card"),
        ("authentication_required", Some("authentication_required"), None, "authentication_required"),
        ("expired_card", None, None, "expired_card"),
    ] {
        let server = answering(402, card_error(code, decline_code, advice)).await;
        let outcome = gateway(&server, Duration::from_secs(5)).charge(charge(true)).await.unwrap();
        let ChargeOutcome::Declined(decline) = outcome else { panic!("{code}: {outcome:?}") };
        assert_eq!(decline.failure_code(), failure_code);
        assert_eq!(decline.code, code);
        assert_eq!(decline.advice_code.as_deref(), advice);
        assert_eq!(decline.reference.as_deref(), Some("pi_declined"), "the PaymentIntent it carries");
    }
}

#[tokio::test]
async fn anything_after_which_stripe_may_have_charged_is_unknown() {
    let busy = json!({ "error": { "type": "idempotency_error", "code": "idempotency_key_in_use", "message": "In use." } });
    let broken = json!({ "error": { "type": "api_error", "message": "Something went wrong." } });
    for (status, body) in [(409, busy), (500, broken.clone()), (503, broken.clone())] {
        let server = answering(status, body).await;
        let outcome = gateway(&server, Duration::from_secs(5)).charge(charge(true)).await.unwrap();
        assert_eq!(outcome, ChargeOutcome::Unknown, "HTTP {status}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "never retried without us");
    }
    // Too many requests: Stripe did nothing, and says so; `Throttled` sends it again (gateway_limits).
    let server = answering(429, broken).await;
    let error = gateway(&server, Duration::from_secs(5)).charge(charge(true)).await.unwrap_err();
    assert!(matches!(error, GatewayError::RateLimited), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never retried without us");

    // The answer comes too late.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(intent("succeeded")).set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let outcome = gateway(&server, Duration::from_millis(300)).charge(charge(true)).await.unwrap();
    assert_eq!(outcome, ChargeOutcome::Unknown, "a timeout");

    // A plain refusal is not a charge: it is an error, which makePayment records as failed.
    let invalid = json!({ "error": { "type": "invalid_request_error", "code": "parameter_invalid_integer", "message": "Bad amount." } });
    let server = answering(400, invalid).await;
    let error = gateway(&server, Duration::from_secs(5)).charge(charge(true)).await.unwrap_err();
    assert!(
        matches!(error, GatewayError::Refused { ref code, .. } if code == "parameter_invalid_integer"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_charge_is_found_by_its_reference_or_by_our_payment_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/pi_test_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(intent("processing")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/search"))
        .and(query_param("query", "metadata['payment_id']:'42' AND metadata['installation']:'inst0test'"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "search_result", "url": "/v1/payment_intents/search", "has_more": false,
            "data": [intent("succeeded")],
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/search"))
        .and(query_param("query", "metadata['payment_id']:'43' AND metadata['installation']:'inst0test'"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "search_result", "url": "/v1/payment_intents/search", "has_more": false, "data": [],
        })))
        .mount(&server)
        .await;
    let stripe = gateway(&server, Duration::from_secs(5));
    assert_eq!(
        stripe.retrieve_charge(ChargeLookup::Reference("pi_test_1")).await.unwrap(),
        Some(ChargeOutcome::Processing { reference: "pi_test_1".into() })
    );
    assert_eq!(
        stripe.retrieve_charge(ChargeLookup::PaymentId(42)).await.unwrap(),
        Some(ChargeOutcome::Succeeded { reference: "pi_test_1".into() })
    );
    assert_eq!(stripe.retrieve_charge(ChargeLookup::PaymentId(43)).await.unwrap(), None, "never made");
}

#[tokio::test]
async fn a_payment_method_says_what_it_is_and_whose() {
    let server = MockServer::start().await;
    let mut card = fixture("payment_method");
    card["customer"] = json!("cus_test");
    let card_id = card["id"].as_str().unwrap().to_string();
    Mock::given(method("GET"))
        .and(path(format!("/v1/payment_methods/{card_id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(card.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_methods/pm_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "error": {
            "type": "invalid_request_error", "code": "resource_missing", "message": "No such PaymentMethod" } })))
        .mount(&server)
        .await;
    let stripe = gateway(&server, Duration::from_secs(5));
    let details = stripe.payment_method(&card_id).await.unwrap();
    assert_eq!(details.kind, MethodKind::Card);
    assert_eq!(
        (details.brand.as_str(), details.last4.as_str()),
        (card["card"]["brand"].as_str().unwrap(), card["card"]["last4"].as_str().unwrap())
    );
    assert_eq!(details.exp_year, card["card"]["exp_year"].as_i64().map(|y| y as i32));
    assert_eq!(details.customer.as_deref(), Some("cus_test"));
    assert!(matches!(stripe.payment_method("pm_missing").await, Err(GatewayError::NotFound)));
}

#[tokio::test]
async fn customers_and_setups_are_created_once_per_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("customer")))
        .mount(&server)
        .await;
    let mut setup = fixture("setup_intent");
    setup["last_setup_error"] = Value::Null;
    setup["next_action"] = Value::Null;
    Mock::given(method("POST"))
        .and(path("/v1/setup_intents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(setup.clone()))
        .mount(&server)
        .await;
    let stripe = gateway(&server, Duration::from_secs(5));
    let request =
        billing_portal::gateway::CustomerRequest { account_id: 7, account_number: "1001", name: "Maple" };
    let customer = stripe.create_customer(request).await.unwrap();
    assert_eq!(customer, fixture("customer")["id"].as_str().unwrap());
    let secret = stripe.begin_setup(&customer, "setup-7-x").await.unwrap();
    assert_eq!(secret, setup["client_secret"].as_str().unwrap());

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["idempotency-key"], "inst0test-customer-7");
    assert_eq!(form(&requests[0].body).get("metadata[account_number]").map(String::as_str), Some("1001"));
    assert_eq!(form(&requests[0].body).get("metadata[installation]").map(String::as_str), Some(INSTALLATION));
    let fields = form(&requests[1].body);
    assert_eq!(requests[1].headers["idempotency-key"], "inst0test-setup-7-x");
    assert_eq!((fields["customer"].as_str(), fields["usage"].as_str()), (customer.as_str(), "off_session"));
}

#[test]
fn a_webhook_signed_with_either_secret_is_taken_while_one_is_rotated() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let stripe = runtime.block_on(async { gateway(&server, Duration::from_secs(5)) });
    let mut event = fixture("event");
    event["type"] = json!("payment_intent.succeeded");
    event["data"] = json!({ "object": intent("succeeded") });
    let body = event.to_string();
    let now = chrono::Utc::now();
    for secret in ["whsec_old", "whsec_new"] {
        let header = billing_portal::gateway::stripe::webhook::signature_header(
            body.as_bytes(),
            &Secret(secret.into()),
            now.timestamp(),
        );
        let parsed = stripe.parse_webhook(body.as_bytes(), Some(&header), now).unwrap();
        assert_eq!(parsed.kind, "payment_intent.succeeded");
    }
    let header = billing_portal::gateway::stripe::webhook::signature_header(
        body.as_bytes(),
        &Secret("whsec_x".into()),
        now.timestamp(),
    );
    assert!(stripe.parse_webhook(body.as_bytes(), Some(&header), now).is_err());
}
