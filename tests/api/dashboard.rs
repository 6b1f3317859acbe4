//! The Account Dashboard, transaction history and invoices, for the three demo accounts.

use serde_json::{Value, json};

use crate::{
    helpers::{HARBOUR, MANAGER, PRAIRIE, TestApp, cents, pluck},
    operations::operation,
};

/// Every transaction of the account, paging `page_size` at a time.
async fn all_transactions(
    app: &TestApp,
    token: &str,
    page_size: i32,
    kinds: Option<&[&str]>,
) -> (Vec<Value>, i64) {
    let mut after: Option<String> = None;
    let mut rows = Vec::new();
    loop {
        let data = app
            .run(token, "TransactionHistory", json!({ "first": page_size, "after": after, "kinds": kinds }))
            .await;
        let page = &data["account"]["transactions"];
        let edges = page["edges"].as_array().unwrap();
        assert!(edges.len() <= page_size as usize);
        rows.extend(edges.iter().map(|edge| edge["node"].clone()));
        if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (rows, page["totalCount"].as_i64().unwrap());
        }
        assert_eq!(edges.len(), page_size as usize, "only the last page is short");
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
}

#[tokio::test]
async fn maple_dental_owes_its_newest_invoice_and_pays_by_auto_pay() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let data = app.run(&token, "Dashboard", json!({})).await;
    let account = &data["account"];
    assert_eq!(account["number"], "1001");
    assert_eq!(data["viewer"]["email"], MANAGER.0);

    let invoices = app.run(&token, "Invoices", json!({ "first": 100 })).await;
    let invoices = invoices["account"]["invoices"]["edges"].as_array().unwrap().clone();
    assert_eq!(invoices.len(), 8);
    let newest = &invoices[0]["node"];
    assert_eq!(newest["status"], "OPEN");
    assert!(invoices[1..].iter().all(|edge| edge["node"]["status"] == "PAID"), "all but the newest are paid");
    assert!(invoices[1..].iter().all(|edge| cents(&edge["node"]["amountDue"]) == 0));

    let balance = &account["currentBalance"];
    assert_eq!(cents(&balance["amount"]), cents(&newest["total"]), "the balance is the newest invoice");
    assert_eq!(balance["amount"]["currencyCode"], "CAD");
    assert_eq!(balance["dueDate"], newest["dueOn"]);
    assert_eq!(balance["isCredit"], false);
    let issued = chrono::NaiveDate::parse_from_str(newest["issuedOn"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let due = chrono::NaiveDate::parse_from_str(newest["dueOn"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!((due - issued).num_days(), 21);

    assert_eq!(account["lastPayment"]["methodDescription"], "Visa ending 4242");
    assert!(cents(&account["lastPayment"]["amount"]) > 0);
    let auto_pay = &account["autoPay"];
    assert_eq!(auto_pay["enabled"], true);
    assert_eq!(auto_pay["paymentMethod"]["last4"], "4242");
    assert_eq!(auto_pay["paymentMethod"]["isAutoPay"], true);
    assert_eq!(auto_pay["paymentMethod"]["expired"], false);
    assert_eq!(auto_pay["nextChargeOn"], newest["dueOn"]);
    assert_eq!(account["billingAddress"]["postalCode"], "M5V 1J5");
    assert_eq!(account["timeZone"], "America/Toronto");

    let latest = &account["transactions"];
    assert_eq!(latest["edges"].as_array().unwrap().len(), 5);
    assert_eq!(latest["pageInfo"]["hasNextPage"], true);
    let first = &latest["edges"][0]["node"];
    assert_eq!(first["kind"], "INVOICE");
    assert_eq!(first["invoice"]["number"], newest["number"]);
    assert_eq!(cents(&first["balanceAfter"]), cents(&balance["amount"]));

    let methods = app.payment_methods(&token).await;
    assert_eq!(pluck(&json!(methods), "last4"), ["4242", "4444"]);
    assert_eq!(methods.iter().filter(|m| m["isAutoPay"] == true).count(), 1);
}

#[tokio::test]
async fn the_balance_is_the_sum_of_the_history_and_each_balance_after_is_the_running_sum() {
    let app = TestApp::spawn().await;
    for (email, password) in [MANAGER, PRAIRIE, HARBOUR] {
        let token = app.login(email, password).await;
        let (rows, total) = all_transactions(&app, &token, 3, None).await;
        assert_eq!(rows.len() as i64, total, "{email}: totalCount counts every row");
        let mut running = 0;
        for row in rows.iter().rev() {
            running += cents(&row["amount"]);
            assert_eq!(cents(&row["balanceAfter"]), running, "{email}: {row}");
            let sign = cents(&row["amount"]).signum();
            let expected = match row["kind"].as_str().unwrap() {
                "INVOICE" | "REFUND" => 1,
                _ => -1,
            };
            assert_eq!(sign, expected, "{email}: amounts are signed by their effect: {row}");
        }
        let dashboard = app.run(&token, "Dashboard", json!({})).await;
        assert_eq!(cents(&dashboard["account"]["currentBalance"]["amount"]), running, "{email}");
        let times: Vec<&str> = rows.iter().map(|r| r["occurredAt"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "{email}: newest first");
    }
}

#[tokio::test]
async fn filtered_history_pages_across_boundaries() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let (everything, _) = all_transactions(&app, &token, 100, None).await;
    for kinds in [&["PAYMENT"][..], &["CREDIT", "REFUND"][..], &["INVOICE"][..]] {
        let (rows, total) = all_transactions(&app, &token, 2, Some(kinds)).await;
        let expected: Vec<&Value> =
            everything.iter().filter(|r| kinds.contains(&r["kind"].as_str().unwrap())).collect();
        assert_eq!(rows.len(), expected.len(), "{kinds:?}");
        assert_eq!(total as usize, expected.len());
        assert!(
            rows.iter().zip(expected).all(|(a, b)| a["id"] == b["id"]),
            "{kinds:?}: the same rows, in order"
        );
    }
    let kinds: Vec<&str> = everything.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "CREDIT").count(), 1, "the 15.00 service credit");
    assert_eq!(kinds.iter().filter(|k| **k == "REFUND").count(), 1, "the refunded duplicate");
    assert_eq!(
        kinds.iter().filter(|k| **k == "PAYMENT").count(),
        8,
        "seven Auto Pay payments and the duplicate"
    );
}

#[tokio::test]
async fn prairie_freight_is_in_credit_and_harbour_cafe_is_past_due() {
    let app = TestApp::spawn().await;
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    let data = app.run(&prairie, "Dashboard", json!({})).await;
    let balance = &data["account"]["currentBalance"];
    assert_eq!(balance["amount"]["amount"], "-25.00");
    assert_eq!(balance["isCredit"], true);
    assert!(balance["dueDate"].is_null());
    assert_eq!(data["account"]["autoPay"]["enabled"], false);
    assert!(data["account"]["autoPay"]["nextChargeOn"].is_null());
    let methods = app.run(&prairie, "PaymentMethods", json!({})).await;
    assert_eq!(methods["account"]["paymentMethods"], json!([]));
    let invoices = app.run(&prairie, "Invoices", json!({ "first": 10 })).await;
    assert_eq!(
        pluck(
            &invoices["account"]["invoices"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone())
                .collect(),
            "status"
        ),
        ["PAID"; 3]
    );

    let harbour = app.login(HARBOUR.0, HARBOUR.1).await;
    let data = app.run(&harbour, "Dashboard", json!({})).await;
    let invoices = app.run(&harbour, "Invoices", json!({ "first": 10 })).await;
    let edges = invoices["account"]["invoices"]["edges"].as_array().unwrap();
    let (newer, older) = (&edges[0]["node"], &edges[1]["node"]);
    assert_eq!(newer["status"], "PAST_DUE");
    assert_eq!(cents(&newer["amountDue"]), cents(&newer["total"]));
    assert_eq!(older["status"], "PAID");
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::Halifax).date_naive();
    assert_eq!(newer["issuedOn"], (today - chrono::Duration::days(40)).to_string());
    assert_eq!(newer["dueOn"], (today - chrono::Duration::days(19)).to_string());
    assert_eq!(data["account"]["currentBalance"]["dueDate"], newer["dueOn"]);
    assert_eq!(cents(&data["account"]["currentBalance"]["amount"]), cents(&newer["total"]));
}

