//! Two-step sign-in with an authenticator app, driven with real codes from the test's own RFC 6238
//! implementation (not the service's): enrolling, the second step of a login, single use of codes,
//! recovery codes and challenges under parallel requests, throttling, and nothing secret in the log.

use billing_portal::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha1::Sha1;

use crate::{
    helpers::{MANAGER, Options, TestApp, captured_logs},
    operations::operation,
};

/// RFC 4648 base32, as authenticator apps read the secret.
pub fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase()).expect("base32") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// RFC 6238 with SHA-1, 6 digits and 30-second steps, written from the RFC.
pub fn code_at(secret: &[u8], at: DateTime<Utc>) -> String {
    let step = (at.timestamp() / 30) as u64;
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).unwrap();
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let number = u32::from_be_bytes([hash[offset], hash[offset + 1], hash[offset + 2], hash[offset + 3]])
        & 0x7fff_ffff;
    format!("{:06}", number % 1_000_000)
}

#[test]
fn the_test_s_own_codes_match_the_rfc() {
    // RFC 6238, appendix B (the 8-digit 94287082, cut to 6 digits).
    assert_eq!(code_at(b"12345678901234567890", DateTime::from_timestamp(59, 0).unwrap()), "287082");
    assert_eq!(base32_decode("GEZDGNBVGY3TQOJQ"), b"1234567890");
}

