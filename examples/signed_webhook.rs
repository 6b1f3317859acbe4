//! Plays the payment gateway: signs an event with Stripe's scheme and delivers it to a running
//! server, as Stripe (or the mock gateway's partner) would.
//!
//!     cargo run --release -- demo                                  # in one terminal
//!     cargo run --example signed_webhook -- payment_intent.succeeded pi_mock_000001
//!
//! The first argument is the event type, the second the PaymentIntent (`gatewayReference` of a
//! payment, e.g. a pre-authorized debit made with `pm_mock_pad` that waits for its bank).
//! `BILLING_PORTAL_URL` (default `http://localhost:8000`), `GATEWAY` (`mock`) and `WEBHOOK_SECRET`
//! (`whsec_mock`, the default `MOCK_WEBHOOK_SECRET`) override the defaults.

use billing_portal::{domain::secret::Secret, gateway::stripe::webhook::signature_header};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "payment_intent.succeeded".into());
    let reference = args.next().ok_or("usage: signed_webhook EVENT_TYPE PAYMENT_INTENT_ID")?;
    let base = std::env::var("BILLING_PORTAL_URL").unwrap_or_else(|_| "http://localhost:8000".into());
    let gateway = std::env::var("GATEWAY").unwrap_or_else(|_| "mock".into());
    let secret = Secret(std::env::var("WEBHOOK_SECRET").unwrap_or_else(|_| "whsec_mock".into()));

    let now = chrono::Utc::now().timestamp();
    let event = json!({
        "id": format!("evt_example_{}", uuid::Uuid::new_v4().simple()),
        "object": "event",
        "api_version": "2026-09-30.endive",
        "created": now,
        "type": kind,
        "data": { "object": { "id": reference, "object": "payment_intent", "metadata": {} } },
    });
    let body = event.to_string();
    let response = reqwest::Client::new()
        .post(format!("{base}/webhooks/{gateway}"))
        .header("Stripe-Signature", signature_header(body.as_bytes(), &secret, now))
        .body(body)
        .send()
        .await?;
    println!("{} {}", response.status(), response.text().await?);
    Ok(())
}
