//! The people of an account: who they are, and inviting new ones.

use chrono::{Duration, Utc};
use entity::{account, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};

use crate::{
    domain::{email_address::EmailAddress, password_policy::PasswordContext},
    mail::{outbox, templates},
    state::AppState,
};

use super::{Caller, Invalid, ServiceError, ServiceResult, UserError, UserErrorCode, accounts, passwords};

pub const TEMPORARY_PASSWORD_LIFETIME: Duration = Duration::days(7);
const MAX_NAME_CHARS: usize = 200;

pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: user::Role,
}

/// Everyone with a login to the caller's account, in the order they were added.
pub async fn list(state: &AppState, caller: &Caller) -> ServiceResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::AccountId.eq(caller.account_id))
        .order_by_asc(user::Column::Id)
        .all(&state.db)
        .await?)
}

/// The caller themselves.
pub async fn me(state: &AppState, caller: &Caller) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(caller.user_id)
        .filter(user::Column::AccountId.eq(caller.account_id))
        .one(&state.db)
        .await?
        .ok_or(ServiceError::Unauthenticated)
}

/// An office manager invites a colleague into their own account.
pub async fn invite(
    state: &AppState,
    caller: &Caller,
    invitation: Invitation,
) -> ServiceResult<Invalid<user::Model>> {
    caller.require_office_manager()?;
    create_invited(state, caller.account_id, invitation).await
}

/// The carrier's operator invites someone into any account (the `invite` command).
pub async fn invite_by_operator(
    state: &AppState,
    account_number: &str,
    invitation: Invitation,
) -> ServiceResult<Invalid<user::Model>> {
    let account = accounts::find_by_number(state, account_number).await?;
    create_invited(state, account.id, invitation).await
}

/// Creates the user with a temporary password (7 days) and queues the invitation email, in one
/// transaction: either both happen or neither.
async fn create_invited(
    state: &AppState,
    account_id: i64,
    invitation: Invitation,
) -> ServiceResult<Invalid<user::Model>> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&invitation.email);
    if email.is_none() {
        errors.push(UserError::new("email", UserErrorCode::InvalidEmail, "Enter a valid email address."));
    }
    let name = invitation.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        errors.push(UserError::new(
            "name",
            UserErrorCode::InvalidName,
            format!("Enter a name of 1 to {MAX_NAME_CHARS} characters."),
        ));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let email_taken = || {
        Ok(Err(vec![UserError::new(
            "email",
            UserErrorCode::EmailTaken,
            "This email address already has a Billing Portal login.",
        )]))
    };
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&state.db).await?.is_some() {
        return email_taken();
    }
    let account =
        account::Entity::find_by_id(account_id).one(&state.db).await?.ok_or(ServiceError::NotFound)?;

    let temporary_password =
        passwords::generate_temporary(&PasswordContext { email: email.as_str(), name: &name });
    let hash = passwords::hash(temporary_password.clone()).await?;
    let now = Utc::now();
    let txn = state.db.begin().await?;
    let inserted = user::ActiveModel {
        account_id: Set(account.id),
        email: Set(email.as_str().to_string()),
        name: Set(name.clone()),
        role: Set(invitation.role),
        status: Set(user::Status::Invited),
        password_hash: Set(hash),
        must_change_password: Set(true),
        password_expires_at: Set(Some(now + TEMPORARY_PASSWORD_LIFETIME)),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let user = match inserted {
        Ok(user) => user,
        // Invited twice at the same moment: the unique index decides.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return email_taken();
        }
        Err(error) => return Err(error.into()),
    };
    let message = templates::invitation(&templates::Invitation {
        to: &user.email,
        name: &user.name,
        account_name: &account.name,
        temporary_password: &temporary_password,
        public_url: &state.settings.public_url,
    });
    outbox::enqueue(&txn, message).await?;
    txn.commit().await?;
    state.outbox_wakeup.notify_one();
    tracing::info!(user_id = user.id, account_id = account.id, "user invited");
    Ok(Ok(user))
}
