//! Runs the janitor's sweep (`services::housekeeping`) every interval until shutdown. Every
//! instance runs it; sweeps at once are safe.

use std::time::Duration;

use tokio::sync::watch;

use crate::{services::Deps, services::housekeeping, telemetry};

pub async fn run(deps: Deps, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        match housekeeping::sweep(&deps).await {
            Ok(swept) if swept != housekeeping::Swept::default() => tracing::info!(?swept, "janitor's sweep"),
            Ok(_) => {}
            Err(error) => tracing::error!(error = %telemetry::chain(&error), "janitor's sweep failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
