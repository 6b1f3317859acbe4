//! Runs reconciliation (`services::payments::reconcile`) every interval until shutdown.

use std::time::Duration;

use tokio::sync::watch;

use crate::{services::Deps, services::payments::reconcile, telemetry};

pub async fn run(deps: Deps, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        match reconcile::run(&deps, reconcile::Scope::Due).await {
            Ok(report) if report.settled > 0 => {
                tracing::info!(settled = report.settled, pending = report.pending, "reconciliation pass");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(error = %telemetry::chain(&error), "reconciliation pass failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
