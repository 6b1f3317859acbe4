//! Resetting a forgotten password with a link sent by email.

use chrono::Duration;
use entity::{account, password_reset_token, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
    sea_query::Expr,
};

use crate::{
    domain::email_address::EmailAddress,
    i18n::Text,
    services::{Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, notifications},
};

use super::{
    login::{find_user, policy_errors, set_password},
    passwords, sessions, tokens,
};

pub const RESET_TOKEN_LIFETIME: Duration = Duration::hours(1);
/// Enough for a user who lost an email; too few to flood their inbox on someone else's behalf.
const MAX_RESET_EMAILS_PER_HOUR: u64 = 3;

/// Answers the same whatever the address: the work (and the email) happens in the background, so
/// neither the answer nor its timing says whether the address has a login.
pub fn request_password_reset(deps: &Deps, email: &str) {
    let Some(email) = EmailAddress::parse(email) else {
        return;
    };
    let deps = deps.clone();
    tokio::spawn(async move {
        if let Err(error) = send_reset_link(&deps, &email).await {
            tracing::error!(?error, "could not issue a password reset");
        }
    });
}

async fn send_reset_link(deps: &Deps, email: &EmailAddress) -> ServiceResult<()> {
    let Some(user) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::Status.ne(user::Status::Disabled))
        .one(&deps.db)
        .await?
    else {
        return Ok(());
    };
    let now = deps.now();
    let txn = deps.begin().await?;
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
    let account =
        account::Entity::find_by_id(user.account_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    notifications::password_reset(deps, &txn, &user, &account, &token).await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = user.id, "password reset link queued");
    Ok(())
}

/// Sets a new password with a reset token: once, within the hour, for the token's user only. Ends
/// every session of the user and does not log them in.
pub async fn reset_password(deps: &Deps, token: &str, new_password: String) -> ServiceResult<()> {
    let invalid = || {
        Err(ServiceError::Refused(vec![UserError::new(
            Field::Token,
            UserErrorCode::InvalidToken,
            Text::new("reset-link-invalid"),
        )]))
    };
    let now = deps.now();
    let Some(reset) = password_reset_token::Entity::find()
        .filter(password_reset_token::Column::TokenHash.eq(tokens::hash(token)))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .filter(password_reset_token::Column::ExpiresAt.gt(now))
        .one(&deps.db)
        .await?
    else {
        return invalid();
    };
    let user = find_user(deps, reset.user_id).await?;
    if user.status == user::Status::Disabled {
        return invalid();
    }
    let errors = policy_errors(&new_password, &user);
    if !errors.is_empty() {
        return Err(ServiceError::Refused(errors));
    }
    let hash = passwords::hash(new_password).await?;

    let txn = deps.begin().await?;
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
    // Setting the password spends every other outstanding link of the user too.
    // Dropping the transaction un-spends the token if the user was disabled meanwhile.
    let Some(user) = set_password(&txn, user.id, hash, now).await? else {
        return invalid();
    };
    sessions::revoke_all_of_user(&txn, user.id, None).await?;
    notifications::security_notice(deps, &txn, &user, notifications::SecurityEvent::PasswordChanged).await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = user.id, "password reset");
    Ok(())
}
