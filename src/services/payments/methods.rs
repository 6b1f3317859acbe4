//! Saving and removing payment methods. Card numbers never reach us: the browser hands the card to
//! the gateway, which gives back a payment method id; that id is all we accept.

use entity::{auto_pay_setting, payment_method};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, SqlErr,
    sea_query::OnConflict,
};

use crate::{
    domain::time,
    gateway::{GatewayError, MethodKind},
    services::{
        Caller, Deps, Field, Invalid, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        auto_pay,
    },
};

use super::{MethodOnFile, customers, describe, setting_of};

/// What the browser needs to collect a card or a bank account with the gateway.
pub struct Setup {
    pub gateway: &'static str,
    pub client_secret: String,
    pub publishable_key: Option<String>,
}

/// Starts saving a payment method for off-session use (Auto Pay) on the account's customer.
pub async fn begin_setup(deps: &Deps, caller: &Caller) -> ServiceResult<Setup> {
    caller.require_office_manager()?;
    let account = accounts::get(deps, caller).await?;
    let customer = customers::ensure(deps, &account).await?;
    let key = format!("setup-{}-{}", account.id, uuid::Uuid::new_v4().simple());
    let client_secret = deps.gateway.begin_setup(&customer, &key).await?;
    Ok(Setup { gateway: deps.gateway.name(), client_secret, publishable_key: deps.gateway.publishable_key() })
}

/// Puts a gateway payment method on file for the caller's account; with `use_for_auto_pay`, Auto
/// Pay charges it from now on.
pub async fn add(
    deps: &Deps,
    caller: &Caller,
    gateway_method_id: &str,
    use_for_auto_pay: bool,
) -> ServiceResult<Invalid<MethodOnFile>> {
    caller.require_office_manager()?;
    let id = gateway_method_id.trim();
    if looks_like_a_card_number(id) {
        return Ok(Err(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::CardNumberRefused,
            "Card numbers are never sent to us: enter the card in the payment form, which gives a payment method id.",
        )]));
    }
    let not_found = || {
        Ok(Err(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::InvalidPaymentMethod,
            "The payment gateway does not know this payment method.",
        )]))
    };
    if !id.starts_with("pm_") || id.len() > 255 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return not_found();
    }
    let account = accounts::get(deps, caller).await?;
    let customer = customers::ensure(deps, &account).await?;
    let refused = |message: String| {
        Ok(Err(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::InvalidPaymentMethod,
            message,
        )]))
    };
    let details = match deps.gateway.payment_method(id).await {
        Ok(details) => details,
        Err(GatewayError::NotFound) => return not_found(),
        Err(GatewayError::Refused { message, .. }) => return refused(message),
        Err(error) => return Err(error.into()),
    };
    let details = match details.customer.as_deref() {
        Some(owner) if owner == customer => details,
        // Another customer's method is as unknown to this account as a missing one.
        Some(_) => return not_found(),
        // A card the bank declines on attaching says why.
        None => match deps.gateway.attach(&details.id, &customer).await {
            Ok(attached) => attached,
            Err(GatewayError::NotFound) => return not_found(),
            Err(GatewayError::Refused { message, .. }) => return refused(message),
            Err(error) => return Err(error.into()),
        },
    };
    let now = deps.now();
    let txn = deps.begin().await?;
    let inserted = payment_method::ActiveModel {
        account_id: Set(account.id),
        gateway: Set(deps.gateway.name().to_string()),
        gateway_id: Set(details.id.clone()),
        kind: Set(match details.kind {
            MethodKind::Card => payment_method::Kind::Card,
            MethodKind::BankAccount => payment_method::Kind::BankAccount,
        }),
        brand: Set(details.brand.chars().take(32).collect()),
        last4: Set(details.last4.chars().take(4).collect()),
        exp_month: Set(details.exp_month),
        exp_year: Set(details.exp_year),
        created_at: Set(now),
        removed_at: Set(None),
        expiry_notice_for: Set(None),
        expired_notice_for: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let method = match inserted {
        Ok(method) => {
            let summary = format!("Added {}", describe(&method));
            activity::record(
                &txn,
                account.id,
                Some(caller.user_id),
                Action::PaymentMethodAdded,
                summary,
                now,
            )
            .await?;
            txn.commit().await?;
            method
        }
        // Added twice (the same attached method): the one on file stands.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            payment_method::Entity::find()
                .filter(payment_method::Column::AccountId.eq(account.id))
                .filter(payment_method::Column::GatewayId.eq(details.id.as_str()))
                .filter(payment_method::Column::RemovedAt.is_null())
                .one(&deps.db)
                .await?
                .ok_or(ServiceError::NotFound)?
        }
        Err(error) => return Err(error.into()),
    };
    if use_for_auto_pay {
        auto_pay::turn_on(deps, Some(caller.user_id), account.id, &method).await?;
    }
    tracing::info!(account_id = account.id, payment_method_id = method.id, "payment method added");
    let setting = setting_of(deps, caller).await?;
    Ok(Ok(MethodOnFile::new(method, &setting, time::today_in(&account.time_zone, now))))
}

