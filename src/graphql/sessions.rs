//! A person's own sessions (where they are signed in, and signing out elsewhere), and proving
//! again who they are before what moves money or power. The rules are
//! `services::auth::{sessions, reauthentication}`'s.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::session;

use crate::services::auth::{reauthentication, sessions};

use super::{
    context,
    ids::{self, Kind},
    payload::payload,
    scalars::DateTime,
    user_error::UserError,
};

pub struct Session {
    pub model: session::Model,
    /// Whether it is the session asking.
    pub current: bool,
}

/// Somewhere you are signed in.
#[Object]
impl Session {
    /// Opaque, and never the same for two objects, of any type.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Session, self.model.id)
    }

    /// When you signed in.
    async fn created_at(&self) -> DateTime {
        DateTime(self.model.created_at)
    }

    /// When it was last used, to within a minute.
    async fn last_used_at(&self) -> DateTime {
        DateTime(self.model.last_seen_at)
    }

    /// The address you signed in from, as the server saw it (behind its trusted proxies).
    async fn client_address(&self) -> Option<&str> {
        self.model.client_address.as_deref()
    }

    /// The browser or app that signed in, as it named itself (at most 256 characters).
    async fn user_agent(&self) -> Option<&str> {
        self.model.user_agent.as_deref()
    }

    /// Whether this is the session asking.
    async fn current(&self) -> bool {
        self.current
    }
}

/// Which session to end.
#[derive(InputObject)]
pub struct RevokeSessionInput {
    /// A `Session.id` of yours; another's is NOT_FOUND.
    pub id: ID,
}

/// The answer to `revokeSession`.
#[derive(SimpleObject)]
pub struct RevokeSessionPayload {
    /// True when the session has ended.
    pub ok: bool,
    /// Empty when ended.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_ok_payload!(RevokeSessionPayload);

/// The answer to `signOutOtherSessions`.
#[derive(SimpleObject)]
pub struct SignOutOtherSessionsPayload {
    /// How many sessions ended; null when refused.
    pub revoked_count: Option<u64>,
    /// Empty when done.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(SignOutOtherSessionsPayload, revoked_count: u64 => |count| count);

/// A current code from the authenticator app, or the password.
#[derive(InputObject)]
pub struct ReauthenticateInput {
    /// A current code from the app (it is then used up).
    pub code: Option<String>,
    /// Or your password, when you have no authenticator app.
    pub password: Option<String>,
}

/// The answer to `reauthenticate`.
#[derive(SimpleObject)]
pub struct ReauthenticatePayload {
    /// True when your session counts as recently signed in again (for 15 minutes).
    pub ok: bool,
    /// INVALID_CODE (also: a password where a code is needed), INVALID_CREDENTIALS; empty when done.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_ok_payload!(ReauthenticatePayload);

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Ends one of your sessions (this one too: that is logging out).
    async fn revoke_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session.")] input: RevokeSessionInput,
    ) -> async_graphql::Result<RevokeSessionPayload> {
        let caller = context::caller_allowing_password_change(ctx)?;
        let session_id = ids::decode(Kind::Session, &input.id)?;
        payload(sessions::revoke_own(context::deps(ctx), caller, session_id).await)
    }

    /// Ends every session of yours but this one: everywhere else you are signed out.
    async fn sign_out_other_sessions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SignOutOtherSessionsPayload> {
        let caller = context::caller_allowing_password_change(ctx)?;
        payload(sessions::revoke_others(context::deps(ctx), caller).await)
    }

    /// Proves again who you are, with a current code from your authenticator app (required once you
    /// have one) or else your password: for 15 minutes, what answered REAUTHENTICATION_REQUIRED no
    /// longer does. Attempts are throttled like the second step of a login.
    async fn reauthenticate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A current code, or the password.")] input: ReauthenticateInput,
    ) -> async_graphql::Result<ReauthenticatePayload> {
        let caller = context::caller(ctx)?;
        let client_ip = context::request(ctx).client.address;
        payload(
            reauthentication::reauthenticate(
                context::deps(ctx),
                caller,
                input.code,
                input.password,
                client_ip,
            )
            .await,
        )
    }
}
