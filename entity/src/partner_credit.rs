use sea_orm::entity::prelude::*;

/// A credit the billing engine posted under its own id, with the digest of the request that posted
/// it: the same request again changes nothing, another one for the same id is a conflict.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partner_credits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub credit_id: String,
    pub digest: String,
    pub ledger_entry_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