/// Removes a method from the account (and from the gateway's customer). The method Auto Pay
/// charges cannot go while Auto Pay is on.
pub async fn remove(deps: &Deps, caller: &Caller, method_id: i64) -> ServiceResult<Invalid<i64>> {
    caller.require_office_manager()?;
    let method = payment_method::Entity::find_by_id(method_id)
        .filter(payment_method::Column::AccountId.eq(caller.account_id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = deps.now();
    let txn = deps.begin().await?;
    // Under the setting's lock, which turning Auto Pay on takes too: Auto Pay never ends up on with
    // a method removed meanwhile.
    let setting = auto_pay_setting::Entity::find_by_id(caller.account_id).lock_exclusive().one(&txn).await?;
    if setting.is_some_and(|s| s.enabled && s.payment_method_id == Some(method.id)) {
        return Ok(Err(vec![UserError::new(
            Field::PaymentMethod,
            UserErrorCode::AutoPayMethod,
            "Auto Pay charges this method: choose another one for Auto Pay, or turn Auto Pay off, first.",
        )]));
    }
    let removed = payment_method::Entity::update_many()
        .col_expr(payment_method::Column::RemovedAt, now.into())
        .filter(payment_method::Column::Id.eq(method.id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .exec(&txn)
        .await?;
    if removed.rows_affected == 1 {
        let summary = format!("Removed {}", describe(&method));
        activity::record(
            &txn,
            caller.account_id,
            Some(caller.user_id),
            Action::PaymentMethodRemoved,
            summary,
            now,
        )
        .await?;
    }
    txn.commit().await?;
    // Off file here first; the gateway's customer lets go of it after.
    match deps.gateway.detach(&method.gateway_id).await {
        Ok(()) | Err(GatewayError::NotFound) => {}
        Err(error) => {
            tracing::warn!(payment_method_id = method.id, %error, "detaching at the gateway failed")
        }
    }
    tracing::info!(account_id = caller.account_id, payment_method_id = method.id, "payment method removed");
    Ok(Ok(method.id))
}

/// Writes the account's Auto Pay setting.
pub(crate) async fn set_auto_pay(
    db: &impl ConnectionTrait,
    account_id: i64,
    enabled: bool,
    payment_method_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
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
    Ok(())
}

/// A run of 12 or more digits, perhaps grouped by spaces or dashes: a card number typed (or
/// smuggled) where an id belongs. It is refused, and never logged. Gateway ids are letters and
/// digits mixed.
fn looks_like_a_card_number(input: &str) -> bool {
    let mut run = 0;
    for c in input.chars().filter(|c| *c != ' ' && *c != '-') {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 12 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn card_numbers_are_recognised_however_they_are_typed() {
        for number in ["4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "378282246310005"] {
            assert!(super::looks_like_a_card_number(number), "{number}");
        }
        assert!(super::looks_like_a_card_number("pm_4242424242424242"), "smuggled in an id");
        for other in ["pm_card_visa", "1234", "pm_1QxK2vLkdIwHu7ix8a9b0c1D"] {
            assert!(!super::looks_like_a_card_number(other), "{other}");
        }
    }
}
