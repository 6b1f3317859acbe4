//! How a refused or failed request looks to the client: a GraphQL error whose `extensions.code`
//! is one of the contract's codes. Internal causes go to the log only.

use async_graphql::{Context, ErrorExtensions};

use crate::services::ServiceError;

use super::context;

/// Maps every `ServiceError` into a client-facing GraphQL error (see `ServiceError` on why this
/// is explicit).
pub trait ApiResult<T> {
    fn api(self, ctx: &Context<'_>) -> async_graphql::Result<T>;
}

impl<T> ApiResult<T> for Result<T, ServiceError> {
    fn api(self, ctx: &Context<'_>) -> async_graphql::Result<T> {
        self.map_err(|error| to_graphql(error, &context::request(ctx).request_id))
    }
}

fn to_graphql(error: ServiceError, request_id: &str) -> async_graphql::Error {
    let (message, code) = match error {
        ServiceError::Unauthenticated => ("You must be logged in.", "UNAUTHENTICATED"),
        ServiceError::PasswordChangeRequired => {
            ("You must choose a new password first.", "PASSWORD_CHANGE_REQUIRED")
        }
        ServiceError::Forbidden => ("Only an office manager may do this.", "FORBIDDEN"),
        ServiceError::NotFound => ("Not found.", "NOT_FOUND"),
        ServiceError::BadInput(message) => {
            return async_graphql::Error::new(message).extend_with(|_, e| e.set("code", "BAD_USER_INPUT"));
        }
        ServiceError::RateLimited { retry_after_seconds } => {
            return async_graphql::Error::new("Too many attempts. Try again later.").extend_with(|_, e| {
                e.set("code", "RATE_LIMITED");
                e.set("retryAfterSeconds", retry_after_seconds);
            });
        }
        ServiceError::Database(cause) => return internal(&cause, request_id),
        ServiceError::Internal(cause) => return internal(&cause, request_id),
    };
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

fn internal(cause: &dyn std::fmt::Display, request_id: &str) -> async_graphql::Error {
    tracing::error!(correlation_id = request_id, error = %cause, "internal error");
    async_graphql::Error::new("Internal server error.").extend_with(|_, e| {
        e.set("code", "INTERNAL_SERVER_ERROR");
        e.set("correlationId", request_id);
    })
}
