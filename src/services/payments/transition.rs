//! What news of a payment does to it, decided and nothing else: `decide` reads and writes nothing,
//! and answers the `Transition` that `settle` writes and `effects` carries out. A status only moves
//! forward, and `succeeded` is final.

use entity::payment;

use crate::gateway::{ChargeOutcome, Decline};

/// What a piece of news does to a payment: its status moves `from` → `to` (the same when only what
/// we know of it changes), for a reason. `decide` makes it and reads nothing; `settle::apply_in`
/// writes it and hands it to `effects`, the one place that carries out what a transition causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub payment_id: i64,
    pub account_id: i64,
    pub from: payment::Status,
    pub to: payment::Status,
    pub amount_minor: i64,
    pub why: Why,
}

/// The news behind a transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// The money moved.
    Charged {
        reference: String,
    },
    Declined(Decline),
    Canceled {
        reference: String,
    },
    /// The customer must authenticate (3-D Secure), with this secret.
    NeedsAuthentication {
        reference: String,
        client_secret: String,
    },
    /// Accepted, and on its way (a pre-authorized debit takes days).
    Accepted {
        reference: String,
    },
    /// Nobody knows yet: ask the gateway again.
    Unknown,
}

impl Transition {
    /// The status moved (not merely what we know of it).
    pub fn moved(&self) -> bool {
        self.from != self.to
    }
}

/// The transition `outcome` makes of `payment`, if it is a move forward: `succeeded` is final, a
/// failed or canceled payment moves only to `succeeded` (the money did move after all), and a
/// late or repeated message about a payment that has moved on is none.
pub fn decide(payment: &payment::Model, outcome: &ChargeOutcome) -> Option<Transition> {
    use payment::Status::*;
    let from = payment.status;
    let (to, why) = match outcome {
        ChargeOutcome::Succeeded { reference } if from != Succeeded => {
            (Succeeded, Why::Charged { reference: reference.clone() })
        }
        ChargeOutcome::Declined(decline) if matches!(from, Processing | RequiresAction) => {
            (Failed, Why::Declined(decline.clone()))
        }
        ChargeOutcome::Canceled { reference } if matches!(from, Processing | RequiresAction) => {
            (Canceled, Why::Canceled { reference: reference.clone() })
        }
        ChargeOutcome::RequiresAction { reference, client_secret } if from == Processing => (
            RequiresAction,
            Why::NeedsAuthentication { reference: reference.clone(), client_secret: client_secret.clone() },
        ),
        ChargeOutcome::Processing { reference } if matches!(from, Processing | RequiresAction) => {
            (Processing, Why::Accepted { reference: reference.clone() })
        }
        ChargeOutcome::Unknown if from == Processing => (Processing, Why::Unknown),
        _ => return None,
    };
    Some(Transition {
        payment_id: payment.id,
        account_id: payment.account_id,
        from,
        to,
        amount_minor: payment.amount_minor,
        why,
    })
}

/// A payment after news of it, and the transition the news made, if any: for
/// `effects::committed`
/// once the transaction that made it has committed.
pub struct Settled {
    pub payment: payment::Model,
    pub transition: Option<Transition>,
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::gateway::Decline;

    fn payment(status: payment::Status) -> payment::Model {
        let now = DateTime::from_timestamp(1_796_000_000, 0).unwrap();
        payment::Model {
            id: 9,
            account_id: 3,
            payment_method_id: Some(1),
            amount_minor: 700,
            currency: entity::Currency::Cad,
            status,
            origin: payment::Origin::Manual,
            idempotency_key: None,
            request_fingerprint: None,
            gateway_reference: None,
            failure_code: None,
            failure_message: None,
            failure_advice: None,
            created_at: now,
            updated_at: now,
            succeeded_at: None,
            invoice_id: None,
            payer_user_id: None,
            payer_name: None,
            gateway: Some("mock".into()),
            client_secret: None,
            refunded_minor: 0,
            next_check_at: None,
            check_attempts: 0,
        }
    }

    fn declined() -> ChargeOutcome {
        ChargeOutcome::Declined(Decline {
            reference: Some("pi_1".into()),
            code: "card_declined".into(),
            decline_code: Some("insufficient_funds".into()),
            advice_code: None,
            message: "Your card has insufficient funds.".into(),
        })
    }

    #[test]
    fn a_status_only_moves_forward_and_succeeded_is_final() {
        use payment::Status::*;
        let succeeded = ChargeOutcome::Succeeded { reference: "pi_1".into() };
        let canceled = ChargeOutcome::Canceled { reference: "pi_1".into() };
        let processing = ChargeOutcome::Processing { reference: "pi_1".into() };
        // (from, news) → to, or no transition.
        let cases = [
            (Processing, succeeded.clone(), Some(Succeeded)),
            (Failed, succeeded.clone(), Some(Succeeded)),
            (Canceled, succeeded.clone(), Some(Succeeded)),
            (Succeeded, succeeded.clone(), None),
            (Succeeded, declined(), None),
            (Succeeded, canceled.clone(), None),
            (Processing, declined(), Some(Failed)),
            (RequiresAction, declined(), Some(Failed)),
            (Failed, declined(), None),
            (Failed, canceled.clone(), None),
            (RequiresAction, processing.clone(), Some(Processing)),
            (Failed, processing, None),
            (Succeeded, ChargeOutcome::Unknown, None),
            (Processing, ChargeOutcome::Unknown, Some(Processing)),
        ];
        for (from, news, to) in cases {
            let decided = decide(&payment(from), &news).map(|transition| transition.to);
            assert_eq!(decided, to, "{from:?} on {news:?}");
        }
    }

    #[test]
    fn a_transition_carries_what_the_effects_need() {
        let transition = decide(&payment(payment::Status::Processing), &declined()).unwrap();
        assert!(transition.moved());
        assert_eq!((transition.payment_id, transition.account_id, transition.amount_minor), (9, 3, 700));
        let Why::Declined(decline) = &transition.why else { panic!("{transition:?}") };
        assert_eq!(decline.failure_code(), "insufficient_funds");
        let unknown = decide(&payment(payment::Status::Processing), &ChargeOutcome::Unknown).unwrap();
        assert!(!unknown.moved(), "only what we know of it changes");
    }
}
