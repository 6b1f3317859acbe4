//! Issuing an invoice: lines, the account's sales taxes, totals, and its ledger entry, together.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{account, invoice, invoice_line_item, invoice_tax_line, ledger_entry};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set};

use crate::{
    domain::{money, tax},
    i18n::Text,
    services::{ServiceError, ServiceResult},
    updates::Updates,
};

use super::ledger::{self, NewEntry};

pub struct NewInvoice {
    pub number: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// When the ledger records it.
    pub issued_at: DateTime<Utc>,
    pub lines: Vec<NewLine>,
    pub taxes: Taxes,
    /// For an invoice the billing engine posts: the digest of its request (see `services::partner`).
    pub partner_digest: Option<String>,
}

/// Where an invoice's sales taxes come from.
pub enum Taxes {
    /// Computed here, from the account's tax region, on the subtotal.
    FromRegion,
    /// As the billing engine computed them. A tax named as one of the region's is shown with its
    /// rate; another (a fee the engine calls a tax) with none.
    Given(Vec<GivenTax>),
}

pub struct GivenTax {
    pub name: String,
    pub amount_minor: i64,
}

pub struct NewLine {
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
}

/// Writes the invoice, its lines and tax lines, and appends it to the ledger, in `txn`.
/// Each tax is computed on the subtotal and rounded once.
pub async fn issue(
    updates: &Updates,
    txn: &DatabaseTransaction,
    account_id: i64,
    new: NewInvoice,
) -> ServiceResult<invoice::Model> {
    Ok(issue_with_entry(updates, txn, account_id, new).await?.0)
}

/// `issue`, answering the ledger entry too.
pub async fn issue_with_entry(
    updates: &Updates,
    txn: &DatabaseTransaction,
    account_id: i64,
    new: NewInvoice,
) -> ServiceResult<(invoice::Model, ledger_entry::Model)> {
    // Locked now, as the ledger append will: taking a weaker lock first (the invoice's foreign key)
    // and upgrading it later deadlocks two postings to one account on PostgreSQL.
    let account = account::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let amounts: Vec<i64> = new.lines.iter().map(|line| line.quantity * line.unit_price_minor).collect();
    let subtotal: i64 = amounts.iter().sum();
    let rates = tax::rates_for(&account.tax_region);
    // (name, rate, amount)
    let taxes: Vec<(String, i32, i64)> = match new.taxes {
        Taxes::FromRegion => rates
            .ok_or_else(|| {
                ServiceError::Inconsistent(format!("account {} has no known tax region", account.number))
            })?
            .iter()
            .map(|rate| {
                (rate.name.to_string(), rate.rate_ppm, money::apply_rate_ppm(subtotal, rate.rate_ppm))
            })
            .collect(),
        Taxes::Given(given) => given
            .into_iter()
            .map(|tax| {
                let rate = rates.unwrap_or_default().iter().find(|rate| rate.name == tax.name);
                (tax.name, rate.map_or(0, |rate| rate.rate_ppm), tax.amount_minor)
            })
            .collect(),
    };
    let tax_total: i64 = taxes.iter().map(|(_, _, amount)| amount).sum();

    let invoice = invoice::ActiveModel {
        account_id: Set(account.id),
        number: Set(new.number.clone()),
        period_start: Set(new.period_start),
        period_end: Set(new.period_end),
        issued_on: Set(new.issued_on),
        due_on: Set(new.due_on),
        currency: Set(account.currency),
        subtotal_minor: Set(subtotal),
        tax_total_minor: Set(tax_total),
        total_minor: Set(subtotal + tax_total),
        voided_at: Set(None),
        created_at: Set(new.issued_at),
        partner_digest: Set(new.partner_digest),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for (position, (line, amount)) in new.lines.into_iter().zip(amounts).enumerate() {
        invoice_line_item::ActiveModel {
            invoice_id: Set(invoice.id),
            position: Set(position as i32),
            description: Set(line.description),
            quantity: Set(line.quantity),
            unit_price_minor: Set(line.unit_price_minor),
            amount_minor: Set(amount),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (position, (name, rate_ppm, amount)) in taxes.into_iter().enumerate() {
        invoice_tax_line::ActiveModel {
            invoice_id: Set(invoice.id),
            position: Set(position as i32),
            name: Set(name),
            rate_ppm: Set(rate_ppm),
            amount_minor: Set(amount),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    let entry = ledger::append(
        updates,
        txn,
        NewEntry {
            account_id: account.id,
            kind: ledger_entry::Kind::Invoice,
            amount_minor: invoice.total_minor,
            currency: account.currency,
            description: Text::new("ledger-invoice").arg("number", &invoice.number),
            invoice_id: Some(invoice.id),
            payment_id: None,
            occurred_at: new.issued_at,
        },
    )
    .await?;
    Ok((invoice, entry))
}
