//! The one place a payment's status moves, whoever learnt the news (the gateway's answer, a
//! webhook, reconciliation). A status only moves forward, `succeeded` is final, and the ledger is
//! credited in the same transaction as the move to `succeeded`, so exactly once.

use chrono::{DateTime, Duration, Utc};
use entity::{account, ledger_entry, payment, payment_method, user};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set};

use crate::{
    domain::time,
    gateway::{ChargeOutcome, Decline, GatewayError},
    mail::templates,
    services::{
        Deps, ServiceError, ServiceResult, accounts, auto_pay,
        billing::ledger::{self, NewEntry},
        notifications::{self, Except},
    },
};

use super::describe;

/// How long a payment may wait for the customer's 3-D Secure before it is canceled, so that an
/// abandoned authentication never holds the account's one payment in progress.
pub const REQUIRES_ACTION_LIFETIME: Duration = Duration::minutes(30);
/// When to ask the gateway about a payment whose outcome we do not know (the first time).
pub const FIRST_CHECK: Duration = Duration::minutes(1);

/// A payment about to be charged.
pub struct NewPayment {
    pub account_id: i64,
    pub currency: entity::Currency,
    pub method_id: i64,
    pub amount_minor: i64,
    pub origin: payment::Origin,
    /// The client's key and a digest of its request (manual payments only).
    pub idempotency: Option<(String, String)>,
    /// The oldest invoice it pays.
    pub invoice_id: Option<i64>,
    /// Who paid; none for Auto Pay.
    pub payer: Option<i64>,
    pub payer_name: Option<String>,
}

impl NewPayment {
    /// The row, `processing`, written before the gateway is asked: should this process die before
    /// it records the gateway's answer, reconciliation asks.
    pub fn row(self, gateway: &str, now: DateTime<Utc>) -> payment::ActiveModel {
        let (key, fingerprint) = self.idempotency.unzip();
        payment::ActiveModel {
            account_id: Set(self.account_id),
            payment_method_id: Set(Some(self.method_id)),
            amount_minor: Set(self.amount_minor),
            currency: Set(self.currency),
            status: Set(payment::Status::Processing),
            origin: Set(self.origin),
            idempotency_key: Set(key),
            request_fingerprint: Set(fingerprint),
            gateway_reference: Set(None),
            failure_code: Set(None),
            failure_message: Set(None),
            failure_advice: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            succeeded_at: Set(None),
            invoice_id: Set(self.invoice_id),
            payer_user_id: Set(self.payer),
            payer_name: Set(self.payer_name),
            gateway: Set(Some(gateway.to_string())),
            client_secret: Set(None),
            refunded_minor: Set(0),
            next_check_at: Set(Some(now + FIRST_CHECK)),
            check_attempts: Set(0),
            ..Default::default()
        }
    }
}

/// What a charge request came to. A refusal the gateway is sure of (a method it no longer holds, a
/// request it rejects) is a failed payment; anything else that went wrong leaves the outcome
/// unknown, for reconciliation to ask about.
pub fn outcome_of(payment_id: i64, result: Result<ChargeOutcome, GatewayError>) -> ChargeOutcome {
    match result {
        Ok(outcome) => outcome,
        // Not a decline: a request the gateway rejects (Stripe's `invalid_request_error`). Its
        // text is for us, not for the customer, who is told it plainly.
        Err(GatewayError::Refused { code, message }) => {
            tracing::warn!(payment_id, gateway_code = %code, gateway_message = %message, "the gateway refused the charge");
            ChargeOutcome::Declined(Decline {
                reference: None,
                code: "processing_error".into(),
                decline_code: None,
                advice_code: None,
                message: "The payment could not be processed. Try again, or use another payment method."
                    .into(),
            })
        }
        Err(GatewayError::NotFound) => ChargeOutcome::Declined(Decline {
            reference: None,
            code: "resource_missing".into(),
            decline_code: None,
            advice_code: None,
            message: "The payment gateway no longer holds this payment method.".into(),
        }),
        Err(error) => {
            tracing::warn!(payment_id, %error, "the charge's outcome is unknown; reconciliation will ask");
            ChargeOutcome::Unknown
        }
    }
}

