//! Passkeys (WebAuthn, through webauthn-rs): registering one and removing one; signing in with one
//! is `passkey_sign_in`'s.
//!
//! The relying party is `PUBLIC_URL`'s host; WebAuthn refuses an IP address there, so a server
//! reached at `http://127.0.0.1:PORT` is the relying party `localhost` (browse `http://localhost`).
//! Passkeys are registered discoverable, so that the authenticator can say whose passkey it is and
//! nobody types an email address. Every ceremony's challenge is stored server-side, expires in
//! minutes and is consumed by a conditional UPDATE: each works once, under any concurrency.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Duration;
use entity::{
    passkey,
    passkey_ceremony::{self, Purpose},
    user,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr,
    sea_query::{Expr, ExprTrait},
};
use serde::Deserialize;
use webauthn_rs::prelude::{
    Passkey, PasskeyRegistration, RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::{
    login, reauthentication,
    two_factor::{invalid_challenge, refused},
};
use crate::{
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        notifications::{self, SecurityEvent},
    },
};

/// How long an authenticator has to answer (webauthn-rs asks browsers for 5 minutes too).
pub(super) const CEREMONY_LIFETIME: Duration = Duration::minutes(5);
/// Enough for every device a person owns; a bound on the rows one login makes.
pub const MAX_PASSKEYS: i32 = 20;
const MAX_NAME_CHARS: usize = 100;
/// A credential is a few hundred bytes of JSON; anything this size is not one.
const MAX_CREDENTIAL_BYTES: usize = 16 * 1024;

fn too_many_passkeys() -> ServiceError {
    ServiceError::Refused(vec![UserError::new(
        Field::Passkey,
        UserErrorCode::TooManyPasskeys,
        Text::new("passkey-limit").arg("max", MAX_PASSKEYS),
    )])
}

pub(super) fn invalid_passkey() -> ServiceError {
    refused(Field::Passkey, UserErrorCode::InvalidPasskey, "passkey-invalid")
}

pub(super) fn inconsistent(what: &str) -> impl FnOnce(serde_json::Error) -> ServiceError + '_ {
    move |_| ServiceError::Inconsistent(format!("{what} that does not read back"))
}

/// The relying party `PUBLIC_URL` names.
pub(super) fn relying_party(deps: &Deps) -> ServiceResult<Webauthn> {
    let bad = || ServiceError::Inconsistent("PUBLIC_URL cannot name a WebAuthn relying party".into());
    let mut origin = Url::parse(&deps.settings.public_url).map_err(|_| bad())?;
    if origin.domain().is_none() {
        origin.set_host(Some("localhost")).map_err(|_| bad())?;
    }
    let rp_id = origin.domain().ok_or_else(bad)?.to_owned();
    WebauthnBuilder::new(&rp_id, &origin)
        .and_then(|builder| builder.rp_name("Billing Portal").build())
        .map_err(|_| bad())
}

pub(super) fn parse<T: for<'de> Deserialize<'de>>(credential: &str) -> ServiceResult<T> {
    if credential.len() > MAX_CREDENTIAL_BYTES {
        return Err(invalid_passkey());
    }
    serde_json::from_str(credential).map_err(|_| invalid_passkey())
}

pub(super) fn stored(passkey: &passkey::Model) -> ServiceResult<Passkey> {
    serde_json::from_str(&passkey.credential).map_err(inconsistent("a stored passkey"))
}

/// The caller's passkeys, oldest first.
pub async fn list(deps: &Deps, caller: &Caller) -> ServiceResult<Vec<passkey::Model>> {
    of_user(&deps.db, caller.user_id).await
}

/// One of the caller's passkeys.
pub async fn get(deps: &Deps, caller: &Caller, passkey_id: i64) -> ServiceResult<passkey::Model> {
    passkey::Entity::find_by_id(passkey_id)
        .filter(passkey::Column::UserId.eq(caller.user_id))
        .one(&deps.db)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub(super) async fn of_user(db: &impl ConnectionTrait, user_id: i64) -> ServiceResult<Vec<passkey::Model>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::UserId.eq(user_id))
        .order_by_asc(passkey::Column::Id)
        .all(db)
        .await?)
}

