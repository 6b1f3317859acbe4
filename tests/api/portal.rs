//! The portal's page and assets as a browser fetches them: every route of PORTAL.md answers the
//! page under a strict policy, assets are fingerprinted and cached for a year, and a path that is
//! no page is a 404 a person can read.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Options, TestApp};

/// The routes of PORTAL.md, as a person types them.
const PAGES: [&str; 16] = [
    "/",
    "/login",
    "/forgot-password",
    "/reset-password?token=abc",
    "/pay",
    "/payments",
    "/transactions",
    "/invoices",
    "/invoices/SW52b2ljZToxMA",
    "/auto-pay",
    "/payment-methods",
    "/profile",
    "/users",
    "/call-history",
    "/activity",
    "/settings",
];

async fn get(app: &TestApp, path: &str, accept: &str) -> reqwest::Response {
    app.client.get(format!("{}{path}", app.address)).header("accept", accept).send().await.unwrap()
}

#[tokio::test]
async fn every_route_is_the_portal_s_page_under_a_strict_policy() {
    let app = TestApp::spawn().await;
    let mut pages = BTreeSet::new();
    for path in PAGES {
        let page = get(&app, path, "text/html").await;
        assert_eq!(page.status(), 200, "{path}");
        let headers = page.headers().clone();
        let policy = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'none'",
            "script-src 'self';",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "trusted-types 'none'",
        ] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("unsafe"), "{path}: {policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-cache", "the page names this build's assets");
        pages.insert(page.text().await.unwrap());
    }
    assert_eq!(pages.len(), 1, "one page for every route");
    let html = pages.pop_first().unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere: {html}");
    assert!(!html.contains("<script>") && !html.contains("style="), "no inline script or style: {html}");

    // Its assets: fingerprinted names, a year of caching, and a 304 for a browser that holds one.
    let assets: Vec<&str> = html.split(['"', '\'']).filter(|part| part.starts_with("/assets/")).collect();
    assert!(
        assets.iter().any(|a| a.ends_with(".js")) && assets.iter().any(|a| a.ends_with(".css")),
        "{html}"
    );
    for path in assets {
        let name = path.trim_start_matches("/assets/");
        // Vite's names: `{chunk}-{8 characters of base64url}.{extension}` (a hash may hold a '-').
        let fingerprint =
            name.rsplit_once('.').unwrap().0.split_once('-').map(|(_, hash)| hash).unwrap_or("");
        assert!(fingerprint.len() >= 8, "a content hash in {name}");
        let asset = get(&app, path, "*/*").await;
        assert_eq!(asset.status(), 200, "{path}");
        assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
        let kind = asset.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/javascript") || kind.starts_with("text/css"), "{path}: {kind}");
        let tag = asset.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
}

#[tokio::test]
async fn a_path_that_is_no_page_is_a_404_a_person_can_read_and_a_program_too() {
    let app = TestApp::spawn().await;
    let browser = get(&app, "/no-such-page", "text/html,application/xhtml+xml").await;
    assert_eq!(browser.status(), 404);
    assert!(browser.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(browser.headers().contains_key("content-security-policy"));
    let program = get(&app, "/no-such-page", "application/json").await;
    assert_eq!(program.status(), 404);
    assert_eq!(program.text().await.unwrap(), "Not found.");
    let posted = app.client.post(format!("{}/", app.address)).send().await.unwrap();
    assert_eq!(posted.status(), 404, "the portal's pages are read, never posted to");
    for missing in ["/assets/nope.js", "/assets/..%2Findex.html", "/assets/%2e%2e%2fCargo.toml"] {
        assert_eq!(get(&app, missing, "*/*").await.status(), 404, "{missing}");
    }
}

#[test]
fn the_server_routes_exactly_the_paths_the_portal_routes() {
    let app = include_str!("../../web/src/app.tsx");
    let portal: BTreeSet<&str> =
        app.split("<Route path=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    let served: BTreeSet<&str> = billing_portal::http::portal::ROUTES.into_iter().collect();
    assert_eq!(portal, served, "web/src/app.tsx routes what src/http/portal.rs serves");
    // And both are PORTAL.md's, which this file's PAGES visit.
    let visited: BTreeSet<&str> = PAGES
        .iter()
        .map(|path| path.split('?').next().unwrap())
        .map(|path| if path.starts_with("/invoices/") { "/invoices/:id" } else { path })
        .collect();
    assert_eq!(visited, served);
}

#[tokio::test]
async fn where_only_listed_operations_run_the_portal_s_own_run_by_their_hash() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.persisted_operations_only = true),
        ..Options::default()
    })
    .await;
    let listed: Value =
        serde_json::from_str(include_str!("../../web/dist/persisted-operations.json")).unwrap();
    let (hash, text) = listed
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, text)| text.as_str().unwrap().contains("query PasswordRules"))
        .expect("the portal lists its PasswordRules query");
    assert!(text.as_str().unwrap().contains("passwordRules"));
    let by_hash = json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let answer: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&by_hash)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["data"]["passwordRules"].as_array().map(Vec::len), Some(5), "{answer}");
    // Anything else is refused, however harmless.
    let other = app.graphql("{ passwordRules { code } }", json!({}), None).await;
    assert_eq!(other["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST", "{other}");
}
