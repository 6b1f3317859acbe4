//! The two ways a service says no: an expected refusal the user can fix (`UserError`, carried in a
//! mutation's payload) and a refused or failed request (`ServiceError`).

use sea_orm::DbErr;

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Expected failures of an operation; the caller may fix their input and try again.
pub type Invalid<T> = Result<T, Vec<UserError>>;

/// A request the service refused or could not complete.
///
/// Deliberately not `Display`: async-graphql turns any `Display` error into a client-visible
/// message, so a stray `?` would leak database errors. The GraphQL layer maps each variant
/// explicitly (`graphql::errors`), hiding `Database` and `Internal` behind a correlation id.
#[derive(Debug)]
pub enum ServiceError {
    Unauthenticated,
    PasswordChangeRequired,
    Forbidden,
    NotFound,
    /// A request the API refuses as malformed (a bad cursor, a negative page size).
    BadInput(String),
    RateLimited {
        retry_after_seconds: i64,
    },
    Database(DbErr),
    Internal(anyhow::Error),
}

impl From<DbErr> for ServiceError {
    fn from(error: DbErr) -> Self {
        Self::Database(error)
    }
}

impl From<anyhow::Error> for ServiceError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The input field at fault, when there is one.
    pub field: Option<&'static str>,
    pub code: UserErrorCode,
    pub message: String,
}

impl UserError {
    pub fn new(field: &'static str, code: UserErrorCode, message: impl Into<String>) -> Self {
        Self { field: Some(field), code, message: message.into() }
    }
}

/// Why an operation refused its input. These variants are the API's `UserErrorCode` enum, so the
/// frontend can branch on them without parsing messages.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserErrorCode {
    InvalidCredentials,
    TemporaryPasswordExpired,
    PasswordTooShort,
    PasswordTooLong,
    PasswordNeedsDigits,
    PasswordNeedsMixedCase,
    PasswordTooGuessable,
    PasswordUnchanged,
    InvalidToken,
    InvalidEmail,
    InvalidName,
    EmailTaken,
    InvalidAddress,
    InvalidTimeZone,
    InvalidContact,
    InvalidDateRange,
    DateRangeTooOld,
}
