//! Server-side sessions behind opaque bearer tokens: revocable, with idle and absolute timeouts.

use std::{net::IpAddr, sync::Arc};

use chrono::Duration;
use entity::{account, session, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::services::{Caller, Deps, ServiceError, ServiceResult};

use super::tokens;

/// How long a session lives.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login, however busy.
    pub absolute_timeout: Duration,
}

/// Writing `last_seen_at` on every request would turn reads into writes, so it is written at most
/// once a minute, and at least ten times per idle timeout: a session in use never reaches its
/// idle deadline however short that is.
fn last_seen_granularity(idle_timeout: Duration) -> Duration {
    (idle_timeout / 10).min(Duration::minutes(1))
}

/// Where a sign-in comes from, as the person's list of sessions shows it.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub address: Option<IpAddr>,
    /// As the client sent it: shown back to its owner, never trusted.
    pub user_agent: Option<String>,
}

/// A client names itself with as many bytes as it likes; a session keeps this many characters.
const MAX_USER_AGENT_CHARS: usize = 256;

/// Starts a session for `user_id` and returns its token (shown once, stored hashed).
pub async fn create(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user_id: i64,
    client: &Client,
) -> ServiceResult<String> {
    let token = tokens::generate();
    let now = deps.now();
    session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(tokens::hash(&token)),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + deps.settings.sessions.absolute_timeout),
        client_address: Set(client.address.map(|address| address.to_string())),
        user_agent: Set(client
            .user_agent
            .as_deref()
            .map(|agent| agent.chars().take(MAX_USER_AGENT_CHARS).collect())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The caller behind a bearer token, if the session is live and the user may still log in. One
/// statement reads the session, its user and their account: most requests need all three.
pub async fn authenticate(deps: &Deps, token: &str) -> ServiceResult<Option<Caller>> {
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(tokens::hash(token)))
        .find_also_related(user::Entity)
        .and_also_related(account::Entity)
        .one(&deps.db)
        .await?;
    let Some((session, Some(user), Some(account))) = found else {
        return Ok(None);
    };
    let now = deps.now();
    let idle_deadline = session.last_seen_at + deps.settings.sessions.idle_timeout;
    if now >= session.expires_at || now >= idle_deadline || user.status == user::Status::Disabled {
        session::Entity::delete_by_id(session.id).exec(&deps.db).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= last_seen_granularity(deps.settings.sessions.idle_timeout) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, now.into())
            .filter(session::Column::Id.eq(session.id))
            .exec(&deps.db)
            .await?;
    }
    Ok(Some(Caller {
        session_id: session.id,
        user_id: user.id,
        account_id: user.account_id,
        role: user.role,
        must_change_password: user.must_change_password,
        authenticated_at: session.reauthenticated_at.unwrap_or(session.created_at),
        user: Arc::new(user),
        account: Arc::new(account),
    }))
}

/// Whether the session still lives (not ended, expired, idle past its timeout, nor its user
/// disabled), without counting this as a use: a page left open does not keep its session alive.
pub async fn still_live(deps: &Deps, session_id: i64) -> ServiceResult<bool> {
    let found = session::Entity::find_by_id(session_id).find_also_related(user::Entity).one(&deps.db).await?;
    let Some((session, Some(user))) = found else { return Ok(false) };
    let now = deps.now();
    let idle_deadline = session.last_seen_at + deps.settings.sessions.idle_timeout;
    Ok(now < session.expires_at && now < idle_deadline && user.status != user::Status::Disabled)
}

pub async fn revoke(db: &impl ConnectionTrait, session_id: i64) -> ServiceResult<()> {
    session::Entity::delete_by_id(session_id).exec(db).await?;
    Ok(())
}

/// Ends every session of a user except `keep` (the one that changed the password, if any).
pub async fn revoke_all_of_user(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<i64>,
) -> ServiceResult<()> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(keep));
    }
    delete.exec(db).await?;
    Ok(())
}

/// The caller's sessions that still live, newest first.
pub async fn list(deps: &Deps, caller: &Caller) -> ServiceResult<Vec<session::Model>> {
    Ok(live_of(deps, caller)
        .order_by_desc(session::Column::CreatedAt)
        .order_by_desc(session::Column::Id)
        .all(&deps.db)
        .await?)
}

/// One of the caller's sessions that still lives.
pub async fn get(deps: &Deps, caller: &Caller, session_id: i64) -> ServiceResult<session::Model> {
    live_of(deps, caller)
        .filter(session::Column::Id.eq(session_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

fn live_of(deps: &Deps, caller: &Caller) -> sea_orm::Select<session::Entity> {
    let now = deps.now();
    session::Entity::find()
        .filter(session::Column::UserId.eq(caller.user_id))
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::LastSeenAt.gt(now - deps.settings.sessions.idle_timeout))
}

/// Ends one of the caller's own sessions (the current one too: that is logging out). Another
/// user's session is not found, as if it did not exist.
pub async fn revoke_own(deps: &Deps, caller: &Caller, session_id: i64) -> ServiceResult<()> {
    let deleted = session::Entity::delete_many()
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::UserId.eq(caller.user_id))
        .exec(&deps.db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    tracing::info!(user_id = caller.user_id, session_id, "session revoked");
    Ok(())
}

/// Ends every session of the caller but this one; answers how many ended.
pub async fn revoke_others(deps: &Deps, caller: &Caller) -> ServiceResult<u64> {
    let deleted = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(caller.user_id))
        .filter(session::Column::Id.ne(caller.session_id))
        .exec(&deps.db)
        .await?;
    tracing::info!(user_id = caller.user_id, count = deleted.rows_affected, "other sessions revoked");
    Ok(deleted.rows_affected)
}
