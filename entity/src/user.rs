use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
    pub password_hash: String,
    pub must_change_password: bool,
    pub password_expires_at: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The IANA zone the user's emails show dates in; null: the account's.
    pub time_zone: Option<String>,
    /// Null: the account's.
    pub locale: Option<crate::Locale>,
    /// The authenticator secret, sealed (never in the clear); null: no two-step sign-in.
    pub totp_secret: Option<String>,
    /// Begun by `beginTotpEnrollment`, waiting for a code to confirm it.
    pub totp_pending_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The newest code step accepted: each code works once.
    pub totp_last_step: Option<i64>,
    /// Whether billing emails (invoices, payments, credits, refunds) reach them.
    pub billing_notifications: bool,
    /// The id their passkeys are stored under in authenticators (a UUID), from the first one.
    pub passkey_handle: Option<String>,
    pub passkey_count: i32,
}

impl Model {
    /// Whether they have a second factor: an authenticator app or a passkey. Then a password alone
    /// opens no session, and what moves money or power asks them to prove it again.
    pub fn has_second_factor(&self) -> bool {
        self.totp_secret.is_some() || self.passkey_count > 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Role {
    #[sea_orm(string_value = "office_manager")]
    OfficeManager,
    #[sea_orm(string_value = "member")]
    Member,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Status {
    /// Invited, has not yet chosen a password.
    #[sea_orm(string_value = "invited")]
    Invited,
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "disabled")]
    Disabled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
