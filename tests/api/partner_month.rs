//! A billing engine's month, with no demo data: it opens an account, invites its office manager,
//! posts last month's and this month's invoices and a credit; the office manager logs in, sees
//! them, pays, and Auto Pay pays the rest on the due date.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::{
    auto_pay::{auto_pay_payments, run_autopay},
    helpers::{Options, TestApp, cents},
    partner::{account_body, call, create_key, invoice_body},
    team::{actions, activity},
};

const MANAGER: &str = "owner@lakeside-physio.example";

#[tokio::test]
async fn an_account_fed_by_the_billing_engine_is_logged_into_paid_and_charged_by_auto_pay() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let key = create_key(&app, "billing-engine");
    assert_eq!(call(&app, "PUT", "/accounts/1004", Some(&key), &account_body()).await.0, 201);
    let invited = json!({ "email": MANAGER, "name": "Dana Lake", "role": "OFFICE_MANAGER" });
    let (status, user) = call(&app, "POST", "/accounts/1004/users", Some(&key), &invited).await;
    assert_eq!((status, user["status"].as_str()), (201, Some("INVITED")), "{user}");
    let (status, _) = call(&app, "POST", "/accounts/1004/users", Some(&key), &invited).await;
    assert_eq!(status, 409, "the email has a login now");

    // The invitation, then the first login and the new password.
    let temporary = app.email_to(MANAGER).await.line_value("Temporary password").unwrap();
    let first = app.try_login(MANAGER, &temporary).await;
    let token = first["data"]["login"]["token"].as_str().unwrap().to_string();
    let changed = app
        .run(
            &token,
            "ChangePassword",
            json!({ "currentPassword": temporary, "newPassword": "Harbour81Quill47Meadow" }),
        )
        .await;
    assert_eq!(changed["changePassword"]["viewer"]["mustChangePassword"], false, "{changed}");

    // Last month's invoice, overdue; this month's, due in three weeks; a credit.
    let today = Utc::now().date_naive();
    let last_month = invoice_body(today - Duration::days(40));
    let this_month = invoice_body(today);
    assert_eq!(
        call(&app, "PUT", "/accounts/1004/invoices/INV-1004-10", Some(&key), &last_month).await.0,
        201
    );
    assert_eq!(
        call(&app, "PUT", "/accounts/1004/invoices/INV-1004-11", Some(&key), &this_month).await.0,
        201
    );
    let credit = json!({ "amount": "15.00", "description": "Outage credit", "postedOn": today.to_string() });
    assert_eq!(call(&app, "PUT", "/accounts/1004/credits/C-1", Some(&key), &credit).await.0, 201);

    let mails = app.emails_to(MANAGER, 4).await;
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert!(subjects.contains(&"New invoice INV-1004-11"), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("A credit of 15.00 CAD")), "{subjects:?}");

    assert_eq!(app.balance(&token).await, 2 * 5995 - 1500);
    let invoices = app.run(&token, "Invoices", json!({ "first": 10 })).await;
    let numbers: Vec<&Value> = invoices["account"]["invoices"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["number"])
        .collect();
    assert_eq!(numbers, [&json!("INV-1004-11"), &json!("INV-1004-10")]);
    let history = app.run(&token, "TransactionHistory", json!({ "first": 10 })).await;
    let rows: Vec<&Value> =
        history["account"]["transactions"]["edges"].as_array().unwrap().iter().map(|e| &e["node"]).collect();
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["CREDIT", "INVOICE", "INVOICE"], "newest first");
    let running: Vec<i64> = rows.iter().map(|r| cents(&r["balanceAfter"])).collect();
    assert_eq!(running, [2 * 5995 - 1500, 2 * 5995, 5995]);
    let log = activity(&app, &token).await;
    assert_eq!(
        actions(&log),
        ["CREDIT_POSTED", "INVOICE_POSTED", "INVOICE_POSTED", "USER_INVITED", "ACCOUNT_OPENED"]
    );
    assert!(log.iter().all(|entry| entry["actor"].is_null()), "the carrier's systems did it");

    // The office manager pays part by hand, then puts the account on Auto Pay: what is overdue
    // is charged at once, the rest on its due date.
    let visa = app.add_payment_method(&token, "pm_card_visa").await;
    let paid = app.make_payment(&token, "10.00", &visa["id"], "first-payment").await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED", "{paid}");
    let on = app.run(&token, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": visa["id"] })).await;
    assert_eq!(on["setAutoPay"]["autoPay"]["nextChargeOn"], (today + Duration::days(21)).to_string(), "{on}");
    assert_eq!(app.balance(&token).await, 5995, "the overdue invoice is paid");
    run_autopay(&app, today + Duration::days(21));
    assert_eq!(app.balance(&token).await, 0);
    let charged = auto_pay_payments(&app, "1004").await;
    assert_eq!(charged, vec![("succeeded".into(), None), ("succeeded".into(), None)]);
}
