//! Accounts, their billing profile, and their people.

pub mod profile;
pub mod team;
pub mod users;

use entity::{account, billing_contact};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::address::Address,
    services::{Caller, Deps, ServiceError, ServiceResult},
};

/// The caller's own account; there is no way to ask for another.
pub async fn get(deps: &Deps, caller: &Caller) -> ServiceResult<account::Model> {
    find_by_id(deps, caller.account_id).await
}

/// For signed links, which carry the account they were issued to.
pub async fn find_by_id(deps: &Deps, account_id: i64) -> ServiceResult<account::Model> {
    account::Entity::find_by_id(account_id).one(&deps.db).await?.ok_or(ServiceError::NotFound)
}

pub async fn find_by_number(deps: &Deps, number: &str) -> ServiceResult<account::Model> {
    account::Entity::find()
        .filter(account::Column::Number.eq(number))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn billing_contact(
    deps: &Deps,
    caller: &Caller,
    contact_id: i64,
) -> ServiceResult<billing_contact::Model> {
    billing_contact::Entity::find_by_id(contact_id)
        .filter(billing_contact::Column::AccountId.eq(caller.account_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn billing_contacts(deps: &Deps, caller: &Caller) -> ServiceResult<Vec<billing_contact::Model>> {
    Ok(billing_contact::Entity::find()
        .filter(billing_contact::Column::AccountId.eq(caller.account_id))
        .order_by_asc(billing_contact::Column::Position)
        .all(&deps.db)
        .await?)
}

/// Accounts by id, for following links from objects already scoped to the caller (a user's
/// account, for its time zone): one statement.
pub async fn by_ids(
    db: &impl sea_orm::ConnectionTrait,
    ids: &[i64],
) -> ServiceResult<std::collections::HashMap<i64, account::Model>> {
    let rows = account::Entity::find().filter(account::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// The account's billing address.
pub fn address(account: &account::Model) -> Address {
    Address {
        line1: account.address_line1.clone(),
        line2: account.address_line2.clone(),
        city: account.city.clone(),
        province: account.province.clone(),
        postal_code: account.postal_code.clone(),
        country: account.country.clone(),
    }
}
