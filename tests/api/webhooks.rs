//! Gateway events by signed webhook, and reconciliation, with the mock gateway.

use std::time::Duration;

use billing_portal::clock::Clock;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{HARBOUR, MANAGER, Options, TestApp, query_i64};

const SECRET: &str = "whsec_mock";

/// A Stripe event of `kind` about `object`.
pub fn event(id: &str, kind: &str, object: Value) -> Vec<u8> {
    let body = json!({
        "id": id,
        "object": "event",
        "api_version": "2026-09-30.endive",
        "created": chrono::Utc::now().timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "type": kind,
        "data": { "object": object },
    });
    body.to_string().into_bytes()
}

/// Stripe's `v1` signature, computed here independently of the server's code.
fn v1(body: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

async fn deliver(app: &TestApp, body: &[u8], signature: Option<String>) -> u16 {
    let mut request = app.client.post(format!("{}/webhooks/mock", app.address)).body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.unwrap().status().as_u16()
}

pub async fn send(app: &TestApp, body: &[u8]) -> u16 {
    let now = chrono::Utc::now().timestamp();
    deliver(app, body, Some(format!("t={now},v1={}", v1(body, SECRET, now)))).await
}

pub fn intent(reference: &str, payment_id: Option<i64>) -> Value {
    let metadata = payment_id.map_or(json!({}), |id| json!({ "payment_id": id.to_string() }));
    json!({ "id": reference, "object": "payment_intent", "status": "succeeded", "metadata": metadata })
}

pub async fn reference_of(app: &TestApp, payment_id: i64) -> String {
    app.payment_row(payment_id).await.gateway_reference.expect("a gateway reference")
}

pub fn id_of(payment: &Value) -> i64 {
    let id = payment["id"].as_str().unwrap();
    let decoded = base64_decode(id);
    decoded.rsplit(':').next().unwrap().parse().unwrap()
}

fn base64_decode(text: &str) -> String {
    use base64::Engine;
    String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap()
}

#[tokio::test]
async fn only_a_valid_signature_is_taken() {
    let app = TestApp::spawn().await;
    let body = event("evt_sig", "customer.created", json!({ "id": "cus_1" }));
    let now = chrono::Utc::now().timestamp();
    let good = v1(&body, SECRET, now);
    let other = v1(&body, "whsec_other", now);
    let mut altered = body.clone();
    let last = altered.len() - 2;
    altered[last] ^= 1;
    let cases: Vec<(&str, &[u8], Option<String>, u16)> = vec![
        ("missing header", &body, None, 400),
        ("wrong secret", &body, Some(format!("t={now},v1={other}")), 400),
        ("one byte changed", &altered, Some(format!("t={now},v1={good}")), 400),
        ("301 s old", &body, Some(format!("t={},v1={}", now - 301, v1(&body, SECRET, now - 301))), 400),
        ("valid v1 first", &body, Some(format!("t={now},v1={good},v1={other}")), 200),
        ("valid v1 last", &body, Some(format!("t={now},v1={other},v1={good}")), 200),
    ];
    for (case, body, signature, status) in cases {
        assert_eq!(deliver(&app, body, signature).await, status, "{case}");
    }
    assert_eq!(
        query_i64(&app, "SELECT COUNT(*) FROM webhook_events").await,
        1,
        "only the valid delivery is recorded"
    );
    let stripe =
        app.client.post(format!("{}/webhooks/stripe", app.address)).body(body.clone()).send().await.unwrap();
    assert_eq!(stripe.status(), 404, "not the gateway this deployment uses");
}

#[tokio::test]
async fn a_debit_settles_by_webhook_once_and_stays_settled() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let owed = app.balance(&token).await;
    let pad = app.add_payment_method(&token, "pm_mock_pad").await;
    assert_eq!(pad["kind"], "BANK_ACCOUNT");
    let payment = app.make_payment(&token, "20.00", &pad["id"], "pad-1").await["payment"].clone();
    assert_eq!(payment["status"], "PROCESSING", "{payment}");
    let id = id_of(&payment);
    let reference = reference_of(&app, id).await;

    // The same event twice at once, then a late failure.
    let succeeded = event("evt_ok", "payment_intent.succeeded", intent(&reference, Some(id)));
    let (a, b) = tokio::join!(send(&app, &succeeded), send(&app, &succeeded));
    assert_eq!((a, b), (200, 200));
    let mut failed = intent(&reference, Some(id));
    failed["status"] = json!("requires_payment_method");
    failed["last_payment_error"] =
        json!({ "type": "card_error", "code": "debit_not_authorized", "message": "No." });
    assert_eq!(send(&app, &event("evt_late", "payment_intent.payment_failed", failed)).await, 200);

    let now = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(now["payment"]["status"], "SUCCEEDED");
    assert_eq!(app.payment_entries("1003").await, 1);
    assert_eq!(app.balance(&token).await, owed - 2000);
    assert_eq!(app.emails_to(HARBOUR.0, 1).await.len(), 1, "one receipt");
}