/// The id the user's passkeys are stored under, made at their first registration.
async fn handle_of(deps: &Deps, user: &user::Model) -> ServiceResult<Uuid> {
    let parse = |handle: &str| {
        Uuid::parse_str(handle).map_err(|_| ServiceError::Inconsistent("a passkey handle".into()))
    };
    if let Some(handle) = &user.passkey_handle {
        return parse(handle);
    }
    // Two first registrations at once agree on the first handle written.
    user::Entity::update_many()
        .col_expr(user::Column::PasskeyHandle, Expr::value(Uuid::new_v4().to_string()))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::PasskeyHandle.is_null())
        .exec(&deps.db)
        .await?;
    let user = login::find_user(deps, user.id).await?;
    parse(user.passkey_handle.as_deref().unwrap_or_default())
}

/// Starts registering a passkey for the caller: the options for `navigator.credentials.create`,
/// as JSON. Needs a recent sign-in, whoever the caller is: a new way in is not what a stolen
/// session may add.
pub async fn begin_registration(deps: &Deps, caller: &Caller) -> ServiceResult<String> {
    reauthentication::require_recent_sign_in(deps, caller)?;
    let user = login::find_user(deps, caller.user_id).await?;
    if user.passkey_count >= MAX_PASSKEYS {
        return Err(too_many_passkeys());
    }
    let handle = handle_of(deps, &user).await?;
    let existing = of_user(&deps.db, user.id).await?;
    let exclude =
        existing.iter().map(stored).map(|p| p.map(|p| p.cred_id().clone())).collect::<Result<_, _>>()?;
    let (options, state) = relying_party(deps)?
        .start_passkey_registration(handle, &user.email, &user.name, Some(exclude))
        .map_err(|_| ServiceError::Inconsistent("WebAuthn refused to start a registration".into()))?;
    // Discoverable, so that signing in needs no email address. webauthn-rs asks for it
    // "discouraged" and does not hold a registration to it, so asking for more is safe.
    let mut options = serde_json::to_value(&options).map_err(inconsistent("registration options"))?;
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
    let now = deps.now();
    let txn = deps.begin().await?;
    // One registration under way per user: a new one replaces the last.
    passkey_ceremony::Entity::delete_many()
        .filter(passkey_ceremony::Column::UserId.eq(user.id))
        .filter(passkey_ceremony::Column::Purpose.eq(Purpose::Registration))
        .exec(&txn)
        .await?;
    passkey_ceremony::ActiveModel {
        purpose: Set(Purpose::Registration),
        user_id: Set(Some(user.id)),
        token_hash: Set(None),
        state: Set(serde_json::to_string(&state).map_err(inconsistent("a registration"))?),
        created_at: Set(now),
        expires_at: Set(now + CEREMONY_LIFETIME),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(options.to_string())
}

/// Finishes the caller's registration with what the authenticator answered
/// (`PublicKeyCredential.toJSON()`), under `name` ("Passkey" when none is given).
pub async fn finish_registration(
    deps: &Deps,
    caller: &Caller,
    credential: &str,
    name: Option<String>,
) -> ServiceResult<passkey::Model> {
    reauthentication::require_recent_sign_in(deps, caller)?;
    let name =
        name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).unwrap_or_else(|| "Passkey".into());
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::Name,
            UserErrorCode::InvalidName,
            Text::new("name-invalid").arg("max", MAX_NAME_CHARS),
        )]));
    }
    let credential: RegisterPublicKeyCredential = parse(credential)?;
    let now = deps.now();
    let txn = deps.begin().await?;
    let Some(ceremony) = passkey_ceremony::Entity::find()
        .filter(passkey_ceremony::Column::UserId.eq(caller.user_id))
        .filter(passkey_ceremony::Column::Purpose.eq(Purpose::Registration))
        .filter(passkey_ceremony::Column::ConsumedAt.is_null())
        .filter(passkey_ceremony::Column::ExpiresAt.gt(now))
        .order_by_desc(passkey_ceremony::Column::Id)
        .one(&txn)
        .await?
    else {
        return Err(refused(Field::Passkey, UserErrorCode::InvalidChallenge, "passkey-registration-expired"));
    };
    consume(&txn, ceremony.id, now).await?;
    let state: PasskeyRegistration =
        serde_json::from_str(&ceremony.state).map_err(inconsistent("a registration"))?;
    let passkey = relying_party(deps)?
        .finish_passkey_registration(&credential, &state)
        .map_err(|_| invalid_passkey())?;
    let inserted = passkey::ActiveModel {
        user_id: Set(caller.user_id),
        credential_id: Set(URL_SAFE_NO_PAD.encode(passkey.cred_id())),
        name: Set(name.clone()),
        credential: Set(serde_json::to_string(&passkey).map_err(inconsistent("a passkey"))?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        // Registered already (here or by someone else): a credential belongs to one login, once.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(invalid_passkey());
        }
        Err(error) => return Err(error.into()),
    };
    // Counted with the row, and bounded by the database: two registrations at once cannot both
    // take the last place.
    let counted = user::Entity::update_many()
        .col_expr(user::Column::PasskeyCount, Expr::col(user::Column::PasskeyCount).add(1))
        .filter(user::Column::Id.eq(caller.user_id))
        .filter(user::Column::PasskeyCount.lt(MAX_PASSKEYS))
        .exec(&txn)
        .await?;
    if counted.rows_affected != 1 {
        return Err(too_many_passkeys());
    }
    let user =
        user::Entity::find_by_id(caller.user_id).one(&txn).await?.ok_or(ServiceError::Unauthenticated)?;
    notifications::security_notice(deps, &txn, &user, SecurityEvent::PasskeyAdded { name }).await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = caller.user_id, passkey_id = row.id, "passkey added");
    Ok(row)
}

