//! Subscriptions as a frontend receives them: the `graphql-ws` client (`tests/frontend-tools`)
//! over WebSocket, a payment settling by the gateway's webhook, across two instances on PostgreSQL.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use serde_json::{Value, json};

use crate::{
    helpers::{HARBOUR, MANAGER, Options, TestApp},
    operations::operation,
    webhooks::{event, id_of, intent, reference_of, send},
};

/// A `graphql-ws` client in its own process, and what it has said so far.
struct Subscriber {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Subscriber {
    /// Connects to `app` as the user of `token` with `subscriptions` (`(query, variables)`), and
    /// waits until they are sent.
    fn start(app: &TestApp, token: Option<&str>, subscriptions: &[(String, Value)]) -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/frontend-tools/subscribe.mjs");
        let spec = json!({
            "url": format!("{}/graphql", app.address.replacen("http://", "ws://", 1)),
            "token": token,
            "subscriptions": subscriptions.iter().map(|(query, variables)| json!({ "query": query, "variables": variables })).collect::<Vec<_>>(),
            "seconds": 30,
        });
        let mut child = Command::new("node")
            .args([script, &spec.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs (tests/run installs tests/frontend-tools)");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(serde_json::from_str(&line).unwrap_or(Value::String(line)));
            }
        });
        Self { child, lines }
    }

    /// The next line, waiting up to 20 s.
    async fn next(&self) -> Value {
        let lines = &self.lines;
        tokio::task::block_in_place(|| lines.recv_timeout(Duration::from_secs(20)))
            .unwrap_or_else(|_| json!({ "nothing": "for 20 s" }))
    }

    /// The next line about subscription `sub`, skipping the others.
    async fn next_about(&self, sub: usize) -> Value {
        let mut skipped = Vec::new();
        loop {
            let line = self.next().await;
            if line["sub"] == sub {
                return line;
            }
            if line.get("nothing").is_some() || line.get("closed").is_some() {
                return json!({ "not": sub, "but": skipped, "then": line });
            }
            skipped.push(line);
        }
    }

    async fn ready(&self) {
        let line = self.next().await;
        assert_eq!(line, json!({ "ready": true }), "the client connected and subscribed");
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn payment_updated(id: &Value) -> (String, Value) {
    (operation("PaymentUpdated"), json!({ "id": id }))
}

fn account_updated() -> (String, Value) {
    (operation("AccountUpdated"), json!({}))
}

/// A debit made by `app` (processing), and its settlement by webhook, which `settle` sends.
async fn processing_debit(app: &TestApp, token: &str, key: &str) -> Value {
    let pad = app.add_payment_method(token, "pm_mock_pad").await;
    let payment = app.make_payment(token, "20.00", &pad["id"], key).await["payment"].clone();
    assert_eq!(payment["status"], "PROCESSING", "{payment}");
    payment
}

async fn settle(app: &TestApp, payment: &Value) {
    let id = id_of(payment);
    let reference = reference_of(app, id).await;
    let succeeded = event(&format!("evt_{id}"), "payment_intent.succeeded", intent(&reference, Some(id)));
    assert_eq!(send(app, &succeeded).await, 200);
}

fn fast_session_checks() -> Options {
    Options { tweak: Box::new(|s| s.subscriptions.session_check_seconds = 1), ..Options::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_debit_s_settlement_reaches_its_subscriber_and_the_account_s() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let owed = app.balance(&token).await;
    let payment = processing_debit(&app, &token, "live-1").await;
    let subscriber =
        Subscriber::start(&app, Some(&token), &[payment_updated(&payment["id"]), account_updated()]);
    subscriber.ready().await;

    settle(&app, &payment).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.push(subscriber.next().await);
    }
    let settled = seen.iter().find(|l| l["sub"] == 0).unwrap_or_else(|| panic!("{seen:?}"));
    assert_eq!(settled["data"]["paymentUpdated"]["status"], "SUCCEEDED", "{seen:?}");
    assert_eq!(settled["data"]["paymentUpdated"]["id"], payment["id"]);
    let account = seen.iter().find(|l| l["sub"] == 1).unwrap_or_else(|| panic!("{seen:?}"));
    let balance = &account["data"]["accountUpdated"]["currentBalance"]["amount"];
    assert_eq!(crate::helpers::cents(balance), owed - 2000, "{account}");
    assert_eq!(account["data"]["accountUpdated"]["lastPayment"]["id"], payment["id"], "{account}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_settlement_on_one_instance_reaches_a_subscriber_on_another() {
    // Instances share what changed through the database they share: PostgreSQL's NOTIFY.
    if std::env::var("TEST_POSTGRES_URL").map_or(true, |url| url.is_empty()) {
        return;
    }
    let first = TestApp::spawn().await;
    let second = TestApp::spawn_with(Options {
        demo_data: false,
        database_of: Some(first.database_url.clone()),
        ..Options::default()
    })
    .await;
    let token = first.login(HARBOUR.0, HARBOUR.1).await;
    let payment = processing_debit(&first, &token, "live-2").await;
    let subscriber = Subscriber::start(&second, Some(&token), &[payment_updated(&payment["id"])]);
    subscriber.ready().await;

    settle(&first, &payment).await;
    let settled = subscriber.next().await;
    assert_eq!(settled["data"]["paymentUpdated"]["status"], "SUCCEEDED", "{settled}");
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_account_s_own_payments_and_only_with_a_live_session() {
    let app = TestApp::spawn_with(fast_session_checks()).await;
    let harbour = app.login(HARBOUR.0, HARBOUR.1).await;
    let payment = processing_debit(&app, &harbour, "live-3").await;

    // Another account's payment is not found, like a missing one.
    let maple = app.login(MANAGER.0, MANAGER.1).await;
    let theirs = Subscriber::start(&app, Some(&maple), &[payment_updated(&payment["id"])]);
    let refused = theirs.next_about(0).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND", "{refused}");

    // No session, no connection.
    let nobody = Subscriber::start(&app, None, &[account_updated()]);
    let closed = nobody.next().await;
    assert_eq!(closed["closed"]["code"], 4403, "{closed}");

    // Logging out ends the subscriptions of the session at its next check.
    let subscriber = Subscriber::start(&app, Some(&harbour), &[payment_updated(&payment["id"])]);
    subscriber.ready().await;
    app.graphql("mutation { logout { ok } }", json!({}), Some(&harbour)).await;
    let closed = subscriber.next().await;
    assert_eq!(closed["closed"], json!({ "code": 4403, "reason": "Session ended" }), "{closed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_and_subscriptions_are_bounded() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.subscriptions.max_connections = 1;
            s.subscriptions.max_per_connection = 2;
        }),
        ..Options::default()
    })
    .await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let three = [account_updated(), account_updated(), account_updated()];
    let subscriber = Subscriber::start(&app, Some(&token), &three);
    // The three start together: whichever comes third is refused, and only it.
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &Value| l["ready"] == true) {
        lines.push(subscriber.next().await);
        assert!(lines.len() < 10 && lines.last().unwrap().get("nothing").is_none(), "{lines:?}");
    }
    let errors: Vec<&Value> = lines.iter().filter(|l| l.get("errors").is_some()).collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    let refused = errors[0];
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("as many subscriptions"), "{refused}");
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{refused}");

    // The instance's one connection is taken: the next is refused before it opens.
    let upgrade = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("connection", "Upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("sec-websocket-protocol", "graphql-transport-ws")
        .send()
        .await
        .unwrap();
    assert_eq!(upgrade.status(), 503);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_shutting_down_sends_its_subscribers_elsewhere() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let subscriber = Subscriber::start(&app, Some(&token), &[account_updated()]);
    subscriber.ready().await;
    app.stop().await;
    // "Going away": the client reconnects, to another instance, instead of holding this one open.
    let closed = subscriber.next().await;
    assert_eq!(closed["closed"]["code"], 1001, "{closed}");
}
