//! The password rules as a person choosing a password reads them: every rule before typing, and
//! the rules a candidate breaks while typing, in the same words `changePassword` and
//! `resetPassword` refuse with, so a form never shows a copy that can drift from the server.

use entity::user;

use crate::{
    domain::password_policy::{self, MAX_CHARS, MIN_CHARS, MIN_DIGITS, PasswordContext, PasswordRule},
    i18n::Text,
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
    let (code, message) = match rule {
        PasswordRule::TooShort => {
            (UserErrorCode::PasswordTooShort, Text::new("password-too-short").arg("count", MIN_CHARS))
        }
        PasswordRule::TooLong => {
            (UserErrorCode::PasswordTooLong, Text::new("password-too-long").arg("count", MAX_CHARS))
        }
        PasswordRule::NeedsDigits => {
            (UserErrorCode::PasswordNeedsDigits, Text::new("password-needs-digits").arg("count", MIN_DIGITS))
        }
        PasswordRule::NeedsMixedCase => {
            (UserErrorCode::PasswordNeedsMixedCase, Text::new("password-needs-mixed-case"))
        }
        PasswordRule::TooGuessable => {
            (UserErrorCode::PasswordTooGuessable, Text::new("password-too-guessable"))
        }
    };
    UserError::new(Field::NewPassword, code, message)
}
