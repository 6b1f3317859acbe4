//! The payment methods as Auto Pay sees them: which one it charges, adding one "for Auto Pay",
//! and keeping its method on file (an office manager cannot remove it while Auto Pay is on; the
//! gateway removing it turns Auto Pay off). The methods themselves are `payments::methods`.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{auto_pay_setting, payment_method};
use sea_orm::{ColumnTrait, DatabaseTransaction, QueryFilter};

use crate::{
    domain::{card, time},
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        auth::reauthentication,
        notifications,
        payments::{describe, methods},
    },
};

use super::{setting, turn_on};

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
            is_auto_pay: setting::charges(Some(auto_pay), method.id),
            method,
        }
    }
}

/// The caller's payment methods on file, oldest first. `today` is the account's (from its
/// standing).
pub async fn list(deps: &Deps, caller: &Caller, today: NaiveDate) -> ServiceResult<Vec<MethodOnFile>> {
    let auto_pay = setting::of(deps, caller).await?;
    let methods = methods::list(&deps.db, caller.account_id).await?;
    Ok(methods.into_iter().map(|method| MethodOnFile::new(method, &auto_pay, today)).collect())
}

/// One of the caller's payment methods on file, as `list` shows it.
pub async fn get(deps: &Deps, caller: &Caller, method_id: i64) -> ServiceResult<MethodOnFile> {
    let method = methods::get_on_file(&deps.db, caller.account_id, method_id).await?;
    let account = accounts::get(deps, caller).await?;
    let setting = setting::of(deps, caller).await?;
    Ok(MethodOnFile::new(method, &setting, time::today_in(&account.time_zone, deps.now())))
}

/// Puts a gateway payment method on file; with `use_for_auto_pay`, Auto Pay charges it from now on.
pub async fn add(
    deps: &Deps,
    caller: &Caller,
    gateway_method_id: &str,
    use_for_auto_pay: bool,
) -> ServiceResult<MethodOnFile> {
    let method = methods::add(deps, caller, gateway_method_id).await?;
    if use_for_auto_pay {
        turn_on(deps, Some(caller.user_id), caller.account_id, &method).await?;
    }
    let account = accounts::get(deps, caller).await?;
    let setting = setting::of(deps, caller).await?;
    Ok(MethodOnFile::new(method, &setting, time::today_in(&account.time_zone, deps.now())))
}

/// Removes a method from the account (and from the gateway's customer). The method Auto Pay
/// charges cannot go while Auto Pay is on.
pub async fn remove(deps: &Deps, caller: &Caller, method_id: i64) -> ServiceResult<i64> {
    caller.require_office_manager()?;
    reauthentication::require_recent(deps, caller)?;
    let method = methods::get_on_file(&deps.db, caller.account_id, method_id).await?;
    let now = deps.now();
    let txn = deps.begin().await?;
    // Under the setting's lock, which turning Auto Pay on takes too: Auto Pay never ends up on with
    // a method removed meanwhile.
    if setting::charges(setting::locked(&txn, caller.account_id).await?.as_ref(), method.id) {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::PaymentMethod,
            UserErrorCode::AutoPayMethod,
            Text::new("auto-pay-method"),
        )]));
    }
    let summary = format!("Removed {}", describe(&method));
    methods::take_off_file(&deps.updates, &txn, &method, Some(caller.user_id), summary, now).await?;
    txn.commit().await?;
    methods::detach_at_gateway(deps, &method).await;
    tracing::info!(account_id = caller.account_id, payment_method_id = method.id, "payment method removed");
    Ok(method.id)
}

/// The gateway no longer holds the method (its webhook): it leaves the account, and Auto Pay, if
/// it charged it, turns off and the office managers hear of it.
pub async fn removed_by_gateway(
    deps: &Deps,
    txn: &DatabaseTransaction,
    gateway_method_id: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Some(on_file) =
        methods::on_file().filter(payment_method::Column::GatewayId.eq(gateway_method_id)).one(txn).await?
    else {
        return Ok(());
    };
    // The setting first, in the order removing a method takes them.
    let current = setting::locked(txn, on_file.account_id).await?;
    let summary = format!("The payment gateway removed {}", describe(&on_file));
    methods::take_off_file(&deps.updates, txn, &on_file, None, summary, now).await?;
    if !setting::charges(current.as_ref(), on_file.id) {
        return Ok(());
    }
    setting::write(&deps.updates, txn, on_file.account_id, false, None, now).await?;
    let summary = format!("Auto Pay turned off: the payment gateway removed {}", describe(&on_file));
    activity::record(txn, on_file.account_id, None, Action::AutoPayDisabled, summary, now).await?;
    notifications::auto_pay_off(deps, txn, &on_file).await
}
