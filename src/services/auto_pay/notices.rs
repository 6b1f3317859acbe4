//! What Auto Pay tells the account's people itself: that the card is about to expire or has. (What
//! went wrong with a charge is told when the payment settles: `notifications::auto_pay_failed`.)

use chrono::{Datelike, Duration, NaiveDate};
use entity::payment_method;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr};

use crate::services::{Deps, ServiceResult, notifications, payments::describe};

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
    let (column, subject, body) = if today > last_day {
        (
            payment_method::Column::ExpiredNoticeFor,
            "Your Auto Pay card has expired",
            format!(
                "{} expired at the end of {expiry}. Auto Pay will not charge it: add a new card and choose it for \
                 Auto Pay in the Billing Portal ({}).",
                describe(method),
                deps.settings.public_url
            ),
        )
    } else if today + Duration::days(30) >= last_day {
        (
            payment_method::Column::ExpiryNoticeFor,
            "Your Auto Pay card expires soon",
            format!(
                "{} expires at the end of {expiry}. To keep Auto Pay paying your bills, add the new card in the \
                 Billing Portal ({}) and choose it for Auto Pay.",
                describe(method),
                deps.settings.public_url
            ),
        )
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
    notifications::to_office_managers(deps, txn, method.account_id, false, subject, &body).await?;
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
