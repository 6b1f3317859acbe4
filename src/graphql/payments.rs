//! Payments, payment methods and Auto Pay, as the dashboard shows them.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, dataloader::DataLoader};
use entity::{payment, payment_method};

use crate::services::{
    auto_pay::{self, AutoPayStatus, MethodOnFile},
    payments::{self, PaymentRequest, describe},
};

use super::scalars::{DateTime, Decimal};
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

/// Where a payment stands. A status only moves forward, and SUCCEEDED is final.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "payment::Status")]
pub enum PaymentStatus {
    /// With the gateway, outcome not known yet (a pre-authorized debit stays here for days); no
    /// other payment of the account can start meanwhile.
    Processing,
    /// Waiting for the customer to authenticate (3-D Secure) with `nextAction`; no other payment of
    /// the account can start meanwhile, and it is canceled after 30 minutes.
    RequiresAction,
    /// The money arrived (`paidAt`).
    Succeeded,
    /// Declined, with `failureCode` and `failureMessage`.
    Failed,
    /// Canceled before any money moved, e.g. a 3-D Secure authentication left unfinished.
    Canceled,
}

pub struct Payment(pub payment::Model);

/// A payment or a payment attempt: made by a user (`makePayment`) or charged by Auto Pay.
#[Object]
impl Payment {
    /// Opaque; `node(id:)` finds the payment again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Payment, self.0.id)
    }

    /// Where the payment stands.
    async fn status(&self) -> PaymentStatus {
        self.0.status.into()
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the money arrived; null until the payment has succeeded.
    async fn paid_at(&self) -> Option<DateTime> {
        self.0.succeeded_at.map(DateTime)
    }

    /// How much it pays.
    async fn amount(&self) -> Money {
        Money::new(self.0.amount_minor, self.0.currency)
    }

    /// The method charged, as a person recognises it, e.g. "Visa ending 4242"; null when unknown.
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

    /// Why it failed, for code: the gateway's decline code (e.g. `insufficient_funds`), else its error
    /// code (`card_declined` for a plain decline). Null unless FAILED.
    async fn failure_code(&self) -> Option<&str> {
        self.0.failure_code.as_deref()
    }

    /// Who made it, as they were named then; null for Auto Pay.
    async fn paid_by(&self) -> Option<&str> {
        self.0.payer_name.as_deref()
    }

    /// Why it failed, in a sentence to show the customer, in the viewer's language. Null unless
    /// FAILED.
    async fn failure_message(&self, ctx: &Context<'_>) -> Option<String> {
        let locale = context::request(ctx).locale;
        crate::services::notifications::failure_reason(&self.0).map(|reason| reason.render(locale))
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

/// What kind of payment method it is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "payment_method::Kind")]
pub enum PaymentMethodKind {
    /// A credit or debit card.
    Card,
    /// A bank account, charged by pre-authorized debit (which takes days to settle).
    BankAccount,
}

/// A card or bank account held by the payment gateway; only what identifies it to a person.
pub struct PaymentMethod(pub MethodOnFile);

/// A card or a bank account on file with the payment gateway; only what identifies it to a person,
/// never its number.
#[Object]
impl PaymentMethod {
    /// Opaque; `node(id:)` finds the method again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::PaymentMethod, self.0.method.id)
    }

    /// A card or a bank account.
    async fn kind(&self) -> PaymentMethodKind {
        self.0.method.kind.into()
    }

    /// `visa`, `mastercard`…, or the bank's name.
    async fn brand(&self) -> &str {
        &self.0.method.brand
    }

    /// The last 4 digits of the card or account number.
    async fn last4(&self) -> &str {
        &self.0.method.last4
    }

    /// The card's expiry month, 1 to 12; null for a bank account.
    async fn exp_month(&self) -> Option<i32> {
        self.0.method.exp_month
    }

    /// The card's expiry year, e.g. 2028; null for a bank account.
    async fn exp_year(&self) -> Option<i32> {
        self.0.method.exp_year
    }

    /// A card expires at the end of its expiry month.
    async fn expired(&self) -> bool {
        self.0.expired
    }

    /// Whether Auto Pay is on and charges this method.
    async fn is_auto_pay(&self) -> bool {
        self.0.is_auto_pay
    }
}

/// Auto Pay: each bill charged on its due date, in the account's time zone, to the method chosen.
#[derive(SimpleObject)]
pub struct AutoPay {
    /// Whether Auto Pay is on.
    pub enabled: bool,
    /// The method Auto Pay charges, kept while it is off for turning it on again; null when none
    /// has been chosen, or it was removed.
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

/// Auto Pay on or off, and the method it charges.
#[derive(InputObject)]
pub struct SetAutoPayInput {
    /// True turns Auto Pay on (what is already due is charged at once); false turns it off and keeps
    /// its method.
    pub enabled: bool,
    /// The method to charge; when left out, the one Auto Pay had.
    pub payment_method_id: Option<ID>,
}

/// The answer to `setAutoPay`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SetAutoPayPayload {
    /// Auto Pay as it is now; null when refused.
    pub auto_pay: Option<AutoPay>,
    /// Why it was refused (AUTO_PAY_NEEDS_METHOD, PAYMENT_METHOD_EXPIRED, REAUTHENTICATION_REQUIRED
    /// when turning it on); empty when it succeeded.
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
    /// The gateway that collects cards and bank accounts in the browser, for its script: with
    /// `stripe`, Stripe.js under `publishableKey`; with `mock`, its test methods. Anyone may ask:
    /// a publishable key is made to be seen.
    async fn payment_gateway(&self, ctx: &Context<'_>) -> PaymentGateway {
        let collector = payments::methods::collector(context::deps(ctx));
        PaymentGateway { name: collector.gateway.into(), publishable_key: collector.publishable_key }
    }

    /// One of your account's payments. Any other id, including another account's, is NOT_FOUND.
    async fn payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The payment's `id`.")] id: ID,
    ) -> async_graphql::Result<Payment> {
        let caller = context::caller(ctx)?;
        let payment_id = ids::decode(Kind::Payment, &id)?;
        Ok(Payment(payments::get(context::deps(ctx), caller, payment_id).await?))
    }
}

