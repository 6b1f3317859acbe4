//! The account's activity: who did what, for office managers.

use async_graphql::{Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::activity;

use super::ids::{self, Kind};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "activity::Action")]
pub enum ActivityAction {
    UserInvited,
    InvitationResent,
    UserUpdated,
    RoleChanged,
    UserDeleted,
    ProfileUpdated,
    PaymentMethodAdded,
    PaymentMethodRemoved,
    AutoPayEnabled,
    AutoPayDisabled,
    PaymentMade,
    CallHistoryExported,
    /// An operator loaded rated call records (`import-cdrs`).
    CallRecordsImported,
    /// The carrier opened the account (the Partner API).
    AccountOpened,
    InvoicePosted,
    CreditPosted,
}

/// Who did it, as they were then (a deleted user's actions still name them).
#[derive(SimpleObject)]
pub struct Actor {
    #[graphql(owned)]
    pub id: ID,
    pub name: String,
    pub email: String,
}

pub struct ActivityEntry(pub activity::Model);

#[Object]
impl ActivityEntry {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Activity, self.0.id)
    }

    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

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
