//! What a payment's people are told: the payer's receipt when it settles, the office managers when
//! it is disputed. Queued in the transaction that made the change, which happens once.

use entity::{account, payment, user};
use sea_orm::{DatabaseTransaction, EntityTrait};

use super::templates;
use crate::{
    domain::{money::Money, time},
    services::{Deps, ServiceResult},
};

/// The payer's receipt for a payment that succeeded, paid with `method` (as a person reads it).
pub async fn receipt(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    payer: i64,
    method: Option<&str>,
) -> ServiceResult<()> {
    let Some(user) = user::Entity::find_by_id(payer).one(txn).await? else { return Ok(()) };
    // Shown in the payer's time zone (their own, or the account's).
    let Some(account) = account::Entity::find_by_id(payment.account_id).one(txn).await? else {
        return Ok(());
    };
    let now = deps.now();
    let paid_at = time::local_stamp(now, time::zone_of(user.time_zone.as_deref(), &account.time_zone));
    let amount = Money::new(payment.amount_minor, payment.currency);
    let email = templates::receipt(&templates::Receipt {
        to: &user.email,
        name: &user.name,
        amount: &format!("{} {}", amount.to_decimal(), payment.currency.code()),
        method: method.unwrap_or("your payment method"),
        reference: payment.gateway_reference.as_deref().unwrap_or_default(),
        paid_at: &paid_at,
        public_url: &deps.settings.public_url,
    });
    deps.outbox.enqueue(txn, email, now).await?;
    Ok(())
}

/// The payer's bank disputes a payment: the office managers hear of it.
pub async fn payment_disputed(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    amount_minor: i64,
    reason: &str,
) -> ServiceResult<()> {
    let amount = Money::new(amount_minor, payment.currency).to_decimal();
    let body = format!(
        "Your bank has disputed a payment of {amount} {} (reason: {reason}). The carrier's billing team \
         will be in touch; nothing is needed from you yet.",
        payment.currency.code()
    );
    super::to_office_managers(deps, txn, payment.account_id, false, "A payment was disputed", &body).await
}
