//! Building the application from settings, and running it until a shutdown signal.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use poem::{
    Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
};
use tokio::sync::{Notify, watch};

use crate::{config::Settings, database, graphql, http, jobs, mail::transport::Transport, state::AppState};

/// How long requests in flight may take to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

pub struct Application {
    state: AppState,
    acceptor: TcpAcceptor,
    address: SocketAddr,
}

impl Application {
    /// Connects, migrates and binds (port 0 picks a free port, as the tests do).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = connect(settings).await?;
        database::migrate(&state.db).await?;
        let acceptor = TcpListener::bind(state.settings.listen_addr).into_acceptor().await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {} (LISTEN_ADDR): {e}", state.settings.listen_addr)
        })?;
        let address = acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
            .ok_or_else(|| anyhow::anyhow!("the listener has no socket address"))?;
        Ok(Self { state, acceptor, address })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Serves, with the background jobs, until `shutdown` resolves; then lets requests in flight
    /// and the jobs' current work finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let transport = Transport::from_settings(&self.state.settings)?;
        let (stop_jobs, jobs_stopped) = watch::channel(false);
        let outbox = tokio::spawn(jobs::email_outbox::run(self.state.clone(), transport, jobs_stopped));

        let schema = graphql::build_schema(self.state.clone());
        let routes = http::routes(self.state.clone(), schema);
        tracing::info!(address = %self.address, "serving; GraphQL at /graphql");
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(routes, shutdown, Some(SHUTDOWN_GRACE))
            .await;

        let _ = stop_jobs.send(true);
        let _ = outbox.await;
        tracing::info!("stopped");
        Ok(served?)
    }
}

/// The shared state, without the HTTP server: for CLI commands.
pub async fn connect(settings: Settings) -> anyhow::Result<AppState> {
    let db = database::connect(&settings.database_url).await?;
    Ok(AppState { db, settings: Arc::new(settings), outbox_wakeup: Arc::new(Notify::new()) })
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
