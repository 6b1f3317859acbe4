//! Auto Pay: the office managers turn it on with a method, and each bill is charged off-session on
//! its due date (in the account's time zone), retried on the days of `AUTOPAY_RETRY_DAYS` after a
//! decline, and stopped when retrying cannot help. `pass` is what runs on a schedule; `attempt`
//! makes one charge, claimed once in the database however many instances try at once.

mod attempt;
pub mod methods;
mod notices;
pub mod pass;
pub mod setting;

use chrono::NaiveDate;
use entity::{auto_pay_attempt, payment, payment_method};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    domain::{
        auto_pay::{self, Attempt, AttemptKind, AttemptOutcome, Next},
        card, time,
    },
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        auth::reauthentication,
        overview::{self, AccountOverview},
        payments::{self, Made, PaymentRequest, describe},
    },
};

pub use attempt::{Attempted, attempt};
pub use methods::MethodOnFile;

/// Auto Pay as the dashboard shows it.
pub struct AutoPayStatus {
    pub enabled: bool,
    /// The method Auto Pay charges (kept while Auto Pay is off, for turning it on again).
    pub method: Option<MethodOnFile>,
    /// When Auto Pay charges next: the due date, or the next retry day after a decline; none while
    /// nothing is owed, a charge is in progress, or retries have stopped.
    pub next_charge_on: Option<NaiveDate>,
}

pub async fn status(
    deps: &Deps,
    caller: &Caller,
    overview: &AccountOverview,
) -> ServiceResult<AutoPayStatus> {
    let standing = &overview.standing;
    let setting = overview.auto_pay.clone().unwrap_or_else(|| setting::never_set(deps, caller));
    let method = overview.auto_pay_method.clone();
    let method = method.map(|method| MethodOnFile::new(method, &setting, standing.today));
    // As the pass sees it: the latest due date that has come, else the next one to come.
    let due_dates: Vec<NaiveDate> = standing.unpaid().map(|i| i.due_on).collect();
    let anchor =
        due_dates.iter().filter(|day| **day <= standing.today).max().or(due_dates.iter().min()).copied();
    let next_charge_on = match (setting.enabled, anchor) {
        (true, Some(due_on)) if standing.balance_minor > 0 => {
            let made = attempts(&deps.db, caller.account_id, due_on).await?;
            match auto_pay::next(due_on, standing.today, &made, &deps.settings.auto_pay_retry_days) {
                Next::Charge { .. } => Some(standing.today),
                Next::On(day) => Some(day),
                Next::InProgress | Next::Stopped => None,
            }
        }
        _ => None,
    };
    Ok(AutoPayStatus { enabled: setting.enabled, method, next_charge_on })
}

/// Turns Auto Pay on (with `method_id`, or the method it had) or off (keeping the method for later).
/// Turning it on charges what is already due at once: the customer acting is a fresh start.
pub async fn set(
    deps: &Deps,
    caller: &Caller,
    enabled: bool,
    method_id: Option<i64>,
) -> ServiceResult<AutoPayStatus> {
    caller.require_office_manager()?;
    if enabled {
        reauthentication::require_recent(deps, caller)?;
    }
    let account = accounts::get(deps, caller).await?;
    let current = setting::of(deps, caller).await?;
    // A method named must be one of the account's on file, whether Auto Pay goes on or off.
    let named = match method_id {
        Some(id) => Some(payments::methods::get_on_file(&deps.db, account.id, id).await?),
        None => None,
    };
    let method_id = method_id.or(current.payment_method_id);
    let mut method = None;
    if enabled {
        let found = match (named, method_id) {
            (Some(named), _) => named,
            (None, Some(kept)) => payments::methods::get_on_file(&deps.db, account.id, kept).await?,
            (None, None) => {
                return Err(ServiceError::Refused(vec![UserError::new(
                    Field::PaymentMethod,
                    UserErrorCode::AutoPayNeedsMethod,
                    Text::new("auto-pay-needs-method"),
                )]));
            }
        };
        if card::is_expired(found.exp_year, found.exp_month, time::today_in(&account.time_zone, deps.now())) {
            return Err(ServiceError::Refused(vec![UserError::new(
                Field::PaymentMethod,
                UserErrorCode::PaymentMethodExpired,
                Text::new("auto-pay-method-expired"),
            )]));
        }
        method = Some(found);
    }
    match method {
        Some(method) if enabled => turn_on(deps, Some(caller.user_id), account.id, &method).await?,
        _ => {
            let now = deps.now();
            let txn = deps.begin().await?;
            setting::write(&deps.updates, &txn, account.id, false, method_id, now).await?;
            if current.enabled {
                let summary = "Turned Auto Pay off";
                activity::record(
                    &txn,
                    account.id,
                    Some(caller.user_id),
                    Action::AutoPayDisabled,
                    summary,
                    now,
                )
                .await?;
            }
            txn.commit().await?;
        }
    }
    let overview = overview::of(&deps.db, caller.account_id, deps.now()).await?;
    status(deps, caller, &overview).await
}