/// The overview's one statement answers each part as its own list would: the last payment is the
/// newest succeeded one of `payments` (or none), and Auto Pay's card is one on file (or none).
#[tokio::test]
async fn the_last_payment_and_auto_pay_card_are_what_the_lists_say_for_every_demo_account() {
    let app = TestApp::spawn().await;
    let query = "{ account { lastPayment { id paidAt } autoPay { enabled paymentMethod { id } }
        paymentMethods { id } payments(first: 100) { edges { node { id status paidAt } } } } }";
    let mut seen = (0, 0);
    for (email, password) in [MANAGER, PRAIRIE, HARBOUR] {
        let token = app.login(email, password).await;
        let answer = app.graphql(query, json!({}), Some(&token)).await;
        let account = &answer["data"]["account"];
        let payments = account["payments"]["edges"].as_array().unwrap();
        let newest_succeeded = payments
            .iter()
            .map(|edge| &edge["node"])
            .filter(|payment| payment["status"] == "SUCCEEDED")
            .max_by_key(|payment| {
                (payment["paidAt"].as_str().unwrap().to_owned(), payment["id"].to_string())
            });
        match newest_succeeded {
            Some(payment) => {
                seen.0 += 1;
                assert_eq!(account["lastPayment"]["id"], payment["id"], "{email}: {answer}");
            }
            None => assert!(account["lastPayment"].is_null(), "{email}: {answer}"),
        }
        let card = &account["autoPay"]["paymentMethod"];
        if card.is_null() {
            assert_eq!(account["autoPay"]["enabled"], false, "{email}: {answer}");
        } else {
            seen.1 += 1;
            let on_file = account["paymentMethods"].as_array().unwrap();
            assert!(on_file.iter().any(|method| method["id"] == card["id"]), "{email}: {answer}");
        }
    }
    // Something to compare: a last payment, and accounts with and without an Auto Pay card.
    assert!(seen.0 > 0, "no demo account has a payment: {seen:?}");
    assert!(seen.1 > 0 && seen.1 < 3, "Auto Pay cards seen: {seen:?}");
}

