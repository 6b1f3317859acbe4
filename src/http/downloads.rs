//! `GET /downloads/{payload}/{signature}`: the files behind signed links (invoice PDFs, call
//! records CSVs). The link alone is the credential; forged, altered or expired links get 403.

use poem::{
    Body, Response, handler,
    http::{StatusCode, header},
    web::{Data, Path},
};

use crate::{
    domain::time,
    services::{
        Deps, ServiceError, accounts,
        billing::{documents, invoices},
        call_records::{self, Selection},
        downloads::{self, Download, Grant},
    },
};

#[handler]
pub async fn fetch(Path((payload, signature)): Path<(String, String)>, Data(deps): Data<&Deps>) -> Response {
    let Some(grant) = downloads::verify(deps, &payload, &signature) else {
        return plain(StatusCode::FORBIDDEN, "This link is invalid or has expired.");
    };
    match serve(deps, grant).await {
        Ok(response) => response,
        Err(ServiceError::NotFound) => plain(StatusCode::NOT_FOUND, "Not found."),
        Err(error) => {
            tracing::error!(error = %crate::telemetry::chain(&error), "a download failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
        }
    }
}

async fn serve(deps: &Deps, Grant { account_id, download }: Grant) -> Result<Response, ServiceError> {
    match download {
        Download::InvoicePdf(invoice_id) => {
            let (name, bytes) = documents::pdf(deps, account_id, invoice_id).await?;
            Ok(file("application/pdf", &name, Body::from_vec(bytes)))
        }
        Download::InvoiceCalls(invoice_id) => {
            let invoice = invoices::find_in_account(deps, account_id, invoice_id).await?;
            let stream =
                call_records::csv_stream(deps.db.clone(), account_id, Selection::Invoice(invoice.id));
            let name = format!("{}-calls.csv", invoice.number);
            Ok(file("text/csv; charset=utf-8", &name, Body::from_bytes_stream(stream)))
        }
        Download::CallHistory { from, to } => {
            let account = accounts::find_by_id(deps, account_id).await?;
            let (from_utc, until) = time::local_days(&account.time_zone, from, to);
            let stream = call_records::csv_stream(
                deps.db.clone(),
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
