//! The PostgreSQL export path: one binary `COPY … TO STDOUT` of the raw columns, each row formatted
//! here as it arrives (`csv_format`, as on SQLite). The database does the least it can (no text
//! formatting, no join: invoice numbers are looked up once) and the formatting runs on the server's
//! cores beside it, so a download keeps pace with PostgreSQL's own `COPY`.

use std::collections::HashMap;

use chrono::SecondsFormat;
use entity::invoice;
use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, sqlx::postgres::PgPoolCopyExt,
};

use super::{
    Selection,
    binary_copy::{self, Decoder, Malformed},
    csv_format::{Call, CsvWriter},
};

/// PostgreSQL sends a message per row: rows that have already arrived are formatted and go out in
/// one write.
const ROWS_PER_WRITE: usize = 512;

#[derive(Debug, thiserror::Error)]
enum ExportError {
    #[error(transparent)]
    Database(#[from] sea_orm::sqlx::Error),
    #[error(transparent)]
    Lookup(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Malformed(#[from] Malformed),
    #[error("a call billed on invoice {0}, which is not the account's")]
    UnknownInvoice(i64),
}

pub fn csv_stream(
    db: DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    // The stream holds a pooled connection until the last row is sent. A download dropped midway
    // returns it mid-COPY; sqlx drains the rest before its next use.
    stream::once(async move {
        let numbers = invoice_numbers(&db, account_id, selection).await?;
        let rows = db.get_postgres_connection_pool().copy_out_raw(&statement(account_id, selection)).await?;
        let formatter = Formatter { numbers, decoder: Decoder::default(), writer: CsvWriter::with_header() };
        let batches =
            stream::unfold(Some((rows.ready_chunks(ROWS_PER_WRITE), formatter)), |state| async move {
                let (mut rows, mut formatter) = state?;
                let Some(messages) = rows.next().await else {
                    // The end marker says no row was lost on the way.
                    let ended = formatter.decoder.ended();
                    return (!ended).then(|| (Err(Malformed("the rows ended early").into()), None));
                };
                match formatter.format(messages) {
                    Ok(bytes) => Some((Ok(bytes), Some((rows, formatter)))),
                    Err(error) => Some((Err(error), None)),
                }
            });
        Ok::<_, ExportError>(batches)
    })
    .try_flatten()
    .map_err(|error| {
        tracing::error!(%error, "a call records export failed midway");
        std::io::Error::other("export failed")
    })
}

struct Formatter {
    numbers: HashMap<i64, String>,
    decoder: Decoder,
    writer: CsvWriter,
}

impl Formatter {
    /// The CSV of every row received whole so far, with `messages`.
    fn format(
        &mut self,
        messages: Vec<Result<impl AsRef<[u8]>, sea_orm::sqlx::Error>>,
    ) -> Result<Vec<u8>, ExportError> {
        let Self { numbers, decoder, writer } = self;
        for message in messages {
            decoder.push(message?.as_ref());
        }
        decoder.drain(|fields| {
            let [call_id, started_at, direction, from, to, duration, call_type, micros, currency, invoice] =
                fields
            else {
                return Err(Malformed("not the ten columns asked for").into());
            };
            let invoice_number = match invoice {
                None => "",
                Some(id) => {
                    let id = binary_copy::int8(id)?;
                    numbers.get(&id).ok_or(ExportError::UnknownInvoice(id))?
                }
            };
            writer.write(&Call {
                call_id: binary_copy::text(value(call_id))?,
                started_at: binary_copy::unix_seconds(value(started_at))?,
                direction: binary_copy::text(value(direction))?,
                from_number: binary_copy::text(value(from))?,
                to_number: binary_copy::text(value(to))?,
                duration_seconds: binary_copy::int4(value(duration))?,
                call_type: binary_copy::text(value(call_type))?,
                rated_amount_micros: binary_copy::int8(value(micros))?,
                currency: binary_copy::text(value(currency))?,
                invoice_number,
            });
            Ok::<_, ExportError>(())
        })?;
        Ok(writer.take())
    }
}

/// A field's bytes; NULL (which no exported column but the invoice holds) as none.
fn value<'a>(field: &Option<&'a [u8]>) -> &'a [u8] {
    field.unwrap_or_default()
}

/// The numbers of the invoices the selected calls can be billed on (one for an invoice's CSV).
async fn invoice_numbers(
    db: &DatabaseConnection,
    account_id: i64,
    selection: Selection,
) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
    let mut query = invoice::Entity::find()
        .select_only()
        .columns([invoice::Column::Id, invoice::Column::Number])
        .filter(invoice::Column::AccountId.eq(account_id));
    if let Selection::Invoice(invoice_id) = selection {
        query = query.filter(invoice::Column::Id.eq(invoice_id));
    }
    Ok(query.into_tuple::<(i64, String)>().all(db).await?.into_iter().collect())
}

/// The export as one statement. The values in it are our own integers and times (`COPY` takes no
/// parameters).
fn statement(account_id: i64, selection: Selection) -> String {
    let which = match selection {
        Selection::Invoice(invoice_id) => format!("invoice_id = {invoice_id}"),
        Selection::BilledBetween { from, until } => format!(
            "invoice_id IS NOT NULL AND started_at >= '{}' AND started_at < '{}'",
            from.to_rfc3339_opts(SecondsFormat::Micros, true),
            until.to_rfc3339_opts(SecondsFormat::Micros, true),
        ),
    };
    format!(
        "COPY (SELECT call_id, started_at, direction, from_number, to_number, duration_seconds, call_type, \
                      rated_amount_micros, currency, invoice_id
               FROM call_records WHERE account_id = {account_id} AND {which}
               ORDER BY started_at, id)
         TO STDOUT WITH (FORMAT binary)"
    )
}