#[tokio::test]
async fn a_success_after_a_failure_credits_the_payment_and_unknown_payments_are_redelivered() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let pad = app.add_payment_method(&token, "pm_mock_pad").await;
    let payment = app.make_payment(&token, "5.00", &pad["id"], "pad-2").await["payment"].clone();
    let id = id_of(&payment);
    let reference = reference_of(&app, id).await;
    let mut failed = intent(&reference, Some(id));
    failed["last_payment_error"] =
        json!({ "type": "card_error", "code": "debit_not_authorized", "message": "No." });
    assert_eq!(send(&app, &event("evt_f", "payment_intent.payment_failed", failed)).await, 200);
    let now = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(
        (now["payment"]["status"].as_str(), now["payment"]["failureCode"].as_str()),
        (Some("FAILED"), Some("debit_not_authorized"))
    );
    assert_eq!(app.payment_entries("1003").await, 0);

    assert_eq!(
        send(&app, &event("evt_s", "payment_intent.succeeded", intent(&reference, Some(id)))).await,
        200
    );
    let now = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(now["payment"]["status"], "SUCCEEDED");
    assert_eq!(app.payment_entries("1003").await, 1);

    // One of ours (it carries our installation id) that we do not know yet: not acknowledged,
    // so that the gateway tries again.
    let mut unknown = intent("pi_not_yet", Some(999_999));
    unknown["metadata"]["installation"] = json!(installation(&app).await);
    let unknown = event("evt_u", "payment_intent.succeeded", unknown);
    assert_eq!(send(&app, &unknown).await, 409);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM webhook_events WHERE event_id = 'evt_u'").await, 0);
}

/// This deployment's id at the gateway, as the database keeps it.
async fn installation(app: &TestApp) -> String {
    crate::helpers::query_string(app, "SELECT installation_id FROM installation").await
}

#[tokio::test]
async fn events_about_objects_this_deployment_never_made_are_acknowledged_and_ignored() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let pad = app.add_payment_method(&token, "pm_mock_pad").await;
    let payment = app.make_payment(&token, "5.00", &pad["id"], "pad-foreign").await["payment"].clone();
    let id = id_of(&payment);
    // Another product on the same account: no metadata of ours.
    let other_product = event("evt_other", "payment_intent.succeeded", intent("pi_someone_else", None));
    assert_eq!(send(&app, &other_product).await, 200);
    // Another deployment (staging beside production) whose payment has our payment's id.
    let mut other_deployment = intent("pi_staging_7", Some(id));
    other_deployment["metadata"]["installation"] = json!("someoneelse0000");
    let other_deployment = event("evt_staging", "payment_intent.succeeded", other_deployment);
    assert_eq!(send(&app, &other_deployment).await, 200);
    let refund = json!({ "id": "ch_x", "object": "charge", "payment_intent": "pi_someone_else", "amount_refunded": 500 });
    assert_eq!(send(&app, &event("evt_refund", "charge.refunded", refund)).await, 200);
    // Our payment was not touched by either.
    let now = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(now["payment"]["status"], "PROCESSING", "{now}");
    assert_eq!(app.payment_entries("1003").await, 0);
    let metrics =
        app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.lines().any(|l| l.starts_with("webhook_events_total") && l.contains("result=\"ignored\"")),
        "counted as ignored"
    );
    // An event of a type we do not act on is acknowledged and counted as ignored, never applied (a
    // type no other test sends: the tests share one metrics recorder).
    let unhandled = event("evt_product", "product.created", json!({ "id": "prod_x", "object": "product" }));
    assert_eq!(send(&app, &unhandled).await, 200);
    let metrics =
        app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    let counted: Vec<&str> = metrics.lines().filter(|l| l.contains("type=\"product.created\"")).collect();
    assert!(counted.len() == 1 && counted[0].contains("result=\"ignored\""), "{counted:?}");
}

