use std::time::{Duration, Instant};

use serde_json::json;

use entity::user;
use sea_orm::Set;

use crate::helpers::{MANAGER, MEMBER, TestApp, pluck};

const VIEWER: &str = "{ viewer { id email name role mustChangePassword lastLoginAt } }";

#[tokio::test]
async fn a_demo_user_logs_in_and_sees_themselves() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let answer = app.graphql(VIEWER, json!({}), Some(&token)).await;
    let viewer = &answer["data"]["viewer"];
    assert_eq!(viewer["email"], MANAGER.0);
    assert_eq!(viewer["role"], "OFFICE_MANAGER");
    assert_eq!(viewer["mustChangePassword"], false);
    assert!(viewer["lastLoginAt"].is_string(), "the login is recorded: {answer}");

    let answer =
        app.graphql("{ account { number name users { email role status } } }", json!({}), Some(&token)).await;
    assert_eq!(answer["data"]["account"]["number"], "1001");
    let emails = pluck(&answer["data"]["account"]["users"], "email");
    assert_eq!(emails, [MANAGER.0, MEMBER.0], "the account's users, and only them");
}

#[tokio::test]
async fn email_addresses_are_matched_without_regard_to_case_or_spaces() {
    let app = TestApp::spawn().await;
    app.login("  Manager@Maple-Dental.EXAMPLE ", MANAGER.1).await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer_in_about_the_same_time() {
    let app = TestApp::spawn().await;
    let mut wrong_time = Duration::ZERO;
    let mut unknown_time = Duration::ZERO;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let wrong = app.try_login(MANAGER.0, "Wrong-password-123456").await;
        wrong_time += started.elapsed();
        let started = Instant::now();
        let unknown = app.try_login("nobody@maple-dental.example", "Wrong-password-123456").await;
        unknown_time += started.elapsed();
        answers.push((wrong, unknown));
    }
    for (wrong, unknown) in &answers {
        assert_eq!(wrong, unknown, "the answers must not tell the two apart");
        assert_eq!(wrong["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS");
        assert!(wrong["data"]["login"]["token"].is_null());
    }
    // Without a dummy hash the unknown user would answer in a few ms against tens for a real hash.
    assert!(
        unknown_time * 3 >= wrong_time,
        "an unknown user must cost a password hash too: unknown {unknown_time:?} vs wrong {wrong_time:?}"
    );
}

#[tokio::test]
async fn without_a_session_viewer_is_null_and_everything_else_is_unauthenticated() {
    let app = TestApp::spawn().await;
    for token in [None, Some("not-a-real-token")] {
        let answer = app.graphql(VIEWER, json!({}), token).await;
        assert!(answer["data"]["viewer"].is_null(), "{answer}");
        assert!(answer["errors"].is_null(), "{answer}");
        let answer = app.graphql("{ account { id } }", json!({}), token).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
    }
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_with_owasp_parameters() {
    let app = TestApp::spawn().await;
    let hash = app.user_row(MANAGER.0).await.password_hash;
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    assert!(!hash.contains(MANAGER.1));
}

#[tokio::test]
async fn a_login_with_an_outdated_hash_rehashes_the_password() {
    use argon2::{Algorithm, Argon2, Params, Version, password_hash::PasswordHasher};
    let app = TestApp::spawn().await;
    let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
        .hash_password(MEMBER.1.as_bytes())
        .unwrap()
        .to_string();
    app.change_user_row(MEMBER.0, |user| user.password_hash = Set(weak)).await;

    app.login(MEMBER.0, MEMBER.1).await;

    let hash = app.user_row(MEMBER.0).await.password_hash;
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "rehashed: {hash}");
    app.login(MEMBER.0, MEMBER.1).await;
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_loses_their_sessions() {
    let app = TestApp::spawn().await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    app.change_user_row(MEMBER.0, |user| user.status = Set(user::Status::Disabled)).await;
    let answer = app.try_login(MEMBER.0, MEMBER.1).await;
    assert_eq!(answer["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{answer}");
    let answer = app.graphql(VIEWER, json!({}), Some(&token)).await;
    assert!(answer["data"]["viewer"].is_null(), "{answer}");
}
