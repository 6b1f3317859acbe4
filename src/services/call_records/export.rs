//! Call records as CSV, streamed with constant memory whatever the size. On PostgreSQL one binary
//! `COPY … TO STDOUT` of the raw columns (`copy_out`); on SQLite, keyset chunks over
//! `(started_at, id)` with no connection held between chunks. Both write rows with `csv_format`.

use chrono::{DateTime, Utc};
use entity::{call_record, invoice};
use futures_util::{Stream, StreamExt, stream, stream::BoxStream};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};

use super::csv_format::{Call, CsvWriter};

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
    let header = Some(CsvWriter::with_header().take());
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
                    let mut writer = CsvWriter::new();
                    rows.iter().for_each(|row| writer.write(&row.call()));
                    Some((Ok(writer.take()), (db, None, last, done)))
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

impl Row {
    fn call(&self) -> Call<'_> {
        Call {
            call_id: &self.call_id,
            started_at: self.started_at.timestamp(),
            direction: &self.direction,
            from_number: &self.from_number,
            to_number: &self.to_number,
            duration_seconds: self.duration_seconds,
            call_type: &self.call_type,
            rated_amount_micros: self.rated_amount_micros,
            currency: self.currency.code(),
            invoice_number: self.invoice_number.as_deref().unwrap_or_default(),
        }
    }
}
