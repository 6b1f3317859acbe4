//! Manage Users, billing notifications and the account's activity.

use serde_json::{Value, json};

use crate::{
    helpers::{MANAGER, MEMBER, PRAIRIE, TestApp},
    operations::operation,
};

pub async fn user_id(app: &TestApp, token: &str, email: &str) -> Value {
    let data = app.run(token, "OrganizationUserSettings", json!({})).await;
    data["account"]["users"].as_array().unwrap().iter().find(|u| u["email"] == email).unwrap()["id"].clone()
}

async fn update(app: &TestApp, token: &str, variables: Value) -> Value {
    app.graphql(&operation("UpdateUser"), variables, Some(token)).await
}

pub async fn activity(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app.run(token, "Activity", json!({ "first": 100 })).await;
    data["account"]["activity"]["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect()
}

pub fn actions(entries: &[Value]) -> Vec<&str> {
    entries.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn office_managers_edit_anyone_and_members_only_themselves() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let mine = app.run(&member, "MySettings", json!({})).await;
    assert_eq!(mine["viewer"]["timeZone"], "America/Toronto", "the account's, by default");
    assert_eq!(mine["viewer"]["billingNotifications"], false, "off for members by default");
    let theirs = app.run(&manager, "MySettings", json!({})).await;
    assert_eq!(theirs["viewer"]["billingNotifications"], true, "on for office managers by default");

    let member_id = user_id(&app, &manager, MEMBER.0).await;
    let manager_id = user_id(&app, &manager, MANAGER.0).await;
    // A member: their own name, time zone and notifications; not their role, not anyone else.
    let own = update(&app, &member, json!({ "id": member_id, "name": "Sam O.", "timeZone": "America/Vancouver", "billingNotifications": true })).await;
    let user = &own["data"]["updateUser"]["user"];
    assert_eq!(
        (user["name"].as_str(), user["timeZone"].as_str(), user["billingNotifications"].as_bool()),
        (Some("Sam O."), Some("America/Vancouver"), Some(true)),
        "{own}"
    );
    let role = update(&app, &member, json!({ "id": member_id, "role": "OFFICE_MANAGER" })).await;
    assert_eq!(role["data"]["updateUser"]["userErrors"][0]["code"], "CANNOT_CHANGE_OWN_ROLE", "{role}");
    let other = update(&app, &member, json!({ "id": manager_id, "name": "Someone" })).await;
    assert_eq!(other["errors"][0]["extensions"]["code"], "FORBIDDEN", "{other}");
    let bad = update(&app, &member, json!({ "id": member_id, "timeZone": "Mars/Olympus", "name": "" })).await;
    let codes: Vec<&str> = bad["data"]["updateUser"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["INVALID_NAME", "INVALID_TIME_ZONE"], "{bad}");

    // An office manager: anyone's role, effective at that user's next request.
    let promoted = update(&app, &manager, json!({ "id": member_id, "role": "OFFICE_MANAGER" })).await;
    assert_eq!(promoted["data"]["updateUser"]["user"]["role"], "OFFICE_MANAGER", "{promoted}");
    let setup = app.graphql(&operation("BeginPaymentMethodSetup"), json!({}), Some(&member)).await;
    assert!(setup["errors"].is_null(), "the new office manager's next request: {setup}");
    let log = activity(&app, &manager).await;
    assert!(actions(&log).contains(&"ROLE_CHANGED") && actions(&log).contains(&"USER_UPDATED"), "{log:?}");
    let changed = log.iter().find(|e| e["action"] == "ROLE_CHANGED").unwrap();
    assert_eq!(changed["actor"]["email"], MANAGER.0);
}

#[tokio::test]
async fn the_account_keeps_an_office_manager_even_when_two_demote_each_other_at_once() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member_id = user_id(&app, &manager, MEMBER.0).await;
    let manager_id = user_id(&app, &manager, MANAGER.0).await;
    update(&app, &manager, json!({ "id": member_id, "role": "OFFICE_MANAGER" })).await;
    let second = app.login(MEMBER.0, MEMBER.1).await;
    let (a, b) = tokio::join!(
        update(&app, &manager, json!({ "id": member_id, "role": "MEMBER" })),
        update(&app, &second, json!({ "id": manager_id, "role": "MEMBER" })),
    );
    // The loser is refused either way: as the last office manager if both checks overlap, or as no
    // longer an office manager if the other demotion committed before its request began.
    let refused: Vec<&Value> = [&a, &b]
        .into_iter()
        .filter(|answer| {
            answer["data"]["updateUser"]["userErrors"][0]["code"] == "LAST_OFFICE_MANAGER"
                || answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        })
        .collect();
    let done = [&a, &b].into_iter().filter(|answer| !answer["data"]["updateUser"]["user"].is_null()).count();
    assert_eq!((refused.len(), done), (1, 1), "{a} {b}");
    let users = app.run(&manager, "OrganizationUserSettings", json!({})).await;
    let managers = users["account"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["role"] == "OFFICE_MANAGER")
        .count();
    assert_eq!(managers, 1);
}

