//! Time is stored in UTC and presented in the account's zone; "today" is the account's today.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name such as `America/Toronto`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The zone a user reads dates in: their own, or else their account's.
pub fn zone_of<'a>(own: Option<&'a str>, account: &'a str) -> &'a str {
    own.unwrap_or(account)
}

/// The date at `now` where the account is. Stored zones are validated on the way in; UTC is only
/// a fallback for a zone this build's database no longer knows.
pub fn today_in(zone: &str, now: DateTime<Utc>) -> NaiveDate {
    match parse_zone(zone) {
        Some(tz) => now.with_timezone(&tz).date_naive(),
        None => now.date_naive(),
    }
}

/// A moment as a person in `zone` reads it, e.g. `2026-11-26 14:56 EST` (UTC for a zone this build
/// does not know).
pub fn local_stamp(at: DateTime<Utc>, zone: &str) -> String {
    match parse_zone(zone) {
        Some(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The UTC range of the calendar days `from` through `to` in `zone`.
pub fn local_days(zone: &str, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |day: NaiveDate| {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        match parse_zone(zone) {
            Some(tz) => midnight
                .and_local_timezone(tz)
                .earliest()
                .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
            None => midnight.and_utc(),
        }
    };
    (start(from), start(to.succ_opt().unwrap_or(to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_zone_s_date() {
        // 03:30 UTC on the 26th is still the 25th in Toronto.
        let now = DateTime::parse_from_rfc3339("2026-11-26T03:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(today_in("America/Toronto", now), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
        assert_eq!(today_in("Asia/Tokyo", now), NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    }

    #[test]
    fn local_days_span_the_zone_s_midnights() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let (from, until) = local_days("America/Toronto", day, day);
        assert_eq!(from.to_rfc3339(), "2026-11-25T05:00:00+00:00");
        assert_eq!(until.to_rfc3339(), "2026-11-26T05:00:00+00:00");
    }
}
