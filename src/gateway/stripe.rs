//! The Stripe gateway (async-stripe 1.0): the calls. Wire types are turned into ours in
//! `stripe/transformers.rs`.
//!
//! Every POST that could create something carries its own idempotency key and is sent once
//! (`RequestStrategy::Idempotent`): never a client-wide retry strategy, which would send POSTs
//! without a key. The client has an explicit timeout; a charge whose answer does not come back in
//! time has an unknown outcome, which reconciliation settles by asking again.

mod transformers;
pub mod webhook;

use std::{collections::HashMap, time::Duration};

use chrono::{DateTime, Utc};

use async_trait::async_trait;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::{
    PaymentIntentAllowedPaymentMethodTypes as PaymentTypes,
    SetupIntentAllowedPaymentMethodTypes as SetupTypes,
    customer::CreateCustomer,
    payment_intent::{
        CancelPaymentIntent, CreatePaymentIntent, CreatePaymentIntentOffSession, RetrievePaymentIntent,
        SearchPaymentIntent,
    },
    refund::CreateRefund,
    setup_intent::{CreateSetupIntent, CreateSetupIntentUsage},
};
use stripe_payment::payment_method::{AttachPaymentMethod, DetachPaymentMethod, RetrievePaymentMethod};

use crate::domain::secret::Secret;

use super::{
    ChargeLookup, ChargeOutcome, ChargeRequest, CustomerRequest, GatewayError, INSTALLATION_METADATA,
    MethodDetails, PaymentGateway, WebhookError, WebhookEvent,
};

pub struct StripeSettings {
    pub secret_key: Secret,
    pub publishable_key: Option<String>,
    /// Any of them may sign a webhook (while one is rotated).
    pub webhook_secrets: Vec<Secret>,
    /// Another base URL for Stripe's API (a test double); Stripe's own when unset.
    pub api_base: Option<String>,
    pub timeout: Duration,
    /// This deployment's id (`services::installation`): in every idempotency key and in the
    /// metadata of what we create, so that deployments sharing a Stripe account keep apart.
    pub installation: String,
}

pub struct StripeGateway {
    client: Client,
    publishable_key: Option<String>,
    webhook_secrets: Vec<Secret>,
    installation: String,
}

impl StripeGateway {
    pub fn new(settings: StripeSettings) -> Result<Self, GatewayError> {
        let mut builder = ClientBuilder::new(settings.secret_key.expose()).timeout(settings.timeout);
        if let Some(base) = &settings.api_base {
            // The client appends `v1/…` to the base, which must end with a slash.
            builder = builder.url(format!("{}/", base.trim_end_matches('/')));
        }
        let client = builder.build().map_err(|e| GatewayError::protocol("the Stripe client").because(e))?;
        Ok(Self {
            client,
            publishable_key: settings.publishable_key,
            webhook_secrets: settings.webhook_secrets,
            installation: settings.installation,
        })
    }

    /// One attempt, under `key` in this deployment's namespace: Stripe keeps a key's answer for a
    /// day, and another database's `payment-7` is not ours.
    fn once(&self, key: &str) -> Result<RequestStrategy, GatewayError> {
        once(&format!("{}-{key}", self.installation))
    }

    /// Our metadata on what we create: the deployment, and `extra`.
    fn metadata(&self, extra: (&str, String)) -> HashMap<String, String> {
        HashMap::from([
            (INSTALLATION_METADATA.to_string(), self.installation.clone()),
            (extra.0.to_string(), extra.1),
        ])
    }
}

