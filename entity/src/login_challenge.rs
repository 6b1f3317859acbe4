use sea_orm::entity::prelude::*;

/// What a correct password earns an enrolled user: a few minutes to give their second factor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_challenges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Set once a session was made from it: a challenge makes one session.
    pub consumed_at: Option<DateTimeUtc>,
    /// When the user has passkeys: the sign-in one of them may answer instead of a code
    /// (webauthn-rs' state, JSON).
    pub passkey_state: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
