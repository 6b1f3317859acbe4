//! Security notices: something changed how a person signs in. They hear of it at once, in their
//! language and time zone, so that a change they did not make is noticed while it can still be
//! undone. Queued in the transaction that made the change.

use entity::{account, user};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::templates;
use crate::{
    domain::locale,
    i18n::{Arg, Text},
    services::{Deps, ServiceError, ServiceResult},
};

/// What changed.
#[derive(Clone, Debug)]
pub enum SecurityEvent {
    PasswordChanged,
    TwoFactorOn,
    TwoFactorOff,
    PasskeyAdded {
        name: String,
    },
    PasskeyRemoved {
        name: String,
    },
    /// An office manager (`by`) took every second factor away, for someone who lost theirs.
    SecondFactorReset {
        by: String,
    },
    /// A recovery code let someone in; `left` are still unused.
    RecoveryCodeUsed {
        left: u64,
    },
}

pub async fn security_notice(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    event: SecurityEvent,
) -> ServiceResult<()> {
    let account = account::Entity::find_by_id(user.account_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Inconsistent("a user without an account".into()))?;
    let zone = user.time_zone.clone().unwrap_or_else(|| account.time_zone.clone());
    // Where to look, and undo it: the person's settings (and, when it was not them, a new password).
    let url = format!("{}/settings", deps.settings.public_url);
    let message = match event {
        SecurityEvent::PasswordChanged => Text::new("security-password-changed"),
        SecurityEvent::TwoFactorOn => Text::new("security-two-factor-on"),
        SecurityEvent::TwoFactorOff => Text::new("security-two-factor-off"),
        SecurityEvent::PasskeyAdded { name } => Text::new("security-passkey-added").arg("name", name),
        SecurityEvent::PasskeyRemoved { name } => Text::new("security-passkey-removed").arg("name", name),
        SecurityEvent::SecondFactorReset { by } => Text::new("security-second-factor-reset").arg("by", by),
        SecurityEvent::RecoveryCodeUsed { left } => Text::new("recovery-code-used").arg("left", left),
    }
    .arg("email", &user.email)
    .arg("when", Arg::Moment(deps.now(), zone))
    .arg("url", &url);
    let locale = locale::of_user(user.locale, account.locale);
    let email = templates::compose(locale, &user.email, &user.name, &message, &[&url], None);
    deps.outbox.enqueue(db, email, deps.now()).await?;
    Ok(())
}
