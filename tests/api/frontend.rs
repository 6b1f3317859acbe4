//! What a frontend team's tools meet first: introspection, CORS from a dev server, persisted
//! queries, compressed answers, cacheable assets, and `data` as the spec shapes it.

use std::io::Read;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    hardening::{production_app, production_app_with},
    helpers::{MANAGER, Options, TestApp},
};

const INTROSPECTION: &str = include_str!("../fixtures/introspection.graphql");

async fn post(app: &TestApp, body: Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.post(format!("{}/graphql", app.address)).json(&body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request sent")
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn graphiql_s_full_introspection_answers_in_development() {
    let app = TestApp::spawn().await;
    let answer = app.graphql(INTROSPECTION, json!({}), None).await;
    assert!(answer["errors"].is_null(), "{answer}");
    let types = answer["data"]["__schema"]["types"].as_array().expect("the schema's types");
    let money = types.iter().find(|t| t["name"] == "Money").expect("Money is described");
    assert_eq!(money["kind"], "OBJECT");
    // The deepest wrapping the query asks for comes back: [X!]! is NON_NULL > LIST > NON_NULL.
    let list_fields = types.iter().flat_map(|t| t["fields"].as_array().cloned().unwrap_or_default());
    assert!(list_fields.into_iter().any(|f| f["type"]["ofType"]["ofType"]["kind"] == "NON_NULL"));

    let production = production_app().await;
    let refused = production.graphql(INTROSPECTION, json!({}), None).await;
    assert!(refused["data"].is_null() || refused["data"]["__schema"].is_null(), "{refused}");
}

#[tokio::test]
async fn a_dev_server_s_preflight_is_answered_and_other_origins_are_not() {
    let app = TestApp::spawn().await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,authorization")
            .send()
    };
    let allowed = preflight("http://localhost:5173").await.unwrap();
    assert_eq!(allowed.status(), 200);
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], "http://localhost:5173");
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(allowed_headers.contains("content-type") && allowed_headers.contains("authorization"));

    let refused = preflight("http://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers().get("access-control-allow-origin").is_none());

    // The call itself: its answer names the origin, so the browser lets the page read it.
    let query = json!({ "query": "{ __typename }" });
    let answered = post(&app, query.clone(), &[("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(answered.headers()["access-control-allow-origin"], "http://127.0.0.1:3000");
    let refused = post(&app, query, &[("origin", "http://evil.example")]).await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
}

#[tokio::test]
async fn production_allows_only_the_listed_origins_and_the_portal_s_own() {
    let app =
        production_app_with(|s| s.cors_allowed_origins = Some(vec!["https://app.carrier.example".into()]))
            .await;
    let query = json!({ "query": "{ __typename }" });
    for (origin, allowed) in [
        ("https://app.carrier.example", true),
        (crate::helpers::PUBLIC_URL, true),
        ("http://localhost:5173", false),
        ("https://app.carrier.example.evil.example", false),
    ] {
        let response = post(&app, query.clone(), &[("origin", origin)]).await;
        let echoed =
            response.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(echoed.as_deref() == Some(origin), allowed, "{origin}");
    }
}

#[tokio::test]
async fn automatic_persisted_queries_run_by_hash_once_the_text_is_known() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let query = "query Viewer { viewer { email } }";
    let hash = sha256(query);
    let by_hash = json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
    let bearer = format!("Bearer {token}");
    let auth = [("authorization", bearer.as_str())];

    let unknown: Value = post(&app, by_hash.clone(), &auth).await.json().await.unwrap();
    assert_eq!(unknown["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{unknown}");
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound", "what Apollo's link looks for");

    let with_text = json!({ "query": query, "extensions": by_hash["extensions"] });
    let first: Value = post(&app, with_text, &auth).await.json().await.unwrap();
    assert_eq!(first["data"]["viewer"]["email"], MANAGER.0, "{first}");
    let again: Value = post(&app, by_hash, &auth).await.json().await.unwrap();
    assert_eq!(again["data"]["viewer"]["email"], MANAGER.0, "{again}");

    let forged = json!({
        "query": "query Viewer { viewer { id email } }",
        "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } },
    });
    let refused: Value = post(&app, forged, &auth).await.json().await.unwrap();
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{refused}");
    assert!(refused["data"].is_null(), "{refused}");
}

#[tokio::test]
async fn a_persisted_query_asked_by_get_is_refused_in_graphql_s_shape_not_answered_with_the_page() {
    let app = TestApp::spawn().await;
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ __typename }") } });
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("operationName", "Viewer"), ("extensions", &extensions.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let answer: Value = response.json().await.expect("JSON, not the GraphiQL page");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
}

#[tokio::test]
async fn with_trusted_documents_only_the_manifest_s_operations_run() {
    let viewer = "query Viewer { viewer { email } }";
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("persisted-query-manifest.json");
    let operations = json!({
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{ "id": sha256(viewer), "name": "Viewer", "type": "query", "body": viewer }],
    });
    std::fs::write(&manifest, operations.to_string()).unwrap();
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(move |s| {
            s.persisted_operations = Some(manifest);
            s.persisted_operations_only = true;
        }),
        ..Options::default()
    })
    .await;
    let by_id = json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(viewer) } } });
    let answer: Value = post(&app, by_id, &[]).await.json().await.unwrap();
    assert!(answer["errors"].is_null(), "the manifest's operation runs: {answer}");
    assert!(answer["data"]["viewer"].is_null(), "{answer}");
    let other = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(other["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST", "{other}");
    // Logging in is the manifest's business too: nothing else reaches the resolvers.
    let login = app.try_login(MANAGER.0, MANAGER.1).await;
    assert_eq!(login["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST", "{login}");
}

#[tokio::test]
async fn answers_are_compressed_for_clients_that_ask() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": INTROSPECTION });
    let plain = post(&app, body.clone(), &[]).await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();

    let gzipped = post(&app, body.clone(), &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert!(gzipped.headers()["vary"].to_str().unwrap().to_lowercase().contains("accept-encoding"));
    let compressed = gzipped.bytes().await.unwrap();
    assert!(compressed.len() * 4 < plain.len(), "{} of {} bytes", compressed.len(), plain.len());
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut inflated).unwrap();
    assert_eq!(inflated, plain, "the same answer");

    let brotli = post(&app, body, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(brotli.headers()["content-encoding"], "br");

    let asset = format!("{}/graphql/assets/graphiql.min.js", app.address);
    let script = app.client.get(&asset).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(script.headers()["content-encoding"], "br");
    assert!(script.bytes().await.unwrap().len() < 600_000, "GraphiQL's 1.48 MB script");
}

#[tokio::test]
async fn a_call_records_download_is_compressed_for_clients_that_ask() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let invoice = crate::downloads::newest_invoice(&app, &token).await;
    let url = crate::downloads::local(&app, invoice["callRecordsCsvUrl"].as_str().unwrap());
    let plain = app.client.get(&url).send().await.unwrap().bytes().await.unwrap();
    let gzipped = app.client.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let compressed = gzipped.bytes().await.unwrap();
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut inflated).unwrap();
    assert_eq!(inflated, plain, "the same CSV, byte for byte");
    assert!(compressed.len() * 3 < plain.len(), "{} of {} bytes", compressed.len(), plain.len());
}