/// A payment by the caller (`payments::make_payment`); with "Use for Auto Pay", which is the office
/// managers', its method becomes Auto Pay's and Auto Pay is on, unless the payment failed. A repeat
/// of the request finds the same payment and changes nothing more.
pub async fn pay(deps: &Deps, caller: &Caller, request: PaymentRequest) -> ServiceResult<payment::Model> {
    if request.use_for_auto_pay {
        caller.require_office_manager()?;
        // Asked before the charge: a payment is not made to be half-refused.
        reauthentication::require_recent(deps, caller)?;
    }
    let Made { payment, new } = payments::make_payment(deps, caller, &request).await?;
    if new && request.use_for_auto_pay && payment.status != payment::Status::Failed {
        let method =
            payments::methods::get_on_file(&deps.db, caller.account_id, request.payment_method_id).await?;
        turn_on(deps, Some(caller.user_id), caller.account_id, &method).await?;
    }
    Ok(payment)
}

/// Turns Auto Pay on with `method` (recorded as `actor`'s doing) and charges what is already due,
/// at once: the customer acting is a fresh start.
pub async fn turn_on(
    deps: &Deps,
    actor: Option<i64>,
    account_id: i64,
    method: &payment_method::Model,
) -> ServiceResult<()> {
    let now = deps.now();
    let txn = deps.begin().await?;
    let current = setting::locked(&txn, account_id).await?;
    // Already on with this method: nothing changes, and nothing is charged again.
    if setting::charges(current.as_ref(), method.id) {
        txn.rollback().await?;
        return Ok(());
    }
    // Removed meanwhile (removal takes the same lock): it cannot be Auto Pay's.
    if let Err(error) = payments::methods::get_on_file(&txn, account_id, method.id).await {
        txn.rollback().await?;
        return Err(error);
    }
    setting::write(&deps.updates, &txn, account_id, true, Some(method.id), now).await?;
    let summary = format!("Turned Auto Pay on with {}", describe(method));
    activity::record(&txn, account_id, actor, Action::AutoPayEnabled, summary, now).await?;
    txn.commit().await?;
    tracing::info!(account_id, "Auto Pay on");
    attempt(deps, account_id, None, AttemptKind::Enabled).await?;
    Ok(())
}

/// The attempts made for what fell due on `due_on`, oldest first, with where each stands.
async fn attempts(
    db: &impl ConnectionTrait,
    account_id: i64,
    due_on: NaiveDate,
) -> ServiceResult<Vec<Attempt>> {
    let rows = auto_pay_attempt::Entity::find()
        .filter(auto_pay_attempt::Column::AccountId.eq(account_id))
        .filter(auto_pay_attempt::Column::DueOn.eq(due_on))
        .order_by_asc(auto_pay_attempt::Column::Attempt)
        .find_also_related(payment::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(attempt, payment)| Attempt {
            kind: match attempt.kind {
                auto_pay_attempt::Kind::Scheduled => AttemptKind::Scheduled,
                auto_pay_attempt::Kind::Enabled => AttemptKind::Enabled,
            },
            made_on: attempt.made_on,
            outcome: match payment {
                Some(p) if p.status == payment::Status::Succeeded => AttemptOutcome::Succeeded,
                Some(p) if p.status == payment::Status::Failed => {
                    if auto_pay::is_final_decline(p.failure_code.as_deref(), p.failure_advice.as_deref()) {
                        AttemptOutcome::Final
                    } else {
                        AttemptOutcome::Declined
                    }
                }
                Some(p) if p.status == payment::Status::Canceled => AttemptOutcome::Declined,
                // In flight, or a claim whose payment is not written yet.
                _ => AttemptOutcome::InProgress,
            },
        })
        .collect())
}
