//! The language of a request whose caller is not known yet (or has not chosen): what the
//! browser's `Accept-Language` prefers among ours, else English.

use poem::{Request, http::header};

use crate::i18n::{self, Locale};

pub fn accepted(request: &Request) -> Locale {
    request.header(header::ACCEPT_LANGUAGE).and_then(i18n::from_accept_language).unwrap_or_default()
}
