use std::{fmt, sync::Arc};

use chrono::{DateTime, Utc};

use entity::{
    account,
    user::{self, Role},
};

use super::{ServiceError, ServiceResult};
use crate::i18n::Locale;

/// Who is asking, as established from their session token and nothing else. Every account-scoped
/// query filters on `account_id`; every role check reads `role`, loaded fresh at each request.
#[derive(Clone)]
pub struct Caller {
    pub session_id: i64,
    pub user_id: i64,
    pub account_id: i64,
    pub role: Role,
    pub must_change_password: bool,
    /// When the session's holder last proved who they are (signing in, or reauthenticating).
    pub authenticated_at: DateTime<Utc>,
    /// The user's and the account's rows as the session lookup read them: a query shows them
    /// without asking again.
    pub user: Arc<user::Model>,
    pub account: Arc<account::Model>,
}

/// Without the rows: the user's holds the password hash, and a caller may be logged.
impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caller")
            .field("session_id", &self.session_id)
            .field("user_id", &self.user_id)
            .field("account_id", &self.account_id)
            .field("role", &self.role)
            .field("must_change_password", &self.must_change_password)
            .finish_non_exhaustive()
    }
}

impl Caller {
    /// The account requires two-step sign-in and this user has not enrolled: nothing but enrolling
    /// (and reading who they are, and logging out) until they do.
    pub fn must_enroll_two_factor(&self) -> bool {
        self.account.require_two_factor && !self.user.has_second_factor()
    }

    /// The language they read: their own, or else their account's.
    pub fn locale(&self) -> Locale {
        crate::domain::locale::of_user(self.user.locale, self.account.locale)
    }

    pub fn require_office_manager(&self) -> ServiceResult<()> {
        match self.role {
            Role::OfficeManager => Ok(()),
            Role::Member => Err(ServiceError::Forbidden),
        }
    }
}