/// Removes one of the caller's passkeys; another's is not found.
pub async fn remove(deps: &Deps, caller: &Caller, passkey_id: i64) -> ServiceResult<i64> {
    reauthentication::require_recent(deps, caller)?;
    let passkey = get(deps, caller, passkey_id).await?;
    let txn = deps.begin().await?;
    let deleted = passkey::Entity::delete_many()
        .filter(passkey::Column::Id.eq(passkey_id))
        .filter(passkey::Column::UserId.eq(caller.user_id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != 1 {
        return Err(ServiceError::NotFound);
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasskeyCount, Expr::col(user::Column::PasskeyCount).sub(1))
        .filter(user::Column::Id.eq(caller.user_id))
        .exec(&txn)
        .await?;
    let user =
        user::Entity::find_by_id(caller.user_id).one(&txn).await?.ok_or(ServiceError::Unauthenticated)?;
    notifications::security_notice(deps, &txn, &user, SecurityEvent::PasskeyRemoved { name: passkey.name })
        .await?;
    txn.commit().await?;
    deps.outbox.wake();
    tracing::info!(user_id = caller.user_id, passkey_id, "passkey removed");
    Ok(passkey_id)
}

/// A ceremony is used once: of two answers at once, one finds it unconsumed.
pub(super) async fn consume(
    db: &impl ConnectionTrait,
    ceremony_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<()> {
    let consumed = passkey_ceremony::Entity::update_many()
        .col_expr(passkey_ceremony::Column::ConsumedAt, Expr::value(now))
        .filter(passkey_ceremony::Column::Id.eq(ceremony_id))
        .filter(passkey_ceremony::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    if consumed.rows_affected == 1 { Ok(()) } else { Err(invalid_challenge()) }
}

/// The passkey registered under this credential id, whoever's it is.
pub(super) async fn find(
    db: &impl ConnectionTrait,
    credential_id: &[u8],
) -> ServiceResult<Option<passkey::Model>> {
    Ok(passkey::Entity::find()
        .filter(passkey::Column::CredentialId.eq(URL_SAFE_NO_PAD.encode(credential_id)))
        .one(db)
        .await?)
}
