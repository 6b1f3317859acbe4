//! Business operations over the database. Services know nothing of GraphQL or HTTP: they take a
//! `Caller` (who asks, from the session alone) and plain values, and answer with domain results.

pub mod accounts;
pub mod auth;
pub mod billing;
pub mod call_history;
pub mod call_records;
pub mod caller;
pub mod demo;
pub mod downloads;
pub mod error;
pub mod invoice_documents;
pub mod invoices;
pub mod invoicing;
pub mod ledger;
pub mod pagination;
pub mod passwords;
pub mod payments;
pub mod profile;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod transactions;
pub mod users;

pub use caller::Caller;
pub use error::{Invalid, ServiceError, ServiceResult, UserError, UserErrorCode};