#[tokio::test]
async fn a_deleted_user_is_logged_out_at_once_and_their_history_still_names_them() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let methods = app.run(&member, "PaymentMethods", json!({})).await;
    let paid = app
        .make_payment(&member, "1.00", &methods["account"]["paymentMethods"][0]["id"], "before-leaving")
        .await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED");

    let manager_id = user_id(&app, &manager, MANAGER.0).await;
    let itself = app.run(&manager, "DeleteUser", json!({ "id": manager_id })).await;
    assert_eq!(itself["deleteUser"]["userErrors"][0]["code"], "CANNOT_DELETE_SELF");
    let member_id = user_id(&app, &manager, MEMBER.0).await;
    let deleted = app.run(&manager, "DeleteUser", json!({ "id": member_id })).await;
    assert_eq!(deleted["deleteUser"]["deletedId"], member_id);

    let after = app.graphql(&operation("Dashboard"), json!({}), Some(&member)).await;
    assert_eq!(after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{after}");
    let log = activity(&app, &manager).await;
    let payment = log.iter().find(|e| e["action"] == "PAYMENT_MADE").unwrap();
    assert_eq!(payment["actor"]["name"], "Sam Okafor", "{payment}");
    assert!(
        log.iter()
            .any(|e| e["action"] == "USER_DELETED" && e["summary"].as_str().unwrap().contains(MEMBER.0))
    );
    let payments = app
        .graphql(
            "{ account { payments(first: 5) { edges { node { paidBy } } } } }",
            json!({}),
            Some(&manager),
        )
        .await;
    assert_eq!(
        payments["data"]["account"]["payments"]["edges"][0]["node"]["paidBy"], "Sam Okafor",
        "{payments}"
    );

    let again = app
        .run(&manager, "InviteUser", json!({ "email": MEMBER.0, "name": "Sam Okafor", "role": "MEMBER" }))
        .await;
    assert_eq!(again["inviteUser"]["userErrors"], json!([]), "their email may be invited again: {again}");
}

#[tokio::test]
async fn a_resent_invitation_replaces_the_temporary_password() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let email = "new@maple-dental.example";
    app.run(&manager, "InviteUser", json!({ "email": email, "name": "New Hire", "role": "MEMBER" })).await;
    let first = app.email_to(email).await.line_value("Temporary password").unwrap();
    let id = user_id(&app, &manager, email).await;
    let resent = app.run(&manager, "ResendInvitation", json!({ "id": id })).await;
    assert_eq!(resent["resendInvitation"]["user"]["status"], "INVITED", "{resent}");
    let mails = app.emails_to(email, 2).await;
    let second = mails[1].line_value("Temporary password").unwrap();
    assert_ne!(first, second);
    let old = app.try_login(email, &first).await;
    assert_eq!(
        old["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
        "the old one stops working"
    );
    app.login(email, &second).await;
    let accepted = app.run(&manager, "ResendInvitation", json!({ "id": id })).await;
    assert_eq!(accepted["resendInvitation"]["userErrors"][0]["code"], "INVITATION_ACCEPTED");
}

#[tokio::test]
async fn another_account_s_user_is_not_found_for_every_field_that_takes_one() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member_id = user_id(&app, &manager, MEMBER.0).await;
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    for (name, variables) in [
        ("UpdateUser", json!({ "id": member_id, "name": "Taken over" })),
        ("DeleteUser", json!({ "id": member_id })),
        ("ResendInvitation", json!({ "id": member_id })),
    ] {
        let answer = app.graphql(&operation(name), variables, Some(&prairie)).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "{name}: {answer}");
    }
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let answer = app.graphql(&operation("Activity"), json!({ "first": 5 }), Some(&member)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "members do not read the activity");
}

