//! The people of an account, as the API shows them, and inviting new ones.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, dataloader::DataLoader};
use chrono::{DateTime, Utc};
use entity::user;

use crate::services::{
    ServiceError,
    accounts::{
        team::{self, UserChange},
        users::{self, Invitation},
    },
};

use super::{
    context,
    ids::{self, Kind},
    loaders::AccountLoader,
    payload::payload,
    user_error::UserError,
};

pub struct User(pub user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::User, self.0.id)
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

    /// The IANA zone this user's emails show dates in: their own, or the account's.
    async fn time_zone(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let loader = ctx.data_unchecked::<DataLoader<AccountLoader>>();
        let account = loader.load_one(self.0.account_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(crate::domain::time::zone_of(self.0.time_zone.as_deref(), &account.time_zone).to_string())
    }

    /// Whether billing emails (invoices, payments, credits, refunds) reach this user.
    async fn billing_notifications(&self) -> bool {
        self.0.billing_notifications
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
#[graphql(complex)]
pub struct InviteUserPayload {
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(InviteUserPayload, user: user::Model => User);

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
        payload(users::invite(context::deps(ctx), caller, invitation).await)
    }
}

/// Each field left out stays as it is. Anyone may change their own name, time zone and billing
/// notifications; office managers change anyone's, and roles (never their own).
#[derive(InputObject)]
pub struct UpdateUserInput {
    pub id: ID,
    pub name: Option<String>,
    pub role: Option<Role>,
    /// An IANA zone such as `America/Toronto`; an empty string goes back to the account's.
    pub time_zone: Option<String>,
    pub billing_notifications: Option<bool>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UpdateUserPayload {
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct DeleteUserInput {
    pub id: ID,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct DeleteUserPayload {
    pub deleted_id: Option<ID>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct ResendInvitationInput {
    pub id: ID,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ResendInvitationPayload {
    pub user: Option<User>,
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(UpdateUserPayload, user: user::Model => User);
super::payload::impl_payload!(DeleteUserPayload, deleted_id: i64 => |id| ids::encode(Kind::User, id));
super::payload::impl_payload!(ResendInvitationPayload, user: user::Model => User);

#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> async_graphql::Result<UpdateUserPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        let change = UserChange {
            name: input.name,
            role: input.role.map(Into::into),
            time_zone: input.time_zone,
            billing_notifications: input.billing_notifications,
        };
        payload(team::update(context::deps(ctx), caller, user_id, change).await)
    }

    /// Office managers: remove someone who left (never yourself, never the last office manager).
    /// Their sessions end at once.
    async fn delete_user(
        &self,
        ctx: &Context<'_>,
        input: DeleteUserInput,
    ) -> async_graphql::Result<DeleteUserPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        payload(team::delete(context::deps(ctx), caller, user_id).await)
    }

    /// Office managers: a new temporary password for someone who has not logged in yet.
    async fn resend_invitation(
        &self,
        ctx: &Context<'_>,
        input: ResendInvitationInput,
    ) -> async_graphql::Result<ResendInvitationPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        payload(team::resend_invitation(context::deps(ctx), caller, user_id).await)
    }
}
super::payload::with_account!(InviteUserPayload);
super::payload::with_account!(UpdateUserPayload);
super::payload::with_account!(DeleteUserPayload);
super::payload::with_account!(ResendInvitationPayload);
