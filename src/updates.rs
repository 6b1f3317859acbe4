//! Live updates: what changed, told to every server instance, for the API's subscriptions.
//!
//! A change is published in the transaction that makes it (`publish`): on PostgreSQL as a
//! `NOTIFY`, which the database delivers only if, and once, that transaction commits, to every
//! instance listening on the same database (`relay_from_postgres`); on SQLite, within this process.
//! An update says only what changed (a payment, an account), never its data: a subscriber reads
//! the object again, as its caller may see it. Updates are not stored: a subscriber that was not
//! connected when one was published does not get it, and reads the current state when it
//! (re)connects.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel every instance listens on.
const CHANNEL: &str = "billing_portal_updates";
/// Updates a slow subscriber may fall behind by before it skips to the current state.
const BACKLOG: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Update {
    /// A payment's status moved.
    Payment { account_id: i64, payment_id: i64 },
    /// What the account shows changed: its balance (a transaction posted), Auto Pay or its methods.
    Account { account_id: i64 },
}

impl Update {
    pub fn account_id(&self) -> i64 {
        match *self {
            Update::Payment { account_id, .. } | Update::Account { account_id } => account_id,
        }
    }
}

/// This instance's subscribers, fed by its own changes (SQLite) or by every instance's (PostgreSQL).
#[derive(Clone)]
pub struct Updates {
    local: broadcast::Sender<Update>,
}

impl Default for Updates {
    fn default() -> Self {
        Self { local: broadcast::channel(BACKLOG).0 }
    }
}

impl Updates {
    /// Publishes `update` in `txn`, the transaction that makes the change.
    pub async fn publish(&self, txn: &impl ConnectionTrait, update: Update) -> Result<(), DbErr> {
        match txn.get_database_backend() {
            DatabaseBackend::Postgres => {
                let payload = serde_json::to_string(&update).unwrap_or_default();
                let notify = Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), payload.into()],
                );
                txn.execute_raw(notify).await?;
            }
            // One process; the transaction holds SQLite's one connection, so a subscriber reading
            // the change waits for its commit.
            _ => {
                let _ = self.local.send(update);
            }
        }
        Ok(())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Update> {
        self.local.subscribe()
    }

    /// On PostgreSQL, hands every instance's updates to this one's subscribers until `stop` turns
    /// true or the pool closes. The listener holds one of the pool's connections; when it fails,
    /// it connects again; what is published while it is away is lost (a subscriber then shows the
    /// state of its next update).
    pub async fn relay_from_postgres(&self, db: &DatabaseConnection, mut stop: watch::Receiver<bool>) {
        use sea_orm::sqlx::{Error, postgres::PgListener};
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return;
        }
        let pool = db.get_postgres_connection_pool();
        loop {
            let connected = async {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, Error>(listener)
            };
            let failure = tokio::select! {
                connected = connected => match connected {
                    Ok(mut listener) => loop {
                        tokio::select! {
                            received = listener.recv() => match received {
                                Ok(notification) => self.hand_on(notification.payload()),
                                Err(error) => break error,
                            },
                            _ = stop.changed() => return,
                        }
                    },
                    Err(error) => error,
                },
                _ = stop.changed() => return,
            };
            // The pool closing (shutdown) ends the relay; anything else is retried.
            if matches!(failure, Error::PoolClosed) {
                return;
            }
            tracing::warn!(error = %failure, "the live updates listener failed; connecting again");
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = stop.changed() => return,
            }
        }
    }

    fn hand_on(&self, payload: &str) {
        match serde_json::from_str::<Update>(payload) {
            Ok(update) => {
                let _ = self.local.send(update);
            }
            Err(error) => tracing::warn!(%error, "an update that is not one of ours"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_travel_as_small_json() {
        let update = Update::Payment { account_id: 1, payment_id: 42 };
        let text = serde_json::to_string(&update).unwrap();
        assert_eq!(text, r#"{"kind":"payment","account_id":1,"payment_id":42}"#);
        assert_eq!(serde_json::from_str::<Update>(&text).unwrap(), update);
    }
}
