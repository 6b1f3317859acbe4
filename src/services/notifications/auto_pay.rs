//! What Auto Pay tells the office managers (and, when a charge failed, the billing contacts): a
//! charge that failed and what happens next, its card about to expire or expired, and Auto Pay
//! turned off because the gateway removed its card.

use entity::{payment, payment_method};
use sea_orm::DatabaseTransaction;

use crate::{
    domain::{auto_pay::is_final_decline, money::Money},
    i18n::Text,
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
    let id = match state {
        CardExpiry::Expired => "auto-pay-card-expired",
        CardExpiry::Soon => "auto-pay-card-expires-soon",
    };
    let message = Text::new(id).arg("card", super::card(method)).arg("expiry", expiry).arg("url", portal);
    super::to_office_managers(deps, txn, method.account_id, false, &message, portal).await
}

/// Auto Pay turned off: the gateway removed the method it charged.
pub async fn auto_pay_off(
    deps: &Deps,
    txn: &DatabaseTransaction,
    method: &payment_method::Model,
) -> ServiceResult<()> {
    let message = Text::new("auto-pay-off").arg("card", super::card(method));
    super::to_office_managers(deps, txn, method.account_id, false, &message, &deps.settings.public_url).await
}

/// An Auto Pay charge failed: the office managers and billing contacts hear what happened and what
/// to do.
pub async fn auto_pay_failed(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
) -> ServiceResult<()> {
    let pay_link = format!("{}/pay", deps.settings.public_url);
    let id = match payment.failure_code.as_deref() {
        Some("authentication_required") => "auto-pay-needs-confirmation",
        code if is_final_decline(code, payment.failure_advice.as_deref()) => "auto-pay-declined-final",
        _ => "auto-pay-declined-retry",
    };
    let message = Text::new(id)
        .arg("amount", Money::new(payment.amount_minor, payment.currency))
        .arg("reason", super::decline_reason(payment))
        .arg("url", &pay_link);
    super::to_office_managers(deps, txn, payment.account_id, true, &message, &pay_link).await
}
