//! Rated call records: bulk import from the billing engine's CSV (`import`), CSV exports
//! streamed from the database (`export`; on PostgreSQL by binary `COPY`, `copy_out` and
//! `binary_copy`; rows written by `csv_format`), and the office managers' Call History (`history`).

mod binary_copy;
mod copy_out;
mod csv_format;
mod export;
pub mod history;
mod import;
pub mod partitions;

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
