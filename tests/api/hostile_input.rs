//! Requests built to take the server down or make it work hard: each is refused cheaply, with a
//! contract code, and the server goes on answering.

use serde_json::{Value, json};

use crate::helpers::{MANAGER, TestApp};

async fn post_json(app: &TestApp, body: String, accept: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.expect("the server answers")
}

async fn still_answers(app: &TestApp) {
    let answer = app.graphql("{ __typename }", json!({}), None).await;
    assert_eq!(answer["data"]["__typename"], "Query", "the server still answers: {answer}");
}

#[tokio::test]
async fn values_nested_thousands_deep_are_refused_and_the_server_lives_on() {
    let app = TestApp::spawn().await;
    let lists = format!("{{ __typename(a: {}1{}) }}", "[".repeat(2500), "]".repeat(2500));
    let objects = format!("{{ __typename(a: {}1{}) }}", "{a: ".repeat(1500), "}".repeat(1500));
    // Just past the limit, in selection sets: refused before the parser, as the others.
    let selections = format!("{{ {}__typename{} }}", "a { ".repeat(40), " }".repeat(40));
    for document in [lists, objects, selections] {
        let body = json!({ "query": document }).to_string();
        let response = post_json(&app, body.clone(), None).await;
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().await.unwrap();
        assert!(answer["data"].is_null(), "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
        assert!(answer["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{answer}");
        // GraphQL over HTTP: a request that never ran is a 400 for the GraphQL media type.
        let response = post_json(&app, body, Some("application/graphql-response+json")).await;
        assert_eq!(response.status(), 400);
        still_answers(&app).await;
    }
}

#[tokio::test]
async fn variables_nested_deep_are_refused_before_they_are_read() {
    let app = TestApp::spawn().await;
    let deep = format!("{}1{}", "[".repeat(3000), "]".repeat(3000));
    let body = format!(r#"{{"query": "query($a: [Int]) {{ __typename }}", "variables": {{"a": {deep}}}}}"#);
    let response = post_json(&app, body, None).await;
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    still_answers(&app).await;
    // An ordinary operation with variables, nested as a frontend nests them, passes.
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let answer = app
        .graphql(
            "query($kinds: [TransactionKind!]) { account { transactions(first: 2, kinds: $kinds) { totalCount } } }",
            json!({ "kinds": ["INVOICE", "PAYMENT"] }),
            Some(&token),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
}

#[tokio::test]
async fn a_partner_body_nested_deep_is_refused() {
    let app = TestApp::spawn().await;
    let key = crate::partner::create_key(&app, "nesting");
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let response = app
        .client
        .put(format!("{}/partner/v1/accounts/1004", app.address))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(format!(r#"{{"name": {deep}}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let answer: Value = response.json().await.unwrap();
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{answer}");
    still_answers(&app).await;
}

#[tokio::test]
async fn a_webhook_signature_header_stuffed_with_signatures_is_refused_unread() {
    let app = TestApp::spawn().await;
    let body = vec![b' '; 500 * 1024];
    let now = chrono::Utc::now().timestamp();
    let stuffed = format!("t={now}{}", format!(",v1={}", "ab".repeat(32)).repeat(5000));
    let response = app
        .client
        .post(format!("{}/webhooks/mock", app.address))
        .header("Stripe-Signature", stuffed)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert!(answer["status"].as_str().unwrap().contains("more than 8 signatures"), "{answer}");
    // Eight signatures under the header's cap, none of them right: refused as a bad signature
    // after one HMAC of the body (not eight).
    let eight = format!("t={now}{}", format!(",v1={}", "cd".repeat(32)).repeat(8));
    let response = app
        .client
        .post(format!("{}/webhooks/mock", app.address))
        .header("Stripe-Signature", eight)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["status"], "no signature matches", "{answer}");
}

#[tokio::test]
async fn a_failed_session_lookup_answers_internal_server_error_with_the_correlation_id() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    app.execute_sql("DROP TABLE sessions").await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ viewer { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    let answer: Value = response.json().await.unwrap();
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR", "{answer}");
    assert_eq!(error["extensions"]["correlationId"], request_id.as_str(), "{answer}");
    assert_eq!(error["message"], "Internal server error.");
    assert!(!answer.to_string().contains("sessions"), "the cause stays in the log: {answer}");
}

#[tokio::test]
async fn requests_refused_before_graphql_runs_carry_a_code() {
    let app = TestApp::spawn().await;
    let cases = [
        ("text/plain", r#"{"query": "{ __typename }"}"#.to_string(), 415),
        ("application/json", "{not json".to_string(), 400),
        ("application/json", format!("[{}]", [r#"{"query": "{ __typename }"}"#; 11].join(",")), 400),
    ];
    for (content_type, body, status) in cases {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    }
}

#[tokio::test]
async fn too_many_fields_or_too_many_pages_are_refused_while_a_page_of_100_passes() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let page = "transactions(first: 100) { edges { node { id amount { amount } } } }";
    let aliases: String = (0..140).map(|i| format!("t{i}: {page} ")).collect();
    let answer = app.graphql(&format!("{{ account {{ {aliases} }} }}"), json!({}), Some(&token)).await;
    assert!(answer["data"].is_null(), "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("too complex"), "{answer}");
    // Few enough fields, but twenty pages of 100: priced by what the pages hold, and refused.
    let aliases: String = (0..20).map(|i| format!("t{i}: {page} ")).collect();
    let answer = app.graphql(&format!("{{ account {{ {aliases} }} }}"), json!({}), Some(&token)).await;
    assert!(answer["data"].is_null(), "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("costs"), "{answer}");
    // The same twenty with pages of 2 pass.
    let small = page.replace("first: 100", "first: 2");
    let aliases: String = (0..20).map(|i| format!("t{i}: {small} ")).collect();
    let answer = app.graphql(&format!("{{ account {{ {aliases} }} }}"), json!({}), Some(&token)).await;
    assert!(answer["data"]["account"]["t19"]["edges"].is_array(), "{answer}");
    // A page of 100 of each of the contract's lists, as the frontend asks for it, passes.
    for name in ["TransactionHistory", "Invoices", "Payments", "Activity"] {
        let answer = app.run(&token, name, json!({ "first": 100 })).await;
        assert!(answer["account"].is_object(), "{name}: {answer}");
    }
}
