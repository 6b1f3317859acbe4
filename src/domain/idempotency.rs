//! Idempotent requests: the key a client sends with one, and the fingerprint of what it asked, so
//! that the same key (or the same object's name, in the Partner API) with the same request answers
//! what the first one made, and with another request is refused, never applied twice.

use sha2::{Digest, Sha256};

/// At most this long (the column's size).
pub const MAX_KEY_CHARS: usize = 255;

/// A client's idempotency key: 1 to `MAX_KEY_CHARS` characters once trimmed, no control
/// characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Option<Self> {
        let key = raw.trim();
        let fits = !key.is_empty() && key.chars().count() <= MAX_KEY_CHARS;
        (fits && !key.chars().any(char::is_control)).then(|| Self(key.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request's fingerprint: SHA-256 (hex) of its normalised values in a fixed order, written as a
/// JSON array so that no value can run into the next.
pub fn fingerprint(values: &serde_json::Value) -> String {
    Sha256::digest(values.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_key_is_trimmed_and_bounded() {
        assert_eq!(IdempotencyKey::parse("  pay-1 ").unwrap().as_str(), "pay-1");
        for refused in ["", "   ", "a\u{0}b", &"k".repeat(MAX_KEY_CHARS + 1)] {
            assert_eq!(IdempotencyKey::parse(refused), None, "{refused:?}");
        }
        assert!(IdempotencyKey::parse(&"é".repeat(MAX_KEY_CHARS)).is_some(), "characters, not bytes");
    }

    #[test]
    fn a_fingerprint_tells_values_apart_however_they_split() {
        assert_eq!(fingerprint(&json!(["10.5", 3])), fingerprint(&json!(["10.5", 3])));
        assert_ne!(fingerprint(&json!(["ab", "c"])), fingerprint(&json!(["a", "bc"])));
        assert_ne!(fingerprint(&json!(["10.5", 3])), fingerprint(&json!(["10.5", 4])));
    }
}
