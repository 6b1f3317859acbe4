//! A client session over HTTP: log in as a demo user, ask who we are, log out.
//!
//!     cargo run --release -- demo                 # in one terminal
//!     cargo run --example graphql_session         # in another
//!
//! `BILLING_PORTAL_URL`, `EMAIL` and `PASSWORD` override the defaults (the demo office manager).

use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("BILLING_PORTAL_URL").unwrap_or_else(|_| "http://localhost:8000".into());
    let email = std::env::var("EMAIL").unwrap_or_else(|_| "manager@maple-dental.example".into());
    let password = std::env::var("PASSWORD").unwrap_or_else(|_| "Juniper42Canoe17Velvet".into());
    let client = reqwest::Client::new();
    let endpoint = format!("{base}/graphql");

    let login: Value = client
        .post(&endpoint)
        .json(&json!({
            "query": "mutation Login($email: String!, $password: String!) {
                login(input: { email: $email, password: $password }) { token userErrors { message } } }",
            "variables": { "email": email, "password": password },
        }))
        .send()
        .await?
        .json()
        .await?;
    let Some(token) = login["data"]["login"]["token"].as_str() else {
        eprintln!("login refused: {login}");
        std::process::exit(1);
    };

    let viewer: Value = client
        .post(&endpoint)
        .bearer_auth(token)
        .json(&json!({ "query": "query Viewer { viewer { id email name role mustChangePassword lastLoginAt } }" }))
        .send()
        .await?
        .json()
        .await?;
    println!("{}", serde_json::to_string_pretty(&viewer["data"]["viewer"])?);

    client
        .post(&endpoint)
        .bearer_auth(token)
        .json(&json!({ "query": "mutation { logout { ok } }" }))
        .send()
        .await?;
    Ok(())
}
