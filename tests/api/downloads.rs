//! Invoice PDFs and call record CSVs behind signed links.

use std::process::{Command, Stdio};

use billing_portal::clock::Clock;
use serde_json::{Value, json};

use crate::{
    helpers::{MANAGER, MEMBER, Options, PRAIRIE, TestApp, cents},
    operations::operation,
};

/// The newest invoice's details, as the frontend asks for them.
pub async fn newest_invoice(app: &TestApp, token: &str) -> Value {
    let list = app.graphql(&operation("Invoices"), json!({ "first": 1 }), Some(token)).await;
    let id = list["data"]["account"]["invoices"]["edges"][0]["node"]["id"].clone();
    let details = app.graphql(&operation("InvoiceDetails"), json!({ "id": id }), Some(token)).await;
    details["data"]["invoice"].clone()
}

/// Links are built on `PUBLIC_URL`; the test fetches them from the app's real address.
pub fn local(app: &TestApp, url: &str) -> String {
    url.replace(crate::helpers::PUBLIC_URL, &app.address)
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "pdftotext reads the PDF");
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn a_member_downloads_the_invoice_pdf_with_a_plain_get() {
    let app = TestApp::spawn().await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    let invoice = newest_invoice(&app, &token).await;
    let response = reqwest::get(local(&app, invoice["pdfUrl"].as_str().unwrap())).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let number = invoice["number"].as_str().unwrap();
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{number}.pdf\"").as_str()
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    assert!(text.contains(number), "{text}");
    assert!(text.contains("Maple Dental Clinic") && text.contains("Account 1001"), "{text}");
    assert!(text.contains(invoice["total"]["amount"].as_str().unwrap()), "the total is printed: {text}");
    assert!(text.contains("HST 13%"), "{text}");
    for line in invoice["lineItems"].as_array().unwrap() {
        assert!(text.contains(line["amount"]["amount"].as_str().unwrap()), "{line}");
    }
    assert!(text.contains("Page 1 of 1"));
}

#[test]
fn a_long_invoice_breaks_across_pages_and_repeats_its_header() {
    use billing_portal::pdf::{InvoiceDocument, InvoiceLine, render_invoice};
    let lines = (1..=120)
        .map(|n| InvoiceLine {
            description: format!("Extension {n:03} hosted seat"),
            quantity: "1".into(),
            unit_price: "24.95".into(),
            amount: "24.95".into(),
        })
        .collect();
    let document = InvoiceDocument {
        invoice_number: "INV-9-LONG".into(),
        lines,
        total: "3389.21".into(),
        amount_due: "3389.21".into(),
        currency_code: "CAD".into(),
        ..InvoiceDocument::default()
    };
    let text = pdf_text(&render_invoice(&document).unwrap());
    let pages = text.matches("Page ").count();
    assert!(pages >= 3, "{pages} pages");
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    assert_eq!(text.matches("Unit price").count(), pages, "the table header on every page");
    assert!(text.contains("Extension 001") && text.contains("Extension 120"), "no line is lost");
    assert!(text.contains("3389.21"));
}

#[tokio::test]
async fn the_invoice_csv_lists_every_call_it_billed_in_the_contract_format() {
    let app = TestApp::spawn().await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    let invoice = newest_invoice(&app, &token).await;
    let response = reqwest::get(local(&app, invoice["callRecordsCsvUrl"].as_str().unwrap())).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers()["content-disposition"].to_str().unwrap().ends_with("-calls.csv\""));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        billing_portal::services::call_records::COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as i64, invoice["callSummary"]["callCount"].as_i64().unwrap());
    let number = invoice["number"].as_str().unwrap();
    assert!(rows.iter().all(|row| &row[9] == number));
    let seconds: i64 = rows.iter().map(|row| row[5].parse::<i64>().unwrap()).sum();
    assert_eq!(seconds, invoice["callSummary"]["billedSeconds"].as_i64().unwrap());
    let micros: i64 = rows.iter().map(|row| (row[7].parse::<f64>().unwrap() * 1e6).round() as i64).sum();
    assert_eq!(
        (micros + 5_000) / 10_000,
        cents(&invoice["callSummary"]["charges"]),
        "rounded once, per invoice"
    );
    let started: Vec<&str> = rows.iter().map(|row| row.get(1).unwrap()).collect();
    assert!(started.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert!(
        rows.iter().all(|row| row[3].starts_with('+') && !row[3].starts_with("'")),
        "E.164 numbers as they are"
    );
}

#[tokio::test]
async fn a_tampered_link_is_refused_and_links_are_bound_to_their_account() {
    let app = TestApp::spawn().await;
    let maple = app.login(MANAGER.0, MANAGER.1).await;
    let invoice = newest_invoice(&app, &maple).await;
    let url = local(&app, invoice["pdfUrl"].as_str().unwrap());
    let (base, signature) = url.rsplit_once('/').unwrap();
    let (prefix, payload) = base.rsplit_once('/').unwrap();

    let mut flipped = signature.to_string().into_bytes();
    flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
    let forged_payload = {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let text = String::from_utf8(engine.decode(payload).unwrap()).unwrap();
        let other_account = text.replacen("|1|", "|2|", 1);
        engine.encode(other_account)
    };
    for bad in [
        format!("{prefix}/{payload}/{}", String::from_utf8(flipped).unwrap()),
        format!("{prefix}/{forged_payload}/{signature}"),
        format!("{prefix}/{payload}/"),
        format!("{prefix}/garbage/{signature}"),
    ] {
        let response = reqwest::get(&bad).await.unwrap();
        assert!(response.status() == 403 || response.status() == 404, "{bad}: {}", response.status());
        assert!(!response.headers()["content-type"].to_str().unwrap().contains("pdf"));
    }
    assert_eq!(reqwest::get(&format!("{prefix}/{forged_payload}/{signature}")).await.unwrap().status(), 403);

    // Prairie cannot reach Maple's invoice by id either.
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    let answer =
        app.graphql(&operation("InvoiceDetails"), json!({ "id": invoice["id"] }), Some(&prairie)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn a_link_expires_after_15_minutes() {
    let clock = Clock::manual(chrono::Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let invoice = newest_invoice(&app, &token).await;
    let url = local(&app, invoice["pdfUrl"].as_str().unwrap());

    clock.advance(chrono::Duration::minutes(15) - chrono::Duration::seconds(1));
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 200, "a second before it expires");
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 403, "when it expires");
}
