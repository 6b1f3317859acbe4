//! `import-cdrs`: the billing engine's CSV, validated row by row and loaded all or nothing.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    io::{Read, Seek, Write},
};

use chrono::{DateTime, Utc};
use entity::{Currency, account, call_record, invoice};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::services::{
    Deps, ServiceError, ServiceResult,
    activity::{self, Action},
};

use super::{
    COLUMNS,
    partitions::{self, Month},
};

const IMPORT_BATCH: usize = 1_000;

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

/// How often an import says how far it has come.
pub const PROGRESS_EVERY: u64 = 10_000;

/// A validated row, ready to store.
struct NewCall {
    invoice_id: Option<i64>,
    call_id: String,
    started_at: DateTime<Utc>,
    direction: String,
    from_number: String,
    to_number: String,
    duration_seconds: i32,
    call_type: String,
    rated_amount_micros: i64,
}

/// Loads a CSV of rated calls into one account, all or nothing; the first bad row refuses the
/// whole file, naming its line, column and problem. On PostgreSQL the rows stream into one
/// `COPY … FROM STDIN` (a single statement, so atomic by itself); on SQLite they go in batched
/// inserts inside one transaction. `progress` hears how many rows have been read, every
/// [`PROGRESS_EVERY`] rows.
pub async fn import(
    deps: &Deps,
    account_number: &str,
    input: impl std::io::Read,
    progress: &mut dyn FnMut(u64),
) -> ServiceResult<ImportOutcome> {
    let db = &deps.db;
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

    let mut sink = Sink::open(deps, &account).await?;
    // Each call's line, to name it if the database already holds it.
    let mut lines: HashMap<String, u64> = HashMap::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                // Nothing reached PostgreSQL (the spool goes when dropped); SQLite's transaction rolls back.
                drop(sink);
                return Ok(ImportOutcome::Refused(ImportError {
                    line,
                    column: None,
                    problem: error.to_string(),
                }));
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let read = lines.len() as u64 + 1;
        if read.is_multiple_of(PROGRESS_EVERY) {
            progress(read);
        }
        let refusal = match parse(&record, account.currency, &invoices) {
            Err((column, problem)) => Some(ImportError { line, column: Some(column), problem }),
            Ok(call) if lines.contains_key(&call.call_id) => Some(ImportError {
                line,
                column: Some("call_id"),
                problem: "this call_id appears earlier in the file".into(),
            }),
            Ok(call) => {
                lines.insert(call.call_id.clone(), line);
                sink.push(call, &lines).await?
            }
        };
        if let Some(refusal) = refusal {
            drop(sink);
            return Ok(ImportOutcome::Refused(refusal));
        }
    }
    // The months PostgreSQL's partitions hold the rows of (none on SQLite, one table).
    let months = sink.months();
    let outcome = sink.finish(deps, &lines).await?;
    if let ImportOutcome::Imported(rows) = outcome {
        // Recorded once the rows are in: PostgreSQL's COPY commits on its own connection. An import
        // whose record failed to be written is still reported as an error to the operator.
        let summary = format!("Imported {rows} call records");
        activity::record(db, account.id, None, Action::CallRecordsImported, summary, deps.now()).await?;
    }
    if let ImportOutcome::Imported(_) = outcome
        && let Some(months) = &months
    {
        // A bulk load leaves PostgreSQL's statistics stale: without fresh ones, exports would walk
        // the whole account's calls for every chunk. The rows are in either way: a failure here is
        // worth a warning, not a failed import.
        if let Err(error) = partitions::analyze(db, months).await {
            tracing::warn!(%error, "ANALYZE after the import failed; autovacuum will catch up");
        }
    }
    Ok(outcome)
}

fn already_imported(line: u64) -> ImportError {
    ImportError { line, column: Some("call_id"), problem: "this call_id has already been imported".into() }
}

/// Where validated rows go.
enum Sink {
    /// Validated rows wait in a file (memory stays flat) until the last is read: each month's
    /// partition must exist before the `COPY` into `call_records` starts (`partitions::ensure`
    /// cannot run while one does), and only the whole file says which months it spans.
    Postgres {
        spool: std::io::BufWriter<std::fs::File>,
        months: BTreeSet<Month>,
        // Boxed: the writer's state is large and the SQLite variant has none.
        buffer: Box<csv::Writer<Vec<u8>>>,
        account_id: i64,
        currency: Currency,
        rows: u64,
    },
    Sqlite {
        txn: sea_orm::DatabaseTransaction,
        batch: Vec<call_record::ActiveModel>,
        account_id: i64,
        currency: Currency,
        rows: u64,
    },
}

/// Bytes of CSV sent to PostgreSQL at a time.
const COPY_CHUNK: usize = 1 << 20;

