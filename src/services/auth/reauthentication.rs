//! What moves money or power (a payment method added or removed, Auto Pay turned on, a role
//! changed, a user deleted) asks a user with a second factor to have proved who they are within
//! the last few minutes, so that a session left open or a stolen token is not enough.
//!
//! A session remembers when its holder last proved it: the sign-in that created it, or the latest
//! `reauthenticate`. A password-only user has nothing more to give than what signed them in, so
//! the rule is theirs only once they enrol.

use std::net::IpAddr;

use chrono::Duration;
use entity::session;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use super::{login, throttle, two_factor};
use crate::{
    i18n::Text,
    services::{Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode},
};

/// How long a proof counts as recent.
pub const RECENT: Duration = Duration::minutes(15);

/// Refuses with `REAUTHENTICATION_REQUIRED` unless the caller proved who they are recently (or has
/// no second factor).
pub fn require_recent(deps: &Deps, caller: &Caller) -> ServiceResult<()> {
    if !caller.user.has_second_factor() {
        return Ok(());
    }
    require_recent_sign_in(deps, caller)
}

/// The same for everyone, second factor or not: adding a way to sign in (a passkey) is not
/// something a session left open, or a stolen token, may do.
pub fn require_recent_sign_in(deps: &Deps, caller: &Caller) -> ServiceResult<()> {
    if deps.now() - caller.authenticated_at < RECENT {
        return Ok(());
    }
    Err(ServiceError::Refused(vec![UserError {
        field: None,
        code: UserErrorCode::ReauthenticationRequired,
        message: Text::new("reauthentication-required").arg("minutes", RECENT.num_minutes()),
    }]))
}

/// The caller proves again who they are, with a current code or their password; their session
/// counts as recent from now. Attempts are throttled with the second step's counters. Whoever has
/// an authenticator app gives a code: a password proves no more than what a stolen one would, and
/// what this opens (a new passkey among it) must not be a stolen session's and password's to take.
pub async fn reauthenticate(
    deps: &Deps,
    caller: &Caller,
    code: Option<String>,
    password: Option<String>,
    client_ip: Option<IpAddr>,
) -> ServiceResult<()> {
    let keys = two_factor::admit(deps, caller.user_id, client_ip).await?;
    let user = login::find_user(deps, caller.user_id).await?;
    if user.totp_secret.is_some() && code.is_none() {
        return Err(two_factor::refused(
            Field::Code,
            UserErrorCode::InvalidCode,
            "reauthentication-needs-code",
        ));
    }
    two_factor::prove(deps, &deps.db, &user, code, password).await?;
    session::Entity::update_many()
        .col_expr(session::Column::ReauthenticatedAt, Expr::value(deps.now()))
        .filter(session::Column::Id.eq(caller.session_id))
        .exec(&deps.db)
        .await?;
    throttle::forgive(deps, &keys).await?;
    tracing::info!(user_id = caller.user_id, "reauthenticated");
    Ok(())
}
