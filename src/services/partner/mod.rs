//! The carrier's billing engine feeds the portal (the Partner API): accounts, invoices, credits and
//! first users. Every `PUT` is idempotent: the same request again changes nothing, and another one
//! for an object that exists is a conflict. Posting goes through the same services as the rest
//! (the ledger under the account's lock, billing notifications, the activity with no actor), so
//! Auto Pay charges what it posts on its due date.

pub mod accounts;
pub mod keys;
pub mod postings;

/// What a `PUT` did.
#[derive(Debug)]
pub enum Put<T> {
    Created(T),
    /// The same request again, or an update that changed nothing.
    Unchanged(T),
    Updated(T),
}

/// Why a request was refused, beyond the account being unknown (`ServiceError::NotFound`).
#[derive(Debug)]
pub enum Refusal {
    /// Each problem with the request; nothing was changed.
    Invalid(Vec<Problem>),
    /// The object exists and differs from the request; nothing was changed.
    Conflict(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Problem {
    fn new(field: Field, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

/// The part of a request at fault, in the Partner API's terms (which the HTTP layer names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A field the portal's own operations share (the address, the time zone, an email, a role…).
    Common(crate::services::Field),
    AccountNumber,
    InvoiceNumber,
    CreditId,
    Currency,
    PeriodStart,
    PeriodEnd,
    IssuedOn,
    DueOn,
    Lines,
    LineDescription(usize),
    LineAmount(usize),
    TaxName(usize),
    TaxAmount(usize),
    Total,
    Amount,
    Description,
    PostedOn,
}

pub type Answer<T> = Result<Put<T>, Refusal>;

/// A request's fingerprint: SHA-256 of its normalised values, in a fixed order (JSON arrays, so no
/// value can run into the next).
fn digest(values: &serde_json::Value) -> String {
    crate::services::auth::tokens::hash(&values.to_string())
}

/// An identifier the billing engine chooses (an account or invoice number, a credit id): 1 to 32
/// letters, digits, `.`, `_` or `-`, so that it fits its column and is safe in a URL and in a
/// download's file name.
fn identifier(value: &str, field: Field, problems: &mut Vec<Problem>) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if value.is_empty() || value.len() > 32 || !value.chars().all(allowed) {
        problems.push(Problem::new(field, "Must be 1 to 32 letters, digits, '.', '_' or '-'."));
    }
}

/// Free text of 1 to `max` characters, no control characters.
fn text(value: &str, field: Field, max: usize, problems: &mut Vec<Problem>) {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        problems
            .push(Problem::new(field, format!("Must be 1 to {max} characters, with no control characters.")));
    }
}
