//! `POST /mock-gateway/3ds/{client_secret}`: the mock gateway's stand-in for the bank's 3-D Secure
//! page. With Stripe, Stripe.js shows the bank's challenge and Stripe then sends a webhook; with
//! the mock (development and tests only: it is refused in production), the portal shows a test
//! challenge like Stripe's test mode ("Complete" or "Fail") and posts the answer here, and the
//! mock's signed event goes through the same webhook path a real one does.

use std::sync::Arc;

use poem::{
    Response, handler,
    http::StatusCode,
    web::{Data, Json, Path},
};
use serde::Deserialize;

use crate::{
    config::{PaymentGatewayKind, Settings},
    gateway::mock,
    services::{Deps, webhooks},
    telemetry,
};

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Complete,
    Fail,
}

#[derive(Deserialize)]
pub struct Answer {
    outcome: Outcome,
}

#[handler]
pub async fn answer_challenge(
    Path(client_secret): Path<String>,
    Json(answer): Json<Answer>,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    if settings.payment_gateway != PaymentGatewayKind::Mock {
        return reply(StatusCode::NOT_FOUND, "Not found.");
    }
    let approve = matches!(answer.outcome, Outcome::Complete);
    let event = mock::answer_challenge(
        &deps.db,
        &settings.mock_webhook_secret,
        &deps.settings.installation_id,
        &client_secret,
        approve,
    )
    .await;
    let event = match event {
        Ok(Some(event)) => event,
        Ok(None) => return reply(StatusCode::NOT_FOUND, "No payment waits for this authentication."),
        Err(error) => {
            tracing::error!(error = %telemetry::chain(&error), "the mock gateway's storage failed");
            return reply(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.");
        }
    };
    match webhooks::receive(deps, "mock", &event.payload, Some(&event.signature)).await {
        Ok(_) => reply(StatusCode::OK, if approve { "succeeded" } else { "failed" }),
        Err(_) => {
            reply(StatusCode::INTERNAL_SERVER_ERROR, "The payment could not be settled; reconciliation will.")
        }
    }
}

fn reply(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "status": message });
    Response::builder().status(status).content_type("application/json").body(body.to_string())
}
