//! Rated call records: bulk import from the billing engine's CSV, and CSV exports streamed from
//! the database in keyset chunks (constant memory, and no connection held between chunks).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{account, call_record, invoice};
use futures_util::{Stream, stream};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Set, TransactionTrait,
};

use crate::domain::csv_cell::neutralise;

use super::{ServiceError, ServiceResult};

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
const CHUNK: u64 = 2_000;
const IMPORT_BATCH: usize = 1_000;

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
    currency: String,
    invoice_number: Option<String>,
}

/// The CSV of the selected calls of one account, oldest first, as a stream of chunks.
pub fn csv_stream(
    db: DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let header = Some(csv_bytes(std::iter::once(COLUMNS.map(str::to_string).to_vec())));
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
        query = query.filter(
            Condition::any().add(call_record::Column::StartedAt.gt(started_at)).add(
                Condition::all()
                    .add(call_record::Column::StartedAt.eq(started_at))
                    .add(call_record::Column::Id.gt(id)),
            ),
        );
    }
    query
        .order_by_asc(call_record::Column::StartedAt)
        .order_by_asc(call_record::Column::Id)
        .limit(CHUNK)
        .into_model::<Row>()
        .all(db)
        .await
}

fn record(row: Row) -> Vec<String> {
    vec![
        row.call_id,
        row.started_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        row.direction,
        row.from_number,
        row.to_number,
        row.duration_seconds.to_string(),
        row.call_type,
        format_micros(row.rated_amount_micros),
        row.currency,
        row.invoice_number.unwrap_or_default(),
    ]
}

/// Millionths as a decimal with at least two places: 350000 is "0.35", 1 is "0.000001".
fn format_micros(micros: i64) -> String {
    let mut amount = Decimal::new(micros, 6).normalize();
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    amount.to_string()
}

fn csv_bytes(records: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        // Writing to memory cannot fail.
        let _ = writer.write_record(record.iter().map(|cell| neutralise(cell).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

/// Why an import was refused: where, and what is wrong. Nothing was loaded.
#[derive(Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: u64,
    pub column: Option<&'static str>,
    pub problem: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.problem),
            None => write!(f, "line {}: {}", self.line, self.problem),
        }
    }
}

pub enum ImportOutcome {
    Imported(u64),
    Refused(ImportError),
}

/// Loads a CSV of rated calls into one account, all or nothing: one transaction, inserted in
/// batches; the first bad row refuses the whole file, naming its line, column and problem.
pub async fn import(
    db: &DatabaseConnection,
    account_number: &str,
    input: impl std::io::Read,
) -> ServiceResult<ImportOutcome> {
    let account = account::Entity::find()
        .filter(account::Column::Number.eq(account_number))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let invoices: HashMap<String, i64> = invoice::Entity::find()
        .filter(invoice::Column::AccountId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|invoice| (invoice.number, invoice.id))
        .collect();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
    let header_ok = reader.headers().map(|h| h.iter().eq(COLUMNS.iter().copied())).unwrap_or(false);
    if !header_ok {
        let problem = format!("the header must be exactly: {}", COLUMNS.join(","));
        return Ok(ImportOutcome::Refused(ImportError { line: 1, column: None, problem }));
    }

    let txn = db.begin().await?;
    let mut seen = HashSet::new();
    let mut batch: Vec<(u64, call_record::ActiveModel)> = Vec::with_capacity(IMPORT_BATCH);
    let mut imported = 0u64;
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                return Ok(ImportOutcome::Refused(ImportError {
                    line,
                    column: None,
                    problem: error.to_string(),
                }));
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let call = match parse(&record, account.id, &account.currency, &invoices) {
            Ok(call) => call,
            Err((column, problem)) => {
                return Ok(ImportOutcome::Refused(ImportError { line, column: Some(column), problem }));
            }
        };
        if !seen.insert(record[0].trim().to_string()) {
            let problem = "this call_id appears earlier in the file".into();
            return Ok(ImportOutcome::Refused(ImportError { line, column: Some("call_id"), problem }));
        }
        batch.push((line, call));
        if batch.len() == IMPORT_BATCH {
            if let Some(refusal) = insert(&txn, account.id, std::mem::take(&mut batch)).await? {
                return Ok(ImportOutcome::Refused(refusal));
            }
            imported += IMPORT_BATCH as u64;
        }
    }
    let rest = batch.len() as u64;
    if let Some(refusal) = insert(&txn, account.id, batch).await? {
        return Ok(ImportOutcome::Refused(refusal));
    }
    txn.commit().await?;
    Ok(ImportOutcome::Imported(imported + rest))
}

