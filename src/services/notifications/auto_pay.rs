//! What Auto Pay tells the office managers (and, when a charge failed, the billing contacts): a
//! charge that failed and what happens next, its card about to expire or expired, and Auto Pay
//! turned off because the gateway removed its card.

use entity::{payment, payment_method};
use sea_orm::DatabaseTransaction;

use crate::{
    domain::{auto_pay::is_final_decline, card, money::Money},
    services::{Deps, ServiceResult},
};

/// Where the Auto Pay card stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardExpiry {
    /// Expires within 30 days.
    Soon,
    Expired,
}

/// The Auto Pay card expires at the end of `expiry` (`YYYY-MM`), or has.
pub async fn auto_pay_card(
    deps: &Deps,
    txn: &DatabaseTransaction,
    method: &payment_method::Model,
    expiry: &str,
    state: CardExpiry,
) -> ServiceResult<()> {
    let portal = &deps.settings.public_url;
    let (subject, body) = match state {
        CardExpiry::Expired => (
            "Your Auto Pay card has expired",
            format!(
                "{} expired at the end of {expiry}. Auto Pay will not charge it: add a new card and choose it for \
                 Auto Pay in the Billing Portal ({portal}).",
                card::describe(&method.brand, &method.last4),
            ),
        ),
        CardExpiry::Soon => (
            "Your Auto Pay card expires soon",
            format!(
                "{} expires at the end of {expiry}. To keep Auto Pay paying your bills, add the new card in the \
                 Billing Portal ({portal}) and choose it for Auto Pay.",
                card::describe(&method.brand, &method.last4),
            ),
        ),
    };
    super::to_office_managers(deps, txn, method.account_id, false, subject, &body).await
}

/// Auto Pay turned off: the gateway removed the method it charged.
pub async fn auto_pay_off(
    deps: &Deps,
    txn: &DatabaseTransaction,
    method: &payment_method::Model,
) -> ServiceResult<()> {
    let body = format!(
        "Auto Pay has been turned off: {} was removed by the payment gateway. Add a payment method and turn \
         Auto Pay on again so that your next invoice is paid on time.",
        card::describe(&method.brand, &method.last4)
    );
    super::to_office_managers(deps, txn, method.account_id, false, "Auto Pay is off", &body).await
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
