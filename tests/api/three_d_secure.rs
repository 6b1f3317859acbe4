//! 3-D Secure with the mock gateway, as the portal shows it: the payment waits for the customer
//! (REQUIRES_ACTION with a client secret), the mock's test challenge takes their answer at
//! `POST /mock-gateway/3ds/{client_secret}`, and its signed event settles the payment through the
//! webhook path, once.

use serde_json::{Value, json};

use crate::{
    hardening::production_app_with,
    helpers::{MANAGER, TestApp},
};

async fn answer(app: &TestApp, client_secret: &str, outcome: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/mock-gateway/3ds/{client_secret}", app.address))
        .json(&json!({ "outcome": outcome }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn waiting_payment(app: &TestApp, token: &str, key: &str) -> Value {
    let method = app.add_payment_method(token, "pm_card_authenticationRequired").await;
    let payload = app.make_payment(token, "3.00", &method["id"], key).await;
    assert_eq!(payload["payment"]["status"], "REQUIRES_ACTION", "{payload}");
    payload["payment"].clone()
}

async fn status_of(app: &TestApp, token: &str, payment: &Value) -> Value {
    app.run(token, "Payment", json!({ "id": payment["id"] })).await["payment"].clone()
}

#[tokio::test]
async fn a_completed_challenge_pays_once_and_a_failed_one_declines() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let before = app.balance(&token).await;

    let payment = waiting_payment(&app, &token, "3ds-complete").await;
    let secret = payment["nextAction"]["clientSecret"].as_str().unwrap().to_string();
    assert_eq!(answer(&app, &secret, "complete").await, (200, json!({ "status": "succeeded" })));
    assert_eq!(status_of(&app, &token, &payment).await["status"], "SUCCEEDED");
    assert_eq!(app.balance(&token).await, before - 300);
    // The challenge is over: answering again changes nothing.
    assert_eq!(answer(&app, &secret, "complete").await.0, 404);
    assert_eq!(app.balance(&token).await, before - 300, "paid once");

    let payment = waiting_payment(&app, &token, "3ds-fail").await;
    let secret = payment["nextAction"]["clientSecret"].as_str().unwrap().to_string();
    assert_eq!(answer(&app, &secret, "fail").await, (200, json!({ "status": "failed" })));
    let failed = status_of(&app, &token, &payment).await;
    assert_eq!(failed["status"], "FAILED", "{failed}");
    assert_eq!(failed["failureCode"], "payment_intent_authentication_failure");
    assert_eq!(app.balance(&token).await, before - 300);
}

#[tokio::test]
async fn only_a_waiting_charge_s_secret_and_only_the_mock_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(answer(&app, "pi_nothing_secret_mock", "complete").await.0, 404);
    let bad = app
        .client
        .post(format!("{}/mock-gateway/3ds/x", app.address))
        .json(&json!({ "outcome": "maybe" }))
        .send()
        .await
        .unwrap();
    assert!(bad.status().is_client_error(), "an answer is complete or fail: {}", bad.status());

    // With Stripe (as in production), Stripe's own page asks: the mock's challenge is not there.
    let stripe = production_app_with(|_| {}).await;
    assert_eq!(answer(&stripe, "pi_x_secret_mock", "complete").await.0, 404);
}
