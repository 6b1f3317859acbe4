//! The people of an account, as the API shows them, and inviting new ones.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, dataloader::DataLoader};
use entity::user;

use crate::services::{
    ServiceError,
    accounts::{
        team::{self, UserChange},
        users::{self, Invitation},
    },
    auth::{passkeys, sessions},
};

use super::scalars::DateTime;
use super::{
    context,
    ids::{self, Kind},
    loaders::AccountLoader,
    passkeys::Passkey,
    payload::payload,
    sessions::Session,
    user_error::UserError,
};

pub struct User(pub user::Model);

/// A person with a login to the account.
#[Object]
impl User {
    /// Opaque; `node(id:)` finds the user again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::User, self.0.id)
    }

    /// Also the login name.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// The user's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the user may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// Where the user's login stands.
    async fn status(&self) -> UserStatus {
        self.0.status.into()
    }

    /// True until the user has replaced their temporary password; until then only `viewer`,
    /// `changePassword` and `logout` answer.
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }

    /// When the user last logged in; null if they never have.
    async fn last_login_at(&self) -> Option<DateTime> {
        self.0.last_login_at.map(DateTime)
    }

    /// The IANA zone this user's emails show dates in: their own, or the account's.
    async fn time_zone(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let loader = ctx.data_unchecked::<DataLoader<AccountLoader>>();
        let account = loader.load_one(self.0.account_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(crate::domain::time::zone_of(self.0.time_zone.as_deref(), &account.time_zone).to_string())
    }

    /// The language this user reads the portal, their emails and the API's messages in: their
    /// own choice, or the account's.
    async fn locale(&self, ctx: &Context<'_>) -> async_graphql::Result<Locale> {
        let loader = ctx.data_unchecked::<DataLoader<AccountLoader>>();
        let account = loader.load_one(self.0.account_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(crate::domain::locale::of_user(self.0.locale, account.locale).into())
    }

    /// Whether logging in takes a second step after the password: a code from an authenticator app,
    /// or a passkey.
    async fn two_factor_enabled(&self) -> bool {
        self.0.has_second_factor()
    }

    /// Whether an authenticator app is set up (`disableTotp` turns it off).
    async fn totp_enabled(&self) -> bool {
        self.0.totp_secret.is_some()
    }

    /// Whether the account requires two-step sign-in and this user has not enrolled yet: until they
    /// do, everything but enrolling answers TWO_FACTOR_ENROLLMENT_REQUIRED.
    async fn must_enroll_two_factor(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let loader = ctx.data_unchecked::<DataLoader<AccountLoader>>();
        let account = loader.load_one(self.0.account_id).await?.ok_or(ServiceError::NotFound)?;
        Ok(account.require_two_factor && !self.0.has_second_factor())
    }

    /// Your passkeys, oldest first: only your own (FORBIDDEN for another user's).
    async fn passkeys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Passkey>> {
        let caller = context::caller_allowing_password_change(ctx)?;
        if caller.user_id != self.0.id {
            return Err(ServiceError::Forbidden.into());
        }
        Ok(passkeys::list(context::deps(ctx), caller).await?.into_iter().map(Passkey).collect())
    }

    /// Where you are signed in, newest first: only your own (FORBIDDEN for another user's).
    async fn sessions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Session>> {
        let caller = context::caller_allowing_password_change(ctx)?;
        if caller.user_id != self.0.id {
            return Err(ServiceError::Forbidden.into());
        }
        let sessions = sessions::list(context::deps(ctx), caller).await?;
        Ok(sessions
            .into_iter()
            .map(|model| Session { current: model.id == caller.session_id, model })
            .collect())
    }

    /// Whether billing emails (invoices, payments, credits, refunds) reach this user.
    async fn billing_notifications(&self) -> bool {
        self.0.billing_notifications
    }
}

/// A language the service writes in.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::domain::locale::Locale")]
pub enum Locale {
    /// English (Canada), `en-CA`.
    EnCa,
    /// French (Canada), `fr-CA`.
    FrCa,
}

/// What a user may do for the account.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::Role")]
pub enum Role {
    /// Everything: manage users, payment methods, Auto Pay, the billing profile and Call History
    /// exports, and see the activity.
    OfficeManager,
    /// View the account, download invoices and their call records, and make one-off payments.
    Member,
}

/// Where a user's login stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::Status")]
pub enum UserStatus {
    /// Invited; has not chosen a password yet.
    Invited,
    /// Has chosen their own password.
    Active,
    /// May not log in.
    Disabled,
}

/// Whom to invite.
#[derive(InputObject)]
pub struct InviteUserInput {
    /// Their email address, which becomes their login name.
    pub email: String,
    /// Their name, 1 to 200 characters.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The language of their invitation and of the portal for them; left out, the account's.
    pub locale: Option<Locale>,
}

/// The answer to `inviteUser`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct InviteUserPayload {
    /// The invited user, INVITED; null when refused.
    pub user: Option<User>,
    /// Why it was refused (INVALID_EMAIL, INVALID_NAME, EMAIL_TAKEN); empty when it succeeded.
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
        #[graphql(desc = "Whom to invite, and their role.")] input: InviteUserInput,
    ) -> async_graphql::Result<InviteUserPayload> {
        let caller = context::caller(ctx)?;
        let invitation = Invitation {
            email: input.email,
            name: input.name,
            role: input.role.into(),
            locale: input.locale.map(Into::into),
        };
        payload(users::invite(context::deps(ctx), caller, invitation).await)
    }
}

