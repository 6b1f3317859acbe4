//! Typed settings: built-in defaults, then an optional TOML file, then the environment (env wins).
//!
//! A bad value stops start-up with one line naming the setting (`Settings::load` returns a
//! `ConfigError` whose `Display` is that line).

use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    time::Duration,
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

pub use crate::domain::secret::Secret;
use crate::services::{
    ServiceSettings,
    auth::{SessionPolicy, ThrottleLimits},
};

/// Environment variables of the contract, read as top-level settings.
const ENV_VARS: &[&str] = &[
    "DATABASE_URL",
    "LISTEN_ADDR",
    "METRICS_ADDR",
    "PUBLIC_URL",
    "SMTP_URL",
    "MAIL_DIR",
    "MAIL_FROM",
    "PAYMENT_GATEWAY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "MOCK_WEBHOOK_SECRET",
    "SECRET_KEY",
    "APP_ENV",
    "TRUSTED_PROXIES",
    "CORS_ALLOWED_ORIGINS",
    "PERSISTED_OPERATIONS",
    "PERSISTED_OPERATIONS_ONLY",
    "AUTOPAY_INTERVAL_SECONDS",
    "AUTOPAY_RETRY_DAYS",
];

/// Used when `SECRET_KEY` is unset outside production; start-up warns about it.
const DEVELOPMENT_SECRET_KEY: &str = "billing-portal-development-key-not-for-production-use";

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    /// Where `GET /metrics` (Prometheus) is served. Unset: on `LISTEN_ADDR` in development, nowhere
    /// in production (metrics say how the business runs: not for the public internet).
    pub metrics_addr: Option<SocketAddr>,
    /// Base of every link we send out; never taken from a request's Host header.
    pub public_url: String,
    pub smtp_url: Option<Secret>,
    pub mail_dir: PathBuf,
    pub mail_from: String,
    pub payment_gateway: PaymentGatewayKind,
    pub stripe_publishable_key: Option<String>,
    pub stripe_secret_key: Option<Secret>,
    pub stripe_webhook_secret: Option<Secret>,
    pub stripe_api_base: Option<String>,
    pub mock_webhook_secret: Secret,
    pub secret_key: Option<Secret>,
    pub app_env: AppEnv,
    /// Load balancers whose `X-Forwarded-For` names the real client (for throttling). Empty: the
    /// header is ignored, since anyone can send it. In the environment: `["10.0.0.2", "10.0.0.3"]`.
    pub trusted_proxies: Vec<IpAddr>,
    /// Web origins (`https://portal.example.com`) whose pages may call the API from a browser:
    /// `a,b` in the environment, a list in the file. Unset: none in production; any port of
    /// `http://localhost` and `http://127.0.0.1` in development (a frontend's dev server). The
    /// origin of `PUBLIC_URL` is always allowed.
    #[serde(default, deserialize_with = "origins")]
    pub cors_allowed_origins: Option<Vec<String>>,
    /// The frontend's operations as a persisted-query manifest (Apollo's, or GraphQL Code
    /// Generator's `{hash: text}`), runnable by their SHA-256.
    pub persisted_operations: Option<PathBuf>,
    /// Run only the manifest's operations (recommended in production).
    pub persisted_operations_only: bool,
    /// How often each instance runs an Auto Pay pass; 0 turns the job off (`run-autopay` from cron).
    pub autopay_interval_seconds: u64,
    /// Days after the due date on which a declined Auto Pay charge is tried again: `3,5,7` in the
    /// environment, `[3, 5, 7]` (or `"3,5,7"`) in the file.
    #[serde(deserialize_with = "retry_days")]
    pub autopay_retry_days: Vec<u32>,
    pub sessions: SessionSettings,
    pub login_throttle: ThrottleLimits,
    pub outbox: OutboxSettings,
    pub payments: PaymentSettings,
    pub housekeeping: HousekeepingSettings,
    pub subscriptions: SubscriptionSettings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentGatewayKind {
    Mock,
    Stripe,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    /// A session unused for this long ends.
    pub idle_timeout_minutes: u32,
    /// A session ends this long after login, however busy.
    pub absolute_timeout_hours: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSettings {
    /// WebSocket connections one instance holds at most; one more is refused (503).
    pub max_connections: u32,
    /// Subscriptions one connection holds at once (a portal page needs two or three).
    pub max_per_connection: u32,
    /// How often a connection checks that its session still lives; it closes once it does not.
    pub session_check_seconds: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxSettings {
    /// How often the sender looks for due emails when nothing wakes it.
    pub poll_interval_ms: u64,
    /// Delivery retries back off exponentially up to this.
    pub max_retry_delay_seconds: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentSettings {
    /// How often each instance asks the gateway about payments whose outcome it does not know (and
    /// cancels 3-D Secure left waiting); 0 turns the in-process job off (`reconcile` from cron).
    pub reconcile_interval_seconds: u64,
    /// Every mock gateway call waits this long, like a real one (tests of concurrency use it).
    pub mock_latency_ms: u64,
    /// A gateway call that takes longer has an unknown outcome.
    pub gateway_timeout_seconds: u64,
    /// Gateway calls one instance has in flight at most (an Auto Pay pass charges this many
    /// accounts at once).
    pub gateway_max_in_flight: u32,
    /// Gateway requests one instance starts a second at most. Unset: Stripe's limit for the
    /// key's mode (100 live, 25 test; the mock counts as test mode). Instances sharing a Stripe
    /// account share its limit: divide it among them.
    pub gateway_requests_per_second: Option<u32>,
    /// The mock gateway turns requests past this many a second away (a 429, as Stripe does), in
    /// each process; unset: never.
    pub mock_rate_limit: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousekeepingSettings {
    /// How often each instance deletes rows past their usefulness (expired sessions, reset links,
    /// throttle counters, old webhook event ids); 0 turns the in-process job off.
    pub interval_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://billing-portal.db?mode=rwc".into(),
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 8000)),
            metrics_addr: None,
            public_url: "http://localhost:8000".into(),
            smtp_url: None,
            mail_dir: PathBuf::from("./mail"),
            mail_from: "Billing Portal <billing@localhost>".into(),
            payment_gateway: PaymentGatewayKind::Mock,
            stripe_publishable_key: None,
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: None,
            mock_webhook_secret: Secret("whsec_mock".into()),
            secret_key: None,
            app_env: AppEnv::Development,
            trusted_proxies: Vec::new(),
            cors_allowed_origins: None,
            persisted_operations: None,
            persisted_operations_only: false,
            autopay_interval_seconds: 3600,
            autopay_retry_days: vec![3, 5, 7],
            sessions: SessionSettings { idle_timeout_minutes: 30, absolute_timeout_hours: 12 },
            login_throttle: ThrottleLimits::default(),
            outbox: OutboxSettings { poll_interval_ms: 2_000, max_retry_delay_seconds: 300 },
            payments: PaymentSettings {
                reconcile_interval_seconds: 60,
                mock_latency_ms: 0,
                gateway_timeout_seconds: 30,
                gateway_max_in_flight: 16,
                gateway_requests_per_second: None,
                mock_rate_limit: None,
            },
            housekeeping: HousekeepingSettings { interval_seconds: 600 },
            subscriptions: SubscriptionSettings {
                max_connections: 1_000,
                max_per_connection: 20,
                session_check_seconds: 30,
            },
        }
    }
}