/// The gateway that collects cards and bank accounts in the browser.
#[derive(SimpleObject)]
pub struct PaymentGateway {
    /// `stripe` or `mock`.
    pub name: String,
    /// The gateway's publishable key for its script (Stripe's `pk_…`); null when the server has
    /// none configured.
    pub publishable_key: Option<String>,
}

/// Where the browser collects a card or a bank account for the gateway.
#[derive(SimpleObject)]
pub struct PaymentMethodSetup {
    /// `stripe` or `mock`.
    pub gateway: String,
    /// The SetupIntent's secret, for the gateway's script.
    pub client_secret: String,
    /// The gateway's publishable key for its script (Stripe's `pk_…`); null when the server has
    /// none configured.
    pub publishable_key: Option<String>,
}

/// The answer to `beginPaymentMethodSetup`.
#[derive(SimpleObject)]
pub struct BeginPaymentMethodSetupPayload {
    /// What the browser needs to collect the card or bank account.
    pub setup: Option<PaymentMethodSetup>,
    /// REAUTHENTICATION_REQUIRED (a viewer with a second factor who has not proved it in the last
    /// 15 minutes); empty when begun.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(BeginPaymentMethodSetupPayload, setup: payments::methods::Setup => |setup: payments::methods::Setup| PaymentMethodSetup {
    gateway: setup.gateway.into(),
    client_secret: setup.client_secret,
    publishable_key: setup.publishable_key,
});

/// A payment method the browser saved with the gateway, to put on file.
#[derive(InputObject)]
pub struct AddPaymentMethodInput {
    /// The gateway's payment method id (`pm_…`), never a card number.
    pub gateway_payment_method_id: String,
    /// "Use for Auto Pay": Auto Pay charges this method from now on.
    pub use_for_auto_pay: Option<bool>,
}

/// The answer to `addPaymentMethod`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AddPaymentMethodPayload {
    /// The method now on file; null when refused.
    pub payment_method: Option<PaymentMethod>,
    /// Why it was refused (CARD_NUMBER_REFUSED, INVALID_PAYMENT_METHOD, REAUTHENTICATION_REQUIRED…);
    /// empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

/// The payment method to remove.
#[derive(InputObject)]
pub struct RemovePaymentMethodInput {
    /// The payment method's `id`.
    pub id: ID,
}

/// The answer to `removePaymentMethod`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RemovePaymentMethodPayload {
    /// The removed method's `id`, to drop from caches; null when refused.
    pub removed_id: Option<ID>,
    /// Why it was refused (AUTO_PAY_METHOD, REAUTHENTICATION_REQUIRED); empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

/// A payment of all or part of the balance.
#[derive(InputObject)]
pub struct MakePaymentInput {
    /// More than zero, at most what is owed; paid toward the oldest invoice first.
    pub amount: Decimal,
    /// The `id` of a payment method on file (not an expired card).
    pub payment_method_id: ID,
    /// Yours, one per payment the user means to make: repeating a request with it returns the
    /// same payment and never charges twice.
    pub idempotency_key: String,
    /// "Use for Auto Pay": the method becomes the Auto Pay method and Auto Pay is turned on.
    pub use_for_auto_pay: Option<bool>,
}

/// The answer to `makePayment`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MakePaymentPayload {
    /// The payment (the one made earlier, for a repeated `idempotencyKey`): check its `status`. Null
    /// when refused.
    pub payment: Option<Payment>,
    /// Why it was refused (INVALID_AMOUNT, AMOUNT_EXCEEDS_BALANCE, PAYMENT_IN_PROGRESS,
    /// REAUTHENTICATION_REQUIRED with `useForAutoPay`…); empty
    /// when the payment was made, even if it then FAILED.
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
        payload(payments::methods::begin_setup(context::deps(ctx), caller).await)
    }

    /// Office managers: put a payment method the gateway holds on file.
    async fn add_payment_method(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The gateway's id of the saved method.")] input: AddPaymentMethodInput,
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
        #[graphql(desc = "The method to remove.")] input: RemovePaymentMethodInput,
    ) -> async_graphql::Result<RemovePaymentMethodPayload> {
        let caller = context::caller(ctx)?;
        let method_id = ids::decode(Kind::PaymentMethod, &input.id)?;
        payload(auto_pay::methods::remove(context::deps(ctx), caller, method_id).await)
    }

    /// Office managers: turn Auto Pay on (what is already due is charged at once) or off.
    async fn set_auto_pay(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "On or off, and the method to charge.")] input: SetAutoPayInput,
    ) -> async_graphql::Result<SetAutoPayPayload> {
        let caller = context::caller(ctx)?;
        let method_id =
            input.payment_method_id.map(|id| ids::decode(Kind::PaymentMethod, &id)).transpose()?;
        payload(auto_pay::set(context::deps(ctx), caller, input.enabled, method_id).await)
    }

    /// Pays all or part of the balance; any user may pay, but only office managers may tick "Use for
    /// Auto Pay". A declined card is a payment with status FAILED and its `failureCode`; a card that
    /// needs 3-D Secure is REQUIRES_ACTION with its `nextAction`.
    async fn make_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The amount, the method and your idempotency key.")] input: MakePaymentInput,
    ) -> async_graphql::Result<MakePaymentPayload> {
        let caller = context::caller(ctx)?;
        let request = PaymentRequest {
            amount: input.amount.0,
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
