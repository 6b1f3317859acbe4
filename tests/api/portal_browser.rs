//! The Billing Portal as its people use it: `tests/portal-browser/journeys.mjs` drives Debian's
//! chromium through every journey of the portal against this server, served as its PUBLIC_URL
//! (http://portal.test) so emailed links open as they are. This side answers what only the world
//! outside the browser knows (the emails the real SMTP server received, the gateway's signed
//! webhook, sessions ended elsewhere), then checks what the browser saw against the API.

use std::process::Stdio;

use entity::{payment, session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::{
    helpers::{MANAGER, TestApp},
    webhooks::{event, intent, send},
};

#[tokio::test]
async fn the_portal_works_for_its_people_in_a_real_browser() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let balance_before = app.balance(&token).await;
    let (run, facts) = drive(&app, "journeys.mjs", &[]).await;
    let seen = |key: &str| facts.iter().find(|fact| fact.get(key).is_some()).map(|fact| fact[key].clone());
    assert!(run.success(), "the journeys: {:#?}\nscreenshots in {ARTIFACTS}", steps(&facts));

    // Every page: no serious or critical axe-core finding, nothing wider than 320 px.
    assert!(every_page_is_accessible(&facts) >= 20, "every page inspected");

    // The dashboard: the guide's six sections, in its order.
    assert_eq!(
        seen("dashboard_headings").unwrap(),
        json!([
            "Current Balance",
            "Last Payment",
            "Auto Pay Status",
            "Automatic Payment Method",
            "Billing Address",
            "Transaction History"
        ])
    );

    // A double click paid once: $10.00, $5.00 (the debit) and $2.00 (3-D Secure), and the dashboard showed the change.
    let payment = seen("payment").unwrap();
    assert_ne!(payment["before"], payment["after"], "{payment}");
    assert_eq!(
        payment["in_app"], payment["after"],
        "the dashboard, reached inside the portal, is not stale: {payment}"
    );
    assert_eq!(payment["last_payment_in_app"], "$10.00", "{payment}");
    let shown_after: String =
        payment["after"].as_str().unwrap().chars().filter(char::is_ascii_digit).collect();
    let made = app.gateway_payments("1001").await;
    let amounts: Vec<i64> = made.iter().map(|p| p.amount_minor).collect();
    assert_eq!(amounts, vec![1000, 500, 200], "one charge per attempt, whatever the clicks");
    assert_eq!(
        shown_after.parse::<i64>().unwrap(),
        balance_before - 1000,
        "the dashboard's balance after paying $10.00"
    );
    // (The journeys ended the manager's sessions, this one's too.)
    let token = app.login(MANAGER.0, MANAGER.1).await;
    assert_eq!(app.balance(&token).await, balance_before - 1700);

    // The 3-D Secure card paid once the bank's challenge was completed.
    assert_eq!(made[2].status, payment::Status::Succeeded);
    assert!(seen("three_d_secure").is_some());
    // The debit settled live, after the signed webhook.
    let pad = seen("pad").unwrap();
    assert_eq!(pad["webhook"], 200, "{pad}");
    assert_eq!(made[1].status, payment::Status::Succeeded);

    // The invitation's temporary password, the server's rules shown, a password of one's own.
    let invitation = seen("invitation").unwrap();
    assert_eq!(invitation["temporary"], true, "{invitation}");
    assert_eq!(invitation["rules"].as_array().unwrap().len(), 5, "{invitation}");
    assert!(invitation["unmet_while_short"].as_u64().unwrap() >= 1, "{invitation}");
    assert!(!app.user_row("new.hygienist@maple-dental.example").await.must_change_password);

    // A member: no Manage Users in the navigation, and told what it is for if they go there.
    let member = seen("member").unwrap();
    let nav: Vec<&str> = member["nav"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(nav.contains(&"Make a Payment") && !nav.contains(&"Manage Users"), "{member}");
    assert!(member["users_page"].as_str().unwrap().contains("office managers"), "{member}");

    // The reset link came by email, under PUBLIC_URL, and the new password logs in.
    assert_eq!(seen("reset").unwrap()["link_origin"], "http://portal.test");
    assert!(
        app.try_login("new.hygienist@maple-dental.example", "Meadow29Lantern64Quartz").await["data"]["login"]
            ["token"]
            .is_string()
    );

    // With the keyboard alone, and focus brought to each new page's heading.
    let keyboard = seen("keyboard").unwrap();
    assert_eq!(keyboard["after_login"], json!({ "tag": "H1", "name": "Account Dashboard" }), "{keyboard}");
    assert_eq!(keyboard["after_route"], json!({ "tag": "H1", "name": "Make a Payment" }), "{keyboard}");

    // French: remembered across a reload, money as Quebec writes it.
    let french = seen("french").unwrap();
    assert_eq!(french["lang"], "fr-CA");
    assert!(french["balance"].as_str().unwrap().ends_with("\u{a0}$"), "{french}");
    // Kept for the person: another browser opens in French after login; then English again.
    assert_eq!(seen("french_elsewhere").unwrap(), "fr-CA");
    assert_eq!(
        crate::helpers::query_string(
            &app,
            &format!("SELECT locale FROM users WHERE email = '{}'", MANAGER.0)
        )
        .await,
        "en-CA",
        "switching back is kept too"
    );
    // Before login, the server answers a French browser in French.
    let refusal = seen("french_refusal").unwrap();
    assert!(
        refusal.as_str().unwrap().contains("L'adresse courriel ou le mot de passe est incorrect."),
        "{refusal}"
    );

    // Two-step sign-in through the portal: ten recovery codes shown, a code asked at the next login.
    assert_eq!(seen("two_factor").unwrap(), json!({ "recovery_codes": 10 }));
    assert!(
        crate::helpers::query_string(
            &app,
            &format!("SELECT COALESCE(totp_secret, 'off') FROM users WHERE email = '{}'", MANAGER.0)
        )
        .await
            == "off",
        "turned off again"
    );

    // The invoice PDF link opened as a PDF; every page stayed on its origin with no script error.
    assert_eq!(seen("invoice_pdf").unwrap()["type"], "application/pdf");
    assert_eq!(seen("blocked").unwrap(), json!([]), "nothing outside the portal was asked for");
    assert_eq!(seen("console_errors").unwrap(), json!([]), "no script error and no CSP violation");
}

/// Where the screenshots of every page are kept.
pub const ARTIFACTS: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/portal-screenshots");

/// Runs `tests/portal-browser/{script}` against `app`, answering its questions; answers how it
/// ended and the facts it saw. Its stderr (Playwright's own account of a failure) is passed on.
pub async fn drive(app: &TestApp, script: &str, args: &[&str]) -> (std::process::ExitStatus, Vec<Value>) {
    let path = format!("{}/tests/portal-browser/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut node = tokio::process::Command::new("node")
        .arg(path)
        .args([app.address.as_str(), ARTIFACTS])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs (tests/run installs chromium, playwright-core and axe-core)");
    let mut answers = node.stdin.take().unwrap();
    let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
    let mut facts = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let message: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("a JSON line: {line}"));
        if let Some(question) = message.get("ask") {
            let answer = answer(app, question).await;
            answers.write_all(format!("{answer}\n").as_bytes()).await.unwrap();
        } else {
            facts.push(message["fact"].clone());
        }
    }
    (node.wait().await.unwrap(), facts)
}

