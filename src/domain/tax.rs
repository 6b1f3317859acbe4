//! Canadian sales taxes on telecom services, by province or territory: the one table of rates.
//! HST provinces charge HST alone; elsewhere GST, plus PST or QST as its own line where it applies.

/// A tax charged on an invoice's subtotal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaxRate {
    pub name: &'static str,
    /// Parts per million: 13% is 130 000.
    pub rate_ppm: i32,
}

const GST: TaxRate = TaxRate { name: "GST", rate_ppm: 50_000 };

/// The taxes of a province or territory (ISO 3166-2:CA code), or `None` for an unknown region.
pub fn rates_for(region: &str) -> Option<&'static [TaxRate]> {
    Some(match region {
        "ON" => &[TaxRate { name: "HST", rate_ppm: 130_000 }],
        "NS" | "NB" | "NL" | "PE" => &[TaxRate { name: "HST", rate_ppm: 150_000 }],
        "BC" => &[GST, TaxRate { name: "PST", rate_ppm: 70_000 }],
        "MB" => &[GST, TaxRate { name: "PST", rate_ppm: 70_000 }],
        "SK" => &[GST, TaxRate { name: "PST", rate_ppm: 60_000 }],
        "QC" => &[GST, TaxRate { name: "QST", rate_ppm: 99_750 }],
        "AB" | "NT" | "NU" | "YT" => &[GST],
        _ => return None,
    })
}

/// The province and territory codes, for validating addresses.
pub const REGIONS: &[&str] = &["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_rates_and_hst_stands_alone() {
        for region in REGIONS {
            let rates = rates_for(region).unwrap();
            assert!(!rates.is_empty());
            if rates.iter().any(|r| r.name == "HST") {
                assert_eq!(rates.len(), 1, "{region}: HST replaces GST");
            } else {
                assert_eq!(rates[0], GST, "{region}");
            }
        }
        assert_eq!(rates_for("XX"), None);
    }
}