#[tokio::test]
async fn billing_notifications_reach_those_who_asked_in_their_own_time_zone() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let member_id = user_id(&app, &manager, MEMBER.0).await;
    update(&app, &member, json!({ "id": member_id, "billingNotifications": true, "timeZone": "Asia/Tokyo" }))
        .await;

    // The member pays: they get the receipt; the office manager, who asked, a notification.
    let methods = app.run(&member, "PaymentMethods", json!({})).await;
    let paid = app.make_payment(&member, "2.50", &methods["account"]["paymentMethods"][0]["id"], "n-1").await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED");
    let to_member = app.emails_to(MEMBER.0, 1).await;
    let to_manager = app.emails_to(MANAGER.0, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.emails_to(MEMBER.0, 2).await.len(), 1, "the payer: one email, the receipt");
    assert!(to_member[0].subject.starts_with("Payment received"), "{}", to_member[0].subject);
    assert!(to_member[0].text.contains("JST"), "the receipt… {}", to_member[0].text);
    assert_eq!(to_manager.len(), 1);
    assert!(
        to_manager[0].text.contains("2.50 CAD")
            && (to_manager[0].text.contains("EST") || to_manager[0].text.contains("EDT")),
        "{}",
        to_manager[0].text
    );
    assert!(to_manager[0].html.contains(crate::helpers::PUBLIC_URL), "a link into the portal");

    // The office manager opts out; the member hears of the next one, in Tokyo time.
    let manager_id = user_id(&app, &manager, MANAGER.0).await;
    update(&app, &manager, json!({ "id": manager_id, "billingNotifications": false })).await;
    let manager_pays =
        app.make_payment(&manager, "1.00", &methods["account"]["paymentMethods"][0]["id"], "n-2").await;
    assert_eq!(manager_pays["payment"]["status"], "SUCCEEDED");
    let to_member = app.emails_to(MEMBER.0, 2).await;
    assert_eq!(to_member.len(), 2);
    assert!(
        to_member[1].text.contains("1.00 CAD") && to_member[1].text.contains("JST"),
        "{}",
        to_member[1].text
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        app.emails_to(MANAGER.0, 3).await.len(),
        2,
        "the manager: the first notification and their own receipt"
    );

    // A declined payment is news as well: the member hears of it, in Tokyo time.
    let declined = app.add_payment_method(&manager, "pm_card_chargeDeclined").await;
    let refused = app.make_payment(&manager, "3.00", &declined["id"], "n-3").await;
    assert_eq!(refused["payment"]["status"], "FAILED", "{refused}");
    let to_member = app.emails_to(MEMBER.0, 3).await;
    assert_eq!(to_member.len(), 3);
    assert!(to_member[2].subject.contains("3.00 CAD failed"), "{}", to_member[2].subject);
    assert!(to_member[2].text.contains("JST"), "{}", to_member[2].text);
}

#[tokio::test]
async fn the_activity_records_each_audited_action_and_nothing_secret() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    app.run(
        &manager,
        "InviteUser",
        json!({ "email": "temp@maple-dental.example", "name": "Temp", "role": "MEMBER" }),
    )
    .await;
    app.run(&manager, "UpdateProfile", json!({ "input": { "timeZone": "America/Halifax" } })).await;
    let added = app
        .run(&manager, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": "pm_card_mastercard" }))
        .await;
    let card = added["addPaymentMethod"]["paymentMethod"]["id"].clone();
    app.run(&manager, "SetAutoPay", json!({ "enabled": false })).await;
    app.run(&manager, "SetAutoPay", json!({ "enabled": true, "paymentMethodId": card })).await;
    app.make_payment(&manager, "1.00", &card, "a-1").await;
    // The account's today (Toronto): from 00:00 to 05:00 UTC, UTC's date is a day ahead of it.
    let today = crate::call_history::today_in_toronto();
    app.run(
        &manager,
        "RequestCallHistoryExport",
        json!({ "from": (today - chrono::Duration::days(30)).to_string(), "to": today.to_string() }),
    )
    .await;
    let other =
        app.run(&manager, "AddPaymentMethod", json!({ "gatewayPaymentMethodId": "pm_card_visa" })).await;
    app.run(
        &manager,
        "RemovePaymentMethod",
        json!({ "id": other["addPaymentMethod"]["paymentMethod"]["id"] }),
    )
    .await;

    let log = activity(&app, &manager).await;
    let found = actions(&log);
    for action in [
        "USER_INVITED",
        "PROFILE_UPDATED",
        "PAYMENT_METHOD_ADDED",
        "AUTO_PAY_DISABLED",
        "AUTO_PAY_ENABLED",
        "PAYMENT_MADE",
        "CALL_HISTORY_EXPORTED",
        "PAYMENT_METHOD_REMOVED",
    ] {
        assert!(found.contains(&action), "{action} in {found:?}");
    }
    assert_eq!(found[0], "PAYMENT_METHOD_REMOVED", "newest first");
    for entry in &log {
        assert_eq!(entry["actor"]["email"], MANAGER.0, "{entry}");
        let summary = entry["summary"].as_str().unwrap();
        let digits = summary.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
        assert!(
            digits < 12 && !summary.contains("pm_") && !summary.contains("http"),
            "nothing secret: {summary}"
        );
    }
}

