//! Money: integer minor units of one currency. No floats anywhere money flows.

use rust_decimal::Decimal;

/// Typed from the database up (an entity enum): an unknown code is an error, never a default.
pub use entity::Currency;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// `12345` cents is `123.45`, always with the currency's minor digits.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_digits())
    }

    /// A decimal amount in minor units, refusing more precision than the currency has.
    pub fn from_decimal(amount: Decimal, currency: Currency) -> Option<Self> {
        let scaled = amount.checked_mul(Decimal::from(10i64.pow(currency.minor_digits())))?;
        if !scaled.fract().is_zero() {
            return None;
        }
        i64::try_from(scaled).ok().map(|minor| Self::new(minor, currency))
    }
}

/// Rated call amounts are kept in millionths of the unit; 10 000 of them make a cent.
pub const MICROS_PER_MINOR: i64 = 10_000;

/// Rounds millionths of a unit to minor units, half away from zero: done once, per invoice line.
pub fn micros_to_minor(micros: i64) -> i64 {
    let half = MICROS_PER_MINOR / 2;
    if micros >= 0 { (micros + half) / MICROS_PER_MINOR } else { (micros - half) / MICROS_PER_MINOR }
}

/// `amount × rate`, with the rate in parts per million, rounded half away from zero to minor
/// units (a credit note's tax mirrors its invoice's).
pub fn apply_rate_ppm(minor: i64, rate_ppm: i32) -> i64 {
    let product = i128::from(minor) * i128::from(rate_ppm);
    let half = if product >= 0 { 500_000 } else { -500_000 };
    i64::try_from((product + half) / 1_000_000).unwrap_or(if product >= 0 { i64::MAX } else { i64::MIN })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_minor_units_and_decimals() {
        assert_eq!(Money::new(12345, Currency::Cad).to_decimal().to_string(), "123.45");
        assert_eq!(Money::new(-2500, Currency::Cad).to_decimal().to_string(), "-25.00");
        assert_eq!(Money::new(0, Currency::Cad).to_decimal().to_string(), "0.00");
        let parse = |s: &str| Money::from_decimal(s.parse().unwrap(), Currency::Cad).map(|m| m.minor);
        assert_eq!(parse("10.5"), Some(1050));
        assert_eq!(parse("10.505"), None, "no fractions of a cent");
    }

    #[test]
    fn rounds_once_half_away_from_zero() {
        assert_eq!(micros_to_minor(12_345_000), 1235);
        assert_eq!(micros_to_minor(12_344_999), 1234);
        assert_eq!(micros_to_minor(-5_000), -1);
        assert_eq!(apply_rate_ppm(10_000, 130_000), 1300);
        assert_eq!(apply_rate_ppm(333, 99_750), 33);
        assert_eq!(apply_rate_ppm(5, 100_000), 1, "0.5 cent rounds up");
        assert_eq!(apply_rate_ppm(-17, 100_000), -2, "and a credit's tax mirrors it");
    }
}
