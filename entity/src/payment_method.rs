use sea_orm::entity::prelude::*;

/// A card or bank account held by the gateway. We keep its id and what is shown, never a number.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_methods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub gateway: String,
    pub gateway_id: String,
    pub kind: Kind,
    pub brand: String,
    pub last4: String,
    pub exp_month: Option<i32>,
    pub exp_year: Option<i32>,
    pub created_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
    /// `YYYY-MM` of the expiry the office managers were told is coming (once per card and expiry).
    pub expiry_notice_for: Option<String>,
    /// `YYYY-MM` of the expiry the office managers were told has passed.
    pub expired_notice_for: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "card")]
    Card,
    #[sea_orm(string_value = "bank_account")]
    BankAccount,
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

impl ActiveModelBehavior for ActiveModel {}
