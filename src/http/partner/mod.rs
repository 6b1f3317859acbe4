//! `/partner/v1`: the carrier's billing engine opens accounts, posts invoices and credits, and
//! invites first users, with a key from `create-partner-key`. Handlers are thin: check the key,
//! read the JSON (naming what is wrong), call `services::partner`, map the answer to a status.

mod convert;
mod openapi;
pub mod types;

use std::sync::Arc;

use poem::{
    Body, Request, Response, handler,
    http::StatusCode,
    web::{Data, Path},
};
use serde::de::DeserializeOwned;

use crate::{
    bounds::{self, MAX_JSON_NESTING, Syntax},
    config::Settings,
    services::{
        Deps, ServiceError,
        partner::{self, Put},
    },
    telemetry,
};

use self::types::{AccountBody, CreditBody, Errors, FieldError, InvoiceBody, UserBody};

pub use openapi::document;

/// The billing engine's requests are small; an invoice of many lines still fits.
const MAX_BODY_BYTES: usize = 1024 * 1024;

#[utoipa::path(
    put, path = "/partner/v1/accounts/{number}", tag = "accounts",
    params(("number" = String, Path, description = "The account number, e.g. 1004")),
    request_body = AccountBody,
    responses(
        (status = 201, description = "Opened", body = types::AccountView),
        (status = 200, description = "Updated, or already so", body = types::AccountView),
        (status = 401, description = "No valid key", body = Errors),
        (status = 409, description = "The currency cannot change once anything is posted", body = Errors),
        (status = 422, description = "Each problem with the body", body = Errors),
        (status = 429, description = "Too many failed key checks from this address", body = Errors),
    ),
    security(("partner_key" = []))
)]
#[handler]
pub async fn put_account(
    request: &Request,
    Path(number): Path<String>,
    body: Body,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let service = |input| partner::accounts::put(deps, &number, input);
    let read = |body: AccountBody| Ok(convert::account(body));
    answer(Admission { request, body, deps, settings }, read, service, |account| {
        convert::account_view(&account)
    })
    .await
}

#[utoipa::path(
    put, path = "/partner/v1/accounts/{number}/invoices/{invoiceNumber}", tag = "invoices",
    params(
        ("number" = String, Path, description = "The account number"),
        ("invoiceNumber" = String, Path, description = "The invoice number, unique across accounts"),
    ),
    request_body = InvoiceBody,
    responses(
        (status = 201, description = "Posted", body = types::InvoiceView),
        (status = 200, description = "Posted before by the same request; nothing changed", body = types::InvoiceView),
        (status = 401, description = "No valid key", body = Errors),
        (status = 404, description = "No such account", body = Errors),
        (status = 409, description = "The invoice exists and differs; nothing changed", body = Errors),
        (status = 422, description = "Each problem with the body", body = Errors),
        (status = 429, description = "Too many failed key checks from this address", body = Errors),
    ),
    security(("partner_key" = []))
)]
#[handler]
pub async fn put_invoice(
    request: &Request,
    Path((number, invoice_number)): Path<(String, String)>,
    body: Body,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let service = |input| partner::postings::put_invoice(deps, &number, &invoice_number, input);
    let view = |invoice| convert::invoice_view(&number, &invoice);
    answer(Admission { request, body, deps, settings }, convert::invoice, service, view).await
}

#[utoipa::path(
    put, path = "/partner/v1/accounts/{number}/credits/{creditId}", tag = "credits",
    params(
        ("number" = String, Path, description = "The account number"),
        ("creditId" = String, Path, description = "The billing engine's id for the credit, unique in the account"),
    ),
    request_body = CreditBody,
    responses(
        (status = 201, description = "Posted", body = types::CreditView),
        (status = 200, description = "Posted before by the same request; nothing changed", body = types::CreditView),
        (status = 401, description = "No valid key", body = Errors),
        (status = 404, description = "No such account", body = Errors),
        (status = 409, description = "The credit exists and differs; nothing changed", body = Errors),
        (status = 422, description = "Each problem with the body", body = Errors),
        (status = 429, description = "Too many failed key checks from this address", body = Errors),
    ),
    security(("partner_key" = []))
)]
#[handler]
pub async fn put_credit(
    request: &Request,
    Path((number, credit_id)): Path<(String, String)>,
    body: Body,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let service = |input| partner::postings::put_credit(deps, &number, &credit_id, input);
    let view = |entry| convert::credit_view(&number, &credit_id, &entry);
    answer(Admission { request, body, deps, settings }, convert::credit, service, view).await
}

#[utoipa::path(
    post, path = "/partner/v1/accounts/{number}/users", tag = "users",
    params(("number" = String, Path, description = "The account number")),
    request_body = UserBody,
    responses(
        (status = 201, description = "Invited: the invitation email is on its way", body = types::UserView),
        (status = 401, description = "No valid key", body = Errors),
        (status = 404, description = "No such account", body = Errors),
        (status = 409, description = "The email address already has a login", body = Errors),
        (status = 422, description = "Each problem with the body", body = Errors),
        (status = 429, description = "Too many failed key checks from this address", body = Errors),
    ),
    security(("partner_key" = []))
)]
#[handler]
pub async fn post_user(
    request: &Request,
    Path(number): Path<String>,
    body: Body,
    Data(deps): Data<&Deps>,
    Data(settings): Data<&Arc<Settings>>,
) -> Response {
    let service = |input| partner::accounts::invite(deps, &number, input);
    let read = |body: UserBody| Ok(convert::invitation(body));
    answer(Admission { request, body, deps, settings }, read, service, |user| convert::user_view(&user)).await
}

