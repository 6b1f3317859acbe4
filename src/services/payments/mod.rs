//! Payments through the gateway, the payment methods on file, and Auto Pay.
//!
//! A payment's life: `make` stores it (`processing`), then asks the gateway to charge it with an
//! idempotency key derived from its row; `settle` is the one state machine that moves it forward
//! (on the gateway's answer, a webhook, or reconciliation) and credits the ledger exactly once when
//! the money succeeded.

pub mod customers;
pub mod effects;
pub mod make;
pub mod methods;
pub mod reconcile;
pub mod settle;
pub mod webhooks;

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{auto_pay_setting, payment, payment_method};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::card,
    services::{
        Caller, Deps, ServiceError, ServiceResult,
        pagination::{self, Page, PageRequest},
    },
};

const CURSOR: &str = "payment";

/// One of the caller's payments; another account's is not found, like a missing one.
pub async fn get(deps: &Deps, caller: &Caller, payment_id: i64) -> ServiceResult<payment::Model> {
    payment::Entity::find_by_id(payment_id)
        .filter(payment::Column::AccountId.eq(caller.account_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A page of the caller's payments, every attempt included, newest first (keyset on the id).
pub async fn page(
    deps: &Deps,
    caller: &Caller,
    request: PageRequest<'_>,
) -> ServiceResult<Page<payment::Model>> {
    let limit = pagination::limit(request.first)?;
    let scope = Condition::all().add(payment::Column::AccountId.eq(caller.account_id));
    let total_count =
        pagination::total(&request, payment::Entity::find().filter(scope.clone()), &deps.db).await?;
    let mut query = payment::Entity::find().filter(scope);
    if let Some(after) = request.after {
        let id: i64 = pagination::decode(CURSOR, after)?
            .parse()
            .map_err(|_| ServiceError::BadInput("`after` is not a cursor of this list".into()))?;
        query = query.filter(payment::Column::Id.lt(id));
    }
    let rows = query.order_by_desc(payment::Column::Id).limit(limit + 1).all(&deps.db).await?;
    Ok(pagination::page(rows, limit, total_count, |row| pagination::encode(CURSOR, &row.id.to_string())))
}

/// The caller's most recent successful payment, with the method it was made with (one statement).
pub async fn last_succeeded(
    deps: &Deps,
    caller: &Caller,
) -> ServiceResult<Option<(payment::Model, Option<payment_method::Model>)>> {
    Ok(payment::Entity::find()
        .filter(payment::Column::AccountId.eq(caller.account_id))
        .filter(payment::Column::Status.eq(payment::Status::Succeeded))
        .order_by_desc(payment::Column::SucceededAt)
        .order_by_desc(payment::Column::Id)
        .find_also_related(payment_method::Entity)
        .one(&deps.db)
        .await?)
}

/// A payment method with the facts a person needs about it today.
pub struct MethodOnFile {
    pub method: payment_method::Model,
    /// Past the end of its expiry month, in the account's time zone.
    pub expired: bool,
    /// Auto Pay is on and charges this method.
    pub is_auto_pay: bool,
}

impl MethodOnFile {
    pub fn new(method: payment_method::Model, auto_pay: &auto_pay_setting::Model, today: NaiveDate) -> Self {
        Self {
            expired: card::is_expired(method.exp_year, method.exp_month, today),
            is_auto_pay: auto_pay.enabled && auto_pay.payment_method_id == Some(method.id),
            method,
        }
    }
}

/// The caller's payment methods that have not been removed, oldest first. `today` is the
/// account's (from its standing).
pub async fn methods(deps: &Deps, caller: &Caller, today: NaiveDate) -> ServiceResult<Vec<MethodOnFile>> {
    let auto_pay = setting_of(deps, caller).await?;
    let methods = payment_method::Entity::find()
        .filter(payment_method::Column::AccountId.eq(caller.account_id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .order_by_asc(payment_method::Column::Id)
        .all(&deps.db)
        .await?;
    Ok(methods.into_iter().map(|method| MethodOnFile::new(method, &auto_pay, today)).collect())
}

/// Payment methods by id, removed ones included (a past payment still names its card), for
/// following links from objects already scoped to the caller's account: one statement.
pub async fn methods_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ServiceResult<HashMap<i64, payment_method::Model>> {
    let rows = payment_method::Entity::find()
        .filter(payment_method::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// The caller's Auto Pay setting; off when never set.
pub(crate) async fn setting_of(deps: &Deps, caller: &Caller) -> ServiceResult<auto_pay_setting::Model> {
    let found = auto_pay_setting::Entity::find_by_id(caller.account_id).one(&deps.db).await?;
    Ok(found.unwrap_or_else(|| never_set(deps, caller)))
}

/// The caller's Auto Pay setting and the method it charges, if still on file: one statement.
pub(crate) async fn setting_with_method(
    deps: &Deps,
    caller: &Caller,
) -> ServiceResult<(auto_pay_setting::Model, Option<payment_method::Model>)> {
    let found = auto_pay_setting::Entity::find_by_id(caller.account_id)
        .find_also_related(payment_method::Entity)
        .one(&deps.db)
        .await?;
    Ok(match found {
        Some((setting, method)) => {
            let on_file = method.filter(|m| m.account_id == caller.account_id && m.removed_at.is_none());
            (setting, on_file)
        }
        None => (never_set(deps, caller), None),
    })
}

fn never_set(deps: &Deps, caller: &Caller) -> auto_pay_setting::Model {
    auto_pay_setting::Model {
        account_id: caller.account_id,
        enabled: false,
        payment_method_id: None,
        updated_at: deps.now(),
    }
}

/// How a person recognises a payment method: "Visa ending 4242".
pub fn describe(method: &payment_method::Model) -> String {
    let brand = match method.brand.as_str() {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        other => other,
    };
    format!("{brand} ending {}", method.last4)
}
