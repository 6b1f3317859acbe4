//! Subscriptions: a payment's status and the account as they change, whichever instance changed
//! them (`updates`). Served over WebSocket (`http::subscriptions`), for the caller of the
//! connection's session: each update is read again as that caller may see it, and a session that
//! has ended gets nothing more.

use std::sync::Arc;

use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt, stream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast::error::RecvError};

use super::{
    account::Account,
    context,
    ids::{self, Kind},
    loaders::PaymentMethods,
    payments::Payment,
};
use crate::{
    i18n::Text,
    services::{Caller, Deps, ServiceError, auth::sessions, payments},
    updates::Update,
};

/// How many subscriptions a connection may hold at once (its data; `http::subscriptions`).
#[derive(Clone)]
pub struct ConnectionSlots(pub Arc<Semaphore>);

#[derive(Default)]
pub struct Subscription;

/// Live updates over WebSocket at `/graphql` (protocol `graphql-transport-ws`), for your account
/// only. Updates are not stored: after reconnecting, read the current state.
#[Subscription]
impl Subscription {
    /// Each status change of one of your payments (a pre-authorized debit moving from PROCESSING
    /// to SUCCEEDED days later, say), whichever server instance saw it happen.
    async fn payment_updated<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        #[graphql(desc = "The payment's `id`; any other id, including another account's, is NOT_FOUND.")]
        id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Payment>> + 'ctx> {
        let (caller, deps, slot) = (context::caller(ctx)?, context::deps(ctx), take_slot(ctx)?);
        let payment_id = ids::decode(Kind::Payment, &id)?;
        // Another account's payment is not found, like a missing one.
        payments::get(deps, caller, payment_id).await?;
        let wanted = Update::Payment { account_id: caller.account_id, payment_id };
        Ok(changes(deps, caller, slot, move |update| update == wanted)
            .then(move |()| async move { Ok(Payment(payments::get(deps, caller, payment_id).await?)) }))
    }

    /// Your account after each change to what it shows: a transaction posted (an invoice, a
    /// payment, a credit, a refund), Auto Pay or the payment methods changed.
    async fn account_updated<'ctx>(
        &self,
        ctx: &Context<'ctx>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Account>> + 'ctx> {
        let (caller, deps, slot) = (context::caller(ctx)?, context::deps(ctx), take_slot(ctx)?);
        let methods = ctx.data_unchecked::<PaymentMethods>();
        let account_id = caller.account_id;
        Ok(changes(deps, caller, slot, move |update| update == Update::Account { account_id })
            .then(move |()| Account::read_again(deps, caller, methods)))
    }
}

/// A place among the connection's subscriptions, held as long as the subscription runs.
fn take_slot(ctx: &Context<'_>) -> async_graphql::Result<OwnedSemaphorePermit> {
    let slots = ctx
        .data_opt::<ConnectionSlots>()
        .ok_or_else(|| ServiceError::BadInput(Text::new("subscriptions-over-websocket")))?;
    slots
        .0
        .clone()
        .try_acquire_owned()
        .map_err(|_| ServiceError::BadInput(Text::new("too-many-subscriptions")).into())
}

/// A unit for each update `wanted` picks, while the caller's session lives. An update missed for
/// falling behind counts as one (the subscriber then reads the current state).
fn changes<'a>(
    deps: &'a Deps,
    caller: &'a Caller,
    slot: OwnedSemaphorePermit,
    wanted: impl Fn(Update) -> bool + Send + 'a,
) -> impl Stream<Item = ()> + 'a {
    let receiver = deps.updates.subscribe();
    stream::unfold((receiver, slot, wanted), move |(mut receiver, slot, wanted)| async move {
        loop {
            match receiver.recv().await {
                Ok(update) if !wanted(update) => continue,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
            // Nothing reaches a session that has ended (the connection closes soon after). A
            // failed check lets the update through: reading it will say what failed.
            return match sessions::still_live(deps, caller.session_id).await {
                Ok(false) => None,
                Ok(true) | Err(_) => Some(((), (receiver, slot, wanted))),
            };
        }
    })
}
