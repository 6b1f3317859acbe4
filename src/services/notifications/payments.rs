//! What a payment's people are told when it settles: the payer's receipt, and Auto Pay's notice
//! when its charge failed. Queued in the transaction that settled the payment, which happens once.

use entity::{account, payment, user};
use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::{
    domain::{auto_pay::is_final_decline, money::Money, time},
    mail::templates,
    services::{Deps, ServiceResult, accounts},
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
    let paid_at = time::local_stamp(now, accounts::time_zone_of(&user, &account));
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

/// An Auto Pay charge failed: the office managers and billing contacts hear what happened and what
/// to do.
pub async fn auto_pay_failed(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
) -> ServiceResult<()> {
    let amount = Money::new(payment.amount_minor, payment.currency);
    let reason = payment.failure_message.as_deref().unwrap_or("The payment was declined.");
    let pay_link = format!("{}/pay", deps.settings.public_url);
    let (subject, body) = match payment.failure_code.as_deref() {
        Some("authentication_required") => (
            "Auto Pay needs you to confirm a payment",
            format!(
                "Auto Pay could not charge {} {}: your bank asks you to confirm this payment yourself. Auto Pay \
                 will not try again for this bill. Please pay it in the Billing Portal: {pay_link}",
                amount.to_decimal(),
                amount.currency.code()
            ),
        ),
        code if is_final_decline(code, payment.failure_advice.as_deref()) => (
            "Auto Pay could not pay your bill",
            format!(
                "Auto Pay could not charge {} {}: {reason} It will not try this card again. Please pay in the \
                 Billing Portal, or choose another payment method for Auto Pay: {pay_link}",
                amount.to_decimal(),
                amount.currency.code()
            ),
        ),
        _ => (
            "Auto Pay could not pay your bill",
            format!(
                "Auto Pay could not charge {} {}: {reason} It will try again in a few days. To pay now, or to \
                 choose another payment method, use the Billing Portal: {pay_link}",
                amount.to_decimal(),
                amount.currency.code()
            ),
        ),
    };
    super::to_office_managers(deps, txn, payment.account_id, true, subject, &body).await
}
