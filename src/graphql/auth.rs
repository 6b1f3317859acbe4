//! Who is logged in, and logging in and out, changing and resetting passwords.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::services::auth;

use super::{
    context,
    payload::{Payload, payload},
    user_error::{self, UserError},
    users::User,
};

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The logged-in user, or null without a valid session.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(caller) = context::request(ctx).caller.as_ref() else {
            return Ok(None);
        };
        // A query reads the row its session lookup loaded; nothing has changed it since.
        Ok(Some(User(caller.user.as_ref().clone())))
    }

    /// Every password rule, as the user error breaking it earns (on `newPassword`): what a form
    /// shows before a person types.
    async fn password_rules(&self) -> Vec<UserError> {
        user_error::from_all(auth::password_rules::all())
    }

    /// The rules `password` breaks, in the words `changePassword` and `resetPassword` refuse it
    /// with (judged for the logged-in user, whose email and name make a password easier to
    /// guess); empty when it would be accepted. Nothing is stored or logged.
    async fn check_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The candidate password.")] password: String,
    ) -> Vec<UserError> {
        let user = context::request(ctx).caller.as_ref().map(|caller| caller.user.as_ref());
        user_error::from_all(auth::password_rules::check(&password, user))
    }
}

/// A user's credentials.
#[derive(InputObject)]
pub struct LoginInput {
    /// The user's email address, which is their login name.
    pub email: String,
    /// Their password, or the temporary one from their invitation email.
    pub password: String,
}

/// The answer to `login`: a session, its second step, or why there is none.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// The new session's token: send it as `Authorization: Bearer TOKEN`. Null when refused, and
    /// when a second step is asked for.
    pub token: Option<String>,
    /// For a user with two-step sign-in on, instead of a token: give the challenge and a code to
    /// `verifyLogin`.
    pub second_factor: Option<super::two_factor::SecondFactor>,
    /// The user who logged in (check `mustChangePassword`); null when refused or a second step is
    /// asked for.
    pub viewer: Option<User>,
    /// Why the login was refused (INVALID_CREDENTIALS, TEMPORARY_PASSWORD_EXPIRED); empty when it
    /// succeeded.
    pub user_errors: Vec<UserError>,
}

/// The answer to `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Always true.
    pub ok: bool,
}

/// The current password and the new one.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The password the user logged in with (the temporary one, after an invitation).
    pub current_password: String,
    /// At least 15 characters (at most 256), with at least 2 digits and both upper- and lower-case
    /// letters, and not easy to guess.
    pub new_password: String,
}

/// The answer to `changePassword`.
#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    /// You, with `mustChangePassword` now false; null when refused.
    pub viewer: Option<User>,
    /// Why the change was refused (a wrong current password, or each rule the new one breaks); empty
    /// when it was made.
    pub user_errors: Vec<UserError>,
}

/// Whom to send a password reset link.
#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    /// The email address of the login to reset.
    pub email: String,
}

/// The answer to `requestPasswordReset`.
#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Always true: the answer never says whether the address has a login.
    pub ok: bool,
}

/// The token from a reset email, and the new password.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The `token` of the emailed link (`/reset-password?token=…`); it works once, for 1 hour.
    pub token: String,
    /// At least 15 characters (at most 256), with at least 2 digits and both upper- and lower-case
    /// letters, and not easy to guess.
    pub new_password: String,
}

/// The answer to `resetPassword`.
#[derive(SimpleObject)]
pub struct ResetPasswordPayload {
    /// True when the password was changed; false when refused.
    pub ok: bool,
    /// Why it was refused (INVALID_TOKEN, or the rules the new password breaks); empty when the
    /// password was changed.
    pub user_errors: Vec<UserError>,
}

impl Payload for LoginPayload {
    type Made = auth::LoginOutcome;
    fn made(outcome: auth::LoginOutcome) -> Self {
        match outcome {
            auth::LoginOutcome::Session(logged_in) => Self {
                token: Some(logged_in.token),
                second_factor: None,
                viewer: Some(User(logged_in.user)),
                user_errors: Vec::new(),
            },
            auth::LoginOutcome::SecondFactor(second) => Self {
                token: None,
                second_factor: Some(second.into()),
                viewer: None,
                user_errors: Vec::new(),
            },
        }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { token: None, second_factor: None, viewer: None, user_errors }
    }
}

super::payload::impl_payload!(ChangePasswordPayload, viewer: entity::user::Model => User);

super::payload::impl_ok_payload!(ResetPasswordPayload);

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Logs in with an email address and password, and starts a session. Each `login` field counts
    /// as one attempt for throttling, aliased or batched alike; too many answer RATE_LIMITED.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user's email address and password.")] input: LoginInput,
    ) -> async_graphql::Result<LoginPayload> {
        let request = context::request(ctx);
        payload(auth::login(context::deps(ctx), &input.email, input.password, &request.client).await)
    }

    /// Ends the current session. Without one there is nothing to end, and that is fine.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutPayload> {
        let caller = context::request(ctx).caller.as_ref();
        auth::logout(context::deps(ctx), caller).await?;
        Ok(LogoutPayload { ok: true })
    }

    /// Changes your password and ends your other sessions; required after logging in with a
    /// temporary password (while `mustChangePassword` is true).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current password and the new one.")] input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        let caller = context::caller_allowing_password_change(ctx)?;
        payload(
            auth::change_password(
                context::deps(ctx),
                caller,
                input.current_password,
                input.new_password,
                context::request(ctx).client.address,
            )
            .await,
        )
    }

    /// Emails a reset link if the address has a login; answers the same either way.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The email address of the login to reset.")] input: RequestPasswordResetInput,
    ) -> RequestPasswordResetPayload {
        auth::request_password_reset(context::deps(ctx), &input.email);
        RequestPasswordResetPayload { ok: true }
    }

    /// Sets a new password with the token from a reset email and ends the user's sessions. Does not
    /// log in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The emailed token and the new password.")] input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        payload(auth::reset_password(context::deps(ctx), &input.token, input.new_password).await)
    }
}
