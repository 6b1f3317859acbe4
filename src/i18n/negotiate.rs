//! The language of someone the service does not know yet: their browser's `Accept-Language`,
//! matched against ours by `fluent-langneg` (RFC 4647 filtering, so `fr`, `fr-FR` and `fr-CA`
//! all read French).

use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use unic_langid::LanguageIdentifier;

use super::Locale;

/// The language `header` prefers among ours, if it names one of them at all.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    // Browsers send a handful; a header is bounded by the server's header limit anyway.
    let requested = accepted_languages::parse(header);
    let available: Vec<LanguageIdentifier> =
        Locale::ALL.iter().filter_map(|locale| locale.tag().parse().ok()).collect();
    let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    chosen.first().and_then(|tag| Locale::parse(&tag.to_string()))
}
