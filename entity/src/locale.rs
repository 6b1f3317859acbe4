use sea_orm::entity::prelude::*;

/// The languages the portal, its emails and its documents are written in, as stored (BCP 47 tags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(5))")]
pub enum Locale {
    #[default]
    #[sea_orm(string_value = "en-CA")]
    EnCa,
    #[sea_orm(string_value = "fr-CA")]
    FrCa,
}

impl Locale {
    pub const ALL: [Self; 2] = [Self::EnCa, Self::FrCa];

    /// The BCP 47 tag, e.g. `fr-CA`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::EnCa => "en-CA",
            Self::FrCa => "fr-CA",
        }
    }

    /// Exactly one of the tags (case as written).
    pub fn parse(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|locale| locale.tag() == tag)
    }
}
