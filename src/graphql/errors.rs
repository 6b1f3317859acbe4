//! How a refused or failed request looks to the client: a GraphQL error whose `extensions.code`
//! is one of the contract's codes. This is the one place where that is decided: resolvers return
//! `ServiceError`s with `?`, and `to_contract` maps every error of a response once it has run.

use std::sync::Arc;

use async_graphql::{ErrorExtensionValues, Response, ServerError};

use crate::{services::ServiceError, telemetry};

/// Gives every error of `response` its contract code:
/// - a `ServiceError` from a resolver or a loader: its code (internal ones: logged, and shown only
///   as `INTERNAL_SERVER_ERROR` with the correlation id);
/// - any other error our code raised: internal, likewise;
/// - an error async-graphql raised itself (a document that does not parse or validate, an argument
///   or variable that does not coerce, such as `first: 405090780440123`): `BAD_USER_INPUT`.
pub fn to_contract(response: &mut Response, request_id: &str) {
    for error in &mut response.errors {
        // A handle of our own on the source, so that the error can be rewritten meanwhile.
        let source = error.source.clone();
        let service_error = source.as_deref().and_then(|source| {
            source
                .downcast_ref::<ServiceError>()
                .or_else(|| source.downcast_ref::<Arc<ServiceError>>().map(AsRef::as_ref))
        });
        let (message, code) = match service_error {
            Some(cause) => match refusal(cause) {
                Some(refusal) => refusal,
                None => internal(error, cause, request_id),
            },
            None if source.is_some() => {
                let cause = ServiceError::Inconsistent(format!("an unexpected error: {}", error.message));
                internal(error, &cause, request_id)
            }
            None => (error.message.clone(), "BAD_USER_INPUT"),
        };
        error.message = message;
        extensions(error).set("code", code);
        if let Some(ServiceError::RateLimited { retry_after_seconds }) = service_error {
            extensions(error).set("retryAfterSeconds", *retry_after_seconds);
        }
    }
}

/// What a client may be told, for the errors that are the client's to fix.
fn refusal(error: &ServiceError) -> Option<(String, &'static str)> {
    let code = match error {
        ServiceError::Unauthenticated => "UNAUTHENTICATED",
        ServiceError::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
        ServiceError::Forbidden => "FORBIDDEN",
        ServiceError::NotFound => "NOT_FOUND",
        ServiceError::BadInput(_) => "BAD_USER_INPUT",
        // A mutation's refusals go into its payload (`payload`); one that reaches here is still
        // the client's to fix.
        ServiceError::Refused(_) | ServiceError::Conflict(_) => "BAD_USER_INPUT",
        ServiceError::RateLimited { .. } => "RATE_LIMITED",
        ServiceError::Database(_)
        | ServiceError::BulkLoad(_)
        | ServiceError::Io(_)
        | ServiceError::PasswordHashing(_)
        | ServiceError::Document(_)
        | ServiceError::Task(_)
        | ServiceError::Gateway(_)
        | ServiceError::Inconsistent(_) => return None,
    };
    Some((error.to_string(), code))
}

fn internal(error: &mut ServerError, cause: &ServiceError, request_id: &str) -> (String, &'static str) {
    tracing::error!(correlation_id = request_id, error = %telemetry::chain(cause), "internal error");
    extensions(error).set("correlationId", request_id);
    ("Internal server error.".into(), "INTERNAL_SERVER_ERROR")
}

fn extensions(error: &mut ServerError) -> &mut ErrorExtensionValues {
    error.extensions.get_or_insert_with(ErrorExtensionValues::default)
}
