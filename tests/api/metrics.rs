//! `GET /metrics`: Prometheus' text format, with what an operator watches (requests by operation
//! and outcome, payments, webhook events, the outbox, Auto Pay, the database pool) and no account
//! data; beside the API in development, on `METRICS_ADDR` when set, nowhere else in production.

use serde_json::json;

use crate::helpers::{MANAGER, Options, TestApp};

async fn scrape(base: &str) -> (u16, String) {
    let response = reqwest::get(format!("{base}/metrics")).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_tell_an_operator_what_the_service_does_and_nothing_of_the_accounts() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let card = app.add_payment_method(&token, "pm_card_visa").await;
    let paid = app.make_payment(&token, "1.00", &card["id"], "metrics-1").await;
    assert_eq!(paid["payment"]["status"], "SUCCEEDED");
    app.graphql("query Dashboard { account { id } }", json!({}), None).await;
    let refused = app.client.post(format!("{}/webhooks/mock", app.address)).body("{}").send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 400);

    let (status, body) = scrape(&app.address).await;
    assert_eq!(status, 200);
    for expected in [
        r#"graphql_request_duration_seconds_bucket{operation="MakePayment",outcome="ok",le="#,
        r#"graphql_request_duration_seconds_count{operation="Dashboard",outcome="UNAUTHENTICATED"}"#,
        r#"payments_total{status="succeeded",gateway="mock"}"#,
        r#"webhook_events_total{type="unverified",result="invalid"}"#,
        "outbox_emails_waiting ",
        "outbox_oldest_waiting_seconds ",
        "db_pool_connections ",
    ] {
        assert!(body.contains(expected), "{expected} in:\n{body}");
    }
    for private in [MANAGER.0, "Maple", &token] {
        assert!(!body.contains(private), "no account data: {private}");
    }
}

#[tokio::test]
async fn in_production_metrics_are_served_only_on_metrics_addr() {
    let app = crate::hardening::production_app().await;
    assert_eq!(scrape(&app.address).await.0, 404, "not beside the public API");

    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(move |s| {
            s.metrics_addr = Some(free);
            s.autopay_interval_seconds = 1;
        }),
        ..Options::default()
    })
    .await;
    assert_eq!(scrape(&app.address).await.0, 404, "METRICS_ADDR takes it away from the API");
    // This app's own Auto Pay pass (each second) shows, whatever other tests recorded.
    let passes = |body: &str| {
        body.lines()
            .find_map(|line| line.strip_prefix("auto_pay_passes_total "))
            .and_then(|value| value.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (status, first) = scrape(&format!("http://{free}")).await;
    assert_eq!(status, 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, body) = scrape(&format!("http://{free}")).await;
        if passes(&body) > passes(&first) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "an Auto Pay pass is counted: {body}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
