//! A mutation's expected failures, as the API names them.

use async_graphql::{Enum, SimpleObject};

use crate::services::{self, Field};

/// An expected failure of a mutation, returned in its payload.
#[derive(SimpleObject)]
pub struct UserError {
    /// The input field at fault, if any.
    pub field: Option<String>,
    pub message: String,
    pub code: UserErrorCode,
}

/// Why an operation refused its input, so the frontend can branch without parsing messages.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "services::UserErrorCode")]
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
    /// A value refused as it is (the Partner API's; no operation of this API answers it).
    InvalidValue,
}

impl From<services::UserError> for UserError {
    fn from(error: services::UserError) -> Self {
        Self {
            field: error.field.map(|f| input_path(f).into()),
            message: error.message,
            code: error.code.into(),
        }
    }
}

pub fn from_all(errors: Vec<services::UserError>) -> Vec<UserError> {
    errors.into_iter().map(Into::into).collect()
}

/// Where a field is in this API's inputs.
fn input_path(field: Field) -> &'static str {
    match field {
        Field::Email => "email",
        Field::Name => "name",
        Field::Password => "password",
        Field::CurrentPassword => "currentPassword",
        Field::NewPassword => "newPassword",
        Field::Token => "token",
        Field::AddressLine1 => "billingAddress.line1",
        Field::AddressLine2 => "billingAddress.line2",
        Field::City => "billingAddress.city",
        Field::Province => "billingAddress.province",
        Field::PostalCode => "billingAddress.postalCode",
        Field::Country => "billingAddress.country",
        Field::TimeZone => "timeZone",
        Field::Contacts => "billingContacts",
        Field::ContactName => "billingContacts.name",
        Field::ContactEmail => "billingContacts.email",
        Field::ContactPhone => "billingContacts.phone",
        Field::From => "from",
        Field::To => "to",
        Field::Amount => "amount",
        Field::PaymentMethod => "paymentMethodId",
        Field::GatewayPaymentMethodId => "gatewayPaymentMethodId",
        Field::IdempotencyKey => "idempotencyKey",
        Field::Role => "role",
        Field::User => "id",
        // The Partner API's inputs, which no operation of this API has.
        Field::AccountNumber
        | Field::InvoiceNumber
        | Field::CreditId
        | Field::Currency
        | Field::PeriodStart
        | Field::PeriodEnd
        | Field::IssuedOn
        | Field::DueOn
        | Field::Lines
        | Field::LineDescription(_)
        | Field::LineAmount(_)
        | Field::TaxName(_)
        | Field::TaxAmount(_)
        | Field::Total
        | Field::Description
        | Field::PostedOn => "input",
    }
}
