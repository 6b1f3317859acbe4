//! Email addresses as login names: trimmed, lower-cased, and plausible.
//!
//! An address is accepted only if the mail library that sends to it (lettre) parses it too: an
//! invitation to `a,b@example.com` would otherwise be stored, and its email never leave.

/// A normalised address: what we store and compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` without spaces, quotes or control characters, at most 254 bytes,
    /// that lettre's parser (the one the sender uses) accepts.
    pub fn parse(input: &str) -> Option<Self> {
        let normalised = input.trim().to_lowercase();
        let (local, domain) = normalised.rsplit_once('@')?;
        let plausible = !local.is_empty()
            && local.len() <= 64
            && normalised.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !normalised.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"".contains(c))
            && !local.contains('@')
            && normalised.parse::<lettre::Address>().is_ok();
        plausible.then_some(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn normalises_and_rejects() {
        assert_eq!(
            EmailAddress::parse("  Dana@Maple-Dental.Example ").unwrap().as_str(),
            "dana@maple-dental.example"
        );
        for bad in [
            "",
            "dana",
            "dana@",
            "@x.ca",
            "da na@x.ca",
            "dana@localhost",
            "a@b@c.ca",
            "x@.ca",
            "a,b@maple-dental.example",
            "a;b@maple-dental.example",
            "\"a\"@maple-dental.example",
            "a\"b@maple-dental.example",
            "a..b@maple-dental.example",
            "dana@maple_dental.example,",
        ] {
            assert!(EmailAddress::parse(bad).is_none(), "{bad:?} should be refused");
        }
    }
}
