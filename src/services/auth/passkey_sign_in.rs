//! Signing in with a passkey: without a password (a challenge of its own, which whichever passkey
//! the authenticator holds for this site answers: it says whose it is), or as a password's second
//! step (the login challenge carries the passkey's half). Every challenge works once, under any
//! concurrency, and a passkey's signature counter only moves forward.

use std::net::IpAddr;

use entity::{
    passkey,
    passkey_ceremony::{self, Purpose},
    user,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication,
    PublicKeyCredential,
};

use super::{
    LoggedIn, login,
    passkeys::{
        CEREMONY_LIFETIME, consume, find, inconsistent, invalid_passkey, of_user, parse, relying_party,
        stored,
    },
    sessions,
    throttle::{self, ThrottleKeys},
    tokens,
    two_factor::invalid_challenge,
};
use crate::services::{Deps, ServiceError, ServiceResult};

/// What a password's second step offers an enrolled user with passkeys: the options for
/// `navigator.credentials.get` (JSON) and the state that checks the answer (JSON). `None` without
/// passkeys.
pub(super) async fn second_step(deps: &Deps, user_id: i64) -> ServiceResult<Option<(String, String)>> {
    let passkeys = of_user(&deps.db, user_id).await?;
    if passkeys.is_empty() {
        return Ok(None);
    }
    let passkeys = passkeys.iter().map(stored).collect::<ServiceResult<Vec<_>>>()?;
    let (options, state) = relying_party(deps)?
        .start_passkey_authentication(&passkeys)
        .map_err(|_| ServiceError::Inconsistent("WebAuthn refused to start a sign-in".into()))?;
    Ok(Some((
        serde_json::to_string(&options).map_err(inconsistent("sign-in options"))?,
        serde_json::to_string(&state).map_err(inconsistent("a sign-in"))?,
    )))
}

/// Checks a password's second step answered with a passkey of `user_id`'s, against the `state`
/// `second_step` made; the passkey's counter moves on in `db`'s transaction.
pub(super) async fn verify_second_step(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user_id: i64,
    credential: &str,
    state: &str,
) -> ServiceResult<()> {
    let credential: PublicKeyCredential = parse(credential)?;
    let state: PasskeyAuthentication = serde_json::from_str(state).map_err(inconsistent("a sign-in"))?;
    let result = relying_party(deps)?
        .finish_passkey_authentication(&credential, &state)
        .map_err(|_| invalid_passkey())?;
    let row =
        find(db, result.cred_id()).await?.filter(|row| row.user_id == user_id).ok_or_else(invalid_passkey)?;
    used(deps, db, row, &result).await
}

/// Starts a sign-in with a passkey and no password: a challenge for `verifyLogin` and the options
/// for `navigator.credentials.get` (JSON). The options name no one's passkeys: the authenticator
/// offers whichever it holds for this site (every passkey here is registered discoverable), so the
/// answer is the same for anyone, and says nothing of who has passkeys. Counted per client address,
/// like logins, since it makes a row for anyone; a sign-in gives its attempt back.
pub async fn begin_sign_in(deps: &Deps, client_ip: Option<IpAddr>) -> ServiceResult<(String, String)> {
    throttle::admit(deps, &ThrottleKeys::passkey_sign_in(client_ip, &deps.settings.login_throttle)).await?;
    let (options, state) = relying_party(deps)?
        .start_discoverable_authentication()
        .map_err(|_| ServiceError::Inconsistent("WebAuthn refused to start a sign-in".into()))?;
    let challenge = tokens::generate();
    let now = deps.now();
    passkey_ceremony::ActiveModel {
        purpose: Set(Purpose::SignIn),
        user_id: Set(None),
        token_hash: Set(Some(tokens::hash(&challenge))),
        state: Set(serde_json::to_string(&state).map_err(inconsistent("a sign-in"))?),
        created_at: Set(now),
        expires_at: Set(now + CEREMONY_LIFETIME),
        ..Default::default()
    }
    .insert(&deps.db)
    .await?;
    let options = serde_json::to_string(&options).map_err(inconsistent("sign-in options"))?;
    Ok((challenge, options))
}

/// Finishes a sign-in `begin_sign_in` started, with the authenticator's answer: a session. `None`
/// when `challenge` is not one of `begin_sign_in`'s (it may be a password's second step). Nothing
/// is counted against the passkey's owner: an answer cannot be guessed, and a forged one must not
/// lock them out.
pub(super) async fn sign_in(
    deps: &Deps,
    challenge: &str,
    credential: &str,
    client: &sessions::Client,
) -> ServiceResult<Option<LoggedIn>> {
    let now = deps.now();
    let Some(ceremony) = passkey_ceremony::Entity::find()
        .filter(passkey_ceremony::Column::TokenHash.eq(tokens::hash(challenge)))
        .filter(passkey_ceremony::Column::Purpose.eq(Purpose::SignIn))
        .one(&deps.db)
        .await?
    else {
        return Ok(None);
    };
    if ceremony.consumed_at.is_some() || ceremony.expires_at <= now {
        return Err(invalid_challenge());
    }
    let credential: PublicKeyCredential = parse(credential)?;
    let relying_party = relying_party(deps)?;
    // Whose passkey: the authenticator names the user and the credential, which must be theirs here.
    let (handle, credential_id) =
        relying_party.identify_discoverable_authentication(&credential).map_err(|_| invalid_passkey())?;
    let Some(row) = find(&deps.db, credential_id).await? else {
        return Err(invalid_passkey());
    };
    let user = login::find_user(deps, row.user_id).await?;
    if user.status == user::Status::Disabled
        || user.passkey_handle.as_deref() != Some(handle.to_string().as_str())
    {
        return Err(invalid_passkey());
    }
    let state: DiscoverableAuthentication =
        serde_json::from_str(&ceremony.state).map_err(inconsistent("a sign-in"))?;
    let result = relying_party
        .finish_discoverable_authentication(&credential, state, &[DiscoverableKey::from(&stored(&row)?)])
        .map_err(|_| invalid_passkey())?;
    let txn = deps.begin().await?;
    consume(&txn, ceremony.id, now).await?;
    used(deps, &txn, row, &result).await?;
    let logged_in = login::start_session(deps, &txn, user.into(), client).await?;
    txn.commit().await?;
    throttle::forgive(deps, &ThrottleKeys::passkey_sign_in(client.address, &deps.settings.login_throttle))
        .await?;
    tracing::info!(user_id = logged_in.user.id, "logged in with a passkey");
    Ok(Some(logged_in))
}

/// A passkey signed: when it was last used, and its signature counter, moved forward only from the
/// value this answer was checked against (of two sign-ins at once, the second finds it moved and is
/// refused: a counter never goes back, so a cloned authenticator stays detectable).
async fn used(
    deps: &Deps,
    db: &impl ConnectionTrait,
    row: passkey::Model,
    result: &AuthenticationResult,
) -> ServiceResult<()> {
    let mut passkey = stored(&row)?;
    let mut update = passkey::Entity::update_many()
        .col_expr(passkey::Column::LastUsedAt, Expr::value(deps.now()))
        .filter(passkey::Column::Id.eq(row.id));
    if passkey.update_credential(result) == Some(true) {
        let moved = serde_json::to_string(&passkey).map_err(inconsistent("a passkey"))?;
        update = update
            .col_expr(passkey::Column::Credential, Expr::value(moved))
            .filter(passkey::Column::Credential.eq(row.credential));
    }
    if update.exec(db).await?.rows_affected == 1 { Ok(()) } else { Err(invalid_passkey()) }
}
