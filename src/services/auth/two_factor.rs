//! Two-step sign-in with an authenticator app: enrolling (a secret shown once, confirmed with a
//! code, answered by ten single-use recovery codes), turning it off, and proving who one is again
//! with a code (each accepted once, by an UPDATE that moves the user's last used step forward and
//! must change one row); the second step of a login is `second_step`'s. Attempts are counted per
//! user (and address) before they are checked, like logins.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use entity::{account, passkey, passkey_ceremony, recovery_code, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{
    passwords,
    throttle::{self, ThrottleKeys},
    totp,
};
use crate::{
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode,
        notifications::{self, SecurityEvent},
    },
};

const RECOVERY_CODES: usize = 10;

/// What `beginTotpEnrollment` shows once: the secret, and the same as a link and a QR code.
pub struct Enrollment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

pub(super) fn refused(field: Field, code: UserErrorCode, message: &'static str) -> ServiceError {
    ServiceError::Refused(vec![UserError::new(field, code, Text::new(message))])
}

/// A login's second-step challenge, or a passkey's, that is unknown, used or expired.
pub(super) fn invalid_challenge() -> ServiceError {
    refused(Field::Challenge, UserErrorCode::InvalidChallenge, "two-factor-challenge-invalid")
}

pub(super) fn invalid_code(field: Field) -> ServiceError {
    refused(field, UserErrorCode::InvalidCode, "two-factor-code-invalid")
}

/// Counted before anything is checked, per user and address, as a login is; but the user's counter
/// from anywhere blocks as long as the others (a login's is kept short so that a guesser elsewhere
/// cannot lock the real user out; whoever guesses codes already has the password).
pub(super) async fn admit(
    deps: &Deps,
    user_id: i64,
    client_ip: Option<IpAddr>,
) -> ServiceResult<ThrottleKeys> {
    let limits = &deps.settings.login_throttle;
    let limits =
        throttle::ThrottleLimits { max_login_block_seconds: limits.max_block_seconds, ..limits.clone() };
    let keys = ThrottleKeys::new(&format!("second-factor:{user_id}"), client_ip, &limits);
    throttle::admit(deps, &keys).await?;
    Ok(keys)
}

/// A new secret for the caller, kept aside until `confirm_enrollment` proves their app has it.
pub async fn begin_enrollment(deps: &Deps, caller: &Caller) -> ServiceResult<Enrollment> {
    if caller.user.totp_secret.is_some() {
        return Err(refused(
            Field::Code,
            UserErrorCode::TwoFactorAlreadyEnabled,
            "two-factor-already-enabled",
        ));
    }
    let secret = totp::new_secret();
    let uri = totp::uri(&secret, &caller.user.email)
        .ok_or_else(|| ServiceError::Inconsistent("an email address that is no account name".into()))?;
    let qr_svg = totp::qr_svg(&uri)
        .ok_or_else(|| ServiceError::Inconsistent("a URI too long for a QR code".into()))?;
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpPendingSecret,
            Expr::value(totp::seal(&deps.settings.signing_key, caller.user_id, &secret)),
        )
        .filter(user::Column::Id.eq(caller.user_id))
        .exec(&deps.db)
        .await?;
    Ok(Enrollment { secret: totp::base32(&secret), uri, qr_svg })
}

/// Turns two-step sign-in on once `code` proves the app has the pending secret; answers the ten
/// recovery codes, shown this once (stored hashed).
pub async fn confirm_enrollment(
    deps: &Deps,
    caller: &Caller,
    code: &str,
    client_ip: Option<IpAddr>,
) -> ServiceResult<(user::Model, Vec<String>)> {
    let keys = admit(deps, caller.user_id, client_ip).await?;
    let user = super::login::find_user(deps, caller.user_id).await?;
    let Some(pending) = user.totp_pending_secret.clone() else {
        return Err(refused(Field::Code, UserErrorCode::TwoFactorNotEnrolled, "two-factor-not-begun"));
    };
    let secret = totp::open(&deps.settings.signing_key, user.id, &pending).ok_or_else(|| {
        ServiceError::Inconsistent("a pending authenticator secret that does not open".into())
    })?;
    let Some(step) = totp::accepted_step(&secret, code, deps.now()) else {
        return Err(invalid_code(Field::Code));
    };
    let now = deps.now();
    let txn = deps.begin().await?;
    // The secret confirmed is the one still pending: a second `begin` meanwhile wins.
    let turned_on = user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(pending.clone()))
        .col_expr(user::Column::TotpPendingSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(now))
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::TotpPendingSecret.eq(pending))
        // Never over a secret already on (two enrolments at once).
        .filter(user::Column::TotpSecret.is_null())
        .exec(&txn)
        .await?;
    if turned_on.rows_affected != 1 {
        return Err(invalid_code(Field::Code));
    }
    let codes = replace_recovery_codes(deps, &txn, user.id, now).await?;
    let user = user::Entity::find_by_id(user.id).one(&txn).await?.ok_or(ServiceError::Unauthenticated)?;
    notifications::security_notice(deps, &txn, &user, SecurityEvent::TwoFactorOn).await?;
    txn.commit().await?;
    deps.outbox.wake();
    throttle::forgive(deps, &keys).await?;
    tracing::info!(user_id = user.id, "two-step sign-in turned on");
    Ok((user, codes))
}

