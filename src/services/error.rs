//! How a service says no: one error type, `ServiceError`. Input the user can fix is
//! `ServiceError::Refused`, with each `UserError` (a mutation's payload carries them); the rest are
//! refused or failed requests. One type, so that `?` refuses from anywhere, and a refusal inside a
//! transaction rolls it back.

use sea_orm::DbErr;

use crate::i18n::Text;

pub type ServiceResult<T> = Result<T, ServiceError>;

/// A request the service refused or could not complete.
///
/// The refusals say what a client may be shown as a `Text`, rendered in the reader's language by the
/// API (`message`); `Display` is English, for the log. The internal variants' messages name only the
/// kind of failure (their cause is their `source`, for the log): an API maps each variant
/// explicitly (`graphql::errors`), and even a stray conversion shows no internals.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input, as each error says; nothing was changed. The caller may fix it and try again.
    #[error("{}", .0.iter().map(|error| error.message.to_string()).collect::<Vec<_>>().join(" "))]
    Refused(Vec<UserError>),
    /// The object exists and differs from what the request says it is; nothing was changed.
    #[error("{0}")]
    Conflict(Text),
    #[error("You must be logged in.")]
    Unauthenticated,
    #[error("You must choose a new password first.")]
    PasswordChangeRequired,
    #[error("Your account requires two-step sign-in: set up your authenticator app first.")]
    TwoFactorEnrollmentRequired,
    #[error("Only an office manager may do this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// A request the API refuses as malformed (a bad cursor, a negative page size).
    #[error("{0}")]
    BadInput(Text),
    #[error("Too many attempts. Try again later.")]
    RateLimited { retry_after_seconds: i64 },
    #[error("internal error: the database failed")]
    Database(#[from] DbErr),
    /// A bulk load's connection-level failure (PostgreSQL's `COPY` speaks sqlx directly).
    #[error("internal error: a bulk load failed")]
    BulkLoad(#[source] sea_orm::sqlx::Error),
    #[error("internal error: writing a file failed")]
    Io(#[from] std::io::Error),
    #[error("internal error: hashing a password failed")]
    PasswordHashing(String),
    #[error("internal error: rendering a document failed")]
    Document(#[from] crate::pdf::PdfError),
    #[error("internal error: a background task failed")]
    Task(#[from] tokio::task::JoinError),
    #[error("internal error: the payment gateway failed")]
    Gateway(#[from] crate::gateway::GatewayError),
    /// Stored data breaks a rule it was checked against on the way in.
    #[error("internal error: inconsistent data")]
    Inconsistent(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserError {
    /// The input field at fault, when there is one.
    pub field: Option<Field>,
    pub code: UserErrorCode,
    pub message: Text,
}

impl ServiceError {
    /// What a client is told, in `locale`: `None` for the internal errors, which the API replaces
    /// with a correlation id.
    pub fn message(&self, locale: crate::i18n::Locale) -> Option<String> {
        let text = match self {
            Self::Refused(errors) => {
                let messages: Vec<String> = errors.iter().map(|error| error.message.render(locale)).collect();
                return Some(messages.join(" "));
            }
            Self::Conflict(text) | Self::BadInput(text) => text.clone(),
            Self::Unauthenticated => Text::new("unauthenticated"),
            Self::PasswordChangeRequired => Text::new("password-change-required"),
            Self::TwoFactorEnrollmentRequired => Text::new("two-factor-enrollment-required"),
            Self::Forbidden => Text::new("forbidden"),
            Self::NotFound => Text::new("not-found"),
            Self::RateLimited { .. } => Text::new("rate-limited"),
            Self::Database(_)
            | Self::BulkLoad(_)
            | Self::Io(_)
            | Self::PasswordHashing(_)
            | Self::Document(_)
            | Self::Task(_)
            | Self::Gateway(_)
            | Self::Inconsistent(_) => return None,
        };
        Some(text.render(locale))
    }
}

impl From<UserError> for ServiceError {
    fn from(error: UserError) -> Self {
        Self::Refused(vec![error])
    }
}

impl UserError {
    pub fn new(field: Field, code: UserErrorCode, message: Text) -> Self {
        Self { field: Some(field), code, message }
    }
}

/// The inputs a user error can point at. Each API names them its own way (the GraphQL layer maps
/// them to its input paths, such as `billingAddress.postalCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Email,
    Name,
    Password,
    CurrentPassword,
    NewPassword,
    Token,
    AddressLine1,
    AddressLine2,
    City,
    Province,
    PostalCode,
    Country,
    TimeZone,
    Contacts,
    ContactName,
    ContactEmail,
    ContactPhone,
    From,
    To,
    Amount,
    PaymentMethod,
    GatewayPaymentMethodId,
    IdempotencyKey,
    Role,
    /// The user an operation is about.
    User,
    /// An authenticator code.
    Code,
    RecoveryCode,
    /// A login's second-step challenge.
    Challenge,
    Passkey,
    // What the billing engine sends (the Partner API).
    AccountNumber,
    InvoiceNumber,
    CreditId,
    Currency,
    PeriodStart,
    PeriodEnd,
    IssuedOn,
    DueOn,
    Lines,
    LineDescription(usize),
    LineAmount(usize),
    TaxName(usize),
    TaxAmount(usize),
    Total,
    Description,
    PostedOn,
}

/// Why an operation refused its input, so that a client can branch without parsing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    InvalidAmount,
    AmountExceedsBalance,
    PaymentInProgress,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    PaymentMethodExpired,
    CardNumberRefused,
    InvalidPaymentMethod,
    AutoPayMethod,
    AutoPayNeedsMethod,
    CannotChangeOwnRole,
    CannotDeleteSelf,
    LastOfficeManager,
    InvitationAccepted,
    /// An authenticator or recovery code that is wrong, or already used.
    InvalidCode,
    /// A login challenge that is unknown, used or expired: log in again.
    InvalidChallenge,
    TwoFactorAlreadyEnabled,
    TwoFactorNotEnrolled,
    /// A second factor this user does not have.
    UnsupportedMethod,
    /// What was asked moves money or power: prove who you are again (`reauthenticate`) first.
    ReauthenticationRequired,
    /// A passkey's answer that does not verify, or a passkey registered already.
    InvalidPasskey,
    TooManyPasskeys,
    /// A value refused as it is (the Partner API's field problems: a malformed identifier, a date
    /// out of range, amounts that do not add up).
    InvalidValue,
}
