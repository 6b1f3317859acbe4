//! Manage Users: office managers edit, delete and re-invite the account's people; anyone edits their
//! own name, time zone and billing notifications (never their own role). The account always keeps
//! an active office manager: that rule is checked under the account's lock, so two demotions at
//! once cannot both pass.

use entity::{account, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::{
    domain::{password_policy::PasswordContext, time},
    i18n::{Locale, Text},
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        activity::{self, Action},
        auth::{passwords, reauthentication, sessions, two_factor},
        notifications::{self, SecurityEvent},
    },
};

use super::users::{self, MAX_NAME_CHARS, TEMPORARY_PASSWORD_LIFETIME, role_name};

/// What to change; what is left out stays as it is.
#[derive(Default)]
pub struct UserChange {
    pub name: Option<String>,
    pub role: Option<user::Role>,
    /// An IANA zone; empty goes back to the account's.
    pub time_zone: Option<String>,
    /// Their language; None leaves it as it is.
    pub locale: Option<Locale>,
    pub billing_notifications: Option<bool>,
}

pub async fn update(
    deps: &Deps,
    caller: &Caller,
    user_id: i64,
    change: UserChange,
) -> ServiceResult<user::Model> {
    let target = users::get(deps, caller, user_id).await?;
    let own = target.id == caller.user_id;
    if !own {
        caller.require_office_manager()?;
    }
    let mut errors = Vec::new();
    let name = change.name.map(|name| name.trim().to_string());
    if let Some(name) = &name
        && (name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control))
    {
        errors.push(UserError::new(
            Field::Name,
            UserErrorCode::InvalidName,
            Text::new("name-invalid").arg("max", MAX_NAME_CHARS),
        ));
    }
    let time_zone = change.time_zone.map(|zone| zone.trim().to_string());
    if let Some(zone) = time_zone.as_deref().filter(|zone| !zone.is_empty())
        && time::parse_zone(zone).is_none()
    {
        errors.push(UserError::new(
            Field::TimeZone,
            UserErrorCode::InvalidTimeZone,
            Text::new("time-zone-invalid").arg("zone", format!("{zone:?}")),
        ));
    }
    let role = change.role.filter(|role| *role != target.role);
    if own && role.is_some() {
        errors.push(UserError::new(
            Field::Role,
            UserErrorCode::CannotChangeOwnRole,
            Text::new("cannot-change-own-role"),
        ));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Refused(errors));
    }
    if role.is_some() {
        reauthentication::require_recent(deps, caller)?;
    }

    let now = deps.now();
    let txn = deps.begin().await?;
    let target = lock(&txn, caller, user_id).await?;
    // Against the row as it is now, under the lock: two identical demotions record one change.
    let role = role.filter(|role| *role != target.role);
    if role == Some(user::Role::Member)
        && target.role == user::Role::OfficeManager
        && other_office_managers(&txn, &target).await? == 0
    {
        return Err(ServiceError::Refused(vec![last_office_manager(Field::Role)]));
    }
    let mut changed = Vec::new();
    let mut update: user::ActiveModel = target.clone().into();
    if let Some(name) = name.filter(|name| *name != target.name) {
        update.name = Set(name);
        changed.push("name");
    }
    if let Some(zone) = time_zone {
        let zone = Some(zone).filter(|zone| !zone.is_empty());
        if zone != target.time_zone {
            update.time_zone = Set(zone);
            changed.push("time zone");
        }
    }
    if let Some(locale) = change.locale.filter(|locale| Some(*locale) != target.locale) {
        update.locale = Set(Some(locale));
        changed.push("language");
    }
    if let Some(on) = change.billing_notifications.filter(|on| *on != target.billing_notifications) {
        update.billing_notifications = Set(on);
        changed.push(if on { "billing notifications on" } else { "billing notifications off" });
    }
    if let Some(role) = role {
        update.role = Set(role);
    }
    update.updated_at = Set(now);
    let user = update.update(&txn).await?;
    if let Some(role) = role {
        let summary = format!("Changed the role of {} ({}) to {}", user.name, user.email, role_name(role));
        activity::record(&txn, caller.account_id, Some(caller.user_id), Action::RoleChanged, summary, now)
            .await?;
    }
    if !changed.is_empty() {
        let summary = format!("Updated {} ({}): {}", user.name, user.email, changed.join(", "));
        activity::record(&txn, caller.account_id, Some(caller.user_id), Action::UserUpdated, summary, now)
            .await?;
    }
    txn.commit().await?;
    Ok(user)
}