#[tokio::test]
async fn refunds_add_only_what_is_new_and_disputes_reach_the_office_managers() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let payment =
        app.make_payment(&token, "10.00", &methods["account"]["paymentMethods"][0]["id"], "r-1").await;
    let id = id_of(&payment["payment"]);
    let reference = reference_of(&app, id).await;
    let after_payment = app.balance(&token).await;
    let charge = |refunded: i64| json!({ "id": "ch_1", "object": "charge", "payment_intent": reference, "amount_refunded": refunded });
    assert_eq!(send(&app, &event("evt_r1", "charge.refunded", charge(300))).await, 200);
    assert_eq!(send(&app, &event("evt_r2", "charge.refunded", charge(800))).await, 200);
    assert_eq!(
        send(&app, &event("evt_r3", "charge.refunded", charge(800))).await,
        200,
        "another event, same total"
    );
    assert_eq!(app.balance(&token).await, after_payment + 800);
    let refunds = query_i64(
        &app,
        "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund' AND amount_minor IN (300, 500)",
    )
    .await;
    assert_eq!(refunds, 2);

    let dispute = json!({ "id": "dp_1", "object": "dispute", "payment_intent": reference, "amount": 1000, "reason": "fraudulent" });
    assert_eq!(send(&app, &event("evt_d", "charge.dispute.created", dispute)).await, 200);
    // The receipt, a billing notification for each refund, and the dispute.
    let notices = app.emails_to(HARBOUR.0, 4).await;
    assert!(
        notices.iter().any(|mail| mail.subject.contains("disputed") && mail.text.contains("fraudulent")),
        "{notices:?}"
    );
    assert_eq!(notices.iter().filter(|mail| mail.subject.contains("refund")).count(), 2, "{notices:?}");
    // The same dispute again, in another event: nobody is told twice.
    let again = json!({ "id": "dp_1", "object": "dispute", "payment_intent": reference, "amount": 1000 });
    assert_eq!(send(&app, &event("evt_d2", "charge.dispute.created", again)).await, 200);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.emails_to(HARBOUR.0, 5).await.len(), 4);
}

#[tokio::test]
async fn the_gateway_removing_the_auto_pay_card_turns_auto_pay_off_and_says_so() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let gateway_id = crate::helpers::query_string(
        &app,
        "SELECT m.gateway_id FROM payment_methods m JOIN auto_pay_settings a ON a.payment_method_id = m.id",
    )
    .await;
    let updated = json!({ "id": gateway_id, "object": "payment_method", "card": { "exp_month": 1, "exp_year": 2040, "last4": "4242" } });
    assert_eq!(send(&app, &event("evt_pmu", "payment_method.automatically_updated", updated)).await, 200);
    let card = app.auto_pay_method(&token).await;
    assert_eq!((card["expMonth"].as_i64(), card["expYear"].as_i64()), (Some(1), Some(2040)));

    let detached = json!({ "id": gateway_id, "object": "payment_method" });
    assert_eq!(send(&app, &event("evt_pmd", "payment_method.detached", detached)).await, 200);
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    assert_eq!(dashboard["account"]["autoPay"]["enabled"], false, "{dashboard}");
    // A card no longer on file is not offered as Auto Pay's to turn on again.
    assert!(dashboard["account"]["autoPay"]["paymentMethod"].is_null(), "{dashboard}");
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    assert!(!methods["account"]["paymentMethods"].as_array().unwrap().iter().any(|m| m["id"] == card["id"]));
    let notice = app.email_to(MANAGER.0).await;
    assert!(notice.subject.contains("Auto Pay is off"), "{}", notice.subject);
    // The activity says who: the gateway, so no one of the account.
    let log = crate::team::activity(&app, &token).await;
    assert_eq!(crate::team::actions(&log)[..2], ["AUTO_PAY_DISABLED", "PAYMENT_METHOD_REMOVED"]);
    assert!(log[0]["actor"].is_null() && log[1]["actor"].is_null(), "{log:?}");
}

