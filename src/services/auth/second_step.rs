//! The second step of a login: what a correct password answers a user with a second factor (a
//! challenge, and the ways they can answer it), and the session that a code, a recovery code or a
//! passkey earns for it, once. Every "once" is a conditional UPDATE that must change one row.

use chrono::{DateTime, Duration, Utc};
use entity::{login_challenge, recovery_code, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    sea_query::Expr,
};

use super::{
    LoggedIn, passkey_sign_in, sessions, throttle, tokens,
    two_factor::{admit, invalid_challenge, invalid_code, recovery_code_hash, refused, use_code},
};
use crate::services::{
    Deps, Field, ServiceResult, UserErrorCode,
    notifications::{self, SecurityEvent},
};

/// How long a correct password waits for its second step.
pub const CHALLENGE_LIFETIME: Duration = Duration::minutes(5);

/// What a correct password answers an enrolled user instead of a session.
pub struct SecondFactor {
    pub challenge: String,
    pub methods: Vec<Method>,
    pub expires_at: DateTime<Utc>,
    /// With `Method::Passkey`: the options for `navigator.credentials.get`, JSON.
    pub passkey_options: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Totp,
    RecoveryCode,
    Passkey,
}

/// How the second step is proven.
pub enum Proof {
    Code(String),
    RecoveryCode(String),
    /// A passkey's answer (`PublicKeyCredential.toJSON()`), to the challenge's options.
    Passkey(String),
}

/// The second step a correct password leads to, for a user who has it.
pub(super) async fn challenge(deps: &Deps, user: &user::Model) -> ServiceResult<SecondFactor> {
    let challenge = tokens::generate();
    let now = deps.now();
    let expires_at = now + CHALLENGE_LIFETIME;
    let mut methods = Vec::new();
    if user.totp_secret.is_some() {
        methods.extend([Method::Totp, Method::RecoveryCode]);
    }
    let passkey = passkey_sign_in::second_step(deps, user.id).await?;
    if passkey.is_some() {
        methods.push(Method::Passkey);
    }
    let (passkey_options, passkey_state) = passkey.unzip();
    login_challenge::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(tokens::hash(&challenge)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        consumed_at: Set(None),
        passkey_state: Set(passkey_state),
        ..Default::default()
    }
    .insert(&deps.db)
    .await?;
    Ok(SecondFactor { challenge, methods, expires_at, passkey_options })
}

/// Every second step still waiting for `user_id` is void: what earned them (the password, a second
/// factor) has just changed.
pub(super) async fn void_all(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    login_challenge::Entity::update_many()
        .col_expr(login_challenge::Column::ConsumedAt, Expr::value(now))
        .filter(login_challenge::Column::UserId.eq(user_id))
        .filter(login_challenge::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The session a challenge and its second factor earn, once.
pub async fn verify_login(
    deps: &Deps,
    challenge: &str,
    proof: Proof,
    client: &sessions::Client,
) -> ServiceResult<LoggedIn> {
    let now = deps.now();
    // A passkey's sign-in without a password has challenges of its own.
    if let Proof::Passkey(credential) = &proof
        && let Some(logged_in) = passkey_sign_in::sign_in(deps, challenge, credential, client).await?
    {
        return Ok(logged_in);
    }
    let found = login_challenge::Entity::find()
        .filter(login_challenge::Column::TokenHash.eq(tokens::hash(challenge)))
        .filter(login_challenge::Column::ConsumedAt.is_null())
        .filter(login_challenge::Column::ExpiresAt.gt(now))
        .one(&deps.db)
        .await?
        .ok_or_else(invalid_challenge)?;
    let keys = admit(deps, found.user_id, client.address).await?;
    let user = super::login::find_user(deps, found.user_id).await?;
    if user.status == user::Status::Disabled {
        return Err(invalid_challenge());
    }
    let txn = deps.begin().await?;
    let used_recovery_code = match proof {
        Proof::Passkey(credential) => {
            let Some(state) = &found.passkey_state else {
                return Err(refused(
                    Field::Passkey,
                    UserErrorCode::UnsupportedMethod,
                    "two-factor-no-passkey",
                ));
            };
            passkey_sign_in::verify_second_step(deps, &txn, user.id, &credential, state).await?;
            false
        }
        Proof::Code(code) => {
            use_code(deps, &txn, &user, &code).await?;
            false
        }
        Proof::RecoveryCode(code) => {
            let used = recovery_code::Entity::update_many()
                .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
                .filter(recovery_code::Column::UserId.eq(user.id))
                .filter(recovery_code::Column::CodeHash.eq(recovery_code_hash(deps, user.id, &code)))
                .filter(recovery_code::Column::UsedAt.is_null())
                .exec(&txn)
                .await?;
            if used.rows_affected != 1 {
                return Err(invalid_code(Field::RecoveryCode));
            }
            true
        }
    };
    let consumed = login_challenge::Entity::update_many()
        .col_expr(login_challenge::Column::ConsumedAt, Expr::value(now))
        .filter(login_challenge::Column::Id.eq(found.id))
        .filter(login_challenge::Column::ConsumedAt.is_null())
        .exec(&txn)
        .await?;
    if consumed.rows_affected != 1 {
        return Err(invalid_challenge());
    }
    let logged_in = super::login::start_session(deps, &txn, user.into(), client).await?;
    let user = &logged_in.user;
    if used_recovery_code {
        let left = recovery_code::Entity::find()
            .filter(recovery_code::Column::UserId.eq(user.id))
            .filter(recovery_code::Column::UsedAt.is_null())
            .count(&txn)
            .await?;
        notifications::security_notice(deps, &txn, user, SecurityEvent::RecoveryCodeUsed { left }).await?;
    }
    txn.commit().await?;
    deps.outbox.wake();
    throttle::forgive(deps, &keys).await?;
    tracing::info!(user_id = user.id, recovery_code = used_recovery_code, "logged in with a second factor");
    Ok(logged_in)
}
