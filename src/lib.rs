//! billing-portal: the backend of a telecom carrier's customer Billing Portal.
//!
//! Layers, from the outside in: `http` (routes) → `graphql` (API types, thin resolvers) →
//! `services` (business operations, scoped to the caller, called with their `Deps`) → `entity`
//! (tables). `domain` holds pure rules; `mail` queues and sends email; `jobs` is the work done
//! outside requests; `demo` loads the demo data through the services. `tests/api/layers.rs` keeps
//! the layers from reaching into each other.

pub mod app;
pub mod bounds;
pub mod cli;
pub mod clock;
pub mod config;
pub mod database;
pub mod demo;
pub mod domain;
pub mod gateway;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod pdf;
pub mod services;
pub mod telemetry;
pub mod updates;
