use sea_orm::entity::prelude::*;

/// The currencies the carrier bills in, as stored (ISO 4217 codes). A stored code this build does
/// not know fails to load: it is never silently read as another currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(3))")]
pub enum Currency {
    #[sea_orm(string_value = "CAD")]
    Cad,
}

impl Currency {
    /// The ISO 4217 code, e.g. `CAD`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Cad => "CAD",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "CAD" => Some(Self::Cad),
            _ => None,
        }
    }

    /// Digits after the decimal point: 2 for the dollar.
    pub fn minor_digits(self) -> u32 {
        match self {
            Self::Cad => 2,
        }
    }
}
