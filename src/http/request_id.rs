//! A request id on every log line of a request (and on the response, as `x-request-id`).

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use poem::{Endpoint, IntoResponse, Request, Response, Result};
use tracing::Instrument;

/// The current request's id, in the request's extensions.
#[derive(Clone)]
pub struct RequestId(pub String);

/// How many SQL statements the current request has run, in the request's extensions (work the
/// request spawns, such as dataloader batches, adds to it too).
#[derive(Clone)]
pub struct StatementCounter(pub Arc<AtomicU64>);

/// Paths whose rest is a credential, and how each is logged: a download path is a bearer
/// credential, and a 3-D Secure challenge's path carries the payment's client secret.
const CREDENTIAL_PATHS: [(&str, &str); 2] =
    [("/downloads/", "/downloads/[redacted]"), ("/mock-gateway/3ds/", "/mock-gateway/3ds/[redacted]")];

/// The path without its secrets (query strings, such as a reset link's token, are never logged).
fn loggable_path(path: &str) -> &str {
    CREDENTIAL_PATHS.iter().find(|(prefix, _)| path.starts_with(prefix)).map_or(path, |(_, logged)| logged)
}

pub async fn trace<E: Endpoint>(next: E, mut request: Request) -> Result<Response> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let statements = Arc::new(AtomicU64::new(0));
    request.extensions_mut().insert(StatementCounter(statements.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
    );
    async move {
        let started = Instant::now();
        let result = crate::database::count_statements(statements.clone(), next.call(request)).await;
        let mut response = match result {
            Ok(response) => response.into_response(),
            Err(error) => error.into_response(),
        };
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            db_statements = statements.load(Ordering::Relaxed),
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
