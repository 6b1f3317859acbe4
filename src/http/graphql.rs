//! `POST /graphql` runs GraphQL requests; `GET /graphql` is the GraphiQL playground (`graphiql`).
//!
//! GraphQL-over-HTTP hardening: operations only by POST with `application/json` (a simple form
//! post or a GET can never run a mutation, so no CSRF), small batches only.

use std::{net::IpAddr, sync::Arc};

use async_graphql::{BatchRequest, BatchResponse};
use poem::{
    Body, Request, Response, handler,
    http::{StatusCode, header},
    web::Data,
};

use crate::{
    config::Settings,
    graphql::{self, AppSchema, RequestContext},
    services::{Caller, Deps, auth::sessions},
};

use super::{RequestId, StatementCounter};

/// Enough for a frontend that batches a page's queries; too few to multiply brute force.
pub const MAX_BATCH: usize = 10;
/// GraphQL documents and variables are small; anything bigger is not a real client.
const MAX_BODY_BYTES: usize = 256 * 1024;

#[handler]
pub async fn playground(request: &Request, Data(settings): Data<&Arc<Settings>>) -> Response {
    if request.uri().query().is_some_and(|q| q.contains("query=")) {
        let mut response = refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            "GraphQL requests must be sent by POST with Content-Type: application/json.",
        );
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    if settings.is_production() {
        return refusal(StatusCode::NOT_FOUND, "Not found.");
    }
    super::graphiql::page()
}

#[handler]
pub async fn execute(
    request: &Request,
    body: Body,
    Data(schema): Data<&AppSchema>,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let is_json = request
        .content_type()
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send GraphQL requests as application/json.");
    }
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, "The request body is too large.");
    };
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(batch) => batch,
        Err(_) => return refusal(StatusCode::BAD_REQUEST, "The body is not a GraphQL request in JSON."),
    };
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(requests) => requests.len(),
    };
    if size == 0 || size > MAX_BATCH {
        return refusal(StatusCode::BAD_REQUEST, &format!("A batch holds 1 to {MAX_BATCH} requests."));
    }

    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    let caller = match authenticate(request, deps, &request_id).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let client_ip = client_address(request, &settings.trusted_proxies);
    let statements = request.extensions().get::<StatementCounter>().map(|c| c.0.clone()).unwrap_or_default();
    // Dataloader batches run in tasks of their own; they count toward this request's statements.
    let spawn = move |work| tokio::spawn(crate::database::count_statements(statements.clone(), work));
    let prepare = |one: async_graphql::Request, caller: Option<Caller>| {
        let one = one.data(RequestContext { caller, client_ip, request_id: request_id.clone() });
        graphql::loaders::attach(one, deps, spawn.clone())
    };
    // One request after the other, never concurrently: each `login` then sees the throttle that
    // the previous one left, exactly as if they had come in separate HTTP requests.
    let media = ResponseMedia::of(request);
    let response = match batch {
        BatchRequest::Single(one) => {
            let response = graphql::execute(schema, prepare(one, caller), &request_id).await;
            // GraphQL over HTTP: a request that never ran (unparsable, invalid, variables that do
            // not coerce) is a 400 without `data` for a client that accepts the GraphQL media type.
            if media == ResponseMedia::GraphqlResponseJson && never_ran(&response) {
                let body = serde_json::json!({ "errors": response.errors });
                return Response::builder()
                    .status(StatusCode::BAD_REQUEST)
                    .content_type(media.content_type())
                    .body(body.to_string());
            }
            BatchResponse::Single(response)
        }
        BatchRequest::Batch(many) => {
            let mut responses = Vec::with_capacity(many.len());
            let mut caller = Some(caller);
            for one in many {
                // After the first, each request looks its session up again: an earlier one may
                // have logged out, changed a role or the account, which the session's rows show.
                let caller = match caller.take() {
                    Some(first) => first,
                    None => match authenticate(request, deps, &request_id).await {
                        Ok(caller) => caller,
                        Err(refused) => return refused,
                    },
                };
                responses.push(graphql::execute(schema, prepare(one, caller), &request_id).await);
            }
            BatchResponse::Batch(responses)
        }
    };
    // A batch is a JSON array, which is not a GraphQL response: it stays `application/json`.
    let media = if matches!(response, BatchResponse::Single(_)) { media } else { ResponseMedia::Json };
    match serde_json::to_vec(&response) {
        Ok(json) => Response::builder().content_type(media.content_type()).body(json),
        Err(error) => {
            tracing::error!(%error, "serialising a GraphQL response failed");
            refusal(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
        }
    }
}

/// The media type of the answer: GraphQL's own when the client accepts it, else plain JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ResponseMedia {
    GraphqlResponseJson,
    Json,
}

impl ResponseMedia {
    fn of(request: &Request) -> Self {
        // Named in `Accept`, and not refused with `q=0`.
        let accepts = request.header(header::ACCEPT).unwrap_or_default().split(',').any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let named = parts.next().is_some_and(|mime| mime.eq_ignore_ascii_case(GRAPHQL_RESPONSE_JSON));
            named
                && !parts
                    .any(|param| param.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0))
        });
        if accepts { Self::GraphqlResponseJson } else { Self::Json }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json",
        }
    }
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// A request that failed before execution: no data, and errors that point at no field.
fn never_ran(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// The caller behind `Authorization: Bearer TOKEN`; none without a header or with a dead token.
/// The caller behind the bearer token, if any; a failed lookup is the whole request's 500.
async fn authenticate(request: &Request, deps: &Deps, request_id: &str) -> Result<Option<Caller>, Response> {
    let Some(token) = request
        .header(header::AUTHORIZATION)
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
    else {
        return Ok(None);
    };
    sessions::authenticate(deps, token).await.map_err(|error| {
        let error = crate::telemetry::chain(&error);
        tracing::error!(correlation_id = %request_id, %error, "session lookup failed");
        refusal(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
    })
}

/// Who is on the other end: the TCP peer, or, when that peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not one of ours (the ones to its left could be forged).
pub(super) fn client_address(request: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.remote_addr().as_socket_addr().map(|addr| addr.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<IpAddr> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|hop| hop.trim().parse().ok())
        .collect();
    Some(hops.into_iter().rev().find(|hop| !trusted.contains(hop)).unwrap_or(peer))
}

/// A request refused before GraphQL runs, in GraphQL's error shape.
fn refusal(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message }] });
    Response::builder().status(status).content_type("application/json").body(body.to_string())
}