#[tokio::test]
async fn graphiql_s_assets_carry_an_entity_tag_and_are_not_sent_twice() {
    let app = TestApp::spawn().await;
    let asset = format!("{}/graphql/assets/graphiql.min.css", app.address);
    let first = app.client.get(&asset).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = app.client.get(&asset).header("if-none-match", &tag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    let other = format!("{}/graphql/assets/graphiql.min.js", app.address);
    let changed = app.client.get(&other).header("if-none-match", &tag).send().await.unwrap();
    assert_eq!(changed.status(), 200, "another file's tag does not match");
}

#[tokio::test]
async fn a_failed_non_null_root_field_makes_data_null() {
    let app = TestApp::spawn().await;
    let answer = app.graphql("{ viewer { id } account { id } }", json!({}), None).await;
    assert_eq!(answer["data"], Value::Null, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
    // A nullable root field that is null stays in `data`.
    let answer = app.graphql("{ viewer { id } }", json!({}), None).await;
    assert_eq!(answer["data"], json!({ "viewer": null }), "{answer}");
}

#[tokio::test]
async fn malformed_dates_decimals_and_moments_are_refused_before_anything_runs() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let method = app.payment_methods(&token).await[0]["id"].clone();
    let paid_before =
        app.run(&token, "Payments", json!({ "first": 100 })).await["account"]["payments"]["edges"]
            .as_array()
            .unwrap()
            .len();
    let strict = [
        ("authorization", format!("Bearer {token}")),
        ("accept", "application/graphql-response+json".into()),
    ];
    let headers: Vec<(&str, &str)> = strict.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let pay = "mutation($amount: Decimal!, $method: ID!) { makePayment(input: { amount: $amount,
        paymentMethodId: $method, idempotencyKey: \"scalar\" }) { payment { id } } }";
    for amount in [json!("1e3"), json!("12,00"), json!(" 5.00"), json!(10.5)] {
        let body = json!({ "query": pay, "variables": { "amount": amount, "method": method } });
        let response = post(&app, body, &headers).await;
        assert_eq!(response.status(), 400, "{amount} never ran");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    }
    // A literal in the document is checked the same way.
    let literal = "mutation { requestCallHistoryExport(input: { from: \"2026-02-30\", to: \"2026-03-01\" }) { export { url } } }";
    let response = post(&app, json!({ "query": literal }), &headers).await;
    assert_eq!(response.status(), 400);
    let payments = app.run(&token, "Payments", json!({ "first": 100 })).await;
    assert_eq!(
        payments["account"]["payments"]["edges"].as_array().unwrap().len(),
        paid_before,
        "nothing was paid"
    );

    // Good values still work, and answers keep their form.
    let answer = app
        .graphql("{ account { lastPayment { paidAt amount { amount } } } }", json!({}), Some(&token))
        .await;
    let paid_at = answer["data"]["account"]["lastPayment"]["paidAt"].as_str().unwrap().to_string();
    assert!(
        chrono::DateTime::parse_from_rfc3339(&paid_at).is_ok() && paid_at.ends_with("+00:00"),
        "{paid_at}"
    );
}
