//! The payment methods on file: saving one, the methods still on file, and taking one off file.
//! Card numbers never reach us: the browser hands the card to the gateway, which gives back a
//! payment method id; that id is all we accept. (What Auto Pay adds to this, choosing a method
//! for it and keeping its method on file, is `auto_pay::methods`.)

use chrono::{DateTime, Utc};
use entity::payment_method;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Select, Set, SqlErr,
};

use crate::{
    gateway::{GatewayError, MethodKind},
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        auth::reauthentication,
    },
    updates::{Update, Updates},
};

use super::{customers, describe};

/// The methods still on file: what every lookup of a method to charge or show starts from.
pub fn on_file() -> Select<payment_method::Entity> {
    payment_method::Entity::find().filter(payment_method::Column::RemovedAt.is_null())
}

/// One of the account's methods still on file; another account's is not found, like a missing one.
pub async fn get_on_file(
    db: &impl ConnectionTrait,
    account_id: i64,
    method_id: i64,
) -> ServiceResult<payment_method::Model> {
    on_file()
        .filter(payment_method::Column::Id.eq(method_id))
        .filter(payment_method::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The account's methods on file, oldest first.
pub async fn list(db: &impl ConnectionTrait, account_id: i64) -> ServiceResult<Vec<payment_method::Model>> {
    Ok(on_file()
        .filter(payment_method::Column::AccountId.eq(account_id))
        .order_by_asc(payment_method::Column::Id)
        .all(db)
        .await?)
}

/// The gateway that collects cards and bank accounts in the browser: its name and its
/// publishable key (made to be seen: it only lets a browser hand a card to the gateway).
pub struct Collector {
    pub gateway: &'static str,
    pub publishable_key: Option<String>,
}

pub fn collector(deps: &Deps) -> Collector {
    Collector { gateway: deps.gateway.name(), publishable_key: deps.gateway.publishable_key() }
}

/// What the browser needs to collect a card or a bank account with the gateway.
pub struct Setup {
    pub gateway: &'static str,
    pub client_secret: String,
    pub publishable_key: Option<String>,
}

/// Starts saving a payment method for off-session use (Auto Pay) on the account's customer.
pub async fn begin_setup(deps: &Deps, caller: &Caller) -> ServiceResult<Setup> {
    caller.require_office_manager()?;
    // Asked before the card form, not after it: nobody types a card to be refused.
    reauthentication::require_recent(deps, caller)?;
    let account = accounts::get(deps, caller).await?;
    let customer = customers::ensure(deps, &account).await?;
    let key = format!("setup-{}-{}", account.id, uuid::Uuid::new_v4().simple());
    let client_secret = deps.gateway.begin_setup(&customer, &key).await?;
    let Collector { gateway, publishable_key } = collector(deps);
    Ok(Setup { gateway, client_secret, publishable_key })
}

/// Puts a gateway payment method on file for the caller's account (added twice, the one on file
/// stands).
pub async fn add(
    deps: &Deps,
    caller: &Caller,
    gateway_method_id: &str,
) -> ServiceResult<payment_method::Model> {
    caller.require_office_manager()?;
    reauthentication::require_recent(deps, caller)?;
    let id = gateway_method_id.trim();
    if looks_like_a_card_number(id) {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::CardNumberRefused,
            Text::new("card-number-refused"),
        )]));
    }
    let not_found = || {
        Err(ServiceError::Refused(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::InvalidPaymentMethod,
            Text::new("payment-method-unknown"),
        )]))
    };
    if !id.starts_with("pm_") || id.len() > 255 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return not_found();
    }
    let account = accounts::get(deps, caller).await?;
    let customer = customers::ensure(deps, &account).await?;
    // The gateway's words in English; its code, in French.
    let refused = |code: String, message: String| {
        Err(ServiceError::Refused(vec![UserError::new(
            Field::GatewayPaymentMethodId,
            UserErrorCode::InvalidPaymentMethod,
            Text::new("payment-declined").arg("code", code).arg("message", message),
        )]))
    };
    let details = match deps.gateway.payment_method(id).await {
        Ok(details) => details,
        Err(GatewayError::NotFound) => return not_found(),
        Err(GatewayError::Refused { code, message }) => return refused(code, message),
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
            Err(GatewayError::Refused { code, message }) => return refused(code, message),
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
            deps.updates.publish(&txn, Update::Account { account_id: account.id }).await?;
            txn.commit().await?;
            method
        }
        // Added twice (the same attached method): the one on file stands.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            on_file()
                .filter(payment_method::Column::AccountId.eq(account.id))
                .filter(payment_method::Column::GatewayId.eq(details.id.as_str()))
                .one(&deps.db)
                .await?
                .ok_or(ServiceError::NotFound)?
        }
        Err(error) => return Err(error.into()),
    };
    tracing::info!(account_id = account.id, payment_method_id = method.id, "payment method added");
    Ok(method)
}

/// Takes `method` off file in `txn`, recorded as `actor`'s doing (none: the gateway's) with
/// `summary`; `false` when it already was (another request got there first).
pub async fn take_off_file(
    updates: &Updates,
    txn: &DatabaseTransaction,
    method: &payment_method::Model,
    actor: Option<i64>,
    summary: String,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let removed = payment_method::Entity::update_many()
        .col_expr(payment_method::Column::RemovedAt, now.into())
        .filter(payment_method::Column::Id.eq(method.id))
        .filter(payment_method::Column::RemovedAt.is_null())
        .exec(txn)
        .await?;
    if removed.rows_affected == 0 {
        return Ok(false);
    }
    activity::record(txn, method.account_id, actor, Action::PaymentMethodRemoved, summary, now).await?;
    updates.publish(txn, Update::Account { account_id: method.account_id }).await?;
    Ok(true)
}

/// Lets the gateway's customer go of a method taken off file (after its transaction commits: off
/// file here first). A failure is logged: the method is never charged again either way.
pub async fn detach_at_gateway(deps: &Deps, method: &payment_method::Model) {
    match deps.gateway.detach(&method.gateway_id).await {
        Ok(()) | Err(GatewayError::NotFound) => {}
        Err(error) => {
            tracing::warn!(payment_method_id = method.id, error = %crate::telemetry::chain(&error), "detaching at the gateway failed")
        }
    }
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
