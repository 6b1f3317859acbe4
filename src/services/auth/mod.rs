//! Who may come in: logging in and out (in two steps for those who enrolled an authenticator),
//! passwords and their resets, sessions, and the login throttle.

mod login;
pub mod passkey_sign_in;
pub mod passkeys;
pub mod password_rules;
pub mod passwords;
pub mod reauthentication;
mod reset;
pub mod second_step;
pub mod sessions;
pub mod throttle;
pub mod tokens;
mod totp;
pub mod two_factor;

pub use login::{LoggedIn, LoginOutcome, change_password, login, logout};
pub use reset::{RESET_TOKEN_LIFETIME, request_password_reset, reset_password};
pub use sessions::SessionPolicy;
pub use throttle::ThrottleLimits;
