//! What an account owes: its balance, when it is due, and where each invoice stands.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::invoice;
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, QueryResult, Statement};

use crate::{
    domain::{
        settlement::{self, InvoiceFacts, Standing},
        time,
    },
    services::{ServiceError, ServiceResult},
};

/// Where every invoice of one account stands today (in the account's time zone).
pub struct AccountStanding {
    pub today: NaiveDate,
    pub balance_minor: i64,
    pub invoices: Vec<invoice::Model>,
    pub standings: HashMap<i64, Standing>,
}

impl AccountStanding {
    /// The due date of the oldest invoice not yet paid, while anything is owed.
    pub fn due_on(&self) -> Option<NaiveDate> {
        if self.balance_minor <= 0 {
            return None;
        }
        self.unpaid().map(|invoice| invoice.due_on).min()
    }

    pub fn unpaid(&self) -> impl Iterator<Item = &invoice::Model> {
        self.invoices.iter().filter(|i| self.standings.get(&i.id).is_some_and(|s| s.amount_due_minor > 0))
    }

    /// A negative balance is a credit, applied to future invoices.
    pub fn is_credit(&self) -> bool {
        self.balance_minor < 0
    }

    /// When Auto Pay, if on, charges next.
    pub fn next_auto_pay_charge(&self) -> Option<NaiveDate> {
        settlement::next_auto_pay_charge(self.unpaid().map(|invoice| invoice.due_on), self.today)
    }
}

/// One statement whatever the number of invoices: the account's time zone, its ledger sums and its
/// invoices (a row each, the first two repeated; one row with no invoice when it has none).
/// `now` decides the account's today, and so what is past due.
pub async fn standing_of(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<AccountStanding> {
    let backend = db.get_database_backend();
    let id = match backend {
        DatabaseBackend::Postgres => "$1",
        _ => "?1",
    };
    let sql = format!(
        "WITH {sums} SELECT {COLUMNS}, i.* \
         FROM accounts a CROSS JOIN s \
         LEFT JOIN invoices i ON i.account_id = a.id \
         WHERE a.id = {id} \
         ORDER BY i.issued_on, i.id",
        sums = ledger_sums(id),
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, [account_id.into()])).await?;
    from_rows(&rows, now)
}

/// The common table `s`: the account's balance and the money applied to its invoices. Payments and
/// credits are negative entries, refunds positive: money applied is the negated sum of the three.
/// (CAST: PostgreSQL sums BIGINT into NUMERIC.) MATERIALIZED: computed once, not once per invoice
/// row, which PostgreSQL's planner otherwise chooses, reading the ledger again for each invoice.
pub(crate) fn ledger_sums(account_id: &str) -> String {
    format!(
        "s AS MATERIALIZED (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS balance_minor, \
           CAST(-COALESCE(SUM(CASE WHEN kind IN ('payment', 'credit', 'refund') THEN amount_minor END), 0) \
             AS BIGINT) AS applied_minor \
         FROM ledger_entries WHERE account_id = {account_id})"
    )
}

/// What `from_rows` reads besides the invoice's own columns, from `accounts a` and `s`.
pub(crate) const COLUMNS: &str = "a.time_zone AS account_time_zone, s.balance_minor, s.applied_minor";

/// The standing from rows of `COLUMNS` and `invoices i.*`, ordered by issue: one per invoice, or
/// one with no invoice when the account has none; none when there is no such account.
pub(crate) fn from_rows(rows: &[QueryResult], now: DateTime<Utc>) -> ServiceResult<AccountStanding> {
    let first = rows.first().ok_or(ServiceError::NotFound)?;
    let time_zone: String = first.try_get("", "account_time_zone")?;
    let balance_minor: i64 = first.try_get("", "balance_minor")?;
    let applied: i64 = first.try_get("", "applied_minor")?;
    let mut invoices = Vec::with_capacity(rows.len());
    for row in rows {
        if row.try_get::<Option<i64>>("", "id")?.is_some() {
            invoices.push(invoice::Model::from_query_result(row, "")?);
        }
    }
    let today = time::today_in(&time_zone, now);
    let facts: Vec<InvoiceFacts> = invoices
        .iter()
        .map(|i| InvoiceFacts {
            id: i.id,
            total_minor: i.total_minor,
            due_on: i.due_on,
            void: i.voided_at.is_some(),
        })
        .collect();
    let standings = settlement::settle(&facts, applied, today);
    Ok(AccountStanding { today, balance_minor, invoices, standings })
}
