//! What a customer reads, in their language: English (Canada) or French (Canada).
//!
//! Every sentence is in the Fluent catalogues under `locales/` (`catalogue`), compiled into the
//! binary; numbers and dates come from ICU4X's CLDR data (`format`); the language of a request
//! comes from the viewer, or else from `Accept-Language` (`negotiate`). Services say what to tell
//! someone as a `Text` (a message id and its arguments) and the edge renders it in the reader's
//! language, so one refusal reads right in either.
//!
//! Why Fluent (`fluent-bundle`): the translator writes whole sentences with their own grammar
//! (plurals, the French `à` before a time, `$` after the amount) rather than fragments the code
//! glues together; it is Mozilla's, used by Firefox, and has a Rust implementation kept by its
//! authors. Why ICU4X: CLDR's own formats (`1 234,56`, `4 décembre 2026`, `14 h 05`), from the
//! Unicode Consortium, with the data compiled in (no files to ship).

mod catalogue;
pub mod format;
mod negotiate;

pub use catalogue::{Arg, Text, render};
pub use negotiate::from_accept_language;

pub use crate::domain::locale::Locale;

#[cfg(test)]
mod tests;