/// An app whose clock the test moves, with reconciliation every second.
async fn reconciling_app() -> (TestApp, Clock) {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with(Options {
        clock: clock.clone(),
        tweak: Box::new(|s| s.payments.reconcile_interval_seconds = 1),
        ..Options::default()
    })
    .await;
    (app, clock)
}

async fn status_after_reconciliation(app: &TestApp, token: &str, payment: &Value, expected: &str) -> Value {
    for _ in 0..50 {
        let now = app.run(token, "Payment", json!({ "id": payment["id"] })).await;
        if now["payment"]["status"] == expected {
            return now["payment"].clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the payment never became {expected}");
}

#[tokio::test]
async fn a_charge_whose_answer_was_lost_is_settled_once_by_reconciliation() {
    let (app, clock) = reconciling_app().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let owed = app.balance(&token).await;
    let card = app.add_payment_method(&token, "pm_mock_timeout").await;
    let payment = app.make_payment(&token, "7.00", &card["id"], "t-1").await["payment"].clone();
    assert_eq!(payment["status"], "PROCESSING", "{payment}");
    // Meanwhile, nobody can pay twice.
    let other = app.make_payment(&token, "1.00", &card["id"], "t-2").await;
    assert_eq!(other["userErrors"][0]["code"], "PAYMENT_IN_PROGRESS", "{other}");

    clock.advance(chrono::Duration::minutes(2));
    status_after_reconciliation(&app, &token, &payment, "SUCCEEDED").await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // another pass: nothing more
    assert_eq!(app.payment_entries("1003").await, 1);
    assert_eq!(app.balance(&token).await, owed - 700);
}

#[tokio::test]
async fn an_abandoned_3d_secure_is_canceled_after_30_minutes() {
    let (app, clock) = reconciling_app().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let card = app.add_payment_method(&token, "pm_card_authenticationRequired").await;
    let payment = app.make_payment(&token, "4.00", &card["id"], "3ds-1").await["payment"].clone();
    assert_eq!(payment["status"], "REQUIRES_ACTION", "{payment}");
    assert!(payment["nextAction"]["clientSecret"].as_str().unwrap().contains("_secret_"));

    clock.advance(chrono::Duration::minutes(29));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waiting = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(waiting["payment"]["status"], "REQUIRES_ACTION", "not yet");

    clock.advance(chrono::Duration::minutes(2));
    status_after_reconciliation(&app, &token, &payment, "CANCELED").await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let next =
        app.make_payment(&token, "4.00", &methods["account"]["paymentMethods"][0]["id"], "3ds-2").await;
    assert_eq!(next["payment"]["status"], "SUCCEEDED", "the account is free to pay again: {next}");
}

#[tokio::test]
async fn billing_portal_reconcile_run_on_its_own_settles_what_the_server_charged() {
    use billing_portal::services::payments::reconcile::{self, Report, Scope};
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let lost = app.add_payment_method(&token, "pm_mock_timeout").await;
    let payment = app.make_payment(&token, "5.00", &lost["id"], "lost-answer").await["payment"].clone();
    assert_eq!(payment["status"], "PROCESSING", "{payment}");
    // Its first scheduled check is a minute away: the schedule's pass leaves it alone…
    assert_eq!(reconcile::run(&app.deps, Scope::Due).await.unwrap(), Report::default());
    // …while `billing-portal reconcile`, another process with its own mock gateway, asks about it
    // now: the charge the server made is there (the mock keeps it in the database), so it settles.
    let output = crate::cli::billing_portal(&app, &["reconcile"], &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 payments settled, 0 still pending"), "{stdout}");
    let now = app.run(&token, "Payment", json!({ "id": payment["id"] })).await;
    assert_eq!(now["payment"]["status"], "SUCCEEDED", "{now}");
    assert_eq!(app.payment_entries("1003").await, 1);
    // The lost answer's charge is made once: sending the request again changes nothing.
    let again = app.make_payment(&token, "5.00", &lost["id"], "lost-answer").await;
    assert_eq!(again["payment"]["id"], payment["id"], "{again}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM mock_gateway_charges").await, 1);
}