async fn replace_recovery_codes(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<String>> {
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(recovery_code_hash(deps, user_id, &code)),
            created_at: Set(now),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// `xxxxx-xxxxx` in Crockford's base32 (no i, l, o or u to misread): 50 random bits, plenty for a
/// code that works once and is throttled.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut bytes = [0u8; 10];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    // 256 is a multiple of 32: every character is equally likely.
    let chars: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % 32] as char).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// What is stored: HMAC-SHA256 keyed by `SECRET_KEY` over the user and the code, so that a copy of
/// the database alone cannot test guesses (50 bits would not stand up to a fast, unkeyed hash).
pub(super) fn recovery_code_hash(deps: &Deps, user_id: i64, code: &str) -> String {
    let mac = deps.settings.signing_key.mac(&[
        b"recovery-code",
        &user_id.to_be_bytes(),
        normalise(code).as_bytes(),
    ]);
    hmac::Mac::finalize(mac).into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// As typed: spaces, dashes and case do not matter.
fn normalise(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Turns two-step sign-in off, proven with a current code or the password.
pub async fn disable(
    deps: &Deps,
    caller: &Caller,
    code: Option<String>,
    password: Option<String>,
    client_ip: Option<IpAddr>,
) -> ServiceResult<user::Model> {
    let keys = admit(deps, caller.user_id, client_ip).await?;
    let user = super::login::find_user(deps, caller.user_id).await?;
    if user.totp_secret.is_none() {
        return Err(refused(Field::Code, UserErrorCode::TwoFactorNotEnrolled, "two-factor-not-enabled"));
    }
    // Before the transaction: a password's hash is slow to check, and a connection is not held.
    prove(deps, &deps.db, &user, code, password).await?;
    let txn = deps.begin().await?;
    clear_totp(&txn, user.id).await?;
    let user = user::Entity::find_by_id(user.id).one(&txn).await?.ok_or(ServiceError::Unauthenticated)?;
    notifications::security_notice(deps, &txn, &user, SecurityEvent::TwoFactorOff).await?;
    txn.commit().await?;
    deps.outbox.wake();
    throttle::forgive(deps, &keys).await?;
    tracing::info!(user_id = user.id, "two-step sign-in turned off");
    Ok(user)
}

/// The authenticator app's secret and recovery codes go.
async fn clear_totp(db: &impl ConnectionTrait, user_id: i64) -> ServiceResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpPendingSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many().filter(recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Every second factor of `user_id` goes (app, recovery codes, passkeys, anything under way): what
/// an office manager does for a colleague who lost them. Their password alone logs them in again.
pub async fn clear_all(db: &impl ConnectionTrait, user_id: i64, now: DateTime<Utc>) -> ServiceResult<()> {
    clear_totp(db, user_id).await?;
    passkey::Entity::delete_many().filter(passkey::Column::UserId.eq(user_id)).exec(db).await?;
    passkey_ceremony::Entity::delete_many()
        .filter(passkey_ceremony::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasskeyCount, Expr::value(0))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    super::second_step::void_all(db, user_id, now).await
}

/// The user proves again who they are, with a current code (spent) or else their password.
pub(super) async fn prove(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    code: Option<String>,
    password: Option<String>,
) -> ServiceResult<()> {
    match (code, password) {
        (Some(code), _) => use_code(deps, db, user, &code).await,
        (None, Some(password)) => {
            if passwords::verify(password, Some(user.password_hash.clone())).await?
                == passwords::Verification::Mismatch
            {
                return Err(refused(
                    Field::Password,
                    UserErrorCode::InvalidCredentials,
                    "current-password-incorrect",
                ));
            }
            Ok(())
        }
        (None, None) => Err(invalid_code(Field::Code)),
    }
}

/// Accepts `code` for `user` once: the step it is right for must be newer than the last used.
pub(super) async fn use_code(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    code: &str,
) -> ServiceResult<()> {
    let sealed = user.totp_secret.as_deref().ok_or_else(|| invalid_code(Field::Code))?;
    let secret = totp::open(&deps.settings.signing_key, user.id, sealed)
        .ok_or_else(|| ServiceError::Inconsistent("an authenticator secret that does not open".into()))?;
    let step = totp::accepted_step(&secret, code, deps.now()).ok_or_else(|| invalid_code(Field::Code))?;
    let used = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user.id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    if used.rows_affected == 1 { Ok(()) } else { Err(invalid_code(Field::Code)) }
}

/// Office managers require (or not) two-step sign-in of everyone in the account.
pub async fn set_required(deps: &Deps, caller: &Caller, required: bool) -> ServiceResult<()> {
    caller.require_office_manager()?;
    account::Entity::update_many()
        .col_expr(account::Column::RequireTwoFactor, Expr::value(required))
        .filter(account::Column::Id.eq(caller.account_id))
        .exec(&deps.db)
        .await?;
    tracing::info!(
        account_id = caller.account_id,
        user_id = caller.user_id,
        required,
        "two-step sign-in requirement set"
    );
    Ok(())
}