/// The journeys' steps, each with whether it went through (and why not).
pub fn steps(facts: &[Value]) -> Vec<&Value> {
    facts.iter().filter(|fact| fact.get("step").is_some()).collect()
}

/// Every page inspected had no serious or critical axe-core finding, and none scrolled sideways at
/// 320 px; answers how many pages were inspected.
pub fn every_page_is_accessible(facts: &[Value]) -> usize {
    let axe: Vec<&Value> = facts.iter().filter(|fact| fact.get("axe").is_some()).collect();
    for page in &axe {
        assert_eq!(page["violations"], json!([]), "axe-core on {}", page["axe"]);
    }
    for page in facts.iter().filter(|fact| fact.get("narrow").is_some()) {
        assert!(page["overflow"].as_i64().unwrap() <= 0, "{} scrolls sideways at 320 px", page["narrow"]);
    }
    axe.len()
}

/// What the browser cannot know by itself.
async fn answer(app: &TestApp, question: &Value) -> Value {
    if let Some(secret) = question["totp"].as_str() {
        // What the person's authenticator app shows, `ahead` 30-second steps from now.
        let ahead = question["ahead"].as_i64().unwrap_or(0);
        let at = chrono::Utc::now() + chrono::Duration::seconds(30 * ahead);
        return json!(crate::two_factor::code_at(&crate::two_factor::base32_decode(secret), at));
    }
    if let Some(to) = question["email"].as_str() {
        // The `nth` email to them (1 first), waiting for it.
        let nth = question["nth"].as_u64().unwrap_or(1) as usize;
        let emails = app.emails_to(to, nth).await;
        let email = emails.get(nth - 1).unwrap_or_else(|| panic!("email {nth} to {to}"));
        return json!({ "subject": email.subject, "text": email.text });
    }
    if let Some(outcome) = question["settle"].as_str() {
        assert_eq!(outcome, "succeeded");
        let processing = payment::Entity::find()
            .filter(payment::Column::Status.eq(payment::Status::Processing))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the debit waits for its webhook");
        let reference = processing.gateway_reference.clone().expect("a gateway reference");
        let body = event(
            &format!("evt_portal_{}", processing.id),
            "payment_intent.succeeded",
            intent(&reference, Some(processing.id)),
        );
        return json!({ "status": send(app, &body).await });
    }
    if let Some(email) = question["age_sessions"].as_str() {
        // Their sign-ins (and any proof since) were 16 minutes ago.
        let user = app.user_row(email).await;
        let then = chrono::Utc::now() - chrono::Duration::minutes(16);
        session::Entity::update_many()
            .col_expr(session::Column::CreatedAt, sea_orm::sea_query::Expr::value(then))
            .col_expr(
                session::Column::ReauthenticatedAt,
                sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(session::Column::UserId.eq(user.id))
            .exec(&app.db)
            .await
            .unwrap();
        return json!({});
    }
    if let Some(email) = question["end_sessions"].as_str() {
        let user = app.user_row(email).await;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user.id))
            .exec(&app.db)
            .await
            .unwrap();
        return json!({});
    }
    panic!("an unknown question: {question}");
}
