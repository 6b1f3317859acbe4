//! Payment method facts: how a person recognises one, and whether a card on file has expired.

use chrono::{Datelike, NaiveDate};

/// How a person recognises a payment method: "Visa ending 4242".
pub fn describe(brand: &str, last4: &str) -> String {
    format!("{} ending {last4}", brand_name(brand))
}

/// A card brand as its owner writes it: the gateway's `visa` is "Visa".
pub fn brand_name(brand: &str) -> &str {
    match brand {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        other => other,
    }
}

/// A card expires at the end of its expiry month. A method without an expiry (a bank account)
/// never does.
pub fn is_expired(exp_year: Option<i32>, exp_month: Option<i32>, today: NaiveDate) -> bool {
    match (exp_year, exp_month) {
        (Some(year), Some(month)) => (year, month) < (today.year(), today.month() as i32),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_works_through_its_expiry_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(!is_expired(Some(2026), Some(11), day(2026, 11, 30)));
        assert!(is_expired(Some(2026), Some(11), day(2026, 12, 1)));
        assert!(is_expired(Some(2025), Some(12), day(2026, 1, 1)));
        assert!(!is_expired(None, None, day(2099, 1, 1)), "bank accounts do not expire");
    }
}
