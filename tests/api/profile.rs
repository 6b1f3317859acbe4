//! The billing profile: office managers edit it, everyone of the account reads it.

use serde_json::{Value, json};

use crate::{
    helpers::{HARBOUR, MANAGER, MEMBER, TestApp, pluck},
    operations::operation,
};

async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    app.graphql(&operation("UpdateProfile"), json!({ "input": input }), Some(token)).await
}

fn codes(answer: &Value) -> Vec<(String, String)> {
    answer["data"]["updateProfile"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn an_office_manager_updates_the_profile_and_what_is_left_out_stays() {
    let app = TestApp::spawn().await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let answer = update(
        &app,
        &token,
        json!({
            "billingAddress": { "line1": " 1 Yonge St ", "line2": "Suite 1800", "city": "Toronto", "province": "on",
                                "postalCode": "m5e1w7", "country": "ca" },
            "billingContacts": [
                { "name": "Accounts Payable", "email": "AP@maple-dental.example", "phone": "+1 416 555 0142" },
                { "name": "Dana Whitfield", "email": "manager@maple-dental.example" }
            ]
        }),
    )
    .await;
    let account = &answer["data"]["updateProfile"]["account"];
    assert_eq!(account["billingAddress"]["line1"], "1 Yonge St", "{answer}");
    assert_eq!(account["billingAddress"]["province"], "ON");
    assert_eq!(account["billingAddress"]["postalCode"], "M5E 1W7");
    assert_eq!(account["timeZone"], "America/Toronto", "left out, unchanged");
    assert_eq!(
        pluck(&account["billingContacts"], "email"),
        ["ap@maple-dental.example", "manager@maple-dental.example"]
    );

    let answer =
        update(&app, &token, json!({ "timeZone": "America/Vancouver", "billingContacts": [] })).await;
    let account = &answer["data"]["updateProfile"]["account"];
    assert_eq!(account["timeZone"], "America/Vancouver");
    assert_eq!(account["billingAddress"]["line2"], "Suite 1800", "left out, unchanged");
    assert_eq!(account["billingContacts"], json!([]), "the list is replaced");

    let member = app.login(MEMBER.0, MEMBER.1).await;
    let profile = app.graphql(&operation("Profile"), json!({}), Some(&member)).await;
    assert_eq!(profile["data"]["account"]["timeZone"], "America/Vancouver", "members read it");
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    let before = app.graphql(&operation("Profile"), json!({}), Some(&token)).await;
    let answer = update(
        &app,
        &token,
        json!({
            "billingAddress": { "line1": "", "city": "Halifax", "province": "XX", "postalCode": "12345", "country": "CA" },
            "timeZone": "Atlantic/Nowhere",
            "billingContacts": [{ "name": "Ops", "email": "not-an-email", "phone": "call me" }]
        }),
    )
    .await;
    assert!(answer["data"]["updateProfile"]["account"].is_null());
    let found = codes(&answer);
    for expected in [
        ("billingAddress.line1", "INVALID_ADDRESS"),
        ("billingAddress.province", "INVALID_ADDRESS"),
        ("billingAddress.postalCode", "INVALID_ADDRESS"),
        ("timeZone", "INVALID_TIME_ZONE"),
        ("billingContacts.email", "INVALID_EMAIL"),
        ("billingContacts.phone", "INVALID_CONTACT"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {found:?}"
        );
    }
    let after = app.graphql(&operation("Profile"), json!({}), Some(&token)).await;
    assert_eq!(before, after, "nothing changed");

    // Outside Canada, provinces and postal codes are free-form.
    let answer = update(
        &app,
        &token,
        json!({ "billingAddress": { "line1": "1 Macquarie St", "city": "Sydney", "province": "New South Wales", "postalCode": "NSW 2000", "country": "AU" } }),
    )
    .await;
    let address = &answer["data"]["updateProfile"]["account"]["billingAddress"];
    assert_eq!(
        (&address["country"], &address["province"]),
        (&json!("AU"), &json!("New South Wales")),
        "{answer}"
    );
}

#[tokio::test]
async fn members_may_not_change_the_profile() {
    let app = TestApp::spawn().await;
    let member = app.login(MEMBER.0, MEMBER.1).await;
    let answer = update(&app, &member, json!({ "timeZone": "America/Vancouver" })).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");
    let profile = app.graphql(&operation("Profile"), json!({}), Some(&member)).await;
    assert_eq!(profile["data"]["account"]["timeZone"], "America/Toronto");
}
