//! Opaque tokens that name one kind of thing, for clients to hand back unread: the API's global ids
//! (`Invoice` and its row id) and the lists' cursors (`transaction` and the key of the last row).
//! `base64url("kind:key")`, the kind checked on the way back, so that one kind's token never finds
//! another kind.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

pub fn encode(kind: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

/// The key inside a token made by `encode(kind, …)`; `None` for anything else.
pub fn decode(kind: &str, token: &str) -> Option<String> {
    let (found, key) = split(token)?;
    (found == kind).then_some(key)
}

/// Any token's kind and key, for a caller that takes several kinds.
pub fn split(token: &str) -> Option<(String, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((kind.to_string(), key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_kind() {
        let token = encode("Invoice", "42");
        assert_eq!(decode("Invoice", &token).as_deref(), Some("42"));
        assert_eq!(decode("Payment", &token), None);
        assert_eq!(decode("Invoice", "garbage!"), None);
        // A key may hold the separator itself (a cursor's date and id).
        assert_eq!(decode("invoice", &encode("invoice", "2026-11-01:7")).as_deref(), Some("2026-11-01:7"));
    }
}