#[tokio::test]
async fn every_demo_invoice_adds_up() {
    let app = TestApp::spawn().await;
    for ((email, password), tax, rate) in
        [(MANAGER, "HST", "0.13"), (PRAIRIE, "GST", "0.05"), (HARBOUR, "HST", "0.15")]
    {
        let token = app.login(email, password).await;
        let list = app.run(&token, "Invoices", json!({ "first": 100 })).await;
        for edge in list["account"]["invoices"]["edges"].as_array().unwrap() {
            let data = app.run(&token, "InvoiceDetails", json!({ "id": edge["node"]["id"] })).await;
            let invoice = &data["invoice"];
            let mut subtotal = 0;
            for line in invoice["lineItems"].as_array().unwrap() {
                let quantity = line["quantity"].as_i64().unwrap();
                assert_eq!(cents(&line["amount"]), quantity * cents(&line["unitPrice"]), "{line}");
                subtotal += cents(&line["amount"]);
            }
            assert_eq!(cents(&invoice["subtotal"]), subtotal);
            let taxes = invoice["taxLines"].as_array().unwrap();
            assert_eq!(taxes.len(), 1, "{email}: one tax line");
            assert_eq!((taxes[0]["name"].as_str().unwrap(), taxes[0]["rate"].as_str().unwrap()), (tax, rate));
            let rate_ppm: i64 = (rate.parse::<f64>().unwrap() * 1_000_000.0).round() as i64;
            assert_eq!(
                cents(&taxes[0]["amount"]),
                (subtotal * rate_ppm + 500_000) / 1_000_000,
                "rounded once"
            );
            assert_eq!(cents(&invoice["taxTotal"]), cents(&taxes[0]["amount"]));
            assert_eq!(cents(&invoice["total"]), subtotal + cents(&invoice["taxTotal"]));
            let calls = &invoice["callSummary"];
            if email == MANAGER.0 {
                let count = calls["callCount"].as_i64().unwrap();
                assert!((150..=600).contains(&count), "{count} calls");
                let usage = invoice["lineItems"].as_array().unwrap().last().unwrap();
                assert_eq!(
                    cents(&usage["amount"]),
                    cents(&calls["charges"]),
                    "the usage line bills the calls"
                );
                assert!(usage["description"].as_str().unwrap().contains(&format!("{count} calls")));
            } else {
                assert_eq!(calls["callCount"], 0);
            }
            assert!(invoice["pdfUrl"].as_str().unwrap().starts_with(crate::helpers::PUBLIC_URL));
        }
    }
}

