use serde_json::{Value, json};

use crate::helpers::{MANAGER, PUBLIC_URL, TestApp, pluck, query_i64, query_string};

const INVITE: &str = "mutation($email: String!, $name: String!, $role: Role!) {
    inviteUser(input: { email: $email, name: $name, role: $role }) {
        user { id email name role status } userErrors { field message code } } }";
const CHANGE: &str = "mutation($current: String!, $new: String!) {
    changePassword(input: { currentPassword: $current, newPassword: $new }) {
        viewer { id mustChangePassword } userErrors { field message code } } }";

pub async fn invite(app: &TestApp, token: &str, email: &str, name: &str, role: &str) -> Value {
    app.graphql(INVITE, json!({ "email": email, "name": name, "role": role }), Some(token)).await
}

async fn change_password(app: &TestApp, token: &str, current: &str, new: &str) -> Value {
    app.graphql(CHANGE, json!({ "current": current, "new": new }), Some(token)).await
}

#[tokio::test]
async fn invitation_first_login_and_forced_password_change() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let email = "Priya.Natarajan@Maple-Dental.example";
    let answer = invite(&app, &manager, email, "Priya Natarajan", "MEMBER").await;
    let user = &answer["data"]["inviteUser"]["user"];
    assert_eq!(user["email"], "priya.natarajan@maple-dental.example", "{answer}");
    assert_eq!(user["status"], "INVITED");

    // The invitation, read back from the SMTP server.
    let mail = app.email_to("priya.natarajan@maple-dental.example").await;
    assert_eq!(mail.line_value("Username").as_deref(), Some("priya.natarajan@maple-dental.example"));
    let temporary = mail.line_value("Temporary password").expect("a temporary password line");
    assert!(mail.text.contains(&format!("{PUBLIC_URL}/login")), "{}", mail.text);
    assert!(mail.html.contains(&temporary), "the HTML part says the same");
    assert!(mail.subject.contains("Maple Dental Clinic"), "{}", mail.subject);
    assert!(temporary.chars().count() >= 15 && temporary.chars().filter(char::is_ascii_digit).count() >= 2);

    // First login: only viewer, changePassword and logout answer.
    let answer = app.try_login("priya.natarajan@maple-dental.example", &temporary).await;
    assert_eq!(answer["data"]["login"]["viewer"]["mustChangePassword"], true, "{answer}");
    let token = answer["data"]["login"]["token"].as_str().unwrap().to_string();
    let refused = app.graphql("{ account { id } }", json!({}), Some(&token)).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "PASSWORD_CHANGE_REQUIRED", "{refused}");
    let viewer = app.graphql("{ viewer { mustChangePassword } }", json!({}), Some(&token)).await;
    assert_eq!(viewer["data"]["viewer"]["mustChangePassword"], true);

    // The policy names each rule it refuses.
    let answer = change_password(&app, &token, &temporary, "short").await;
    let codes = pluck(&answer["data"]["changePassword"]["userErrors"], "code");
    assert_eq!(codes, ["PASSWORD_TOO_SHORT", "PASSWORD_NEEDS_DIGITS", "PASSWORD_NEEDS_MIXED_CASE"]);
    let answer = change_password(&app, &token, &temporary, "PriyaNatarajan2024").await;
    assert_eq!(
        answer["data"]["changePassword"]["userErrors"][0]["code"], "PASSWORD_TOO_GUESSABLE",
        "{answer}"
    );
    let answer = change_password(&app, &token, "Not-the-temporary-99", "Lantern57Orchid82Basalt").await;
    assert_eq!(answer["data"]["changePassword"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{answer}");
    let answer = change_password(&app, &token, &temporary, &temporary).await;
    assert_eq!(answer["data"]["changePassword"]["userErrors"][0]["code"], "PASSWORD_UNCHANGED", "{answer}");

    // A long Unicode passphrase (152 code points) is welcome, whole.
    let chosen = "Ünïcødé-lantern 57 ORCHID 82 basalt ☕ ".repeat(4);
    assert!(chosen.chars().count() > 128);
    let answer = change_password(&app, &token, &temporary, &chosen).await;
    assert_eq!(answer["data"]["changePassword"]["viewer"]["mustChangePassword"], false, "{answer}");
    let answer = app.graphql("{ account { users { email status } } }", json!({}), Some(&token)).await;
    let priya = answer["data"]["account"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "priya.natarajan@maple-dental.example")
        .cloned()
        .unwrap();
    assert_eq!(priya["status"], "ACTIVE");

    // The temporary password is gone; the chosen one works, and not a truncation of it.
    let answer = app.try_login("priya.natarajan@maple-dental.example", &temporary).await;
    assert_eq!(answer["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    let truncated: String = chosen.chars().take(72).collect();
    let answer = app.try_login("priya.natarajan@maple-dental.example", &truncated).await;
    assert_eq!(answer["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    let session = app.login("priya.natarajan@maple-dental.example", &chosen).await;

    // Forgotten already: the reset link arrives through the same SMTP server.
    app.graphql(
        "mutation($email: String!) { requestPasswordReset(input: { email: $email }) { ok } }",
        json!({ "email": "priya.natarajan@maple-dental.example" }),
        None,
    )
    .await;
    let token = app.emails_to("priya.natarajan@maple-dental.example", 2).await.pop().unwrap().reset_token();
    let answer = app
        .graphql(
            "mutation($token: String!, $new: String!) { resetPassword(input: { token: $token, newPassword: $new }) { ok } }",
            json!({ "token": token, "new": "Meadowlark61Quarry94Tinsel" }),
            None,
        )
        .await;
    assert_eq!(answer["data"]["resetPassword"]["ok"], true, "{answer}");
    assert!(app.graphql("{ viewer { id } }", json!({}), Some(&session)).await["data"]["viewer"].is_null());
    app.login("priya.natarajan@maple-dental.example", "Meadowlark61Quarry94Tinsel").await;
}

#[tokio::test]
async fn a_password_change_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let here = app.login(MANAGER.0, MANAGER.1).await;
    let elsewhere = app.login(MANAGER.0, MANAGER.1).await;
    let answer = change_password(&app, &here, MANAGER.1, "Harbour63Meadow48Quill").await;
    assert!(answer["data"]["changePassword"]["userErrors"].as_array().unwrap().is_empty(), "{answer}");
    assert!(app.graphql("{ viewer { id } }", json!({}), Some(&elsewhere)).await["data"]["viewer"].is_null());
    assert!(!app.graphql("{ viewer { id } }", json!({}), Some(&here)).await["data"]["viewer"].is_null());
}

#[tokio::test]
async fn a_temporary_password_works_for_seven_days_only() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    invite(&app, &manager, "late@maple-dental.example", "Late Comer", "MEMBER").await;
    let temporary = app.email_to("late@maple-dental.example").await.line_value("Temporary password").unwrap();

    let expires = query_string(
        &app,
        "SELECT CAST(password_expires_at AS TEXT) FROM users WHERE email = 'late@maple-dental.example'",
    )
    .await;
    let expected = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
    assert!(expires.starts_with(&expected), "expires in 7 days: {expires}");

    let past = (chrono::Utc::now() - chrono::Duration::seconds(1)).to_rfc3339();
    app.execute_sql(&format!(
        "UPDATE users SET password_expires_at = '{past}' WHERE email = 'late@maple-dental.example'"
    ))
    .await;
    let answer = app.try_login("late@maple-dental.example", &temporary).await;
    assert_eq!(answer["data"]["login"]["userErrors"][0]["code"], "TEMPORARY_PASSWORD_EXPIRED", "{answer}");
    assert!(answer["data"]["login"]["token"].is_null());
}

#[tokio::test]
async fn invitations_refuse_bad_input_and_taken_addresses() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let answer = invite(&app, &manager, "not-an-email", "  ", "MEMBER").await;
    let errors = answer["data"]["inviteUser"]["userErrors"].as_array().unwrap().clone();
    let fields: Vec<(&str, &str)> =
        errors.iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
    assert_eq!(fields, [("email", "INVALID_EMAIL"), ("name", "INVALID_NAME")]);

    let answer = invite(&app, &manager, "OPS@prairie-freight.example", "Someone", "OFFICE_MANAGER").await;
    assert_eq!(answer["data"]["inviteUser"]["userErrors"][0]["code"], "EMAIL_TAKEN", "{answer}");
    assert!(answer["data"]["inviteUser"]["user"].is_null());
    assert_eq!(
        query_i64(&app, "SELECT COUNT(*) FROM email_outbox").await,
        0,
        "no email for a refused invitation"
    );
}

#[tokio::test]
async fn an_invited_office_manager_can_invite_in_turn() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    invite(&app, &manager, "second.manager@maple-dental.example", "Second Manager", "OFFICE_MANAGER").await;
    let temporary =
        app.email_to("second.manager@maple-dental.example").await.line_value("Temporary password").unwrap();
    let token = app.login("second.manager@maple-dental.example", &temporary).await;
    change_password(&app, &token, &temporary, "Granite39Willow74Falcon").await;
    let answer = invite(&app, &token, "third@maple-dental.example", "Third Person", "MEMBER").await;
    assert_eq!(answer["data"]["inviteUser"]["user"]["role"], "MEMBER", "{answer}");
}
