//! The account's activity beyond the portal's own users: what the command line, Auto Pay and the
//! payment gateway change is recorded with no one named, and every entry can be paged to.

use serde_json::{Value, json};

use crate::{
    cli::billing_portal,
    helpers::{HARBOUR, MANAGER, TestApp},
    team::{actions, activity},
};

/// The entry for `action`, newest first.
fn entry<'a>(log: &'a [Value], action: &str) -> &'a Value {
    log.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{action} in {:?}", actions(log)))
}

#[tokio::test]
async fn the_command_line_and_the_carrier_s_systems_are_recorded_as_no_one() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let before = activity(&app, &manager).await.len();

    let invited = billing_portal(
        &app,
        &[
            "invite",
            "--account",
            "1001",
            "--email",
            "cli@maple-dental.example",
            "--name",
            "Cli Hire",
            "--role",
            "member",
        ],
        &[],
    );
    assert!(invited.status.success(), "{}", String::from_utf8_lossy(&invited.stderr));
    let file = app.mail_dir.with_file_name("calls.csv");
    std::fs::write(
        &file,
        "call_id,started_at,direction,from_number,to_number,duration_seconds,call_type,rated_amount,currency,\
         invoice_number\nact-1,2026-11-01T10:00:00Z,outbound,+14165550101,+15551234567,60,local,0,CAD,\n",
    )
    .unwrap();
    let imported = billing_portal(&app, &["import-cdrs", "--account", "1001", file.to_str().unwrap()], &[]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let id = crate::team::user_id(&app, &manager, "cli@maple-dental.example").await;
    app.run(&manager, "ResendInvitation", json!({ "id": id })).await;

    let log = activity(&app, &manager).await;
    assert_eq!(log.len(), before + 3, "{:?}", actions(&log));
    assert_eq!(actions(&log)[..3], ["INVITATION_RESENT", "CALL_RECORDS_IMPORTED", "USER_INVITED"]);
    assert_eq!(log[0]["actor"]["email"], MANAGER.0, "the office manager resent it");
    for by_operator in &log[1..3] {
        assert!(by_operator["actor"].is_null(), "the operator's command line: {by_operator}");
    }
    assert!(log[1]["summary"].as_str().unwrap().contains("1 call record"), "{}", log[1]);
    assert!(log[2]["summary"].as_str().unwrap().contains("cli@maple-dental.example"), "{}", log[2]);
}

#[tokio::test]
async fn auto_pay_s_charge_names_no_one_and_pages_reach_every_entry() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let card = methods["account"]["paymentMethods"][0]["id"].clone();
    for enabled in [true, false, true] {
        app.run(&token, "SetAutoPay", json!({ "enabled": enabled, "paymentMethodId": card })).await;
    }
    let log = activity(&app, &token).await;
    // Turning it on charged the overdue bill at once: Auto Pay's doing, not the office manager's.
    let charged = entry(&log, "PAYMENT_MADE");
    assert!(charged["actor"].is_null(), "{charged}");
    assert!(charged["summary"].as_str().unwrap().starts_with("Auto Pay"), "{charged}");
    assert_eq!(entry(&log, "AUTO_PAY_ENABLED")["actor"]["email"], HARBOUR.0);

    // Two at a time, by cursor: every entry once, in the same order, and the count agrees.
    let mut paged: Vec<Value> = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.run(&token, "Activity", json!({ "first": 2, "after": after })).await;
        let connection = &page["account"]["activity"];
        assert_eq!(connection["totalCount"], log.len(), "{connection}");
        paged.extend(connection["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()));
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    let ids = |entries: &[Value]| entries.iter().map(|e| e["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&paged), ids(&log));
}
