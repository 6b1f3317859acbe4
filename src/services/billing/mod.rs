//! What an account is billed and owes: invoices and their documents, the ledger, and where each
//! invoice stands.

pub mod documents;
pub mod invoices;
pub mod issue;
pub mod ledger;
pub mod posting;
pub mod standing;
pub mod transactions;

pub use standing::{AccountStanding, standing_of};
