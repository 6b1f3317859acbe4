//! Payments, payment methods and Auto Pay, as the dashboard shows them.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use entity::{payment, payment_method};
use rust_decimal::Decimal;

use crate::services::{
    auto_pay::{self, AutoPayStatus, MethodOnFile},
    payments::{self, PaymentRequest, describe},
};

use super::{
    context,
    ids::{self, Kind},
    invoices::Invoice,
    loaders::{InvoiceLoader, PaymentMethods},
    money::Money,
    payload::payload,
    scalars::Date,
    user_error::UserError,
};

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
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Payment, self.0.id)
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
        let loader = ctx.data_unchecked::<PaymentMethods>();
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

    /// Who made it, as they were named then; null for Auto Pay.
    async fn paid_by(&self) -> Option<&str> {
        self.0.payer_name.as_deref()
    }

    async fn failure_message(&self) -> Option<&str> {
        self.0.failure_message.as_deref()
    }

    /// While REQUIRES_ACTION: what the browser needs to let the customer authenticate.
    async fn next_action(&self) -> Option<NextAction> {
        match (self.0.status, &self.0.client_secret) {
            (payment::Status::RequiresAction, Some(secret)) => {
                Some(NextAction { client_secret: secret.clone() })
            }
            _ => None,
        }
    }

    /// The oldest invoice it paid toward when it was made.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Invoice>> {
        let Some(invoice_id) = self.0.invoice_id else { return Ok(None) };
        let loader = ctx.data_unchecked::<DataLoader<InvoiceLoader>>();
        Ok(loader.load_one(invoice_id).await?.map(Invoice))
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
    pub async fn id(&self) -> ID {
        ids::encode(Kind::PaymentMethod, self.0.method.id)
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
    /// When Auto Pay charges next: the oldest unpaid invoice's due date (today when that has
    /// passed), or the next retry day after a decline. Null while Auto Pay is off, nothing is owed,
    /// a charge is in progress, or retries have stopped (pay in the portal, or turn Auto Pay on
    /// again with another method).
    pub next_charge_on: Option<Date>,
}

impl From<AutoPayStatus> for AutoPay {
    fn from(status: AutoPayStatus) -> Self {
        Self {
            enabled: status.enabled,
            payment_method: status.method.map(PaymentMethod),
            next_charge_on: status.next_charge_on.map(Date),
        }
    }
}

