//! Call records by month. On PostgreSQL `call_records` is partitioned by month of `started_at`
//! (migration 000019): a month's partition is made before the first of its rows is written
//! (`ensure`), and a month past keeping is dropped whole (`prune`). SQLite keeps one table: there
//! `ensure` has nothing to do and `prune` deletes rows.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

use crate::services::{Deps, ServiceResult};

/// A calendar month in UTC, as partitions are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month(NaiveDate);

impl Month {
    pub fn of(time: DateTime<Utc>) -> Self {
        Self(time.date_naive().with_day(1).unwrap_or(NaiveDate::MIN))
    }

    fn first_day(self) -> NaiveDate {
        self.0
    }

    fn next(self) -> Self {
        Self(self.0.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX))
    }

    /// `call_records_2026_11`.
    fn partition(self) -> String {
        format!("call_records_{:04}_{:02}", self.0.year(), self.0.month())
    }

    /// `2026-11`, as the operator reads it.
    fn label(self) -> String {
        self.0.format("%Y-%m").to_string()
    }

    /// The partition bound: from its first instant to the next month's, in UTC.
    fn bounds(self) -> String {
        format!(
            "FOR VALUES FROM ('{}T00:00:00Z') TO ('{}T00:00:00Z')",
            self.first_day(),
            self.next().first_day()
        )
    }

    fn from_partition(name: &str) -> Option<Self> {
        let (year, month) = name.strip_prefix("call_records_")?.split_once('_')?;
        NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1).map(Self)
    }
}

/// Makes the partitions of `months` that do not exist yet. Concurrent callers (two imports, the
/// demo) take turns on an advisory lock, so a partition is created once. Creating one locks
/// `call_records` for a moment: done before a `COPY` into it starts, never while one runs.
pub async fn ensure(db: &impl ConnectionTrait, months: &BTreeSet<Month>) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres || months.is_empty() {
        return Ok(());
    }
    let existing = existing(db).await?;
    let missing: Vec<Month> = months.iter().copied().filter(|month| !existing.contains(month)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut statements = vec![
        // Held to the end of the transaction this runs in (or of this one statement batch).
        "SELECT pg_advisory_xact_lock(hashtext('call_records partitions'))".to_string(),
    ];
    for month in missing {
        statements.push(format!(
            "CREATE TABLE IF NOT EXISTS {} PARTITION OF call_records {}",
            month.partition(),
            month.bounds()
        ));
    }
    // One round trip, one implicit transaction when not already in one: the lock covers the DDL.
    db.execute_unprepared(&statements.join(";\n")).await?;
    Ok(())
}

/// Fresh planner statistics for `months`' partitions after a bulk load (the others have not
/// changed: analysing the whole table would read every month again).
pub async fn analyze(db: &impl ConnectionTrait, months: &BTreeSet<Month>) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres || months.is_empty() {
        return Ok(());
    }
    let partitions: Vec<String> = months.iter().map(|month| month.partition()).collect();
    db.execute_unprepared(&format!("ANALYZE {}", partitions.join(", "))).await?;
    Ok(())
}

/// The months that have a partition.
async fn existing(db: &impl ConnectionTrait) -> Result<BTreeSet<Month>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE i.inhparent = 'call_records'::regclass",
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .filter_map(|name| Month::from_partition(&name))
        .collect())
}

/// What `prune` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Pruned {
    /// The months dropped (PostgreSQL) or the rows deleted (SQLite).
    Dropped { months: Vec<String>, rows: u64 },
    /// Nothing was dropped: an invoice issued on or after the date still shows calls from before it.
    Refused { invoice_number: String, month: String },
}

impl Pruned {
    /// Refused for a call still shown: its invoice, and the month it started in.
    fn refused((invoice_number, started_at): (String, DateTime<Utc>)) -> Self {
        Pruned::Refused { invoice_number, month: Month::of(started_at).label() }
    }
}

