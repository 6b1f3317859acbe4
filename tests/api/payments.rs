//! Payment methods and payments through the mock gateway, as the portal makes them.

use serde_json::{Value, json};

use crate::{
    helpers::{HARBOUR, MANAGER, MEMBER, Options, PRAIRIE, TestApp, cents, query_i64},
    operations::operation,
};

fn decimal(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[tokio::test]
async fn a_partial_payment_pays_the_oldest_invoice_first_and_the_payer_gets_a_receipt() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let owed = app.balance(&token).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let mastercard = methods["account"]["paymentMethods"][0].clone();
    assert_eq!(
        (mastercard["brand"].as_str(), mastercard["last4"].as_str()),
        (Some("mastercard"), Some("4444"))
    );

    let payment = app.make_payment(&token, "10.00", &mastercard["id"], "harbour-1").await;
    assert_eq!(payment["userErrors"], json!([]), "{payment}");
    let payment = &payment["payment"];
    assert_eq!(payment["status"], "SUCCEEDED", "{payment}");
    assert_eq!(payment["methodDescription"], "Mastercard ending 4444");
    assert!(payment["gatewayReference"].as_str().unwrap().starts_with("pi_"));
    assert_eq!(app.balance(&token).await, owed - 1000);

    let invoices = app.run(&token, "Invoices", json!({ "first": 10 })).await;
    let newest = &invoices["account"]["invoices"]["edges"][0]["node"];
    assert_eq!(cents(&newest["amountDue"]), owed - 1000, "the oldest unpaid invoice took it");
    let history = app.run(&token, "Payments", json!({ "first": 5 })).await;
    let listed = &history["account"]["payments"]["edges"][0]["node"];
    assert_eq!(
        (listed["id"].as_str(), listed["status"].as_str()),
        (payment["id"].as_str(), Some("SUCCEEDED"))
    );
    assert_eq!(listed["invoice"]["number"], newest["number"]);

    let receipt = app.email_to(HARBOUR.0).await;
    assert!(
        receipt.text.contains("10.00 CAD") && receipt.text.contains("Mastercard ending 4444"),
        "{}",
        receipt.text
    );

    // What is left, and not a cent more.
    let too_much = app.make_payment(&token, &decimal(owed - 1000 + 1), &mastercard["id"], "harbour-2").await;
    assert_eq!(too_much["userErrors"][0]["code"], "AMOUNT_EXCEEDS_BALANCE", "{too_much}");
    for bad in ["0", "-5.00", "1.001"] {
        let refused = app.make_payment(&token, bad, &mastercard["id"], &format!("harbour-{bad}")).await;
        assert_eq!(refused["userErrors"][0]["code"], "INVALID_AMOUNT", "{bad}: {refused}");
    }
    // The rest, ticking "Use for Auto Pay".
    let variables = json!({
        "amount": decimal(owed - 1000), "paymentMethodId": mastercard["id"], "idempotencyKey": "harbour-3",
        "useForAutoPay": true,
    });
    let rest = app.run(&token, "MakePayment", variables).await;
    assert_eq!(rest["makePayment"]["payment"]["status"], "SUCCEEDED", "{rest}");
    assert_eq!(app.balance(&token).await, 0);
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    let auto_pay = &dashboard["account"]["autoPay"];
    assert_eq!(
        (auto_pay["enabled"].as_bool(), &auto_pay["paymentMethod"]["id"]),
        (Some(true), &mastercard["id"])
    );
}

#[tokio::test]
async fn declined_cards_say_why_and_change_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let owed = app.balance(&token).await;
    for (card, code) in [
        ("pm_card_chargeDeclined", "card_declined"),
        ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"),
    ] {
        let method = app.add_payment_method(&token, card).await;
        let payment = app.make_payment(&token, "5.00", &method["id"], card).await;
        let payment = &payment["payment"];
        assert_eq!(
            (payment["status"].as_str(), payment["failureCode"].as_str()),
            (Some("FAILED"), Some(code))
        );
        assert!(!payment["failureMessage"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.balance(&token).await, owed);
    assert_eq!(app.payment_entries("1001").await, 0);
}

#[tokio::test]
async fn a_repeated_key_returns_the_same_payment_and_another_request_with_it_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let card = methods["account"]["paymentMethods"][0]["id"].clone();
    let first = app.make_payment(&token, "3.00", &card, "same-key").await;
    let again = app.make_payment(&token, "3.00", &card, "same-key").await;
    assert_eq!(first["payment"]["id"], again["payment"]["id"]);
    let other = app.make_payment(&token, "4.00", &card, "same-key").await;
    assert_eq!(other["userErrors"][0]["code"], "IDEMPOTENCY_KEY_REUSED", "{other}");
    assert_eq!(app.payment_entries("1003").await, 1);
}

