//! Building the application from settings, and running it until a shutdown signal.

use std::{future::Future, net::SocketAddr, num::NonZeroU32, sync::Arc, time::Duration};

use anyhow::Context as _;
use poem::{
    Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
};
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use crate::{
    clock::Clock,
    config::PaymentGatewayKind,
    config::Settings,
    database,
    gateway::{
        PaymentGateway,
        mock::MockGateway,
        stripe::{StripeGateway, StripeSettings},
        throttled::{Limits, Throttled},
    },
    graphql, http, jobs,
    mail::{Outbox, Sender, Transport},
    services::{self, Deps},
    updates::Updates,
};

/// How long requests in flight may take to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

pub struct Application {
    deps: Deps,
    settings: Arc<Settings>,
    acceptor: TcpAcceptor,
    address: SocketAddr,
    /// The frontend's operations (`PERSISTED_OPERATIONS`), read and checked at start-up.
    manifest: graphql::persisted::Manifest,
    /// `METRICS_ADDR`'s listener, apart from the API's.
    metrics_acceptor: Option<TcpAcceptor>,
}

impl Application {
    /// Connects, migrates and binds (port 0 picks a free port, as the tests do).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// As `build`, with a clock of the caller's (tests set the time with a manual one).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let manifest = match &settings.persisted_operations {
            Some(path) => graphql::persisted::Manifest::load(path).with_context(|| {
                format!("invalid configuration: PERSISTED_OPERATIONS: {}", path.display())
            })?,
            None => graphql::persisted::Manifest::default(),
        }
        .merged(http::portal::operations());
        let deps = connect(&settings, clock).await?;
        let acceptor = TcpListener::bind(settings.listen_addr)
            .into_acceptor()
            .await
            .with_context(|| format!("cannot listen on {} (LISTEN_ADDR)", settings.listen_addr))?;
        let address = acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
            .context("the listener has no socket address")?;
        let metrics_acceptor = match settings.metrics_addr {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .into_acceptor()
                    .await
                    .with_context(|| format!("cannot listen on {addr} (METRICS_ADDR)"))?,
            ),
            None => None,
        };
        // Installed before anything is recorded: the facade drops what no recorder hears.
        crate::metrics::handle();
        Ok(Self { deps, settings: Arc::new(settings), acceptor, address, manifest, metrics_acceptor })
    }

    /// What services are called with, for work done beside the server (demo data, tests).
    pub fn deps(&self) -> &Deps {
        &self.deps
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
        let sender = mail_sender(&self.settings)?;
        let (stop_jobs, jobs_stopped) = watch::channel(false);
        let outbox = tokio::spawn(jobs::email_outbox::run(
            self.deps.clone(),
            sender,
            self.settings.outbox_poll_interval(),
            jobs_stopped.clone(),
        ));
        let reconcile_every = self.settings.payments.reconcile_interval_seconds;
        let reconciliation = (reconcile_every > 0).then(|| {
            let interval = Duration::from_secs(reconcile_every);
            tokio::spawn(jobs::reconciliation::run(self.deps.clone(), interval, jobs_stopped.clone()))
        });
        let sweep_every = self.settings.housekeeping.interval_seconds;
        let janitor = (sweep_every > 0).then(|| {
            let interval = Duration::from_secs(sweep_every);
            tokio::spawn(jobs::janitor::run(self.deps.clone(), interval, jobs_stopped.clone()))
        });
        let auto_pay_every = self.settings.autopay_interval_seconds;
        let auto_pay = (auto_pay_every > 0).then(|| {
            let interval = Duration::from_secs(auto_pay_every);
            tokio::spawn(jobs::auto_pay::run(self.deps.clone(), interval, jobs_stopped.clone()))
        });
        // Every instance's live updates, for this one's subscribers (PostgreSQL; SQLite's stay in
        // this process).
        let relay = {
            let (deps, stopped) = (self.deps.clone(), jobs_stopped.clone());
            Some(tokio::spawn(async move { deps.updates.relay_from_postgres(&deps.db, stopped).await }))
        };
        // Latency samples leave the recorder when scraped, or here: never piling up unscraped.
        let mut upkeep_stopped = jobs_stopped.clone();
        let upkeep = Some(tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(5)) => crate::metrics::upkeep(),
                    _ = upkeep_stopped.changed() => return,
                }
            }
        }));
        let metrics = self.metrics_acceptor.map(|acceptor| {
            let routes = http::metrics::routes(self.deps.clone());
            let mut stopped = jobs_stopped;
            let stop = async move {
                let _ = stopped.changed().await;
            };
            let server = Server::new_with_acceptor(acceptor);
            tokio::spawn(async move {
                if let Err(error) =
                    server.run_with_graceful_shutdown(routes, stop, Some(SHUTDOWN_GRACE)).await
                {
                    tracing::error!(%error, "the metrics listener failed");
                }
            })
        });

        let persisted = graphql::persisted::PersistedOperations::new(
            self.manifest,
            self.settings.persisted_operations_only,
        );
        let schema = graphql::build_schema(self.deps.clone(), self.settings.is_production(), persisted);
        // Once shutdown starts, open subscriptions are told to go elsewhere (their clients reconnect
        // to another instance) instead of holding the server for its whole grace period.
        let (closing, closing_seen) = watch::channel(false);
        let shutdown = async move {
            shutdown.await;
            let _ = closing.send(true);
        };
        let routes = http::routes(self.deps.clone(), self.settings.clone(), schema, closing_seen);
        tracing::info!(address = %self.address, "serving; GraphQL at /graphql");
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(routes, shutdown, Some(SHUTDOWN_GRACE))
            .await;

        let _ = stop_jobs.send(true);
        let _ = outbox.await;
        for job in [reconciliation, janitor, auto_pay, metrics, upkeep, relay].into_iter().flatten() {
            let _ = job.await;
        }
        tracing::info!("stopped");
        Ok(served?)
    }
}

