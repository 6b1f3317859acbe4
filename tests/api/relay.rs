//! Relay's Object Identification: every object with an id is a `Node` that `node(id:)` finds
//! again, ids are distinct across types, and account-changing mutations answer the account.

use serde_json::{Value, json};

use crate::helpers::{HARBOUR, MANAGER, MEMBER, PRAIRIE, TestApp, cents};

const NODE_TYPE: &str = "query($id: ID!) { node(id: $id) { id __typename } }";

/// What `node(id:)` answers for `id`, as the user of `token`.
async fn node(app: &TestApp, token: &str, id: &Value) -> Value {
    let answer = app.graphql(NODE_TYPE, json!({ "id": id }), Some(token)).await;
    assert!(answer["errors"].is_null(), "{id}: {answer}");
    answer["data"]["node"].clone()
}

#[tokio::test]
async fn every_object_s_id_finds_it_again_and_ids_are_distinct_across_types() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    // Something the activity records, with the office manager as its actor.
    let off = app
        .graphql(
            "mutation { setAutoPay(input: { enabled: false }) { userErrors { code } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(off["data"]["setAutoPay"]["userErrors"], json!([]), "{off}");
    let ids = app
        .graphql(
            "{ account { id
                billingContacts { id }
                users { id }
                paymentMethods { id }
                transactions(first: 3) { edges { node { id invoice { id } } } }
                invoices(first: 1) { edges { node { id } } }
                payments(first: 1) { edges { node { id } } }
                activity(first: 5) { edges { node { id actor { id } } } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert!(ids["errors"].is_null(), "{ids}");
    let account = &ids["data"]["account"];
    let mut expected: Vec<(Value, &str)> = vec![(account["id"].clone(), "Account")];
    let first = |list: &Value| list.as_array().and_then(|l| l.first()).map(|item| item["id"].clone());
    let first_node = |connection: &Value| connection["edges"][0]["node"]["id"].clone();
    expected.push((first(&account["billingContacts"]).expect("a contact"), "BillingContact"));
    expected.push((first(&account["users"]).expect("a user"), "User"));
    expected.push((first(&account["paymentMethods"]).expect("a method"), "PaymentMethod"));
    expected.push((first_node(&account["transactions"]), "Transaction"));
    expected.push((first_node(&account["invoices"]), "Invoice"));
    expected.push((first_node(&account["payments"]), "Payment"));
    let activity = &account["activity"]["edges"];
    expected.push((activity[0]["node"]["id"].clone(), "ActivityEntry"));
    let with_actor = activity.as_array().unwrap().iter().find(|e| !e["node"]["actor"].is_null());
    let entry = with_actor.expect("an entry with an actor");
    expected.push((entry["node"]["actor"]["id"].clone(), "Actor"));
    for (id, typename) in &expected {
        assert!(id.is_string(), "{typename}: {ids}");
        let found = node(&app, &token, id).await;
        assert_eq!((&found["id"], found["__typename"].as_str()), (id, Some(*typename)), "{found}");
    }
    let mut distinct: Vec<&Value> = expected.iter().map(|(id, _)| id).collect();
    distinct.sort_by_key(|id| id.as_str().unwrap().to_string());
    distinct.dedup();
    assert_eq!(distinct.len(), expected.len(), "no two objects share an id: {expected:?}");

    // A transaction's invoice is the invoice itself, with the id InvoiceDetails takes.
    let linked = account["transactions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| e["node"]["invoice"]["id"].as_str().map(str::to_string))
        .expect("a transaction for an invoice");
    let details = app.run(&token, "InvoiceDetails", json!({ "id": linked })).await;
    assert_eq!(details["invoice"]["id"], linked.as_str());
}

#[tokio::test]
async fn another_account_s_a_malformed_and_an_unknown_id_answer_null_alike() {
    let app = TestApp::spawn().await;
    let maple = app.login(MANAGER.0, MANAGER.1).await;
    let prairie = app.login(PRAIRIE.0, PRAIRIE.1).await;
    let theirs = app.run(&prairie, "Dashboard", json!({})).await["account"]["id"].clone();
    let their_user = app.graphql("{ account { users { id } } }", json!({}), Some(&prairie)).await["data"]["account"]
        ["users"][0]["id"]
        .clone();
    assert!(their_user.is_string());
    let unknown = json!("SW52b2ljZTo5OTk5OTk"); // Invoice:999999
    for id in [theirs, their_user, unknown, json!("not an id")] {
        assert_eq!(node(&app, &maple, &id).await, Value::Null, "{id}");
    }
    let answer = app
        .graphql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": ["x", "y"] }),
            Some(&maple),
        )
        .await;
    assert_eq!(answer["data"]["nodes"], json!([null, null]), "{answer}");

    // What a member may not see is as absent as what does not exist.
    let off = "mutation { setAutoPay(input: { enabled: false }) { userErrors { code } } }";
    assert_eq!(
        app.graphql(off, json!({}), Some(&maple)).await["data"]["setAutoPay"]["userErrors"],
        json!([])
    );
    let activity = app
        .graphql("{ account { activity(first: 1) { edges { node { id } } } } }", json!({}), Some(&maple))
        .await;
    let entry = activity["data"]["account"]["activity"]["edges"][0]["node"]["id"].clone();
    let member = app.login(MEMBER.0, MEMBER.1).await;
    assert_eq!(node(&app, &member, &entry).await, Value::Null);
    assert_eq!(node(&app, &maple, &entry).await["__typename"], "ActivityEntry");

    let without_session = app.graphql(NODE_TYPE, json!({ "id": entry }), None).await;
    assert_eq!(without_session["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{without_session}");
}

#[tokio::test]
async fn nodes_answers_in_the_order_asked_and_at_most_a_hundred() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let methods = app.payment_methods(&token).await;
    let ids = json!([methods[1]["id"], "nothing", methods[0]["id"]]);
    let answer = app
        .graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids }), Some(&token))
        .await;
    assert_eq!(
        answer["data"]["nodes"],
        json!([{ "id": methods[1]["id"] }, null, { "id": methods[0]["id"] }])
    );
    let many: Vec<Value> = (0..101).map(|_| methods[0]["id"].clone()).collect();
    let refused = app
        .graphql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": many }), Some(&token))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{refused}");
}

