use entity::user::Role;

use super::{ServiceError, ServiceResult};

/// Who is asking, as established from their session token and nothing else. Every account-scoped
/// query filters on `account_id`; every role check reads `role`, loaded fresh at each request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub session_id: i64,
    pub user_id: i64,
    pub account_id: i64,
    pub role: Role,
    pub must_change_password: bool,
}

impl Caller {
    pub fn require_office_manager(&self) -> ServiceResult<()> {
        match self.role {
            Role::OfficeManager => Ok(()),
            Role::Member => Err(ServiceError::Forbidden),
        }
    }
}
