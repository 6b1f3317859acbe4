use sea_orm::entity::prelude::*;

/// One Auto Pay charge attempt, claimed once under (account, due date, attempt number).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auto_pay_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The due date of the oldest invoice it was for.
    pub due_on: Date,
    /// 0, 1, 2… for one due date.
    pub attempt: i32,
    pub kind: Kind,
    /// The account's day it was made on.
    pub made_on: Date,
    pub payment_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    /// Made by the Auto Pay pass, on a day of the schedule.
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    /// Made at once when an office manager turned Auto Pay on: a fresh start of the schedule.
    #[sea_orm(string_value = "enabled")]
    Enabled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::payment::Entity",
        from = "Column::PaymentId",
        to = "super::payment::Column::Id"
    )]
    Payment,
}

impl Related<super::payment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Payment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
