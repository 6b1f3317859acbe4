//! One Auto Pay charge: claimed in the database, then made off-session through the gateway.

use chrono::NaiveDate;
use entity::{account, auto_pay_attempt, auto_pay_setting, payment, payment_method};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set, SqlErr,
    sea_query::{LockBehavior, LockType},
};

use crate::{
    domain::{
        auto_pay::{self, AttemptKind, AttemptOutcome, Next},
        card,
        money::Money,
        time,
    },
    gateway::{ChargeOutcome, ChargeRequest},
    services::{
        Deps, ServiceError, ServiceResult,
        activity::{self, Action},
        billing,
        payments::{
            customers, describe,
            make::gateway_key,
            methods,
            settle::{self, NewPayment},
        },
    },
};

/// What one call of [`attempt`] did.
#[derive(Debug)]
pub enum Attempted {
    /// A charge was made: where its payment stands, as far as the gateway said.
    Made(payment::Status),
    /// Nothing to charge now (nothing due, not a retry day, an attempt in progress, or another
    /// instance or request claimed this attempt first).
    Nothing,
    /// Another pass holds the account at this moment: skipped, not waited for.
    Busy,
}

/// Makes the Auto Pay charge for everything due by `day` (the account's today when `None`), if
/// the schedule says one is due (`Scheduled`) or at once (`Enabled`, Auto Pay just turned on).
///
/// The claim is a row under the unique key (account, due date, attempt number), written in the
/// same transaction as the payment it makes, which the database also holds to one in progress per
/// account: however many passes, instances and requests race, an attempt is made at most once. A
/// claimer that dies after committing leaves a `processing` payment that reconciliation settles
/// (re-sending the same request under the same key), never a fresh attempt.
pub async fn attempt(
    deps: &Deps,
    account_id: i64,
    day: Option<NaiveDate>,
    kind: AttemptKind,
) -> ServiceResult<Attempted> {
    let txn = deps.begin().await?;
    // The locks are let go at once, explicitly: a transaction left to `Drop` is rolled back only
    // when its connection is next tested, and meanwhile the next pass would find the account busy.
    let (payment, method) = match claim(deps, &txn, account_id, day, kind).await {
        Ok(Claim::Made(claimed)) => {
            txn.commit().await?;
            *claimed
        }
        Ok(Claim::Nothing) => {
            txn.rollback().await?;
            return Ok(Attempted::Nothing);
        }
        Ok(Claim::Busy) => {
            txn.rollback().await?;
            return Ok(Attempted::Busy);
        }
        Err(error) => {
            txn.rollback().await.ok();
            return Err(error);
        }
    };

    let account =
        account::Entity::find_by_id(account_id).one(&deps.db).await?.ok_or(ServiceError::NotFound)?;
    let outcome = match customers::ensure(deps, &account).await {
        Ok(customer) => {
            let request = ChargeRequest {
                payment_id: payment.id,
                amount_minor: payment.amount_minor,
                currency: payment.currency,
                customer: &customer,
                method: &method.gateway_id,
                off_session: true,
                idempotency_key: &gateway_key(payment.id),
            };
            settle::outcome_of(payment.id, deps.gateway.charge(request).await)
        }
        // Reconciliation sends the charge once the gateway answers.
        Err(error) => {
            tracing::warn!(payment_id = payment.id, error = %crate::telemetry::chain(&error), "no gateway customer yet");
            ChargeOutcome::Unknown
        }
    };
    let payment = settle::apply(deps, payment.id, &outcome).await?;
    tracing::info!(account_id, payment_id = payment.id, status = ?payment.status, "Auto Pay attempt");
    Ok(Attempted::Made(payment.status))
}

enum Claim {
    /// The payment to charge, and the method to charge.
    Made(Box<(payment::Model, payment_method::Model)>),
    Nothing,
    Busy,
}

