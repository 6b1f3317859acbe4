//! Account security in the portal as people use it: `tests/portal-browser/security.mjs` drives
//! Debian's chromium, with its virtual authenticator standing in for a laptop's fingerprint reader,
//! through adding a passkey, logging in with it alone, confirming who they are before removing it,
//! and logging out their other sessions. This side checks what the browser did against the database.

use serde_json::json;

use crate::{
    helpers::{MANAGER, TestApp},
    portal_browser::{ARTIFACTS, drive, every_page_is_accessible, steps},
};

#[tokio::test]
async fn passkeys_and_sessions_work_in_a_real_browser() {
    let app = TestApp::spawn().await;
    let (run, facts) = drive(&app, "security.mjs", &[]).await;
    let seen = |key: &str| facts.iter().find(|fact| fact.get(key).is_some()).map(|fact| fact[key].clone());
    assert!(run.success(), "the journeys: {:#?}\nscreenshots in {ARTIFACTS}", steps(&facts));
    assert_eq!(
        every_page_is_accessible(&facts),
        3,
        "My settings, the confirmation dialog, a user's edit panel"
    );

    // The browser's authenticator holds a discoverable passkey: nobody typed an email to use it.
    assert_eq!(seen("passkey_added").unwrap(), json!({ "resident": true, "count": 1 }));
    assert_eq!(seen("passkey_login").unwrap(), true);
    // Removed once the password confirmed it was them; and the added one was emailed.
    assert_eq!(seen("passkey_removed").unwrap(), true);
    assert_eq!(app.user_row(MANAGER.0).await.passkey_count, 0);
    let notices = app.emails_to(MANAGER.0, 1).await;
    assert_eq!(notices[0].subject, "A passkey was added to your login");
    assert!(notices[0].text.contains("\"Work laptop\""), "{}", notices[0].text);

    let sessions = seen("sessions").unwrap();
    assert_eq!(sessions["said"], "1 other session was ended.", "{sessions}");
    assert_eq!(sessions["rows"], 3, "a header and two sessions: {sessions}");

    // The member's reset was emailed to them.
    assert_eq!(seen("second_factor_reset").unwrap(), true);
    let reset = app.emails_to(crate::helpers::MEMBER.0, 1).await;
    assert_eq!(reset[0].subject, "Two-step sign-in was reset");

    assert_eq!(seen("blocked").unwrap(), json!([]), "nothing outside the portal was asked for");
    assert_eq!(seen("console_errors").unwrap(), json!([]), "no script error and no CSP violation");
}
