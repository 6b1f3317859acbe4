//! The people of an account: who they are, and inviting new ones.

use chrono::Duration;
use entity::{account, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};

use crate::{
    domain::{email_address::EmailAddress, password_policy::PasswordContext},
    i18n::{Locale, Text},
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        activity::{self, Action},
        auth::{passwords, reauthentication},
        notifications,
    },
};

pub const TEMPORARY_PASSWORD_LIFETIME: Duration = Duration::days(7);
pub const MAX_NAME_CHARS: usize = 200;

pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: user::Role,
    /// Their language; None: the account's.
    pub locale: Option<Locale>,
}

/// Everyone with a login to the caller's account, in the order they were added.
pub async fn list(deps: &Deps, caller: &Caller) -> ServiceResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::AccountId.eq(caller.account_id))
        .order_by_asc(user::Column::Id)
        .all(&deps.db)
        .await?)
}

/// One user of the caller's account; another account's is not found, like a missing one.
pub async fn get(deps: &Deps, caller: &Caller, user_id: i64) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .filter(user::Column::AccountId.eq(caller.account_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// An office manager invites a colleague into their own account.
pub async fn invite(deps: &Deps, caller: &Caller, invitation: Invitation) -> ServiceResult<user::Model> {
    caller.require_office_manager()?;
    // A new office manager is as much power as a promotion.
    if invitation.role == user::Role::OfficeManager {
        reauthentication::require_recent(deps, caller)?;
    }
    create_invited(deps, caller.account_id, Some(caller.user_id), invitation).await
}

/// The carrier's operator invites someone into any account (the `invite` command).
pub async fn invite_by_operator(
    deps: &Deps,
    account_number: &str,
    invitation: Invitation,
) -> ServiceResult<user::Model> {
    let account = super::find_by_number(deps, account_number).await?;
    create_invited(deps, account.id, None, invitation).await
}

/// Creates the user with a temporary password (7 days) and queues the invitation email, in one
/// transaction: either both happen or neither.
async fn create_invited(
    deps: &Deps,
    account_id: i64,
    actor: Option<i64>,
    invitation: Invitation,
) -> ServiceResult<user::Model> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&invitation.email);
    if email.is_none() {
        errors.push(UserError::new(Field::Email, UserErrorCode::InvalidEmail, Text::new("email-invalid")));
    }
    let name = invitation.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        errors.push(UserError::new(
            Field::Name,
            UserErrorCode::InvalidName,
            Text::new("name-invalid").arg("max", MAX_NAME_CHARS),
        ));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Refused(errors));
    };
    let email_taken = || {
        Err(ServiceError::Refused(vec![UserError::new(
            Field::Email,
            UserErrorCode::EmailTaken,
            Text::new("email-taken"),
        )]))
    };
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&deps.db).await?.is_some() {
        return email_taken();
    }
    let account =
        account::Entity::find_by_id(account_id).one(&deps.db).await?.ok_or(ServiceError::NotFound)?;

    let temporary_password =
        passwords::generate_temporary(&PasswordContext { email: email.as_str(), name: &name });
    let hash = passwords::hash(temporary_password.clone()).await?;
    let now = deps.now();
    let txn = deps.begin().await?;
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
        time_zone: Set(None),
        locale: Set(invitation.locale),
        billing_notifications: Set(invitation.role == user::Role::OfficeManager),
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
    notifications::invitation(deps, &txn, &user, &account, &temporary_password).await?;
    let summary = format!("Invited {} ({}) as {}", user.name, user.email, role_name(user.role));
    activity::record(&txn, account.id, actor, Action::UserInvited, summary, now).await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = user.id, account_id = account.id, "user invited");
    Ok(user)
}

/// How a role reads in an activity summary.
pub fn role_name(role: user::Role) -> &'static str {
    match role {
        user::Role::OfficeManager => "office manager",
        user::Role::Member => "member",
    }
}
