//! The language a person reads: their own, else their account's; an account's follows its billing
//! address until someone chooses (Quebec's Charter of the French Language: French for Quebec).

/// Typed from the database up, like `Currency`.
pub use entity::Locale;

/// The language a new account reads when nobody said: French for a Quebec billing address.
pub fn for_address(country: &str, province: &str) -> Locale {
    if country.eq_ignore_ascii_case("CA") && province.eq_ignore_ascii_case("QC") {
        Locale::FrCa
    } else {
        Locale::EnCa
    }
}

/// The language a user reads: their own choice, or else their account's.
pub fn of_user(own: Option<Locale>, account: Locale) -> Locale {
    own.unwrap_or(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quebec_reads_french_and_everyone_else_english() {
        assert_eq!(for_address("CA", "QC"), Locale::FrCa);
        assert_eq!(for_address("ca", "qc"), Locale::FrCa);
        assert_eq!(for_address("CA", "ON"), Locale::EnCa);
        assert_eq!(for_address("FR", "QC"), Locale::EnCa);
        assert_eq!(of_user(None, Locale::FrCa), Locale::FrCa);
        assert_eq!(of_user(Some(Locale::EnCa), Locale::FrCa), Locale::EnCa);
    }
}