#[tokio::test]
async fn another_accounts_invoice_is_not_found_like_a_missing_one() {
    let app = TestApp::spawn().await;
    let maple = app.login(MANAGER.0, MANAGER.1).await;
    let list = app.run(&maple, "Invoices", json!({ "first": 1 })).await;
    let maple_invoice = list["account"]["invoices"]["edges"][0]["node"]["id"].clone();
    let transaction = app.run(&maple, "TransactionHistory", json!({ "first": 1 })).await;
    let transaction_id = transaction["account"]["transactions"]["edges"][0]["node"]["id"].clone();

    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    for id in [maple_invoice, transaction_id, json!("SW52b2ljZTo5OTk5OTk"), json!("not base64 at all")] {
        let answer = app.graphql(&operation("InvoiceDetails"), json!({ "id": id }), Some(&prairie)).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_FOUND", "{id}: {answer}");
        assert_eq!(answer["errors"][0]["message"], "Not found.");
    }
}

#[tokio::test]
async fn page_sizes_are_capped_and_bad_cursors_refused() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    // 120 more service credits, so that the list is longer than the cap.
    let rows: Vec<String> = (0..120)
        .map(|i| format!("(1, 'credit', -1, 0, 'CAD', 'Goodwill credit {i}', '2026-01-01T00:00:00+00:00')"))
        .collect();
    app.execute_sql(&format!(
        "INSERT INTO ledger_entries (account_id, kind, amount_minor, balance_after_minor, currency, description, occurred_at) VALUES {}",
        rows.join(", ")
    ))
    .await;
    let data = app.run(&token, "TransactionHistory", json!({ "first": 1000 })).await;
    let page = &data["account"]["transactions"];
    assert_eq!(page["edges"].as_array().unwrap().len(), 100, "capped at 100");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert!(page["totalCount"].as_i64().unwrap() > 100);
    for (first, after) in [(-1, None), (5, Some("bm90IGEgY3Vyc29y")), (5, Some("%%%"))] {
        let answer = app
            .graphql(
                &operation("TransactionHistory"),
                json!({ "first": first, "after": after }),
                Some(&token),
            )
            .await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    }
    // An invoice cursor is not a transaction cursor.
    let invoices = app.run(&token, "Invoices", json!({ "first": 1 })).await;
    let cursor = invoices["account"]["invoices"]["pageInfo"]["endCursor"].clone();
    let answer = app
        .graphql(&operation("TransactionHistory"), json!({ "first": 5, "after": cursor }), Some(&token))
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
}

/// Dataloaders keep a page flat: its statement count does not grow with its size.
#[tokio::test]
async fn a_page_of_a_hundred_transactions_costs_what_a_page_of_five_does() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let mut counts = Vec::new();
    for first in [5, 100] {
        let (answer, statements) =
            app.graphql_counting(&operation("TransactionHistory"), json!({ "first": first }), &token).await;
        let rows = answer["data"]["account"]["transactions"]["edges"].as_array().unwrap();
        assert!(rows.iter().filter(|r| !r["node"]["invoice"].is_null()).count() >= 5.min(rows.len()));
        counts.push(statements);
    }
    assert_eq!(counts[0], counts[1], "statements for 5 rows vs 100 rows: {counts:?}");
    assert!(counts[0] <= 6, "{counts:?}");
}

