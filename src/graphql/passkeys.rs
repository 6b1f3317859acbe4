//! Passkeys: registering and removing one's own, and beginning a sign-in with one (which
//! `verifyLogin` finishes). The rules are `services::auth::passkeys`'.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::passkey;

use crate::services::auth::{passkey_sign_in, passkeys};

use super::{
    context,
    ids::{self, Kind},
    payload::{Payload, payload},
    scalars::DateTime,
    user_error::UserError,
};

pub struct Passkey(pub passkey::Model);

/// A passkey that signs you in: a key your device or password manager keeps for this site.
#[Object]
impl Passkey {
    /// Opaque, and never the same for two objects, of any type.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Passkey, self.0.id)
    }

    /// What you called it when you added it ("Work laptop").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last signed you in; null if never.
    async fn last_used_at(&self) -> Option<DateTime> {
        self.0.last_used_at.map(DateTime)
    }
}

/// The answer to `beginPasskeyRegistration`.
#[derive(SimpleObject)]
pub struct BeginPasskeyRegistrationPayload {
    /// JSON: `{"publicKey": …}`; give `publicKey` to
    /// `PublicKeyCredential.parseCreationOptionsFromJSON` and `navigator.credentials.create`, then
    /// the credential to `finishPasskeyRegistration` within 5 minutes. Null when refused.
    pub options: Option<String>,
    /// REAUTHENTICATION_REQUIRED (you signed in more than 15 minutes ago: `reauthenticate` first),
    /// TOO_MANY_PASSKEYS; empty when begun.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(BeginPasskeyRegistrationPayload, options: String => |options| options);

/// The new passkey, as the browser made it.
#[derive(InputObject)]
pub struct FinishPasskeyRegistrationInput {
    /// `JSON.stringify` of the `PublicKeyCredential` that `navigator.credentials.create` answered.
    pub credential: String,
    /// A name to know it by (at most 100 characters); "Passkey" when left out.
    pub name: Option<String>,
}

/// The answer to `finishPasskeyRegistration`.
#[derive(SimpleObject)]
pub struct FinishPasskeyRegistrationPayload {
    /// The passkey added; null when refused.
    pub passkey: Option<Passkey>,
    /// INVALID_PASSKEY, INVALID_CHALLENGE (no registration begun, or begun too long ago),
    /// INVALID_NAME, TOO_MANY_PASSKEYS, REAUTHENTICATION_REQUIRED; empty when added.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(FinishPasskeyRegistrationPayload, passkey: passkey::Model => Passkey);

/// The passkey to remove.
#[derive(InputObject)]
pub struct RemovePasskeyInput {
    /// A `Passkey.id` of yours; another's is NOT_FOUND.
    pub id: ID,
}

/// The answer to `removePasskey`.
#[derive(SimpleObject)]
pub struct RemovePasskeyPayload {
    /// The removed passkey's `id`, to drop from caches; null when refused.
    pub removed_id: Option<ID>,
    /// REAUTHENTICATION_REQUIRED; empty when removed.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(RemovePasskeyPayload, removed_id: i64 => |id| ids::encode(Kind::Passkey, id));

/// Who is signing in, if they say.
#[derive(InputObject)]
pub struct BeginPasskeyLoginInput {
    /// Your email address, if typed; not needed, and it changes nothing: the browser offers the
    /// passkeys it holds for this site, and the answer never says who has one.
    pub email: Option<String>,
}

/// The answer to `beginPasskeyLogin`.
#[derive(SimpleObject)]
pub struct BeginPasskeyLoginPayload {
    /// For `verifyLogin`, with the passkey's answer, within 5 minutes; it works once.
    pub challenge: Option<String>,
    /// JSON: `{"publicKey": …}`; give `publicKey` to `PublicKeyCredential.parseRequestOptionsFromJSON`
    /// and `navigator.credentials.get`.
    pub options: Option<String>,
    /// Empty when begun.
    pub user_errors: Vec<UserError>,
}

impl Payload for BeginPasskeyLoginPayload {
    type Made = (String, String);
    fn made((challenge, options): (String, String)) -> Self {
        Self { challenge: Some(challenge), options: Some(options), user_errors: Vec::new() }
    }
    fn refused(user_errors: Vec<UserError>) -> Self {
        Self { challenge: None, options: None, user_errors }
    }
}

#[derive(Default)]
pub struct PasskeyMutation;

#[Object]
impl PasskeyMutation {
    /// Starts adding a passkey to your login: the options for the browser. Needs a sign-in (or
    /// `reauthenticate`) within the last 15 minutes.
    async fn begin_passkey_registration(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BeginPasskeyRegistrationPayload> {
        let caller = context::caller_allowing_enrollment(ctx)?;
        payload(passkeys::begin_registration(context::deps(ctx), caller).await)
    }

    /// Adds the passkey the browser made; you are emailed that it was added.
    async fn finish_passkey_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The browser's credential, and a name.")] input: FinishPasskeyRegistrationInput,
    ) -> async_graphql::Result<FinishPasskeyRegistrationPayload> {
        let caller = context::caller_allowing_enrollment(ctx)?;
        payload(
            passkeys::finish_registration(context::deps(ctx), caller, &input.credential, input.name).await,
        )
    }

    /// Removes one of your passkeys. Needs a recent sign-in when you have a second factor.
    async fn remove_passkey(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The passkey.")] input: RemovePasskeyInput,
    ) -> async_graphql::Result<RemovePasskeyPayload> {
        let caller = context::caller(ctx)?;
        let passkey_id = ids::decode(Kind::Passkey, &input.id)?;
        payload(passkeys::remove(context::deps(ctx), caller, passkey_id).await)
    }

    /// Starts signing in with a passkey, without a password: finish with `verifyLogin(challenge,
    /// passkey)`. Counted per client address like logins.
    async fn begin_passkey_login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who, if you say.")] input: BeginPasskeyLoginInput,
    ) -> async_graphql::Result<BeginPasskeyLoginPayload> {
        // The email address is the contract's, and deliberately unused (see its description).
        let _ = input.email;
        let client_ip = context::request(ctx).client.address;
        payload(passkey_sign_in::begin_sign_in(context::deps(ctx), client_ip).await)
    }
}
