//! The janitor: rows past their usefulness go, in every instance, and nothing still in use does.

use std::time::Duration;

use billing_portal::clock::Clock;
use serde_json::json;

use crate::helpers::{MANAGER, MEMBER, Options, TestApp, query_i64};

const TABLES: [&str; 4] = ["login_throttles", "sessions", "password_reset_tokens", "webhook_events"];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(query_i64(app, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

#[tokio::test]
async fn expired_sessions_links_counters_and_old_event_ids_are_swept() {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with(Options {
        clock: clock.clone(),
        tweak: Box::new(|s| s.housekeeping.interval_seconds = 1),
        ..Options::default()
    })
    .await;
    app.login(MANAGER.0, MANAGER.1).await;
    app.try_login(MEMBER.0, "not the password").await;
    app.graphql(
        "mutation($email: String!) { requestPasswordReset(input: { email: $email }) { ok } }",
        json!({ "email": MANAGER.0 }),
        None,
    )
    .await;
    app.email_to(MANAGER.0).await;
    let event = crate::webhooks::event("evt_housekeeping", "invoice.finalized", json!({}));
    assert_eq!(crate::webhooks::send(&app, &event).await, 200);

    // Still in use after a few sweeps: nothing goes.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let before = counts(&app).await;
    assert!(before.iter().all(|&count| count > 0), "{TABLES:?}: {before:?}");

    // A month on, everything of these is past its use.
    clock.advance(chrono::Duration::days(31));
    let mut after = counts(&app).await;
    for _ in 0..50 {
        if after.iter().all(|&count| count == 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        after = counts(&app).await;
    }
    assert_eq!(after, vec![0; TABLES.len()], "{TABLES:?}");
    // A session made now is not swept.
    let token = app.login(MANAGER.0, MANAGER.1).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let answer = app.graphql("{ viewer { email } }", json!({}), Some(&token)).await;
    assert_eq!(answer["data"]["viewer"]["email"], MANAGER.0, "{answer}");
}
