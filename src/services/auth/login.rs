//! Logging in and out, and changing a password.

use std::net::IpAddr;

use entity::{password_reset_token, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};

use crate::{
    domain::email_address::EmailAddress,
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        notifications::{self, SecurityEvent},
    },
};

use super::{
    password_rules,
    passwords::{self, Verification},
    sessions::{self, Client},
    throttle::{self, ThrottleKeys},
    tokens,
};

pub struct LoggedIn {
    pub token: String,
    pub user: user::Model,
}

/// What a correct password earns: a session, or for an enrolled user its second step.
pub enum LoginOutcome {
    Session(Box<LoggedIn>),
    SecondFactor(super::second_step::SecondFactor),
}

/// Unknown address and wrong password answer alike, in about the same time. Each call counts as
/// an attempt for throttling before the password is checked.
pub async fn login(
    deps: &Deps,
    email: &str,
    password: String,
    client: &Client,
) -> ServiceResult<LoginOutcome> {
    let login = EmailAddress::parse(email);
    // Whatever was typed is counted, but a key never grows with the input.
    let throttle_login =
        login.as_ref().map_or_else(|| format!("not-an-email:{}", tokens::hash(email)), |l| l.as_str().into());
    let keys = ThrottleKeys::new(&throttle_login, client.address, &deps.settings.login_throttle);
    throttle::admit(deps, &keys).await?;

    let found = match &login {
        Some(login) => {
            user::Entity::find().filter(user::Column::Email.eq(login.as_str())).one(&deps.db).await?
        }
        None => None,
    };
    let verification =
        passwords::verify(password.clone(), found.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match (found, verification) {
        (Some(user), Verification::Match | Verification::MatchNeedsRehash)
            if user.status != user::Status::Disabled =>
        {
            user
        }
        _ => {
            return Err(ServiceError::Refused(vec![UserError::new(
                Field::Password,
                UserErrorCode::InvalidCredentials,
                Text::new("login-incorrect"),
            )]));
        }
    };
    throttle::forgive(deps, &keys).await?;
    let now = deps.now();
    if user.password_expires_at.is_some_and(|expires| expires <= now) {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::Password,
            UserErrorCode::TemporaryPasswordExpired,
            Text::new("temporary-password-expired"),
        )]));
    }

    let rehash = verification == Verification::MatchNeedsRehash;
    if user.has_second_factor() {
        // The password alone opens nothing: the session waits for the second step.
        let second = super::second_step::challenge(deps, &user).await?;
        if rehash {
            let mut update: user::ActiveModel = user.into();
            update.password_hash = Set(passwords::hash(password).await?);
            update.update(&deps.db).await?;
        }
        return Ok(LoginOutcome::SecondFactor(second));
    }
    let mut update: user::ActiveModel = user.into();
    if rehash {
        update.password_hash = Set(passwords::hash(password).await?);
    }
    let txn = deps.begin().await?;
    let logged_in = start_session(deps, &txn, update, client).await?;
    txn.commit().await?;
    tracing::info!(user_id = logged_in.user.id, "logged in");
    Ok(LoginOutcome::Session(Box::new(logged_in)))
}

/// A session for a user who has just proved who they are, who last logged in now (with whatever
/// else `user` changes).
pub(super) async fn start_session(
    deps: &Deps,
    txn: &DatabaseTransaction,
    mut user: user::ActiveModel,
    client: &Client,
) -> ServiceResult<LoggedIn> {
    user.last_login_at = Set(Some(deps.now()));
    let user = user.update(txn).await?;
    let token = sessions::create(deps, txn, user.id, client).await?;
    Ok(LoggedIn { token, user })
}

pub async fn logout(deps: &Deps, caller: Option<&Caller>) -> ServiceResult<()> {
    if let Some(caller) = caller {
        sessions::revoke(&deps.db, caller.session_id).await?;
        tracing::info!(user_id = caller.user_id, "logged out");
    }
    Ok(())
}

/// Allowed while a password change is required (it is how that requirement is met). Ends every
/// other session of the user.
pub async fn change_password(
    deps: &Deps,
    caller: &Caller,
    current_password: String,
    new_password: String,
    client_ip: Option<IpAddr>,
) -> ServiceResult<user::Model> {
    let user = find_user(deps, caller.user_id).await?;
    let keys = ThrottleKeys::new(&user.email, client_ip, &deps.settings.login_throttle);
    throttle::admit(deps, &keys).await?;
    if passwords::verify(current_password.clone(), Some(user.password_hash.clone())).await?
        == Verification::Mismatch
    {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::CurrentPassword,
            UserErrorCode::InvalidCredentials,
            Text::new("current-password-incorrect"),
        )]));
    }
    throttle::forgive(deps, &keys).await?;
    let mut errors = policy_errors(&new_password, &user);
    if errors.is_empty() && new_password == current_password {
        errors.push(UserError::new(
            Field::NewPassword,
            UserErrorCode::PasswordUnchanged,
            Text::new("password-unchanged"),
        ));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Refused(errors));
    }
    let hash = passwords::hash(new_password).await?;
    let txn = deps.begin().await?;
    let Some(user) = set_password(&txn, user.id, hash, deps.now()).await? else {
        return Err(ServiceError::Unauthenticated);
    };
    sessions::revoke_all_of_user(&txn, user.id, Some(caller.session_id)).await?;
    // A temporary password replaced is the invitation's expected first step, not news.
    if !caller.must_change_password {
        notifications::security_notice(deps, &txn, &user, SecurityEvent::PasswordChanged).await?;
    }
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = user.id, "password changed");
    Ok(user)
}

pub(super) async fn find_user(deps: &Deps, user_id: i64) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(user_id).one(&deps.db).await?.ok_or(ServiceError::Unauthenticated)
}

/// Sets a new password and activates the user, unless they were disabled while the password was
/// being hashed: then `None`, and nothing changes. The row is locked until the transaction ends.
/// Every reset link still outstanding is spent: it was asked for before this password, and a
/// mailbox read later must not undo the change. So is every login's second step still waiting: the
/// old password earned it.
pub(super) async fn set_password(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    hash: String,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<Option<user::Model>> {
    let Some(user) = user::Entity::find_by_id(user_id).lock_exclusive().one(db).await? else {
        return Ok(None);
    };
    if user.status == user::Status::Disabled {
        return Ok(None);
    }
    let mut update: user::ActiveModel = user.into();
    update.password_hash = Set(hash);
    update.must_change_password = Set(false);
    update.password_expires_at = Set(None);
    update.status = Set(user::Status::Active);
    update.updated_at = Set(now);
    let user = update.update(db).await?;
    password_reset_token::Entity::update_many()
        .col_expr(password_reset_token::Column::UsedAt, Expr::value(now))
        .filter(password_reset_token::Column::UserId.eq(user.id))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    super::second_step::void_all(db, user.id, now).await?;
    Ok(Some(user))
}

/// The policy's refusals as user errors on `newPassword`, one per broken rule.
pub(super) fn policy_errors(password: &str, user: &user::Model) -> Vec<UserError> {
    password_rules::check(password, Some(user))
}