/// One attempt, under `key`.
fn once(key: &str) -> Result<RequestStrategy, GatewayError> {
    let key = IdempotencyKey::new(key)
        .map_err(|e| GatewayError::protocol("an idempotency key Stripe refuses").because(e))?;
    Ok(RequestStrategy::Idempotent(key))
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn publishable_key(&self) -> Option<String> {
        self.publishable_key.clone()
    }

    #[tracing::instrument(name = "gateway.create_customer", skip_all, fields(gateway = "stripe", account_id = request.account_id))]
    async fn create_customer(&self, request: CustomerRequest<'_>) -> Result<String, GatewayError> {
        let metadata = self.metadata(("account_number", request.account_number.to_string()));
        let customer = CreateCustomer::new()
            .name(request.name)
            .metadata(metadata)
            .customize()
            .request_strategy(self.once(&format!("customer-{}", request.account_id))?)
            .send(&self.client)
            .await
            .map_err(GatewayError::from)?;
        Ok(customer.id.to_string())
    }

    #[tracing::instrument(name = "gateway.begin_setup", skip_all, fields(gateway = "stripe", customer))]
    async fn begin_setup(&self, customer: &str, idempotency_key: &str) -> Result<String, GatewayError> {
        let setup = CreateSetupIntent::new()
            .customer(customer)
            .usage(CreateSetupIntentUsage::OffSession)
            .allowed_payment_method_types(vec![SetupTypes::Card, SetupTypes::AcssDebit])
            .customize()
            .request_strategy(self.once(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(GatewayError::from)?;
        setup.client_secret.ok_or_else(|| GatewayError::protocol("a SetupIntent without a client secret"))
    }

    #[tracing::instrument(name = "gateway.payment_method", skip_all, fields(gateway = "stripe", method = id))]
    async fn payment_method(&self, id: &str) -> Result<MethodDetails, GatewayError> {
        let method = RetrievePaymentMethod::new(id).send(&self.client).await.map_err(GatewayError::from)?;
        MethodDetails::try_from(&method)
    }

    #[tracing::instrument(name = "gateway.attach", skip_all, fields(gateway = "stripe", method, customer))]
    async fn attach(&self, method: &str, customer: &str) -> Result<MethodDetails, GatewayError> {
        let method = AttachPaymentMethod::new(method)
            .customer(customer)
            .customize()
            .request_strategy(self.once(&format!("attach-{method}-{customer}"))?)
            .send(&self.client)
            .await
            .map_err(GatewayError::from)?;
        MethodDetails::try_from(&method)
    }

    #[tracing::instrument(name = "gateway.detach", skip_all, fields(gateway = "stripe", method))]
    async fn detach(&self, method: &str) -> Result<(), GatewayError> {
        DetachPaymentMethod::new(method).send(&self.client).await.map_err(GatewayError::from)?;
        Ok(())
    }

    #[tracing::instrument(name = "gateway.charge", skip_all, fields(gateway = "stripe", payment_id = request.payment_id, off_session = request.off_session))]
    async fn charge(&self, request: ChargeRequest<'_>) -> Result<ChargeOutcome, GatewayError> {
        let metadata = self.metadata(("payment_id", request.payment_id.to_string()));
        let mut create =
            CreatePaymentIntent::new(request.amount_minor, transformers::currency(request.currency))
                .customer(request.customer)
                .payment_method(request.method)
                .confirm(true)
                .metadata(metadata)
                // Server-side confirmation without a return URL: only methods that never redirect.
                .allowed_payment_method_types(vec![PaymentTypes::Card, PaymentTypes::AcssDebit]);
        if request.off_session {
            create = create.off_session(CreatePaymentIntentOffSession::Bool(true));
        }
        let sent =
            create.customize().request_strategy(self.once(request.idempotency_key)?).send(&self.client).await;
        transformers::charge_outcome(sent)
    }

    #[tracing::instrument(name = "gateway.retrieve_charge", skip_all, fields(gateway = "stripe", ?lookup))]
    async fn retrieve_charge(&self, lookup: ChargeLookup<'_>) -> Result<Option<ChargeOutcome>, GatewayError> {
        let intent = match lookup {
            ChargeLookup::Reference(reference) => {
                match RetrievePaymentIntent::new(reference)
                    .send(&self.client)
                    .await
                    .map_err(GatewayError::from)
                {
                    Ok(intent) => intent,
                    Err(GatewayError::NotFound) => return Ok(None),
                    Err(error) => return Err(error),
                }
            }
            ChargeLookup::PaymentId(payment_id) => {
                let query = format!(
                    "metadata['payment_id']:'{payment_id}' AND metadata['{INSTALLATION_METADATA}']:'{}'",
                    self.installation
                );
                let found = SearchPaymentIntent::new(query)
                    .limit(1_i64)
                    .send(&self.client)
                    .await
                    .map_err(GatewayError::from)?;
                match found.data.into_iter().next() {
                    Some(intent) => intent,
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(ChargeOutcome::from(&intent)))
    }

    #[tracing::instrument(name = "gateway.cancel", skip_all, fields(gateway = "stripe", reference))]
    async fn cancel(&self, reference: &str) -> Result<ChargeOutcome, GatewayError> {
        match CancelPaymentIntent::new(reference).send(&self.client).await {
            Ok(intent) => Ok(ChargeOutcome::from(&intent)),
            // Succeeded (or canceled) meanwhile: where it ended up is the answer.
            Err(StripeError::Stripe(api, 400))
                if api.code.as_ref().is_some_and(|c| c.as_str() == "payment_intent_unexpected_state") =>
            {
                let intent = RetrievePaymentIntent::new(reference)
                    .send(&self.client)
                    .await
                    .map_err(GatewayError::from)?;
                Ok(ChargeOutcome::from(&intent))
            }
            Err(error) => Err(error.into()),
        }
    }

    #[tracing::instrument(
        name = "gateway.refund",
        skip_all,
        fields(gateway = "stripe", reference, amount_minor)
    )]
    async fn refund(
        &self,
        reference: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<(), GatewayError> {
        CreateRefund::new()
            .payment_intent(reference)
            .amount(amount_minor)
            .customize()
            .request_strategy(self.once(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(GatewayError::from)?;
        Ok(())
    }

    fn parse_webhook(
        &self,
        payload: &[u8],
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WebhookEvent, WebhookError> {
        webhook::verified_event(payload, signature, &self.webhook_secrets, now)
    }
}