/// Retry days as the environment writes them (`3,5,7`, which arrives as text, or `3`, as a number)
/// or as a file's list.
fn retry_days<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Days {
        List(Vec<u32>),
        One(u32),
        Text(String),
    }
    match Days::deserialize(deserializer)? {
        Days::List(days) => Ok(days),
        Days::One(day) => Ok(vec![day]),
        Days::Text(text) => text
            .split(',')
            .map(str::trim)
            .filter(|day| !day.is_empty())
            .map(|day| {
                day.parse::<u32>()
                    .map_err(|_| serde::de::Error::custom(format!("{day:?} is not a number of days")))
            })
            .collect(),
    }
}

/// Origins as the environment writes them (`https://a.example,https://b.example`) or as a file's
/// list.
fn origins<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Origins {
        List(Vec<String>),
        Text(String),
    }
    let listed = match Option::<Origins>::deserialize(deserializer)? {
        None => return Ok(None),
        Some(Origins::List(origins)) => origins,
        Some(Origins::Text(text)) => text.split(',').map(str::to_string).collect(),
    };
    Ok(Some(listed.into_iter().map(|origin| origin.trim().to_string()).filter(|o| !o.is_empty()).collect()))
}

/// One line naming the setting that is wrong and why.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {setting}: {problem}")]
pub struct ConfigError {
    pub setting: String,
    pub problem: String,
}

