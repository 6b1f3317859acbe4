//! The Partner API: keys, refusals that name every bad field, idempotent `PUT`s under concurrency,
//! and an OpenAPI document that is the committed one and matches the routes served.

use serde_json::{Value, json};

use crate::{
    cli::billing_portal,
    helpers::{Options, TestApp, query_i64, query_string},
};

/// `create-partner-key --name NAME`: the key, printed once.
pub fn create_key(app: &TestApp, name: &str) -> String {
    let output = billing_portal(app, &["create-partner-key", "--name", name], &[]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// `method` `path` under `/partner/v1` with `key`; the status and the JSON answered.
pub async fn call(app: &TestApp, method: &str, path: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    let url = format!("{}/partner/v1{path}", app.address);
    let mut request = app.client.request(method.parse().unwrap(), url).json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub fn account_body() -> Value {
    json!({
        "name": "Lakeside Physiotherapy",
        "billingAddress": { "line1": "12 Shore Rd", "city": "Kingston", "province": "ON", "postalCode": "k7l 2n8", "country": "CA" },
        "timeZone": "America/Toronto",
        "currency": "CAD"
    })
}

pub fn invoice_body(issued_on: chrono::NaiveDate) -> Value {
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

fn fields(answer: &Value) -> Vec<&str> {
    answer["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect()
}

#[tokio::test]
async fn only_a_live_key_gets_in_and_keys_are_kept_as_hashes() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let key = create_key(&app, "billing-engine");
    assert!(key.starts_with("bpk_") && key.len() >= 4 + 43, "a recognisable key of 256 random bits: {key}");
    assert_ne!(create_key(&app, "second"), key);
    let stored = query_string(&app, "SELECT key_hash FROM partner_keys WHERE name = 'billing-engine'").await;
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&key[4..]), "only a hash is stored");
    let taken = billing_portal(&app, &["create-partner-key", "--name", "billing-engine"], &[]);
    assert!(!taken.status.success(), "names are unique");

    let body = account_body();
    for (why, presented) in
        [("no key", None), ("a wrong key", Some("bpk_not-a-key")), ("a session-like token", Some("abc"))]
    {
        let (status, answer) = call(&app, "PUT", "/accounts/1004", presented, &body).await;
        assert_eq!(status, 401, "{why}: {answer}");
        assert!(answer["errors"][0]["message"].as_str().unwrap().contains("Bearer"), "{answer}");
    }
    let basic = app
        .client
        .put(format!("{}/partner/v1/accounts/1004", app.address))
        .basic_auth("billing-engine", Some(&key))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status().as_u16(), 401, "the key goes as a bearer token only");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM accounts").await, 0, "nothing changed");

    assert_eq!(call(&app, "PUT", "/accounts/1004", Some(&key), &body).await.0, 201);
    let revoked = billing_portal(&app, &["revoke-partner-key", "--name", "billing-engine"], &[]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    let mut renamed = account_body();
    renamed["name"] = json!("Changed After Revocation");
    assert_eq!(call(&app, "PUT", "/accounts/1004", Some(&key), &renamed).await.0, 401, "revoked at once");
    assert_eq!(
        query_string(&app, "SELECT name FROM accounts WHERE number = '1004'").await,
        "Lakeside Physiotherapy"
    );
    let again = billing_portal(&app, &["revoke-partner-key", "--name", "billing-engine"], &[]);
    assert!(!again.status.success(), "no live key of that name");
}

#[tokio::test]
async fn a_guesser_is_slowed_down() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let mut statuses = Vec::new();
    for n in 0..25 {
        statuses.push(
            call(&app, "PUT", "/accounts/1004", Some(&format!("bpk_guess{n}")), &account_body()).await.0,
        );
    }
    assert_eq!(statuses[0], 401);
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}

#[tokio::test]
async fn bad_bodies_are_refused_naming_every_bad_field_and_change_nothing() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let key = create_key(&app, "engine");
    let mut account = account_body();
    account["billingAddress"]["postalCode"] = json!("12345");
    account["billingAddress"]["province"] = json!("XX");
    account["timeZone"] = json!("Mars/Olympus");
    account["currency"] = json!("EUR");
    let (status, answer) = call(&app, "PUT", "/accounts/1004", Some(&key), &account).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        fields(&answer),
        ["billingAddress.province", "billingAddress.postalCode", "timeZone", "currency"],
        "{answer}"
    );
    let (status, answer) = call(&app, "PUT", "/accounts/1004", Some(&key), &json!({ "name": "x" })).await;
    assert_eq!(
        (status, fields(&answer)),
        (422, vec!["billingAddress"]),
        "a missing field is named: {answer}"
    );
    let mut partial = account_body();
    partial["billingAddress"].as_object_mut().unwrap().remove("city");
    let (status, answer) = call(&app, "PUT", "/accounts/1004", Some(&key), &partial).await;
    assert_eq!((status, fields(&answer)), (422, vec!["billingAddress.city"]), "{answer}");
    for number in ["1004%22x", "a-number-of-thirty-three-chars-xx"] {
        let (status, answer) =
            call(&app, "PUT", &format!("/accounts/{number}"), Some(&key), &account_body()).await;
        assert_eq!((status, fields(&answer)), (422, vec!["number"]), "{number}: {answer}");
    }

    assert_eq!(call(&app, "PUT", "/accounts/1004", Some(&key), &account_body()).await.0, 201);
    let today = chrono::Utc::now().date_naive();
    let mut invoice = invoice_body(today);
    invoice["periodStart"] = json!("2026-13-01");
    invoice["lines"][1]["amount"] = json!("3.155");
    invoice["taxes"][0]["amount"] = json!("1e3");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &invoice).await;
    assert_eq!((status, fields(&answer)), (422, vec!["periodStart", "taxes[0].amount"]), "{answer}");
    let mut invoice = invoice_body(today);
    invoice["lines"][1]["amount"] = json!("3.155");
    invoice["dueOn"] = json!((today - chrono::Duration::days(1)).to_string());
    invoice["lines"][0]["description"] = json!(" ");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &invoice).await;
    assert_eq!(
        (status, fields(&answer)),
        (422, vec!["dueOn", "lines[0].description", "lines[1].amount"]),
        "{answer}"
    );
    let mut invoice = invoice_body(today);
    invoice["taxes"][0]["amount"] = json!("-6.90");
    invoice["total"] = json!("46.15");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &invoice).await;
    assert_eq!((status, fields(&answer)), (422, vec!["taxes[0].amount"]), "{answer}");
    let mut invoice = invoice_body(today);
    invoice["total"] = json!("60.00");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &invoice).await;
    assert_eq!((status, fields(&answer)), (422, vec!["total"]), "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("59.95"), "says what it adds up to");
    let mut negative = invoice_body(today);
    negative["lines"] = json!([{ "description": "Refund as an invoice", "amount": "-10.00" }]);
    negative["taxes"] = json!([]);
    negative["total"] = json!("-10.00");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &negative).await;
    assert_eq!((status, fields(&answer)), (422, vec!["total"]), "a credit, not an invoice: {answer}");
    let mut huge = invoice_body(today);
    huge["lines"][0]["amount"] = json!("92233720368547758.07");
    let (status, answer) = call(&app, "PUT", "/accounts/1004/invoices/INV-1", Some(&key), &huge).await;
    assert_eq!((status, fields(&answer)), (422, vec!["lines[0].amount"]), "{answer}");
    let credit = json!({ "amount": "-5", "description": "", "postedOn": today.to_string() });
    let (status, answer) = call(&app, "PUT", "/accounts/1004/credits/C-1", Some(&key), &credit).await;
    assert_eq!((status, fields(&answer)), (422, vec!["description", "amount"]), "{answer}");
    let (status, _) =
        call(&app, "PUT", "/accounts/9999/invoices/INV-1", Some(&key), &invoice_body(today)).await;
    assert_eq!(status, 404, "an unknown account");
    let user = json!({ "email": "not an email", "name": "Al Smith", "role": "MEMBER" });
    let (status, answer) = call(&app, "POST", "/accounts/1004/users", Some(&key), &user).await;
    assert_eq!((status, fields(&answer)), (422, vec!["email"]), "{answer}");

    for table in ["invoices", "ledger_entries", "users", "partner_credits"] {
        assert_eq!(query_i64(&app, &format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
    }
}

#[tokio::test]
async fn replays_change_nothing_conflicts_are_refused_and_fifty_at_once_post_one_invoice() {
    let app = TestApp::spawn_with(Options { demo_data: false, ..Options::default() }).await;
    let key = create_key(&app, "engine");
    assert_eq!(call(&app, "PUT", "/accounts/1004", Some(&key), &account_body()).await.0, 201);
    assert_eq!(
        call(&app, "PUT", "/accounts/1004", Some(&key), &account_body()).await.0,
        200,
        "the same again"
    );

    let body = invoice_body(chrono::Utc::now().date_naive());
    let puts = (0..50).map(|_| call(&app, "PUT", "/accounts/1004/invoices/INV-1004-1", Some(&key), &body));
    let answers = futures_util::future::join_all(puts).await;
    let created = answers.iter().filter(|(status, _)| *status == 201).count();
    let found = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!((created, found), (1, 49), "one posts it; the rest find it");
    assert!(answers.iter().all(|(_, answer)| answer["total"] == "59.95"), "each answers the invoice");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM invoices").await, 1);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM ledger_entries").await, 1);

    let mut changed = body.clone();
    changed["lines"][1]["amount"] = json!("4.15");
    changed["total"] = json!("60.95");
    let (status, answer) =
        call(&app, "PUT", "/accounts/1004/invoices/INV-1004-1", Some(&key), &changed).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(
        query_string(&app, "SELECT CAST(total_minor AS TEXT) FROM invoices").await,
        "5995",
        "unchanged"
    );

    // An invoice number is the carrier's across accounts.
    let mut other = account_body();
    other["name"] = json!("Another Clinic");
    assert_eq!(call(&app, "PUT", "/accounts/1005", Some(&key), &other).await.0, 201);
    let (status, _) = call(&app, "PUT", "/accounts/1005/invoices/INV-1004-1", Some(&key), &body).await;
    assert_eq!(status, 409, "the number is another account's");

    // The same number to two accounts at the same moment: one has it.
    let (a, b) = tokio::join!(
        call(&app, "PUT", "/accounts/1004/invoices/INV-RACE", Some(&key), &body),
        call(&app, "PUT", "/accounts/1005/invoices/INV-RACE", Some(&key), &body),
    );
    let mut raced = [a.0, b.0];
    raced.sort();
    assert_eq!(raced, [201, 409]);

    let credit = json!({ "amount": "15.00", "description": "Outage credit", "postedOn": "2026-11-02" });
    let puts = (0..10).map(|_| call(&app, "PUT", "/accounts/1004/credits/C-9", Some(&key), &credit));
    let answers = futures_util::future::join_all(puts).await;
    assert_eq!(answers.iter().filter(|(status, _)| *status == 201).count(), 1);
    assert!(
        answers.iter().all(|(status, answer)| *status < 300 && answer["amount"] == "15.00"),
        "{answers:?}"
    );
    let mut more = credit.clone();
    more["amount"] = json!("20.00");
    assert_eq!(call(&app, "PUT", "/accounts/1004/credits/C-9", Some(&key), &more).await.0, 409);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM ledger_entries").await, 3, "two invoices and a credit");

    // An update is an update: 200, and the account says so.
    let mut renamed = account_body();
    renamed["name"] = json!("Lakeside Physio & Rehab");
    let (status, answer) = call(&app, "PUT", "/accounts/1004", Some(&key), &renamed).await;
    assert_eq!((status, answer["name"].as_str()), (200, Some("Lakeside Physio & Rehab")), "{answer}");
    assert_eq!(answer["billingAddress"]["postalCode"], "K7L 2N8", "normalised");
}

