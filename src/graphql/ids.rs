//! Opaque global IDs: `base64url("Type:id")`. The type is checked on the way in, so one kind of
//! object's id never finds another kind, and an id that does not decode is simply not found.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::services::ServiceError;

pub fn encode(kind: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

pub fn decode(kind: &str, id: &ID) -> Result<i64, ServiceError> {
    URL_SAFE_NO_PAD
        .decode(id.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (found, number) = text.split_once(':')?;
            if found == kind { number.parse().ok() } else { None }
        })
        .ok_or(ServiceError::NotFound)
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