/// Removes someone who left: never yourself, never the last office manager. Their sessions end with
/// them; what they did stays in the activity, under their name; their email may be invited again.
pub async fn delete(deps: &Deps, caller: &Caller, user_id: i64) -> ServiceResult<i64> {
    let target = users::get(deps, caller, user_id).await?;
    caller.require_office_manager()?;
    reauthentication::require_recent(deps, caller)?;
    if target.id == caller.user_id {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::User,
            UserErrorCode::CannotDeleteSelf,
            Text::new("cannot-delete-self"),
        )]));
    }
    let now = deps.now();
    let txn = deps.begin().await?;
    let target = lock(&txn, caller, user_id).await?;
    if target.role == user::Role::OfficeManager && other_office_managers(&txn, &target).await? == 0 {
        return Err(ServiceError::Refused(vec![last_office_manager(Field::User)]));
    }
    let summary = format!("Deleted {} ({})", target.name, target.email);
    activity::record(&txn, caller.account_id, Some(caller.user_id), Action::UserDeleted, summary, now)
        .await?;
    sessions::revoke_all_of_user(&txn, target.id, None).await?;
    let id = target.id;
    target.delete(&txn).await?;
    txn.commit().await?;
    tracing::info!(user_id = id, account_id = caller.account_id, "user deleted");
    Ok(id)
}

/// A new temporary password (7 days) for someone who has not logged in yet; the old one stops
/// working.
pub async fn resend_invitation(deps: &Deps, caller: &Caller, user_id: i64) -> ServiceResult<user::Model> {
    let target = users::get(deps, caller, user_id).await?;
    caller.require_office_manager()?;
    if target.last_login_at.is_some() {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::User,
            UserErrorCode::InvitationAccepted,
            Text::new("invitation-accepted"),
        )]));
    }
    let temporary_password =
        passwords::generate_temporary(&PasswordContext { email: &target.email, name: &target.name });
    let hash = passwords::hash(temporary_password.clone()).await?;
    let now = deps.now();
    let txn = deps.begin().await?;
    let target = lock(&txn, caller, user_id).await?;
    // They may have logged in while the password was hashed.
    if target.last_login_at.is_some() {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::User,
            UserErrorCode::InvitationAccepted,
            Text::new("invitation-accepted"),
        )]));
    }
    let account =
        account::Entity::find_by_id(caller.account_id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let mut update: user::ActiveModel = target.into();
    update.password_hash = Set(hash);
    update.must_change_password = Set(true);
    update.password_expires_at = Set(Some(now + TEMPORARY_PASSWORD_LIFETIME));
    update.status = Set(user::Status::Invited);
    update.updated_at = Set(now);
    let user = update.update(&txn).await?;
    sessions::revoke_all_of_user(&txn, user.id, None).await?;
    notifications::invitation(deps, &txn, &user, &account, &temporary_password).await?;
    let summary = format!("Sent {} ({}) a new invitation", user.name, user.email);
    activity::record(&txn, caller.account_id, Some(caller.user_id), Action::InvitationResent, summary, now)
        .await?;
    txn.commit().await?;
    deps.outbox.wake();
    Ok(user)
}

/// The user, under the account's lock (the office manager rule) and its own.
/// An office manager resets a colleague's second factor (a lost phone, a lost passkey): their
/// authenticator app, recovery codes and passkeys go, their sessions end (whoever holds the lost
/// device is signed out too), and they are emailed. Their password alone logs them in again, and
/// an account that requires two-step sign-in asks them to set it up at once.
pub async fn reset_second_factor(deps: &Deps, caller: &Caller, user_id: i64) -> ServiceResult<user::Model> {
    users::get(deps, caller, user_id).await?;
    caller.require_office_manager()?;
    reauthentication::require_recent(deps, caller)?;
    let now = deps.now();
    let txn = deps.begin().await?;
    let target = lock(&txn, caller, user_id).await?;
    two_factor::clear_all(&txn, target.id, now).await?;
    // Their own reset keeps the session asking; anyone else's ends everywhere.
    let keep = (target.id == caller.user_id).then_some(caller.session_id);
    sessions::revoke_all_of_user(&txn, target.id, keep).await?;
    let summary = format!("Reset two-step sign-in of {} ({})", target.name, target.email);
    activity::record(&txn, caller.account_id, Some(caller.user_id), Action::UserUpdated, summary, now)
        .await?;
    let target = user::Entity::find_by_id(target.id).one(&txn).await?.ok_or(ServiceError::NotFound)?;
    let by = caller.user.name.clone();
    notifications::security_notice(deps, &txn, &target, SecurityEvent::SecondFactorReset { by }).await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = target.id, account_id = caller.account_id, "second factor reset");
    Ok(target)
}

async fn lock(txn: &DatabaseTransaction, caller: &Caller, user_id: i64) -> ServiceResult<user::Model> {
    account::Entity::find_by_id(caller.account_id).lock_exclusive().one(txn).await?;
    user::Entity::find_by_id(user_id)
        .filter(user::Column::AccountId.eq(caller.account_id))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Active office managers of the account other than `user` (one invited who never logged in cannot
/// run the account).
async fn other_office_managers(txn: &DatabaseTransaction, user: &user::Model) -> ServiceResult<u64> {
    Ok(user::Entity::find()
        .filter(user::Column::AccountId.eq(user.account_id))
        .filter(user::Column::Role.eq(user::Role::OfficeManager))
        .filter(user::Column::Status.eq(user::Status::Active))
        .filter(user::Column::Id.ne(user.id))
        .count(txn)
        .await?)
}

fn last_office_manager(field: Field) -> UserError {
    UserError::new(field, UserErrorCode::LastOfficeManager, Text::new("last-office-manager"))
}
