//! Black-box tests: each spawns the app on a fresh database and talks to it over HTTP.

mod cli;
mod dashboard;
mod hardening;
mod helpers;
mod invitations;
mod login;
mod logs;
mod mail;
mod operations;
mod password_reset;
mod schema;
mod sessions;
mod throttling;
