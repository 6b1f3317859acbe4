//! Who is logged in, and logging in and out, changing and resetting passwords.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::services::auth;

use super::{
    context,
    payload::{Payload, payload},
    user_error::UserError,
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
}

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send it as `Authorization: Bearer TOKEN`.
    pub token: Option<String>,
    pub viewer: Option<User>,
    pub user_errors: Vec<UserError>,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    pub viewer: Option<User>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    pub email: String,
}

#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Always true: the answer never says whether the address has a login.
    pub ok: bool,
}

#[derive(InputObject)]
pub struct ResetPasswordInput {
    pub token: String,
    pub new_password: String,
}

#[derive(SimpleObject)]
pub struct ResetPasswordPayload {
    pub ok: bool,
    pub user_errors: Vec<UserError>,
}

impl Payload for LoginPayload {
    type Made = auth::LoggedIn;
    fn made(logged_in: auth::LoggedIn) -> Self {
        Self { token: Some(logged_in.token), viewer: Some(User(logged_in.user)), user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { token: None, viewer: None, user_errors }
    }
}

super::payload::impl_payload!(ChangePasswordPayload, viewer: entity::user::Model => User);

impl Payload for ResetPasswordPayload {
    type Made = ();
    fn made((): ()) -> Self {
        Self { ok: true, user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { ok: false, user_errors }
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Each `login` field counts as one attempt for throttling, aliased or batched alike.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> async_graphql::Result<LoginPayload> {
        let request = context::request(ctx);
        payload(auth::login(context::deps(ctx), &input.email, input.password, request.client_ip).await)
    }

    /// Ends the current session. Without one there is nothing to end, and that is fine.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<LogoutPayload> {
        let caller = context::request(ctx).caller.as_ref();
        auth::logout(context::deps(ctx), caller).await?;
        Ok(LogoutPayload { ok: true })
    }

    /// Required after logging in with a temporary password; ends every other session.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        let caller = context::caller_allowing_password_change(ctx)?;
        payload(
            auth::change_password(
                context::deps(ctx),
                caller,
                input.current_password,
                input.new_password,
                context::request(ctx).client_ip,
            )
            .await,
        )
    }

    /// Emails a reset link if the address has a login; answers the same either way.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> RequestPasswordResetPayload {
        auth::request_password_reset(context::deps(ctx), &input.email);
        RequestPasswordResetPayload { ok: true }
    }

    /// Sets a new password with the token from a reset email. Does not log in.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        payload(auth::reset_password(context::deps(ctx), &input.token, input.new_password).await)
    }
}
