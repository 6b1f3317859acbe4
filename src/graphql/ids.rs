//! Opaque global IDs: `base64url("Type:id")` (`domain::opaque`, which the lists' cursors share).
//! The type is checked on the way in, so one kind of object's id never finds another kind, and an
//! id that does not decode is simply not found.

use async_graphql::ID;

use crate::{domain::opaque, services::ServiceError};

pub fn encode(kind: &str, id: i64) -> ID {
    ID(opaque::encode(kind, &id.to_string()))
}

pub fn decode(kind: &str, id: &ID) -> Result<i64, ServiceError> {
    opaque::decode(kind, id.as_str()).and_then(|number| number.parse().ok()).ok_or(ServiceError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_kind() {
        let id = encode("Invoice", 42);
        assert_eq!(decode("Invoice", &id).unwrap(), 42);
        assert!(decode("Payment", &id).is_err());
        assert!(decode("Invoice", &ID("garbage!".into())).is_err());
    }
}
