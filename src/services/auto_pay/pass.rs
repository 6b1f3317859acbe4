//! The Auto Pay pass: for every account with Auto Pay on, tell its office managers about a card that
//! is about to expire (or has), then make the attempt the schedule says is due, if any. Accounts
//! are worked on `auto_pay_concurrency` at a time: on a common due date thousands are due at once,
//! and each charge waits on the gateway. Each account's attempt is claimed in the database, so
//! passes on several instances share the work without charging anyone twice.

use chrono::NaiveDate;
use entity::{account, auto_pay_setting, payment, payment_method};
use futures_util::{StreamExt, stream};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::{auto_pay::AttemptKind, time},
    services::{Deps, ServiceResult, payments},
    telemetry,
};

use super::{Attempted, attempt, notices};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Attempts made (each is a payment).
    pub attempts: usize,
    pub succeeded: usize,
    pub notices: usize,
    /// Accounts another pass was at work on (skipped, not waited for).
    pub busy: usize,
    /// Accounts whose pass failed (logged; the pass went on with the others).
    pub failed: usize,
}

impl std::ops::Add for Report {
    type Output = Report;

    fn add(self, other: Report) -> Report {
        Report {
            attempts: self.attempts + other.attempts,
            succeeded: self.succeeded + other.succeeded,
            notices: self.notices + other.notices,
            busy: self.busy + other.busy,
            failed: self.failed + other.failed,
        }
    }
}

/// One pass, as of `as_of` for every account, or each account's own today when `None`.
pub async fn run(deps: &Deps, as_of: Option<NaiveDate>) -> ServiceResult<Report> {
    let accounts: Vec<i64> = auto_pay_setting::Entity::find()
        .filter(auto_pay_setting::Column::Enabled.eq(true))
        .order_by_asc(auto_pay_setting::Column::AccountId)
        .all(&deps.db)
        .await?
        .into_iter()
        .map(|setting| setting.account_id)
        .collect();
    let report = stream::iter(accounts)
        .map(|account_id| async move {
            let mut report = Report::default();
            // One account's trouble is logged and the pass goes on.
            if let Err(error) = for_account(deps, account_id, as_of, &mut report).await {
                report.failed += 1;
                tracing::error!(account_id, error = %telemetry::chain(&error), "Auto Pay failed for an account")
            }
            report
        })
        .buffer_unordered(deps.settings.auto_pay_concurrency.max(1))
        .fold(Report::default(), |total, one| async move { total + one })
        .await;
    metrics::counter!("auto_pay_passes_total").increment(1);
    metrics::counter!("auto_pay_charges_total", "result" => "succeeded").increment(report.succeeded as u64);
    let not_succeeded = report.attempts - report.succeeded;
    metrics::counter!("auto_pay_charges_total", "result" => "not_succeeded").increment(not_succeeded as u64);
    metrics::counter!("auto_pay_accounts_skipped_total", "why" => "busy").increment(report.busy as u64);
    metrics::counter!("auto_pay_accounts_skipped_total", "why" => "failed").increment(report.failed as u64);
    Ok(report)
}

async fn for_account(
    deps: &Deps,
    account_id: i64,
    as_of: Option<NaiveDate>,
    report: &mut Report,
) -> ServiceResult<()> {
    let Some(account) = account::Entity::find_by_id(account_id).one(&deps.db).await? else { return Ok(()) };
    let today = as_of.unwrap_or_else(|| time::today_in(&account.time_zone, deps.now()));
    let setting = auto_pay_setting::Entity::find_by_id(account_id).one(&deps.db).await?;
    if let Some(method_id) = setting.and_then(|s| s.payment_method_id) {
        let method = payments::methods::on_file()
            .filter(payment_method::Column::Id.eq(method_id))
            .one(&deps.db)
            .await?;
        if let Some(method) = method {
            let txn = deps.begin().await?;
            if notices::card_expiry(deps, &txn, &method, today).await? {
                report.notices += 1;
            }
            txn.commit().await?;
            deps.outbox.wake();
        }
    }
    match attempt(deps, account_id, Some(today), AttemptKind::Scheduled).await? {
        Attempted::Made(status) => {
            report.attempts += 1;
            if status == payment::Status::Succeeded {
                report.succeeded += 1;
            }
        }
        Attempted::Busy => report.busy += 1,
        Attempted::Nothing => {}
    }
    Ok(())
}
