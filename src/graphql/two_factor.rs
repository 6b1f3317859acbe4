//! Two-step sign-in: enrolling an authenticator app, turning it off, and the second step of a
//! login (`verifyLogin`). The rules are `services::auth::two_factor`'s.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};

use crate::services::{
    ServiceError,
    auth::{self, second_step, two_factor},
};

use super::{
    context,
    payload::{Payload, payload},
    scalars::DateTime,
    user_error::UserError,
    users::User,
};

/// A way to prove the second step of a login.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "second_step::Method")]
pub enum SecondFactorMethod {
    /// A 6-digit code from the user's authenticator app.
    Totp,
    /// One of the user's single-use recovery codes.
    RecoveryCode,
    /// One of the user's passkeys, with `passkeyOptions`.
    Passkey,
}

/// What a correct password answers a user with two-step sign-in on: give `challenge` to
/// `verifyLogin` with one of `methods` before `expiresAt`.
#[derive(SimpleObject)]
pub struct SecondFactor {
    /// For `verifyLogin`; it works once.
    pub challenge: String,
    /// The ways this user can prove the second step.
    pub methods: Vec<SecondFactorMethod>,
    /// 5 minutes after the password: log in again after that.
    pub expires_at: DateTime,
    /// With PASSKEY among `methods`, JSON: `{"publicKey": …}`; give `publicKey` to
    /// `PublicKeyCredential.parseRequestOptionsFromJSON` and `navigator.credentials.get`, and the
    /// answer to `verifyLogin` as `passkey`.
    pub passkey_options: Option<String>,
}

impl From<second_step::SecondFactor> for SecondFactor {
    fn from(second: second_step::SecondFactor) -> Self {
        Self {
            challenge: second.challenge,
            methods: second.methods.into_iter().map(Into::into).collect(),
            expires_at: DateTime(second.expires_at),
            passkey_options: second.passkey_options,
        }
    }
}

/// A new authenticator secret, shown once: type `secret` into the app, or scan the QR code.
#[derive(SimpleObject)]
pub struct TotpEnrollment {
    /// Base32, as apps take it typed.
    pub secret: String,
    /// The `otpauth://totp/…` link the QR code holds.
    pub otpauth_uri: String,
    /// The QR code, an `<svg>` element.
    pub qr_code_svg: String,
}

