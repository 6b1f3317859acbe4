//! `makePayment`: any user of an account pays all or part of what it owes.
//!
//! Never twice: the payment row is stored before the gateway is asked, under the caller's
//! idempotency key (a repeat returns the same payment) and under the database's rule of one payment
//! in progress per account; only the request that stored it asks the gateway, with an idempotency
//! key derived from the row.

use entity::{account, payment, payment_method, user};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, SqlErr};
use serde_json::json;

use crate::{
    domain::{
        card,
        idempotency::{self, IdempotencyKey, MAX_KEY_CHARS},
        money::Money,
        time,
    },
    gateway::ChargeRequest,
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        billing,
    },
};

use super::{
    customers, describe, methods,
    settle::{self, NewPayment},
};

pub struct PaymentRequest {
    pub amount: Decimal,
    pub payment_method_id: i64,
    /// The client's: the same key with the same request returns the same payment.
    pub idempotency_key: String,
    /// "Use for Auto Pay" (carried out by `auto_pay::pay`, above): part of what the client asked,
    /// so the same key with the other choice is another request.
    pub use_for_auto_pay: bool,
}

/// A payment made, or found again by its key.
pub struct Made {
    pub payment: payment::Model,
    /// Stored by this request (not a repeat of an earlier one).
    pub new: bool,
}

/// The gateway's idempotency key for a payment row: a retry of the same request (after a timeout,
/// by reconciliation) can never make a second charge.
pub fn gateway_key(payment_id: i64) -> String {
    format!("payment-{payment_id}")
}

pub async fn make_payment(deps: &Deps, caller: &Caller, request: &PaymentRequest) -> ServiceResult<Made> {
    let Some(key) = IdempotencyKey::parse(&request.idempotency_key) else {
        return Err(UserError::new(
            Field::IdempotencyKey,
            UserErrorCode::InvalidIdempotencyKey,
            Text::new("idempotency-key-invalid").arg("max", MAX_KEY_CHARS),
        )
        .into());
    };
    let key = key.as_str();
    // What the request asks, normalised: the same key with other values is another request.
    let fingerprint = idempotency::fingerprint(&json!([
        request.amount.normalize().to_string(),
        request.payment_method_id,
        request.use_for_auto_pay
    ]));
    if let Some(known) = by_key(&deps.db, caller.account_id, key).await? {
        return replay(known, &fingerprint).map(|payment| Made { payment, new: false });
    }
    let account = accounts::get(deps, caller).await?;
    let method = methods::get_on_file(&deps.db, account.id, request.payment_method_id).await?;
    let now = deps.now();
    if card::is_expired(method.exp_year, method.exp_month, time::today_in(&account.time_zone, now)) {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::PaymentMethod,
            UserErrorCode::PaymentMethodExpired,
            Text::new("card-expired"),
        )]));
    }
    let amount = match Money::from_decimal(request.amount, account.currency) {
        Some(amount) if amount.minor > 0 => amount,
        _ => {
            return Err(ServiceError::Refused(vec![UserError::new(
                Field::Amount,
                UserErrorCode::InvalidAmount,
                Text::new("amount-invalid").arg("decimals", account.currency.minor_digits()),
            )]));
        }
    };
    let customer = customers::ensure(deps, &account).await?;

    let payment = match store(deps, caller, &account, &method, amount.minor, key, &fingerprint).await? {
        Stored::New(payment) => payment,
        Stored::Existing(payment) => return Ok(Made { payment, new: false }),
    };
    let charge = ChargeRequest {
        payment_id: payment.id,
        amount_minor: payment.amount_minor,
        currency: payment.currency,
        customer: &customer,
        method: &method.gateway_id,
        off_session: false,
        idempotency_key: &gateway_key(payment.id),
    };
    let outcome = settle::outcome_of(payment.id, deps.gateway.charge(charge).await);
    let payment = settle::apply(deps, payment.id, &outcome).await?;
    Ok(Made { payment, new: true })
}

enum Stored {
    New(payment::Model),
    /// The same request got there first: its payment, which that request charges.
    Existing(payment::Model),
}

/// Stores the payment, `processing`, after checking under the account's lock that it does not pay
/// more than is owed. The database refuses a second payment in progress and a second use of a key.
async fn store(
    deps: &Deps,
    caller: &Caller,
    account: &account::Model,
    method: &payment_method::Model,
    amount_minor: i64,
    key: &str,
    fingerprint: &str,
) -> ServiceResult<Stored> {
    let now = deps.now();
    let txn = deps.begin().await?;
    // The ledger's lock: a payment succeeding meanwhile cannot make this one pay more than is owed.
    account::Entity::find_by_id(account.id).lock_exclusive().one(&txn).await?;
    // The same request may have been stored and settled while this one waited for the lock.
    if let Some(known) = by_key(&txn, account.id, key).await? {
        return replay(known, fingerprint).map(Stored::Existing);
    }
    let standing = billing::standing_of(&txn, account.id, now).await?;
    if amount_minor > standing.balance_minor {
        let owed = Money::new(standing.balance_minor.max(0), account.currency);
        // The refusal drops `txn`: nothing was written.
        return Err(UserError::new(
            Field::Amount,
            UserErrorCode::AmountExceedsBalance,
            Text::new("amount-exceeds-balance").arg("owed", owed),
        )
        .into());
    }
    let inserted = NewPayment {
        account_id: account.id,
        currency: account.currency,
        method_id: method.id,
        amount_minor,
        origin: payment::Origin::Manual,
        idempotency: Some((key.to_string(), fingerprint.to_string())),
        invoice_id: standing.unpaid().next().map(|invoice| invoice.id),
        payer: Some(caller.user_id),
        payer_name: user::Entity::find_by_id(caller.user_id).one(&txn).await?.map(|payer| payer.name),
    }
    .row(deps.gateway.name(), now)
    .insert(&txn)
    .await;
    match inserted {
        Ok(payment) => {
            let amount = Money::new(amount_minor, account.currency).to_decimal();
            let summary = format!("Paid {amount} {} by {}", account.currency.code(), describe(method));
            activity::record(&txn, account.id, Some(caller.user_id), Action::PaymentMade, summary, now)
                .await?;
            txn.commit().await?;
            Ok(Stored::New(payment))
        }
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            // The same key from a request that got there first, or another payment in progress.
            match by_key(&deps.db, account.id, key).await? {
                Some(known) => replay(known, fingerprint).map(Stored::Existing),
                None => Err(UserError::new(
                    Field::Amount,
                    UserErrorCode::PaymentInProgress,
                    Text::new("payment-in-progress"),
                )
                .into()),
            }
        }
        Err(error) => Err(error.into()),
    }
}

async fn by_key(
    db: &impl sea_orm::ConnectionTrait,
    account_id: i64,
    key: &str,
) -> ServiceResult<Option<payment::Model>> {
    Ok(payment::Entity::find()
        .filter(payment::Column::AccountId.eq(account_id))
        .filter(payment::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// A repeat of a request: the same payment, or a refusal when the key came with another request.
fn replay(known: payment::Model, fingerprint: &str) -> ServiceResult<payment::Model> {
    if known.request_fingerprint.as_deref() == Some(fingerprint) {
        return Ok(known);
    }
    Err(UserError::new(
        Field::IdempotencyKey,
        UserErrorCode::IdempotencyKeyReused,
        Text::new("idempotency-key-reused"),
    )
    .into())
}
