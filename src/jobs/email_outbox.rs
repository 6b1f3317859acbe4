//! Delivers queued emails: at once when something is queued, and on every poll for retries.

use tokio::sync::watch;

use crate::{
    mail::{outbox, transport::Transport},
    state::AppState,
};

/// Runs until `shutdown` turns true; a send in progress finishes first.
pub async fn run(state: AppState, transport: Transport, mut shutdown: watch::Receiver<bool>) {
    loop {
        match outbox::deliver_due(&state, &transport).await {
            Ok(delivery) if delivery.sent + delivery.failed > 0 => {
                tracing::info!(sent = delivery.sent, failed = delivery.failed, "email outbox pass");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "email outbox pass failed"),
        }
        tokio::select! {
            _ = state.outbox_wakeup.notified() => {}
            _ = tokio::time::sleep(state.settings.outbox_poll_interval()) => {}
            _ = shutdown.changed() => return,
        }
    }
}
