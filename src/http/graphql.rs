//! `POST /graphql` runs GraphQL requests; `GET /graphql` is the GraphiQL playground (`graphiql`), or,
//! with `Upgrade: websocket`, subscriptions (`subscriptions`).
//!
//! GraphQL-over-HTTP hardening: operations only by POST with `application/json` (a simple form
//! post or a GET can never run a mutation, so no CSRF), small batches only.

use std::sync::Arc;

use async_graphql::{BatchRequest, BatchResponse};
use poem::{
    Body, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, websocket::WebSocket},
};

use crate::{
    bounds::{self, MAX_JSON_NESTING, Syntax},
    config::Settings,
    graphql::{self, AppSchema, RequestContext},
    i18n::Text,
    services::{
        Caller, Deps,
        auth::sessions::{self, Client},
    },
};

use super::{RequestId, StatementCounter, client_address::client_address, language};

/// Enough for a frontend that batches a page's queries; too few to multiply brute force.
pub const MAX_BATCH: usize = 10;
/// GraphQL documents and variables are small; anything bigger is not a real client.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// `GET /graphql`: a WebSocket for subscriptions (`subscriptions`), else GraphiQL.
#[handler]
pub async fn get(
    request: &Request,
    websocket: Option<WebSocket>,
    Data(schema): Data<&AppSchema>,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
    Data(limits): Data<&super::subscriptions::Limits>,
) -> Response {
    if let Some(websocket) = websocket {
        return super::subscriptions::upgrade(request, websocket, schema, deps, settings, limits);
    }
    // A GET that asks for an operation, by its text or (Apollo's persisted queries over GET) by its
    // hash: never run from a GET, and answered in GraphQL's shape rather than with the page.
    let asks_for_an_operation = |pair: &str| pair.starts_with("query=") || pair.starts_with("extensions=");
    if request.uri().query().is_some_and(|q| q.split('&').any(asks_for_an_operation)) {
        let mut response = refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            Code::BadUserInput,
            "GraphQL requests must be sent by POST with Content-Type: application/json.",
        );
        response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    if settings.is_production() {
        return refusal(StatusCode::NOT_FOUND, Code::NotFound, "Not found.");
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
    // Before the caller is known (and for a caller who is not): the browser's language.
    let asked = language::accepted(request);
    let refuse = |status, code, message: Text| refusal(status, code, &message.render(asked));
    let is_json = request
        .content_type()
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::BadUserInput,
            Text::new("graphql-needs-json"),
        );
    }
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, Code::BadUserInput, Text::new("body-too-large"));
    };
    // serde recurses once per level of the variables' JSON: measured first (see `bounds`).
    if bounds::nests_deeper_than(&bytes, Syntax::Json, MAX_JSON_NESTING) {
        let message = Text::new("json-too-deep").arg("max", MAX_JSON_NESTING);
        return refuse(StatusCode::BAD_REQUEST, Code::BadUserInput, message);
    }
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(batch) => batch,
        Err(_) => {
            return refuse(StatusCode::BAD_REQUEST, Code::BadUserInput, Text::new("body-not-graphql"));
        }
    };
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(requests) => requests.len(),
    };
    if size == 0 || size > MAX_BATCH {
        let message = Text::new("batch-size").arg("max", MAX_BATCH);
        return refuse(StatusCode::BAD_REQUEST, Code::BadUserInput, message);
    }

    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    let caller = match authenticate(request, deps, &request_id).await {
        Ok(caller) => caller,
        Err(refused) => return refused,
    };
    let client = Client {
        address: client_address(request, &settings.trusted_proxies),
        user_agent: request.header(header::USER_AGENT).map(str::to_owned),
    };
    let statements = request.extensions().get::<StatementCounter>().map(|c| c.0.clone()).unwrap_or_default();
    // Dataloader batches run in tasks of their own; they count toward this request's statements.
    let spawn = move |work| tokio::spawn(crate::database::count_statements(statements.clone(), work));
    let prepare = |one: async_graphql::Request, caller: Option<Caller>| {
        let locale = caller.as_ref().map_or(asked, Caller::locale);
        let one = one.data(RequestContext {
            caller,
            client: client.clone(),
            request_id: request_id.clone(),
            locale,
        });
        (graphql::loaders::attach(one, deps, spawn.clone()), locale)
    };
    // One request after the other, never concurrently: each `login` then sees the throttle that
    // the previous one left, exactly as if they had come in separate HTTP requests.
    let media = ResponseMedia::of(request);
    let response = match batch {
        BatchRequest::Single(one) => {
            let (one, locale) = prepare(one, caller);
            let response = graphql::execute(schema, one, &request_id, locale).await;
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
                let (one, locale) = prepare(one, caller);
                responses.push(graphql::execute(schema, one, &request_id, locale).await);
            }
            BatchResponse::Batch(responses)
        }
    };
    // A batch is a JSON array, which is not a GraphQL response: it stays `application/json`.
    let media = if matches!(response, BatchResponse::Single(_)) { media } else { ResponseMedia::Json };
    match serde_json::to_vec(&response) {
        Ok(json) => Response::builder().content_type(media.content_type()).body(json),
        Err(error) => {
            tracing::error!(correlation_id = %request_id, %error, "serialising a GraphQL response failed");
            internal_error(&request_id)
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

/// The caller behind `Authorization: Bearer TOKEN`; none without a header or with a dead token. A
/// failed lookup is the whole request's 500, with its correlation id.
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
        internal_error(request_id)
    })
}

/// The contract's codes for a request refused before GraphQL runs.
#[derive(Clone, Copy)]
enum Code {
    BadUserInput,
    NotFound,
}

/// A request refused before GraphQL runs, in GraphQL's error shape, with its contract code.
fn refusal(status: StatusCode, code: Code, message: &str) -> Response {
    let code = match code {
        Code::BadUserInput => "BAD_USER_INPUT",
        Code::NotFound => "NOT_FOUND",
    };
    error_response(status, serde_json::json!({ "message": message, "extensions": { "code": code } }))
}

/// A failure of ours before GraphQL could answer: generic, with the log's correlation id.
fn internal_error(request_id: &str) -> Response {
    let error = serde_json::json!({
        "message": "Internal server error.",
        "extensions": { "code": "INTERNAL_SERVER_ERROR", "correlationId": request_id },
    });
    error_response(StatusCode::INTERNAL_SERVER_ERROR, error)
}

fn error_response(status: StatusCode, error: serde_json::Value) -> Response {
    let body = serde_json::json!({ "errors": [error] });
    Response::builder().status(status).content_type("application/json").body(body.to_string())
}
