//! Spawns the application on its own fresh database, on port 0, and talks to it like a client.
//!
//! The database is SQLite in a temporary folder, or, when `TEST_POSTGRES_URL` is set (an admin
//! URL such as `postgres://postgres@127.0.0.1:5432/postgres`), a new PostgreSQL database with a
//! random name, dropped afterwards. Email goes to a real SMTP server (Python's aiosmtpd) started
//! for the test, and is read back from its mailbox.

mod logs;
mod mail;
mod portal;
mod rows;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

pub use logs::captured_logs;
use logs::init_log_capture;
pub use mail::{Email, SmtpServer};

use billing_portal::{
    app::Application,
    clock::Clock,
    config::{Secret, Settings},
    demo,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub const MANAGER: (&str, &str) = ("manager@maple-dental.example", "Juniper42Canoe17Velvet");
pub const MEMBER: (&str, &str) = ("frontdesk@maple-dental.example", "Copper88Lagoon31Thistle");
pub const PRAIRIE: (&str, &str) = ("ops@prairie-freight.example", "Saffron63Glacier29Otter");
pub const HARBOUR: (&str, &str) = ("owner@harbour-cafe.example", "Walnut74Comet18Prism");
pub const PUBLIC_URL: &str = "http://portal.test";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub smtp: Option<SmtpServer>,
    pub mail_dir: PathBuf,
    pub database_url: String,
    /// What the server's services are called with: for calling a service in-process, as a job or
    /// a command does, beside the server.
    pub deps: billing_portal::services::Deps,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    // Dropped last: removes the database and the temporary files.
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

pub struct Options {
    pub demo_data: bool,
    pub smtp: bool,
    pub tweak: Box<dyn FnOnce(&mut Settings)>,
    /// E.g. `Clock::manual(Utc::now())`, which the test then moves with `app.clock`.
    pub clock: Clock,
    /// Another app's database (`app.database_url`): a second instance beside it.
    pub database_of: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            demo_data: true,
            smtp: true,
            tweak: Box::new(|_| {}),
            clock: Clock::system(),
            database_of: None,
        }
    }
}

/// Room for parallel attempts at one login: for tests where single use is the database's to prove,
/// not the throttle's (which has tests of its own).
pub fn roomy_throttle(settings: &mut Settings) {
    settings.login_throttle.free_attempts_per_login_and_address = 100;
    settings.login_throttle.free_attempts_per_address = 100;
    settings.login_throttle.free_attempts_per_login = 100;
}

impl TestApp {
    /// The app with the demo accounts and users, mailing through a real SMTP server.
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        init_log_capture();
        let dir = tempfile::tempdir().expect("temp dir");
        let database = match options.database_of {
            Some(url) => TestDatabase { url, postgres: None },
            None => TestDatabase::create(dir.path()).await,
        };
        let smtp = options.smtp.then(|| SmtpServer::start(&dir.path().join("smtp")));
        let mut settings = test_settings(&database.url, dir.path(), smtp.as_ref());
        (options.tweak)(&mut settings);

