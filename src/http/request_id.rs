//! A request id on every log line of a request (and on the response, as `x-request-id`).

use std::time::Instant;

use poem::{Endpoint, IntoResponse, Request, Response, Result};
use tracing::Instrument;

/// The current request's id, in the request's extensions.
#[derive(Clone)]
pub struct RequestId(pub String);

pub async fn trace<E: Endpoint>(next: E, mut request: Request) -> Result<Response> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    // The path only: query strings may carry signatures.
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    async move {
        let started = Instant::now();
        let mut response = match next.call(request).await {
            Ok(response) => response.into_response(),
            Err(error) => error.into_response(),
        };
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request finished"
        );
        if let Ok(value) = id.parse() {
            response.headers_mut().insert("x-request-id", value);
        }
        Ok(response)
    }
    .instrument(span)
    .await
}
