//! Logging in and out, changing a password, and resetting a forgotten one.

use std::net::IpAddr;

use chrono::{Duration, Utc};
use entity::{password_reset_token, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait, sea_query::Expr,
};

use crate::{
    domain::{
        email_address::EmailAddress,
        password_policy::{self, PasswordContext, PasswordRule},
    },
    mail::{outbox, templates},
    state::AppState,
};

use super::{
    Caller, Invalid, ServiceError, ServiceResult, UserError, UserErrorCode,
    passwords::{self, Verification},
    sessions,
    throttle::{self, ThrottleKeys},
    tokens,
};

pub const RESET_TOKEN_LIFETIME: Duration = Duration::hours(1);
/// Enough for a user who lost an email; too few to flood their inbox on someone else's behalf.
const MAX_RESET_EMAILS_PER_HOUR: u64 = 3;

pub struct LoggedIn {
    pub token: String,
    pub user: user::Model,
}

/// Unknown address and wrong password answer alike, in about the same time. Each call counts as
/// an attempt for throttling before the password is checked.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    client_ip: Option<IpAddr>,
) -> ServiceResult<Invalid<LoggedIn>> {
    let login = EmailAddress::parse(email);
    // Whatever was typed is counted, but a key never grows with the input.
    let throttle_login =
        login.as_ref().map_or_else(|| format!("not-an-email:{}", tokens::hash(email)), |l| l.as_str().into());
    let keys = ThrottleKeys::new(&throttle_login, client_ip, &state.settings.login_throttle);
    throttle::admit(state, &keys).await?;

    let found = match &login {
        Some(login) => {
            user::Entity::find().filter(user::Column::Email.eq(login.as_str())).one(&state.db).await?
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
            return Ok(Err(vec![UserError::new(
                "password",
                UserErrorCode::InvalidCredentials,
                "The email address or password is incorrect.",
            )]));
        }
    };
    throttle::forgive(state, &keys).await?;
    let now = Utc::now();
    if user.password_expires_at.is_some_and(|expires| expires <= now) {
        return Ok(Err(vec![UserError::new(
            "password",
            UserErrorCode::TemporaryPasswordExpired,
            "This temporary password has expired. Use Forgot Password to choose a new one.",
        )]));
    }

    let mut update: user::ActiveModel = user.into();
    if verification == Verification::MatchNeedsRehash {
        update.password_hash = Set(passwords::hash(password).await?);
    }
    update.last_login_at = Set(Some(now));
    let txn = state.db.begin().await?;
    let user = update.update(&txn).await?;
    let token = sessions::create(state, &txn, user.id).await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "logged in");
    Ok(Ok(LoggedIn { token, user }))
}

pub async fn logout(state: &AppState, caller: Option<&Caller>) -> ServiceResult<()> {
    if let Some(caller) = caller {
        sessions::revoke(&state.db, caller.session_id).await?;
        tracing::info!(user_id = caller.user_id, "logged out");
    }
    Ok(())
}

/// Allowed while a password change is required (it is how that requirement is met). Ends every
/// other session of the user.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current_password: String,
    new_password: String,
    client_ip: Option<IpAddr>,
) -> ServiceResult<Invalid<user::Model>> {
    let user = find_user(state, caller.user_id).await?;
    let keys = ThrottleKeys::new(&user.email, client_ip, &state.settings.login_throttle);
    throttle::admit(state, &keys).await?;
    if passwords::verify(current_password.clone(), Some(user.password_hash.clone())).await?
        == Verification::Mismatch
    {
        return Ok(Err(vec![UserError::new(
            "currentPassword",
            UserErrorCode::InvalidCredentials,
            "The current password is incorrect.",
        )]));
    }
    throttle::forgive(state, &keys).await?;
    let mut errors = policy_errors(&new_password, &user);
    if errors.is_empty() && new_password == current_password {
        errors.push(UserError::new(
            "newPassword",
            UserErrorCode::PasswordUnchanged,
            "The new password must differ from the current one.",
        ));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let hash = passwords::hash(new_password).await?;
    let txn = state.db.begin().await?;
    let Some(user) = set_password(&txn, user.id, hash).await? else {
        return Err(ServiceError::Unauthenticated);
    };
    sessions::revoke_all_of_user(&txn, user.id, Some(caller.session_id)).await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(Ok(user))
}

/// Answers the same whatever the address: the work (and the email) happens in the background, so
/// neither the answer nor its timing says whether the address has a login.
pub fn request_password_reset(state: &AppState, email: &str) {
    let Some(email) = EmailAddress::parse(email) else {
        return;
    };
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&state, &email).await {
            tracing::error!(?error, "could not issue a password reset");
        }
    });
}