/// The Dashboard in four statements (session with user and account; the account's overview: its
/// standing, last payment and Auto Pay with their cards; Auto Pay's attempts for what is due; a page
/// of transactions with their invoices), whatever the page size; the totals that page sizes could
/// make costly are counted only when asked for.
#[tokio::test]
async fn the_dashboard_costs_four_statements_whatever_its_page_size() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let dashboard = operation("Dashboard");
    assert!(dashboard.contains("transactions(first: 5)"), "the operation changed: {dashboard}");
    let mut counts = Vec::new();
    for first in [5, 100] {
        let query = dashboard.replace("transactions(first: 5)", &format!("transactions(first: {first})"));
        let (answer, statements) = app.graphql_counting(&query, json!({}), &token).await;
        assert!(answer["errors"].is_null(), "{answer}");
        let account = &answer["data"]["account"];
        assert!(cents(&account["currentBalance"]["amount"]) > 0, "{answer}");
        assert_eq!(account["autoPay"]["paymentMethod"]["last4"], "4242", "{answer}");
        assert!(!account["lastPayment"].is_null(), "{answer}");
        assert_eq!(answer["data"]["viewer"]["email"], MANAGER.0, "{answer}");
        let rows = account["transactions"]["edges"].as_array().unwrap();
        assert!(if first == 5 { rows.len() == 5 } else { rows.len() > 5 }, "{first}: {} rows", rows.len());
        assert!(rows.iter().any(|r| !r["node"]["invoice"]["number"].is_null()), "{answer}");
        counts.push(statements);
    }
    assert_eq!(counts[0], counts[1], "statements for 5 rows vs 100: {counts:?}");
    assert_eq!(counts[0], 4, "the Dashboard took {} statements", counts[0]);
    // Asking for the total costs one more statement, and answers it.
    let query = dashboard.replace("transactions(first: 5) {", "transactions(first: 5) { totalCount");
    let (answer, statements) = app.graphql_counting(&query, json!({}), &token).await;
    let total = answer["data"]["account"]["transactions"]["totalCount"].as_u64().expect("a total");
    assert!(total > 5, "{answer}");
    assert_eq!(statements, counts[0] + 1);
}

#[tokio::test]
async fn a_list_of_invoices_with_their_details_stays_flat() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let query = "query($first: Int!) { account { invoices(first: $first) { edges { node {
        number status amountDue { amount } lineItems { amount { amount } } taxLines { rate } callSummary { callCount } } } } } }";
    let (two, few) = app.graphql_counting(query, json!({ "first": 2 }), &token).await;
    let (eight, many) = app.graphql_counting(query, json!({ "first": 8 }), &token).await;
    assert_eq!(two["data"]["account"]["invoices"]["edges"].as_array().unwrap().len(), 2);
    let edges = eight["data"]["account"]["invoices"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 8);
    assert!(edges.iter().all(|e| e["node"]["lineItems"].as_array().unwrap().len() == 3));
    assert_eq!(few, many, "2 invoices vs 8: {few} vs {many} statements");
}

#[tokio::test]
async fn the_demo_data_is_the_same_all_day() {
    let first = TestApp::spawn().await;
    let second = TestApp::spawn().await;
    let sql = "SELECT CAST(SUM(total_minor) AS BIGINT) FROM invoices";
    assert_eq!(crate::helpers::query_i64(&first, sql).await, crate::helpers::query_i64(&second, sql).await);
    let calls = "SELECT COUNT(*) FROM call_records";
    assert_eq!(
        crate::helpers::query_i64(&first, calls).await,
        crate::helpers::query_i64(&second, calls).await
    );
}