#[tokio::test]
async fn the_contract_s_node_operation_runs_as_written() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let dashboard = app.run(&token, "Dashboard", json!({})).await;
    let found = app.run(&token, "Node", json!({ "id": dashboard["account"]["id"] })).await;
    assert_eq!(found["node"]["number"], "1001", "{found}");
    let invoice = app
        .graphql(
            "{ account { invoices(first: 1) { edges { node { id number } } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let invoice = &invoice["data"]["account"]["invoices"]["edges"][0]["node"];
    let found = app.run(&token, "Node", json!({ "id": invoice["id"] })).await;
    assert_eq!(found["node"]["number"], invoice["number"]);
    assert!(found["node"]["invoiceStatus"].is_string(), "{found}");
}

#[tokio::test]
async fn a_payment_answers_the_account_with_its_new_balance() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let before = app.balance(&token).await;
    let method = app.payment_methods(&token).await[0]["id"].clone();
    let paid = app
        .graphql(
            "mutation($input: MakePaymentInput!) { makePayment(input: $input) {
                payment { status } account { id currentBalance { amount { amount } } } userErrors { code } } }",
            json!({ "input": { "amount": "10.00", "paymentMethodId": method, "idempotencyKey": "relay-1" } }),
            Some(&token),
        )
        .await;
    let payload = &paid["data"]["makePayment"];
    assert_eq!(payload["payment"]["status"], "SUCCEEDED", "{paid}");
    assert_eq!(cents(&payload["account"]["currentBalance"]["amount"]), before - 1000, "{paid}");

    // Auto Pay's change comes back with the account too, in the same round trip.
    let set = app
        .graphql(
            "mutation { setAutoPay(input: { enabled: false }) { account { autoPay { enabled } } userErrors { code } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(set["data"]["setAutoPay"]["account"]["autoPay"]["enabled"], false, "{set}");
}
