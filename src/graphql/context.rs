//! What a resolver knows about the request: who is calling (from the session alone) and from where,
//! and the services' dependencies.

use async_graphql::Context;

use crate::{
    i18n::Locale,
    services::{Caller, Deps, ServiceError, auth::sessions::Client},
};

/// Attached to every GraphQL request by the HTTP layer.
pub struct RequestContext {
    pub caller: Option<Caller>,
    /// Where the request comes from (the address behind trusted proxies, and the user agent).
    pub client: Client,
    /// The request id of the log lines; shown to the client as an internal error's correlation id.
    pub request_id: String,
    /// The language of every message of the answer: the viewer's, or else `Accept-Language`'s.
    pub locale: Locale,
}

pub fn deps<'a>(ctx: &Context<'a>) -> &'a Deps {
    ctx.data_unchecked::<Deps>()
}

pub fn request<'a>(ctx: &Context<'a>) -> &'a RequestContext {
    ctx.data_unchecked::<RequestContext>()
}

/// The caller, for anything but `viewer`, `changePassword`, enrolling an authenticator and
/// `logout`.
pub fn caller<'a>(ctx: &Context<'a>) -> Result<&'a Caller, ServiceError> {
    let caller = caller_allowing_enrollment(ctx)?;
    if caller.must_enroll_two_factor() {
        return Err(ServiceError::TwoFactorEnrollmentRequired);
    }
    Ok(caller)
}

/// The caller, even one whose account requires an authenticator they have not enrolled yet (the
/// password comes first).
pub fn caller_allowing_enrollment<'a>(ctx: &Context<'a>) -> Result<&'a Caller, ServiceError> {
    let caller = caller_allowing_password_change(ctx)?;
    if caller.must_change_password {
        return Err(ServiceError::PasswordChangeRequired);
    }
    Ok(caller)
}

/// The caller, even one who must change their password before doing anything else.
pub fn caller_allowing_password_change<'a>(ctx: &Context<'a>) -> Result<&'a Caller, ServiceError> {
    request(ctx).caller.as_ref().ok_or(ServiceError::Unauthenticated)
}