#[derive(InputObject)]
pub struct SetAutoPayInput {
    pub enabled: bool,
    /// The method to charge; when left out, the one Auto Pay had.
    pub payment_method_id: Option<ID>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SetAutoPayPayload {
    pub auto_pay: Option<AutoPay>,
    pub user_errors: Vec<UserError>,
}

/// What the browser needs to finish a payment the customer must authenticate (3-D Secure).
#[derive(SimpleObject)]
pub struct NextAction {
    /// Hand it to the gateway's script (Stripe.js `handleNextAction`).
    pub client_secret: String,
}

#[derive(Default)]
pub struct PaymentQuery;

#[Object]
impl PaymentQuery {
    /// One of your account's payments. Any other id, including another account's, is NOT_FOUND.
    async fn payment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Payment> {
        let caller = context::caller(ctx)?;
        let payment_id = ids::decode(Kind::Payment, &id)?;
        Ok(Payment(payments::get(context::deps(ctx), caller, payment_id).await?))
    }
}

/// Where the browser collects a card or a bank account for the gateway.
#[derive(SimpleObject)]
pub struct PaymentMethodSetup {
    /// `stripe` or `mock`.
    pub gateway: String,
    /// The SetupIntent's secret, for the gateway's script.
    pub client_secret: String,
    pub publishable_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct BeginPaymentMethodSetupPayload {
    pub setup: Option<PaymentMethodSetup>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct AddPaymentMethodInput {
    /// The gateway's payment method id (`pm_…`), never a card number.
    pub gateway_payment_method_id: String,
    /// "Use for Auto Pay": Auto Pay charges this method from now on.
    pub use_for_auto_pay: Option<bool>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AddPaymentMethodPayload {
    pub payment_method: Option<PaymentMethod>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RemovePaymentMethodInput {
    pub id: ID,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RemovePaymentMethodPayload {
    pub removed_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct MakePaymentInput {
    /// More than zero, at most what is owed; paid toward the oldest invoice first.
    pub amount: Decimal,
    pub payment_method_id: ID,
    /// Yours, one per payment the user means to make: repeating a request with it returns the
    /// same payment and never charges twice.
    pub idempotency_key: String,
    /// "Use for Auto Pay": the method becomes the Auto Pay method and Auto Pay is turned on.
    pub use_for_auto_pay: Option<bool>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MakePaymentPayload {
    pub payment: Option<Payment>,
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(AddPaymentMethodPayload, payment_method: MethodOnFile => PaymentMethod);
super::payload::impl_payload!(RemovePaymentMethodPayload, removed_id: i64 => |id| ids::encode(Kind::PaymentMethod, id));
super::payload::impl_payload!(SetAutoPayPayload, auto_pay: AutoPayStatus => AutoPay::from);
super::payload::impl_payload!(MakePaymentPayload, payment: payment::Model => Payment);

#[derive(Default)]
pub struct PaymentMutation;

#[Object]
impl PaymentMutation {
    /// Office managers: start saving a card or a bank account with the gateway.
    async fn begin_payment_method_setup(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BeginPaymentMethodSetupPayload> {
        let caller = context::caller(ctx)?;
        let setup = payments::methods::begin_setup(context::deps(ctx), caller).await?;
        Ok(BeginPaymentMethodSetupPayload {
            setup: Some(PaymentMethodSetup {
                gateway: setup.gateway.into(),
                client_secret: setup.client_secret,
                publishable_key: setup.publishable_key,
            }),
            user_errors: vec![],
        })
    }

    /// Office managers: put a payment method the gateway holds on file.
    async fn add_payment_method(
        &self,
        ctx: &Context<'_>,
        input: AddPaymentMethodInput,
    ) -> async_graphql::Result<AddPaymentMethodPayload> {
        let caller = context::caller(ctx)?;
        payload(
            auto_pay::methods::add(
                context::deps(ctx),
                caller,
                &input.gateway_payment_method_id,
                input.use_for_auto_pay.unwrap_or(false),
            )
            .await,
        )
    }

    /// Office managers: remove a payment method (not the Auto Pay method while Auto Pay is on).
    async fn remove_payment_method(
        &self,
        ctx: &Context<'_>,
        input: RemovePaymentMethodInput,
    ) -> async_graphql::Result<RemovePaymentMethodPayload> {
        let caller = context::caller(ctx)?;
        let method_id = ids::decode(Kind::PaymentMethod, &input.id)?;
        payload(auto_pay::methods::remove(context::deps(ctx), caller, method_id).await)
    }

    /// Office managers: turn Auto Pay on (what is already due is charged at once) or off.
    async fn set_auto_pay(
        &self,
        ctx: &Context<'_>,
        input: SetAutoPayInput,
    ) -> async_graphql::Result<SetAutoPayPayload> {
        let caller = context::caller(ctx)?;
        let method_id =
            input.payment_method_id.map(|id| ids::decode(Kind::PaymentMethod, &id)).transpose()?;
        payload(auto_pay::set(context::deps(ctx), caller, input.enabled, method_id).await)
    }

    /// Pays all or part of the balance. A declined card is a payment with status FAILED and its
    /// `failureCode`; a card that needs 3-D Secure is REQUIRES_ACTION with its `nextAction`.
    async fn make_payment(
        &self,
        ctx: &Context<'_>,
        input: MakePaymentInput,
    ) -> async_graphql::Result<MakePaymentPayload> {
        let caller = context::caller(ctx)?;
        let request = PaymentRequest {
            amount: input.amount,
            payment_method_id: ids::decode(Kind::PaymentMethod, &input.payment_method_id)?,
            idempotency_key: input.idempotency_key,
            use_for_auto_pay: input.use_for_auto_pay.unwrap_or(false),
        };
        payload(auto_pay::pay(context::deps(ctx), caller, request).await)
    }
}
super::payload::with_account!(SetAutoPayPayload);
super::payload::with_account!(AddPaymentMethodPayload);
super::payload::with_account!(RemovePaymentMethodPayload);
super::payload::with_account!(MakePaymentPayload);