/// Decides and claims the attempt in `txn`.
async fn claim(
    deps: &Deps,
    txn: &DatabaseTransaction,
    account_id: i64,
    day: Option<NaiveDate>,
    kind: AttemptKind,
) -> ServiceResult<Claim> {
    let now = deps.now();
    // An account another instance is working on is skipped, not waited for (PostgreSQL; SQLite
    // has one writer, and the unique claim decides there).
    // The customer turning Auto Pay on waits for a pass at work instead.
    let setting = match kind {
        AttemptKind::Scheduled => {
            auto_pay_setting::Entity::find_by_id(account_id)
                .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
                .one(txn)
                .await?
        }
        AttemptKind::Enabled => {
            auto_pay_setting::Entity::find_by_id(account_id).lock_exclusive().one(txn).await?
        }
    };
    let Some(setting) = setting else {
        // No row at all is Auto Pay never set up; a row we could not lock is another pass at work.
        let exists = auto_pay_setting::Entity::find_by_id(account_id).one(txn).await?.is_some();
        return Ok(if exists { Claim::Busy } else { Claim::Nothing });
    };
    let Some(method_id) = setting.payment_method_id.filter(|_| setting.enabled) else {
        return Ok(Claim::Nothing);
    };
    let account = account::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let day = day.unwrap_or_else(|| time::today_in(&account.time_zone, now));
    let standing = billing::standing_of(txn, account_id, now).await?;
    let due: Vec<_> = standing.unpaid().filter(|invoice| invoice.due_on <= day).collect();
    let Some(oldest) = due.first() else { return Ok(Claim::Nothing) };
    // Rounds go by the latest due date that has come: a round that stopped for last month's bill
    // does not stop this month's.
    let due_on = due.iter().map(|invoice| invoice.due_on).max().unwrap_or(oldest.due_on);
    let owed_by_day: i64 =
        due.iter().filter_map(|i| standing.standings.get(&i.id)).map(|s| s.amount_due_minor).sum();
    // Never more than the balance: a credit pays its share.
    let amount = owed_by_day.min(standing.balance_minor);
    if amount <= 0 {
        return Ok(Claim::Nothing);
    }
    let Some(method) = methods::on_file().filter(payment_method::Column::Id.eq(method_id)).one(txn).await?
    else {
        return Ok(Claim::Nothing);
    };
    // An expired card is never charged; the pass tells the office managers instead.
    if card::is_expired(method.exp_year, method.exp_month, day) {
        return Ok(Claim::Nothing);
    }
    let made = super::attempts(txn, account_id, due_on).await?;
    let number = match kind {
        AttemptKind::Scheduled => {
            match auto_pay::next(due_on, day, &made, &deps.settings.auto_pay_retry_days) {
                Next::Charge { attempt } => attempt,
                Next::On(_) | Next::InProgress | Next::Stopped => return Ok(Claim::Nothing),
            }
        }
        AttemptKind::Enabled if made.last().is_some_and(|a| a.outcome == AttemptOutcome::InProgress) => {
            return Ok(Claim::Nothing);
        }
        AttemptKind::Enabled => made.len() as i32,
    };
    let claimed = auto_pay_attempt::ActiveModel {
        account_id: Set(account_id),
        due_on: Set(due_on),
        attempt: Set(number),
        kind: Set(match kind {
            AttemptKind::Scheduled => auto_pay_attempt::Kind::Scheduled,
            AttemptKind::Enabled => auto_pay_attempt::Kind::Enabled,
        }),
        made_on: Set(day),
        payment_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await;
    let claimed = match claimed {
        Ok(claimed) => claimed,
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Claim::Nothing);
        }
        Err(error) => return Err(error.into()),
    };
    let inserted = NewPayment {
        account_id,
        currency: account.currency,
        method_id: method.id,
        amount_minor: amount,
        origin: payment::Origin::AutoPay,
        // The attempt row is Auto Pay's claim; no client key may collide with it.
        idempotency: None,
        invoice_id: Some(oldest.id),
        payer: None,
        payer_name: None,
    }
    .row(deps.gateway.name(), now)
    .insert(txn)
    .await;
    let payment = match inserted {
        Ok(payment) => payment,
        // A payment of the customer's is in progress: Auto Pay waits for it.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Claim::Nothing);
        }
        Err(error) => return Err(error.into()),
    };
    let mut claimed: auto_pay_attempt::ActiveModel = claimed.into();
    claimed.payment_id = Set(Some(payment.id));
    claimed.update(txn).await?;
    let summary = format!(
        "Auto Pay charge of {} {} to {}",
        Money::new(amount, account.currency).to_decimal(),
        account.currency.code(),
        describe(&method)
    );
    activity::record(txn, account_id, None, Action::PaymentMade, summary, now).await?;
    Ok(Claim::Made(Box::new((payment, method))))
}
