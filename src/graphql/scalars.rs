//! The API's own scalars. Each travels as text, has a plain description and a `@specifiedBy`
//! URL (which codegen and GraphiQL show), and is checked when the request is validated
//! (`is_valid`): a malformed literal or variable is refused before anything runs, like a value of
//! the wrong type (a 400 for clients that accept `application/graphql-response+json`).

use std::str::FromStr;

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date, `YYYY-MM-DD`, e.g. `2026-11-25`. Where a day depends on where you are (a due
/// date, a payment's day), it is the account's day, in the account's time zone.
#[Scalar(name = "Date", specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date(text).map(Date).ok_or_else(|| {
                InputValueError::custom(format!(
                    "{text:?} is not a date: expected YYYY-MM-DD (e.g. 2026-11-25)"
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse_date(text).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    // `%Y` alone would take a five-digit year or a sign; a date is exactly ten characters.
    (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// A moment in time, RFC 3339 with its offset, e.g. `2026-11-25T19:56:00+00:00`. Answers are
/// always in UTC; show them in the account's (or the user's) time zone.
#[Scalar(name = "DateTime", specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date_time(text).map(DateTime).ok_or_else(|| {
                InputValueError::custom(format!(
                    "{text:?} is not a moment: expected RFC 3339 such as 2026-11-25T19:56:00Z"
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse_date_time(text).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

fn parse_date_time(text: &str) -> Option<chrono::DateTime<Utc>> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|moment| moment.with_timezone(&Utc))
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(moment: chrono::DateTime<Utc>) -> Self {
        Self(moment)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal(pub rust_decimal::Decimal);

/// An exact decimal number written as a string, e.g. `"1234.56"`: money travels as text, never as
/// a floating-point number. A `Money` amount has its currency's minor digits (2 for CAD).
#[Scalar(name = "Decimal", specified_by_url = "https://speleotrove.com/decimal/daconvs.html#refnumsyn")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_decimal(text).map(Decimal).ok_or_else(|| {
                InputValueError::custom(format!("{text:?} is not a decimal number: expected e.g. \"123.45\""))
            }),
            Value::Number(_) => Err(InputValueError::custom(
                "send a decimal as a string, e.g. \"123.45\": a JSON number may lose cents",
            )),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse_decimal(text).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// Digits with an optional sign and decimal point: no exponent, no spaces, nothing else.
fn parse_decimal(text: &str) -> Option<rust_decimal::Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && !digits.starts_with('.')
        && !digits.ends_with('.')
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1;
    plain.then(|| rust_decimal::Decimal::from_str(text).ok()).flatten()
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_exactly_calendar_dates() {
        assert!(parse_date("2026-11-25").is_some());
        for refused in ["2026-02-30", "26-11-25", "+2026-11-25", "2026-11-25T00:00:00Z", "20261-11-25", ""] {
            assert!(parse_date(refused).is_none(), "{refused}");
        }
    }

    #[test]
    fn decimals_are_plain_digits() {
        assert_eq!(parse_decimal("123.45").unwrap().to_string(), "123.45");
        assert_eq!(parse_decimal("-0.50").unwrap().to_string(), "-0.50");
        for refused in ["1e3", "12.", ".5", "1,000.00", " 1.00", "NaN", "", "-", "1.2.3", "0x10"] {
            assert!(parse_decimal(refused).is_none(), "{refused}");
        }
    }

    #[test]
    fn moments_keep_their_form_in_answers() {
        let moment = parse_date_time("2026-11-25T14:56:00-05:00").unwrap();
        assert_eq!(DateTime(moment).to_value(), Value::String("2026-11-25T19:56:00+00:00".into()));
        assert!(parse_date_time("2026-11-25 19:56").is_none());
    }
}