/// Drops the call records that started before `before` (the first of a month), unless an invoice
/// issued on or after that day still shows some of them: invoices issued before it are the ones
/// whose call records are let go. On PostgreSQL each whole month goes with `DETACH PARTITION …
/// CONCURRENTLY` then `DROP TABLE`, which never blocks the servers reading and writing the others;
/// a detach interrupted midway is finished by the next run.
pub async fn prune(deps: &Deps, before: NaiveDate) -> ServiceResult<Pruned> {
    let db = &deps.db;
    let cutoff = Utc.from_utc_datetime(&before.and_hms_opt(0, 0, 0).unwrap_or_default());
    if let Some(shown) = still_shown(db, "call_records", cutoff, before).await? {
        return Ok(Pruned::refused(shown));
    }
    if db.get_database_backend() != DatabaseBackend::Postgres {
        let deleted = db
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "DELETE FROM call_records WHERE started_at < ?",
                [cutoff.into()],
            ))
            .await?;
        return Ok(Pruned::Dropped { months: Vec::new(), rows: deleted.rows_affected() });
    }
    let mut months = Vec::new();
    let mut rows = 0;
    for month in existing(db).await?.into_iter().filter(|month| month.next().first_day() <= before) {
        let partition = month.partition();
        rows += count(db, &partition).await?;
        detach(db, &partition).await?;
        // Between the check and the detach an import may have billed an old call on a new invoice:
        // then the month goes back, untouched.
        if let Some(shown) = still_shown(db, &partition, cutoff, before).await? {
            let attach = format!("ALTER TABLE call_records ATTACH PARTITION {partition} {}", month.bounds());
            db.execute_unprepared(&attach).await?;
            return Ok(Pruned::refused(shown));
        }
        db.execute_unprepared(&format!("DROP TABLE {partition}")).await?;
        tracing::info!(partition, "call records dropped");
        months.push(month.label());
    }
    Ok(Pruned::Dropped { months, rows })
}

/// A call in `table` started before `cutoff` and billed on an invoice issued on or after `before`.
async fn still_shown(
    db: &impl ConnectionTrait,
    table: &str,
    cutoff: DateTime<Utc>,
    before: NaiveDate,
) -> Result<Option<(String, DateTime<Utc>)>, DbErr> {
    let backend = db.get_database_backend();
    let placeholder =
        |n: usize| if backend == DatabaseBackend::Postgres { format!("${n}") } else { "?".into() };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT i.number, c.started_at FROM {table} c JOIN invoices i ON i.id = c.invoice_id \
                 WHERE c.started_at < {} AND i.issued_on >= {} LIMIT 1",
                placeholder(1),
                placeholder(2)
            ),
            [cutoff.into(), before.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => Some((row.try_get_by_index(0)?, row.try_get_by_index(1)?)),
        None => None,
    })
}

async fn count(db: &impl ConnectionTrait, table: &str) -> Result<u64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT COUNT(*) FROM {table}"),
        ))
        .await?;
    Ok(row.and_then(|row| row.try_get_by_index::<i64>(0).ok()).unwrap_or_default() as u64)
}

/// Detaches without blocking the servers; finishes a detach an earlier run left pending.
async fn detach(db: &impl ConnectionTrait, partition: &str) -> Result<(), DbErr> {
    let pending = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT i.inhdetachpending FROM pg_inherits i WHERE i.inhrelid = $1::regclass",
            [partition.into()],
        ))
        .await?
        .and_then(|row| row.try_get_by_index::<bool>(0).ok())
        .unwrap_or(false);
    let how = if pending { "FINALIZE" } else { "CONCURRENTLY" };
    db.execute_unprepared(&format!("ALTER TABLE call_records DETACH PARTITION {partition} {how}")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_name_their_partitions_and_back() {
        let month = Month::of(Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap());
        assert_eq!(month.partition(), "call_records_2026_12");
        assert_eq!(month.next().first_day(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(Month::from_partition("call_records_2026_12"), Some(month));
        assert_eq!(Month::from_partition("call_records_unpartitioned"), None);
    }
}
