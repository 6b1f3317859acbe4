//! Call History exports: office managers, billed calls, the last 6 months in the account's zone.

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};

use crate::{
    helpers::{MANAGER, MEMBER, TestApp},
    operations::operation,
};

pub fn today_in_toronto() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::America::Toronto).date_naive()
}

async fn request(app: &TestApp, token: &str, from: NaiveDate, to: NaiveDate) -> Value {
    app.graphql(&operation("RequestCallHistoryExport"), json!({ "from": from, "to": to }), Some(token)).await
}

#[tokio::test]
async fn exactly_six_months_is_accepted_and_one_day_more_refused() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let today = today_in_toronto();
    let six_months = today.checked_sub_months(Months::new(6)).unwrap();

    let answer = request(&app, &token, six_months, today).await;
    let export = &answer["data"]["requestCallHistoryExport"]["export"];
    assert!(export["url"].is_string(), "{answer}");
    assert!(export["expiresAt"].is_string());

    let answer = request(&app, &token, six_months.pred_opt().unwrap(), today).await;
    let payload = &answer["data"]["requestCallHistoryExport"];
    assert!(payload["export"].is_null(), "{answer}");
    assert_eq!(payload["userErrors"][0]["code"], "DATE_RANGE_TOO_OLD");
    assert_eq!(payload["userErrors"][0]["field"], "from");

    let answer = request(&app, &token, today, six_months).await;
    assert_eq!(answer["data"]["requestCallHistoryExport"]["userErrors"][0]["code"], "INVALID_DATE_RANGE");
    let answer = request(&app, &token, today, today.succ_opt().unwrap()).await;
    assert_eq!(answer["data"]["requestCallHistoryExport"]["userErrors"][0]["code"], "INVALID_DATE_RANGE");
    let answer = app
        .graphql(
            &operation("RequestCallHistoryExport"),
            json!({ "from": "2026-13-01", "to": today }),
            Some(&token),
        )
        .await;
    // Refused when the request is validated, before anything runs: no data at all.
    assert!(answer["data"].is_null(), "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("\"Date\""), "{answer}");
}

#[tokio::test]
async fn the_export_holds_the_billed_calls_of_the_range() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let today = today_in_toronto();
    let from = today.checked_sub_months(Months::new(2)).unwrap();
    let answer = request(&app, &token, from, today).await;
    let url = answer["data"]["requestCallHistoryExport"]["export"]["url"].as_str().unwrap().to_string();
    let response = reqwest::get(url.replace(crate::helpers::PUBLIC_URL, &app.address)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("call-history-1001-"));
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    let zone = chrono_tz::America::Toronto;
    for row in &rows {
        let started =
            chrono::DateTime::parse_from_rfc3339(&row[1]).unwrap().with_timezone(&zone).date_naive();
        assert!(started >= from && started <= today, "{started} outside {from}..={today}");
        assert!(!row[9].is_empty(), "billed calls only");
    }

    // Every call started on those days and billed is there: compare with the invoices' own CSVs.
    let list = app.graphql(&operation("Invoices"), json!({ "first": 100 }), Some(&token)).await;
    let mut expected = 0;
    for edge in list["data"]["account"]["invoices"]["edges"].as_array().unwrap() {
        let details = app
            .graphql(&operation("InvoiceDetails"), json!({ "id": edge["node"]["id"] }), Some(&token))
            .await;
        let csv_url = details["data"]["invoice"]["callRecordsCsvUrl"].as_str().unwrap();
        let body = reqwest::get(csv_url.replace(crate::helpers::PUBLIC_URL, &app.address))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        expected += csv::Reader::from_reader(body.as_bytes())
            .records()
            .map(Result::unwrap)
            .filter(|row| {
                let day =
                    chrono::DateTime::parse_from_rfc3339(&row[1]).unwrap().with_timezone(&zone).date_naive();
                day >= from && day <= today
            })
            .count();
    }
    assert_eq!(rows.len(), expected);
}

#[tokio::test]
async fn members_may_not_export_call_history() {
    let app = TestApp::spawn().await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    let today = today_in_toronto();
    let answer = request(&app, &token, today, today).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");
}