        let application =
            Application::build_with_clock(settings, options.clock).await.expect("the app builds");
        if options.demo_data {
            demo::seed(application.deps()).await.expect("demo data loads");
        }
        let address = format!("http://{}", application.address());
        let db = application.deps().db.clone();
        let deps = application.deps().clone();
        let (shutdown, stopped) = oneshot::channel();
        let server = tokio::spawn(application.run_until(async {
            let _ = stopped.await;
        }));
        Self {
            address,
            client: reqwest::Client::new(),
            db,
            smtp,
            mail_dir: dir.path().join("mail"),
            database_url: database.url.clone(),
            deps,
            shutdown: Some(shutdown),
            server: Some(server),
            _database: database,
            _dir: dir,
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server stops cleanly");
        }
    }

    /// POSTs a GraphQL request and returns the JSON answer.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        assert_eq!(response.status(), 200, "GraphQL answers 200");
        response.json().await.expect("JSON answer")
    }

    /// Logs in and returns the session token; panics when the login is refused.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let answer = self.try_login(email, password).await;
        answer["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {email} refused: {answer}"))
            .to_string()
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Value {
        self.graphql(
            "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password }) {
                token viewer { id email mustChangePassword } userErrors { field message code } } }",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Runs raw SQL against the app's database (for backdating rows in expiry tests).
    pub async fn execute_sql(&self, sql: &str) {
        self.db.execute_unprepared(sql).await.expect("SQL runs");
    }

    /// The emails the SMTP server has received for `to`, waiting up to 10 s for at least `count`.
    pub async fn emails_to(&self, to: &str, count: usize) -> Vec<Email> {
        let smtp = self.smtp.as_ref().expect("this app has an SMTP server");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = smtp.emails_to(to);
            if found.len() >= count || Instant::now() > deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The only email to `to`, waiting for it.
    pub async fn email_to(&self, to: &str) -> Email {
        let mut found = self.emails_to(to, 1).await;
        assert_eq!(found.len(), 1, "exactly one email to {to}");
        found.remove(0)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

fn test_settings(database_url: &str, dir: &Path, smtp: Option<&SmtpServer>) -> Settings {
    let mut settings = Settings {
        database_url: database_url.into(),
        listen_addr: "127.0.0.1:0".parse().expect("address"),
        public_url: PUBLIC_URL.into(),
        mail_dir: dir.join("mail"),
        smtp_url: smtp.map(|s| Secret(format!("smtp://127.0.0.1:{}", s.port))),
        ..Settings::default()
    };
    // Auto Pay passes run when a test says so (`run-autopay`, or a test of the server's own pass
    // that sets an interval): a pass of the server's own at start-up would hold accounts the test's
    // passes then skip as busy.
    settings.autopay_interval_seconds = 0;
    // Retries within the test's patience.
    settings.outbox.poll_interval_ms = 100;
    settings.outbox.max_retry_delay_seconds = 1;
    settings
}

/// A database of the test's own.
struct TestDatabase {
    url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    async fn create(dir: &Path) -> Self {
        match std::env::var("TEST_POSTGRES_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("bp_test_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(&admin_url).await.expect("PostgreSQL reachable");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
                admin.close().await.ok();
                let (base, _) = admin_url.rsplit_once('/').expect("the URL names a database");
                Self { url: format!("{base}/{name}"), postgres: Some((admin_url, name)) }
            }
            _ => Self { url: format!("sqlite://{}?mode=rwc", dir.join("test.db").display()), postgres: None },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else { return };
        // Drop runs outside async: use a runtime of its own, on a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            });
        })
        .join();
    }
}

/// The single text value a query returns.
pub async fn query_string(app: &TestApp, sql: &str) -> String {
    use sea_orm::{Statement, TryGetable};
    let backend = app.db.get_database_backend();
    let row =
        app.db.query_one_raw(Statement::from_string(backend, sql)).await.expect("query runs").expect("a row");
    String::try_get_by_index(&row, 0).expect("a text column")
}

/// The single integer a query returns (cast to 64 bits, which both databases then agree on).
pub async fn query_i64(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{Statement, TryGetable};
    let backend = app.db.get_database_backend();
    let sql = format!("SELECT CAST(({sql}) AS BIGINT)");
    let row =
        app.db.query_one_raw(Statement::from_string(backend, sql)).await.expect("query runs").expect("a row");
    i64::try_get_by_index(&row, 0).expect("an integer column")
}

/// The string `field` of every object in a JSON array.
pub fn pluck<'a>(array: &'a Value, field: &str) -> Vec<&'a str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("an array: {array}"))
        .iter()
        .map(|item| item[field].as_str().unwrap_or_else(|| panic!("{field} in {item}")))
        .collect()
}

/// A `Money` object's amount in cents, parsed exactly from its decimal string.
pub fn cents(money: &Value) -> i64 {
    let amount = money["amount"].as_str().unwrap_or_else(|| panic!("a Money: {money}"));
    let (units, fraction) = amount.split_once('.').unwrap_or_else(|| panic!("two decimals: {amount}"));
    assert_eq!(fraction.len(), 2, "two decimals: {amount}");
    let magnitude =
        units.trim_start_matches('-').parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap();
    if amount.starts_with('-') { -magnitude } else { magnitude }
}

impl TestApp {
    /// Runs a GraphQL request and returns its answer and how many SQL statements it cost (from
    /// the request's own log line).
    pub async fn graphql_counting(&self, query: &str, variables: Value, token: &str) -> (Value, u64) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent");
        let request_id = response.headers()["x-request-id"].to_str().expect("a request id").to_string();
        let answer: Value = response.json().await.expect("JSON answer");
        let line = captured_logs()
            .lines()
            .find(|line| line.contains(&request_id) && line.contains("request finished"))
            .map(str::to_string)
            .expect("the request's log line");
        let statements = line
            .split("db_statements=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|count| count.parse().ok())
            .expect("a statement count");
        (answer, statements)
    }
}
