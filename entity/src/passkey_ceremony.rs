use sea_orm::entity::prelude::*;

/// A passkey registration or sign-in under way: the challenge its authenticator must sign. Each is
/// used once, within minutes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passkey_ceremonies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub purpose: Purpose,
    /// Null for a sign-in where the authenticator says whose passkey it is.
    pub user_id: Option<i64>,
    /// A sign-in's challenge as handed to the client, hashed.
    #[sea_orm(unique)]
    pub token_hash: Option<String>,
    /// webauthn-rs' ceremony state, JSON.
    pub state: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub consumed_at: Option<DateTimeUtc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Purpose {
    #[sea_orm(string_value = "registration")]
    Registration,
    #[sea_orm(string_value = "sign-in")]
    SignIn,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
