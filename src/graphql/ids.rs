//! Opaque global IDs: `base64url("Kind:id")` (`domain::opaque`, which the lists' cursors share).
//! Every object with an id has a kind of its own, so no two objects share an id (a Relay or
//! id-keyed cache never merges them) and `node(id:)` knows where to look. The kind is checked on
//! the way in: one kind's id never finds another kind, and an id that does not decode is simply
//! not found.

use async_graphql::ID;

use crate::{domain::opaque, services::ServiceError};

/// The kinds of object that have an id, named as in the ids (which are stored by clients: the
/// names never change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Account,
    Activity,
    Actor,
    BillingContact,
    Invoice,
    Payment,
    Passkey,
    PaymentMethod,
    Session,
    Transaction,
    User,
}

impl Kind {
    const ALL: [Kind; 11] = [
        Kind::Account,
        Kind::Activity,
        Kind::Actor,
        Kind::BillingContact,
        Kind::Invoice,
        Kind::Payment,
        Kind::Passkey,
        Kind::PaymentMethod,
        Kind::Session,
        Kind::Transaction,
        Kind::User,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Account => "Account",
            Kind::Activity => "Activity",
            Kind::Actor => "Actor",
            Kind::BillingContact => "BillingContact",
            Kind::Invoice => "Invoice",
            Kind::Payment => "Payment",
            Kind::Passkey => "Passkey",
            Kind::PaymentMethod => "PaymentMethod",
            Kind::Session => "Session",
            Kind::Transaction => "Transaction",
            Kind::User => "User",
        }
    }
}

pub fn encode(kind: Kind, id: i64) -> ID {
    ID(opaque::encode(kind.name(), &id.to_string()))
}

pub fn decode(kind: Kind, id: &ID) -> Result<i64, ServiceError> {
    opaque::decode(kind.name(), id.as_str())
        .and_then(|number| number.parse().ok())
        .ok_or(ServiceError::NotFound)
}

/// Any object's id: its kind and row id; `None` for anything else.
pub fn parse(id: &ID) -> Option<(Kind, i64)> {
    let (name, key) = opaque::split(id.as_str())?;
    let kind = Kind::ALL.into_iter().find(|kind| kind.name() == name)?;
    Some((kind, key.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_kind() {
        let id = encode(Kind::Invoice, 42);
        assert_eq!(decode(Kind::Invoice, &id).unwrap(), 42);
        assert!(decode(Kind::Payment, &id).is_err());
        assert!(decode(Kind::Invoice, &ID("garbage!".into())).is_err());
        assert_eq!(parse(&id), Some((Kind::Invoice, 42)));
        assert_eq!(parse(&ID("garbage!".into())), None);
    }

    #[test]
    fn every_kind_s_ids_are_its_own() {
        for kind in Kind::ALL {
            assert_eq!(parse(&encode(kind, 7)), Some((kind, 7)), "{kind:?}");
        }
        // The form clients hold: existing ids keep working.
        assert_eq!(encode(Kind::Invoice, 1).as_str(), "SW52b2ljZTox");
    }
}
