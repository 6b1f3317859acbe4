use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::config::Settings;

/// What every request and job shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Wakes the email sender as soon as something is queued, instead of at its next poll.
    pub outbox_wakeup: Arc<Notify>,
}
