//! `GET /downloads/{payload}/{signature}`: the files behind signed links (invoice PDFs, call
//! records CSVs). The link alone is the credential; forged, altered or expired links get 403.

use poem::{
    Body, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};

use crate::{
    services::{
        ServiceError, accounts,
        call_records::{self, Selection},
        downloads::{self, Download, Grant},
        invoice_documents, invoices,
    },
    state::AppState,
};

#[handler]
pub async fn fetch(
    Path((payload, signature)): Path<(String, String)>,
    Data(state): Data<&AppState>,
) -> Response {
    let Some(grant) = downloads::verify(&state.settings, &payload, &signature) else {
        return plain(StatusCode::FORBIDDEN, "This link is invalid or has expired.");
    };
    match serve(state, grant).await {
        Ok(response) => response,
        Err(ServiceError::NotFound) => plain(StatusCode::NOT_FOUND, "Not found."),
        Err(error) => {
            tracing::error!(?error, "a download failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
        }
    }
}

async fn serve(state: &AppState, Grant { account_id, download }: Grant) -> Result<Response, ServiceError> {
    match download {
        Download::InvoicePdf(invoice_id) => {
            let (name, bytes) = invoice_documents::pdf(state, account_id, invoice_id).await?;
            Ok(file("application/pdf", &name, Body::from_vec(bytes)))
        }
        Download::InvoiceCalls(invoice_id) => {
            let invoice = invoices::find_in_account(state, account_id, invoice_id).await?;
            let stream =
                call_records::csv_stream(state.db.clone(), account_id, Selection::Invoice(invoice.id));
            let name = format!("{}-calls.csv", invoice.number);
            Ok(file("text/csv; charset=utf-8", &name, Body::from_bytes_stream(stream)))
        }
        Download::CallHistory { from, to } => {
            let account = accounts::find_by_id(state, account_id).await?;
            let (from_utc, until) = call_records::local_days(&account.time_zone, from, to);
            let stream = call_records::csv_stream(
                state.db.clone(),
                account_id,
                Selection::BilledBetween { from: from_utc, until },
            );
            let name = format!("call-history-{}-{from}-to-{to}.csv", account.number);
            Ok(file("text/csv; charset=utf-8", &name, Body::from_bytes_stream(stream)))
        }
    }
}

/// A download: a name we chose, and never cached (it is the customer's data).
fn file(content_type: &str, name: &str, body: Body) -> Response {
    Response::builder()
        .content_type(content_type)
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .body(body)
}

fn plain(status: StatusCode, message: &str) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(message.to_string())
}
