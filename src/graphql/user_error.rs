//! A mutation's expected failures, as the API names them.

use async_graphql::{ComplexObject, Context, Enum, SimpleObject};

use super::context;
use crate::{
    i18n::Text,
    services::{self, Field},
};

/// An expected failure of a mutation, returned in its payload.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UserError {
    /// The input field at fault, if any, as a path such as `billingAddress.postalCode`.
    pub field: Option<String>,
    #[graphql(skip)]
    pub message: Text,
    /// Why, for the frontend to branch on.
    pub code: UserErrorCode,
}

#[ComplexObject]
impl UserError {
    /// What is wrong and what to do, in a sentence to show the user as it is, in the viewer's
    /// language (before login, the one `Accept-Language` prefers).
    async fn message(&self, ctx: &Context<'_>) -> String {
        self.message.render(context::request(ctx).locale)
    }
}

/// Why an operation refused its input, so the frontend can branch without parsing messages.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "services::UserErrorCode")]
pub enum UserErrorCode {
    /// The email address or password is wrong (`login`), or the current password is (`changePassword`).
    InvalidCredentials,
    /// The invitation's temporary password has expired: choose a new one with `requestPasswordReset`.
    TemporaryPasswordExpired,
    /// The new password has fewer than 15 characters.
    PasswordTooShort,
    /// The new password has more than 256 characters.
    PasswordTooLong,
    /// The new password has fewer than 2 digits.
    PasswordNeedsDigits,
    /// The new password lacks upper-case or lower-case letters.
    PasswordNeedsMixedCase,
    /// The new password is too easy to guess (common words, names, the email address, patterns).
    PasswordTooGuessable,
    /// The new password is the current one.
    PasswordUnchanged,
    /// The password reset link is invalid, used or expired: ask for a new one.
    InvalidToken,
    /// Not a valid email address.
    InvalidEmail,
    /// A user's name is empty or longer than 200 characters.
    InvalidName,
    /// This email address already has a Billing Portal login.
    EmailTaken,
    /// A billing address field is missing, too long or not valid (country code, Canadian province or
    /// postal code).
    InvalidAddress,
    /// Not an IANA time zone such as `America/Toronto`.
    InvalidTimeZone,
    /// A billing contact's name or phone number is not valid, or there are more than 10 contacts.
    InvalidContact,
    /// The first day is after the last, or the last day is after today.
    InvalidDateRange,
    /// The first day is more than 6 months ago.
    DateRangeTooOld,
    /// The amount is not above zero, or has more decimals than the currency.
    InvalidAmount,
    /// The amount is more than what is owed.
    AmountExceedsBalance,
    /// Another payment of the account is still in progress: wait until it completes.
    PaymentInProgress,
    /// This `idempotencyKey` was already used for a different payment.
    IdempotencyKeyReused,
    /// The `idempotencyKey` is empty, longer than 255 characters or holds control characters.
    InvalidIdempotencyKey,
    /// The card has expired: choose another payment method.
    PaymentMethodExpired,
    /// What was sent looks like a card number (12 digits in a row): send the gateway's payment
    /// method id instead.
    CardNumberRefused,
    /// The payment gateway does not know this payment method, or refused it.
    InvalidPaymentMethod,
    /// Auto Pay charges this method: choose another one for Auto Pay, or turn Auto Pay off, first.
    AutoPayMethod,
    /// Turning Auto Pay on needs a payment method, and none was given or kept.
    AutoPayNeedsMethod,
    /// Nobody changes their own role: another office manager must.
    CannotChangeOwnRole,
    /// Nobody deletes themselves: another office manager must.
    CannotDeleteSelf,
    /// The account must keep an active office manager: make someone else office manager first.
    LastOfficeManager,
    /// This person has already logged in: there is no invitation to resend (they can use Forgot
    /// Password).
    InvitationAccepted,
    /// The authenticator code or recovery code is wrong, or was already used (each works once).
    InvalidCode,
    /// The login challenge is unknown, already used or expired (5 minutes): log in again.
    InvalidChallenge,
    /// Two-step sign-in is already on: turn it off first to enrol another authenticator.
    TwoFactorAlreadyEnabled,
    /// Two-step sign-in is not on (or no enrolment was begun).
    TwoFactorNotEnrolled,
    /// The user has no such second factor (a passkey answer for a user without passkeys).
    UnsupportedMethod,
    /// The viewer has not signed in, or used `reauthenticate`, within the last 15 minutes, and what
    /// was asked needs it: adding a passkey (anyone); and, for a viewer with a second factor, adding
    /// or removing a payment method, turning Auto Pay on, inviting an office manager, changing a
    /// role, deleting a user or removing a passkey. Call `reauthenticate`, then ask again.
    ReauthenticationRequired,
    /// The passkey's answer does not verify (another site's, a stale challenge's, a passkey not
    /// registered here), or the passkey is registered already.
    InvalidPasskey,
    /// The user has 20 passkeys already: remove one first.
    TooManyPasskeys,
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
        Field::Code => "code",
        Field::RecoveryCode => "recoveryCode",
        Field::Challenge => "challenge",
        Field::Passkey => "passkey",
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
