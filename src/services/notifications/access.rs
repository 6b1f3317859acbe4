//! What lets a person in: the invitation with its temporary password, and the password reset link.
//! Queued in the transaction that issued the password or the link, so neither exists unsent. Each
//! in the language the person reads: theirs, or their account's.

use entity::{account, user};
use sea_orm::ConnectionTrait;

use super::templates;
use crate::{
    domain::locale,
    i18n::Text,
    services::{Deps, ServiceResult},
};

/// The invitation to `user`, a new member of `account`, with their temporary password.
pub async fn invitation(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    account: &account::Model,
    temporary_password: &str,
) -> ServiceResult<()> {
    let locale = locale::of_user(user.locale, account.locale);
    let url = format!("{}/login", deps.settings.public_url);
    let message = Text::new("invitation")
        .arg("account", &account.name)
        .arg("email", &user.email)
        .arg("password", temporary_password)
        .arg("url", &url);
    let email = templates::compose(locale, &user.email, &user.name, &message, &[&url], None);
    deps.outbox.enqueue(db, email, deps.now()).await?;
    Ok(())
}

/// The link that lets `user` choose a new password with `token`.
pub async fn password_reset(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    account: &account::Model,
    token: &str,
) -> ServiceResult<()> {
    let locale = locale::of_user(user.locale, account.locale);
    let url = format!("{}/reset-password?token={token}", deps.settings.public_url);
    let message = Text::new("password-reset").arg("email", &user.email).arg("url", &url);
    let email = templates::compose(locale, &user.email, &user.name, &message, &[&url], None);
    deps.outbox.enqueue(db, email, deps.now()).await?;
    Ok(())
}
