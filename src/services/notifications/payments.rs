//! What a payment's people are told: the payer's receipt when it settles, the office managers when
//! it is disputed. Queued in the transaction that made the change, which happens once.

use entity::{account, payment, payment_method, user};
use sea_orm::{DatabaseTransaction, EntityTrait};

use super::templates;
use crate::{
    domain::{locale, money::Money, time},
    i18n::{Arg, Text},
    services::{Deps, ServiceResult},
};

/// The payer's receipt for a payment that succeeded, paid with `method`.
pub async fn receipt(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    payer: i64,
    method: Option<&payment_method::Model>,
) -> ServiceResult<()> {
    let Some(user) = user::Entity::find_by_id(payer).one(txn).await? else { return Ok(()) };
    // Shown in the payer's time zone and language (their own, or the account's).
    let Some(account) = account::Entity::find_by_id(payment.account_id).one(txn).await? else {
        return Ok(());
    };
    let now = deps.now();
    let zone = time::zone_of(user.time_zone.as_deref(), &account.time_zone);
    let url = format!("{}/payments", deps.settings.public_url);
    let message = Text::new("receipt")
        .arg("amount", Money::new(payment.amount_minor, payment.currency))
        .arg("method", method.map_or_else(|| Text::new("receipt-unknown-method"), super::card))
        .arg("reference", payment.gateway_reference.as_deref().unwrap_or_default())
        .arg("paid-at", Arg::Moment(now, zone.to_owned()))
        .arg("url", &url);
    let locale = locale::of_user(user.locale, account.locale);
    let email = templates::compose(locale, &user.email, &user.name, &message, &[&url], None);
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
    let message = Text::new("payment-disputed")
        .arg("amount", Money::new(amount_minor, payment.currency))
        .arg("reason", reason);
    super::to_office_managers(deps, txn, payment.account_id, false, &message, &deps.settings.public_url).await
}
