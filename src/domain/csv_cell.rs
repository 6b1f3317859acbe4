//! Spreadsheet formula injection (ASVS 5.0 1.2.10): a CSV cell that a spreadsheet would read as a
//! formula is prefixed with `'`. E.164 phone numbers (`+15551234567`) are data, written as they are.

use std::borrow::Cow;

pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let dangerous = matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    if dangerous && !is_e164(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// `+` then 2 to 15 digits, the first not zero.
pub fn is_e164(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('+') else { return false };
    (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas_but_not_phone_numbers() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1+1"), "'+1+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("+15551234567"), "+15551234567");
        assert_eq!(neutralise("local"), "local");
        assert_eq!(neutralise(""), "");
    }
}
