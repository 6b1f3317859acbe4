//! The `billing-portal` command line.

use std::path::PathBuf;

use chrono::Datelike;
use clap::{Parser, Subcommand, ValueEnum};

use crate::{
    app::{self, Application},
    clock::Clock,
    config::Settings,
    demo, graphql,
    mail::outbox,
    services::{
        ServiceError,
        accounts::users::{self, Invitation},
        auto_pay::pass,
        call_records::{self, ImportOutcome, partitions::Pruned},
        partner,
        payments::reconcile,
    },
    telemetry,
};

#[derive(Parser)]
#[command(
    name = "billing-portal",
    version,
    about = "The backend of a telecom carrier's customer Billing Portal"
)]
pub struct Cli {
    /// A TOML file of settings; environment variables override it.
    #[arg(long, global = true, default_value = "billing-portal.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate, load the demo data if the database is empty, and serve.
    Demo,
    /// Serve (applies pending migrations first).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the demo data; running it twice changes nothing.
    SeedDemo,
    /// Create a user and send them the invitation email.
    Invite {
        /// The account number, e.g. 1001.
        #[arg(long)]
        account: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Bulk-load rated call records from a CSV file: all of it, or nothing.
    ImportCdrs {
        /// The account number, e.g. 1001.
        #[arg(long)]
        account: String,
        /// The contract's call records CSV, with its header.
        file: PathBuf,
    },
    /// Drop the call records that started before DATE (the first of a month): on PostgreSQL whole
    /// months at a time, beside running servers. Refused while an invoice issued on or after DATE
    /// still shows some of them.
    PruneCallRecords {
        /// The first day kept, YYYY-MM-01.
        #[arg(long)]
        before: chrono::NaiveDate,
    },
    /// Ask the gateway about every payment whose outcome is unknown, settle what it knows, and exit.
    Reconcile,
    /// Run one Auto Pay pass and exit (the server also runs one every AUTOPAY_INTERVAL_SECONDS).
    RunAutopay {
        /// The day to run as, YYYY-MM-DD; each account's own today when left out.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` must equal it.
    ExportSchema,
    /// Print the Partner API's OpenAPI document; `partner-openapi.json` must equal it.
    ExportPartnerOpenapi,
    /// Make a key for the carrier's billing engine (the Partner API); it is printed once, here.
    CreatePartnerKey {
        /// A name to tell the key by, and to revoke it with, e.g. "billing-engine-2026".
        #[arg(long)]
        name: String,
    },
    /// End a Partner API key at once.
    RevokePartnerKey {
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    OfficeManager,
    Member,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::ExportSchema => {
            print!("{}", graphql::sdl());
            return Ok(());
        }
        Command::ExportPartnerOpenapi => {
            print!("{}", crate::http::partner::document());
            return Ok(());
        }
        _ => {}
    }
    let settings = Settings::load(Some(&cli.config))?;
    telemetry::init(settings.app_env);
    if settings.secret_key.is_none() {
        tracing::warn!(
            "SECRET_KEY is not set: using the fixed development key (never do this in production)"
        );
    }
    match cli.command {
        Command::ExportSchema | Command::ExportPartnerOpenapi => unreachable!("handled above"),
        Command::CreatePartnerKey { name } => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let Some(made) = partner::keys::create(&deps, &name).await? else {
                anyhow::bail!("there is a key named {name:?} already: choose another name");
            };
            // Standard output only, never the log: the one time the key is seen.
            println!("{}", made.secret);
            eprintln!(
                "Partner API key {:?} ({}…) created. Keep it in the billing engine's secret store: it is not \
                 shown again.",
                made.key.name, made.key.prefix
            );
            Ok(())
        }
        Command::RevokePartnerKey { name } => {
            let deps = app::connect(&settings, Clock::system()).await?;
            if !partner::keys::revoke(&deps, &name).await? {
                anyhow::bail!("there is no live key named {name:?}");
            }
            println!("Partner API key {name:?} revoked: requests with it are refused from now on.");
            Ok(())
        }
        Command::Serve => serve(settings, false).await,
        Command::Demo => serve(settings, true).await,
        Command::Migrate => {
            // Connecting applies what is pending.
            app::connect(&settings, Clock::system()).await?.db.close().await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::SeedDemo => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let report = demo::seed(&deps).await?;
            println!(
                "Demo data loaded: {} accounts and {} users added (existing ones left as they were).",
                report.accounts_added, report.users_added
            );
            Ok(())
        }
        Command::Reconcile => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let report = reconcile::run(&deps, reconcile::Scope::Every).await?;
            // Receipts queued by settled payments leave now, or with the server's sender.
            outbox::deliver_due(&deps.db, &deps.clock, &app::mail_sender(&settings)?).await?;
            println!("Reconciled: {} payments settled, {} still pending.", report.settled, report.pending);
            deps.db.close().await?;
            Ok(())
        }
        Command::RunAutopay { as_of } => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let report = pass::run(&deps, as_of).await?;
            outbox::deliver_due(&deps.db, &deps.clock, &app::mail_sender(&settings)?).await?;
            println!(
                "Auto Pay: {} charges attempted, {} succeeded, {} card notices sent, {} accounts left to another \
                 pass at work on them.",
                report.attempts, report.succeeded, report.notices, report.busy
            );
            deps.db.close().await?;
            // Cron should hear of it: the log names each account and what went wrong.
            if report.failed > 0 {
                anyhow::bail!("Auto Pay failed for {} accounts (see the log)", report.failed);
            }
            Ok(())
        }
        Command::ImportCdrs { account, file } => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let input = std::fs::File::open(&file)
                .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
            // A plain blocking reader: this command does nothing else meanwhile.
            let input = std::io::BufReader::with_capacity(1 << 20, input);
            let mut progress = ImportProgress::start();
            let outcome = call_records::import(&deps, &account, input, &mut |rows| progress.read(rows)).await;
            progress.finish();
            match outcome {
                Ok(ImportOutcome::Imported(rows)) => {
                    let seconds = progress.started.elapsed().as_secs_f64();
                    println!(
                        "Imported {rows} call records into account {account} in {seconds:.1} s ({:.0} rows/s).",
                        rows as f64 / seconds.max(0.001)
                    );
                    Ok(())
                }
                Ok(ImportOutcome::Refused(error)) => {
                    anyhow::bail!("{}: {error}; nothing was imported", file.display())
                }
                Err(ServiceError::NotFound) => anyhow::bail!("there is no account {account}"),
                Err(error) => Err(error.into()),
            }
        }
        Command::PruneCallRecords { before } => {
            if before.day() != 1 {
                anyhow::bail!(
                    "--before must be the first of a month (call records are kept by month), not {before}"
                );
            }
            let deps = app::connect(&settings, Clock::system()).await?;
            match call_records::partitions::prune(&deps, before).await? {
                Pruned::Dropped { months, rows } if months.is_empty() => {
                    println!("Deleted {rows} call records that started before {before}.")
                }
                Pruned::Dropped { months, rows } => {
                    println!(
                        "Dropped {rows} call records that started before {before}: {}.",
                        months.join(", ")
                    )
                }
                Pruned::Refused { invoice_number, month } => anyhow::bail!(
                    "invoice {invoice_number}, issued on or after {before}, still shows calls from {month}; \
                     nothing was dropped (choose an earlier date)"
                ),
            }
            Ok(())
        }
        Command::Invite { account, email, name, role } => {
            let deps = app::connect(&settings, Clock::system()).await?;
            let role = match role {
                RoleArg::OfficeManager => entity::user::Role::OfficeManager,
                RoleArg::Member => entity::user::Role::Member,
            };
            let invitation = Invitation { email, name, role, locale: None };
            let user = match users::invite_by_operator(&deps, &account, invitation).await {
                Err(ServiceError::NotFound) => anyhow::bail!("there is no account {account}"),
                Err(refused @ ServiceError::Refused(_)) => {
                    anyhow::bail!("the invitation was refused: {refused}")
                }
                other => other?,
            };
            // Deliver now if we can; otherwise the email waits in the outbox for the server.
            let delivery = outbox::deliver_due(&deps.db, &deps.clock, &app::mail_sender(&settings)?).await?;
            if delivery.failed > 0 {
                println!(
                    "Invited {} to account {}; the email could not be sent yet and will be retried by the server.",
                    user.email, account
                );
            } else {
                println!(
                    "Invited {} to account {}; the invitation email has been sent.",
                    user.email, account
                );
            }
            Ok(())
        }
    }
}

/// How `import-cdrs` shows it is alive: a spinner with rows and rows/s on a terminal; otherwise (a
/// log, a pipe) a plain line each time the import reports.
struct ImportProgress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl ImportProgress {
    fn start() -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {human_pos} rows read, {msg}, {elapsed}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        Self { bar, started: std::time::Instant::now() }
    }

    fn read(&mut self, rows: u64) {
        let rate = rows as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        match &self.bar {
            Some(bar) => {
                bar.set_position(rows);
                bar.set_message(format!("{rate:.0} rows/s"));
            }
            None => eprintln!("{rows} rows read ({rate:.0} rows/s)"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

async fn serve(settings: Settings, with_demo_data: bool) -> anyhow::Result<()> {
    let application = Application::build(settings).await?;
    if with_demo_data && demo::is_empty(application.deps()).await? {
        demo::seed(application.deps()).await?;
        tracing::info!("demo data loaded");
    }
    println!("Billing Portal API on http://{}/graphql", application.address());
    application.run_until(app::shutdown_signal()).await
}
