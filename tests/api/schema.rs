//! The API's shape as the frontend sees it.

use serde_json::json;

use crate::helpers::{MANAGER, TestApp, pluck};

/// The frontend's operations of this issue, run as written against the demo data.
#[tokio::test]
async fn the_frontend_operations_run_as_written() {
    let app = TestApp::spawn().await;
    let fragments = "fragment UserErrorFields on UserError { field message code }";
    let login = format!(
        "mutation Login($email: String!, $password: String!) {{
          login(input: {{ email: $email, password: $password }}) {{
            token viewer {{ id email name role mustChangePassword }} userErrors {{ ...UserErrorFields }} }} }} {fragments}"
    );
    let answer = app.graphql(&login, json!({ "email": MANAGER.0, "password": MANAGER.1 }), None).await;
    let token = answer["data"]["login"]["token"].as_str().expect("a token").to_string();

    let answer = app
        .graphql(
            "query OrganizationUsers { account { users { id email name role status lastLoginAt } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(answer["data"]["account"]["users"].as_array().unwrap().len(), 2, "{answer}");
    let ids = pluck(&answer["data"]["account"]["users"], "id");
    assert!(ids.iter().all(|id| !id.chars().all(|c| c.is_ascii_digit())), "ids are opaque: {ids:?}");

    let answer = app
        .graphql(
            "query Viewer { viewer { id email name role mustChangePassword lastLoginAt } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(answer["data"]["viewer"]["name"], "Dana Whitfield");
    let answer = app.graphql("mutation Logout { logout { ok } }", json!({}), Some(&token)).await;
    assert_eq!(answer["data"]["logout"]["ok"], true);
}
