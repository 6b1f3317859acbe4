//! Accounts and their billing details.

use entity::{account, billing_contact};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::state::AppState;

use super::{Caller, ServiceError, ServiceResult};

/// The caller's own account; there is no way to ask for another.
pub async fn get(state: &AppState, caller: &Caller) -> ServiceResult<account::Model> {
    find_by_id(state, caller.account_id).await
}

/// For signed links, which carry the account they were issued to.
pub async fn find_by_id(state: &AppState, account_id: i64) -> ServiceResult<account::Model> {
    account::Entity::find_by_id(account_id).one(&state.db).await?.ok_or(ServiceError::NotFound)
}

pub async fn find_by_number(state: &AppState, number: &str) -> ServiceResult<account::Model> {
    account::Entity::find()
        .filter(account::Column::Number.eq(number))
        .one(&state.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn billing_contacts(
    state: &AppState,
    caller: &Caller,
) -> ServiceResult<Vec<billing_contact::Model>> {
    Ok(billing_contact::Entity::find()
        .filter(billing_contact::Column::AccountId.eq(caller.account_id))
        .order_by_asc(billing_contact::Column::Position)
        .all(&state.db)
        .await?)
}
