//! Stripe's wire types into ours. Only the fields we use are read.

use entity::Currency;
use stripe::{ApiErrors, StripeError};
use stripe_core::{PaymentIntent, PaymentIntentStatus};
use stripe_payment::{PaymentMethod, PaymentMethodType};

use crate::gateway::{ChargeOutcome, Decline, GatewayError, MethodDetails, MethodKind};

pub fn currency(currency: Currency) -> stripe_types::Currency {
    match currency {
        Currency::Cad => stripe_types::Currency::CAD,
    }
}

/// Any request's failure, the library's error kept as the source. 409 (`idempotency_key_in_use`),
/// 429 and 5xx are the gateway being busy or broken: try again later. Other 4xx are refusals.
impl From<StripeError> for GatewayError {
    fn from(error: StripeError) -> Self {
        match &error {
            StripeError::Stripe(api, status) => {
                let code = api.code.as_ref().map_or("unknown", |c| c.as_str()).to_string();
                if *status == 404 || code == "resource_missing" {
                    GatewayError::NotFound
                } else if *status == 429 {
                    GatewayError::RateLimited
                } else if *status == 409 || *status >= 500 {
                    GatewayError::unavailable(format!("HTTP {status} ({code})")).because(error)
                } else {
                    GatewayError::Refused { code, message: api.message.clone().unwrap_or_default() }
                }
            }
            StripeError::Timeout => GatewayError::unavailable("timed out").because(error),
            StripeError::ClientError(_) => GatewayError::unavailable("the request failed").because(error),
            StripeError::JSONDeserialize(_) | StripeError::ConfigError(_) => {
                GatewayError::protocol("an answer we could not read").because(error)
            }
        }
    }
}

/// What creating (and confirming) a PaymentIntent came to. A card error (402) is a decline, with
/// the PaymentIntent it carries; anything after which Stripe may have charged is `Unknown`, never a
/// failure.
pub fn charge_outcome(sent: Result<PaymentIntent, StripeError>) -> Result<ChargeOutcome, GatewayError> {
    match sent {
        Ok(intent) => Ok(ChargeOutcome::from(&intent)),
        Err(StripeError::Stripe(api, 402)) => Ok(ChargeOutcome::Declined(Decline::from(api.as_ref()))),
        // Turned away before anything was done: sent again under the same key (`throttled`).
        Err(StripeError::Stripe(_, 429)) => Err(GatewayError::RateLimited),
        Err(StripeError::Stripe(_, status)) if status == 409 || status >= 500 => Ok(ChargeOutcome::Unknown),
        // A body we could not read may describe a charge: ask again rather than guess.
        Err(StripeError::Timeout | StripeError::ClientError(_) | StripeError::JSONDeserialize(_)) => {
            Ok(ChargeOutcome::Unknown)
        }
        Err(other) => Err(other.into()),
    }
}

/// Where a PaymentIntent stands.
impl From<&PaymentIntent> for ChargeOutcome {
    fn from(intent: &PaymentIntent) -> Self {
        let reference = intent.id.to_string();
        match &intent.status {
            PaymentIntentStatus::Succeeded => ChargeOutcome::Succeeded { reference },
            PaymentIntentStatus::RequiresAction => match &intent.client_secret {
                Some(secret) => ChargeOutcome::RequiresAction { reference, client_secret: secret.clone() },
                None => ChargeOutcome::Processing { reference },
            },
            PaymentIntentStatus::Canceled => ChargeOutcome::Canceled { reference },
            // Confirmation failed: the last error says why.
            PaymentIntentStatus::RequiresPaymentMethod => {
                ChargeOutcome::Declined(match &intent.last_payment_error {
                    Some(api) => Decline { reference: Some(reference), ..Decline::from(api.as_ref()) },
                    None => Decline {
                        reference: Some(reference),
                        code: "payment_failed".into(),
                        decline_code: None,
                        advice_code: None,
                        message: "The payment failed.".into(),
                    },
                })
            }
            // Processing, or a state we do not expect after confirming: the gateway will say more.
            _ => ChargeOutcome::Processing { reference },
        }
    }
}

/// A card error's decline, with its codes.
impl From<&ApiErrors> for Decline {
    fn from(api: &ApiErrors) -> Self {
        Decline {
            reference: api.payment_intent.as_ref().map(|intent| intent.id.to_string()),
            code: api.code.as_ref().map_or("card_declined", |c| c.as_str()).to_string(),
            decline_code: api.decline_code.clone(),
            advice_code: api.advice_code.clone(),
            message: api.message.clone().unwrap_or_else(|| "The payment was declined.".into()),
        }
    }
}

/// A card or a Canadian bank account (ACSS debit); any other kind is refused.
impl TryFrom<&PaymentMethod> for MethodDetails {
    type Error = GatewayError;

    fn try_from(method: &PaymentMethod) -> Result<Self, GatewayError> {
        let customer = method.customer.as_ref().map(|c| c.id().to_string());
        let id = method.id.to_string();
        match (&method.type_, &method.card, &method.acss_debit) {
            (PaymentMethodType::Card, Some(card), _) => Ok(MethodDetails {
                id,
                kind: MethodKind::Card,
                brand: card.brand.clone(),
                last4: card.last4.clone(),
                exp_month: i32::try_from(card.exp_month).ok(),
                exp_year: i32::try_from(card.exp_year).ok(),
                funding: Some(card.funding.clone()),
                customer,
            }),
            (PaymentMethodType::AcssDebit, _, Some(bank)) => Ok(MethodDetails {
                id,
                kind: MethodKind::BankAccount,
                brand: bank.bank_name.clone().unwrap_or_else(|| "Bank account".into()),
                last4: bank.last4.clone().unwrap_or_default(),
                exp_month: None,
                exp_year: None,
                funding: None,
                customer,
            }),
            (other, _, _) => Err(GatewayError::Refused {
                code: "unsupported_payment_method".into(),
                message: format!("payment methods of type {} are not accepted", other.as_str()),
            }),
        }
    }
}
