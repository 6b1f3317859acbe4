//! billing-portal: the backend of a telecom carrier's customer Billing Portal.
//!
//! Layers, from the outside in: `http` (routes) → `graphql` (API types, thin resolvers) →
//! `services` (business operations, scoped to the caller) → `entity` (tables). `domain` holds
//! pure rules, `mail` and `jobs` the work done outside requests.

pub mod app;
pub mod cli;
pub mod config;
pub mod database;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod pdf;
pub mod services;
pub mod state;
pub mod telemetry;
