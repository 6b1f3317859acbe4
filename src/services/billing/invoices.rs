//! Invoices: the list, one invoice's details, and what it billed.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{call_record, invoice, invoice_line_item, invoice_tax_line};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::{
    domain::money,
    i18n::Text,
    services::{
        Caller, Deps, ServiceError, ServiceResult,
        pagination::{self, Page, PageRequest},
    },
};

const CURSOR: &str = "invoice";

/// A page of the caller's invoices, newest first. Keyset on (issue date, id).
pub async fn page(
    deps: &Deps,
    caller: &Caller,
    request: PageRequest<'_>,
) -> ServiceResult<Page<invoice::Model>> {
    let limit = pagination::limit(request.first)?;
    let scope = invoice::Column::AccountId.eq(caller.account_id);
    let total_count =
        pagination::total(&request, invoice::Entity::find().filter(scope.clone()), &deps.db).await?;
    let mut query = invoice::Entity::find().filter(scope);
    if let Some(after) = request.after {
        let (issued_on, id) = decode_cursor(after)?;
        query = query.filter(Condition::any().add(invoice::Column::IssuedOn.lt(issued_on)).add(
            Condition::all().add(invoice::Column::IssuedOn.eq(issued_on)).add(invoice::Column::Id.lt(id)),
        ));
    }
    let rows = query
        .order_by_desc(invoice::Column::IssuedOn)
        .order_by_desc(invoice::Column::Id)
        .limit(limit + 1)
        .all(&deps.db)
        .await?;
    Ok(pagination::page(rows, limit, total_count, |row| {
        pagination::encode(CURSOR, &format!("{}/{}", row.issued_on, row.id))
    }))
}

fn decode_cursor(cursor: &str) -> ServiceResult<(NaiveDate, i64)> {
    let key = pagination::decode(CURSOR, cursor)?;
    key.split_once('/')
        .and_then(|(date, id)| Some((date.parse().ok()?, id.parse().ok()?)))
        .ok_or_else(|| ServiceError::BadInput(Text::new("not-a-cursor")))
}

/// One of the caller's invoices; another account's is not found, exactly like a missing one.
pub async fn get(deps: &Deps, caller: &Caller, invoice_id: i64) -> ServiceResult<invoice::Model> {
    find_in_account(deps, caller.account_id, invoice_id).await
}

/// For signed download links, which carry the account they were issued to.
pub async fn find_in_account(deps: &Deps, account_id: i64, invoice_id: i64) -> ServiceResult<invoice::Model> {
    invoice::Entity::find_by_id(invoice_id)
        .filter(invoice::Column::AccountId.eq(account_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Invoices by id, for following links from objects already scoped to the caller's account
/// (a transaction's invoice): one statement for any number of ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> ServiceResult<HashMap<i64, invoice::Model>> {
    let rows = invoice::Entity::find().filter(invoice::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// The line items of each invoice, in order (one statement for any number of invoices).
pub async fn line_items(
    db: &impl ConnectionTrait,
    invoice_ids: &[i64],
) -> ServiceResult<HashMap<i64, Vec<invoice_line_item::Model>>> {
    let rows = invoice_line_item::Entity::find()
        .filter(invoice_line_item::Column::InvoiceId.is_in(invoice_ids.iter().copied()))
        .order_by_asc(invoice_line_item::Column::InvoiceId)
        .order_by_asc(invoice_line_item::Column::Position)
        .all(db)
        .await?;
    Ok(group(invoice_ids, rows, |row| row.invoice_id))
}

/// The tax lines of each invoice, in order (one statement for any number of invoices).
pub async fn tax_lines(
    db: &impl ConnectionTrait,
    invoice_ids: &[i64],
) -> ServiceResult<HashMap<i64, Vec<invoice_tax_line::Model>>> {
    let rows = invoice_tax_line::Entity::find()
        .filter(invoice_tax_line::Column::InvoiceId.is_in(invoice_ids.iter().copied()))
        .order_by_asc(invoice_tax_line::Column::InvoiceId)
        .order_by_asc(invoice_tax_line::Column::Position)
        .all(db)
        .await?;
    Ok(group(invoice_ids, rows, |row| row.invoice_id))
}

fn group<T>(ids: &[i64], rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut grouped: HashMap<i64, Vec<T>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        grouped.entry(key(&row)).or_default().push(row);
    }
    grouped
}

/// What the calls billed on an invoice add up to.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallSummary {
    pub call_count: i64,
    pub billed_seconds: i64,
    /// Rounded once, from the sum of the calls' sub-cent amounts.
    pub charges_minor: i64,
}

/// Invoice id, call count, seconds and millionths, as the database returns them.
type SummaryRow = (Option<i64>, i64, Option<i64>, Option<i64>);

/// The call summary of each invoice (one statement for any number of invoices).
pub async fn call_summaries(
    db: &impl ConnectionTrait,
    invoice_ids: &[i64],
) -> ServiceResult<HashMap<i64, CallSummary>> {
    let rows: Vec<SummaryRow> = call_record::Entity::find()
        .select_only()
        .column(call_record::Column::InvoiceId)
        // Casts: PostgreSQL counts and sums BIGINT into other types.
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "calls")
        .column_as(Expr::cust("CAST(SUM(duration_seconds) AS BIGINT)"), "seconds")
        .column_as(Expr::cust("CAST(SUM(rated_amount_micros) AS BIGINT)"), "micros")
        .filter(call_record::Column::InvoiceId.is_in(invoice_ids.iter().copied()))
        .group_by(call_record::Column::InvoiceId)
        .into_tuple()
        .all(db)
        .await?;
    let mut summaries: HashMap<i64, CallSummary> =
        invoice_ids.iter().map(|id| (*id, CallSummary::default())).collect();
    for (invoice_id, call_count, seconds, micros) in rows {
        if let Some(invoice_id) = invoice_id {
            summaries.insert(
                invoice_id,
                CallSummary {
                    call_count,
                    billed_seconds: seconds.unwrap_or(0),
                    charges_minor: money::micros_to_minor(micros.unwrap_or(0)),
                },
            );
        }
    }
    Ok(summaries)
}
