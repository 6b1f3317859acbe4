//! The account's activity: who did what, for office managers.

use async_graphql::{Enum, ID, Object, SimpleObject};
use entity::activity;

use super::ids::{self, Kind};
use super::scalars::DateTime;

/// What an activity entry records.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "activity::Action")]
pub enum ActivityAction {
    /// Someone was invited to the Billing Portal (by an office manager, or by the carrier).
    UserInvited,
    /// An office manager sent someone a new invitation (`resendInvitation`).
    InvitationResent,
    /// A user's name, time zone or billing notifications changed.
    UserUpdated,
    /// An office manager changed someone's role.
    RoleChanged,
    /// An office manager deleted a user.
    UserDeleted,
    /// The billing profile (address, time zone, billing contacts) changed.
    ProfileUpdated,
    /// A payment method was put on file.
    PaymentMethodAdded,
    /// A payment method was removed (by an office manager, or by the payment gateway).
    PaymentMethodRemoved,
    /// Auto Pay was turned on, or set to charge another method.
    AutoPayEnabled,
    /// Auto Pay was turned off (by an office manager, or because the gateway removed its method).
    AutoPayDisabled,
    /// A user made a payment, or Auto Pay made a charge, whatever its outcome.
    PaymentMade,
    /// An office manager exported Call History (`requestCallHistoryExport`).
    CallHistoryExported,
    /// An operator loaded rated call records (`import-cdrs`).
    CallRecordsImported,
    /// The carrier opened the account (the Partner API).
    AccountOpened,
    /// The carrier posted an invoice.
    InvoicePosted,
    /// The carrier posted a credit.
    CreditPosted,
}

/// Who did it, as they were then (a deleted user's actions still name them).
#[derive(SimpleObject)]
pub struct Actor {
    /// An id of its own, not the user's: the person as this entry names them.
    #[graphql(owned)]
    pub id: ID,
    /// Their name when they did it.
    pub name: String,
    /// Their email address when they did it.
    pub email: String,
}

pub struct ActivityEntry(pub activity::Model);

/// One thing done to the account, by one of its people or by the carrier's systems.
#[Object]
impl ActivityEntry {
    /// Opaque; `node(id:)` finds the entry again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Activity, self.0.id)
    }

    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }

    /// What kind of thing happened.
    async fn action(&self) -> ActivityAction {
        self.0.action.into()
    }

    /// What happened, for a person.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Null for the carrier's systems and jobs (Auto Pay, the payment gateway, the billing engine).
    async fn actor(&self) -> Option<Actor> {
        self.actor_of()
    }
}

impl ActivityEntry {
    /// The person who did it, as the entry names them.
    pub fn actor_of(&self) -> Option<Actor> {
        self.0.actor_user_id?;
        Some(Actor {
            // The actor as this entry names them: an id of its own, not the user's (their name
            // may have changed since, and a cache must not merge the two).
            id: ids::encode(Kind::Actor, self.0.id),
            name: self.0.actor_name.clone().unwrap_or_default(),
            email: self.0.actor_email.clone().unwrap_or_default(),
        })
    }
}