/// The services' dependencies, without the HTTP server: for CLI commands.
/// Applies pending migrations first: the deployment's installation id is read from the database.
pub async fn connect(settings: &Settings, clock: Clock) -> anyhow::Result<Deps> {
    let db = database::connect(&settings.database_url).await?;
    database::migrate(&db).await?;
    let installation = services::installation::id(&db, clock.now()).await?;
    let gateway = payment_gateway(settings, &db, &installation)?;
    Ok(Deps {
        db,
        clock,
        outbox: Outbox::default(),
        updates: Updates::default(),
        gateway,
        settings: Arc::new(settings.service_settings(installation)),
    })
}

/// The gateway `PAYMENT_GATEWAY` names, behind this instance's limits (`gateway::throttled`). The
/// mock keeps what it makes in its own tables of `db`, as Stripe keeps it at Stripe.
fn payment_gateway(
    settings: &Settings,
    db: &DatabaseConnection,
    installation: &str,
) -> anyhow::Result<Arc<dyn PaymentGateway>> {
    let payments = &settings.payments;
    let (gateway, live): (Arc<dyn PaymentGateway>, bool) = match settings.payment_gateway {
        PaymentGatewayKind::Mock => {
            let mut mock = MockGateway::new(
                db.clone(),
                Duration::from_millis(payments.mock_latency_ms),
                settings.mock_webhook_secret.clone(),
            );
            if let Some(limit) = payments.mock_rate_limit.and_then(NonZeroU32::new) {
                mock = mock.with_rate_limit(limit);
            }
            (Arc::new(mock), false)
        }
        PaymentGatewayKind::Stripe => {
            let secret_key = settings.stripe_secret_key.clone().context("STRIPE_SECRET_KEY is required")?;
            // Live keys are `sk_live_…` (or restricted, `rk_live_…`); test and sandbox keys are not.
            let live = secret_key.expose().contains("_live_");
            let stripe = StripeGateway::new(StripeSettings {
                secret_key,
                publishable_key: settings.stripe_publishable_key.clone(),
                webhook_secrets: settings.stripe_webhook_secrets(),
                api_base: settings.stripe_api_base.clone(),
                timeout: Duration::from_secs(payments.gateway_timeout_seconds),
                installation: installation.to_string(),
            })?;
            (Arc::new(stripe), live)
        }
    };
    let mut limits = Limits::stripe(live);
    limits.max_in_flight = payments.gateway_max_in_flight as usize;
    if let Some(rate) = payments.gateway_requests_per_second.and_then(NonZeroU32::new) {
        limits.requests_per_second = rate;
    }
    Ok(Arc::new(Throttled::new(gateway, limits)))
}

/// How queued emails leave this process.
pub fn mail_sender(settings: &Settings) -> anyhow::Result<Sender> {
    Ok(Sender {
        transport: Transport::new(settings.smtp_url.as_ref(), settings.mail_dir.clone())?,
        from: settings.mail_from.clone(),
        max_retry_delay_seconds: settings.outbox.max_retry_delay_seconds,
    })
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
