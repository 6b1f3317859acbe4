use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub payment_method_id: Option<i64>,
    pub amount_minor: i64,
    pub currency: crate::Currency,
    pub status: Status,
    pub origin: Origin,
    pub idempotency_key: Option<String>,
    pub request_fingerprint: Option<String>,
    pub gateway_reference: Option<String>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub succeeded_at: Option<DateTimeUtc>,
    /// The oldest invoice it pays, when it was made.
    pub invoice_id: Option<i64>,
    /// Who paid (null for Auto Pay); they get the receipt.
    pub payer_user_id: Option<i64>,
    /// The gateway that charges it (`mock` or `stripe`); null for history loaded as demo data.
    pub gateway: Option<String>,
    /// What the browser needs to finish 3-D Secure, while the payment requires action.
    pub client_secret: Option<String>,
    /// How much of it the gateway has refunded so far.
    pub refunded_minor: i64,
    /// When reconciliation should next ask the gateway about it; null when nothing is to ask.
    pub next_check_at: Option<DateTimeUtc>,
    pub check_attempts: i32,
    /// The gateway's advice with a decline, e.g. `do_not_try_again`.
    pub failure_advice: Option<String>,
    /// Who paid, as they were named then (still there once they are deleted).
    pub payer_name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Status {
    #[sea_orm(string_value = "processing")]
    Processing,
    #[sea_orm(string_value = "requires_action")]
    RequiresAction,
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    #[sea_orm(string_value = "failed")]
    Failed,
    #[sea_orm(string_value = "canceled")]
    Canceled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Origin {
    #[sea_orm(string_value = "manual")]
    Manual,
    #[sea_orm(string_value = "auto_pay")]
    AutoPay,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::payment_method::Entity",
        from = "Column::PaymentMethodId",
        to = "super::payment_method::Column::Id"
    )]
    PaymentMethod,
}

impl Related<super::payment_method::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PaymentMethod.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