/// `GET /partner/v1/openapi.json`: public, like any API's reference.
#[handler]
pub fn openapi_json() -> Response {
    Response::builder().content_type("application/json").body(document())
}

/// What every handler is given.
struct Admission<'a> {
    request: &'a Request,
    body: Body,
    deps: &'a Deps,
    settings: &'a Settings,
}

/// Every handler's one path: the key checked, the body read as `B` and its values as the
/// service's input (each problem named as this API names it), the service, and what it answers
/// as `view` shows it.
async fn answer<B, I, T, V, F>(
    admission: Admission<'_>,
    input: impl FnOnce(B) -> Result<I, Vec<FieldError>>,
    service: impl FnOnce(I) -> F,
    view: impl FnOnce(T) -> V,
) -> Response
where
    B: DeserializeOwned,
    V: serde::Serialize,
    F: Future<Output = Result<Put<T>, ServiceError>>,
{
    let Admission { request, body, deps, settings } = admission;
    if let Err(refused) = authorise(request, deps, settings).await {
        return refused;
    }
    let body: B = match read(body).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    match input(body) {
        Ok(input) => respond(service(input).await, view),
        Err(errors) => invalid(errors),
    }
}

/// The key in `Authorization: Bearer KEY`, checked (and a failure counted) before anything else.
async fn authorise(request: &Request, deps: &Deps, settings: &Settings) -> Result<(), Response> {
    let presented = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
        .map(str::trim);
    let client_ip = super::client_address::client_address(request, &settings.trusted_proxies);
    match partner::keys::verify(deps, presented, client_ip).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => {
            let mut response = refusal(
                StatusCode::UNAUTHORIZED,
                "A valid partner key is required (Authorization: Bearer KEY).",
            );
            response.headers_mut().insert("www-authenticate", poem::http::HeaderValue::from_static("Bearer"));
            Err(response)
        }
        Err(ServiceError::RateLimited { retry_after_seconds }) => {
            let mut response =
                refusal(StatusCode::TOO_MANY_REQUESTS, "Too many failed key checks. Try again later.");
            if let Ok(value) = retry_after_seconds.to_string().parse() {
                response.headers_mut().insert("retry-after", value);
            }
            Err(response)
        }
        Err(error) => Err(internal(&error)),
    }
}

/// The body as `T`; JSON that is not, answered 422 naming where it goes wrong.
async fn read<T: DeserializeOwned>(body: Body) -> Result<T, Response> {
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return Err(refusal(StatusCode::PAYLOAD_TOO_LARGE, "The body is too large."));
    };
    // serde recurses once per level: a body nested deeper than any document of ours is measured
    // and refused first (see `bounds`).
    if bounds::nests_deeper_than(&bytes, Syntax::Json, MAX_JSON_NESTING) {
        let message = format!("The body is nested too deep (more than {MAX_JSON_NESTING} levels).");
        return Err(invalid(vec![FieldError { field: None, message }]));
    }
    let mut json = serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(&mut json).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // serde names a missing field in its message, at the path of the object that lacks it.
        let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => Some(name.to_string()),
            (_, Some(name)) => Some(format!("{path}.{name}")),
            (".", None) => None,
            (_, None) => Some(path),
        };
        invalid(vec![FieldError { field, message }])
    })
}

fn respond<T, V: serde::Serialize>(
    answer: Result<Put<T>, ServiceError>,
    view: impl FnOnce(T) -> V,
) -> Response {
    match answer {
        Ok(Put::Created(made)) => json(StatusCode::CREATED, &view(made)),
        Ok(Put::Unchanged(same) | Put::Updated(same)) => json(StatusCode::OK, &view(same)),
        Err(ServiceError::Refused(errors)) => invalid(errors.into_iter().map(convert::problem).collect()),
        Err(ServiceError::Conflict(message)) => refusal(StatusCode::CONFLICT, &message.to_string()),
        Err(ServiceError::NotFound) => refusal(StatusCode::NOT_FOUND, "There is no such account."),
        Err(error) => internal(&error),
    }
}

fn invalid(errors: Vec<FieldError>) -> Response {
    json(StatusCode::UNPROCESSABLE_ENTITY, &Errors { errors })
}

fn refusal(status: StatusCode, message: &str) -> Response {
    json(status, &Errors { errors: vec![FieldError { field: None, message: message.to_string() }] })
}

fn internal(error: &ServiceError) -> Response {
    tracing::error!(error = %telemetry::chain(error), "a Partner API request failed");
    refusal(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
}

fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    let body = serde_json::to_string(body).unwrap_or_default();
    Response::builder().status(status).content_type("application/json").body(body)
}