impl ConfigError {
    fn new(setting: &str, problem: impl Into<String>) -> Self {
        Self { setting: setting.into(), problem: problem.into() }
    }

    /// Names the setting at fault: an environment variable by its name, a file's table entry by its
    /// dotted path, and a file that does not parse by the file. The problem is kept to one line
    /// (a TOML parse error comes with a multi-line excerpt of the file).
    fn from_figment(error: &figment::Error) -> Self {
        let source = || {
            error
                .metadata
                .as_ref()
                .and_then(|metadata| metadata.source.as_ref())
                .map_or_else(|| "configuration".to_string(), |source| source.to_string())
        };
        let env_var = |key: &str| Some(key.to_uppercase()).filter(|name| ENV_VARS.contains(&name.as_str()));
        let setting = match error.path.as_slice() {
            [] => source(),
            [top, ..] if env_var(top).is_some() => env_var(top).unwrap_or_default(),
            path => path.join("."),
        };
        let problem = error.kind.to_string();
        let lines: Vec<&str> = problem
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('|'))
            .collect();
        let first = lines.first().copied().unwrap_or("invalid");
        // TOML's message is "TOML parse error at line L, column C", an excerpt of the file (lines
        // starting with a line number or `|`), then what was wrong.
        let detail = lines.iter().skip(1).rfind(|line| !line.starts_with(|c: char| c.is_ascii_digit()));
        let problem = match detail {
            Some(detail) if first.starts_with("TOML parse error") => format!("{first}: {detail}"),
            _ => first.to_string(),
        };
        Self::new(&setting, problem)
    }
}

impl Settings {
    /// Defaults, then `config_file` if it exists, then the environment.
    pub fn load(config_file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config_file {
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::raw().only(ENV_VARS));
        let settings: Settings = figment.extract().map_err(|error| ConfigError::from_figment(&error))?;
        settings.validated()
    }