#[tokio::test]
async fn the_openapi_document_is_the_committed_one_and_every_path_in_it_is_served() {
    let app = TestApp::spawn_with(Options { demo_data: false, smtp: false, ..Options::default() }).await;
    let served = app.client.get(format!("{}/partner/v1/openapi.json", app.address)).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200);
    let served = served.text().await.unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/partner-openapi.json");
    let committed = std::fs::read_to_string(path).unwrap();
    assert_eq!(served, committed, "run: cargo run -- export-partner-openapi > partner-openapi.json");
    // Valid OpenAPI, by a validator that is not ours (tests/run installs it).
    let checked = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator", path])
        .output()
        .expect("python3 runs");
    assert!(
        checked.status.success(),
        "the document is valid OpenAPI (pip install openapi-spec-validator): {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );

    let document: Value = serde_json::from_str(&served).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(document["components"]["securitySchemes"]["partner_key"]["scheme"], "bearer");
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 4);
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            assert!(operation["security"].is_array(), "{method} {path} needs the key");
            assert!(operation["responses"]["401"].is_object(), "{method} {path} documents 401");
            let concrete = path
                .replace("{number}", "1004")
                .replace("{invoiceNumber}", "I-1")
                .replace("{creditId}", "C-1");
            let url = concrete.strip_prefix("/partner/v1").unwrap();
            let (status, _) = call(&app, &method.to_uppercase(), url, None, &json!({})).await;
            assert_eq!(status, 401, "{method} {path} is served (and refuses no key)");
        }
    }
}
