//! What a person sees and controls of their own sign-ins: where they are signed in (and ending
//! those sessions), proving again who they are before what moves money or power, and the security
//! notices that tell them of every change to how they sign in.

use billing_portal::clock::Clock;
use chrono::{Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::{
    helpers::{MANAGER, MEMBER, Options, TestApp, captured_logs},
    operations::operation,
    two_factor::{code_at, enrol},
};

/// Logs in from a browser that names itself `user_agent`.
async fn login_from(app: &TestApp, user_agent: &str, who: (&str, &str)) -> String {
    let answer: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("user-agent", user_agent)
        .json(&json!({ "query": operation("Login"), "variables": { "email": who.0, "password": who.1 } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{answer}")).to_string()
}

fn error_code(answer: &Value) -> &str {
    answer["errors"][0]["extensions"]["code"].as_str().unwrap_or_else(|| panic!("no error: {answer}"))
}

fn user_error(answer: &Value, payload: &str) -> String {
    answer["data"][payload]["userErrors"][0]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_string()
}

#[tokio::test]
async fn a_person_sees_where_they_are_signed_in_and_signs_out_elsewhere() {
    let app = TestApp::spawn().await;
    let laptop = login_from(&app, "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", MANAGER).await;
    let phone = login_from(&app, "Mozilla/5.0 (iPhone) Safari/604.1", MANAGER).await;
    let long_agent = "A".repeat(5_000);
    let tablet = login_from(&app, &long_agent, MANAGER).await;
    let member = login_from(&app, "Member's browser", MEMBER).await;

    let mine = app.graphql(&operation("MySecurity"), json!({}), Some(&laptop)).await;
    let sessions = mine["data"]["viewer"]["sessions"].as_array().unwrap_or_else(|| panic!("{mine}")).clone();
    assert_eq!(sessions.len(), 3, "the manager's three, not the member's: {mine}");
    let agents: Vec<&str> = sessions.iter().map(|s| s["userAgent"].as_str().unwrap()).collect();
    assert_eq!(agents[2], "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", "newest first: {mine}");
    assert_eq!(agents[1], "Mozilla/5.0 (iPhone) Safari/604.1");
    assert_eq!(agents[0], "A".repeat(256), "a client's name is cut to 256 characters");
    let current: Vec<bool> = sessions.iter().map(|s| s["current"].as_bool().unwrap()).collect();
    assert_eq!(current, [false, false, true], "{mine}");
    assert!(sessions.iter().all(|s| s["clientAddress"] == "127.0.0.1" && s["createdAt"].is_string()));
    let phone_id = sessions[1]["id"].clone();

    // Another person can neither see nor end them.
    let peek = app.graphql(&operation("Node"), json!({ "id": phone_id }), Some(&member)).await;
    assert!(peek["data"]["node"].is_null(), "{peek}");
    let theirs = app.graphql(&operation("RevokeSession"), json!({ "id": phone_id }), Some(&member)).await;
    assert_eq!(error_code(&theirs), "NOT_FOUND", "{theirs}");
    assert!(app.graphql("{ viewer { id } }", json!({}), Some(&phone)).await["data"]["viewer"].is_object());

    // Ending the phone's session signs the phone out, and only it.
    let revoked = app.graphql(&operation("RevokeSession"), json!({ "id": phone_id }), Some(&laptop)).await;
    assert_eq!(revoked["data"]["revokeSession"]["ok"], true, "{revoked}");
    let gone = app.graphql(&operation("Dashboard"), json!({}), Some(&phone)).await;
    assert_eq!(error_code(&gone), "UNAUTHENTICATED");
    let again = app.graphql(&operation("RevokeSession"), json!({ "id": phone_id }), Some(&laptop)).await;
    assert_eq!(error_code(&again), "NOT_FOUND", "{again}");

    // Everywhere else: the tablet goes, the laptop stays, and so does the member.
    let others = app.graphql(&operation("SignOutOtherSessions"), json!({}), Some(&laptop)).await;
    assert_eq!(others["data"]["signOutOtherSessions"]["revokedCount"], 1, "{others}");
    assert_eq!(
        error_code(&app.graphql(&operation("Dashboard"), json!({}), Some(&tablet)).await),
        "UNAUTHENTICATED"
    );
    for token in [&laptop, &member] {
        let still = app.graphql(&operation("Dashboard"), json!({}), Some(token)).await;
        assert!(still["errors"].is_null(), "{still}");
    }
    let left = app.graphql(&operation("MySecurity"), json!({}), Some(&laptop)).await;
    assert_eq!(left["data"]["viewer"]["sessions"].as_array().unwrap().len(), 1, "{left}");

    // A session's id finds it again, for its owner.
    let own_id = left["data"]["viewer"]["sessions"][0]["id"].clone();
    let found = app.graphql(&operation("Node"), json!({ "id": own_id }), Some(&laptop)).await;
    assert_eq!(found["data"]["node"]["id"], own_id, "{found}");
}

#[tokio::test]
async fn what_moves_money_or_power_asks_an_enrolled_user_to_prove_it_again() {
    let clock = Clock::manual(Utc::now());
    let tweak = Box::new(crate::helpers::roomy_throttle);
    let app = TestApp::spawn_with(Options { clock: clock.clone(), tweak, ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let users = app.run(&token, "OrganizationUsers", json!({})).await;
    let member_id = users["account"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == MEMBER.0)
        .map(|u| u["id"].clone())
        .unwrap();

    // Password only: nothing more to ask, however long ago the login was.
    clock.advance(Duration::minutes(16));
    let off = app.graphql(&operation("SetAutoPay"), json!({ "enabled": false }), Some(&token)).await;
    assert_eq!(off["data"]["setAutoPay"]["userErrors"], json!([]), "{off}");
    let on = app.graphql(&operation("SetAutoPay"), json!({ "enabled": true }), Some(&token)).await;
    assert_eq!(on["data"]["setAutoPay"]["autoPay"]["enabled"], true, "{on}");

    // Enrolled, and 16 minutes after the last proof: each of these is refused, and changes nothing.
    let secret = enrol(&app, &token, &clock).await;
    let ids = |methods: Vec<Value>| methods.iter().map(|m| m["id"].clone()).collect::<Vec<_>>();
    let methods_before = ids(app.payment_methods(&token).await);
    clock.advance(Duration::minutes(16));
    let off = app.graphql(&operation("SetAutoPay"), json!({ "enabled": false }), Some(&token)).await;
    assert_eq!(off["data"]["setAutoPay"]["userErrors"], json!([]), "turning Auto Pay off is never held back");
    let attempts = [
        ("SetAutoPay", json!({ "enabled": true }), "setAutoPay"),
        ("BeginPaymentMethodSetup", json!({}), "beginPaymentMethodSetup"),
        ("AddPaymentMethod", json!({ "gatewayPaymentMethodId": "pm_card_mastercard" }), "addPaymentMethod"),
        ("UpdateUser", json!({ "id": member_id, "role": "OFFICE_MANAGER" }), "updateUser"),
        ("DeleteUser", json!({ "id": member_id }), "deleteUser"),
        (
            "InviteUser",
            json!({ "email": "new.manager@maple-dental.example", "name": "New Manager", "role": "OFFICE_MANAGER" }),
            "inviteUser",
        ),
    ];
    for (name, variables, payload) in &attempts {
        let refused = app.graphql(&operation(name), variables.clone(), Some(&token)).await;
        assert_eq!(user_error(&refused, payload), "REAUTHENTICATION_REQUIRED", "{name}: {refused}");
    }
    let method_id = methods_before[0].clone();
    let refused =
        app.graphql(&operation("RemovePaymentMethod"), json!({ "id": method_id }), Some(&token)).await;
    assert_eq!(user_error(&refused, "removePaymentMethod"), "REAUTHENTICATION_REQUIRED", "{refused}");
    let with_auto_pay = json!({ "amount": "1.00", "paymentMethodId": method_id, "idempotencyKey": "reauth-1", "useForAutoPay": true });
    let refused = app.graphql(&operation("MakePayment"), with_auto_pay, Some(&token)).await;
    assert_eq!(
        user_error(&refused, "makePayment"),
        "REAUTHENTICATION_REQUIRED",
        "nothing charged: {refused}"
    );
    let renamed = app
        .graphql(&operation("UpdateUser"), json!({ "id": member_id, "name": "Front Desk" }), Some(&token))
        .await;
    assert_eq!(renamed["data"]["updateUser"]["userErrors"], json!([]), "a name is not power: {renamed}");
    let now = app.run(&token, "OrganizationUsers", json!({})).await;
    assert_eq!(now["account"]["users"].as_array().unwrap().len(), 2, "nobody was deleted");
    assert_eq!(ids(app.payment_methods(&token).await), methods_before, "no method was added or removed");
    let status = app.run(&token, "Dashboard", json!({})).await;
    assert_eq!(status["account"]["autoPay"]["enabled"], false, "{status}");

    // A wrong code proves nothing; a right one does, once, even sent eight times at once.
    let wrong = app.graphql(&operation("Reauthenticate"), json!({ "code": "000000" }), Some(&token)).await;
    assert_eq!(user_error(&wrong, "reauthenticate"), "INVALID_CODE");
    let code = code_at(&secret, clock.now() + Duration::seconds(30));
    clock.advance(Duration::seconds(30));
    let reauthenticate = operation("Reauthenticate");
    let answers =
        join_all((0..8).map(|_| app.graphql(&reauthenticate, json!({ "code": code }), Some(&token)))).await;
    let proved = answers.iter().filter(|a| a["data"]["reauthenticate"]["ok"] == true).count();
    let spent = answers
        .iter()
        .filter(|a| a["data"]["reauthenticate"]["userErrors"][0]["code"] == "INVALID_CODE")
        .count();
    assert_eq!((proved, spent), (1, 7), "{answers:?}");

    // Now each goes through.
    let on = app.graphql(&operation("SetAutoPay"), json!({ "enabled": true }), Some(&token)).await;
    assert_eq!(on["data"]["setAutoPay"]["autoPay"]["enabled"], true, "{on}");
    let added = app.add_payment_method(&token, "pm_card_mastercard").await;
    let removed =
        app.graphql(&operation("RemovePaymentMethod"), json!({ "id": added["id"] }), Some(&token)).await;
    assert_eq!(removed["data"]["removePaymentMethod"]["removedId"], added["id"], "{removed}");
    let promoted = app
        .graphql(&operation("UpdateUser"), json!({ "id": member_id, "role": "OFFICE_MANAGER" }), Some(&token))
        .await;
    assert_eq!(promoted["data"]["updateUser"]["user"]["role"], "OFFICE_MANAGER", "{promoted}");

    // For 15 minutes; then again, and a password does it too.
    clock.advance(Duration::minutes(15));
    let late = app.graphql(&operation("DeleteUser"), json!({ "id": member_id }), Some(&token)).await;
    assert_eq!(user_error(&late, "deleteUser"), "REAUTHENTICATION_REQUIRED", "{late}");
    // With an authenticator app, only a code: a password proves no more than a stolen one would.
    let by_password =
        app.graphql(&operation("Reauthenticate"), json!({ "password": MANAGER.1 }), Some(&token)).await;
    assert_eq!(user_error(&by_password, "reauthenticate"), "INVALID_CODE", "{by_password}");
    clock.advance(Duration::seconds(30));
    let code = code_at(&secret, clock.now());
    let by_code = app.graphql(&operation("Reauthenticate"), json!({ "code": code }), Some(&token)).await;
    assert_eq!(by_code["data"]["reauthenticate"]["ok"], true, "{by_code}");
    let deleted = app.graphql(&operation("DeleteUser"), json!({ "id": member_id }), Some(&token)).await;
    assert_eq!(deleted["data"]["deleteUser"]["deletedId"], member_id, "{deleted}");

    // A new sign-in in two steps is itself recent.
    let challenge = app
        .graphql(
            &operation("LoginWithSecondFactor"),
            json!({ "email": MANAGER.0, "password": MANAGER.1 }),
            None,
        )
        .await["data"]["login"]["secondFactor"]["challenge"]
        .clone();
    clock.advance(Duration::seconds(30));
    let verified = app
        .graphql(
            &operation("VerifyLogin"),
            json!({ "challenge": challenge, "code": code_at(&secret, clock.now()) }),
            None,
        )
        .await;
    let fresh = verified["data"]["verifyLogin"]["token"].as_str().unwrap_or_else(|| panic!("{verified}"));
    let off = app.graphql(&operation("SetAutoPay"), json!({ "enabled": false }), Some(fresh)).await;
    let on = app.graphql(&operation("SetAutoPay"), json!({ "enabled": true }), Some(fresh)).await;
    assert_eq!(
        (
            off["data"]["setAutoPay"]["userErrors"].clone(),
            on["data"]["setAutoPay"]["autoPay"]["enabled"].clone()
        ),
        (json!([]), json!(true)),
        "{on}"
    );

    let logs = captured_logs();
    assert!(!logs.contains(&code) && !logs.contains(MANAGER.1), "no code or password in the log");
}

#[tokio::test]
async fn every_change_to_how_someone_signs_in_is_emailed_to_them() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let other = app.login(MANAGER.0, MANAGER.1).await;
    let when =
        clock.now().with_timezone(&chrono_tz::America::Toronto).format("%Y-%m-%d %H:%M %Z").to_string();

    let new_password = "Quartz51Harbor26Meadow";
    let changed = app
        .graphql(
            &operation("ChangePassword"),
            json!({ "currentPassword": MANAGER.1, "newPassword": new_password }),
            Some(&token),
        )
        .await;
    assert_eq!(changed["data"]["changePassword"]["userErrors"], json!([]), "{changed}");
    assert_eq!(
        error_code(&app.graphql(&operation("Dashboard"), json!({}), Some(&other)).await),
        "UNAUTHENTICATED"
    );
    let secret = enrol(&app, &token, &clock).await;
    clock.advance(Duration::seconds(30));
    let off = app
        .graphql(&operation("DisableTotp"), json!({ "code": code_at(&secret, clock.now()) }), Some(&token))
        .await;
    assert_eq!(off["data"]["disableTotp"]["viewer"]["twoFactorEnabled"], false, "{off}");

    let emails = app.emails_to(MANAGER.0, 3).await;
    let subjects: Vec<&str> = emails.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["Your Billing Portal password was changed", "Two-step sign-in is on", "Two-step sign-in is off"]
    );
    assert!(
        emails[0].text.contains(&format!("was changed on {when}. Every other session was signed out.")),
        "{}",
        emails[0].text
    );
    for email in &emails {
        assert!(email.text.contains("http://portal.test/settings"), "{}", email.text);
        assert!(!email.text.contains(new_password), "{}", email.text);
    }

    // Choosing a first password for a temporary one is the invitation's own step: no notice.
    let invited = app
        .run(
            &token,
            "InviteUser",
            json!({ "email": "new.hire@maple-dental.example", "name": "New Hire", "role": "MEMBER" }),
        )
        .await;
    assert_eq!(invited["inviteUser"]["userErrors"], json!([]));
    let invitation = app.email_to("new.hire@maple-dental.example").await;
    let temporary = invitation.line_value("Temporary password").expect("a temporary password");
    let first = app.login("new.hire@maple-dental.example", &temporary).await;
    let chosen = app
        .graphql(
            &operation("ChangePassword"),
            json!({ "currentPassword": temporary, "newPassword": new_password }),
            Some(&first),
        )
        .await;
    assert_eq!(chosen["data"]["changePassword"]["userErrors"], json!([]), "{chosen}");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.emails_to("new.hire@maple-dental.example", 2).await.len(), 1, "the invitation only");
}

#[tokio::test]
async fn an_office_manager_resets_the_second_factor_of_someone_who_lost_it() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    enrol(&app, &member, &clock).await;
    let users = app.run(&manager, "OrganizationUsers", json!({})).await;
    let id_of = |email: &str| {
        users["account"]["users"].as_array().unwrap().iter().find(|u| u["email"] == email).unwrap()["id"]
            .clone()
    };
    let reset = "mutation($id: ID!) { resetSecondFactor(input: { id: $id }) { user { id twoFactorEnabled } userErrors { code } } }";

    // Not a member's to do, and not for another account's people.
    let refused = app.graphql(reset, json!({ "id": id_of(MANAGER.0) }), Some(&member)).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let prairie = app.login(crate::helpers::PRAIRIE.0, crate::helpers::PRAIRIE.1).await;
    let elsewhere = app.graphql(reset, json!({ "id": id_of(MEMBER.0) }), Some(&prairie)).await;
    assert_eq!(error_code(&elsewhere), "NOT_FOUND", "{elsewhere}");

    let done = app.graphql(reset, json!({ "id": id_of(MEMBER.0) }), Some(&manager)).await;
    assert_eq!(done["data"]["resetSecondFactor"]["user"]["twoFactorEnabled"], false, "{done}");
    // The member (and whoever holds their lost phone's session) is logged out, and hears of it.
    assert_eq!(
        error_code(&app.graphql(&operation("Dashboard"), json!({}), Some(&member)).await),
        "UNAUTHENTICATED"
    );
    let notice = app.emails_to(MEMBER.0, 2).await;
    assert_eq!(
        notice[1].subject,
        "Two-step sign-in was reset",
        "{:?}",
        notice.iter().map(|e| &e.subject).collect::<Vec<_>>()
    );
    assert!(
        notice[1].text.contains(
            "Dana Whitfield, an office manager, reset two-step sign-in for your Billing Portal login"
        ),
        "{}",
        notice[1].text
    );
    let codes_left = crate::helpers::query_i64(&app, "SELECT COUNT(*) FROM recovery_codes").await;
    assert_eq!(codes_left, 0, "the recovery codes went too");
    // The password alone logs them in again.
    assert!(app.try_login(MEMBER.0, MEMBER.1).await["data"]["login"]["token"].is_string());
    let activity = app.run(&manager, "Activity", json!({ "first": 1 })).await;
    let summary = activity["account"]["activity"]["edges"][0]["node"]["summary"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(summary.starts_with("Reset two-step sign-in of"), "{activity}");
}
