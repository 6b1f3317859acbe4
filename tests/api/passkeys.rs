//! Passkeys, driven by a software authenticator (webauthn-authenticator-rs' SoftPasskey, which
//! signs as a device would): registering one, signing in with it without a password (discoverable:
//! the authenticator says whose it is) and as a password's second step, each challenge once even in
//! parallel, forged answers refused, and removing it.

use billing_portal::clock::Clock;
use chrono::{Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};
use webauthn_authenticator_rs::{prelude::*, softpasskey::SoftPasskey};

use crate::{
    helpers::{MANAGER, MEMBER, Options, TestApp, captured_logs},
    operations::operation,
};

/// SoftPasskey answers only for https (or localhost) origins: the portal is served as this.
const ORIGIN: &str = "https://portal.test";

type Authenticator = WebauthnAuthenticator<SoftPasskey>;

fn authenticator() -> Authenticator {
    // `true`: it says the user was verified (a PIN or a fingerprint), as passkeys require.
    WebauthnAuthenticator::new(SoftPasskey::new(true))
}

async fn spawn(clock: &Clock) -> TestApp {
    let tweak = Box::new(|s: &mut billing_portal::config::Settings| {
        s.public_url = ORIGIN.into();
        crate::helpers::roomy_throttle(s);
    });
    TestApp::spawn_with(Options { clock: clock.clone(), tweak, ..Options::default() }).await
}

fn user_error(answer: &Value, payload: &str) -> String {
    answer["data"][payload]["userErrors"][0]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_string()
}

/// A passkey registered the way the portal does it.
struct Registered {
    passkey: Value,
    /// The id its authenticator keeps it under for this user (base64url).
    user_handle: Value,
    /// The authenticator's id of the credential (base64url).
    credential_id: Value,
}

async fn register(app: &TestApp, token: &str, device: &mut Authenticator, name: &str) -> Registered {
    let begun = app.graphql(&operation("BeginPasskeyRegistration"), json!({}), Some(token)).await;
    let options =
        begun["data"]["beginPasskeyRegistration"]["options"].as_str().unwrap_or_else(|| panic!("{begun}"));
    let mut options: Value = serde_json::from_str(options).unwrap();
    let selection = &mut options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required", "discoverable: signing in needs no email");
    // SoftPasskey keeps no resident keys and refuses to be asked for one; a browser's would not.
    selection["requireResidentKey"] = false.into();
    let handle = options["publicKey"]["user"]["id"].clone();
    let credential = device
        .do_registration(ORIGIN.parse().unwrap(), serde_json::from_value(options).unwrap())
        .expect("registers");
    let finished = app
        .graphql(
            &operation("FinishPasskeyRegistration"),
            json!({ "credential": serde_json::to_string(&credential).unwrap(), "name": name }),
            Some(token),
        )
        .await;
    let passkey = finished["data"]["finishPasskeyRegistration"]["passkey"].clone();
    assert_eq!(passkey["name"], name, "{finished}");
    let credential_id = serde_json::to_value(&credential).unwrap()["rawId"].clone();
    Registered { passkey, user_handle: handle, credential_id }
}

/// The authenticator's answer to `options` (JSON), as the browser hands it over.
fn answer(device: &mut Authenticator, options: &Value) -> String {
    let credential =
        device.do_authentication(ORIGIN.parse().unwrap(), serde_json::from_value(options.clone()).unwrap());
    serde_json::to_string(&credential.expect("signs")).unwrap()
}

/// What a discoverable passkey answers a sign-in that names no one: SoftPasskey keeps no resident
/// keys, so it is told which credential (as a browser finds it) and its answer gets the user handle
/// a resident key returns. Neither is signed: the server's lookup and verification are the real ones.
fn discoverable_answer(
    device: &mut Authenticator,
    options: &Value,
    credential_id: &Value,
    user_handle: &Value,
) -> String {
    let mut options = options.clone();
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": credential_id }]);
    let mut signed: Value = serde_json::from_str(&answer(device, &options)).unwrap();
    signed["response"]["userHandle"] = user_handle.clone();
    signed.to_string()
}

async fn verify(app: &TestApp, challenge: &Value, passkey: &str) -> Value {
    app.graphql(&operation("VerifyLogin"), json!({ "challenge": challenge, "passkey": passkey }), None).await
}

