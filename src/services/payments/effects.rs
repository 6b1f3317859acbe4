//! What a payment's transition causes, carried out in one place: the ledger entry and the payer's
//! receipt when the money moved, the billing notifications and Auto Pay's notice when it did not,
//! in the transaction that made the transition (so once each, however often the news came); then,
//! once that transaction has committed, what may only happen after it (metrics, waking the email
//! sender). Live updates are published here too, in the transaction (delivered once it commits).
//! A new consumer of payment transitions (an outbound webhook) is added here.

use entity::{ledger_entry, payment, payment_method};
use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::{
    i18n::Text,
    services::{
        Deps, ServiceResult,
        billing::ledger::{self, NewEntry},
        notifications::{self, Except},
    },
    updates::Update,
};

use super::transition::{Settled, Transition};

/// In the transaction that made `transition` of `payment` (as it now is).
pub async fn carry_out(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    transition: &Transition,
) -> ServiceResult<()> {
    if !transition.moved() {
        return Ok(());
    }
    // Its subscribers hear of it once the transaction commits.
    let update = Update::Payment { account_id: payment.account_id, payment_id: payment.id };
    deps.updates.publish(txn, update).await?;
    let auto_pay = payment.origin == payment::Origin::AutoPay;
    match transition.to {
        payment::Status::Succeeded => {
            tracing::info!(payment_id = payment.id, account_id = payment.account_id, "payment succeeded");
            credit(deps, txn, payment).await
        }
        payment::Status::Failed => {
            tracing::info!(payment_id = payment.id, code = ?payment.failure_code, "payment failed");
            if auto_pay {
                notifications::auto_pay_failed(deps, txn, payment).await?;
            }
            // Office managers already have Auto Pay's own notice.
            let except = Except { user: None, office_managers: auto_pay };
            notifications::payment_failed(deps, txn, payment, except).await
        }
        payment::Status::Processing | payment::Status::RequiresAction | payment::Status::Canceled => Ok(()),
    }
}

/// Once the transaction that settled a payment has committed.
pub fn committed(deps: &Deps, settled: &Settled) {
    use sea_orm::ActiveEnum;
    let Some(transition) = settled.transition.as_ref().filter(|t| t.moved()) else { return };
    // Receipts and notices queued by the transition leave now.
    deps.outbox.wake();
    let gateway = settled.payment.gateway.clone().unwrap_or_else(|| "none".into());
    metrics::counter!("payments_total", "status" => transition.to.to_value(), "gateway" => gateway)
        .increment(1);
}

/// The ledger entry of a payment that succeeded, the payer's receipt, and everyone else's notice.
async fn credit(deps: &Deps, txn: &DatabaseTransaction, payment: &payment::Model) -> ServiceResult<()> {
    let now = deps.now();
    let method = match payment.payment_method_id {
        Some(id) => payment_method::Entity::find_by_id(id).one(txn).await?,
        None => None,
    };
    let auto_pay = if payment.origin == payment::Origin::AutoPay { "yes" } else { "no" };
    let description = match &method {
        Some(method) => Text::new("ledger-payment-by").arg("method", notifications::card(method)),
        None => Text::new("ledger-payment"),
    }
    .arg("auto-pay", auto_pay);
    let entry = ledger::append(
        &deps.updates,
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
        notifications::receipt(deps, txn, payment, payer, method.as_ref()).await?;
    }
    // The payer has their receipt.
    let except = Except { user: payment.payer_user_id, office_managers: false };
    notifications::posted(deps, txn, &entry, payment.origin == payment::Origin::AutoPay, except).await
}
