//! Payments, payment methods and Auto Pay, as the dashboard shows them.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, dataloader::DataLoader};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::{payment, payment_method};

use crate::services::{ServiceError, payments::describe};

use super::{errors::ApiResult, ids, loaders::PaymentMethodLoader, money::Money, scalars::Date};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    Processing,
    RequiresAction,
    Succeeded,
    Failed,
    Canceled,
}

pub struct Payment(pub payment::Model);

#[Object]
impl Payment {
    async fn id(&self) -> ID {
        ids::encode("Payment", self.0.id)
    }

    async fn status(&self) -> PaymentStatus {
        match self.0.status {
            payment::Status::Processing => PaymentStatus::Processing,
            payment::Status::RequiresAction => PaymentStatus::RequiresAction,
            payment::Status::Succeeded => PaymentStatus::Succeeded,
            payment::Status::Failed => PaymentStatus::Failed,
            payment::Status::Canceled => PaymentStatus::Canceled,
        }
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the money arrived; null until the payment has succeeded.
    async fn paid_at(&self) -> Option<DateTime<Utc>> {
        self.0.succeeded_at
    }

    async fn amount(&self) -> Money {
        Money::new(self.0.amount_minor, &self.0.currency)
    }

    /// E.g. "Visa ending 4242".
    async fn method_description(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(method_id) = self.0.payment_method_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<PaymentMethodLoader>>();
        let method = loader.load_one(method_id).await.map_err(ServiceError::from).api(ctx)?;
        Ok(method.as_ref().map(describe))
    }

    /// The gateway's id of the charge (`pi_…`).
    async fn gateway_reference(&self) -> Option<&str> {
        self.0.gateway_reference.as_deref()
    }

    async fn failure_code(&self) -> Option<&str> {
        self.0.failure_code.as_deref()
    }

    async fn failure_message(&self) -> Option<&str> {
        self.0.failure_message.as_deref()
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethodKind {
    Card,
    BankAccount,
}

/// A card or bank account held by the payment gateway; only what identifies it to a person.
pub struct PaymentMethod {
    pub model: payment_method::Model,
    pub is_auto_pay: bool,
    /// The account's today, for `expired`.
    pub today: NaiveDate,
}

#[Object]
impl PaymentMethod {
    async fn id(&self) -> ID {
        ids::encode("PaymentMethod", self.model.id)
    }

    async fn kind(&self) -> PaymentMethodKind {
        match self.model.kind {
            payment_method::Kind::Card => PaymentMethodKind::Card,
            payment_method::Kind::BankAccount => PaymentMethodKind::BankAccount,
        }
    }

    /// `visa`, `mastercard`…, or the bank's name.
    async fn brand(&self) -> &str {
        &self.model.brand
    }

    async fn last4(&self) -> &str {
        &self.model.last4
    }

    async fn exp_month(&self) -> Option<i32> {
        self.model.exp_month
    }

    async fn exp_year(&self) -> Option<i32> {
        self.model.exp_year
    }

    /// A card expires at the end of its expiry month.
    async fn expired(&self) -> bool {
        match (self.model.exp_year, self.model.exp_month) {
            (Some(year), Some(month)) => (year, month) < (self.today.year(), self.today.month() as i32),
            _ => false,
        }
    }

    /// Whether Auto Pay charges this method.
    async fn is_auto_pay(&self) -> bool {
        self.is_auto_pay
    }
}

#[derive(SimpleObject)]
pub struct AutoPay {
    pub enabled: bool,
    pub payment_method: Option<PaymentMethod>,
    /// The next date Auto Pay will charge: the oldest unpaid invoice's due date (today when that
    /// has passed), while Auto Pay is on and something is owed.
    pub next_charge_on: Option<Date>,
}
