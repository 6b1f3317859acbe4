use serde_json::{Value, json};

use crate::helpers::{MANAGER, MEMBER, PUBLIC_URL, TestApp, query_i64};

const REQUEST: &str = "mutation($email: String!) { requestPasswordReset(input: { email: $email }) { ok } }";
const RESET: &str = "mutation($token: String!, $new: String!) {
    resetPassword(input: { token: $token, newPassword: $new }) { ok userErrors { field message code } } }";

async fn request_reset(app: &TestApp, email: &str) -> Value {
    app.graphql(REQUEST, json!({ "email": email }), None).await
}

async fn reset(app: &TestApp, token: &str, new: &str) -> Value {
    app.graphql(RESET, json!({ "token": token, "new": new }), None).await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_email_once() {
    let app = TestApp::spawn().await;
    let old_session = app.login(MANAGER.0, MANAGER.1).await;

    let answer = request_reset(&app, MANAGER.0).await;
    assert_eq!(answer["data"]["requestPasswordReset"]["ok"], true);
    let mail = app.email_to(MANAGER.0).await;
    assert!(mail.text.contains(&format!("{PUBLIC_URL}/reset-password?token=")), "{}", mail.text);
    let token = mail.reset_token();
    assert!(token.len() >= 22, "at least 128 bits: {token}");

    // A weak choice is refused without spending the token.
    let answer = reset(&app, &token, "password").await;
    assert_eq!(answer["data"]["resetPassword"]["ok"], false);
    assert_eq!(answer["data"]["resetPassword"]["userErrors"][0]["field"], "newPassword");

    let answer = reset(&app, &token, "Cobalt58Prairie27Lichen").await;
    assert_eq!(answer["data"]["resetPassword"]["ok"], true, "{answer}");
    assert!(
        app.graphql("{ viewer { id } }", json!({}), Some(&old_session)).await["data"]["viewer"].is_null(),
        "a reset ends every session"
    );
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM sessions").await, 0, "and does not log in");

    let answer = reset(&app, &token, "Another41Choice63Entirely").await;
    assert_eq!(
        answer["data"]["resetPassword"]["userErrors"][0]["code"], "INVALID_TOKEN",
        "single use: {answer}"
    );
    assert_eq!(
        app.try_login(MANAGER.0, MANAGER.1).await["data"]["login"]["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    app.login(MANAGER.0, "Cobalt58Prairie27Lichen").await;
}

#[tokio::test]
async fn asking_for_a_reset_answers_the_same_for_any_address() {
    let app = TestApp::spawn().await;
    let known = request_reset(&app, MANAGER.0).await;
    let unknown = request_reset(&app, "nobody@maple-dental.example").await;
    let malformed = request_reset(&app, "not an address").await;
    assert_eq!(known, unknown);
    assert_eq!(known, malformed);
    assert_eq!(app.emails_to(MANAGER.0, 1).await.len(), 1);
    assert!(app.emails_to("nobody@maple-dental.example", 1).await.is_empty());
}

#[tokio::test]
async fn an_expired_reset_token_fails() {
    let app = TestApp::spawn().await;
    request_reset(&app, MANAGER.0).await;
    let token = app.email_to(MANAGER.0).await.reset_token();
    app.set_reset_links_expiry(chrono::Utc::now() - chrono::Duration::seconds(1)).await;
    let answer = reset(&app, &token, "Cobalt58Prairie27Lichen").await;
    assert_eq!(answer["data"]["resetPassword"]["userErrors"][0]["code"], "INVALID_TOKEN", "{answer}");
    app.login(MANAGER.0, MANAGER.1).await;
}

#[tokio::test]
async fn a_token_resets_its_own_user_only_and_is_stored_hashed() {
    let app = TestApp::spawn().await;
    request_reset(&app, MEMBER.0).await;
    let token = app.email_to(MEMBER.0).await.reset_token();
    assert_eq!(app.reset_links_with_hash(&token).await, 0, "the token itself is not stored");

    reset(&app, &token, "Cobalt58Prairie27Lichen").await;
    app.login(MEMBER.0, "Cobalt58Prairie27Lichen").await;
    app.login(MANAGER.0, MANAGER.1).await;
    let answer = reset(&app, "made-up-token-of-plausible-length-0000000000", "Cobalt58Prairie27Lichen").await;
    assert_eq!(answer["data"]["resetPassword"]["userErrors"][0]["code"], "INVALID_TOKEN");
}

#[tokio::test]
async fn the_reset_link_expires_after_an_hour() {
    let app = TestApp::spawn().await;
    request_reset(&app, MEMBER.0).await;
    app.email_to(MEMBER.0).await;
    let in_window = query_i64(
        &app,
        &format!(
            "SELECT COUNT(*) FROM password_reset_tokens WHERE expires_at > '{}' AND expires_at < '{}'",
            (chrono::Utc::now() + chrono::Duration::minutes(58)).to_rfc3339(),
            (chrono::Utc::now() + chrono::Duration::minutes(61)).to_rfc3339(),
        ),
    )
    .await;
    assert_eq!(in_window, 1, "the token expires one hour after it was issued");
}

#[tokio::test]
async fn reset_emails_to_one_address_are_limited() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        let answer = request_reset(&app, MEMBER.0).await;
        assert_eq!(answer["data"]["requestPasswordReset"]["ok"], true, "the answer never changes");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1_000)).await;
    assert_eq!(app.emails_to(MEMBER.0, 5).await.len(), 3, "three an hour at most");
}

#[tokio::test]
async fn links_are_built_from_public_url_never_from_the_host_header() {
    let app = TestApp::spawn().await;
    app.client
        .post(format!("{}/graphql", app.address))
        .header("host", "attacker.example")
        .header("x-forwarded-host", "attacker.example")
        .json(&json!({ "query": REQUEST, "variables": { "email": MEMBER.0 } }))
        .send()
        .await
        .unwrap();
    let mail = app.email_to(MEMBER.0).await;
    assert!(mail.text.contains(&format!("{PUBLIC_URL}/reset-password?token=")), "{}", mail.text);
    assert!(!mail.text.contains("attacker") && !mail.html.contains("attacker"));
}

#[tokio::test]
async fn a_password_change_spends_the_reset_links_asked_for_before_it() {
    let app = TestApp::spawn().await;
    request_reset(&app, MANAGER.0).await;
    let token = app.email_to(MANAGER.0).await.reset_token();
    let session = app.login(MANAGER.0, MANAGER.1).await;
    let change = crate::operations::operation("ChangePassword");
    let variables = json!({ "currentPassword": MANAGER.1, "newPassword": "Cobalt58Prairie27Lichen" });
    let answer = app.graphql(&change, variables, Some(&session)).await;
    assert_eq!(answer["data"]["changePassword"]["userErrors"], json!([]), "{answer}");
    let answer = reset(&app, &token, "Another41Choice63Entirely").await;
    assert_eq!(answer["data"]["resetPassword"]["userErrors"][0]["code"], "INVALID_TOKEN", "{answer}");
    app.login(MANAGER.0, "Cobalt58Prairie27Lichen").await;
}
