//! Business operations over the database. Services know nothing of GraphQL or HTTP: they take the
//! `Deps` they work with, a `Caller` (who asks, from the session alone) and plain values, and
//! answer with domain results or a `ServiceError`. Resolvers, HTTP handlers, jobs, the CLI and
//! tests all call them the same way.

pub mod accounts;
pub mod activity;
pub mod auth;
pub mod auto_pay;
pub mod billing;
pub mod call_records;
mod caller;
mod context;
pub mod downloads;
mod error;
pub mod housekeeping;
pub mod installation;
pub mod notifications;
pub mod overview;
pub mod pagination;
pub mod partner;
pub mod payments;
pub mod webhooks;

pub use caller::Caller;
pub use context::{Deps, ServiceSettings};
pub use error::{Field, ServiceError, ServiceResult, UserError, UserErrorCode};
