//! GraphiQL as a developer meets it: in a real browser (Debian's chromium, driven by
//! `tests/graphiql-browser/drive.mjs`) that can reach nothing but this server. The page loads from
//! the binary alone, logs in, shows the Dashboard's balance with the token in its Headers tab, and
//! its Docs explorer shows the schema.

use std::process::Command;

use serde_json::{Value, json};

use crate::helpers::{MANAGER, TestApp};

#[tokio::test]
async fn graphiql_works_offline_in_a_browser_from_login_to_the_balance() {
    let app = TestApp::spawn().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/graphiql-browser/drive.mjs");
    let screenshot = format!("{}/graphiql.png", env!("CARGO_TARGET_TMPDIR"));
    let _ = std::fs::remove_file(&screenshot);
    let (address, shot) = (app.address.clone(), screenshot.clone());
    let run =
        tokio::task::spawn_blocking(move || Command::new("node").args([script, &address, &shot]).output())
            .await
            .unwrap()
            .expect("node runs (tests/run installs chromium and playwright-core)");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{}\n{stderr}", String::from_utf8_lossy(&run.stdout));
    let seen: Value = serde_json::from_slice(&run.stdout).expect("the driver's JSON line");

    // What the browser showed is what the API says.
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let api = app
        .graphql(
            "{ account { name currentBalance { amount { amount currencyCode } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let account = &api["data"]["account"];
    assert_eq!(seen["account"], account["name"], "{seen}");
    assert_eq!(seen["balance"], account["currentBalance"]["amount"]["amount"], "{seen}");
    assert_eq!(seen["currency"], "CAD", "{seen}");
    // The Docs explorer lists the schema, which GraphiQL read by introspection.
    let roots = json!(["query: Query", "mutation: Mutation", "subscription: Subscription"]);
    assert_eq!(seen["docs_root_types"], roots, "{seen}");
    assert!(seen["docs_types"].as_u64().unwrap_or(0) > 50, "every type listed: {seen}");
    // A subscription in GraphiQL hears that Auto Pay went off.
    assert_eq!(seen["subscription_auto_pay"], false, "{seen}");
    assert_eq!(seen["blocked"], json!([]), "nothing but the server was asked: {seen}");
    assert_eq!(seen["console_errors"], json!([]), "no script error, no CSP violation: {seen}");
    let png = std::fs::read(&screenshot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot at {screenshot}");
}

#[tokio::test]
async fn the_page_and_its_assets_come_from_the_binary_under_a_strict_policy() {
    let app = TestApp::spawn().await;
    let page = app.client.get(format!("{}/graphql", app.address)).send().await.unwrap();
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("script-src 'self';") && !policy.contains("unsafe-eval"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "no outside address: {html}");
    let scripts: Vec<&str> = html.split("src=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(scripts.len() >= 4, "{html}");
    for path in scripts {
        let asset = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{path}");
        assert!(asset.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"), "{path}");
    }
    // The first tab says how to log in and where the token goes.
    let init =
        app.client.get(format!("{}/graphql/assets/graphiql-init.js", app.address)).send().await.unwrap();
    let init = init.text().await.unwrap();
    assert!(init.contains("mutation Login(") && init.contains(r#"{ "Authorization": "Bearer <token>" }"#));
    let missing = app.client.get(format!("{}/graphql/assets/nope.js", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}
