//! The one place a payment's status moves, whoever learnt the news (the gateway's answer, a
//! webhook, reconciliation): the news decides a `Transition` (`transition::decide`, which reads and
//! writes nothing), this writes it, and `effects` carries out what it causes in the same
//! transaction. A status only moves
//! forward and `succeeded` is final, so the ledger, credited with the move to `succeeded`, is
//! credited exactly once.

use chrono::{DateTime, Duration, Utc};
use entity::{account, payment};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set};

use crate::{
    gateway::{ChargeOutcome, Decline, GatewayError},
    services::{Deps, ServiceError, ServiceResult},
};

use super::{
    effects,
    transition::{Settled, Transition, Why, decide},
};

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
            tracing::warn!(payment_id, error = %crate::telemetry::chain(&error), "the charge's outcome is unknown; reconciliation will ask");
            ChargeOutcome::Unknown
        }
    }
}

/// The payment's row once `transition` is made at `now`.
fn updated(payment: &payment::Model, transition: &Transition, now: DateTime<Utc>) -> payment::ActiveModel {
    let mut row: payment::ActiveModel = payment.clone().into();
    row.status = Set(transition.to);
    row.updated_at = Set(now);
    if transition.to != payment::Status::RequiresAction {
        row.client_secret = Set(None);
    }
    match &transition.why {
        Why::Charged { reference } => {
            row.gateway_reference = Set(Some(reference.clone()));
            row.succeeded_at = Set(Some(now));
            row.next_check_at = Set(None);
            // A failure the gateway reported earlier is superseded: the money did move.
            row.failure_code = Set(None);
            row.failure_message = Set(None);
            row.failure_advice = Set(None);
        }
        Why::Declined(decline) => {
            if let Some(reference) = &decline.reference {
                row.gateway_reference = Set(Some(reference.clone()));
            }
            row.failure_code = Set(Some(decline.failure_code().to_string()));
            row.failure_advice = Set(decline.advice_code.clone());
            row.failure_message = Set(Some(decline.message.clone()));
            row.next_check_at = Set(None);
        }
        Why::Canceled { reference } => {
            row.gateway_reference = Set(Some(reference.clone()));
            row.next_check_at = Set(None);
        }
        Why::NeedsAuthentication { reference, client_secret } => {
            row.gateway_reference = Set(Some(reference.clone()));
            row.client_secret = Set(Some(client_secret.clone()));
            // Reconciliation cancels it if the customer has not finished by then.
            row.next_check_at = Set(Some(payment.created_at + REQUIRES_ACTION_LIFETIME));
        }
        Why::Accepted { reference } => {
            row.gateway_reference = Set(Some(reference.clone()));
            // The gateway will say by webhook; reconciliation asks now and then in case it does not.
            row.next_check_at = Set(Some(now + Duration::hours(1)));
        }
        // Ask again soon, unless reconciliation has already set when (its backoff stands).
        Why::Unknown => {
            if payment.next_check_at.is_none_or(|at| at <= now) {
                row.next_check_at = Set(Some(now + FIRST_CHECK));
            }
        }
    }
    row
}

/// Applies `outcome` to the payment in a transaction of its own.
pub async fn apply(deps: &Deps, payment_id: i64, outcome: &ChargeOutcome) -> ServiceResult<payment::Model> {
    let txn = deps.begin().await?;
    let payment = lock(&txn, payment_id).await?;
    let settled = apply_in(deps, &txn, payment, outcome).await?;
    txn.commit().await?;
    effects::committed(deps, &settled);
    Ok(settled.payment)
}

/// The payment, locked until `txn` ends (`FOR UPDATE` on PostgreSQL; SQLite has one writer).
/// Its account is locked first, in the order every writer of payments and the ledger takes them
/// (`make` stores a payment under the account's lock): the other order deadlocks.
pub async fn lock(txn: &DatabaseTransaction, payment_id: i64) -> ServiceResult<payment::Model> {
    let payment = payment::Entity::find_by_id(payment_id).one(txn).await?.ok_or(ServiceError::NotFound)?;
    account::Entity::find_by_id(payment.account_id).lock_exclusive().one(txn).await?;
    payment::Entity::find_by_id(payment_id).lock_exclusive().one(txn).await?.ok_or(ServiceError::NotFound)
}

/// Applies `outcome` to `payment` (locked in `txn`): makes the transition it decides, with its
/// effects, in `txn`. The caller commits, then hands the answer to `effects::committed`.
pub async fn apply_in(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: payment::Model,
    outcome: &ChargeOutcome,
) -> ServiceResult<Settled> {
    let Some(transition) = decide(&payment, outcome) else {
        return Ok(Settled { payment, transition: None });
    };
    let payment = updated(&payment, &transition, deps.now()).update(txn).await?;
    effects::carry_out(deps, txn, &payment, &transition).await?;
    Ok(Settled { payment, transition: Some(transition) })
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