fn codes(answer: &Value, payload: &str) -> Vec<String> {
    answer["data"][payload]["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

async fn second_step(app: &TestApp) -> String {
    let answer = app
        .graphql(
            &operation("LoginWithSecondFactor"),
            json!({ "email": MANAGER.0, "password": MANAGER.1 }),
            None,
        )
        .await;
    let login = &answer["data"]["login"];
    assert!(
        login["token"].is_null() && login["viewer"].is_null(),
        "a password alone opens nothing: {answer}"
    );
    assert_eq!(login["secondFactor"]["methods"], json!(["TOTP", "RECOVERY_CODE"]), "{answer}");
    login["secondFactor"]["challenge"].as_str().unwrap().to_string()
}

async fn verify(app: &TestApp, challenge: &str, code: Option<&str>, recovery: Option<&str>) -> Value {
    app.graphql(
        &operation("VerifyLogin"),
        json!({ "challenge": challenge, "code": code, "recoveryCode": recovery }),
        None,
    )
    .await
}

#[tokio::test]
async fn an_office_manager_turns_on_two_step_sign_in_and_each_code_works_once() {
    let clock = Clock::manual(Utc::now());
    let tweak = Box::new(crate::helpers::roomy_throttle);
    let app = TestApp::spawn_with(Options { clock: clock.clone(), tweak, ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;

    // Enrolling: the secret, the link and the QR code; a wrong code changes nothing.
    let begun = app.graphql(&operation("BeginTotpEnrollment"), json!({}), Some(&token)).await;
    let enrollment = &begun["data"]["beginTotpEnrollment"]["enrollment"];
    let secret_text = enrollment["secret"].as_str().unwrap_or_else(|| panic!("{begun}")).to_string();
    let secret = base32_decode(&secret_text);
    assert_eq!(secret.len(), 20, "160 bits");
    let uri = enrollment["otpauthUri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/") && uri.contains(&format!("secret={secret_text}")), "{uri}");
    assert!(uri.contains("issuer=Billing%20Portal"), "{uri}");
    assert!(enrollment["qrCodeSvg"].as_str().unwrap().starts_with("<svg"), "{enrollment}");
    let stored: String = crate::helpers::query_string(
        &app,
        &format!("SELECT totp_pending_secret FROM users WHERE email = '{}'", MANAGER.0),
    )
    .await;
    assert!(stored.starts_with("v1.") && !stored.contains(&secret_text), "sealed at rest: {stored}");
    let wrong =
        app.graphql(&operation("ConfirmTotpEnrollment"), json!({ "code": "000000" }), Some(&token)).await;
    assert_eq!(codes(&wrong, "confirmTotpEnrollment"), ["INVALID_CODE"]);
    let now = clock.now();
    let confirmed = app
        .graphql(&operation("ConfirmTotpEnrollment"), json!({ "code": code_at(&secret, now) }), Some(&token))
        .await;
    let recovery: Vec<String> = confirmed["data"]["confirmTotpEnrollment"]["recoveryCodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{confirmed}"))
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(confirmed["data"]["confirmTotpEnrollment"]["viewer"]["twoFactorEnabled"], true);
    let hashed =
        crate::helpers::query_i64(&app, "SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL").await;
    assert_eq!(hashed, 10);
    for code in &recovery {
        let found = crate::helpers::query_i64(
            &app,
            &format!(
                "SELECT COUNT(*) FROM recovery_codes WHERE code_hash LIKE '%{}%'",
                code.replace('-', "")
            ),
        )
        .await;
        assert_eq!(found, 0, "stored hashed, never as typed");
    }

    // The code that confirmed cannot log in again (same step); the next step's can, once.
    let challenge = second_step(&app).await;
    assert_eq!(
        codes(&verify(&app, &challenge, Some(&code_at(&secret, now)), None).await, "verifyLogin"),
        ["INVALID_CODE"]
    );
    clock.advance(Duration::seconds(30));
    let fresh = code_at(&secret, clock.now());
    let session = verify(&app, &challenge, Some(&fresh), None).await;
    let session_token =
        session["data"]["verifyLogin"]["token"].as_str().unwrap_or_else(|| panic!("{session}"));
    let me = app.graphql("{ viewer { email twoFactorEnabled } }", json!({}), Some(session_token)).await;
    assert_eq!(me["data"]["viewer"], json!({ "email": MANAGER.0, "twoFactorEnabled": true }));
    let replay = verify(&app, &challenge, Some(&fresh), None).await;
    assert_eq!(codes(&replay, "verifyLogin"), ["INVALID_CHALLENGE"], "a challenge makes one session");
    let again = second_step(&app).await;
    assert_eq!(
        codes(&verify(&app, &again, Some(&fresh), None).await, "verifyLogin"),
        ["INVALID_CODE"],
        "a code works once"
    );

    // Under parallel requests: one code, eight challenges, one session.
    clock.advance(Duration::seconds(30));
    let code = code_at(&secret, clock.now());
    let mut challenges = Vec::new();
    for _ in 0..8 {
        challenges.push(second_step(&app).await);
    }
    let answers = join_all(challenges.iter().map(|c| verify(&app, c, Some(&code), None))).await;
    let sessions = answers.iter().filter(|a| a["data"]["verifyLogin"]["token"].is_string()).count();
    assert_eq!(sessions, 1, "{answers:?}");

    // A recovery code works once, even eight times at once, and its owner hears of it.
    let mut challenges = Vec::new();
    for _ in 0..8 {
        challenges.push(second_step(&app).await);
    }
    let typed = recovery[3].to_uppercase().replace('-', " ");
    let answers = join_all(challenges.iter().map(|c| verify(&app, c, None, Some(&typed)))).await;
    let sessions = answers.iter().filter(|a| a["data"]["verifyLogin"]["token"].is_string()).count();
    assert_eq!(sessions, 1, "{answers:?}");
    let emails = app.emails_to(MANAGER.0, 2).await;
    let subjects: Vec<&str> = emails.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, ["Two-step sign-in is on", "A recovery code was used to log in"]);
    let notice = &emails[1];
    assert!(notice.text.contains("You have 9 recovery codes left."), "{}", notice.text);

    // A challenge lasts 5 minutes.
    let late = second_step(&app).await;
    clock.advance(Duration::minutes(6));
    let expired = verify(&app, &late, Some(&code_at(&secret, clock.now())), None).await;
    assert_eq!(codes(&expired, "verifyLogin"), ["INVALID_CHALLENGE"]);

    // Off, with the password; then the password alone logs in again.
    let off =
        app.graphql(&operation("DisableTotp"), json!({ "password": MANAGER.1 }), Some(session_token)).await;
    assert_eq!(off["data"]["disableTotp"]["viewer"]["twoFactorEnabled"], false, "{off}");
    assert!(app.try_login(MANAGER.0, MANAGER.1).await["data"]["login"]["token"].is_string());
    assert_eq!(crate::helpers::query_i64(&app, "SELECT COUNT(*) FROM recovery_codes").await, 0);

    // Nothing secret reached the log.
    let logs = captured_logs();
    for secret in
        [secret_text.as_str(), fresh.as_str(), code.as_str(), recovery[3].as_str(), challenge.as_str()]
    {
        assert!(!logs.contains(secret), "{secret} is in the log");
    }
}

/// Sets up the authenticator for `token`'s user, as the app would: answers the secret.
pub async fn enrol(app: &TestApp, token: &str, clock: &Clock) -> Vec<u8> {
    let begun = app.graphql(&operation("BeginTotpEnrollment"), json!({}), Some(token)).await;
    let secret =
        base32_decode(begun["data"]["beginTotpEnrollment"]["enrollment"]["secret"].as_str().unwrap());
    let code = code_at(&secret, clock.now());
    let confirmed =
        app.graphql(&operation("ConfirmTotpEnrollment"), json!({ "code": code }), Some(token)).await;
    assert_eq!(confirmed["data"]["confirmTotpEnrollment"]["viewer"]["twoFactorEnabled"], true, "{confirmed}");
    secret
}

#[tokio::test]
async fn guessing_codes_is_throttled_even_in_parallel() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let secret = enrol(&app, &token, &clock).await;
    let challenge = second_step(&app).await;
    clock.advance(Duration::seconds(30));
    let right = code_at(&secret, clock.now());
    let wrong: Vec<String> =
        (0..20).map(|n| format!("{:06}", (right.parse::<u32>().unwrap() + 1 + n) % 1_000_000)).collect();
    let answers = join_all(wrong.iter().map(|code| verify(&app, &challenge, Some(code), None))).await;
    let checked = answers
        .iter()
        .filter(|a| a["data"]["verifyLogin"]["userErrors"][0]["code"] == "INVALID_CODE")
        .count();
    let limited = answers.iter().filter(|a| a["errors"][0]["extensions"]["code"] == "RATE_LIMITED").count();
    assert_eq!((checked, limited), (5, 15), "5 free guesses, counted before they are checked: {answers:?}");
    // While blocked, even the right code is refused.
    let blocked = verify(&app, &challenge, Some(&right), None).await;
    assert_eq!(blocked["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{blocked}");
}

#[tokio::test]
async fn an_account_that_requires_it_has_everyone_enrol_before_anything_else() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let manager = app.login(MANAGER.0, MANAGER.1).await;
    let member = app.login(crate::helpers::MEMBER.0, crate::helpers::MEMBER.1).await;
    let forbidden =
        app.graphql(&operation("SetRequireTwoFactor"), json!({ "required": true }), Some(&member)).await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN", "{forbidden}");
    let set =
        app.graphql(&operation("SetRequireTwoFactor"), json!({ "required": true }), Some(&manager)).await;
    assert_eq!(set["data"]["setRequireTwoFactor"]["account"]["requireTwoFactor"], true, "{set}");

    // The member (and the manager) may now only enrol.
    let blocked = app.graphql(&operation("Dashboard"), json!({}), Some(&member)).await;
    assert_eq!(blocked["errors"][0]["extensions"]["code"], "TWO_FACTOR_ENROLLMENT_REQUIRED", "{blocked}");
    let me =
        app.graphql("{ viewer { mustEnrollTwoFactor twoFactorEnabled } }", json!({}), Some(&member)).await;
    assert_eq!(me["data"]["viewer"], json!({ "mustEnrollTwoFactor": true, "twoFactorEnabled": false }));
    enrol(&app, &member, &clock).await;
    let dashboard = app.graphql(&operation("Dashboard"), json!({}), Some(&member)).await;
    assert!(dashboard["errors"].is_null(), "enrolled, the member goes on: {dashboard}");
    let still = app.graphql(&operation("Dashboard"), json!({}), Some(&manager)).await;
    assert_eq!(still["errors"][0]["extensions"]["code"], "TWO_FACTOR_ENROLLMENT_REQUIRED");
}

#[tokio::test]
async fn a_new_password_voids_the_second_steps_the_old_one_earned() {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let token = app.login(MANAGER.0, MANAGER.1).await;
    let secret = enrol(&app, &token, &clock).await;
    // Someone with the old password is at the second step when the owner resets it.
    let challenge = second_step(&app).await;
    let asked = app.graphql(&operation("RequestPasswordReset"), json!({ "email": MANAGER.0 }), None).await;
    assert_eq!(asked["data"]["requestPasswordReset"]["ok"], true, "{asked}");
    let emails = app.emails_to(MANAGER.0, 2).await;
    let link = emails.iter().find(|e| e.subject == "Reset your Billing Portal password").expect("the link");
    let reset = app
        .graphql(
            &operation("ResetPassword"),
            json!({ "token": link.reset_token(), "newPassword": "Harbour62Violet38Compass" }),
            None,
        )
        .await;
    assert_eq!(reset["data"]["resetPassword"]["ok"], true, "{reset}");
    clock.advance(Duration::seconds(30));
    let late = verify(&app, &challenge, Some(&code_at(&secret, clock.now())), None).await;
    assert_eq!(codes(&late, "verifyLogin"), ["INVALID_CHALLENGE"], "{late}");
}
