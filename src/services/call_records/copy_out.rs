//! The PostgreSQL export path: the database formats the CSV itself (`COPY … TO STDOUT`) and its bytes
//! go to the response as they come. The SQL formats every cell as `export` does in Rust, so both
//! paths write the contract's CSV byte for byte (the download tests run on both databases).

use chrono::SecondsFormat;
use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use sea_orm::{DatabaseConnection, sqlx::postgres::PgPoolCopyExt};

use super::Selection;

/// PostgreSQL sends a message per row: rows that have already arrived go out in one write.
const ROWS_PER_WRITE: usize = 512;

pub fn csv_stream(
    db: DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let statement = statement(account_id, selection);
    // The stream holds a pooled connection until the last row is sent. A download dropped midway
    // returns it mid-COPY; sqlx drains the rest before its next use.
    stream::once(async move { db.get_postgres_connection_pool().copy_out_raw(&statement).await })
        .try_flatten()
        .ready_chunks(ROWS_PER_WRITE)
        .map(|rows| {
            let mut bytes =
                Vec::with_capacity(rows.iter().map(|row| row.as_ref().map_or(0, |r| r.len())).sum());
            for row in rows {
                match row {
                    Ok(row) => bytes.extend_from_slice(&row),
                    Err(error) => {
                        tracing::error!(%error, "a call records export failed midway");
                        return Err(std::io::Error::other("export failed"));
                    }
                }
            }
            Ok(bytes)
        })
}

/// The export as one statement. The values in it are our own integers and times (`COPY` takes no
/// parameters). Cells as `export::record` makes them: times in RFC 3339 to the second, amounts
/// with at least two decimals, text neutralised as `csv_cell::neutralise` does it. PostgreSQL's CSV
/// quotes a cell with a delimiter, quote or line break in it, as the `csv` crate does, and writes
/// `NULL` (a call not billed yet) as an empty cell.
fn statement(account_id: i64, selection: Selection) -> String {
    let which = match selection {
        Selection::Invoice(invoice_id) => format!("c.invoice_id = {invoice_id}"),
        Selection::BilledBetween { from, until } => format!(
            "c.invoice_id IS NOT NULL AND c.started_at >= '{}' AND c.started_at < '{}'",
            from.to_rfc3339_opts(SecondsFormat::Micros, true),
            until.to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
    };
    let m = "c.rated_amount_micros";
    format!(
        r#"COPY (SELECT {call_id} AS call_id,
             to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at,
             c.direction, {from} AS from_number, {to} AS to_number, c.duration_seconds, c.call_type,
             CASE WHEN {m} < 0 THEN '-' ELSE '' END || abs({m}) / 1000000 || '.' ||
               CASE WHEN abs({m}) % 10000 = 0 THEN lpad((abs({m}) % 1000000 / 10000)::text, 2, '0')
               ELSE rtrim(lpad((abs({m}) % 1000000)::text, 6, '0'), '0') END AS rated_amount,
             c.currency, {invoice} AS invoice_number
           FROM call_records c LEFT JOIN invoices i ON i.id = c.invoice_id
           WHERE c.account_id = {account_id} AND {which}
           ORDER BY c.started_at, c.id)
         TO STDOUT WITH (FORMAT csv, HEADER)"#,
        call_id = neutralised("c.call_id"),
        from = neutralised("c.from_number"),
        to = neutralised("c.to_number"),
        invoice = neutralised("i.number"),
    )
}

/// `csv_cell::neutralise` in SQL: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`, unless the
/// cell is an E.164 phone number.
fn neutralised(cell: &str) -> String {
    format!(
        r#"CASE WHEN left({cell}, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
             AND {cell} !~ '^\+[1-9][0-9]{{1,14}}$' THEN '''' || {cell} ELSE {cell} END"#
    )
}
