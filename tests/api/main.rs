//! Black-box tests: each spawns the app on a fresh database and talks to it over HTTP.

mod activity;
mod auto_pay;
mod auto_pay_races;
mod call_history;
mod cli;
mod dashboard;
mod downloads;
mod hardening;
mod helpers;
mod import;
mod invitations;
mod layers;
mod login;
mod logs;
mod mail;
mod operations;
mod password_reset;
mod payments;
mod profile;
mod schema;
mod sessions;
mod stripe;
mod team;
mod throttling;
mod webhooks;
