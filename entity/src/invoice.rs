use sea_orm::entity::prelude::*;

/// An invoice as issued. Its status is derived (what is paid, the date), never stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub period_start: Date,
    pub period_end: Date,
    pub issued_on: Date,
    pub due_on: Date,
    pub currency: crate::Currency,
    pub subtotal_minor: i64,
    pub tax_total_minor: i64,
    pub total_minor: i64,
    pub voided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// For an invoice the billing engine posted: the digest of the request that posted it.
    pub partner_digest: Option<String>,
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