/// Each field left out stays as it is. Anyone may change their own name, time zone and billing
/// notifications; office managers change anyone's, and roles (never their own).
#[derive(InputObject)]
pub struct UpdateUserInput {
    /// The user to change (yourself, or anyone of the account for an office manager).
    pub id: ID,
    /// The new name, 1 to 200 characters.
    pub name: Option<String>,
    /// The new role: office managers only, and never their own.
    pub role: Option<Role>,
    /// An IANA zone such as `America/Toronto`; an empty string goes back to the account's.
    pub time_zone: Option<String>,
    /// The language they read the portal, their emails and the API's messages in.
    pub locale: Option<Locale>,
    /// Whether billing emails (invoices, payments, credits, refunds) reach the user.
    pub billing_notifications: Option<bool>,
}

/// The answer to `updateUser`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UpdateUserPayload {
    /// The user as changed; null when refused.
    pub user: Option<User>,
    /// Why it was refused (INVALID_NAME, INVALID_TIME_ZONE, CANNOT_CHANGE_OWN_ROLE,
    /// LAST_OFFICE_MANAGER, REAUTHENTICATION_REQUIRED for a role); empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

/// The user to delete.
#[derive(InputObject)]
pub struct DeleteUserInput {
    /// The user's `id`.
    pub id: ID,
}

/// The answer to `deleteUser`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct DeleteUserPayload {
    /// The deleted user's `id`, to drop from caches; null when refused.
    pub deleted_id: Option<ID>,
    /// Why it was refused (CANNOT_DELETE_SELF, LAST_OFFICE_MANAGER, REAUTHENTICATION_REQUIRED); empty
    /// when it succeeded.
    pub user_errors: Vec<UserError>,
}

/// The user to invite again.
#[derive(InputObject)]
pub struct ResendInvitationInput {
    /// The `id` of a user who has not logged in yet.
    pub id: ID,
}

/// The answer to `resendInvitation`.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ResendInvitationPayload {
    /// The user, INVITED again; null when refused.
    pub user: Option<User>,
    /// Why it was refused (INVITATION_ACCEPTED); empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

/// Whose two-step sign-in to reset.
#[derive(InputObject)]
pub struct ResetSecondFactorInput {
    /// The user's `id`.
    pub id: ID,
}

/// The answer to `resetSecondFactor`.
#[derive(SimpleObject)]
pub struct ResetSecondFactorPayload {
    /// The user, with `twoFactorEnabled` now false; null when refused.
    pub user: Option<User>,
    /// Why it was refused (REAUTHENTICATION_REQUIRED); empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(UpdateUserPayload, user: user::Model => User);
super::payload::impl_payload!(ResetSecondFactorPayload, user: user::Model => User);
super::payload::impl_payload!(DeleteUserPayload, deleted_id: i64 => |id| ids::encode(Kind::User, id));
super::payload::impl_payload!(ResendInvitationPayload, user: user::Model => User);

#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Edits a user of your account: anyone may edit their own name, time zone and billing
    /// notifications; office managers may edit anyone's, and others' roles.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user, and what to change.")] input: UpdateUserInput,
    ) -> async_graphql::Result<UpdateUserPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        let change = UserChange {
            name: input.name,
            role: input.role.map(Into::into),
            time_zone: input.time_zone,
            locale: input.locale.map(Into::into),
            billing_notifications: input.billing_notifications,
        };
        payload(team::update(context::deps(ctx), caller, user_id, change).await)
    }

    /// Office managers: remove someone who left (never yourself, never the last office manager).
    /// Their sessions end at once.
    async fn delete_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user to delete.")] input: DeleteUserInput,
    ) -> async_graphql::Result<DeleteUserPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        payload(team::delete(context::deps(ctx), caller, user_id).await)
    }

    /// Office managers: for someone who lost their phone or passkey, takes away their authenticator
    /// app, recovery codes and passkeys; their sessions end and they are emailed. Their password
    /// alone logs them in again, to set two-step sign-in up anew.
    async fn reset_second_factor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user.")] input: ResetSecondFactorInput,
    ) -> async_graphql::Result<ResetSecondFactorPayload> {
        let caller = context::caller(ctx)?;
        let user_id = ids::decode(Kind::User, &input.id)?;
        payload(team::reset_second_factor(context::deps(ctx), caller, user_id).await)
    }

    /// Office managers: a new invitation email, with a new temporary password (valid 7 days), for
    /// someone who has not logged in yet; the old one stops working.
    async fn resend_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user to invite again.")] input: ResendInvitationInput,
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