/// The answer to `beginTotpEnrollment`.
#[derive(SimpleObject)]
pub struct BeginTotpEnrollmentPayload {
    /// The new secret; null when refused.
    pub enrollment: Option<TotpEnrollment>,
    /// TWO_FACTOR_ALREADY_ENABLED; empty when begun.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(BeginTotpEnrollmentPayload, enrollment: two_factor::Enrollment => |e: two_factor::Enrollment| TotpEnrollment { secret: e.secret, otpauth_uri: e.uri, qr_code_svg: e.qr_svg });

/// A code from the app, to confirm it has the new secret.
#[derive(InputObject)]
pub struct ConfirmTotpEnrollmentInput {
    /// The 6-digit code the app shows now.
    pub code: String,
}

/// The answer to `confirmTotpEnrollment`.
#[derive(SimpleObject)]
pub struct ConfirmTotpEnrollmentPayload {
    /// Ten single-use codes for when the app is lost: shown this once, never again.
    pub recovery_codes: Option<Vec<String>>,
    /// You, with `twoFactorEnabled` now true; null when refused.
    pub viewer: Option<User>,
    /// INVALID_CODE, TWO_FACTOR_NOT_ENROLLED (nothing begun); empty when turned on.
    pub user_errors: Vec<UserError>,
}

impl Payload for ConfirmTotpEnrollmentPayload {
    type Made = (entity::user::Model, Vec<String>);
    fn made((user, codes): Self::Made) -> Self {
        Self { recovery_codes: Some(codes), viewer: Some(User(user)), user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { recovery_codes: None, viewer: None, user_errors }
    }
}

/// A current code, or the password.
#[derive(InputObject)]
pub struct DisableTotpInput {
    /// A current code from the app.
    pub code: Option<String>,
    /// Or your password.
    pub password: Option<String>,
}

/// The answer to `disableTotp`.
#[derive(SimpleObject)]
pub struct DisableTotpPayload {
    /// You, with `twoFactorEnabled` now false; null when refused.
    pub viewer: Option<User>,
    /// INVALID_CODE, INVALID_CREDENTIALS, TWO_FACTOR_NOT_ENROLLED; empty when turned off.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(DisableTotpPayload, viewer: entity::user::Model => User);

/// The challenge `login` answered, and one proof.
#[derive(InputObject)]
pub struct VerifyLoginInput {
    /// `login`'s `secondFactor.challenge`.
    pub challenge: String,
    /// A code from the authenticator app.
    pub code: Option<String>,
    /// One of the recovery codes (each works once; using one emails the user).
    pub recovery_code: Option<String>,
    /// `JSON.stringify` of the `PublicKeyCredential` that `navigator.credentials.get` answered, to
    /// `secondFactor.passkeyOptions` or to `beginPasskeyLogin`'s options (then with its challenge).
    pub passkey: Option<String>,
}

/// The answer to `verifyLogin`: the session.
#[derive(SimpleObject)]
pub struct VerifyLoginPayload {
    /// The new session's token: send it as `Authorization: Bearer TOKEN`. Null when refused.
    pub token: Option<String>,
    /// The user who logged in; null when refused.
    pub viewer: Option<User>,
    /// INVALID_CODE, INVALID_CHALLENGE, INVALID_PASSKEY, UNSUPPORTED_METHOD; empty when logged in.
    pub user_errors: Vec<UserError>,
}

impl Payload for VerifyLoginPayload {
    type Made = auth::LoggedIn;
    fn made(logged_in: auth::LoggedIn) -> Self {
        Self { token: Some(logged_in.token), viewer: Some(User(logged_in.user)), user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { token: None, viewer: None, user_errors }
    }
}

/// Whether every user of the account must log in in two steps.
#[derive(InputObject)]
pub struct SetRequireTwoFactorInput {
    /// True: every user logs in in two steps, enrolling first if they have not.
    pub required: bool,
}

/// The answer to `setRequireTwoFactor`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SetRequireTwoFactorPayload {
    /// Empty when set.
    pub user_errors: Vec<UserError>,
}

super::payload::with_account!(SetRequireTwoFactorPayload);

impl Payload for SetRequireTwoFactorPayload {
    type Made = ();
    fn made((): ()) -> Self {
        Self { user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { user_errors }
    }
}

#[derive(Default)]
pub struct TwoFactorMutation;

#[Object]
impl TwoFactorMutation {
    /// Starts turning two-step sign-in on: a new secret, kept aside until a code confirms it.
    async fn begin_totp_enrollment(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BeginTotpEnrollmentPayload> {
        let caller = context::caller_allowing_enrollment(ctx)?;
        payload(two_factor::begin_enrollment(context::deps(ctx), caller).await)
    }

    /// Turns two-step sign-in on with a code from the app; answers ten recovery codes, once.
    async fn confirm_totp_enrollment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A code from the app.")] input: ConfirmTotpEnrollmentInput,
    ) -> async_graphql::Result<ConfirmTotpEnrollmentPayload> {
        let caller = context::caller_allowing_enrollment(ctx)?;
        let client_ip = context::request(ctx).client.address;
        payload(two_factor::confirm_enrollment(context::deps(ctx), caller, &input.code, client_ip).await)
    }

    /// Turns two-step sign-in off, with a current code or the password.
    async fn disable_totp(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A current code, or the password.")] input: DisableTotpInput,
    ) -> async_graphql::Result<DisableTotpPayload> {
        let caller = context::caller(ctx)?;
        let client_ip = context::request(ctx).client.address;
        payload(two_factor::disable(context::deps(ctx), caller, input.code, input.password, client_ip).await)
    }

    /// Office managers: require (or stop requiring) two-step sign-in of every user of the account.
    /// Users without an authenticator then enrol before anything else
    /// (TWO_FACTOR_ENROLLMENT_REQUIRED until they do).
    async fn set_require_two_factor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whether to require it.")] input: SetRequireTwoFactorInput,
    ) -> async_graphql::Result<SetRequireTwoFactorPayload> {
        let caller = context::caller(ctx)?;
        payload(two_factor::set_required(context::deps(ctx), caller, input.required).await)
    }

    /// The second step of a login: the challenge `login` answered, and a code, a recovery code or a
    /// passkey's answer; or a passkey's answer to `beginPasskeyLogin`'s challenge, without a password.
    /// Attempts are throttled per user like logins.
    async fn verify_login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The challenge, and one proof.")] input: VerifyLoginInput,
    ) -> async_graphql::Result<VerifyLoginPayload> {
        let proof = match (input.code, input.recovery_code, input.passkey) {
            (Some(code), None, None) => second_step::Proof::Code(code),
            (None, Some(code), None) => second_step::Proof::RecoveryCode(code),
            (None, None, Some(passkey)) => second_step::Proof::Passkey(passkey),
            _ => {
                return Err(ServiceError::BadInput(crate::i18n::Text::new("two-factor-one-proof")).into());
            }
        };
        let client = &context::request(ctx).client;
        payload(second_step::verify_login(context::deps(ctx), &input.challenge, proof, client).await)
    }
}
