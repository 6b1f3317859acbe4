use std::time::Duration;

use serde_json::json;

use crate::helpers::{Email, MANAGER, Options, TestApp, query_i64};

#[tokio::test]
async fn an_email_queued_while_smtp_is_down_is_delivered_once_it_is_back() {
    let mut app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    app.smtp.as_mut().unwrap().stop();

    let answer =
        crate::invitations::invite(&app, &manager, "patient@maple-dental.example", "Pat Ient", "MEMBER")
            .await;
    assert_eq!(answer["data"]["inviteUser"]["user"]["status"], "INVITED", "the request succeeds: {answer}");
    // Let the sender fail a few times.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let attempts = query_i64(&app, "SELECT attempts FROM email_outbox").await;
    assert!(attempts >= 1, "delivery was attempted and failed");

    app.smtp.as_mut().unwrap().restart();
    let mail = app.email_to("patient@maple-dental.example").await;
    assert!(mail.line_value("Temporary password").is_some());
    // Give a duplicate every chance to show up.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(app.emails_to("patient@maple-dental.example", 2).await.len(), 1, "sent exactly once");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NOT NULL").await, 1);
    assert_eq!(
        query_i64(&app, "SELECT COUNT(*) FROM email_outbox WHERE text_body <> '' OR html_body <> ''").await,
        0,
        "a delivered email's secrets do not linger in the database"
    );
}

#[tokio::test]
async fn without_smtp_emails_are_written_as_eml_files() {
    let app = TestApp::spawn_with(Options { smtp: false, ..Options::default() }).await;
    app.graphql(
        "mutation($email: String!) { requestPasswordReset(input: { email: $email }) { ok } }",
        json!({ "email": MANAGER.0 }),
        None,
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let file = loop {
        let found = std::fs::read_dir(&app.mail_dir).ok().and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "eml"))
        });
        if let Some(file) = found {
            break file;
        }
        assert!(std::time::Instant::now() < deadline, "no .eml file appeared in {:?}", app.mail_dir);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let email = Email::parse(&std::fs::read(file).unwrap());
    assert!(email.to.contains(MANAGER.0));
    assert!(email.text.contains("reset-password?token="), "{}", email.text);
    assert!(email.html.contains("reset-password?token="), "both parts");
}

#[tokio::test]
async fn addresses_the_mail_library_cannot_send_to_are_refused_at_the_door() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    for email in ["a,b@maple-dental.example", "a;b@maple-dental.example", "\"a\"@maple-dental.example"] {
        let answer = crate::invitations::invite(&app, &manager, email, "Pat Ient", "MEMBER").await;
        let errors = &answer["data"]["inviteUser"]["userErrors"];
        assert_eq!(errors[0]["code"], "INVALID_EMAIL", "{email}: {answer}");
    }
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM email_outbox").await, 0, "nothing was queued");
}

#[tokio::test]
async fn an_email_refused_for_good_is_not_retried_and_keeps_no_secret() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let answer =
        crate::invitations::invite(&app, &manager, "nobody@refused.example", "No Body", "MEMBER").await;
    assert_eq!(answer["data"]["inviteUser"]["userErrors"], json!([]), "{answer}");
    let failed = "SELECT COUNT(*) FROM email_outbox WHERE failed_at IS NOT NULL";
    for _ in 0..50 {
        if query_i64(&app, failed).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(query_i64(&app, failed).await, 1, "the 550 marks the email failed");
    // In tests the sender polls every 100 ms and retries within a second: a retried email would
    // have been tried again by now.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(query_i64(&app, "SELECT attempts FROM email_outbox").await, 1, "tried once");
    assert_eq!(
        query_i64(&app, "SELECT COUNT(*) FROM email_outbox WHERE text_body <> '' OR html_body <> ''").await,
        0,
        "the temporary password does not stay in the database"
    );
    let metrics =
        app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("emails_refused_total 1"), "counted");
}

#[tokio::test]
async fn each_email_s_message_id_comes_from_its_row() {
    let app = TestApp::spawn().await;
    app.graphql(
        "mutation($email: String!) { requestPasswordReset(input: { email: $email }) { ok } }",
        json!({ "email": MANAGER.0 }),
        None,
    )
    .await;
    let mail = app.email_to(MANAGER.0).await;
    let row = query_i64(&app, "SELECT id FROM email_outbox").await;
    assert!(mail.message_id.starts_with(&format!("<outbox.{row}.")), "{}", mail.message_id);
}
