//! Runs the Auto Pay pass (`services::auto_pay::pass`) every interval until shutdown. Safe beside
//! other instances and `run-autopay`: every attempt is claimed once in the database.

use std::time::Duration;

use tokio::sync::watch;

use crate::{services::Deps, services::auto_pay::pass, telemetry};

pub async fn run(deps: Deps, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        match pass::run(&deps, None).await {
            Ok(report) if report != pass::Report::default() => {
                tracing::info!(
                    attempts = report.attempts,
                    succeeded = report.succeeded,
                    notices = report.notices,
                    busy = report.busy,
                    failed = report.failed,
                    "Auto Pay pass"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::error!(error = %telemetry::chain(&error), "Auto Pay pass failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
