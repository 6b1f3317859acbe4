//! Invoices and credits as the billing engine posts them: checked whole (every problem named),
//! then posted once under the account's lock, however many times and however concurrently the
//! same request arrives.

use chrono::{Datelike, NaiveDate};
use entity::{account, invoice, ledger_entry, partner_credit};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set, SqlErr,
};
use serde_json::json;

use crate::{
    domain::{idempotency, money::Money},
    i18n::Text,
    services::{
        Deps, Field, ServiceError, ServiceResult, UserError,
        billing::{
            issue::{GivenTax, NewInvoice, NewLine, Taxes},
            posting,
        },
    },
};

use super::{Put, identifier, problem, text};

/// Lines on one invoice, and the largest amount anywhere on it (ten billion, in minor units of a
/// two-decimal currency): bounds that keep every sum far inside 64 bits.
const MAX_LINES: usize = 1_000;
const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

pub struct InvoiceInput {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// (description, amount)
    pub lines: Vec<(String, Decimal)>,
    /// (name, amount)
    pub taxes: Vec<(String, Decimal)>,
    pub total: Decimal,
}

pub struct CreditInput {
    pub amount: Decimal,
    pub description: String,
    pub posted_on: NaiveDate,
}

/// Posts invoice `number` to account `account_number`.
pub async fn put_invoice(
    deps: &Deps,
    account_number: &str,
    number: &str,
    input: InvoiceInput,
) -> ServiceResult<Put<invoice::Model>> {
    let account = crate::services::accounts::find_by_number(deps, account_number).await?;
    let currency = account.currency;
    let mut problems = Vec::new();
    identifier(number, Field::InvoiceNumber, &mut problems);
    for (day, field) in [
        (input.period_start, Field::PeriodStart),
        (input.period_end, Field::PeriodEnd),
        (input.issued_on, Field::IssuedOn),
        (input.due_on, Field::DueOn),
    ] {
        plausible(day, field, &mut problems);
    }
    if input.period_start > input.period_end {
        problems.push(problem(Field::PeriodEnd, "The period cannot end before it starts."));
    }
    if input.due_on < input.issued_on {
        problems.push(problem(Field::DueOn, "An invoice cannot fall due before it is issued."));
    }
    if input.lines.is_empty() || input.lines.len() > MAX_LINES {
        problems.push(problem(Field::Lines, format!("An invoice has 1 to {MAX_LINES} lines.")));
    }
    let minor = |amount: Decimal, field: Field, problems: &mut Vec<UserError>| match Money::from_decimal(
        amount, currency,
    )
    .filter(|money| money.minor.abs() <= MAX_AMOUNT_MINOR)
    {
        Some(money) => money.minor,
        None => {
            problems.push(problem(
                field,
                format!(
                    "{amount} is not an amount in {} (at most {} decimals).",
                    currency.code(),
                    currency.minor_digits()
                ),
            ));
            0
        }
    };
    let mut lines = Vec::new();
    for (n, (description, amount)) in input.lines.iter().enumerate() {
        text(description, Field::LineDescription(n), 200, &mut problems);
        lines.push((description.trim().to_string(), minor(*amount, Field::LineAmount(n), &mut problems)));
    }
    let mut taxes = Vec::new();
    for (n, (name, amount)) in input.taxes.iter().enumerate() {
        text(name, Field::TaxName(n), 16, &mut problems);
        let amount = minor(*amount, Field::TaxAmount(n), &mut problems);
        if amount < 0 {
            problems.push(problem(Field::TaxAmount(n), "A tax cannot be below zero."));
        }
        taxes.push((name.trim().to_string(), amount));
    }
    let total = minor(input.total, Field::Total, &mut problems);
    if total < 0 {
        problems
            .push(problem(Field::Total, "An invoice's total cannot be below zero: post a credit instead."));
    }
    // Bounded amounts and lines: the sum cannot overflow.
    let sum: i64 = lines.iter().chain(&taxes).map(|(_, amount)| amount).sum();
    if problems.is_empty() && sum != total {
        problems.push(problem(
            Field::Total,
            format!(
                "The total must be the lines plus the taxes: {}.",
                Money::new(sum, currency).to_decimal()
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(ServiceError::Refused(problems));
    }
    let fingerprint = idempotency::fingerprint(&json!([
        account.number,
        number,
        input.period_start,
        input.period_end,
        input.issued_on,
        input.due_on,
        lines,
        taxes,
        total
    ]));

    let txn = deps.begin().await?;
    lock(&txn, account.id).await?;
    if let Some(existing) =
        invoice::Entity::find().filter(invoice::Column::Number.eq(number)).one(&txn).await?
    {
        txn.rollback().await?;
        return same_or_conflict(existing, &fingerprint, account.id, number);
    }
    let new = NewInvoice {
        number: number.to_string(),
        period_start: input.period_start,
        period_end: input.period_end,
        issued_on: input.issued_on,
        due_on: input.due_on,
        issued_at: deps.now(),
        lines: lines
            .into_iter()
            .map(|(description, amount)| NewLine { description, quantity: 1, unit_price_minor: amount })
            .collect(),
        taxes: Taxes::Given(
            taxes.into_iter().map(|(name, amount_minor)| GivenTax { name, amount_minor }).collect(),
        ),
        partner_digest: Some(fingerprint.clone()),
    };
    match posting::post_invoice_in(deps, &txn, account.id, None, new).await {
        Ok(posted) => {
            txn.commit().await?;
            deps.outbox.wake();
            tracing::info!(account = %account.number, invoice = %posted.number, "invoice posted by the billing engine");
            Ok(Put::Created(posted))
        }
        // The same number posted to another account at the same moment.
        Err(ServiceError::Database(error))
            if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
        {
            txn.rollback().await?;
            let existing = invoice::Entity::find()
                .filter(invoice::Column::Number.eq(number))
                .one(&deps.db)
                .await?
                .ok_or(ServiceError::Database(error))?;
            same_or_conflict(existing, &fingerprint, account.id, number)
        }
        Err(error) => Err(error),
    }
}

fn same_or_conflict(
    existing: invoice::Model,
    fingerprint: &str,
    account_id: i64,
    number: &str,
) -> ServiceResult<Put<invoice::Model>> {
    if existing.account_id == account_id && existing.partner_digest.as_deref() == Some(fingerprint) {
        Ok(Put::Unchanged(existing))
    } else {
        Err(ServiceError::Conflict(Text::verbatim(format!(
            "Invoice {number} exists and differs from this request; it was not changed."
        ))))
    }
}

/// Credits account `account_number` under the billing engine's `credit_id`.
pub async fn put_credit(
    deps: &Deps,
    account_number: &str,
    credit_id: &str,
    input: CreditInput,
) -> ServiceResult<Put<ledger_entry::Model>> {
    let account = crate::services::accounts::find_by_number(deps, account_number).await?;
    let mut problems = Vec::new();
    identifier(credit_id, Field::CreditId, &mut problems);
    plausible(input.posted_on, Field::PostedOn, &mut problems);
    text(&input.description, Field::Description, 200, &mut problems);
    let amount = Money::from_decimal(input.amount, account.currency).map(|m| m.minor);
    match amount {
        Some(minor) if minor > 0 && minor <= MAX_AMOUNT_MINOR => {}
        _ => problems.push(problem(
            Field::Amount,
            format!("A credit is an amount above zero in {}.", account.currency.code()),
        )),
    }
    let Some(amount) = amount.filter(|_| problems.is_empty()) else {
        return Err(ServiceError::Refused(problems));
    };
    let description = input.description.trim().to_string();
    let fingerprint =
        idempotency::fingerprint(&json!([account.number, credit_id, amount, description, input.posted_on]));

    let txn = deps.begin().await?;
    lock(&txn, account.id).await?;
    let existing = partner_credit::Entity::find()
        .filter(partner_credit::Column::AccountId.eq(account.id))
        .filter(partner_credit::Column::CreditId.eq(credit_id))
        .one(&txn)
        .await?;
    if let Some(existing) = existing {
        let entry = ledger_entry::Entity::find_by_id(existing.ledger_entry_id)
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::Inconsistent("a partner credit lost its ledger entry".into()))?;
        txn.rollback().await?;
        return if existing.digest == fingerprint {
            Ok(Put::Unchanged(entry))
        } else {
            Err(ServiceError::Conflict(Text::verbatim(format!(
                "Credit {credit_id} exists and differs from this request; it was not changed."
            ))))
        };
    }
    // The ledger is in the order things reach the account: the credit counts from now (the day
    // the engine gives is part of the request, and of its digest).
    let entry =
        posting::post_credit_in(deps, &txn, account.id, None, amount, &description, deps.now()).await?;
    partner_credit::ActiveModel {
        account_id: Set(account.id),
        credit_id: Set(credit_id.to_string()),
        digest: Set(fingerprint),
        ledger_entry_id: Set(entry.id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    deps.outbox.wake();
    Ok(Put::Created(entry))
}

/// A date in this century: a typo such as 0226 or 20260 is refused, not posted.
fn plausible(day: NaiveDate, field: Field, problems: &mut Vec<UserError>) {
    if !(2000..2100).contains(&day.year()) {
        problems.push(problem(field, format!("{day} is not a date this service bills for.")));
    }
}

/// The account's row lock, which every posting to it takes first: requests for one account go one
/// at a time, so the second of two identical requests finds what the first posted.
async fn lock(txn: &DatabaseTransaction, account_id: i64) -> ServiceResult<()> {
    account::Entity::find_by_id(account_id).lock_exclusive().one(txn).await?.ok_or(ServiceError::NotFound)?;
    Ok(())
}
