//! Auto Pay raced: passes in several processes, several server instances on one database, and
//! the customer switching it on and off while a pass runs. Whatever the interleaving, an attempt is
//! made at most once.

use std::{
    io::BufRead,
    process::{Command, Stdio},
};

use serde_json::json;

use crate::{
    auto_pay::{auto_pay_payments, maple_due_on, run_autopay},
    helpers::{HARBOUR, MANAGER, Options, TestApp},
    operations::operation,
};

#[tokio::test]
async fn two_passes_at_once_charge_once() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let due = maple_due_on(&app, &token).await;
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_billing-portal"))
            .args(["run-autopay", "--as-of", &due.to_string()])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &app.database_url)
            .env("MAIL_DIR", &app.mail_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut passes: Vec<_> = (0..3).map(|_| spawn()).collect();
    for pass in &mut passes {
        assert!(pass.wait().unwrap().success());
    }
    assert_eq!(auto_pay_payments(&app, "1001").await.len(), 1);
}

#[tokio::test]
async fn on_off_on_racing_a_pass_charges_once() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let card = methods["account"]["paymentMethods"][0]["id"].clone();
    let today = chrono::Utc::now().date_naive();
    let (app_ref, token_ref, card_ref) = (&app, &token, &card);
    let set = |enabled: bool| async move {
        app_ref
            .graphql(
                &operation("SetAutoPay"),
                json!({ "enabled": enabled, "paymentMethodId": card_ref }),
                Some(token_ref),
            )
            .await
    };
    let pass = tokio::task::spawn_blocking({
        let (url, mail) = (app.database_url.clone(), app.mail_dir.clone());
        move || {
            Command::new(env!("CARGO_BIN_EXE_billing-portal"))
                .args(["run-autopay", "--as-of", &today.to_string()])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("DATABASE_URL", url)
                .env("MAIL_DIR", mail)
                .status()
                .unwrap()
        }
    });
    // SQLite has one writer across processes: there the other process's pass goes first, and only
    // the requests race (racing instances is PostgreSQL's job; see the README).
    if !app.database_url.starts_with("postgres") {
        while !pass.is_finished() {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let (a, b, c) = tokio::join!(set(true), set(false), set(true));
    for answer in [&a, &b, &c] {
        assert!(answer["errors"].is_null(), "{answer}");
    }
    assert!(pass.await.unwrap().success());
    run_autopay(&app, today);
    // Never more than one charge. Which request lands last decides whether Auto Pay ends on; if it
    // does, the overdue invoice has been paid once.
    let made = auto_pay_payments(&app, "1003").await;
    assert!(made.len() <= 1, "{made:?}");
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    if dashboard["account"]["autoPay"]["enabled"] == true {
        assert_eq!(made, vec![("succeeded".into(), None)], "{made:?}");
        assert_eq!(app.balance(&token).await, 0);
    }
}

#[tokio::test]
async fn two_server_instances_on_one_database_charge_once() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.autopay_interval_seconds = 1),
        ..Options::default()
    })
    .await;
    let mut other = Command::new(env!("CARGO_BIN_EXE_billing-portal"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("MAIL_DIR", &app.mail_dir)
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .env("AUTOPAY_INTERVAL_SECONDS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the second instance to be serving (it prints its address once its jobs run).
    let stdout = other.stdout.take().unwrap();
    let ready = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line =
        tokio::time::timeout(std::time::Duration::from_secs(60), ready).await.unwrap().unwrap().unwrap();
    assert!(line.contains("Billing Portal API on"), "the second instance serves: {line}");

    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    // Auto Pay switched on behind both instances' backs: only their passes, each every second,
    // can charge.
    let sql = format!(
        "INSERT INTO auto_pay_settings (account_id, enabled, payment_method_id, updated_at) SELECT a.id, {}, m.id, \
         CURRENT_TIMESTAMP FROM accounts a JOIN payment_methods m ON m.account_id = a.id AND m.removed_at IS NULL \
         WHERE a.number = '1003' ON CONFLICT (account_id) DO UPDATE SET enabled = excluded.enabled, \
         payment_method_id = excluded.payment_method_id",
        if app.database_url.starts_with("postgres") { "true" } else { "1" }
    );
    app.execute_sql(&sql).await;
    let mut settled = false;
    for _ in 0..100 {
        if app.balance(&token).await == 0 {
            settled = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await; // more passes on both
    let still_serving = other.try_wait().unwrap().is_none();
    let _ = other.kill();
    let _ = other.wait();
    assert!(still_serving, "the second instance ran its passes without failing");
    assert!(settled, "Auto Pay charged the overdue invoice");
    assert_eq!(auto_pay_payments(&app, "1003").await.len(), 1);
}
