//! Stripe's webhooks: its signature scheme and its event format (the mock gateway uses both, as
//! Stripe's test mode does).
//!
//! The signature is verified before anything is read: `Stripe-Signature: t=UNIX,v1=HEX[,v1=HEX…]`,
//! where `HEX` is the HMAC-SHA256 of `"{t}.{raw body}"` under the endpoint's secret; any `v1` may
//! match any of the configured secrets (so a secret can be rotated), compared in constant time,
//! and `t` must be within 300 s of now. Then only the fields we use are read, so an event type or
//! API version we do not know is acknowledged rather than refused.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::{
    domain::secret::Secret,
    gateway::{
        Decline, GatewayEvent, WebhookError, WebhookEvent,
        webhook::{MAX_SIGNATURE_HEADER_BYTES, MAX_SIGNATURES, TOLERANCE_SECONDS},
    },
};

/// Verifies a webhook's signature, then reads the event.
pub fn verified_event(
    payload: &[u8],
    signature: Option<&str>,
    secrets: &[Secret],
    now: DateTime<Utc>,
) -> Result<WebhookEvent, WebhookError> {
    verify(payload, signature, secrets, now)?;
    parse(payload)
}

/// Checks `header` against every secret; see the module's documentation.
pub fn verify(
    payload: &[u8],
    header: Option<&str>,
    secrets: &[Secret],
    now: DateTime<Utc>,
) -> Result<(), WebhookError> {
    let header = header.ok_or(WebhookError::MissingSignature)?;
    if header.len() > MAX_SIGNATURE_HEADER_BYTES {
        return Err(WebhookError::OversizedSignature);
    }
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(decode_hex(value)),
            _ => {}
        }
    }
    if signatures.len() > MAX_SIGNATURES {
        return Err(WebhookError::OversizedSignature);
    }
    let timestamp = timestamp.ok_or(WebhookError::BadSignature)?;
    if signatures.is_empty() {
        return Err(WebhookError::BadSignature);
    }
    if now.timestamp().abs_diff(timestamp) > TOLERANCE_SECONDS.unsigned_abs() {
        return Err(WebhookError::Stale);
    }
    // The body is hashed once per secret; each `v1` is then compared against that state's copy
    // (finishing a copy costs two blocks, not the body again), in constant time.
    let matches = secrets.iter().any(|secret| {
        let hashed = mac(secret, timestamp, payload);
        signatures.iter().any(|signature| hashed.clone().verify_slice(signature).is_ok())
    });
    if matches { Ok(()) } else { Err(WebhookError::BadSignature) }
}