/// What the billing engine posts through the Partner API reaches those who asked, once each however
/// often it is sent, and the activity names no one: the carrier's systems did it.
#[tokio::test]
async fn a_posted_invoice_and_credit_notify_those_who_asked_and_enter_the_activity() {
    use crate::partner::{call, create_key};
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let before = app.balance(&manager).await;
    let key = create_key(&app, "engine");
    let today = chrono::Utc::now().date_naive();
    let due = today + chrono::Duration::days(21);
    let invoice = json!({
        "periodStart": (today - chrono::Duration::days(30)).to_string(),
        "periodEnd": (today - chrono::Duration::days(1)).to_string(),
        "issuedOn": today.to_string(),
        "dueOn": due.to_string(),
        "lines": [{ "description": "Hosted PBX seats (2)", "amount": "49.90" }],
        "taxes": [{ "name": "HST", "amount": "6.49" }],
        "total": "56.39"
    });
    let credit = json!({ "amount": "15.00", "description": "Service credit", "postedOn": today.to_string() });
    for _ in 0..2 {
        assert!(
            call(&app, "PUT", "/accounts/1001/invoices/INV-1001-POSTED", Some(&key), &invoice).await.0 < 300
        );
        assert!(call(&app, "PUT", "/accounts/1001/credits/SC-1", Some(&key), &credit).await.0 < 300);
    }

    let mails = app.emails_to(MANAGER.0, 2).await;
    let posted = mails.iter().find(|m| m.subject == "New invoice INV-1001-POSTED").unwrap();
    assert!(posted.text.contains("56.39 CAD") && posted.text.contains(&due.to_string()), "{}", posted.text);
    assert!(mails.iter().any(|m| m.subject.contains("credit of 15.00 CAD")), "{mails:?}");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.emails_to(MANAGER.0, 3).await.len(), 2, "once each, though sent twice");
    assert!(app.emails_to(MEMBER.0, 1).await.is_empty(), "members did not ask");

    let log = activity(&app, &manager).await;
    assert_eq!(actions(&log)[..2], ["CREDIT_POSTED", "INVOICE_POSTED"]);
    assert!(log[0]["actor"].is_null() && log[1]["actor"].is_null(), "the carrier's systems");
    assert_eq!(app.balance(&manager).await, before + 5639 - 1500);

    // The invoice shows the province's tax with its rate, as the engine computed it.
    let invoices = app.run(&manager, "Invoices", json!({ "first": 1 })).await;
    let id = invoices["account"]["invoices"]["edges"][0]["node"]["id"].clone();
    let details = app.run(&manager, "InvoiceDetails", json!({ "id": id })).await;
    let tax = &details["invoice"]["taxLines"][0];
    assert_eq!((tax["name"].as_str(), tax["rate"].as_str()), (Some("HST"), Some("0.13")), "{details}");
}

/// Someone invited as office manager who never logged in cannot run the account, so they do not
/// count: two office managers removing each other at once leave one active, invitation or not.
#[tokio::test]
async fn an_invited_office_manager_does_not_count_as_the_account_s_office_manager() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let invited =
        json!({ "email": "next@maple-dental.example", "name": "Next Manager", "role": "OFFICE_MANAGER" });
    app.run(&manager, "InviteUser", invited).await;
    let member_id = user_id(&app, &manager, MEMBER.0).await;
    let manager_id = user_id(&app, &manager, MANAGER.0).await;
    update(&app, &manager, json!({ "id": member_id, "role": "OFFICE_MANAGER" })).await;
    let second = app.login(MEMBER.0, MEMBER.1).await;
    let delete_user = operation("DeleteUser");
    let (demote, delete) = tokio::join!(
        update(&app, &manager, json!({ "id": member_id, "role": "MEMBER" })),
        app.graphql(&delete_user, json!({ "id": manager_id }), Some(&second)),
    );
    let active_managers = crate::helpers::query_i64(
        &app,
        "SELECT COUNT(*) FROM users WHERE role = 'office_manager' AND status = 'active' AND account_id = \
         (SELECT id FROM accounts WHERE number = '1001')",
    )
    .await;
    assert_eq!(active_managers, 1, "{demote} {delete}");
}
