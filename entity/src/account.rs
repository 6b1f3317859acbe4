use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    pub country: String,
    pub time_zone: String,
    pub currency: crate::Currency,
    pub tax_region: String,
    pub locale: crate::Locale,
    /// Every user must log in in two steps: one without an authenticator enrols before anything else.
    pub require_two_factor: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user::Entity")]
    User,
    #[sea_orm(has_many = "super::billing_contact::Entity")]
    BillingContact,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::billing_contact::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::BillingContact.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
