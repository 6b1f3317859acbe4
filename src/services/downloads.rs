//! Signed download links: a plain GET fetches the file for 15 minutes, with no other credential.
//! A link names the account it was issued to and the object, and carries an HMAC-SHA256 of both
//! and its expiry under the server's `SECRET_KEY`; a changed byte or a late use is refused.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use hmac::Mac;

use super::{Deps, ServiceSettings};

pub const LIFETIME: Duration = Duration::minutes(15);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Download {
    InvoicePdf(i64),
    InvoiceCalls(i64),
    /// Billed calls started on `from` through `to`, in the account's time zone.
    CallHistory {
        from: NaiveDate,
        to: NaiveDate,
    },
}

pub struct SignedUrl {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// What a valid link grants.
#[derive(Debug, PartialEq, Eq)]
pub struct Grant {
    pub account_id: i64,
    pub download: Download,
}

/// A link valid for `LIFETIME` from now.
pub fn sign(deps: &Deps, account_id: i64, download: &Download) -> SignedUrl {
    sign_at(&deps.settings, account_id, download, deps.now() + LIFETIME)
}

fn sign_at(
    settings: &ServiceSettings,
    account_id: i64,
    download: &Download,
    expires_at: DateTime<Utc>,
) -> SignedUrl {
    let object = match download {
        Download::InvoicePdf(id) => format!("invoice-pdf:{id}"),
        Download::InvoiceCalls(id) => format!("invoice-calls:{id}"),
        Download::CallHistory { from, to } => format!("call-history:{from}:{to}"),
    };
    let payload = format!("v1|{account_id}|{object}|{}", expires_at.timestamp());
    let signature = settings.signing_key.mac(&[payload.as_bytes()]).finalize().into_bytes();
    let url = format!(
        "{}/downloads/{}/{}",
        settings.public_url,
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(signature)
    );
    SignedUrl { url, expires_at }
}

/// The grant of a link's two path segments, or `None` when forged, altered or expired.
pub fn verify(deps: &Deps, payload: &str, signature: &str) -> Option<Grant> {
    verify_at(&deps.settings, payload, signature, deps.now())
}

fn verify_at(
    settings: &ServiceSettings,
    payload: &str,
    signature: &str,
    now: DateTime<Utc>,
) -> Option<Grant> {
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    // Constant-time comparison.
    settings.signing_key.mac(&[payload.as_bytes()]).verify_slice(&signature).ok()?;
    let mut parts = payload.split('|');
    let (version, account, object, expires) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if version != "v1" || parts.next().is_some() {
        return None;
    }
    let expires_at = DateTime::from_timestamp(expires.parse().ok()?, 0)?;
    if now >= expires_at {
        return None;
    }
    let download = match object.split(':').collect::<Vec<_>>().as_slice() {
        ["invoice-pdf", id] => Download::InvoicePdf(id.parse().ok()?),
        ["invoice-calls", id] => Download::InvoiceCalls(id.parse().ok()?),
        ["call-history", from, to] => {
            Download::CallHistory { from: from.parse().ok()?, to: to.parse().ok()? }
        }
        _ => return None,
    };
    Some(Grant { account_id: account.parse().ok()?, download })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::secret::Secret,
        services::auth::{SessionPolicy, ThrottleLimits},
    };

    fn settings(key: &str) -> ServiceSettings {
        ServiceSettings {
            installation_id: "test".into(),
            public_url: "http://portal.test".into(),
            signing_key: Secret(key.into()),
            sessions: SessionPolicy {
                idle_timeout: Duration::minutes(30),
                absolute_timeout: Duration::hours(12),
            },
            login_throttle: ThrottleLimits::default(),
            auto_pay_retry_days: vec![3, 5, 7],
            auto_pay_concurrency: 1,
        }
    }

    fn noon() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn segments(url: &str) -> (String, String) {
        let mut parts = url.rsplit('/');
        let signature = parts.next().unwrap().to_string();
        (parts.next().unwrap().to_string(), signature)
    }

    #[test]
    fn a_link_grants_what_it_names_until_it_expires() {
        let settings = settings("a key");
        let now = noon();
        let link = sign_at(&settings, 7, &Download::InvoicePdf(42), now + LIFETIME);
        let (payload, signature) = segments(&link.url);
        assert_eq!(
            verify_at(&settings, &payload, &signature, now),
            Some(Grant { account_id: 7, download: Download::InvoicePdf(42) })
        );
        assert_eq!(verify_at(&settings, &payload, &signature, now + LIFETIME), None, "expired");
    }

    #[test]
    fn an_altered_link_or_another_key_is_refused() {
        let settings = settings("a key");
        let now = noon();
        let link = sign_at(&settings, 7, &Download::InvoiceCalls(42), now + LIFETIME);
        let (payload, signature) = segments(&link.url);
        let forged = URL_SAFE_NO_PAD.encode(
            String::from_utf8(URL_SAFE_NO_PAD.decode(&payload).unwrap()).unwrap().replace("|7|", "|8|"),
        );
        assert_eq!(verify_at(&settings, &forged, &signature, now), None);
        assert_eq!(verify_at(&self::settings("another key"), &payload, &signature, now), None);
    }
}