async fn send_reset_link(state: &AppState, email: &EmailAddress) -> ServiceResult<()> {
    let Some(user) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::Status.ne(user::Status::Disabled))
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let now = Utc::now();
    let txn = state.db.begin().await?;
    // Locking the user row serialises concurrent requests for one user, so the limit holds.
    user::Entity::find_by_id(user.id).lock_exclusive().one(&txn).await?;
    let recent = password_reset_token::Entity::find()
        .filter(password_reset_token::Column::UserId.eq(user.id))
        .filter(password_reset_token::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&txn)
        .await?;
    if recent >= MAX_RESET_EMAILS_PER_HOUR {
        tracing::info!(user_id = user.id, "password reset not sent: hourly limit reached");
        return Ok(());
    }
    let token = tokens::generate();
    password_reset_token::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(tokens::hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + RESET_TOKEN_LIFETIME),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let email = templates::password_reset(&user.email, &user.name, &token, &state.settings.public_url);
    outbox::enqueue(&txn, email).await?;
    txn.commit().await?;
    state.outbox_wakeup.notify_one();
    tracing::info!(user_id = user.id, "password reset link queued");
    Ok(())
}

/// Sets a new password with a reset token: once, within the hour, for the token's user only. Ends
/// every session of the user and does not log them in.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new_password: String,
) -> ServiceResult<Invalid<()>> {
    let invalid = || {
        Ok(Err(vec![UserError::new(
            "token",
            UserErrorCode::InvalidToken,
            "This reset link is invalid or has expired. Ask for a new one.",
        )]))
    };
    let now = Utc::now();
    let Some(reset) = password_reset_token::Entity::find()
        .filter(password_reset_token::Column::TokenHash.eq(tokens::hash(token)))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .filter(password_reset_token::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await?
    else {
        return invalid();
    };
    let user = find_user(state, reset.user_id).await?;
    if user.status == user::Status::Disabled {
        return invalid();
    }
    let errors = policy_errors(&new_password, &user);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let hash = passwords::hash(new_password).await?;

    let txn = state.db.begin().await?;
    // Spend this token first, guarded: of two concurrent uses, only one finds it unspent.
    let spent = password_reset_token::Entity::update_many()
        .col_expr(password_reset_token::Column::UsedAt, Expr::value(now))
        .filter(password_reset_token::Column::Id.eq(reset.id))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .filter(password_reset_token::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return invalid();
    }
    // Then every other outstanding link of the user: a reset closes them all.
    password_reset_token::Entity::update_many()
        .col_expr(password_reset_token::Column::UsedAt, Expr::value(now))
        .filter(password_reset_token::Column::UserId.eq(user.id))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    // Dropping the transaction un-spends the token if the user was disabled meanwhile.
    let Some(user) = set_password(&txn, user.id, hash).await? else {
        return invalid();
    };
    sessions::revoke_all_of_user(&txn, user.id, None).await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "password reset");
    Ok(Ok(()))
}

async fn find_user(state: &AppState, user_id: i64) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(user_id).one(&state.db).await?.ok_or(ServiceError::Unauthenticated)
}

/// Sets a new password and activates the user, unless they were disabled while the password was
/// being hashed: then `None`, and nothing changes. The row is locked until the transaction ends.
async fn set_password(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    hash: String,
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
    update.updated_at = Set(Utc::now());
    Ok(Some(update.update(db).await?))
}

/// The policy's refusals as user errors on `newPassword`, one per broken rule.
fn policy_errors(password: &str, user: &user::Model) -> Vec<UserError> {
    let context = PasswordContext { email: &user.email, name: &user.name };
    password_policy::violations(password, &context)
        .into_iter()
        .map(|rule| {
            let code = match rule {
                PasswordRule::TooShort => UserErrorCode::PasswordTooShort,
                PasswordRule::TooLong => UserErrorCode::PasswordTooLong,
                PasswordRule::NeedsDigits => UserErrorCode::PasswordNeedsDigits,
                PasswordRule::NeedsMixedCase => UserErrorCode::PasswordNeedsMixedCase,
                PasswordRule::TooGuessable => UserErrorCode::PasswordTooGuessable,
            };
            UserError::new("newPassword", code, rule.message())
        })
        .collect()
}
