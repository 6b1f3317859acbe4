use sea_orm::entity::prelude::*;

/// One line of an account's ledger. Append-only: a correction is a new entry, never an update.
/// The balance is the sum of the entries; `balance_after_minor` is that sum up to this entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub kind: Kind,
    /// Signed by its effect on what the customer owes: invoices and refunds add, payments and
    /// credits subtract.
    pub amount_minor: i64,
    pub balance_after_minor: i64,
    pub currency: crate::Currency,
    pub description: String,
    pub invoice_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "invoice")]
    Invoice,
    #[sea_orm(string_value = "payment")]
    Payment,
    #[sea_orm(string_value = "credit")]
    Credit,
    #[sea_orm(string_value = "refund")]
    Refund,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
    #[sea_orm(
        belongs_to = "super::invoice::Entity",
        from = "Column::InvoiceId",
        to = "super::invoice::Column::Id"
    )]
    Invoice,
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoice.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
