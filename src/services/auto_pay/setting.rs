//! Auto Pay's stored setting: whether it is on, and the method it charges (kept while it is off,
//! for turning it on again). Its row is also the lock that turning Auto Pay on, removing a method
//! and a pass take, in that order before the account's.

use chrono::{DateTime, Utc};
use entity::auto_pay_setting;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set, sea_query::OnConflict};

use crate::{
    services::{Caller, Deps, ServiceResult},
    updates::{Update, Updates},
};

/// The caller's setting; off when never set.
pub async fn of(deps: &Deps, caller: &Caller) -> ServiceResult<auto_pay_setting::Model> {
    let found = auto_pay_setting::Entity::find_by_id(caller.account_id).one(&deps.db).await?;
    Ok(found.unwrap_or_else(|| never_set(deps, caller)))
}

/// The account's setting, locked until `txn` ends; none when never set.
pub async fn locked(
    txn: &DatabaseTransaction,
    account_id: i64,
) -> ServiceResult<Option<auto_pay_setting::Model>> {
    Ok(auto_pay_setting::Entity::find_by_id(account_id).lock_exclusive().one(txn).await?)
}

/// Whether Auto Pay is on and charges `method_id`.
pub fn charges(setting: Option<&auto_pay_setting::Model>, method_id: i64) -> bool {
    setting.is_some_and(|s| s.enabled && s.payment_method_id == Some(method_id))
}

/// Writes the account's setting.
pub async fn write(
    updates: &Updates,
    db: &impl ConnectionTrait,
    account_id: i64,
    enabled: bool,
    payment_method_id: Option<i64>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    auto_pay_setting::Entity::insert(auto_pay_setting::ActiveModel {
        account_id: Set(account_id),
        enabled: Set(enabled),
        payment_method_id: Set(payment_method_id),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(auto_pay_setting::Column::AccountId)
            .update_columns([
                auto_pay_setting::Column::Enabled,
                auto_pay_setting::Column::PaymentMethodId,
                auto_pay_setting::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    updates.publish(db, Update::Account { account_id }).await?;
    Ok(())
}

pub(super) fn never_set(deps: &Deps, caller: &Caller) -> auto_pay_setting::Model {
    auto_pay_setting::Model {
        account_id: caller.account_id,
        enabled: false,
        payment_method_id: None,
        updated_at: deps.now(),
    }
}
