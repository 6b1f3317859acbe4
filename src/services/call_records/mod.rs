//! Rated call records: bulk import from the billing engine's CSV (`import`), and CSV exports
//! streamed from the database in keyset chunks (`export`).

mod export;
mod import;

use chrono::{DateTime, NaiveDate, Utc};

pub use export::{Selection, csv_stream};
pub use import::{ImportError, ImportOutcome, import};

/// The contract's columns, in order, for import and export alike.
pub const COLUMNS: [&str; 10] = [
    "call_id",
    "started_at",
    "direction",
    "from_number",
    "to_number",
    "duration_seconds",
    "call_type",
    "rated_amount",
    "currency",
    "invoice_number",
];

/// The UTC range of the account's calendar days `from` through `to`.
pub fn local_days(zone: &str, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |day: NaiveDate| {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        match crate::domain::time::parse_zone(zone) {
            Some(tz) => midnight
                .and_local_timezone(tz)
                .earliest()
                .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
            None => midnight.and_utc(),
        }
    };
    (start(from), start(to.succ_opt().unwrap_or(to)))
}
