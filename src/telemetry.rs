//! Logging: human-readable lines in development, JSON in production. `RUST_LOG` overrides the
//! default levels. Nothing secret is ever a field: tokens, passwords and links stay out of spans.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt};

use crate::config::AppEnv;

const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,lettre=warn";

pub fn init(app_env: AppEnv) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder =
        fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());
    match app_env {
        AppEnv::Production => builder.json().flatten_event(true).with_current_span(true).init(),
        AppEnv::Development => builder.init(),
    }
}

/// An error and its causes on one line, for a log field: "the database failed: connection reset".
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}
