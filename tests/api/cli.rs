//! The binary, as an operator runs it.

use std::process::{Command, Output};

use crate::helpers::{Options, TestApp, query_i64};

pub fn billing_portal(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_billing-portal"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.database_url)
        .env("MAIL_DIR", &app.mail_dir)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn seed_demo_twice_changes_nothing() {
    let app = TestApp::spawn_with(Options { demo_data: false, smtp: false, ..Options::default() }).await;
    let first = billing_portal(&app, &["seed-demo"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let users = query_i64(&app, "SELECT COUNT(*) FROM users").await;
    let accounts = query_i64(&app, "SELECT COUNT(*) FROM accounts").await;
    assert_eq!((accounts, users), (3, 4));
    let second = billing_portal(&app, &["seed-demo"], &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM users").await, users);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM billing_contacts").await, 3);
    app.login(crate::helpers::PRAIRIE.0, crate::helpers::PRAIRIE.1).await;
}

#[tokio::test]
async fn invite_from_the_command_line_sends_the_invitation() {
    let app = TestApp::spawn().await;
    let smtp = format!("smtp://127.0.0.1:{}", app.smtp.as_ref().unwrap().port);
    let output = billing_portal(
        &app,
        &[
            "invite",
            "--account",
            "1003",
            "--email",
            "barista@harbour-cafe.example",
            "--name",
            "Alex Barista",
            "--role",
            "member",
        ],
        &[("SMTP_URL", &smtp), ("PUBLIC_URL", "https://billing.example.ca")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mail = app.email_to("barista@harbour-cafe.example").await;
    let temporary = mail.line_value("Temporary password").unwrap();
    assert!(
        !stdout.contains(&temporary) && !stderr(&output).contains(&temporary),
        "the password is only in the email"
    );
    assert!(mail.text.contains("https://billing.example.ca/login"));
    let answer = app.try_login("barista@harbour-cafe.example", &temporary).await;
    assert_eq!(answer["data"]["login"]["viewer"]["mustChangePassword"], true, "{answer}");

    let output = billing_portal(
        &app,
        &[
            "invite",
            "--account",
            "9999",
            "--email",
            "x@harbour-cafe.example",
            "--name",
            "X",
            "--role",
            "member",
        ],
        &[],
    );
    assert!(!output.status.success());
    assert_eq!(stderr(&output).trim().lines().last(), Some("error: there is no account 9999"));
}

#[tokio::test]
async fn a_bad_setting_stops_start_up_with_one_line_naming_it() {
    let app = TestApp::spawn_with(Options { demo_data: false, smtp: false, ..Options::default() }).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("DATABASE_URL", "mysql://nope")], "DATABASE_URL"),
        (&[("PAYMENT_GATEWAY", "paypal")], "PAYMENT_GATEWAY"),
        (&[("LISTEN_ADDR", "not-an-address")], "LISTEN_ADDR"),
        (&[("METRICS_ADDR", "not-an-address")], "METRICS_ADDR"),
        (&[("APP_ENV", "production"), ("SECRET_KEY", "0123456789abcdef0123456789abcdef")], "PAYMENT_GATEWAY"),
        (
            &[
                ("APP_ENV", "production"),
                ("PAYMENT_GATEWAY", "stripe"),
                ("STRIPE_SECRET_KEY", "sk"),
                ("STRIPE_WEBHOOK_SECRET", "wh"),
            ],
            "SECRET_KEY",
        ),
        (&[("PAYMENT_GATEWAY", "stripe")], "STRIPE_SECRET_KEY"),
        (&[("AUTOPAY_RETRY_DAYS", "7,5")], "AUTOPAY_RETRY_DAYS"),
        (&[("AUTOPAY_RETRY_DAYS", "soon")], "AUTOPAY_RETRY_DAYS"),
        (&[("AUTOPAY_INTERVAL_SECONDS", "-1")], "AUTOPAY_INTERVAL_SECONDS"),
    ];
    for (env, setting) in cases {
        let output = billing_portal(&app, &["migrate"], env);
        let message = stderr(&output);
        assert!(!output.status.success(), "{env:?} must be refused");
        assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
        assert!(
            message.starts_with("error: invalid configuration: ") && message.contains(setting),
            "{env:?}: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[tokio::test]
async fn a_bad_settings_file_stops_start_up_with_one_line_naming_the_problem() {
    let app = TestApp::spawn_with(Options { demo_data: false, smtp: false, ..Options::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("billing-portal.toml");
    let cases: &[(&str, &str)] = &[
        ("this is = = not toml [\n", "billing-portal.toml: TOML parse error at line 1"),
        ("[sessions]\nidle_timeout = 5\n", "sessions.idle_timeout: unknown field"),
        ("colour = \"blue\"\n", "colour: unknown field"),
        (
            "[login_throttle]\nmax_block_seconds = \"soon\"\n",
            "login_throttle.max_block_seconds: invalid type",
        ),
    ];
    for (content, expected) in cases {
        std::fs::write(&file, content).unwrap();
        let output = billing_portal(&app, &["--config", file.to_str().unwrap(), "migrate"], &[]);
        let message = stderr(&output);
        assert!(!output.status.success(), "{content:?} must be refused");
        assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
        assert!(message.starts_with("error: invalid configuration: "), "{content:?}: {message}");
        assert!(message.contains(expected), "{content:?}: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
    // And a good file is read.
    std::fs::write(&file, "[sessions]\nidle_timeout_minutes = 5\n").unwrap();
    let output = billing_portal(&app, &["--config", file.to_str().unwrap(), "migrate"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn export_schema_prints_the_committed_schema() {
    let output = Command::new(env!("CARGO_BIN_EXE_billing-portal")).arg("export-schema").output().unwrap();
    assert!(output.status.success());
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert!(
        String::from_utf8_lossy(&output.stdout) == committed,
        "schema.graphql is stale: run `cargo run -- export-schema > schema.graphql`"
    );
}
