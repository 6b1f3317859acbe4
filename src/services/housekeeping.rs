//! The janitor's sweep: rows past their usefulness are deleted, in bounded batches, so that no
//! table grows with time alone. Every instance may sweep, at any time, at once: a delete of what is
//! already gone deletes nothing, and each batch is its own short statement, so a sweep never holds
//! locks that requests wait on.
//!
//! What is kept, and how long (the README's operations section says the same):
//! - login throttle counters: until their window has passed, no block stands and the address they
//!   remember as the user's own (30 days after a successful login) is forgotten;
//! - sessions: until they end (idle or absolute timeout);
//! - password reset links: until they expire (1 hour; the hourly limit counts only younger ones);
//! - logins' second steps and passkey ceremonies: until they expire (5 minutes);
//! - webhook event ids: 30 days, ten times the three days over which Stripe redelivers an event.

use chrono::Duration;
use entity::{
    login_challenge, login_throttle, passkey_ceremony, password_reset_token, session, webhook_event,
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, TryGetable, Value};

use super::{Deps, ServiceResult, auth};

/// Rows deleted per statement.
const BATCH: u64 = 1_000;
/// A duplicate webhook is recognised for this long after its first delivery.
pub const WEBHOOK_EVENTS_KEPT: Duration = Duration::days(30);

/// What one sweep deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub throttle_counters: u64,
    pub sessions: u64,
    pub reset_links: u64,
    /// Logins' second steps, used or not, once they have expired (5 minutes).
    pub login_challenges: u64,
    /// Passkey registrations and sign-ins, used or not, once they have expired (5 minutes).
    pub passkey_ceremonies: u64,
    pub webhook_events: u64,
}

pub async fn sweep(deps: &Deps) -> ServiceResult<Swept> {
    let now = deps.now();
    let settings = &deps.settings;
    let idle = session::Column::LastSeenAt.lt(now - settings.sessions.idle_timeout);
    Ok(Swept {
        throttle_counters: delete::<login_throttle::Entity, String>(
            deps,
            login_throttle::Column::Key,
            auth::throttle::forgotten(now, &settings.login_throttle),
        )
        .await?,
        sessions: delete::<session::Entity, i64>(
            deps,
            session::Column::Id,
            Condition::any().add(session::Column::ExpiresAt.lte(now)).add(idle),
        )
        .await?,
        reset_links: delete::<password_reset_token::Entity, i64>(
            deps,
            password_reset_token::Column::Id,
            Condition::all().add(password_reset_token::Column::ExpiresAt.lte(now)),
        )
        .await?,
        login_challenges: delete::<login_challenge::Entity, i64>(
            deps,
            login_challenge::Column::Id,
            Condition::all().add(login_challenge::Column::ExpiresAt.lte(now)),
        )
        .await?,
        passkey_ceremonies: delete::<passkey_ceremony::Entity, i64>(
            deps,
            passkey_ceremony::Column::Id,
            Condition::all().add(passkey_ceremony::Column::ExpiresAt.lte(now)),
        )
        .await?,
        webhook_events: delete::<webhook_event::Entity, i64>(
            deps,
            webhook_event::Column::Id,
            Condition::all().add(webhook_event::Column::ReceivedAt.lt(now - WEBHOOK_EVENTS_KEPT)),
        )
        .await?,
    })
}

/// Deletes `E`'s rows matching `expired`, `BATCH` keys at a time, and counts them.
async fn delete<E, K>(deps: &Deps, key: E::Column, expired: Condition) -> ServiceResult<u64>
where
    E: EntityTrait,
    K: TryGetable + Into<Value> + Send + Sync + 'static,
{
    let mut deleted = 0;
    loop {
        let keys: Vec<K> = E::find()
            .select_only()
            .column(key)
            .filter(expired.clone())
            .limit(BATCH)
            .into_tuple()
            .all(&deps.db)
            .await?;
        let found = keys.len() as u64;
        if found == 0 {
            return Ok(deleted);
        }
        // The condition again: a row used since it was read (a session, a counter) stays.
        let result = E::delete_many().filter(key.is_in(keys)).filter(expired.clone()).exec(&deps.db).await?;
        deleted += result.rows_affected;
        if found < BATCH {
            return Ok(deleted);
        }
    }
}
