//! Delivers queued emails: at once when something is queued, and on every poll for retries.

use std::time::Duration;

use tokio::sync::watch;

use crate::{
    mail::{Sender, outbox},
    services::Deps,
};

/// Runs until `shutdown` turns true; a send in progress finishes first.
pub async fn run(deps: Deps, sender: Sender, poll_interval: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        match outbox::deliver_due(&deps.db, &deps.clock, &sender).await {
            Ok(delivery) if delivery.sent + delivery.failed > 0 => {
                tracing::info!(sent = delivery.sent, failed = delivery.failed, "email outbox pass");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "email outbox pass failed"),
        }
        tokio::select! {
            _ = deps.outbox.woken() => {}
            _ = tokio::time::sleep(poll_interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
