//! How a refused or failed request looks to the client: a GraphQL error whose `extensions.code`
//! is one of the contract's codes. This is the one place where that is decided: resolvers return
//! `ServiceError`s with `?`, and `to_contract` maps every error of a response once it has run.

use std::sync::Arc;

use async_graphql::{
    ErrorExtensionValues, PathSegment, Response, ServerError, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextSubscribe},
    futures_util::stream::{BoxStream, StreamExt},
};

use super::{RequestContext, persisted::PersistedError};
use crate::{
    i18n::{Locale, render},
    services::ServiceError,
    telemetry,
};

/// Gives every error of `response` its contract code:
/// - a refused persisted operation (`persisted`): its own code, e.g. `PERSISTED_QUERY_NOT_FOUND`;
/// - a `ServiceError` from a resolver or a loader: its code (internal ones: logged, and shown only
///   as `INTERNAL_SERVER_ERROR` with the correlation id);
/// - any other error our code raised: internal, likewise;
/// - an error async-graphql raised itself (a document that does not parse or validate, an argument
///   or variable that does not coerce, such as `first: 405090780440123`): `BAD_USER_INPUT`.
pub fn to_contract(response: &mut Response, request_id: &str, locale: Locale) {
    for error in &mut response.errors {
        // A handle of our own on the source, so that the error can be rewritten meanwhile.
        let source = error.source.clone();
        let service_error = source.as_deref().and_then(|source| {
            source
                .downcast_ref::<ServiceError>()
                .or_else(|| source.downcast_ref::<Arc<ServiceError>>().map(AsRef::as_ref))
        });
        let persisted = source.as_deref().and_then(|source| source.downcast_ref::<PersistedError>());
        let (message, code) = match (persisted, service_error) {
            (Some(persisted), _) => (error.message.clone(), persisted.code()),
            (None, Some(cause)) => match refusal(cause, locale) {
                Some(refusal) => refusal,
                None => internal(error, cause, request_id, locale),
            },
            (None, None) if source.is_some() => {
                let cause = ServiceError::Inconsistent(format!("an unexpected error: {}", error.message));
                internal(error, &cause, request_id, locale)
            }
            (None, None) => (error.message.clone(), "BAD_USER_INPUT"),
        };
        error.message = message;
        extensions(error).set("code", code);
        if let Some(ServiceError::RateLimited { retry_after_seconds }) = service_error {
            extensions(error).set("retryAfterSeconds", *retry_after_seconds);
        }
    }
}

/// The schema's extension that gives each subscription message what `graphql::execute` gives a
/// request's answer: `data` shaped as the spec says and every error's contract code.
pub struct SubscriptionMessages;

impl ExtensionFactory for SubscriptionMessages {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SubscriptionMessages)
    }
}

impl Extension for SubscriptionMessages {
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let request = ctx.data_opt::<RequestContext>();
        let request_id = request.map(|r| r.request_id.clone()).unwrap_or_default();
        let locale = request.map(|r| r.locale).unwrap_or_default();
        next.run(ctx, stream)
            .map(move |mut response| {
                propagate_null_to_root(&mut response);
                to_contract(&mut response, &request_id, locale);
                response
            })
            .boxed()
    }
}

/// A root field that failed and is non-null makes the whole `data` null, as the GraphQL spec says
/// ("Handling Execution Errors"); async-graphql leaves the field out of `data` instead, which a
/// client's cache reads as an answer without it. A nullable root field that failed is in `data`
/// as `null`, so a root field missing from `data` with an error at its path is a non-null one.
pub fn propagate_null_to_root(response: &mut Response) {
    let Value::Object(data) = &response.data else { return };
    let root_field_missing = response.errors.iter().any(|error| match error.path.first() {
        Some(PathSegment::Field(key)) => !data.contains_key(key.as_str()),
        _ => false,
    });
    if root_field_missing {
        response.data = Value::Null;
    }
}

/// What a client may be told, in `locale`, for the errors that are the client's to fix.
fn refusal(error: &ServiceError, locale: Locale) -> Option<(String, &'static str)> {
    let code = match error {
        ServiceError::Unauthenticated => "UNAUTHENTICATED",
        ServiceError::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
        ServiceError::TwoFactorEnrollmentRequired => "TWO_FACTOR_ENROLLMENT_REQUIRED",
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
    Some((error.message(locale)?, code))
}

fn internal(
    error: &mut ServerError,
    cause: &ServiceError,
    request_id: &str,
    locale: Locale,
) -> (String, &'static str) {
    tracing::error!(correlation_id = request_id, error = %telemetry::chain(cause), "internal error");
    extensions(error).set("correlationId", request_id);
    (render(locale, "internal", &[]), "INTERNAL_SERVER_ERROR")
}

fn extensions(error: &mut ServerError) -> &mut ErrorExtensionValues {
    error.extensions.get_or_insert_with(ErrorExtensionValues::default)
}
