//! What services work with, handed to them explicitly: a job, the CLI and a test build one the
//! same way the server does, with the clock or the settings they need.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use crate::{clock::Clock, domain::secret::Secret, gateway::PaymentGateway, mail::Outbox, updates::Updates};

use super::auth::{SessionPolicy, ThrottleLimits};

/// The dependencies of every service call. Cheap to clone.
#[derive(Clone)]
pub struct Deps {
    pub db: DatabaseConnection,
    pub clock: Clock,
    /// Where emails are queued, in the same transaction as what causes them.
    pub outbox: Outbox,
    /// Where changes are published for the API's subscribers, in the transaction that makes them.
    pub updates: Updates,
    /// The payment gateway `PAYMENT_GATEWAY` chose.
    pub gateway: Arc<dyn PaymentGateway>,
    pub settings: Arc<ServiceSettings>,
}

impl Deps {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): another process on the same file (`run-autopay` beside a server) then waits its
    /// turn under the busy timeout, instead of failing half-way with SQLITE_BUSY when its read turns
    /// into a write. PostgreSQL ignores the mode.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        let immediate = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        self.db.begin_with_options(immediate).await
    }
}

/// The settings business rules read; nothing about how the process is run.
#[derive(Clone, Debug)]
pub struct ServiceSettings {
    /// This deployment's id at the payment gateway (`installation`): events about objects that do
    /// not carry it are another deployment's.
    pub installation_id: String,
    /// Base of every link we send out; never taken from a request's Host header.
    pub public_url: String,
    /// Signs download links; every instance of a deployment shares it.
    pub signing_key: Secret,
    pub sessions: SessionPolicy,
    pub login_throttle: ThrottleLimits,
    /// Days after the due date on which a declined Auto Pay charge is tried again.
    pub auto_pay_retry_days: Vec<u32>,
    /// Accounts an Auto Pay pass works on at once: as many as the gateway takes calls in flight,
    /// so that the gateway's limits (`gateway::throttled`), not the pass, set its pace.
    pub auto_pay_concurrency: usize,
}