/// Applies `outcome` to the payment in a transaction of its own.
pub async fn apply(deps: &Deps, payment_id: i64, outcome: &ChargeOutcome) -> ServiceResult<payment::Model> {
    let txn = deps.begin().await?;
    let payment = lock(&txn, payment_id).await?;
    let before = payment.status;
    let payment = apply_in(deps, &txn, payment, outcome).await?;
    txn.commit().await?;
    deps.outbox.wake();
    counted(before, &payment);
    Ok(payment)
}

/// Counts a payment that moved to a new status (`payments_total{status, gateway}`), once its
/// transaction has committed.
pub(crate) fn counted(before: payment::Status, payment: &payment::Model) {
    use sea_orm::ActiveEnum;
    if payment.status != before {
        let gateway = payment.gateway.clone().unwrap_or_else(|| "none".into());
        metrics::counter!("payments_total", "status" => payment.status.to_value(), "gateway" => gateway)
            .increment(1);
    }
}

/// The payment, locked until `txn` ends (`FOR UPDATE` on PostgreSQL; SQLite has one writer).
/// Its account is locked first, in the order every writer of payments and the ledger takes them
/// (`make` stores a payment under the account's lock): the other order deadlocks.
pub async fn lock(txn: &DatabaseTransaction, payment_id: i64) -> ServiceResult<payment::Model> {
    let payment = payment::Entity::find_by_id(payment_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    account::Entity::find_by_id(payment.account_id).lock_exclusive().one(txn).await?;
    payment::Entity::find_by_id(payment_id).lock_exclusive().one(txn).await?.ok_or(ServiceError::NotFound)
}

/// Applies `outcome` to `payment` (locked in `txn`): moves it forward if that is a move forward,
/// with its effects (the ledger, the receipt), and answers the payment as it now is.
pub async fn apply_in(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: payment::Model,
    outcome: &ChargeOutcome,
) -> ServiceResult<payment::Model> {
    use payment::Status::*;
    let now = deps.now();
    let from = payment.status;
    let mut update: payment::ActiveModel = payment.clone().into();
    update.updated_at = Set(now);
    match outcome {
        ChargeOutcome::Succeeded { reference } if from != Succeeded => {
            update.status = Set(Succeeded);
            update.gateway_reference = Set(Some(reference.clone()));
            update.succeeded_at = Set(Some(now));
            update.client_secret = Set(None);
            update.next_check_at = Set(None);
            // A failure the gateway reported earlier is superseded: the money did move.
            update.failure_code = Set(None);
            update.failure_message = Set(None);
            update.failure_advice = Set(None);
            let payment = update.update(txn).await?;
            credit(deps, txn, &payment, now).await?;
            tracing::info!(payment_id = payment.id, account_id = payment.account_id, "payment succeeded");
            Ok(payment)
        }
        ChargeOutcome::Declined(decline) if matches!(from, Processing | RequiresAction) => {
            update.status = Set(Failed);
            if let Some(reference) = &decline.reference {
                update.gateway_reference = Set(Some(reference.clone()));
            }
            update.failure_code = Set(Some(decline.failure_code().to_string()));
            update.failure_advice = Set(decline.advice_code.clone());
            update.failure_message = Set(Some(decline.message.clone()));
            update.client_secret = Set(None);
            update.next_check_at = Set(None);
            let payment = update.update(txn).await?;
            tracing::info!(payment_id = payment.id, code = decline.failure_code(), "payment failed");
            let auto_pay = payment.origin == payment::Origin::AutoPay;
            if auto_pay {
                auto_pay::after_failure(deps, txn, &payment).await?;
            }
            // Office managers already have Auto Pay's own notice.
            let except = Except { user: None, office_managers: auto_pay };
            notifications::payment_failed(deps, txn, &payment, except).await?;
            Ok(payment)
        }
        ChargeOutcome::Canceled { reference } if matches!(from, Processing | RequiresAction) => {
            update.status = Set(Canceled);
            update.gateway_reference = Set(Some(reference.clone()));
            update.client_secret = Set(None);
            update.next_check_at = Set(None);
            Ok(update.update(txn).await?)
        }
        ChargeOutcome::RequiresAction { reference, client_secret } if from == Processing => {
            update.status = Set(RequiresAction);
            update.gateway_reference = Set(Some(reference.clone()));
            update.client_secret = Set(Some(client_secret.clone()));
            // Reconciliation cancels it if the customer has not finished by then.
            update.next_check_at = Set(Some(payment.created_at + REQUIRES_ACTION_LIFETIME));
            Ok(update.update(txn).await?)
        }
        ChargeOutcome::Processing { reference } if matches!(from, Processing | RequiresAction) => {
            update.status = Set(Processing);
            update.gateway_reference = Set(Some(reference.clone()));
            update.client_secret = Set(None);
            // The gateway will say by webhook; reconciliation asks now and then in case it does not.
            update.next_check_at = Set(Some(now + Duration::hours(1)));
            Ok(update.update(txn).await?)
        }
        // Ask again soon, unless reconciliation has already set when (its backoff stands).
        ChargeOutcome::Unknown if from == Processing => {
            if payment.next_check_at.is_none_or(|at| at <= now) {
                update.next_check_at = Set(Some(now + FIRST_CHECK));
            }
            Ok(update.update(txn).await?)
        }
        // Not a move forward: a late or repeated message about a payment that has moved on.
        _ => Ok(payment),
    }
}

/// The ledger entry of a payment that succeeded, and the payer's receipt.
async fn credit(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let method = match payment.payment_method_id {
        Some(id) => payment_method::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    let described = method.as_ref().map(describe);
    let origin = match payment.origin {
        payment::Origin::AutoPay => " (Auto Pay)",
        payment::Origin::Manual => "",
    };
    let description = match &described {
        Some(method) => format!("Payment by {method}{origin}"),
        None => format!("Payment{origin}"),
    };
    let entry = ledger::append(
        txn,
        NewEntry {
            account_id: payment.account_id,
            kind: ledger_entry::Kind::Payment,
            amount_minor: -payment.amount_minor,
            currency: payment.currency,
            description,
            invoice_id: payment.invoice_id,
            payment_id: Some(payment.id),
            occurred_at: now,
        },
    )
    .await?;
    if let Some(payer) = payment.payer_user_id {
        send_receipt(deps, txn, payment, payer, described.as_deref(), now).await?;
    }
    // The payer has their receipt.
    let except = Except { user: payment.payer_user_id, office_managers: false };
    notifications::posted(deps, txn, &entry, payment.origin == payment::Origin::AutoPay, except).await?;
    Ok(())
}

async fn send_receipt(
    deps: &Deps,
    db: &impl ConnectionTrait,
    payment: &payment::Model,
    payer: i64,
    method: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Some(user) = user::Entity::find_by_id(payer).one(db).await? else { return Ok(()) };
    // Shown in the payer's time zone (their own, or the account's).
    let Some(account) = account::Entity::find_by_id(payment.account_id).one(db).await? else { return Ok(()) };
    let paid_at = time::local_stamp(now, accounts::time_zone_of(&user, &account));
    let amount = crate::domain::money::Money::new(payment.amount_minor, payment.currency);
    let email = templates::receipt(&templates::Receipt {
        to: &user.email,
        name: &user.name,
        amount: &format!("{} {}", amount.to_decimal(), payment.currency.code()),
        method: method.unwrap_or("your payment method"),
        reference: payment.gateway_reference.as_deref().unwrap_or_default(),
        paid_at: &paid_at,
        public_url: &deps.settings.public_url,
    });
    deps.outbox.enqueue(db, email, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_that_is_not_a_decline_tells_the_customer_plainly() {
        let refused = GatewayError::Refused {
            code: "parameter_unknown".into(),
            message: "Unexpected allowed_payment_method_types".into(),
        };
        let ChargeOutcome::Declined(decline) = outcome_of(7, Err(refused)) else {
            panic!("a failed payment")
        };
        assert_eq!(decline.failure_code(), "processing_error");
        assert!(!decline.message.contains("allowed_payment_method_types"), "{}", decline.message);
    }
}
