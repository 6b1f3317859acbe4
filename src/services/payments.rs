//! Payments as the dashboard shows them (the payment flow itself lives with the gateway).

use entity::{auto_pay_setting, payment, payment_method};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::state::AppState;

use super::{Caller, ServiceResult};

/// The caller's most recent successful payment.
pub async fn last_succeeded(state: &AppState, caller: &Caller) -> ServiceResult<Option<payment::Model>> {
    Ok(payment::Entity::find()
        .filter(payment::Column::AccountId.eq(caller.account_id))
        .filter(payment::Column::Status.eq(payment::Status::Succeeded))
        .order_by_desc(payment::Column::SucceededAt)
        .order_by_desc(payment::Column::Id)
        .one(&state.db)
        .await?)
}

/// The caller's payment methods that have not been removed, oldest first.
pub async fn methods(state: &AppState, caller: &Caller) -> ServiceResult<Vec<payment_method::Model>> {
    Ok(payment_method::Entity::find()
        .filter(payment_method::Column::AccountId.eq(caller.account_id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .order_by_asc(payment_method::Column::Id)
        .all(&state.db)
        .await?)
}

/// The caller's Auto Pay setting; off when never set.
pub async fn auto_pay(state: &AppState, caller: &Caller) -> ServiceResult<auto_pay_setting::Model> {
    Ok(auto_pay_setting::Entity::find_by_id(caller.account_id).one(&state.db).await?.unwrap_or(
        auto_pay_setting::Model {
            account_id: caller.account_id,
            enabled: false,
            payment_method_id: None,
            updated_at: chrono::Utc::now(),
        },
    ))
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
