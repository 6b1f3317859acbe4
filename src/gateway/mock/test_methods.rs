//! The payment method ids the mock honours: Stripe's test ids, plus `pm_mock_pad` and
//! `pm_mock_timeout`, and the ids of methods attached from them.

use super::super::{MethodDetails, MethodKind};

/// What a test payment method does when charged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Succeeds,
    Declines { decline_code: &'static str, message: &'static str },
    NeedsAuthentication,
    Settles,
    TimesOut,
}

/// The test methods: id, kind, brand, last 4, and behaviour.
const TEST_METHODS: &[(&str, MethodKind, &str, &str, Behaviour)] = &[
    ("pm_card_visa", MethodKind::Card, "visa", "4242", Behaviour::Succeeds),
    ("pm_card_mastercard", MethodKind::Card, "mastercard", "4444", Behaviour::Succeeds),
    (
        "pm_card_chargeDeclined",
        MethodKind::Card,
        "visa",
        "0002",
        Behaviour::Declines { decline_code: "generic_decline", message: "Your card was declined." },
    ),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        MethodKind::Card,
        "visa",
        "9995",
        Behaviour::Declines {
            decline_code: "insufficient_funds",
            message: "Your card has insufficient funds.",
        },
    ),
    (
        "pm_card_chargeDeclinedStolenCard",
        MethodKind::Card,
        "visa",
        "9979",
        Behaviour::Declines { decline_code: "stolen_card", message: "Your card was declined." },
    ),
    (
        "pm_card_chargeDeclinedLostCard",
        MethodKind::Card,
        "visa",
        "9987",
        Behaviour::Declines { decline_code: "lost_card", message: "Your card was declined." },
    ),
    ("pm_card_authenticationRequired", MethodKind::Card, "visa", "3184", Behaviour::NeedsAuthentication),
    ("pm_mock_pad", MethodKind::BankAccount, "Royal Bank of Canada", "6789", Behaviour::Settles),
    ("pm_mock_timeout", MethodKind::Card, "visa", "0077", Behaviour::TimesOut),
];

/// Test cards expire far enough ahead (Stripe's test cards take any future date).
const TEST_CARD_EXPIRY: (i32, i32) = (12, 2034);

pub fn test_method(id: &str) -> Option<(MethodDetails, &'static str, Behaviour)> {
    let (template, kind, brand, last4, behaviour) = TEST_METHODS.iter().find(|m| m.0 == id)?;
    let card = *kind == MethodKind::Card;
    let details = MethodDetails {
        id: id.to_string(),
        kind: *kind,
        brand: brand.to_string(),
        last4: last4.to_string(),
        exp_month: card.then_some(TEST_CARD_EXPIRY.0),
        exp_year: card.then_some(TEST_CARD_EXPIRY.1),
        funding: card.then(|| "credit".to_string()),
        customer: None,
    };
    Some((details, template, *behaviour))
}

/// The test method and customer of an attached method's id.
pub fn attached_parts(id: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = id.split("__");
    let (template, customer, _) = (parts.next()?, parts.next()?, parts.next()?);
    Some((template, Some(customer)))
}
