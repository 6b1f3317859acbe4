//! A postal address: the account's billing address, however it arrives (the API, the Partner API,
//! demo data) and however it is shown.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    /// For Canada, a province or territory code such as `ON`.
    pub province: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. `CA`.
    pub country: String,
}

impl Address {
    /// The lines an envelope (or an invoice's bill-to block) prints.
    pub fn printed_lines(&self) -> Vec<String> {
        let mut lines = vec![self.line1.clone()];
        lines.extend(self.line2.clone());
        lines.push(format!("{} {}  {}", self.city, self.province, self.postal_code));
        lines.push(self.country.clone());
        lines
    }
}
