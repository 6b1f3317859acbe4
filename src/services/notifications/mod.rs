//! The one place where what happens to an account's money becomes emails to its people: billing
//! notifications (an invoice, a payment, a credit, a refund posted, a payment that failed) to the
//! users who asked for them, each with amounts and dates as they read them (their time zone) and a
//! link into the portal; the payer's receipt and disputes (`payments`); Auto Pay's notices
//! (`auto_pay`); invitations and password resets (`access`). Called in the transaction that makes
//! the change, which happens once however often the event behind it is delivered: once per
//! transaction and recipient. Every word a customer reads in an email is in the catalogue
//! (`locales/*/emails.ftl`), in the reader's language (their own, or their account's).

mod access;
mod auto_pay;
mod payments;
mod security;
mod templates;

use chrono::{DateTime, Utc};
use entity::{account, billing_contact, invoice, ledger_entry, payment, payment_method, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::{
    domain::{card, locale, money::Money, time},
    i18n::{Arg, Locale, Text},
    services::{Deps, ServiceResult},
};

pub use access::{invitation, password_reset};
pub use auto_pay::{CardExpiry, auto_pay_card, auto_pay_failed, auto_pay_off};
pub use payments::{payment_disputed, receipt};
pub use security::{SecurityEvent, security_notice};

/// Who is left out, because they hear of it another way.
#[derive(Clone, Copy, Debug, Default)]
pub struct Except {
    /// The payer, who gets a receipt.
    pub user: Option<i64>,
    /// The office managers, who got Auto Pay's own notice.
    pub office_managers: bool,
}

/// `entry` was appended to the ledger.
pub async fn posted(
    deps: &Deps,
    txn: &DatabaseTransaction,
    entry: &ledger_entry::Model,
    auto_pay: bool,
    except: Except,
) -> ServiceResult<()> {
    let amount = Money::new(entry.amount_minor.abs(), entry.currency);
    let (message, path) = match entry.kind {
        ledger_entry::Kind::Invoice => {
            // Only an invoice's notice needs the invoice: one query saved for every payment.
            let invoice = match entry.invoice_id {
                Some(id) => invoice::Entity::find_by_id(id).one(txn).await?,
                None => None,
            };
            let Some(invoice) = invoice else { return Ok(()) };
            let message = Text::new("invoice-posted")
                .arg("number", &invoice.number)
                .arg("total", Money::new(invoice.total_minor, invoice.currency))
                .arg("due", invoice.due_on);
            (message, "invoices")
        }
        ledger_entry::Kind::Payment => (
            Text::new("payment-posted")
                .arg("description", &entry.description)
                .arg("amount", amount)
                .arg("auto-pay", if auto_pay { "yes" } else { "no" }),
            "payments",
        ),
        ledger_entry::Kind::Credit => (
            Text::new("credit-posted").arg("description", &entry.description).arg("amount", amount),
            "transactions",
        ),
        ledger_entry::Kind::Refund => (
            Text::new("refund-posted").arg("description", &entry.description).arg("amount", amount),
            "transactions",
        ),
    };
    send(deps, txn, entry.account_id, except, message, path, entry.occurred_at).await
}

/// A payment failed.
pub async fn payment_failed(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    except: Except,
) -> ServiceResult<()> {
    let message = Text::new("payment-failed")
        .arg("amount", Money::new(payment.amount_minor, payment.currency))
        .arg("reason", decline_reason(payment));
    send(deps, txn, payment.account_id, except, message, "payments", payment.created_at).await
}

/// How a person recognises `method`: "Visa ending 4242", "Visa se terminant par 4242".
pub fn card(method: &payment_method::Model) -> Text {
    Text::new("card").arg("brand", card::brand_name(&method.brand)).arg("last4", &method.last4)
}

/// Why the gateway refused `payment`, as its reader reads it.
fn decline_reason(payment: &payment::Model) -> Text {
    failure_reason(payment).unwrap_or_else(|| Text::new("payment-declined-unknown"))
}

/// Why the gateway refused `payment`, as its reader reads it: in English, the gateway's own words;
/// in French, what its code means. None unless it failed with a reason.
pub fn failure_reason(payment: &payment::Model) -> Option<Text> {
    let message = payment.failure_message.as_deref()?;
    let code = payment.failure_code.as_deref().unwrap_or_default();
    Some(Text::new("payment-declined").arg("code", code).arg("message", message))
}

/// One email per opted-in user of the account, in their language, with `$when` as they read time.
async fn send(
    deps: &Deps,
    txn: &DatabaseTransaction,
    account_id: i64,
    except: Except,
    message: Text,
    path: &str,
    when: DateTime<Utc>,
) -> ServiceResult<()> {
    let Some(account) = account::Entity::find_by_id(account_id).one(txn).await? else { return Ok(()) };
    let recipients = user::Entity::find()
        .filter(user::Column::AccountId.eq(account_id))
        .filter(user::Column::BillingNotifications.eq(true))
        .filter(user::Column::Status.ne(user::Status::Disabled))
        .all(txn)
        .await?;
    let url = format!("{}/{path}", deps.settings.public_url);
    let now = deps.now();
    for recipient in recipients {
        if except.user == Some(recipient.id)
            || (except.office_managers && recipient.role == user::Role::OfficeManager)
        {
            continue;
        }
        let zone = time::zone_of(recipient.time_zone.as_deref(), &account.time_zone);
        let message = message.clone().arg("when", Arg::Moment(when, zone.to_owned()));
        let locale = locale::of_user(recipient.locale, account.locale);
        let email = templates::compose(locale, &recipient.email, &recipient.name, &message, &[], Some(&url));
        deps.outbox.enqueue(txn, email, now).await?;
    }
    Ok(())
}

/// Emails the account's office managers (and, with `contacts`, its billing contacts), once each,
/// in their language (a contact reads the account's), with a link to the portal's payments.
/// `link` is the portal address `message` gives as `$url`.
pub async fn to_office_managers(
    deps: &Deps,
    db: &impl ConnectionTrait,
    account_id: i64,
    contacts: bool,
    message: &Text,
    link: &str,
) -> ServiceResult<()> {
    let Some(account) = account::Entity::find_by_id(account_id).one(db).await? else { return Ok(()) };
    let mut recipients: Vec<(String, String, Locale)> = user::Entity::find()
        .filter(user::Column::AccountId.eq(account_id))
        .filter(user::Column::Role.eq(user::Role::OfficeManager))
        .filter(user::Column::Status.ne(user::Status::Disabled))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.email, u.name, locale::of_user(u.locale, account.locale)))
        .collect();
    if contacts {
        let listed = billing_contact::Entity::find()
            .filter(billing_contact::Column::AccountId.eq(account_id))
            .all(db)
            .await?;
        for contact in listed {
            if !recipients.iter().any(|(email, _, _)| email.eq_ignore_ascii_case(&contact.email)) {
                recipients.push((contact.email, contact.name, account.locale));
            }
        }
    }
    let now = deps.now();
    let url = format!("{}/payments", deps.settings.public_url);
    for (email, name, locale) in recipients {
        let message = templates::compose(locale, &email, &name, message, &[link], Some(&url));
        deps.outbox.enqueue(db, message, now).await?;
    }
    Ok(())
}