impl Sink {
    async fn open(deps: &Deps, account: &account::Model) -> ServiceResult<Self> {
        let (account_id, currency) = (account.id, account.currency);
        Ok(match deps.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                // Unnamed, in the system's temporary directory: gone when closed, whatever happens.
                let spool = std::io::BufWriter::with_capacity(COPY_CHUNK, tempfile::tempfile()?);
                Sink::Postgres {
                    spool,
                    months: BTreeSet::new(),
                    buffer: Box::new(csv::Writer::from_writer(Vec::new())),
                    account_id,
                    currency,
                    rows: 0,
                }
            }
            _ => Sink::Sqlite { txn: deps.begin().await?, batch: Vec::new(), account_id, currency, rows: 0 },
        })
    }

    /// Adds a row; on SQLite a full batch is written, and may turn out to hold a known call.
    async fn push(
        &mut self,
        call: NewCall,
        lines: &HashMap<String, u64>,
    ) -> ServiceResult<Option<ImportError>> {
        match self {
            Sink::Postgres { spool, months, buffer, account_id, currency, rows } => {
                *rows += 1;
                months.insert(Month::of(call.started_at));
                let record = [
                    account_id.to_string(),
                    call.invoice_id.map(|id| id.to_string()).unwrap_or_default(),
                    call.call_id,
                    call.started_at.to_rfc3339(),
                    call.direction,
                    call.from_number,
                    call.to_number,
                    call.duration_seconds.to_string(),
                    call.call_type,
                    call.rated_amount_micros.to_string(),
                    currency.code().to_string(),
                ];
                buffer.write_record(&record).map_err(std::io::Error::from)?;
                if buffer.get_ref().len() >= COPY_CHUNK {
                    let chunk = std::mem::replace(buffer.as_mut(), csv::Writer::from_writer(Vec::new()));
                    spool.write_all(&chunk.into_inner().map_err(|e| e.into_error())?)?;
                }
                Ok(None)
            }
            Sink::Sqlite { txn, batch, account_id, currency, rows } => {
                *rows += 1;
                batch.push(call_record::ActiveModel {
                    account_id: Set(*account_id),
                    invoice_id: Set(call.invoice_id),
                    call_id: Set(call.call_id),
                    started_at: Set(call.started_at),
                    direction: Set(call.direction),
                    from_number: Set(call.from_number),
                    to_number: Set(call.to_number),
                    duration_seconds: Set(call.duration_seconds),
                    call_type: Set(call.call_type),
                    rated_amount_micros: Set(call.rated_amount_micros),
                    currency: Set(*currency),
                    ..Default::default()
                });
                if batch.len() < IMPORT_BATCH {
                    return Ok(None);
                }
                let known = insert_batch(txn, *account_id, std::mem::take(batch)).await?;
                Ok(known.map(|id| already_imported(lines.get(&id).copied().unwrap_or_default())))
            }
        }
    }

    fn months(&self) -> Option<BTreeSet<Month>> {
        match self {
            Sink::Postgres { months, .. } => Some(months.clone()),
            Sink::Sqlite { .. } => None,
        }
    }

    async fn finish(self, deps: &Deps, lines: &HashMap<String, u64>) -> ServiceResult<ImportOutcome> {
        match self {
            Sink::Postgres { spool, months, buffer, rows, .. } => {
                let mut spool = spool.into_inner().map_err(|e| e.into_error())?;
                spool.write_all(&buffer.into_inner().map_err(|e| e.into_error())?)?;
                spool.seek(std::io::SeekFrom::Start(0))?;
                partitions::ensure(&deps.db, &months).await?;
                match copy_in(deps, spool).await {
                    Ok(()) => Ok(ImportOutcome::Imported(rows)),
                    Err(error) => match duplicate_call_id(&error).and_then(|id| lines.get(&id)) {
                        Some(line) => Ok(ImportOutcome::Refused(already_imported(*line))),
                        None => Err(ServiceError::BulkLoad(error)),
                    },
                }
            }
            Sink::Sqlite { txn, batch, account_id, rows, .. } => {
                if let Some(id) = insert_batch(&txn, account_id, batch).await? {
                    return Ok(ImportOutcome::Refused(already_imported(
                        lines.get(&id).copied().unwrap_or_default(),
                    )));
                }
                txn.commit().await?;
                Ok(ImportOutcome::Imported(rows))
            }
        }
    }
}

