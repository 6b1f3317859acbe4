//! What lets a person in: the invitation with its temporary password, and the password reset link.
//! Queued in the transaction that issued the password or the link, so neither exists unsent.

use entity::user;
use sea_orm::ConnectionTrait;

use super::templates;
use crate::services::{Deps, ServiceResult};

/// The invitation to `user`, a new member of `account_name`, with their temporary password.
pub async fn invitation(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    account_name: &str,
    temporary_password: &str,
) -> ServiceResult<()> {
    let email = templates::invitation(&templates::Invitation {
        to: &user.email,
        name: &user.name,
        account_name,
        temporary_password,
        public_url: &deps.settings.public_url,
    });
    deps.outbox.enqueue(db, email, deps.now()).await?;
    Ok(())
}

/// The link that lets `user` choose a new password with `token`.
pub async fn password_reset(
    deps: &Deps,
    db: &impl ConnectionTrait,
    user: &user::Model,
    token: &str,
) -> ServiceResult<()> {
    let email = templates::password_reset(&user.email, &user.name, token, &deps.settings.public_url);
    deps.outbox.enqueue(db, email, deps.now()).await?;
    Ok(())
}
