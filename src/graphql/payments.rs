//! Payments, payment methods and Auto Pay, as the dashboard shows them.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use entity::{payment, payment_method};

use crate::services::payments::{MethodOnFile, describe};

use super::{ids, loaders::PaymentMethodLoader, money::Money, scalars::Date};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "payment::Status")]
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
        self.0.status.into()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the money arrived; null until the payment has succeeded.
    async fn paid_at(&self) -> Option<DateTime<Utc>> {
        self.0.succeeded_at
    }

    async fn amount(&self) -> Money {
        Money::new(self.0.amount_minor, self.0.currency)
    }

    /// E.g. "Visa ending 4242".
    async fn method_description(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(method_id) = self.0.payment_method_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<PaymentMethodLoader>>();
        let method = loader.load_one(method_id).await?;
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
#[graphql(remote = "payment_method::Kind")]
pub enum PaymentMethodKind {
    Card,
    BankAccount,
}

/// A card or bank account held by the payment gateway; only what identifies it to a person.
pub struct PaymentMethod(pub MethodOnFile);

#[Object]
impl PaymentMethod {
    async fn id(&self) -> ID {
        ids::encode("PaymentMethod", self.0.method.id)
    }

    async fn kind(&self) -> PaymentMethodKind {
        self.0.method.kind.into()
    }

    /// `visa`, `mastercard`…, or the bank's name.
    async fn brand(&self) -> &str {
        &self.0.method.brand
    }

    async fn last4(&self) -> &str {
        &self.0.method.last4
    }

    async fn exp_month(&self) -> Option<i32> {
        self.0.method.exp_month
    }

    async fn exp_year(&self) -> Option<i32> {
        self.0.method.exp_year
    }

    /// A card expires at the end of its expiry month.
    async fn expired(&self) -> bool {
        self.0.expired
    }

    /// Whether Auto Pay charges this method.
    async fn is_auto_pay(&self) -> bool {
        self.0.is_auto_pay
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
