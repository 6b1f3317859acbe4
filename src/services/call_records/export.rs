//! Call records as CSV, streamed with constant memory whatever the size. On PostgreSQL the database
//! writes the CSV itself (`COPY … TO STDOUT`, formatted in SQL) and its bytes go straight to the
//! response: the fastest path there is. On SQLite, keyset chunks over `(started_at, id)`, formatted
//! here, with no connection held between chunks.

use chrono::{DateTime, SecondsFormat, Utc};
use entity::{call_record, invoice};
use futures_util::{Stream, StreamExt, stream, stream::BoxStream};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};

use crate::domain::csv_cell::neutralise;

use super::COLUMNS;

/// Rows per keyset chunk: large enough to amortise a query, small enough to keep memory flat.
const CHUNK: u64 = 20_000;

/// Which calls an export holds.
#[derive(Clone, Copy, Debug)]
pub enum Selection {
    /// Every call billed on one invoice.
    Invoice(i64),
    /// Billed calls started in `[from, until)`.
    BilledBetween { from: DateTime<Utc>, until: DateTime<Utc> },
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    call_id: String,
    started_at: DateTime<Utc>,
    direction: String,
    from_number: String,
    to_number: String,
    duration_seconds: i32,
    call_type: String,
    rated_amount_micros: i64,
    currency: entity::Currency,
    invoice_number: Option<String>,
}

/// The CSV of the selected calls of one account, oldest first, as a stream of chunks.
pub fn csv_stream(
    db: DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> BoxStream<'static, Result<Vec<u8>, std::io::Error>> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => super::copy_out::csv_stream(db, account_id, selection).boxed(),
        _ => chunked_stream(db, account_id, selection).boxed(),
    }
}

/// The portable path: keyset chunks, formatted here.
fn chunked_stream(
    db: DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let header = Some(csv_bytes(std::iter::once(COLUMNS.map(str::to_string))));
    stream::unfold(
        (db, header, None::<(DateTime<Utc>, i64)>, false),
        move |(db, header, after, done)| async move {
            if let Some(header) = header {
                return Some((Ok(header), (db, None, after, done)));
            }
            if done {
                return None;
            }
            match chunk(&db, account_id, selection, after).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let last = rows.last().map(|row| (row.started_at, row.id));
                    let done = (rows.len() as u64) < CHUNK;
                    Some((Ok(csv_bytes(rows.into_iter().map(record))), (db, None, last, done)))
                }
                Err(error) => {
                    tracing::error!(%error, "a call records export failed midway");
                    Some((Err(std::io::Error::other("export failed")), (db, None, after, true)))
                }
            }
        },
    )
}

async fn chunk(
    db: &DatabaseConnection,
    account_id: i64,
    selection: Selection,
    after: Option<(DateTime<Utc>, i64)>,
) -> Result<Vec<Row>, sea_orm::DbErr> {
    let mut query = call_record::Entity::find()
        .select_only()
        .columns([
            call_record::Column::Id,
            call_record::Column::CallId,
            call_record::Column::StartedAt,
            call_record::Column::Direction,
            call_record::Column::FromNumber,
            call_record::Column::ToNumber,
            call_record::Column::DurationSeconds,
            call_record::Column::CallType,
            call_record::Column::RatedAmountMicros,
            call_record::Column::Currency,
        ])
        .column_as(invoice::Column::Number, "invoice_number")
        .join(JoinType::LeftJoin, call_record::Relation::Invoice.def())
        .filter(call_record::Column::AccountId.eq(account_id));
    query = match selection {
        Selection::Invoice(invoice_id) => query.filter(call_record::Column::InvoiceId.eq(invoice_id)),
        Selection::BilledBetween { from, until } => query
            .filter(call_record::Column::InvoiceId.is_not_null())
            .filter(call_record::Column::StartedAt.gte(from))
            .filter(call_record::Column::StartedAt.lt(until)),
    };
    if let Some((started_at, id)) = after {
        // A row comparison, which both databases answer from the (…, started_at, id) indexes.
        use sea_orm::sea_query::{Expr, ExprTrait};
        let key = Expr::tuple([
            Expr::col((call_record::Entity, call_record::Column::StartedAt)),
            Expr::col((call_record::Entity, call_record::Column::Id)),
        ]);
        query = query.filter(key.gt(Expr::tuple([Expr::value(started_at), Expr::value(id)])));
    }
    query
        .order_by_asc(call_record::Column::StartedAt)
        .order_by_asc(call_record::Column::Id)
        .limit(CHUNK)
        .into_model::<Row>()
        .all(db)
        .await
}

fn record(row: Row) -> [String; 10] {
    [
        row.call_id,
        row.started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        row.direction,
        row.from_number,
        row.to_number,
        row.duration_seconds.to_string(),
        row.call_type,
        format_micros(row.rated_amount_micros),
        row.currency.code().to_string(),
        row.invoice_number.unwrap_or_default(),
    ]
}

/// Millionths as a decimal with at least two places: 350000 is "0.35", 1 is "0.000001".
fn format_micros(micros: i64) -> String {
    // Integer arithmetic: this runs once per exported row.
    let sign = if micros < 0 { "-" } else { "" };
    let (units, fraction) = (micros.unsigned_abs() / 1_000_000, micros.unsigned_abs() % 1_000_000);
    let digits = format!("{fraction:06}");
    let kept = digits.trim_end_matches('0').len().max(2);
    format!("{sign}{units}.{}", &digits[..kept])
}

fn csv_bytes(records: impl Iterator<Item = [String; 10]>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(128 * CHUNK as usize));
    for record in records {
        for cell in &record {
            // Writing to memory cannot fail.
            let _ = writer.write_field(neutralise(cell).as_bytes());
        }
        let _ = writer.write_record(None::<&[u8]>);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_precision_with_at_least_two_places() {
        assert_eq!(format_micros(350_000), "0.35");
        assert_eq!(format_micros(0), "0.00");
        assert_eq!(format_micros(1), "0.000001");
        assert_eq!(format_micros(12_345_678), "12.345678");
        assert_eq!(format_micros(1_500_000), "1.50");
        assert_eq!(format_micros(-1_000_000), "-1.00");
    }
}
