//! What an account owes: its balance, when it is due, and where each invoice stands.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{account, invoice, ledger_entry};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    domain::{
        settlement::{self, InvoiceFacts, Standing},
        time,
    },
    services::{Caller, ServiceError, ServiceResult},
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

pub async fn standing(
    db: &impl ConnectionTrait,
    caller: &Caller,
    now: DateTime<Utc>,
) -> ServiceResult<AccountStanding> {
    standing_of(db, caller.account_id, now).await
}

/// Three statements whatever the number of invoices: the account, its invoices, its ledger sums.
/// `now` decides the account's today, and so what is past due.
pub async fn standing_of(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<AccountStanding> {
    let account = account::Entity::find_by_id(account_id).one(db).await?.ok_or(ServiceError::NotFound)?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::AccountId.eq(account_id))
        .order_by_asc(invoice::Column::IssuedOn)
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?;
    let sums: Vec<(ledger_entry::Kind, Option<i64>)> = ledger_entry::Entity::find()
        .select_only()
        .column(ledger_entry::Column::Kind)
        // Cast: PostgreSQL sums BIGINT into NUMERIC.
        .column_as(Expr::cust("CAST(SUM(amount_minor) AS BIGINT)"), "total")
        .filter(ledger_entry::Column::AccountId.eq(account_id))
        .group_by(ledger_entry::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let sum_of = |kind| sums.iter().filter(|(k, _)| *k == kind).filter_map(|(_, total)| *total).sum::<i64>();
    // Payments and credits are negative entries, refunds positive: money applied to invoices.
    let applied = -(sum_of(ledger_entry::Kind::Payment) + sum_of(ledger_entry::Kind::Credit))
        - sum_of(ledger_entry::Kind::Refund);
    let balance_minor = sums.iter().filter_map(|(_, total)| *total).sum();
    let today = time::today_in(&account.time_zone, now);
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
