//! Secrets, tokens, passwords and reset links never reach the log.

use serde_json::json;

use crate::helpers::{MANAGER, TestApp, captured_logs};

#[tokio::test]
async fn no_secret_reaches_the_log() {
    let app = TestApp::spawn().await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    crate::invitations::invite(&app, &manager, "quiet@maple-dental.example", "Quinn Quiet", "MEMBER").await;
    let temporary =
        app.email_to("quiet@maple-dental.example").await.line_value("Temporary password").unwrap();
    let session = app.login("quiet@maple-dental.example", &temporary).await;
    let chosen = "Velvet93Harbor28Spruce";
    app.graphql(
        "mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { viewer { id } } }",
        json!({ "c": temporary, "n": chosen }),
        Some(&session),
    )
    .await;
    app.graphql(
        r#"mutation { requestPasswordReset(input: { email: "quiet@maple-dental.example" }) { ok } }"#,
        json!({}),
        None,
    )
    .await;
    let reset = app.emails_to("quiet@maple-dental.example", 2).await.pop().unwrap().reset_token();
    app.try_login(MANAGER.0, "A-wrong-Password-77").await;
    // A download link is a bearer credential too.
    let invoices = app
        .graphql(
            "{ account { invoices(first: 1) { edges { node { pdfUrl } } } } }",
            json!({}),
            Some(&manager),
        )
        .await;
    let link =
        invoices["data"]["account"]["invoices"]["edges"][0]["node"]["pdfUrl"].as_str().unwrap().to_string();
    let fetched = reqwest::get(link.replace(crate::helpers::PUBLIC_URL, &app.address)).await.unwrap();
    assert_eq!(fetched.status(), 200);
    let signature = link.rsplit('/').next().unwrap().to_string();
    // A Partner API key, used and refused (the command that made it printed it, not the log).
    let key = crate::partner::create_key(&app, "logged-engine");
    let body = crate::partner::account_body();
    assert_eq!(crate::partner::call(&app, "PUT", "/accounts/1004", Some(&key), &body).await.0, 201);
    let wrong = format!("{key}x");
    assert_eq!(crate::partner::call(&app, "PUT", "/accounts/1004", Some(&wrong), &body).await.0, 401);

    // The portal's own: a reset link followed in a browser, a password checked as it is typed, and
    // a 3-D Secure challenge answered (its path carries the payment's client secret).
    let page = app.client.get(format!("{}/reset-password?token={reset}", app.address)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let candidate = "Candidate55Lantern88Moss";
    let checked = app
        .graphql(
            "query($p: String!) { checkPassword(password: $p) { code } }",
            json!({ "p": candidate }),
            None,
        )
        .await;
    assert!(checked["data"]["checkPassword"].is_array(), "{checked}");
    let card = app.add_payment_method(&manager, "pm_card_authenticationRequired").await;
    let waiting = app.make_payment(&manager, "1.00", &card["id"], "logs-3ds").await;
    let client_secret = waiting["payment"]["nextAction"]["clientSecret"].as_str().unwrap().to_string();
    let answered = app
        .client
        .post(format!("{}/mock-gateway/3ds/{client_secret}", app.address))
        .json(&json!({ "outcome": "complete" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);

    let logs = captured_logs();
    assert!(
        logs.contains("quiet@maple-dental.example") || logs.contains("user invited"),
        "the log captured this test"
    );
    for secret in [
        MANAGER.1,
        "A-wrong-Password-77",
        &manager,
        &temporary,
        &session,
        chosen,
        &reset,
        &signature,
        &key[4..],
        candidate,
        &client_secret,
    ] {
        assert!(!logs.contains(secret), "a secret reached the log: {secret}");
    }
}
