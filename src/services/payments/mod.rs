//! Payments through the gateway, and the payment methods on file. (Auto Pay sits above: it makes
//! payments; payments know nothing of it.)
//!
//! A payment's life: `make` stores it (`processing`), then asks the gateway to charge it with an
//! idempotency key derived from its row; `settle` decides how news of it moves it forward (the
//! gateway's answer, a webhook, or reconciliation), and `effects` carries out what that causes,
//! crediting the ledger exactly once when the money succeeded.

pub mod customers;
pub mod effects;
pub mod make;
pub mod methods;
pub mod reconcile;
pub mod settle;
pub mod transition;

use std::collections::HashMap;

use entity::{payment, payment_method};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::services::{
    Caller, Deps, ServiceError, ServiceResult,
    pagination::{NewestFirst, Page, PageRequest},
};

pub use make::{Made, PaymentRequest, make_payment};

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
    let keyset = NewestFirst::new(CURSOR, request)?;
    let list = payment::Entity::find().filter(payment::Column::AccountId.eq(caller.account_id));
    let total_count = keyset.total(list.clone(), &deps.db).await?;
    let rows = keyset.rows(list, payment::Column::Id)?.all(&deps.db).await?;
    Ok(keyset.page(rows, total_count, |row| row.id))
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

/// How a person recognises a payment method: "Visa ending 4242".
pub fn describe(method: &payment_method::Model) -> String {
    crate::domain::card::describe(&method.brand, &method.last4)
}
