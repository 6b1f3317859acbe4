use sea_orm::entity::prelude::*;

/// A rated call. `invoice_id` is set once an invoice has billed it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub invoice_id: Option<i64>,
    pub call_id: String,
    pub started_at: DateTimeUtc,
    pub direction: String,
    pub from_number: String,
    pub to_number: String,
    pub duration_seconds: i32,
    pub call_type: String,
    /// Millionths of the currency unit.
    pub rated_amount_micros: i64,
    pub currency: crate::Currency,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::invoice::Entity",
        from = "Column::InvoiceId",
        to = "super::invoice::Column::Id"
    )]
    Invoice,
}

impl ActiveModelBehavior for ActiveModel {}
