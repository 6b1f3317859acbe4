//! The people of an account, as the API shows them, and inviting new ones.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::user;

use crate::services::accounts::users::{self, Invitation};

use super::{
    context, ids,
    user_error::{self, UserError},
};

pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ids::encode("User", self.0.id)
    }

    /// Also the login name.
    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn status(&self) -> UserStatus {
        self.0.status.into()
    }

    /// True until the user has replaced their temporary password; until then only `viewer`,
    /// `changePassword` and `logout` answer.
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }

    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::Role")]
pub enum Role {
    OfficeManager,
    Member,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::Status")]
pub enum UserStatus {
    /// Invited; has not chosen a password yet.
    Invited,
    Active,
    Disabled,
}

#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[derive(SimpleObject)]
pub struct InviteUserPayload {
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Office managers invite colleagues: the new user gets an email with a temporary password.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> async_graphql::Result<InviteUserPayload> {
        let caller = context::caller(ctx)?;
        let invitation = Invitation { email: input.email, name: input.name, role: input.role.into() };
        let outcome = users::invite(context::deps(ctx), caller, invitation).await?;
        Ok(match outcome {
            Ok(user) => InviteUserPayload { user: Some(User(user)), user_errors: vec![] },
            Err(errors) => InviteUserPayload { user: None, user_errors: user_error::from_all(errors) },
        })
    }
}
