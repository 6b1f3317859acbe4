//! The account's activity: who did what, written in the same transaction as the change it records,
//! and read by office managers. Summaries are for people and never hold a secret (no token,
//! password, link or full card number).

use chrono::{DateTime, Utc};
use entity::{activity, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::services::{
    Caller, Deps, ServiceError, ServiceResult,
    pagination::{NewestFirst, Page, PageRequest},
};

pub use activity::Action;

const CURSOR: &str = "activity";

/// Records `action` by `actor` (a user of the account; `None` for the carrier's systems and jobs) in
/// the caller's transaction. The actor's name and email are kept as they are now.
pub async fn record(
    db: &impl ConnectionTrait,
    account_id: i64,
    actor: Option<i64>,
    action: Action,
    summary: impl Into<String>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let who = match actor {
        Some(id) => user::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let summary: String = summary.into();
    activity::ActiveModel {
        account_id: Set(account_id),
        actor_user_id: Set(who.as_ref().map(|u| u.id)),
        actor_name: Set(who.as_ref().map(|u| u.name.clone())),
        actor_email: Set(who.as_ref().map(|u| u.email.clone())),
        action: Set(action),
        summary: Set(summary.chars().take(500).collect()),
        occurred_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A page of the caller's account's activity, newest first; office managers only.
pub async fn page(
    deps: &Deps,
    caller: &Caller,
    request: PageRequest<'_>,
) -> ServiceResult<Page<activity::Model>> {
    caller.require_office_manager()?;
    let keyset = NewestFirst::new(CURSOR, request)?;
    let list = activity::Entity::find().filter(activity::Column::AccountId.eq(caller.account_id));
    let total_count = keyset.total(list.clone(), &deps.db).await?;
    let rows = keyset.rows(list, activity::Column::Id)?.all(&deps.db).await?;
    Ok(keyset.page(rows, total_count, |row| row.id))
}

/// One entry of the caller's account's activity; office managers only.
pub async fn get(deps: &Deps, caller: &Caller, entry_id: i64) -> ServiceResult<activity::Model> {
    caller.require_office_manager()?;
    activity::Entity::find_by_id(entry_id)
        .filter(activity::Column::AccountId.eq(caller.account_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}