/// A `Stripe-Signature` header for `payload` (tests and the webhook example send with it).
pub fn signature_header(payload: &[u8], secret: &Secret, timestamp: i64) -> String {
    let digest = mac(secret, timestamp, payload).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Stripe's scheme: the HMAC of `"{timestamp}.{payload}"`.
fn mac(secret: &Secret, timestamp: i64, payload: &[u8]) -> Hmac<Sha256> {
    secret.mac(&[format!("{timestamp}.").as_bytes(), payload])
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// Reads a verified event. Unknown types are `Ignored`; a known type without a field we need is
/// malformed.
pub fn parse(payload: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let event: Value = serde_json::from_slice(payload).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let text = |value: &Value, field: &str| value.get(field).and_then(Value::as_str).map(str::to_string);
    let id = text(&event, "id").ok_or_else(|| WebhookError::Malformed("no id".into()))?;
    let kind = text(&event, "type").ok_or_else(|| WebhookError::Malformed("no type".into()))?;
    let object = event.pointer("/data/object").cloned().unwrap_or(Value::Null);
    let required = |field: &str| {
        text(&object, field)
            .ok_or_else(|| WebhookError::Malformed(format!("{kind} without data.object.{field}")))
    };
    let payment_id =
        || object.pointer("/metadata/payment_id").and_then(Value::as_str).and_then(|id| id.parse().ok());
    let number = |pointer: &str| object.pointer(pointer).and_then(Value::as_i64);
    let event = match kind.as_str() {
        "payment_intent.succeeded" => {
            GatewayEvent::PaymentSucceeded { reference: required("id")?, payment_id: payment_id() }
        }
        "payment_intent.processing" => {
            GatewayEvent::PaymentProcessing { reference: required("id")?, payment_id: payment_id() }
        }
        "payment_intent.canceled" => {
            GatewayEvent::PaymentCanceled { reference: required("id")?, payment_id: payment_id() }
        }
        "payment_intent.payment_failed" => {
            let reference = required("id")?;
            let error = object.get("last_payment_error").cloned().unwrap_or(Value::Null);
            let decline = Decline {
                reference: Some(reference.clone()),
                code: text(&error, "code").unwrap_or_else(|| "payment_failed".into()),
                decline_code: text(&error, "decline_code"),
                advice_code: text(&error, "advice_code"),
                message: text(&error, "message").unwrap_or_else(|| "The payment failed.".into()),
            };
            GatewayEvent::PaymentFailed { reference, payment_id: payment_id(), decline }
        }
        "charge.refunded" => GatewayEvent::ChargeRefunded {
            reference: required("payment_intent")?,
            amount_refunded: number("/amount_refunded")
                .ok_or_else(|| WebhookError::Malformed("charge.refunded without amount_refunded".into()))?,
        },
        "charge.dispute.created" => GatewayEvent::DisputeCreated {
            reference: required("payment_intent")?,
            dispute_id: required("id")?,
            amount_minor: number("/amount").unwrap_or(0),
            reason: text(&object, "reason").unwrap_or_else(|| "unknown".into()),
        },
        "payment_method.updated" | "payment_method.automatically_updated" => GatewayEvent::MethodUpdated {
            method: required("id")?,
            exp_month: number("/card/exp_month").and_then(|m| i32::try_from(m).ok()),
            exp_year: number("/card/exp_year").and_then(|y| i32::try_from(y).ok()),
            last4: object.pointer("/card/last4").and_then(Value::as_str).map(str::to_string),
        },
        "payment_method.detached" => GatewayEvent::MethodDetached { method: required("id")? },
        _ => GatewayEvent::Ignored,
    };
    let installation = object
        .pointer(&format!("/metadata/{}", super::INSTALLATION_METADATA))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(WebhookEvent { id, kind, installation, event })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn any_v1_under_any_secret_verifies_within_the_tolerance() {
        let body = br#"{"id":"evt_1","type":"ping"}"#;
        let (old, new) = (Secret("whsec_old".into()), Secret("whsec_new".into()));
        let t = 1_800_000_000;
        let good = signature_header(body, &new, t);
        let good_hex = good.split("v1=").nth(1).unwrap();
        let bad_hex = "ab".repeat(32);
        let secrets = [old.clone(), new.clone()];
        for header in [
            good.clone(),
            format!("t={t},v1={bad_hex},v1={good_hex}"),
            format!("t={t},v1={good_hex},v1={bad_hex}"),
        ] {
            assert_eq!(verify(body, Some(&header), &secrets, at(t + 300)), Ok(()), "{header}");
        }
        assert_eq!(verify(body, Some(&good), &[old], at(t)), Err(WebhookError::BadSignature));
        assert_eq!(verify(body, Some(&good), &secrets, at(t + 301)), Err(WebhookError::Stale));
        assert_eq!(verify(body, None, &secrets, at(t)), Err(WebhookError::MissingSignature));
        let mut altered = body.to_vec();
        altered[8] ^= 1;
        assert_eq!(verify(&altered, Some(&good), &secrets, at(t)), Err(WebhookError::BadSignature));
    }

    #[test]
    fn a_header_with_more_signatures_than_stripe_sends_is_refused_unread() {
        let body = br#"{"id":"evt_1","type":"ping"}"#;
        let secret = Secret("whsec_1".into());
        let t = 1_800_000_000;
        let good = signature_header(body, &secret, t);
        let good_hex = good.split("v1=").nth(1).unwrap();
        let bad = format!(",v1={}", "ab".repeat(32));
        let eight = format!("t={t}{},v1={good_hex}", bad.repeat(MAX_SIGNATURES - 1));
        assert_eq!(verify(body, Some(&eight), std::slice::from_ref(&secret), at(t)), Ok(()));
        let nine = format!("t={t}{},v1={good_hex}", bad.repeat(MAX_SIGNATURES));
        assert_eq!(
            verify(body, Some(&nine), std::slice::from_ref(&secret), at(t)),
            Err(WebhookError::OversizedSignature)
        );
        let long = format!("{good},x={}", "0".repeat(MAX_SIGNATURE_HEADER_BYTES));
        assert_eq!(verify(body, Some(&long), &[secret], at(t)), Err(WebhookError::OversizedSignature));
    }

    #[test]
    fn reads_only_what_it_uses_and_acknowledges_the_rest() {
        let failed = br#"{"id":"evt_2","type":"payment_intent.payment_failed","api_version":"2099-01-01",
            "data":{"object":{"id":"pi_1","metadata":{"payment_id":"7"},"unknown":{"deep":[1]},
            "last_payment_error":{"code":"card_declined","decline_code":"insufficient_funds","message":"No."}}}}"#;
        let event = parse(failed).unwrap();
        let GatewayEvent::PaymentFailed { reference, payment_id, decline } = event.event else { panic!() };
        assert_eq!((reference.as_str(), payment_id), ("pi_1", Some(7)));
        assert_eq!(decline.failure_code(), "insufficient_funds");
        let unknown = br#"{"id":"evt_3","type":"invoice.finalized","data":{"object":{}}}"#;
        assert_eq!(parse(unknown).unwrap().event, GatewayEvent::Ignored);
        assert!(parse(br#"{"id":"evt_4","type":"charge.refunded","data":{"object":{}}}"#).is_err());
    }
}
