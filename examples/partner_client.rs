//! A billing engine's month against the Partner API: open an account, invite its office manager,
//! post an invoice and a credit, then post the same invoice again (a retry: 200, nothing changes).
//!
//!     cargo run --release -- demo                                    # in one terminal
//!     KEY=$(cargo run --release -- create-partner-key --name example)
//!     PARTNER_KEY=$KEY cargo run --example partner_client            # in another
//!
//! `BILLING_PORTAL_URL` overrides the server's address; `ACCOUNT` the account number (default 1004).

use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("BILLING_PORTAL_URL").unwrap_or_else(|_| "http://localhost:8000".into());
    let key = std::env::var("PARTNER_KEY").map_err(|_| "set PARTNER_KEY to a key from create-partner-key")?;
    let account = std::env::var("ACCOUNT").unwrap_or_else(|_| "1004".into());
    let client = reqwest::Client::new();
    let partner = format!("{base}/partner/v1/accounts/{account}");
    let today = chrono::Utc::now().date_naive();
    let month = today.format("%Y-%m");

    let calls: [(&str, String, Value); 5] = [
        (
            "PUT",
            partner.clone(),
            json!({
                "name": "Lakeside Physiotherapy", "timeZone": "America/Toronto", "currency": "CAD",
                "billingAddress": { "line1": "12 Shore Rd", "city": "Kingston", "province": "ON",
                                    "postalCode": "K7L 2N8", "country": "CA" }
            }),
        ),
        (
            "POST",
            format!("{partner}/users"),
            json!({ "email": format!("owner.{account}@lakeside-physio.example"), "name": "Dana Lake", "role": "OFFICE_MANAGER" }),
        ),
        ("PUT", format!("{partner}/invoices/INV-{account}-{month}"), invoice(today)),
        (
            "PUT",
            format!("{partner}/credits/C-{month}-outage"),
            json!({ "amount": "15.00", "description": "Outage credit", "postedOn": today.to_string() }),
        ),
        ("PUT", format!("{partner}/invoices/INV-{account}-{month}"), invoice(today)),
    ];
    for (method, url, body) in calls {
        let response = client.request(method.parse()?, &url).bearer_auth(&key).json(&body).send().await?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        println!("{method} {url}\n  {status} {answer}");
    }
    Ok(())
}

fn invoice(issued_on: chrono::NaiveDate) -> Value {
    json!({
        "periodStart": (issued_on - chrono::Duration::days(30)).to_string(),
        "periodEnd": (issued_on - chrono::Duration::days(1)).to_string(),
        "issuedOn": issued_on.to_string(),
        "dueOn": (issued_on + chrono::Duration::days(21)).to_string(),
        "lines": [
            { "description": "Hosted PBX seats (2)", "amount": "49.90" },
            { "description": "Long distance", "amount": "3.15" }
        ],
        "taxes": [{ "name": "HST", "amount": "6.90" }],
        "total": "59.95"
    })
}