/// The spooled rows, in one `COPY` (atomic by itself).
async fn copy_in(deps: &Deps, mut spool: std::fs::File) -> Result<(), sea_orm::sqlx::Error> {
    use sea_orm::sqlx::postgres::PgPoolCopyExt;
    let mut copy = deps
        .db
        .get_postgres_connection_pool()
        .copy_in_raw(
            "COPY call_records (account_id, invoice_id, call_id, started_at, direction, from_number, \
             to_number, duration_seconds, call_type, rated_amount_micros, currency) \
             FROM STDIN WITH (FORMAT csv)",
        )
        .await?;
    let mut chunk = vec![0; COPY_CHUNK];
    loop {
        let read = match spool.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) => {
                let _ = copy.abort("the spool could not be read").await;
                return Err(error.into());
            }
        };
        copy.send(&chunk[..read]).await?;
    }
    copy.finish().await.map(|_| ())
}

/// The call id in PostgreSQL's "Key (account_id, call_id, started_at)=(1, x, 2026-…) already
/// exists." detail (the constraint is named after the partition it was violated in).
fn duplicate_call_id(error: &sea_orm::sqlx::Error) -> Option<String> {
    let database = error.as_database_error()?;
    if database.kind() != sea_orm::sqlx::error::ErrorKind::UniqueViolation {
        return None;
    }
    let detail = database.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()?.detail()?;
    let values = detail.strip_prefix("Key (account_id, call_id, started_at)=(")?;
    let (_, rest) = values.split_once(", ")?;
    // A call id may hold ", "; the time after it does not.
    let (call_id, _) = rest.strip_suffix(") already exists.")?.rsplit_once(", ")?;
    Some(call_id.to_string())
}

/// Inserts a SQLite batch, unless one of its calls is already in the database: then its call id.
async fn insert_batch(
    txn: &sea_orm::DatabaseTransaction,
    account_id: i64,
    batch: Vec<call_record::ActiveModel>,
) -> ServiceResult<Option<String>> {
    if batch.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = batch.iter().map(|call| call.call_id.as_ref().clone()).collect();
    let known: HashSet<String> = call_record::Entity::find()
        .select_only()
        .column(call_record::Column::CallId)
        .filter(call_record::Column::AccountId.eq(account_id))
        .filter(call_record::Column::CallId.is_in(ids.clone()))
        .into_tuple()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    if let Some(id) = ids.into_iter().find(|id| known.contains(id)) {
        return Ok(Some(id));
    }
    call_record::Entity::insert_many(batch).exec(txn).await?;
    Ok(None)
}

type FieldError = (&'static str, String);

/// What switches write as an inbound call's caller id when the caller withheld it (any case).
const WITHHELD_CALLER_IDS: [&str; 4] = ["anonymous", "private", "restricted", "unavailable"];

fn parse(
    record: &csv::StringRecord,
    currency: Currency,
    invoices: &HashMap<String, i64>,
) -> Result<NewCall, FieldError> {
    if record.len() != COLUMNS.len() {
        return Err(("call_id", format!("expected {} columns, found {}", COLUMNS.len(), record.len())));
    }
    let field = |index: usize| record[index].trim();
    let call_id = field(0);
    if call_id.is_empty() || call_id.len() > 64 || call_id.chars().any(char::is_control) {
        return Err(("call_id", "must be 1 to 64 characters, none of them control characters".into()));
    }
    let started_at = DateTime::parse_from_rfc3339(field(1))
        .map_err(|_| ("started_at", format!("{:?} is not an RFC 3339 time", field(1))))?
        .with_timezone(&Utc);
    let direction = field(2);
    if !matches!(direction, "inbound" | "outbound") {
        return Err(("direction", format!("{direction:?} is not inbound or outbound")));
    }
    // Who called in may have withheld their number: switches write a word instead (kept in lower
    // case). Only a caller can withhold: never the number called, nor ours on an outbound call.
    let withheld =
        direction == "inbound" && WITHHELD_CALLER_IDS.iter().any(|w| field(3).eq_ignore_ascii_case(w));
    let from_number = if withheld { field(3).to_ascii_lowercase() } else { field(3).to_string() };
    let numbers: &[(&str, &'static str)] = if withheld {
        &[(field(4), "to_number")]
    } else {
        &[(field(3), "from_number"), (field(4), "to_number")]
    };
    for &(number, name) in numbers {
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
    if field(8) != currency.code() {
        return Err((
            "currency",
            format!("{:?} is not the account's currency, {}", field(8), currency.code()),
        ));
    }
    let invoice_id =
        match field(9) {
            "" => None,
            number => Some(*invoices.get(number).ok_or_else(|| {
                ("invoice_number", format!("{number:?} is not an invoice of this account"))
            })?),
        };
    Ok(NewCall {
        invoice_id,
        call_id: call_id.to_string(),
        started_at,
        direction: direction.to_string(),
        from_number,
        to_number: field(4).to_string(),
        duration_seconds: duration,
        call_type: call_type.to_string(),
        rated_amount_micros: micros,
    })
}
