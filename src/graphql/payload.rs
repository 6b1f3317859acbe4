//! A mutation's answer: what it made, or the user errors that refused it (its `userErrors`, with
//! what it would have made left null). `payload` is the one place a service's result becomes one:
//! a refusal (`ServiceError::Refused`) goes into the payload, any other error is the response's.

use crate::services::{ServiceError, ServiceResult};

use super::user_error::{self, UserError};

pub trait Payload: Sized {
    /// What the service answers when it does not refuse.
    type Made;
    fn made(made: Self::Made) -> Self;
    fn refused(user_errors: Vec<UserError>) -> Self;
}

pub fn payload<P: Payload>(result: ServiceResult<P::Made>) -> async_graphql::Result<P> {
    match result {
        Ok(made) => Ok(P::made(made)),
        Err(ServiceError::Refused(errors)) => Ok(P::refused(user_error::from_all(errors))),
        Err(error) => Err(error.into()),
    }
}

/// `Payload` for the usual shape, `{ field: Option<T>, userErrors }`: what the service made, wrapped
/// by `$wrap` into the field.
macro_rules! impl_payload {
    ($payload:ident, $field:ident: $made:ty => $wrap:expr) => {
        impl $crate::graphql::payload::Payload for $payload {
            type Made = $made;
            fn made(made: $made) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Self { $field: Some(($wrap)(made)), user_errors: Vec::new() }
            }
            fn refused(user_errors: Vec<$crate::graphql::user_error::UserError>) -> Self {
                Self { $field: None, user_errors }
            }
        }
    };
}
pub(crate) use impl_payload;

/// `Payload` for `{ ok, userErrors }`: a mutation that makes nothing to show.
macro_rules! impl_ok_payload {
    ($payload:ident) => {
        impl $crate::graphql::payload::Payload for $payload {
            type Made = ();
            fn made((): ()) -> Self {
                Self { ok: true, user_errors: Vec::new() }
            }
            fn refused(user_errors: Vec<$crate::graphql::user_error::UserError>) -> Self {
                Self { ok: false, user_errors }
            }
        }
    };
}
pub(crate) use impl_ok_payload;

/// `account` on the payload of a mutation that changes the account: the caller's account as it is
/// once the mutation has run, read only when selected, so that one round trip refreshes a
/// normalized cache (the balance after a payment, Auto Pay after `setAutoPay`, the users after an
/// invitation). The payload derives `SimpleObject` with `#[graphql(complex)]`.
macro_rules! with_account {
    ($payload:ident) => {
        #[async_graphql::ComplexObject]
        impl $payload {
            /// Your account as it is now that this mutation has run.
            async fn account(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<Option<$crate::graphql::account::Account>> {
                $crate::graphql::account::Account::now(ctx).await.map(Some)
            }
        }
    };
}
pub(crate) use with_account;
