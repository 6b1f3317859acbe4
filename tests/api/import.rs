//! `import-cdrs`: the billing engine's CSV, all or nothing, with errors that point at the problem.

use std::process::Output;

use serde_json::json;

use crate::{
    helpers::{MANAGER, TestApp, query_i64},
    operations::operation,
};

const HEADER: &str = "call_id,started_at,direction,from_number,to_number,duration_seconds,call_type,rated_amount,currency,invoice_number";

fn import(app: &TestApp, csv: &str) -> Output {
    let file = app.mail_dir.with_file_name("calls.csv");
    std::fs::write(&file, csv).unwrap();
    crate::cli::billing_portal(app, &["import-cdrs", "--account", "1001", file.to_str().unwrap()], &[])
}

/// The invoice's call records CSV, downloaded as the customer would.
async fn invoice_csv(app: &TestApp, token: &str, id: &serde_json::Value) -> String {
    let details = app.graphql(&operation("InvoiceDetails"), json!({ "id": id }), Some(token)).await;
    let url = details["data"]["invoice"]["callRecordsCsvUrl"].as_str().unwrap();
    let response = reqwest::get(url.replace(crate::helpers::PUBLIC_URL, &app.address)).await.unwrap();
    response.text().await.unwrap()
}

async fn newest_invoice_number(app: &TestApp, token: &str) -> (String, serde_json::Value) {
    let list = app.graphql(&operation("Invoices"), json!({ "first": 1 }), Some(token)).await;
    let node = &list["data"]["account"]["invoices"]["edges"][0]["node"];
    (node["number"].as_str().unwrap().to_string(), node["id"].clone())
}

#[tokio::test]
async fn imported_calls_are_billed_and_exported_with_formulas_neutralised() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let (number, id) = newest_invoice_number(&app, &token).await;
    let before = query_i64(&app, "SELECT COUNT(*) FROM call_records").await;
    let csv = format!(
        "{HEADER}\n\
         =HYPERLINK(\"http://evil\"),2026-11-01T10:00:00Z,outbound,+14165550101,+15551234567,60,long_distance,0.035,CAD,{number}\n\
         x-2,2026-11-01T11:00:00+02:00,inbound,+15551234567,+14165550101,30,local,0,CAD,\n"
    );
    let output = import(&app, &csv);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Imported 2 call records"));
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records").await, before + 2);

    let body = invoice_csv(&app, &token, &id).await;
    let row = body.lines().find(|line| line.contains("HYPERLINK")).expect("the imported call is billed");
    assert!(row.starts_with("\"'=HYPERLINK("), "neutralised: {row}");
    assert!(row.contains(",+15551234567,"), "an E.164 number is written as it is: {row}");
    assert!(row.contains(",2026-11-01T10:00:00Z,"), "{row}");
    assert!(row.contains(",0.035,"), "sub-cent precision kept: {row}");
    assert!(!body.contains("x-2,"), "an unbilled call is on no invoice");
}

/// Every kind of cell the export formats, byte for byte. The suite runs on both databases, so this
/// holds PostgreSQL's `COPY` path and SQLite's Rust path to the same bytes.
#[tokio::test]
async fn the_export_writes_each_kind_of_cell_exactly_as_the_contract_says() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let (number, id) = newest_invoice_number(&app, &token).await;
    // Older than any demo call, so these come first in the export.
    let csv = format!(
        "{HEADER}\n\
         \"a,\"\"quoted\"\" id\",2020-01-02T08:00:00.750Z,outbound,+14165550101,+15551234567,61,long_distance,1.5,CAD,{number}\n\
         -2,2020-01-02T08:01:00Z,outbound,+1+1,+0123,0,local,0,CAD,{number}\n\
         @SUM(A1),2020-01-02T13:02:00+05:00,inbound,Anonymous,+1,5,toll_free,0.000001,CAD,{number}\n\
         plain,2020-01-02T08:03:00Z,outbound,14165550101,+123456789012345,3600,international,12.345678,CAD,{number}\n\
         +1234567,2020-01-02T08:04:00Z,outbound,+14165550101,+1234567890123456,1,local,100.350,CAD,{number}\n"
    );
    let output = import(&app, &csv);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let body = invoice_csv(&app, &token, &id).await;
    let expected = [
        HEADER.to_string(),
        format!(
            "\"a,\"\"quoted\"\" id\",2020-01-02T08:00:00Z,outbound,+14165550101,+15551234567,61,long_distance,1.50,CAD,{number}"
        ),
        format!("'-2,2020-01-02T08:01:00Z,outbound,'+1+1,'+0123,0,local,0.00,CAD,{number}"),
        format!("'@SUM(A1),2020-01-02T08:02:00Z,inbound,anonymous,'+1,5,toll_free,0.000001,CAD,{number}"),
        format!(
            "plain,2020-01-02T08:03:00Z,outbound,14165550101,+123456789012345,3600,international,12.345678,CAD,{number}"
        ),
        format!(
            "+1234567,2020-01-02T08:04:00Z,outbound,+14165550101,'+1234567890123456,1,local,100.35,CAD,{number}"
        ),
    ];
    let lines: Vec<&str> = body.split('\n').take(expected.len()).collect();
    assert_eq!(lines, expected);
    assert!(body.ends_with('\n') && !body.contains('\r'), "lines end in LF");
}

