use serde_json::json;
use sha2::{Digest, Sha256};

use entity::user;
use sea_orm::Set;

use crate::helpers::{MANAGER, MEMBER, TestApp};

const VIEWER: &str = "{ viewer { email } }";
const INVITE: &str = r#"mutation { inviteUser(input: { email: "new.person@maple-dental.example", name: "New Person", role: MEMBER }) {
    user { email } userErrors { code } } }"#;

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let other = app.login(MANAGER.0, MANAGER.1).await;
    let answer = app.graphql("mutation { logout { ok } }", json!({}), Some(&token)).await;
    assert_eq!(answer["data"]["logout"]["ok"], true);
    assert!(app.graphql(VIEWER, json!({}), Some(&token)).await["data"]["viewer"].is_null());
    assert_eq!(
        app.graphql("{ account { id } }", json!({}), Some(&token)).await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.graphql(VIEWER, json!({}), Some(&other)).await["data"]["viewer"]["email"],
        MANAGER.0,
        "only that session ends"
    );
}

/// In a batch, each request is who its session says at that moment: after a logout, nobody.
#[tokio::test]
async fn a_batch_that_logs_out_first_is_anonymous_afterwards() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let batch = json!([
        { "query": VIEWER },
        { "query": "mutation { logout { ok } }" },
        { "query": VIEWER },
        { "query": "{ account { name } }" },
    ]);
    let url = format!("{}/graphql", app.address);
    let answers: serde_json::Value =
        app.client.post(url).bearer_auth(&token).json(&batch).send().await.unwrap().json().await.unwrap();
    assert_eq!(answers[0]["data"]["viewer"]["email"], MANAGER.0, "{answers}");
    assert_eq!(answers[1]["data"]["logout"]["ok"], true, "{answers}");
    assert!(answers[2]["data"]["viewer"].is_null(), "{answers}");
    assert_eq!(answers[3]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answers}");
}

#[tokio::test]
async fn tokens_are_long_random_and_stored_only_as_a_hash() {
    let app = TestApp::spawn().await;
    let first = app.login(MANAGER.0, MANAGER.1).await;
    let second = app.login(MANAGER.0, MANAGER.1).await;
    assert_ne!(first, second);
    assert!(first.len() >= 43, "at least 256 bits in base64url: {first}");
    let hash: String = Sha256::digest(first.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(app.sessions_with_hash(&hash).await, 1, "the hash is stored");
    assert_eq!(app.sessions_with_hash(&first).await, 0, "the token itself is not");
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    // 29 idle minutes: still alive (and the use refreshes it).
    app.set_sessions_last_seen(minutes_ago(29)).await;
    assert_eq!(app.graphql(VIEWER, json!({}), Some(&token)).await["data"]["viewer"]["email"], MANAGER.0);
    app.set_sessions_last_seen(minutes_ago(31)).await;
    assert!(app.graphql(VIEWER, json!({}), Some(&token)).await["data"]["viewer"].is_null());
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_however_busy() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    app.set_sessions_expiry(minutes_ago(1)).await;
    assert!(app.graphql(VIEWER, json!({}), Some(&token)).await["data"]["viewer"].is_null());
}

#[tokio::test]
async fn a_role_change_takes_effect_at_the_next_request() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    app.change_user_row(MANAGER.0, |user| user.role = Set(user::Role::Member)).await;
    let answer = app.graphql(INVITE, json!({}), Some(&token)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");
}

#[tokio::test]
async fn members_may_not_invite() {
    let app = TestApp::spawn().await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    let answer = app.graphql(INVITE, json!({}), Some(&token)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");
    assert!(answer["data"].is_null(), "{answer}");
    assert_eq!(app.users_with_email("new.person@maple-dental.example").await, 0, "nobody was created");
}

fn minutes_ago(minutes: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::minutes(minutes)
}

#[tokio::test]
async fn a_session_in_use_outlives_a_short_idle_timeout() {
    let clock = billing_portal::clock::Clock::manual(chrono::Utc::now());
    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Options {
        clock: clock.clone(),
        tweak: Box::new(|s| s.sessions.idle_timeout_minutes = 1),
        ..crate::helpers::Options::default()
    })
    .await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    // Used every 15 s for two minutes: never a minute idle, so never ended.
    for _ in 0..8 {
        clock.advance(chrono::Duration::seconds(15));
        let answer = app.graphql(VIEWER, json!({}), Some(&token)).await;
        assert_eq!(answer["data"]["viewer"]["email"], MANAGER.0, "{answer}");
    }
    clock.advance(chrono::Duration::seconds(61));
    assert!(app.graphql(VIEWER, json!({}), Some(&token)).await["data"]["viewer"].is_null());
}
