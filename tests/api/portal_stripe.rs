//! The portal with Stripe: Stripe's element collects a new card (Stripe.js, here its test double,
//! served at Stripe's address by the browser test), the server's double of Stripe's API (wiremock,
//! Stripe's example objects) saves and attaches it, and the portal puts it on file. The page allows
//! Stripe.js and Stripe's frames, and nothing else from elsewhere. The server runs only listed
//! operations (PERSISTED_OPERATIONS_ONLY), as production should: the portal's own are listed.

use entity::payment_method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

use crate::{
    helpers::{Options, TestApp},
    portal_browser::{drive, every_page_is_accessible, steps},
    stripe::fixture,
};

/// Stripe's API as far as saving a card goes: customers, SetupIntents, the card and attaching it.
async fn stripe_api() -> (MockServer, String, Value) {
    let server = MockServer::start().await;
    let card = fixture("payment_method");
    let card_id = card["id"].as_str().unwrap().to_string();
    let mut unattached = card.clone();
    unattached["customer"] = Value::Null;
    let mut attached = card.clone();
    attached["customer"] = fixture("customer")["id"].clone();
    let mut setup = fixture("setup_intent");
    setup["last_setup_error"] = Value::Null;
    setup["next_action"] = Value::Null;
    let mounts = [
        Mock::given(method("POST"))
            .and(path("/v1/customers"))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture("customer"))),
        Mock::given(method("POST"))
            .and(path("/v1/setup_intents"))
            .respond_with(ResponseTemplate::new(200).set_body_json(setup.clone())),
        Mock::given(method("GET"))
            .and(path(format!("/v1/payment_methods/{card_id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(unattached)),
        Mock::given(method("POST"))
            .and(path(format!("/v1/payment_methods/{card_id}/attach")))
            .respond_with(ResponseTemplate::new(200).set_body_json(attached)),
    ];
    for mount in mounts {
        mount.mount(&server).await;
    }
    (server, card_id, setup)
}

#[tokio::test]
async fn with_stripe_a_new_card_goes_through_stripe_s_element_and_onto_the_file() {
    let (stripe, card_id, setup) = stripe_api().await;
    let api_base = stripe.uri();
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(move |s| {
            s.payment_gateway = billing_portal::config::PaymentGatewayKind::Stripe;
            s.stripe_secret_key = Some(billing_portal::config::Secret("sk_test_double".into()));
            s.stripe_publishable_key = Some("pk_test_double".into());
            s.stripe_webhook_secret = Some(billing_portal::config::Secret("whsec_double".into()));
            s.stripe_api_base = Some(api_base);
            // Only listed operations run: the portal's own are, by their hashes.
            s.persisted_operations_only = true;
        }),
        ..Options::default()
    })
    .await;

    // The page lets Stripe.js and Stripe's frames in, and only them.
    let page = app.client.get(format!("{}/payment-methods", app.address)).send().await.unwrap();
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("script-src 'self' https://js.stripe.com https://*.js.stripe.com;"), "{policy}");
    assert!(
        policy.contains("frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com;"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe"), "{policy}");

    let (run, facts) = drive(&app, "stripe.mjs", &[&card_id]).await;
    let seen = |key: &str| facts.iter().find(|fact| fact.get(key).is_some()).map(|fact| fact[key].clone());
    assert!(run.success(), "the journey: {:#?}", steps(&facts));
    assert!(every_page_is_accessible(&facts) >= 1);

    // Stripe.js was started with the publishable key and the SetupIntent's secret, and saved it.
    let stripe_seen = seen("stripe").unwrap();
    let calls = stripe_seen["calls"].as_array().unwrap();
    assert_eq!(calls[0], json!({ "call": "Stripe", "publishableKey": "pk_test_double" }), "{stripe_seen}");
    assert_eq!(calls[1]["clientSecret"], setup["client_secret"], "{stripe_seen}");
    assert!(calls.contains(&json!({ "call": "confirmSetup", "redirect": "if_required" })), "{stripe_seen}");
    assert_eq!(stripe_seen["after"].as_u64(), stripe_seen["before"].as_u64().map(|n| n + 1), "{stripe_seen}");

    // The server attached Stripe's card to the account's customer, and has it on file.
    let asked: Vec<String> =
        stripe.received_requests().await.unwrap().iter().map(|r| r.url.path().to_string()).collect();
    assert!(asked.contains(&"/v1/setup_intents".to_string()), "{asked:?}");
    assert!(asked.contains(&format!("/v1/payment_methods/{card_id}/attach")), "{asked:?}");
    let on_file = payment_method::Entity::find()
        .filter(payment_method::Column::GatewayId.eq(&card_id))
        .one(&app.db)
        .await
        .unwrap();
    assert!(on_file.is_some(), "Stripe's card is on file");
    assert_eq!(seen("blocked").unwrap(), json!([]), "nothing but the portal and Stripe.js was asked for");
    assert_eq!(seen("console_errors").unwrap(), json!([]), "no script error and no CSP violation");
}
