//! Authenticator codes (RFC 6238 through totp-rs: SHA-1, 6 digits, 30-second steps, one step of
//! clock drift either way, which is what every authenticator app expects), the enrolment's QR code
//! (SVG, drawn by `qrcode`), and the secret sealed at rest: XChaCha20-Poly1305 under a key HKDF
//! derives from `SECRET_KEY`, bound to its user, so a copy of the database alone yields no secret
//! and one user's sealed secret cannot be moved onto another's row.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use chrono::{DateTime, Utc};
use hkdf::Hkdf;
use qrcode::{QrCode, render::svg};
use rand::RngCore;
use sha2::Sha256;
use totp_rs::{Builder, Totp};

use crate::domain::secret::Secret;

/// The name authenticator apps show beside the account.
pub const ISSUER: &str = "Billing Portal";
/// 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
const SEALED_PREFIX: &str = "v1.";

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8], account_name: &str) -> Option<Totp> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(account_name)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The secret as people type it into an app by hand: base32.
pub fn base32(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

/// `otpauth://totp/Billing%20Portal:EMAIL?secret=…&issuer=Billing%20Portal`: what the QR code holds.
pub fn uri(secret: &[u8], account_name: &str) -> Option<String> {
    totp(secret, account_name)?.to_url().ok()
}

/// The QR code of `uri`, as an SVG element (no XML declaration, so it can sit inside a page).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    let svg = code.render::<svg::Color<'_>>().min_dimensions(200, 200).build();
    Some(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// The 30-second step `code` is right for at `now` (one step either side), if any. Whether that
/// step was already used is the caller's to check, in the database.
pub fn accepted_step(secret: &[u8], code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = u64::try_from(now.timestamp()).ok()?;
    totp(secret, "user")?.check(&code, at).and_then(|step| i64::try_from(step).ok())
}

fn cipher(key: &Secret) -> XChaCha20Poly1305 {
    let mut derived = [0u8; 32];
    Hkdf::<Sha256>::new(Some(b"billing-portal/totp-secret"), key.expose().as_bytes())
        .expand(b"authenticator secrets at rest, v1", &mut derived)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    XChaCha20Poly1305::new_from_slice(&derived).expect("a 32-byte key")
}

/// `secret`, sealed for `user_id`'s row: `v1.` and base64url of the nonce and ciphertext.
pub fn seal(key: &Secret, user_id: i64, secret: &[u8]) -> String {
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let aad = user_id.to_be_bytes();
    let sealed = cipher(key)
        .encrypt(&XNonce::from(nonce), Payload { msg: secret, aad: &aad })
        .expect("encrypting in memory does not fail");
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The secret `seal` sealed for `user_id`; None for anything else (another key, another row, a
/// changed byte).
pub fn open(key: &Secret, user_id: i64, sealed: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(SEALED_PREFIX)?).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce = XNonce::try_from(nonce).ok()?;
    let aad = user_id.to_be_bytes();
    cipher(key).decrypt(&nonce, Payload { msg: ciphertext, aad: &aad }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_row() {
        let key = Secret("k".repeat(32));
        let secret = new_secret();
        let sealed = seal(&key, 7, &secret);
        assert!(!sealed.contains(&base32(&secret)), "never in the clear");
        assert_eq!(open(&key, 7, &sealed), Some(secret.clone()));
        assert_eq!(open(&key, 8, &sealed), None, "another user's row");
        assert_eq!(open(&Secret("x".repeat(32)), 7, &sealed), None, "another key");
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(open(&key, 7, &tampered), None);
    }

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238, appendix B: SHA-1, the ASCII key "12345678901234567890", T = 59 s.
        let secret = b"12345678901234567890";
        let at = DateTime::from_timestamp(59, 0).unwrap();
        assert_eq!(accepted_step(secret, "287082", at), Some(1));
        assert_eq!(accepted_step(secret, "287 082", at), Some(1), "as apps show it");
        assert_eq!(accepted_step(secret, "287083", at), None);
        assert_eq!(accepted_step(secret, "2870820", at), None);
        let uri = uri(secret, "ana@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(qr_svg(&uri).unwrap().starts_with("<svg"));
    }
}