/// 50 clicks at once, with one key and with 50: one charge, one ledger entry.
#[tokio::test]
async fn fifty_concurrent_payments_charge_once() {
    for same_key in [true, false] {
        let app = TestApp::spawn_with(Options {
            tweak: Box::new(|s| s.payments.mock_latency_ms = 200),
            ..Options::default()
        })
        .await;
        let token = app.login(HARBOUR.0, HARBOUR.1).await;
        let owed = app.balance(&token).await;
        let methods = app.run(&token, "PaymentMethods", json!({})).await;
        let card = methods["account"]["paymentMethods"][0]["id"].clone();
        let amount = decimal(owed);
        let attempts = (0..50).map(|n| {
            let key = if same_key { "click".to_string() } else { format!("click-{n}") };
            let (app, token, card, amount) = (&app, &token, &card, &amount);
            async move { app.make_payment(token, amount, card, &key).await }
        });
        let answers = futures_util::future::join_all(attempts).await;
        if same_key {
            // Repeats that arrive while the first is charging see it in progress: the same payment.
            let ids: Vec<&Value> = answers.iter().map(|a| &a["payment"]["id"]).collect();
            assert!(ids.iter().all(|id| *id == ids[0] && !id.is_null()), "{answers:?}");
            let final_state = app.run(&token, "Payment", json!({ "id": ids[0] })).await;
            assert_eq!(final_state["payment"]["status"], "SUCCEEDED");
        } else {
            let succeeded = answers.iter().filter(|a| a["payment"]["status"] == "SUCCEEDED").count();
            assert_eq!(succeeded, 1, "{answers:?}");
            for refused in answers.iter().filter(|a| a["payment"].is_null()) {
                let code = refused["userErrors"][0]["code"].as_str().unwrap();
                assert!(["PAYMENT_IN_PROGRESS", "AMOUNT_EXCEEDS_BALANCE"].contains(&code), "{refused}");
            }
        }
        assert_eq!(app.payment_entries("1003").await, 1, "same key: {same_key}");
        assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM payments WHERE gateway IS NOT NULL").await, 1);
        assert_eq!(app.balance(&token).await, 0);
    }
}

#[tokio::test]
async fn payment_methods_are_gateway_ids_of_the_account_s_own() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let card = app.add_payment_method(&token, "pm_card_visa").await;
    assert_eq!(
        (card["brand"].as_str(), card["last4"].as_str(), card["expired"].as_bool()),
        (Some("visa"), Some("4242"), Some(false))
    );
    assert!(card["expYear"].as_i64().unwrap() > 2026);

    for number in ["4242424242424242", "4242 4242 4242 4242", "pm_4242424242424242"] {
        let data = app.run(&token, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": number })).await;
        assert_eq!(data["addPaymentMethod"]["userErrors"][0]["code"], "CARD_NUMBER_REFUSED", "{number}");
    }
    let data = app.run(&token, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": "pm_unknown" })).await;
    assert_eq!(data["addPaymentMethod"]["userErrors"][0]["code"], "INVALID_PAYMENT_METHOD");

    // Another account's method: unknown here, whichever way it is named.
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    let gateway_id = crate::helpers::query_string(
        &app,
        "SELECT gateway_id FROM payment_methods WHERE id = (SELECT MAX(id) FROM payment_methods)",
    )
    .await;
    let data = app.run(&prairie, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": gateway_id })).await;
    assert_eq!(data["addPaymentMethod"]["userErrors"][0]["code"], "INVALID_PAYMENT_METHOD", "{data}");
    for (name, variables) in [
        ("RemovePaymentMethod", json!({ "id": card["id"] })),
        ("MakePayment", json!({ "amount": "1.00", "paymentMethodId": card["id"], "idempotencyKey": "x" })),
    ] {
        let answer = app.graphql(&operation(name), variables, Some(&prairie)).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "{name}: {answer}");
    }

    // Removing: the Auto Pay method only once Auto Pay no longer uses it.
    let auto_pay = app.auto_pay_method(&token).await;
    let refused = app.run(&token, "RemovePaymentMethod", json!({ "id": auto_pay["id"] })).await;
    assert_eq!(refused["removePaymentMethod"]["userErrors"][0]["code"], "AUTO_PAY_METHOD");
    let removed = app.run(&token, "RemovePaymentMethod", json!({ "id": card["id"] })).await;
    assert_eq!(removed["removePaymentMethod"]["removedId"], card["id"]);
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    assert!(!methods["account"]["paymentMethods"].as_array().unwrap().iter().any(|m| m["id"] == card["id"]));

    // "Use for Auto Pay".
    let data = app
        .run(
            &token,
            "AddPaymentMethod",
            json!({ "gatewayPaymentMethodId": "pm_card_mastercard", "useForAutoPay": true }),
        )
        .await;
    assert_eq!(data["addPaymentMethod"]["paymentMethod"]["isAutoPay"], true, "{data}");
}

#[tokio::test]
async fn members_pay_but_only_office_managers_manage_methods() {
    let app = TestApp::spawn().await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let methods = app.run(&member, "PaymentMethods", json!({})).await;
    let card = methods["account"]["paymentMethods"][0]["id"].clone();
    for (name, variables) in [
        ("BeginPaymentMethodSetup", json!({})),
        ("AddPaymentMethod", json!({ "gatewayPaymentMethodId": "pm_card_visa" })),
        ("RemovePaymentMethod", json!({ "id": card })),
    ] {
        let answer = app.graphql(&operation(name), variables, Some(&member)).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{name}: {answer}");
    }
    let paid = app.make_payment(&member, "1.00", &card, "member-1").await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED", "{paid}");

    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let setup = app.run(&manager, "BeginPaymentMethodSetup", json!({})).await;
    let setup = &setup["beginPaymentMethodSetup"]["setup"];
    assert_eq!(setup["gateway"], "mock");
    assert!(setup["clientSecret"].as_str().unwrap().starts_with("seti_"));
}

#[tokio::test]
async fn another_account_s_payment_is_not_found() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let paid = app.make_payment(&token, "2.00", &methods["account"]["paymentMethods"][0]["id"], "k").await;
    let id = paid["payment"]["id"].clone();
    let mine = app.run(&token, "Payment", json!({ "id": id })).await;
    assert_eq!(mine["payment"]["status"], "SUCCEEDED");
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    let answer = app.graphql(&operation("Payment"), json!({ "id": id }), Some(&prairie)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "{answer}");
}
