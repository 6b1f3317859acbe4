//! `POST /webhooks/{gateway}`: events from the payment gateway. The raw body is verified before
//! anything else is done with it.

use poem::{
    Body, Request, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};

use crate::{
    services::{
        Deps,
        webhooks::{self, Receipt, Refusal},
    },
    telemetry,
};

/// Stripe's events are small; anything bigger is not one.
const MAX_BODY_BYTES: usize = 512 * 1024;

#[handler]
pub async fn receive(
    request: &Request,
    Path(gateway): Path<String>,
    body: Body,
    Data(deps): Data<&Deps>,
) -> Response {
    let Ok(payload) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return answer(StatusCode::PAYLOAD_TOO_LARGE, "The body is too large.");
    };
    let signature = request.header("stripe-signature");
    match webhooks::receive(deps, &gateway, &payload, signature).await {
        Ok(Receipt::Applied) => answer(StatusCode::OK, "applied"),
        Ok(Receipt::Duplicate) => answer(StatusCode::OK, "already applied"),
        Ok(Receipt::Ignored) => answer(StatusCode::OK, "ignored: not an object of this deployment"),
        Err(Refusal::UnknownGateway) => answer(StatusCode::NOT_FOUND, "Not found."),
        Err(Refusal::Invalid(error)) => {
            tracing::warn!(%error, "webhook refused");
            answer(StatusCode::BAD_REQUEST, &error.to_string())
        }
        // Non-2xx, so that the gateway delivers it again.
        Err(Refusal::NotYet) => answer(StatusCode::CONFLICT, "The payment is not known yet; deliver again."),
        Err(Refusal::Failed(error)) => {
            tracing::error!(error = %telemetry::chain(&error), "applying a webhook failed");
            answer(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
        }
    }
}

fn answer(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "status": message });
    Response::builder().status(status).content_type("application/json").body(body.to_string())
}