#[tokio::test]
async fn a_bad_row_loads_nothing_and_the_error_names_line_column_and_problem() {
    let app = TestApp::spawn().await;
    let before = query_i64(&app, "SELECT COUNT(*) FROM call_records").await;
    // More good rows than one insert batch holds, so the bad row comes after rows were written.
    let good: String = (0..1_500)
        .map(|i| format!("ok-{i},2026-11-01T10:00:00Z,outbound,+14165550101,+14165550102,60,local,0,CAD,"))
        .collect::<Vec<_>>()
        .join("\n");
    let bad_line = "line 1502";
    let cases = [
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,outbound,+1,+2,abc,local,0,CAD,\n"),
            format!("{bad_line}, column duration_seconds"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,yesterday,outbound,+1,+2,5,local,0,CAD,\n"),
            format!("{bad_line}, column started_at"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,sideways,+1,+2,5,local,0,CAD,\n"),
            format!("{bad_line}, column direction"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,inbound,+1,+2,5,local,0.1234567,CAD,\n"),
            format!("{bad_line}, column rated_amount"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,inbound,+1,+2,5,local,0,USD,\n"),
            format!("{bad_line}, column currency"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,inbound,+1,+2,5,local,0,CAD,INV-NOPE\n"),
            format!("{bad_line}, column invoice_number"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,outbound,anonymous,+2,5,local,0,CAD,\n"),
            format!("{bad_line}, column from_number"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,inbound,withheld,+2,5,local,0,CAD,\n"),
            format!("{bad_line}, column from_number"),
        ),
        (
            format!("{HEADER}\n{good}\nok-2,2026-11-01T10:00:00Z,inbound,private,private,5,local,0,CAD,\n"),
            format!("{bad_line}, column to_number"),
        ),
        (format!("{HEADER}\n{good}\n{good}\n"), format!("{bad_line}, column call_id")),
        ("call_id,started_at\n".to_string(), "line 1".to_string()),
    ];
    for (csv, expected) in cases {
        let output = import(&app, &csv);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{csv}");
        assert!(
            stderr.contains(&expected) && stderr.contains("nothing was imported"),
            "{expected}: {stderr}"
        );
        assert_eq!(
            query_i64(&app, "SELECT COUNT(*) FROM call_records").await,
            before,
            "nothing loaded: {csv}"
        );
    }
}

/// Real switches write a word for a caller who withheld their number; such calls load, and are
/// billed and exported like any other.
#[tokio::test]
async fn inbound_calls_from_withheld_numbers_are_accepted() {
    let app = TestApp::spawn().await;
    let token = crate::helpers::TestApp::login(&app, MANAGER.0, MANAGER.1).await;
    let (number, id) = newest_invoice_number(&app, &token).await;
    let rows: String = ["Anonymous", "PRIVATE", "restricted", "Unavailable"]
        .iter()
        .enumerate()
        .map(|(n, caller)| {
            format!("w-{n},2026-11-01T1{n}:00:00Z,inbound,{caller},+14165550101,42,local,0,CAD,{number}\n")
        })
        .collect();
    let output = import(&app, &format!("{HEADER}\n{rows}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let body = invoice_csv(&app, &token, &id).await;
    for caller in ["anonymous", "private", "restricted", "unavailable"] {
        assert!(body.contains(&format!(",inbound,{caller},+14165550101,")), "{caller} in the export");
    }
}

#[tokio::test]
async fn a_call_already_imported_is_refused_by_line() {
    let app = TestApp::spawn().await;
    let good =
        |id: &str| format!("{id},2026-11-01T10:00:00Z,outbound,+14165550101,+14165550102,60,local,0,CAD,");
    assert!(import(&app, &format!("{HEADER}\n{}\n", good("a-1"))).status.success());
    let output = import(&app, &format!("{HEADER}\n{}\n{}\n", good("a-2"), good("a-1")));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3, column call_id: this call_id has already been imported"), "{stderr}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records WHERE call_id = 'a-2'").await, 0);
}

#[tokio::test]
async fn an_export_larger_than_a_chunk_has_every_call_once_in_order() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let (number, id) = newest_invoice_number(&app, &token).await;
    // 12 500 calls, some sharing a start time, so chunks end mid-second and on ties.
    let rows: Vec<String> = (0..12_500)
        .map(|i| {
            format!(
                "big-{i:05},2026-11-0{}T{:02}:{:02}:00Z,outbound,+14165550101,+14165550102,60,local,0,CAD,{number}",
                1 + i % 3,
                (i / 60) % 24,
                i % 60
            )
        })
        .collect();
    let output = import(&app, &format!("{HEADER}\n{}\n", rows.join("\n")));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // Not a terminal: plain progress lines, then the summary.
    let progress = String::from_utf8_lossy(&output.stderr);
    assert!(progress.contains("10000 rows read ("), "{progress}");
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(summary.contains("Imported 12500 call records") && summary.contains("rows/s"), "{summary}");

    let details = app.graphql(&operation("InvoiceDetails"), json!({ "id": id }), Some(&token)).await;
    let expected = details["data"]["invoice"]["callSummary"]["callCount"].as_i64().unwrap();
    let url = details["data"]["invoice"]["callRecordsCsvUrl"].as_str().unwrap();
    let body = reqwest::get(url.replace(crate::helpers::PUBLIC_URL, &app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let records: Vec<csv::StringRecord> =
        csv::Reader::from_reader(body.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(records.len() as i64, expected);
    let ids: std::collections::HashSet<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids.len(), records.len(), "no call twice");
    assert!(records.windows(2).all(|w| w[0][1] <= w[1][1]), "in start order across chunks");
}
