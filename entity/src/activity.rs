use sea_orm::entity::prelude::*;

/// Who did what to an account, and when. Append-only: no API changes or deletes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// Null for the carrier's systems and jobs; the name and email are kept as they were.
    pub actor_user_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: Action,
    /// What happened, for a person; never a secret.
    pub summary: String,
    pub occurred_at: DateTimeUtc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(48))")]
pub enum Action {
    #[sea_orm(string_value = "user_invited")]
    UserInvited,
    #[sea_orm(string_value = "invitation_resent")]
    InvitationResent,
    #[sea_orm(string_value = "user_updated")]
    UserUpdated,
    #[sea_orm(string_value = "role_changed")]
    RoleChanged,
    #[sea_orm(string_value = "user_deleted")]
    UserDeleted,
    #[sea_orm(string_value = "profile_updated")]
    ProfileUpdated,
    #[sea_orm(string_value = "payment_method_added")]
    PaymentMethodAdded,
    #[sea_orm(string_value = "payment_method_removed")]
    PaymentMethodRemoved,
    #[sea_orm(string_value = "auto_pay_enabled")]
    AutoPayEnabled,
    #[sea_orm(string_value = "auto_pay_disabled")]
    AutoPayDisabled,
    #[sea_orm(string_value = "payment_made")]
    PaymentMade,
    #[sea_orm(string_value = "call_history_exported")]
    CallHistoryExported,
    #[sea_orm(string_value = "call_records_imported")]
    CallRecordsImported,
    #[sea_orm(string_value = "account_opened")]
    AccountOpened,
    #[sea_orm(string_value = "invoice_posted")]
    InvoicePosted,
    #[sea_orm(string_value = "credit_posted")]
    CreditPosted,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