    fn validated(mut self) -> Result<Self, ConfigError> {
        let url = self.database_url.as_str();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://"))
        {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "expected sqlite:PATH or postgres://USER@HOST/DATABASE",
            ));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::new("PUBLIC_URL", "expected an http:// or https:// URL"));
        }
        self.public_url = self.public_url.trim_end_matches('/').to_string();
        if let Some(smtp) = &self.smtp_url
            && !(smtp.0.starts_with("smtp://") || smtp.0.starts_with("smtps://"))
        {
            return Err(ConfigError::new("SMTP_URL", "expected smtp://HOST:PORT or smtps://HOST:PORT"));
        }
        if self.payment_gateway == PaymentGatewayKind::Stripe {
            for (name, value) in [
                ("STRIPE_SECRET_KEY", &self.stripe_secret_key),
                ("STRIPE_WEBHOOK_SECRET", &self.stripe_webhook_secret),
            ] {
                if value.is_none() {
                    return Err(ConfigError::new(name, "required when PAYMENT_GATEWAY is stripe"));
                }
            }
        }
        if self.is_production() {
            if self.payment_gateway == PaymentGatewayKind::Mock {
                return Err(ConfigError::new(
                    "PAYMENT_GATEWAY",
                    "the mock gateway is refused when APP_ENV is production",
                ));
            }
            match &self.secret_key {
                Some(key) if key.0.len() >= 32 => {}
                _ => {
                    return Err(ConfigError::new("SECRET_KEY", "required in production, at least 32 bytes"));
                }
            }
        }
        self.check_retry_days()?;
        for origin in self.cors_allowed_origins.iter().flatten() {
            if crate::domain::origin::parse(origin).is_none() {
                return Err(ConfigError::new(
                    "CORS_ALLOWED_ORIGINS",
                    format!(
                        "{origin:?} is not an origin: expected scheme://host[:port], e.g. https://portal.example.com"
                    ),
                ));
            }
        }
        for (name, value) in [
            ("sessions.idle_timeout_minutes", self.sessions.idle_timeout_minutes),
            ("sessions.absolute_timeout_hours", self.sessions.absolute_timeout_hours),
        ] {
            if value == 0 {
                return Err(ConfigError::new(name, "must be at least 1"));
            }
        }
        for (name, value) in [
            ("subscriptions.max_connections", u64::from(self.subscriptions.max_connections)),
            ("subscriptions.max_per_connection", u64::from(self.subscriptions.max_per_connection)),
            ("subscriptions.session_check_seconds", self.subscriptions.session_check_seconds),
        ] {
            if value == 0 {
                return Err(ConfigError::new(name, "must be at least 1"));
            }
        }
        for (name, value) in [
            ("payments.gateway_max_in_flight", Some(self.payments.gateway_max_in_flight)),
            ("payments.gateway_requests_per_second", self.payments.gateway_requests_per_second),
            ("payments.mock_rate_limit", self.payments.mock_rate_limit),
        ] {
            if value == Some(0) {
                return Err(ConfigError::new(name, "must be at least 1"));
            }
        }
        if self.login_throttle.max_block_seconds == 0 {
            return Err(ConfigError::new("login_throttle.max_block_seconds", "must be at least 1"));
        }
        Ok(self)
    }

    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }

    /// `AUTOPAY_RETRY_DAYS`: increasing days after the due date, each 1 to 60.
    fn check_retry_days(&self) -> Result<(), ConfigError> {
        let days = &self.autopay_retry_days;
        if days.iter().any(|day| !(1..=60).contains(day)) || days.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(ConfigError::new(
                "AUTOPAY_RETRY_DAYS",
                "expected increasing days from 1 to 60, e.g. 3,5,7",
            ));
        }
        Ok(())
    }

    /// What the services need of the settings, and of the deployment (its `installation_id`).
    pub fn service_settings(&self, installation_id: String) -> ServiceSettings {
        ServiceSettings {
            installation_id,
            public_url: self.public_url.clone(),
            // A fixed development key when none is configured (production refuses to start).
            signing_key: self.secret_key.clone().unwrap_or_else(|| Secret(DEVELOPMENT_SECRET_KEY.into())),
            sessions: SessionPolicy {
                idle_timeout: chrono::Duration::minutes(self.sessions.idle_timeout_minutes.into()),
                absolute_timeout: chrono::Duration::hours(self.sessions.absolute_timeout_hours.into()),
            },
            login_throttle: self.login_throttle.clone(),
            auto_pay_retry_days: self.autopay_retry_days.clone(),
            auto_pay_concurrency: self.payments.gateway_max_in_flight as usize,
        }
    }

    /// `STRIPE_WEBHOOK_SECRET` may hold several secrets, comma-separated, while one is rotated.
    pub fn stripe_webhook_secrets(&self) -> Vec<Secret> {
        let Some(secrets) = &self.stripe_webhook_secret else { return Vec::new() };
        secrets
            .expose()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Secret(s.into()))
            .collect()
    }

    pub fn outbox_poll_interval(&self) -> Duration {
        Duration::from_millis(self.outbox.poll_interval_ms)
    }
}
