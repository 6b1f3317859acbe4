//! Time is stored in UTC and presented in the account's zone; "today" is the account's today.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name such as `America/Toronto`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Today's date where the account is. Stored zones are validated on the way in; UTC is only a
/// fallback for a zone this build's database no longer knows.
pub fn today_in(zone: &str) -> NaiveDate {
    let now = Utc::now();
    match parse_zone(zone) {
        Some(tz) => now.with_timezone(&tz).date_naive(),
        None => now.date_naive(),
    }
}
