//! The password rules as a person choosing a password reads them: every rule before typing, and
//! the rules a candidate breaks while typing, in the same words `changePassword` and
//! `resetPassword` refuse with, so a form never shows a copy that can drift from the server.

use entity::user;

use crate::{
    domain::password_policy::{self, PasswordContext, PasswordRule},
    services::{Field, UserError, UserErrorCode},
};

/// Every rule, each as the refusal that breaking it earns.
pub fn all() -> Vec<UserError> {
    PasswordRule::ALL.into_iter().map(refusal).collect()
}

/// The rules `password` breaks, judged for `user` when known (their email and name make a
/// password easier to guess); empty when it would be accepted.
pub fn check(password: &str, user: Option<&user::Model>) -> Vec<UserError> {
    let context = match user {
        Some(user) => PasswordContext { email: &user.email, name: &user.name },
        None => PasswordContext { email: "", name: "" },
    };
    password_policy::violations(password, &context).into_iter().map(refusal).collect()
}

fn refusal(rule: PasswordRule) -> UserError {
    let code = match rule {
        PasswordRule::TooShort => UserErrorCode::PasswordTooShort,
        PasswordRule::TooLong => UserErrorCode::PasswordTooLong,
        PasswordRule::NeedsDigits => UserErrorCode::PasswordNeedsDigits,
        PasswordRule::NeedsMixedCase => UserErrorCode::PasswordNeedsMixedCase,
        PasswordRule::TooGuessable => UserErrorCode::PasswordTooGuessable,
    };
    UserError::new(Field::NewPassword, code, rule.message())
}
