//! GraphQL over HTTP, judged by graphql-http's own audit (run with Node against this server): every
//! MUST and SHOULD, `application/graphql-response+json` included.

use std::process::Command;

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_graphql_http_audit_passes_every_must_and_should() {
    let app = TestApp::spawn().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/graphql-http-audit/audit.mjs");
    let address = format!("{}/graphql", app.address);
    let audit = tokio::task::spawn_blocking(move || Command::new("node").args([script, &address]).output())
        .await
        .unwrap()
        .expect("node runs (tests/run installs the audit's packages)");
    let report =
        format!("{}{}", String::from_utf8_lossy(&audit.stdout), String::from_utf8_lossy(&audit.stderr));
    assert!(audit.status.success(), "{report}");
}

#[tokio::test]
async fn a_request_that_never_ran_is_a_400_without_data_for_the_graphql_media_type() {
    let app = TestApp::spawn().await;
    let post = |query: &str, accept: &str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("accept", accept)
            .json(&json!({ "query": query }))
            .send()
    };
    let media = "application/graphql-response+json";
    for broken in ["{ viewer {", "{ noSuchField }"] {
        let response = post(broken, media).await.unwrap();
        assert_eq!(response.status().as_u16(), 400, "{broken}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with(media));
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body.get("data").is_none() && body["errors"][0]["message"].is_string(), "{body}");
        // A client that asks for plain JSON keeps the answers it always had.
        let plain = post(broken, "application/json").await.unwrap();
        assert_eq!(plain.status().as_u16(), 200, "{broken}");
    }
    // A field that fails is not a request that never ran: 200, with data.
    let response = post("{ account { id } }", media).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
    assert!(body.get("data").is_some(), "{body}");
}

/// Parsed documents are kept by their text: sent again, a document still runs with the new
/// request's operation name and variables, and a broken one is refused every time.
#[tokio::test]
async fn a_document_sent_again_runs_with_that_request_s_operation_and_variables() {
    let app = TestApp::spawn().await;
    let token = app.login(crate::helpers::MANAGER.0, crate::helpers::MANAGER.1).await;
    let document =
        "query Page($first: Int!) { account { transactions(first: $first) { edges { node { id } } } } }
                    query Me { viewer { email } }";
    let send = |operation: &str, variables: serde_json::Value| {
        let body = json!({ "query": document, "operationName": operation, "variables": variables });
        app.client.post(format!("{}/graphql", app.address)).bearer_auth(&token).json(&body).send()
    };
    for first in [1, 3, 2] {
        let answer: serde_json::Value =
            send("Page", json!({ "first": first })).await.unwrap().json().await.unwrap();
        let edges = answer["data"]["account"]["transactions"]["edges"].as_array().expect("a page");
        assert_eq!(edges.len(), first, "{answer}");
    }
    let answer: serde_json::Value = send("Me", json!({})).await.unwrap().json().await.unwrap();
    assert_eq!(answer["data"]["viewer"]["email"], crate::helpers::MANAGER.0, "{answer}");
    for _ in 0..2 {
        let answer = app.graphql("{ viewer {", json!({}), Some(&token)).await;
        assert!(answer["data"].is_null() && answer["errors"][0]["message"].is_string(), "{answer}");
    }
}
