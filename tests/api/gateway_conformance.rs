//! One set of expectations of any payment gateway, written against `dyn PaymentGateway` and held
//! against both backends: the mock (on its own tables) and Stripe's (over the wiremock double that
//! answers with Stripe's example objects). What the services rely on holds whichever is configured.

use std::time::Duration;

use billing_portal::{
    domain::secret::Secret,
    gateway::{
        ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, GatewayError, MethodKind,
        PaymentGateway, mock::MockGateway,
    },
};
use entity::Currency;
use serde_json::json;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{body_string_contains, method, path},
};

use crate::{
    helpers::{Options, TestApp},
    stripe::{card_error, fixture, intent},
};

/// The payment methods a gateway's test mode offers: one that pays, one that is declined for
/// insufficient funds.
struct TestMethods {
    pays: String,
    declined: String,
}

fn charge<'a>(payment_id: i64, customer: &'a str, method: &'a str, key: &'a str) -> ChargeRequest<'a> {
    ChargeRequest {
        payment_id,
        amount_minor: 5000,
        currency: Currency::Cad,
        customer,
        method,
        off_session: false,
        idempotency_key: key,
    }
}

async fn holds_to_the_expectations(gateway: &dyn PaymentGateway, methods: TestMethods) {
    let customer = gateway
        .create_customer(CustomerRequest { account_id: 7, account_number: "1007", name: "Maple Dental" })
        .await
        .unwrap();
    assert!(!customer.is_empty());

    // A method the browser made is seen before it belongs to anyone, then attached to the customer.
    let seen = gateway.payment_method(&methods.pays).await.unwrap();
    assert_eq!(seen.kind, MethodKind::Card);
    assert_eq!(seen.last4.len(), 4, "{seen:?}");
    assert_eq!(seen.customer, None);
    let attached = gateway.attach(&methods.pays, &customer).await.unwrap();
    assert_eq!(attached.customer.as_deref(), Some(customer.as_str()));
    assert_eq!(
        (attached.brand.as_str(), attached.last4.as_str()),
        (seen.brand.as_str(), seen.last4.as_str())
    );
    assert!(matches!(gateway.payment_method("pm_missing").await, Err(GatewayError::NotFound)));

    // A charge that pays is found again by its reference, and the same request again (the same
    // idempotency key) answers the same charge.
    let paid = gateway.charge(charge(42, &customer, &attached.id, "payment-42")).await.unwrap();
    let ChargeOutcome::Succeeded { reference } = &paid else { panic!("{paid:?}") };
    let found = gateway.retrieve_charge(ChargeLookup::Reference(reference)).await.unwrap();
    assert_eq!(found.as_ref(), Some(&paid));
    assert_eq!(gateway.charge(charge(42, &customer, &attached.id, "payment-42")).await.unwrap(), paid);
    assert_eq!(gateway.retrieve_charge(ChargeLookup::Reference("pi_missing")).await.unwrap(), None);

    // A declined charge says why, with the code the customer is shown.
    let declined = gateway.charge(charge(43, &customer, &methods.declined, "payment-43")).await.unwrap();
    let ChargeOutcome::Declined(decline) = &declined else { panic!("{declined:?}") };
    assert_eq!(decline.failure_code(), "insufficient_funds");
    assert!(!decline.message.is_empty());
}

#[tokio::test]
async fn the_mock_gateway_holds_to_the_expectations() {
    let app = TestApp::spawn_with(Options { smtp: false, ..Options::default() }).await;
    let mock = MockGateway::new(app.deps.db.clone(), Duration::ZERO, Secret("whsec_test".into()));
    let methods = TestMethods {
        pays: "pm_card_visa".into(),
        declined: "pm_card_chargeDeclinedInsufficientFunds".into(),
    };
    holds_to_the_expectations(&mock, methods).await;
}

#[tokio::test]
async fn the_stripe_gateway_holds_to_the_expectations() {
    let server = MockServer::start().await;
    let card = fixture("payment_method");
    let card_id = card["id"].as_str().unwrap().to_string();
    let mut unattached = card.clone();
    unattached["customer"] = json!(null);
    let mut attached = card.clone();
    attached["customer"] = json!(fixture("customer")["id"]);
    let mut paid = intent("succeeded");
    paid["payment_method"] = json!(card_id);
    let mounts = [
        Mock::given(method("GET"))
            .and(path(format!("/v1/payment_methods/{card_id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(unattached)),
        Mock::given(method("GET")).and(path("/v1/payment_methods/pm_missing")).respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "error": {
                "type": "invalid_request_error", "code": "resource_missing", "message": "No such PaymentMethod" } })),
        ),
        Mock::given(method("POST"))
            .and(path("/v1/customers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("customer"))),
        Mock::given(method("POST"))
            .and(path(format!("/v1/payment_methods/{card_id}/attach")))
            .respond_with(ResponseTemplate::new(200).set_body_json(attached)),
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .and(body_string_contains(format!("payment_method={card_id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(paid.clone())),
        Mock::given(method("POST"))
            .and(path("/v1/payment_intents"))
            .and(body_string_contains("payment_method=pm_card_chargeDeclinedInsufficientFunds"))
            .respond_with(
                ResponseTemplate::new(402).set_body_json(card_error("card_declined", Some("insufficient_funds"), None)),
            ),
        Mock::given(method("GET"))
            .and(path(format!("/v1/payment_intents/{}", paid["id"].as_str().unwrap())))
            .respond_with(ResponseTemplate::new(200).set_body_json(paid.clone())),
        Mock::given(method("GET")).and(path("/v1/payment_intents/pi_missing")).respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "error": {
                "type": "invalid_request_error", "code": "resource_missing", "message": "No such PaymentIntent" } })),
        ),
    ];
    for mount in mounts {
        mount.mount(&server).await;
    }
    let stripe = crate::stripe::gateway(&server, Duration::from_secs(5));
    // Stripe's example card stands for its test card that pays.
    let methods = TestMethods { pays: card_id, declined: "pm_card_chargeDeclinedInsufficientFunds".into() };
    holds_to_the_expectations(&stripe, methods).await;
}
