//! Auto Pay: charged on the due date in the account's time zone, retried on the retry days, stopped
//! when retrying cannot help, safe with several passes and instances at once. Dates are driven by
//! `run-autopay --as-of`, as an operator's cron would run it.

use billing_portal::clock::Clock;
use chrono::{Duration, NaiveDate};
use serde_json::json;

use crate::{
    cli::billing_portal,
    helpers::{HARBOUR, MANAGER, MEMBER, Options, PUBLIC_URL, TestApp, query_i64, query_string},
    operations::operation,
};

/// `run-autopay --as-of DAY`, as cron runs it, mailing through the test's SMTP server.
pub fn run_autopay(app: &TestApp, day: NaiveDate) -> String {
    let smtp = format!("smtp://127.0.0.1:{}", app.smtp.as_ref().unwrap().port);
    let output = billing_portal(
        app,
        &["run-autopay", "--as-of", &day.to_string()],
        &[("SMTP_URL", &smtp), ("PUBLIC_URL", PUBLIC_URL)],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub async fn auto_pay_payments(app: &TestApp, account: &str) -> Vec<(String, Option<String>)> {
    let count = query_i64(
        app,
        &format!(
            "SELECT COUNT(*) FROM payments WHERE origin = 'auto_pay' AND gateway IS NOT NULL AND account_id = \
             (SELECT id FROM accounts WHERE number = '{account}')"
        ),
    )
    .await;
    let mut found = Vec::new();
    for n in 0..count {
        let row = |column: &str| {
            format!(
                "SELECT COALESCE({column}, '') FROM payments WHERE origin = 'auto_pay' AND gateway IS NOT NULL AND \
                 account_id = (SELECT id FROM accounts WHERE number = '{account}') ORDER BY id LIMIT 1 OFFSET {n}"
            )
        };
        let status = query_string(app, &row("status")).await;
        let code = query_string(app, &row("failure_code")).await;
        found.push((status, (!code.is_empty()).then_some(code)));
    }
    found
}

/// Maple Dental's open invoice falls due on this day (its own date).
pub async fn maple_due_on(app: &TestApp, token: &str) -> NaiveDate {
    let invoices = app.run(token, "Invoices", json!({ "first": 1 })).await;
    invoices["account"]["invoices"]["edges"][0]["node"]["dueOn"].as_str().unwrap().parse().unwrap()
}

/// Maple Dental's Auto Pay, charging a new card made from `test_card`.
async fn maple_with_card(app: &TestApp, test_card: &str) -> (String, NaiveDate) {
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let variables = json!({ "gatewayPaymentMethodId": test_card, "useForAutoPay": true });
    let added = app.run(&token, "AddPaymentMethod", variables).await;
    assert_eq!(added["addPaymentMethod"]["paymentMethod"]["isAutoPay"], true, "{added}");
    let due = maple_due_on(app, &token).await;
    (token, due)
}

pub fn days(day: NaiveDate, n: i64) -> NaiveDate {
    day + Duration::days(n)
}

#[tokio::test]
async fn turning_auto_pay_on_charges_what_is_overdue_at_once() {
    let app = TestApp::spawn().await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let answer = app.graphql(&operation("SetAutoPay"), json!({ "enabled": true }), Some(&member)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");

    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    assert!(app.balance(&token).await > 0, "Harbour Café is past due");
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let card = methods["account"]["paymentMethods"][0]["id"].clone();
    let set = app.run(&token, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": card })).await;
    let auto_pay = &set["setAutoPay"]["autoPay"];
    assert_eq!(auto_pay["enabled"], true, "{set}");
    assert_eq!(auto_pay["paymentMethod"]["id"], card);
    assert!(auto_pay["nextChargeOn"].is_null(), "nothing is owed any more: {set}");
    assert_eq!(app.balance(&token).await, 0);
    assert_eq!(auto_pay_payments(&app, "1003").await, vec![("succeeded".into(), None)]);
    let receipt = app.email_to(HARBOUR.0).await;
    assert!(receipt.subject.contains("Auto Pay payment received"), "{}", receipt.subject);

    // Off keeps the method; the pass has nothing to do.
    let off = app.run(&token, "SetAutoPay", json!({ "enabled": false })).await;
    assert_eq!(
        (
            off["setAutoPay"]["autoPay"]["enabled"].as_bool(),
            &off["setAutoPay"]["autoPay"]["paymentMethod"]["id"]
        ),
        (Some(false), &card)
    );
    run_autopay(&app, days(chrono::Utc::now().date_naive(), 60));
    assert_eq!(auto_pay_payments(&app, "1003").await.len(), 1);
}

#[tokio::test]
async fn nothing_before_the_due_date_and_one_charge_on_it() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let due = maple_due_on(&app, &token).await;
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    assert_eq!(dashboard["account"]["autoPay"]["nextChargeOn"], due.to_string());
    assert!(app.balance(&token).await > 0);

    run_autopay(&app, days(due, -1));
    assert!(auto_pay_payments(&app, "1001").await.is_empty(), "not before the due date");
    run_autopay(&app, due);
    run_autopay(&app, due);
    run_autopay(&app, days(due, 4));
    assert_eq!(auto_pay_payments(&app, "1001").await, vec![("succeeded".into(), None)], "once");
    assert_eq!(app.balance(&token).await, 0);
}

#[tokio::test]
async fn a_declined_charge_is_retried_on_the_retry_days_then_stops() {
    let app = TestApp::spawn().await;
    let (token, due) = maple_with_card(&app, "pm_card_chargeDeclinedInsufficientFunds").await;
    run_autopay(&app, due);
    assert_eq!(
        auto_pay_payments(&app, "1001").await,
        vec![("failed".into(), Some("insufficient_funds".into()))]
    );
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    assert_eq!(
        dashboard["account"]["autoPay"]["nextChargeOn"],
        days(due, 3).to_string(),
        "the next retry day"
    );
    // Office managers and billing contacts hear of each failed attempt, once.
    let notice = app.email_to("ap@maple-dental.example").await;
    assert!(
        notice.text.contains("insufficient funds") && notice.text.contains("try again"),
        "{}",
        notice.text
    );

    for (day, attempts) in [(1, 1), (3, 2), (4, 2), (5, 3), (7, 4), (9, 4), (30, 4)] {
        run_autopay(&app, days(due, day));
        assert_eq!(auto_pay_payments(&app, "1001").await.len(), attempts, "day {day} after the due date");
    }
    assert_eq!(app.emails_to("ap@maple-dental.example", 4).await.len(), 4, "an email per attempt");
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    assert!(dashboard["account"]["autoPay"]["nextChargeOn"].is_null(), "retries have stopped");
}

#[tokio::test]
async fn a_stolen_card_is_not_tried_again() {
    let app = TestApp::spawn().await;
    let (_, due) = maple_with_card(&app, "pm_card_chargeDeclinedStolenCard").await;
    run_autopay(&app, due);
    run_autopay(&app, days(due, 3));
    run_autopay(&app, days(due, 7));
    assert_eq!(auto_pay_payments(&app, "1001").await, vec![("failed".into(), Some("stolen_card".into()))]);
}

#[tokio::test]
async fn a_card_that_needs_authentication_stops_and_the_office_managers_get_a_link() {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let (_, due) = maple_with_card(&app, "pm_card_authenticationRequired").await;
    run_autopay(&app, due);
    run_autopay(&app, days(due, 5));
    assert_eq!(
        auto_pay_payments(&app, "1001").await,
        vec![("failed".into(), Some("authentication_required".into()))]
    );
    let notice = app.email_to(MANAGER.0).await;
    assert!(notice.text.contains(&format!("{PUBLIC_URL}/pay")), "{}", notice.text);
    assert!(!notice.text.contains("token"), "the link carries no credential");

    // Six days after the due date the customer acts: Auto Pay on with another card is a fresh
    // start, charged at once although the old round had stopped.
    clock.set(days(due, 6).and_hms_opt(17, 0, 0).unwrap().and_utc());
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let mastercard = methods["account"]["paymentMethods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["brand"] == "mastercard")
        .unwrap()["id"]
        .clone();
    app.run(&token, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": mastercard })).await;
    let made = auto_pay_payments(&app, "1001").await;
    assert_eq!(made.last(), Some(&("succeeded".to_string(), None)), "{made:?}");
    assert_eq!(app.balance(&token).await, 0);
}

#[tokio::test]
async fn the_office_managers_hear_once_that_the_auto_pay_card_expires_and_an_expired_card_is_never_charged() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let card = app.auto_pay_method(&token).await;
    let (year, month) = (card["expYear"].as_i64().unwrap() as i32, card["expMonth"].as_i64().unwrap() as u32);
    let last_day_of = |year: i32| {
        NaiveDate::from_ymd_opt(year + i32::from(month == 12), month % 12 + 1, 1).unwrap().pred_opt().unwrap()
    };
    let last_day = last_day_of(year);

    run_autopay(&app, days(last_day, 2));
    run_autopay(&app, days(last_day, 3));
    assert!(auto_pay_payments(&app, "1001").await.is_empty(), "an expired card is never charged");
    let expired = app.emails_to(MANAGER.0, 1).await;
    assert_eq!(expired.len(), 1, "told once");
    assert!(expired[0].subject.contains("has expired"), "{}", expired[0].subject);

    run_autopay(&app, days(last_day, -40));
    run_autopay(&app, days(last_day, -29));
    run_autopay(&app, days(last_day, -20));
    let all = app.emails_to(MANAGER.0, 3).await;
    let soon: Vec<&crate::helpers::Email> =
        all.iter().filter(|m| m.subject.contains("expires soon")).collect();
    assert_eq!(soon.len(), 1, "once per card and expiry: {all:?}");

    // The bank sends the card's next expiry (the account updater): its own notice, once, in time.
    let gateway_id = query_string(
        &app,
        "SELECT m.gateway_id FROM payment_methods m JOIN auto_pay_settings a ON a.payment_method_id = m.id",
    )
    .await;
    let renewed = json!({ "id": gateway_id, "object": "payment_method",
        "card": { "exp_month": month, "exp_year": year + 3, "last4": card["last4"] } });
    let update = crate::webhooks::event("evt_renewed", "payment_method.automatically_updated", renewed);
    assert_eq!(crate::webhooks::send(&app, &update).await, 200);
    let renewed_last_day = last_day_of(year + 3);
    run_autopay(&app, days(renewed_last_day, -20));
    run_autopay(&app, days(renewed_last_day, -10));
    let all = app.emails_to(MANAGER.0, 4).await;
    let soon = all.iter().filter(|m| m.subject.contains("expires soon")).count();
    assert_eq!(soon, 2, "the new expiry is told once: {all:?}");
}

/// The in-process pass charges on the due date where the account is: in Toronto, 23:30 the day
/// before is already the due date in UTC, and not yet in Toronto.
#[tokio::test]
async fn the_server_s_own_pass_charges_on_the_due_date_in_the_account_s_time_zone() {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with(Options {
        clock: clock.clone(),
        tweak: Box::new(|s| s.autopay_interval_seconds = 1),
        ..Options::default()
    })
    .await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let due = maple_due_on(&app, &token).await;
    let toronto = |day: NaiveDate, hour: u32, minute: u32| {
        let local = day.and_hms_opt(hour, minute, 0).unwrap();
        local.and_local_timezone(chrono_tz::America::Toronto).unwrap().with_timezone(&chrono::Utc)
    };
    let evening_before = toronto(days(due, -1), 23, 30);
    assert_eq!(evening_before.date_naive(), due, "already the due date in UTC");
    clock.set(evening_before);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(auto_pay_payments(&app, "1001").await.is_empty(), "not yet the due date in Toronto");

    clock.set(toronto(due, 0, 30));
    for _ in 0..50 {
        if auto_pay_payments(&app, "1001").await.iter().any(|(status, _)| status == "succeeded") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(auto_pay_payments(&app, "1001").await, vec![("succeeded".into(), None)]);
}

#[tokio::test]
async fn auto_pay_needs_a_usable_method_of_the_account_s_own() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let owed = app.balance(&token).await;
    let refusal = |answer: serde_json::Value| answer["setAutoPay"]["userErrors"][0]["code"].clone();

    let none = app.run(&token, "SetAutoPay", json!({ "enabled": true })).await;
    assert_eq!(refusal(none), "AUTO_PAY_NEEDS_METHOD");

    let maple = app.login(MANAGER.0, MANAGER.1).await;
    let theirs =
        app.run(&maple, "PaymentMethods", json!({})).await["account"]["paymentMethods"][0]["id"].clone();
    let answer = app
        .graphql(
            &operation("SetAutoPay"),
            json!({ "enabled": true, "paymentMethodId": theirs }),
            Some(&token),
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "another account's method: {answer}");

    app.execute_sql(
        "UPDATE payment_methods SET exp_year = 2020 WHERE account_id = (SELECT id FROM accounts WHERE number = '1003')",
    )
    .await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let expired = &methods["account"]["paymentMethods"][0];
    assert_eq!(expired["expired"], true, "{expired}");
    let answer =
        app.run(&token, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": expired["id"] })).await;
    assert_eq!(refusal(answer), "PAYMENT_METHOD_EXPIRED");

    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    assert_eq!(dashboard["account"]["autoPay"]["enabled"], false, "nothing changed");
    assert_eq!(app.balance(&token).await, owed, "nothing charged");
    assert!(auto_pay_payments(&app, "1003").await.is_empty());
}

#[tokio::test]
async fn off_stops_the_retries_and_the_next_attempt_uses_the_new_method() {
    let app = TestApp::spawn().await;
    let (token, due) = maple_with_card(&app, "pm_card_chargeDeclinedInsufficientFunds").await;
    run_autopay(&app, due);
    app.run(&token, "SetAutoPay", json!({ "enabled": false })).await;
    run_autopay(&app, days(due, 3));
    assert_eq!(auto_pay_payments(&app, "1001").await.len(), 1, "no retry while Auto Pay is off");

    // On again with another card, before anything is due by the real calendar: nothing is
    // charged at once, and the next retry day charges the new card.
    let mastercard = app.add_payment_method(&token, "pm_card_mastercard").await["id"].clone();
    app.run(&token, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": mastercard })).await;
    run_autopay(&app, days(due, 4));
    assert_eq!(
        auto_pay_payments(&app, "1001").await,
        vec![("failed".into(), Some("insufficient_funds".into())), ("succeeded".into(), None)]
    );
    // Each attempt is in Payments, with what happened to it and the card it charged.
    let payments = app.run(&token, "Payments", json!({ "first": 2 })).await;
    let nodes: Vec<&serde_json::Value> =
        payments["account"]["payments"]["edges"].as_array().unwrap().iter().map(|e| &e["node"]).collect();
    assert_eq!(
        (nodes[0]["status"].as_str(), nodes[1]["status"].as_str()),
        (Some("SUCCEEDED"), Some("FAILED"))
    );
    assert!(nodes[0]["methodDescription"].as_str().unwrap().contains("4444"), "{}", nodes[0]);
    assert_eq!(nodes[1]["failureCode"], "insufficient_funds");
    assert_eq!(app.balance(&token).await, 0);
}
