//! The carrier's billing engine feeds the portal (the Partner API): accounts, invoices, credits and
//! first users. Every `PUT` is idempotent: the same request again changes nothing, and another one
//! for an object that exists is a conflict. Posting goes through the same services as the rest
//! (the ledger under the account's lock, billing notifications, the activity with no actor), so
//! Auto Pay charges what it posts on its due date.

pub mod accounts;
pub mod keys;
pub mod postings;

use crate::i18n::Text;
use crate::services::{Field, UserError, UserErrorCode};

/// What a `PUT` did.
#[derive(Debug)]
pub enum Put<T> {
    Created(T),
    /// The same request again, or an update that changed nothing.
    Unchanged(T),
    Updated(T),
}

/// A problem with one field of a request: a `UserError` like every other refusal, answered
/// together as `ServiceError::Refused` (nothing changed); a request that contradicts what exists
/// is `ServiceError::Conflict`.
fn problem(field: Field, message: impl Into<String>) -> UserError {
    UserError::new(field, UserErrorCode::InvalidValue, Text::verbatim(message))
}

/// An identifier the billing engine chooses (an account or invoice number, a credit id): 1 to 32
/// letters, digits, `.`, `_` or `-`, so that it fits its column and is safe in a URL and in a
/// download's file name.
fn identifier(value: &str, field: Field, problems: &mut Vec<UserError>) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if value.is_empty() || value.len() > 32 || !value.chars().all(allowed) {
        problems.push(problem(field, "Must be 1 to 32 letters, digits, '.', '_' or '-'."));
    }
}

/// Free text of 1 to `max` characters, no control characters.
fn text(value: &str, field: Field, max: usize, problems: &mut Vec<UserError>) {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        problems.push(problem(field, format!("Must be 1 to {max} characters, with no control characters.")));
    }
}