/// Inserts a batch, first refusing any call already in the database (naming its line).
async fn insert(
    txn: &sea_orm::DatabaseTransaction,
    account_id: i64,
    batch: Vec<(u64, call_record::ActiveModel)>,
) -> ServiceResult<Option<ImportError>> {
    if batch.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = batch.iter().map(|(_, call)| call.call_id.as_ref().clone()).collect();
    let existing: Vec<String> = call_record::Entity::find()
        .select_only()
        .column(call_record::Column::CallId)
        .filter(call_record::Column::AccountId.eq(account_id))
        .filter(call_record::Column::CallId.is_in(ids))
        .into_tuple()
        .all(txn)
        .await?;
    if let Some((line, _)) = batch.iter().find(|(_, call)| existing.contains(call.call_id.as_ref())) {
        let problem = "this call_id has already been imported".into();
        return Ok(Some(ImportError { line: *line, column: Some("call_id"), problem }));
    }
    call_record::Entity::insert_many(batch.into_iter().map(|(_, call)| call)).exec(txn).await?;
    Ok(None)
}

type FieldError = (&'static str, String);

fn parse(
    record: &csv::StringRecord,
    account_id: i64,
    currency: &str,
    invoices: &HashMap<String, i64>,
) -> Result<call_record::ActiveModel, FieldError> {
    if record.len() != COLUMNS.len() {
        return Err(("call_id", format!("expected {} columns, found {}", COLUMNS.len(), record.len())));
    }
    let field = |index: usize| record[index].trim();
    let call_id = field(0);
    if call_id.is_empty() || call_id.len() > 64 {
        return Err(("call_id", "must be 1 to 64 characters".into()));
    }
    let started_at = DateTime::parse_from_rfc3339(field(1))
        .map_err(|_| ("started_at", format!("{:?} is not an RFC 3339 time", field(1))))?
        .with_timezone(&Utc);
    let direction = field(2);
    if !matches!(direction, "inbound" | "outbound") {
        return Err(("direction", format!("{direction:?} is not inbound or outbound")));
    }
    for (index, name) in [(3, "from_number"), (4, "to_number")] {
        let number = field(index);
        if number.is_empty() || number.len() > 32 || !number.chars().all(|c| c.is_ascii_digit() || c == '+') {
            return Err((name, format!("{number:?} is not a phone number")));
        }
    }
    let duration: i32 =
        field(5).parse().ok().filter(|seconds| *seconds >= 0).ok_or_else(|| {
            ("duration_seconds", format!("{:?} is not a whole number of seconds", field(5)))
        })?;
    let call_type = field(6);
    if !matches!(call_type, "local" | "long_distance" | "international" | "toll_free") {
        return Err((
            "call_type",
            format!("{call_type:?} is not local, long_distance, international or toll_free"),
        ));
    }
    let rated: Decimal =
        field(7).parse().map_err(|_| ("rated_amount", format!("{:?} is not a decimal amount", field(7))))?;
    let micros = rated
        .checked_mul(Decimal::from(1_000_000))
        .and_then(|scaled| scaled.normalize().try_into().ok())
        .filter(|_| rated.scale() <= 6 && rated >= Decimal::ZERO)
        .ok_or_else(|| ("rated_amount", format!("{:?}: at most 6 decimals, not negative", field(7))))?;
    if field(8) != currency {
        return Err(("currency", format!("{:?} is not the account's currency, {currency}", field(8))));
    }
    let invoice_id =
        match field(9) {
            "" => None,
            number => Some(*invoices.get(number).ok_or_else(|| {
                ("invoice_number", format!("{number:?} is not an invoice of this account"))
            })?),
        };
    Ok(call_record::ActiveModel {
        account_id: Set(account_id),
        invoice_id: Set(invoice_id),
        call_id: Set(call_id.to_string()),
        started_at: Set(started_at),
        direction: Set(direction.to_string()),
        from_number: Set(field(3).to_string()),
        to_number: Set(field(4).to_string()),
        duration_seconds: Set(duration),
        call_type: Set(call_type.to_string()),
        rated_amount_micros: Set(micros),
        currency: Set(currency.to_string()),
        ..Default::default()
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_precision_with_at_least_two_places() {
        assert_eq!(format_micros(350_000), "0.35");
        assert_eq!(format_micros(0), "0.00");
        assert_eq!(format_micros(1), "0.000001");
        assert_eq!(format_micros(12_345_678), "12.345678");
    }
}
