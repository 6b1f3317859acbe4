use serde_json::{Value, json};

use crate::helpers::{MANAGER, Options, TestApp};

async fn post_raw(app: &TestApp, content_type: &str, body: String) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_deep_query_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    // 14 levels: past our limit of 12; 50 levels: past the parser's recursion limit too.
    for pairs in [7, 25] {
        let deep = format!("{{ {}__typename{} }}", "account { users { ".repeat(pairs), " } }".repeat(pairs));
        let answer = app.graphql(&deep, json!({}), Some(&token)).await;
        assert!(answer["data"].is_null(), "{answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("too deep") || message.contains("depth"), "{answer}");
    }
}

#[tokio::test]
async fn a_thousand_aliases_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let fields: String = (0..1000).map(|i| format!("a{i}: viewer {{ id }} ")).collect();
    let answer = app.graphql(&format!("{{ {fields} }}"), json!({}), Some(&token)).await;
    assert!(answer["data"].is_null(), "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("too complex"), "{answer}");
}

#[tokio::test]
async fn get_never_runs_an_operation() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[(
            "query",
            r#"mutation { requestPasswordReset(input: { email: "manager@maple-dental.example" }) { ok } }"#,
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(app.emails_to(MANAGER.0, 1).await.is_empty(), "the mutation did not run");
}

#[tokio::test]
async fn only_json_posts_are_accepted() {
    let app = TestApp::spawn().await;
    let body = r#"{"query":"mutation { logout { ok } }"}"#.to_string();
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
    {
        let response = post_raw(&app, content_type, body.clone()).await;
        assert_eq!(response.status(), 415, "{content_type}");
    }
    let response = post_raw(&app, "application/json; charset=utf-8", body).await;
    assert_eq!(response.status(), 200);
    let response = post_raw(&app, "application/json", "{not json".into()).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn batches_are_limited() {
    let app = TestApp::spawn().await;
    let one = json!({ "query": "{ viewer { id } }" });
    let send = |n: usize| {
        let batch: Vec<Value> = std::iter::repeat_n(one.clone(), n).collect();
        app.client.post(format!("{}/graphql", app.address)).json(&batch).send()
    };
    let ten = send(10).await.unwrap();
    assert_eq!(ten.status(), 200);
    assert_eq!(ten.json::<Vec<Value>>().await.unwrap().len(), 10);
    assert_eq!(send(11).await.unwrap().status(), 400);
}

#[tokio::test]
async fn an_internal_error_shows_only_a_correlation_id() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    app.execute_sql("DROP TABLE billing_contacts").await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ account { billingContacts { id } } }" }))
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    let answer: Value = response.json().await.unwrap();
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(error["extensions"]["correlationId"], request_id.as_str());
    assert_eq!(error["message"], "Internal server error.");
    let text = answer.to_string().to_lowercase();
    for leak in ["billing_contacts", "sqlite", "postgres", "select ", "no such table", "does not exist"] {
        assert!(!text.contains(leak), "the answer leaks {leak:?}: {answer}");
    }
    assert!(
        crate::helpers::captured_logs()
            .lines()
            .any(|l| l.contains(&request_id) && l.contains("internal error")),
        "the cause is logged under the correlation id"
    );
}

#[tokio::test]
async fn health_checks_the_database() {
    let app = TestApp::spawn().await;
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    app.db.clone().close().await.unwrap();
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

pub async fn production_app() -> TestApp {
    production_app_with(|_| {}).await
}

/// The app as production runs it, with `tweak` applied to its settings.
pub async fn production_app_with(
    tweak: impl FnOnce(&mut billing_portal::config::Settings) + 'static,
) -> TestApp {
    TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.app_env = billing_portal::config::AppEnv::Production;
            s.payment_gateway = billing_portal::config::PaymentGatewayKind::Stripe;
            s.stripe_secret_key = Some(billing_portal::config::Secret("sk_test_x".into()));
            s.stripe_webhook_secret = Some(billing_portal::config::Secret("whsec_x".into()));
            s.secret_key = Some(billing_portal::config::Secret("k".repeat(32)));
            tweak(s);
        }),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn production_has_no_playground_introspection_or_suggestions() {
    let app = production_app().await;
    let response = app.client.get(format!("{}/graphql", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let asset =
        app.client.get(format!("{}/graphql/assets/graphiql.min.js", app.address)).send().await.unwrap();
    assert_eq!(asset.status(), 404);
    let answer = app.graphql("{ __schema { types { name } } }", json!({}), None).await;
    assert!(answer["data"].is_null() || answer["data"]["__schema"].is_null(), "{answer}");
    let answer = app.graphql("{ viewr { id } }", json!({}), None).await;
    assert!(!answer.to_string().contains("Did you mean"), "{answer}");

    let dev = TestApp::spawn().await;
    let page = dev.client.get(format!("{}/graphql", dev.address)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().to_lowercase().contains("graphiql"));
    let answer = dev.graphql("{ viewr { id } }", json!({}), None).await;
    assert!(answer.to_string().contains("Did you mean"), "development keeps suggestions: {answer}");
    let answer = dev.graphql("{ __schema { queryType { name } } }", json!({}), None).await;
    assert_eq!(answer["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn shutdown_lets_requests_in_flight_finish() {
    // A payment whose gateway takes a second per call is surely in flight when the server stops.
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.payments.mock_latency_ms = 1_000),
        ..Options::default()
    })
    .await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let methods = app.run(&token, "PaymentMethods", json!({})).await;
    let variables = json!({
        "amount": "1.00",
        "paymentMethodId": methods["account"]["paymentMethods"][0]["id"],
        "idempotencyKey": "in-flight"
    });
    let request = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .json(&json!({ "query": crate::operations::operation("MakePayment"), "variables": variables }));
    let payment = tokio::spawn(async move { request.send().await?.json::<Value>().await });
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.stop().await;
    let answer = payment.await.unwrap().expect("the request in flight was answered");
    assert_eq!(answer["data"]["makePayment"]["payment"]["status"], "SUCCEEDED", "{answer}");
}

#[tokio::test]
async fn every_refused_request_carries_a_code() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let huge = "query($n: Int!) { account { transactions(first: $n) { totalCount } } }";
    let cases = [
        // An argument that does not fit an Int, as a literal and as a variable.
        ("{ account { transactions(first: 405090780440123) { totalCount } } }", json!({})),
        (huge, json!({ "n": 405090780440123u64 })),
        (huge, json!({ "n": "twenty" })),
        // A date that is not one, a document that does not parse, a field that does not exist.
        (
            "mutation { requestCallHistoryExport(input: { from: \"yesterday\", to: \"2026-01-01\" }) { export { url } } }",
            json!({}),
        ),
        ("{ account { ", json!({})),
        ("{ account { balanceOwed } }", json!({})),
    ];
    for (query, variables) in cases {
        let answer = app.graphql(query, variables.clone(), Some(&token)).await;
        let errors = answer["errors"].as_array().unwrap_or_else(|| panic!("{query}: {answer}"));
        assert!(!errors.is_empty(), "{query}: {answer}");
        for error in errors {
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{query} {variables}: {answer}");
        }
    }
    // What a resolver refuses keeps its own code.
    let answer = app.graphql("{ account { transactions(first: -1) { totalCount } } }", json!({}), None).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
    let answer =
        app.graphql("{ account { transactions(first: -1) { totalCount } } }", json!({}), Some(&token)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
}
