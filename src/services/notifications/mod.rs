//! The one place where what happens to an account's money becomes emails to its people: billing
//! notifications (an invoice, a payment, a credit, a refund posted, a payment that failed) to the
//! users who asked for them, each with amounts and dates as they read them (their time zone) and a
//! link into the portal; the payer's receipt and disputes (`payments`); Auto Pay's notices
//! (`auto_pay`); invitations and password resets (`access`). Called in the transaction that makes
//! the change, which happens once however often the event behind it is delivered: once per
//! transaction and recipient. Every word a customer reads in an email is in `templates`.

mod access;
mod auto_pay;
mod payments;
mod templates;

use chrono::{DateTime, Utc};
use entity::{account, billing_contact, invoice, ledger_entry, payment, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::{
    domain::{money::Money, time},
    services::{Deps, ServiceResult},
};

pub use access::{invitation, password_reset};
pub use auto_pay::{CardExpiry, auto_pay_card, auto_pay_failed, auto_pay_off};
pub use payments::{payment_disputed, receipt};

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
    let amount = format!("{} {}", amount.to_decimal(), entry.currency.code());
    let (subject, body, path) = match entry.kind {
        ledger_entry::Kind::Invoice => {
            // Only an invoice's notice needs the invoice: one query saved for every payment.
            let invoice = match entry.invoice_id {
                Some(id) => invoice::Entity::find_by_id(id).one(txn).await?,
                None => None,
            };
            let Some(invoice) = invoice else { return Ok(()) };
            let total = Money::new(invoice.total_minor, invoice.currency).to_decimal();
            (
                format!("New invoice {}", invoice.number),
                format!(
                    "Invoice {} for {total} {} is ready. It is due on {}.",
                    invoice.number,
                    invoice.currency.code(),
                    invoice.due_on
                ),
                "invoices".to_string(),
            )
        }
        ledger_entry::Kind::Payment => (
            if auto_pay {
                format!("Auto Pay payment received: {amount}")
            } else {
                format!("Payment received: {amount}")
            },
            format!("{}: {amount}, received {{when}}.", entry.description),
            "payments".to_string(),
        ),
        ledger_entry::Kind::Credit => (
            format!("A credit of {amount} was applied"),
            format!("{}: {amount}, applied {{when}}.", entry.description),
            "transactions".to_string(),
        ),
        ledger_entry::Kind::Refund => (
            format!("A refund of {amount} is on its way"),
            format!("{}: {amount}, issued {{when}}.", entry.description),
            "transactions".to_string(),
        ),
    };
    send(deps, txn, entry.account_id, except, &subject, &body, &path, entry.occurred_at).await
}

/// A payment failed.
pub async fn payment_failed(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: &payment::Model,
    except: Except,
) -> ServiceResult<()> {
    let amount = Money::new(payment.amount_minor, payment.currency);
    let amount = format!("{} {}", amount.to_decimal(), payment.currency.code());
    let reason = payment.failure_message.as_deref().unwrap_or("The payment was declined.");
    let subject = format!("A payment of {amount} failed");
    let body = format!("A payment of {amount} made {{when}} did not go through: {reason}");
    send(deps, txn, payment.account_id, except, &subject, &body, "payments", payment.created_at).await
}

/// One email per opted-in user of the account, `{when}` in `body` written in their time zone.
#[allow(clippy::too_many_arguments)]
async fn send(
    deps: &Deps,
    txn: &DatabaseTransaction,
    account_id: i64,
    except: Except,
    subject: &str,
    body: &str,
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
        let local =
            time::local_stamp(when, time::zone_of(recipient.time_zone.as_deref(), &account.time_zone));
        let body = body.replace("{when}", &format!("on {local}"));
        let email = templates::notice(&recipient.email, &recipient.name, subject, &body, &url);
        deps.outbox.enqueue(txn, email, now).await?;
    }
    Ok(())
}

/// Emails the account's office managers (and, with `contacts`, its billing contacts), once each,
/// with a link to the portal's payments.
pub async fn to_office_managers(
    deps: &Deps,
    db: &impl ConnectionTrait,
    account_id: i64,
    contacts: bool,
    subject: &str,
    body: &str,
) -> ServiceResult<()> {
    let mut recipients: Vec<(String, String)> = user::Entity::find()
        .filter(user::Column::AccountId.eq(account_id))
        .filter(user::Column::Role.eq(user::Role::OfficeManager))
        .filter(user::Column::Status.ne(user::Status::Disabled))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.email, u.name))
        .collect();
    if contacts {
        let listed = billing_contact::Entity::find()
            .filter(billing_contact::Column::AccountId.eq(account_id))
            .all(db)
            .await?;
        for contact in listed {
            if !recipients.iter().any(|(email, _)| email.eq_ignore_ascii_case(&contact.email)) {
                recipients.push((contact.email, contact.name));
            }
        }
    }
    let now = deps.now();
    for (email, name) in recipients {
        let message = templates::notice(
            &email,
            &name,
            subject,
            body,
            &format!("{}/payments", deps.settings.public_url),
        );
        deps.outbox.enqueue(db, message, now).await?;
    }
    Ok(())
}
