use async_graphql::SimpleObject;

use crate::services;

/// An expected failure of a mutation, returned in its payload.
#[derive(SimpleObject)]
pub struct UserError {
    /// The input field at fault, if any.
    pub field: Option<String>,
    pub message: String,
    pub code: services::UserErrorCode,
}

impl From<services::UserError> for UserError {
    fn from(error: services::UserError) -> Self {
        Self { field: error.field.map(Into::into), message: error.message, code: error.code }
    }
}

pub fn from_all(errors: Vec<services::UserError>) -> Vec<UserError> {
    errors.into_iter().map(Into::into).collect()
}
