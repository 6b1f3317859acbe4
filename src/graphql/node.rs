//! Relay's Object Identification: every object with an id is a `Node`, and `node(id:)` /
//! `nodes(ids:)` find any of them again by that id alone (what a Relay `@refetchable` fragment or
//! an id-keyed cache does). Only the caller's account's objects are found; another account's id,
//! a malformed id and an unknown id all answer `null`, alike, so an id tells nothing of what exists.

use crate::i18n::Text;
use async_graphql::{Context, ID, Interface, Object};

use super::{
    account::{Account, BillingContact},
    activity::{ActivityEntry, Actor},
    context,
    ids::{self, Kind},
    invoices::Invoice,
    passkeys::Passkey,
    payments::{Payment, PaymentMethod},
    sessions::Session,
    transactions::Transaction,
    users::User,
};
use crate::services::{self, Caller, ServiceError, ServiceResult};

/// At most this many ids in one `nodes(ids:)`: a page's worth.
const MAX_IDS: usize = 100;

/// An object with an id of its own, which `node(id:)` finds again.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque, and never the same for two objects, of any type."))]
pub enum Node {
    Account(Account),
    ActivityEntry(ActivityEntry),
    Actor(Actor),
    BillingContact(BillingContact),
    Invoice(Invoice),
    Passkey(Passkey),
    Payment(Payment),
    PaymentMethod(PaymentMethod),
    Session(Session),
    Transaction(Transaction),
    User(User),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object of your account, by its id; `null` for any other id.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Any object's `id`.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let caller = context::caller(ctx)?;
        find(ctx, caller, &id).await
    }

    /// Objects of your account by their ids, in the same order (at most 100); `null` for any other id.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most 100 ids; more is BAD_USER_INPUT.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        let caller = context::caller(ctx)?;
        if ids.len() > MAX_IDS {
            return Err(ServiceError::BadInput(Text::new("too-many-ids").arg("max", MAX_IDS)).into());
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            found.push(find(ctx, caller, id).await?);
        }
        Ok(found)
    }
}

async fn find(ctx: &Context<'_>, caller: &Caller, id: &ID) -> async_graphql::Result<Option<Node>> {
    let Some((kind, key)) = ids::parse(id) else { return Ok(None) };
    match load(ctx, caller, kind, key).await {
        Ok(node) => Ok(Some(node)),
        // Not the caller's, or not theirs to see: as if it did not exist.
        Err(ServiceError::NotFound | ServiceError::Forbidden) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

async fn load(ctx: &Context<'_>, caller: &Caller, kind: Kind, key: i64) -> ServiceResult<Node> {
    let deps = context::deps(ctx);
    Ok(match kind {
        Kind::Account if key == caller.account_id => {
            Node::Account(Account::new(caller.account.as_ref().clone()))
        }
        Kind::Account => return Err(ServiceError::NotFound),
        Kind::Activity => {
            Node::ActivityEntry(ActivityEntry(services::activity::get(deps, caller, key).await?))
        }
        Kind::Actor => {
            let entry = ActivityEntry(services::activity::get(deps, caller, key).await?);
            Node::Actor(entry.actor_of().ok_or(ServiceError::NotFound)?)
        }
        Kind::BillingContact => Node::BillingContact(BillingContact(
            services::accounts::billing_contact(deps, caller, key).await?,
        )),
        Kind::Invoice => Node::Invoice(Invoice(services::billing::invoices::get(deps, caller, key).await?)),
        Kind::Passkey => Node::Passkey(Passkey(services::auth::passkeys::get(deps, caller, key).await?)),
        Kind::Payment => Node::Payment(Payment(services::payments::get(deps, caller, key).await?)),
        Kind::PaymentMethod => {
            Node::PaymentMethod(PaymentMethod(services::auto_pay::methods::get(deps, caller, key).await?))
        }
        Kind::Session => Node::Session(Session {
            model: services::auth::sessions::get(deps, caller, key).await?,
            current: key == caller.session_id,
        }),
        Kind::Transaction => {
            let (entry, invoice) = services::billing::transactions::get(deps, caller, key).await?;
            Node::Transaction(Transaction(entry, invoice))
        }
        Kind::User => Node::User(User(services::accounts::users::get(deps, caller, key).await?)),
    })
}
