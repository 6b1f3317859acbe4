use std::time::Duration;

use serde_json::json;

use crate::helpers::{MANAGER, Options, TestApp};

#[tokio::test]
async fn a_hundred_aliased_logins_count_as_a_hundred_attempts() {
    let app = TestApp::spawn().await;
    let fields: String = (0..100)
        .map(|i| {
            format!(
                r#"a{i}: login(input: {{ email: "{}", password: "Guess-number-{i:03}" }}) {{ token }} "#,
                MANAGER.0
            )
        })
        .collect();
    let answer = app.graphql(&format!("mutation {{ {fields} }}"), json!({}), None).await;
    let refused = answer["errors"]
        .as_array()
        .map_or(0, |errors| errors.iter().filter(|e| e["extensions"]["code"] == "RATE_LIMITED").count());
    assert_eq!(refused, 95, "5 free attempts, then every alias is refused: {}", answer["errors"][0]);

    // The real password is refused too while the block lasts.
    let answer = app.try_login(MANAGER.0, MANAGER.1).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{answer}");
    assert!(answer["errors"][0]["extensions"]["retryAfterSeconds"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn batched_logins_count_each() {
    let app = TestApp::spawn().await;
    let one = json!({ "query": format!(r#"mutation {{ login(input: {{ email: "{}", password: "Wrong-guess-12345" }}) {{ token }} }}"#, MANAGER.0) });
    let batch: Vec<_> = std::iter::repeat_n(one, 10).collect();
    let answers: Vec<serde_json::Value> = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&batch)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let limited = answers.iter().filter(|a| a["errors"][0]["extensions"]["code"] == "RATE_LIMITED").count();
    assert_eq!(limited, 5, "{:?}", answers.first());
}

#[tokio::test]
async fn the_real_user_is_not_locked_out_for_long() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.login_throttle.max_block_seconds = 1;
            s.login_throttle.max_login_block_seconds = 1;
            // This test is about the login's counters, not the address's.
            s.login_throttle.free_attempts_per_address = 100;
        }),
        ..Options::default()
    })
    .await;
    for _ in 0..30 {
        app.try_login(MANAGER.0, "Wrong-guess-12345").await;
    }
    assert_eq!(app.try_login(MANAGER.0, MANAGER.1).await["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    app.login(MANAGER.0, MANAGER.1).await;
    // A success clears the email's count: one more typo is not blocked.
    let answer = app.try_login(MANAGER.0, "Wrong-guess-12345").await;
    assert_eq!(answer["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS", "{answer}");
}

#[tokio::test]
async fn parallel_requests_cannot_slip_past_the_limit_together() {
    let app = TestApp::spawn().await;
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let request = app.client.post(format!("{}/graphql", app.address)).json(&json!({
                "query": format!(r#"mutation {{ login(input: {{ email: "{}", password: "Guess-{i:02}-abcdefgh" }}) {{ token }} }}"#, MANAGER.0)
            }));
            tokio::spawn(async move { request.send().await.unwrap().json::<serde_json::Value>().await.unwrap() })
        })
        .collect();
    let mut checked = 0;
    for attempt in attempts {
        let answer = attempt.await.unwrap();
        if answer["errors"][0]["extensions"]["code"] != "RATE_LIMITED" {
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "only the free attempts reach a password check");
}

#[tokio::test]
async fn a_guesser_elsewhere_does_not_lock_the_real_user_out() {
    let app = TestApp::spawn().await;
    let attacker = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    // Well past every limit of the attacker's own keys, and past the login-wide one's free attempts.
    for i in 0..40 {
        attacker
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": format!(r#"mutation {{ login(input: {{ email: "{}", password: "Guess-{i:02}-abcdefgh" }}) {{ token }} }}"#, MANAGER.0) }))
            .send()
            .await
            .unwrap();
    }
    let answer = attacker
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": format!(r#"mutation {{ login(input: {{ email: "{}", password: "{}" }}) {{ token }} }}"#, MANAGER.0, MANAGER.1) }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(answer["errors"][0]["extensions"]["code"], "RATE_LIMITED", "the guesser is blocked: {answer}");
    app.login(MANAGER.0, MANAGER.1).await;
}

#[tokio::test]
async fn one_address_guessing_across_many_emails_is_slowed_too() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let answer = app.try_login(&format!("user{i}@maple-dental.example"), "Wrong-guess-12345").await;
        assert_eq!(
            answer["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
            "attempt {i}: {answer}"
        );
    }
    let answer = app.try_login("user-next@maple-dental.example", "Wrong-guess-12345").await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{answer}");
}

async fn login_from(app: &TestApp, forwarded_for: &str, password: &str) -> serde_json::Value {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "query": format!(r#"mutation {{ login(input: {{ email: "{}", password: "{password}" }}) {{ token }} }}"#, MANAGER.0) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_by_its_forwarded_address() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]),
        ..Options::default()
    })
    .await;
    for i in 0..8 {
        login_from(&app, "203.0.113.5", &format!("Guess-{i:02}-abcdefgh")).await;
    }
    let attacker = login_from(&app, "203.0.113.5", MANAGER.1).await;
    assert_eq!(attacker["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{attacker}");
    // A forged hop to the left changes nothing: the proxy appended the real address last.
    let forged = login_from(&app, "198.51.100.7, 203.0.113.5", MANAGER.1).await;
    assert_eq!(forged["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{forged}");
    let colleague = login_from(&app, "198.51.100.7", MANAGER.1).await;
    assert!(colleague["data"]["login"]["token"].is_string(), "another client behind the proxy: {colleague}");
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_header_is_ignored() {
    let app = TestApp::spawn().await;
    for i in 0..8 {
        login_from(&app, &format!("203.0.113.{i}"), &format!("Guess-{i:02}-abcdefgh")).await;
    }
    let answer = login_from(&app, "198.51.100.7", MANAGER.1).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "a spoofed header buys nothing: {answer}"
    );
}

#[tokio::test]
async fn a_distributed_guesser_cannot_keep_the_user_out_of_their_usual_address() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]),
        ..Options::default()
    })
    .await;
    let usual = "198.51.100.7";
    assert!(login_from(&app, usual, MANAGER.1).await["data"]["login"]["token"].is_string());
    // One wrong guess from each of 40 addresses: past the login-wide counter's free attempts.
    for i in 0..40 {
        login_from(&app, &format!("203.0.113.{i}"), &format!("Guess-{i:02}-abcdefgh")).await;
    }
    let stranger = login_from(&app, "192.0.2.1", MANAGER.1).await;
    assert_eq!(
        stranger["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "a new address waits: {stranger}"
    );
    let user = login_from(&app, usual, MANAGER.1).await;
    assert!(user["data"]["login"]["token"].is_string(), "the usual address gets in: {user}");
}

#[tokio::test]
async fn a_blocked_address_guessing_random_emails_adds_no_rows() {
    let app = TestApp::spawn().await;
    for round in 0..30 {
        let fields: String = (0..100)
            .map(|i| {
                format!(r#"a{i}: login(input: {{ email: "guess{round}-{i}@example.com", password: "x" }}) {{ token }} "#)
            })
            .collect();
        app.graphql(&format!("mutation {{ {fields} }}"), json!({}), None).await;
    }
    // The address's 20 free attempts each start two counters of their own (the email, and the
    // email from this address) beside the address's one: 41 rows. After them the address is
    // blocked for 1 s, 2 s, 4 s…, and the few attempts admitted between blocks add two rows each;
    // the thousands refused add none (they used to add two each: 6 001 rows in all).
    let rows = crate::helpers::query_i64(&app, "SELECT COUNT(*) FROM login_throttles").await;
    assert!((41..60).contains(&rows), "{rows} rows: one per counter an admitted attempt touched");
}
