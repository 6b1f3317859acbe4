//! When Auto Pay tells the office managers that its card is about to expire or has: once per card
//! and expiry. (What they are told is `notifications::auto_pay_card`.)

use chrono::{Datelike, Duration, NaiveDate};
use entity::payment_method;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr};

use crate::services::{
    Deps, ServiceResult,
    notifications::{self, CardExpiry},
};

/// The Auto Pay card expires within 30 days, or has: told once per card and expiry (a new expiry
/// from the bank starts afresh). Answers whether a notice went out.
pub(super) async fn card_expiry(
    deps: &Deps,
    txn: &DatabaseTransaction,
    method: &payment_method::Model,
    today: NaiveDate,
) -> ServiceResult<bool> {
    let (Some(year), Some(month)) = (method.exp_year, method.exp_month) else { return Ok(false) };
    let Some(last_day) = last_day_of(year, month) else { return Ok(false) };
    let expiry = format!("{year:04}-{month:02}");
    let (column, state) = if today > last_day {
        (payment_method::Column::ExpiredNoticeFor, CardExpiry::Expired)
    } else if today + Duration::days(30) >= last_day {
        (payment_method::Column::ExpiryNoticeFor, CardExpiry::Soon)
    } else {
        return Ok(false);
    };
    // Claimed by a conditional update: told once, however many passes run at once.
    let claimed = payment_method::Entity::update_many()
        .col_expr(column, Expr::value(expiry.clone()))
        .filter(payment_method::Column::Id.eq(method.id))
        .filter(sea_orm::Condition::any().add(column.is_null()).add(column.ne(expiry.as_str())))
        .exec(txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(false);
    }
    notifications::auto_pay_card(deps, txn, method, &expiry, state).await?;
    Ok(true)
}

fn last_day_of(year: i32, month: i32) -> Option<NaiveDate> {
    let month = u32::try_from(month).ok()?;
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    first_of_next.pred_opt().filter(|day| day.month() == month)
}