#[tokio::test]
async fn a_passkey_signs_in_without_a_password_and_as_the_second_step() {
    let clock = Clock::manual(Utc::now());
    let app = spawn(&clock).await;
    let mut laptop = authenticator();
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let Registered { passkey, user_handle, credential_id } =
        register(&app, &token, &mut laptop, "Work laptop").await;
    let notice = app.email_to(MANAGER.0).await;
    assert_eq!(notice.subject, "A passkey was added to your login");
    assert!(notice.text.contains("A passkey named \"Work laptop\" was added"), "{}", notice.text);

    let security = app.run(&token, "MySecurity", json!({})).await;
    assert_eq!(security["viewer"]["passkeys"][0]["id"], passkey["id"], "{security}");
    assert!(security["viewer"]["passkeys"][0]["lastUsedAt"].is_null());
    assert_eq!(security["viewer"]["twoFactorEnabled"], true, "a passkey is a second factor");

    // The password is no longer enough: its second step takes the passkey.
    let login = app
        .graphql(
            &operation("LoginWithSecondFactor"),
            json!({ "email": MANAGER.0, "password": MANAGER.1 }),
            None,
        )
        .await;
    let second = &login["data"]["login"]["secondFactor"];
    assert!(login["data"]["login"]["token"].is_null(), "{login}");
    assert_eq!(second["methods"], json!(["PASSKEY"]), "{login}");
    let full = app
        .graphql(
            "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { secondFactor { challenge passkeyOptions } } }",
            json!({ "email": MANAGER.0, "password": MANAGER.1 }),
            None,
        )
        .await;
    let second = &full["data"]["login"]["secondFactor"];
    let options: Value = serde_json::from_str(second["passkeyOptions"].as_str().unwrap()).unwrap();
    let signed = answer(&mut laptop, &options);
    // Eight at once with one answer: one session.
    let answers = join_all((0..8).map(|_| verify(&app, &second["challenge"], &signed))).await;
    let sessions: Vec<&Value> =
        answers.iter().filter(|a| a["data"]["verifyLogin"]["token"].is_string()).collect();
    assert_eq!(sessions.len(), 1, "{answers:?}");
    assert_eq!(sessions[0]["data"]["verifyLogin"]["viewer"]["email"], MANAGER.0);

    // A code where only a passkey was offered proves nothing.
    let code = app
        .graphql(
            &operation("VerifyLogin"),
            json!({ "challenge": login["data"]["login"]["secondFactor"]["challenge"], "code": "123456" }),
            None,
        )
        .await;
    assert_eq!(user_error(&code, "verifyLogin"), "INVALID_CODE", "{code}");

    // Without a password: the options name no one's passkeys, whatever email address is typed, so
    // they tell nothing of who has one; the authenticator says whose passkey it is.
    let begun = app.graphql(&operation("BeginPasskeyLogin"), json!({ "email": MANAGER.0 }), None).await;
    let begun = &begun["data"]["beginPasskeyLogin"];
    let options: Value = serde_json::from_str(begun["options"].as_str().unwrap()).unwrap();
    let nobody =
        app.graphql(&operation("BeginPasskeyLogin"), json!({ "email": "nobody@example.com" }), None).await;
    let nobody: Value =
        serde_json::from_str(nobody["data"]["beginPasskeyLogin"]["options"].as_str().unwrap()).unwrap();
    assert_eq!(options["publicKey"]["allowCredentials"], json!([]), "{options}");
    let shape = |o: &Value| {
        let mut o = o.clone();
        o["publicKey"]["challenge"] = Value::Null;
        o
    };
    assert_eq!(shape(&options), shape(&nobody), "an address with passkeys and one without look alike");
    let signed = discoverable_answer(&mut laptop, &options, &credential_id, &user_handle);
    // A forged signature is refused, and spends nothing.
    let mut forged: Value = serde_json::from_str(&signed).unwrap();
    let signature = forged["response"]["signature"].as_str().unwrap().to_string();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    forged["response"]["signature"] = format!("{flipped}{}", &signature[1..]).into();
    let refused = verify(&app, &begun["challenge"], &forged.to_string()).await;
    assert_eq!(user_error(&refused, "verifyLogin"), "INVALID_PASSKEY", "{refused}");
    // Someone else's user handle on this passkey's answer is refused.
    let mut impostor: Value = serde_json::from_str(&signed).unwrap();
    impostor["response"]["userHandle"] = "AAAAAAAAAAAAAAAAAAAAAA".into();
    let refused = verify(&app, &begun["challenge"], &impostor.to_string()).await;
    assert_eq!(user_error(&refused, "verifyLogin"), "INVALID_PASSKEY", "{refused}");
    let discovered = verify(&app, &begun["challenge"], &signed).await;
    let fresh = discovered["data"]["verifyLogin"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{discovered}"))
        .to_string();
    assert_eq!(discovered["data"]["verifyLogin"]["viewer"]["email"], MANAGER.0);
    // An answer replayed to another challenge does not verify; a challenge does not work twice.
    let again = app.graphql(&operation("BeginPasskeyLogin"), json!({}), None).await;
    let replayed = verify(&app, &again["data"]["beginPasskeyLogin"]["challenge"], &signed).await;
    assert_eq!(user_error(&replayed, "verifyLogin"), "INVALID_PASSKEY", "{replayed}");
    let twice = verify(&app, &begun["challenge"], &signed).await;
    assert_eq!(user_error(&twice, "verifyLogin"), "INVALID_CHALLENGE", "{twice}");

    // A passkey is a second factor for what moves money too; and it can be removed.
    let used = app.run(&fresh, "MySecurity", json!({})).await;
    assert!(used["viewer"]["passkeys"][0]["lastUsedAt"].is_string(), "{used}");
    clock.advance(Duration::minutes(16));
    let held = app.graphql(&operation("SetAutoPay"), json!({ "enabled": true }), Some(&fresh)).await;
    assert_eq!(user_error(&held, "setAutoPay"), "REAUTHENTICATION_REQUIRED", "{held}");
    let proved =
        app.graphql(&operation("Reauthenticate"), json!({ "password": MANAGER.1 }), Some(&fresh)).await;
    assert_eq!(proved["data"]["reauthenticate"]["ok"], true);
    let removed = app
        .graphql(
            "mutation($id: ID!) { removePasskey(input: { id: $id }) { removedId userErrors { code } } }",
            json!({ "id": passkey["id"] }),
            Some(&fresh),
        )
        .await;
    assert_eq!(removed["data"]["removePasskey"]["removedId"], passkey["id"], "{removed}");
    assert!(
        app.try_login(MANAGER.0, MANAGER.1).await["data"]["login"]["token"].is_string(),
        "a password alone again"
    );
    let removal = app.emails_to(MANAGER.0, 2).await;
    assert_eq!(removal[1].subject, "A passkey was removed from your login");
    let begun = app.graphql(&operation("BeginPasskeyLogin"), json!({}), None).await;
    let begun = &begun["data"]["beginPasskeyLogin"];
    let options: Value = serde_json::from_str(begun["options"].as_str().unwrap()).unwrap();
    let gone = verify(
        &app,
        &begun["challenge"],
        &discoverable_answer(&mut laptop, &options, &credential_id, &user_handle),
    )
    .await;
    assert_eq!(
        user_error(&gone, "verifyLogin"),
        "INVALID_PASSKEY",
        "a removed passkey signs no one in: {gone}"
    );

    let logs = captured_logs();
    assert!(!logs.contains(signature.as_str()), "no passkey answer in the log");
}

#[tokio::test]
async fn adding_a_passkey_takes_a_recent_sign_in_even_without_a_second_factor() {
    let clock = Clock::manual(Utc::now());
    let app = spawn(&clock).await;
    let token = app.login(MEMBER.0, MEMBER.1).await;
    clock.advance(Duration::minutes(16));
    let held = app.graphql(&operation("BeginPasskeyRegistration"), json!({}), Some(&token)).await;
    assert_eq!(user_error(&held, "beginPasskeyRegistration"), "REAUTHENTICATION_REQUIRED", "{held}");
    let proved =
        app.graphql(&operation("Reauthenticate"), json!({ "password": MEMBER.1 }), Some(&token)).await;
    assert_eq!(proved["data"]["reauthenticate"]["ok"], true, "{proved}");
    let mut phone = authenticator();
    register(&app, &token, &mut phone, "Phone").await;

    // A credential registered once is not registered again, here or for anyone else.
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let begun = app.graphql(&operation("BeginPasskeyRegistration"), json!({}), Some(&manager)).await;
    let options = begun["data"]["beginPasskeyRegistration"]["options"].as_str().unwrap();
    let mut options: Value = serde_json::from_str(options).unwrap();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = false.into();
    let credential =
        phone.do_registration(ORIGIN.parse().unwrap(), serde_json::from_value(options).unwrap()).unwrap();
    let wrong_name = app
        .graphql(
            &operation("FinishPasskeyRegistration"),
            json!({ "credential": "{}", "name": "x".repeat(101) }),
            Some(&manager),
        )
        .await;
    assert_eq!(user_error(&wrong_name, "finishPasskeyRegistration"), "INVALID_NAME");
    let garbage = app
        .graphql(
            &operation("FinishPasskeyRegistration"),
            json!({ "credential": "{not json" }),
            Some(&manager),
        )
        .await;
    assert_eq!(user_error(&garbage, "finishPasskeyRegistration"), "INVALID_PASSKEY");
    let finished = app
        .graphql(
            &operation("FinishPasskeyRegistration"),
            json!({ "credential": serde_json::to_string(&credential).unwrap() }),
            Some(&manager),
        )
        .await;
    assert_eq!(finished["data"]["finishPasskeyRegistration"]["passkey"]["name"], "Passkey", "{finished}");
    // Its registration is used: the same answer again has nothing to finish.
    let twice = app
        .graphql(
            &operation("FinishPasskeyRegistration"),
            json!({ "credential": serde_json::to_string(&credential).unwrap() }),
            Some(&manager),
        )
        .await;
    assert_eq!(user_error(&twice, "finishPasskeyRegistration"), "INVALID_CHALLENGE", "{twice}");
}
