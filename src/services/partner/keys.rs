//! The billing engine's keys: made by an operator (`create-partner-key`), shown once, kept only as a
//! SHA-256 hash (the key has 256 random bits: nothing to brute-force), ended by
//! `revoke-partner-key`. Failed checks are throttled per client address, as logins are.

use crate::i18n::Text;
use std::net::IpAddr;

use entity::partner_key;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, SqlErr};

use crate::services::{
    Deps, ServiceError, ServiceResult,
    auth::{
        throttle::{self, ThrottleKeys},
        tokens,
    },
};

/// Every key starts so: recognisable in a secret scanner or a leaked log.
pub const KEY_PREFIX: &str = "bpk_";

/// A new key, and the only time it is seen whole.
pub struct NewKey {
    pub key: partner_key::Model,
    pub secret: String,
}

/// Makes a key named `name` (unique: it is how an operator revokes it). `None` when the name is
/// taken.
pub async fn create(deps: &Deps, name: &str) -> ServiceResult<Option<NewKey>> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::BadInput(Text::verbatim(
            "a key's name must be 1 to 100 printable characters",
        )));
    }
    let secret = format!("{KEY_PREFIX}{}", tokens::generate());
    let inserted = partner_key::ActiveModel {
        name: Set(name.to_string()),
        prefix: Set(secret.chars().take(12).collect()),
        key_hash: Set(tokens::hash(&secret)),
        created_at: Set(deps.now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&deps.db)
    .await;
    match inserted {
        Ok(key) => Ok(Some(NewKey { key, secret })),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Ends the key named `name` at once. Answers whether there was a live key of that name.
pub async fn revoke(deps: &Deps, name: &str) -> ServiceResult<bool> {
    let revoked = partner_key::Entity::update_many()
        .col_expr(partner_key::Column::RevokedAt, sea_orm::sea_query::Expr::value(deps.now()))
        .filter(partner_key::Column::Name.eq(name.trim()))
        .filter(partner_key::Column::RevokedAt.is_null())
        .exec(&deps.db)
        .await?;
    Ok(revoked.rows_affected == 1)
}

/// The live key `presented` is, if any. A missing, wrong or revoked key counts against the client's
/// address, and once that address is over its limit it is refused with `RateLimited` at once.
pub async fn verify(
    deps: &Deps,
    presented: Option<&str>,
    client_ip: Option<IpAddr>,
) -> ServiceResult<Option<partner_key::Model>> {
    let found = match presented {
        Some(secret) if secret.starts_with(KEY_PREFIX) => {
            partner_key::Entity::find()
                .filter(partner_key::Column::KeyHash.eq(tokens::hash(secret)))
                .filter(partner_key::Column::RevokedAt.is_null())
                .one(&deps.db)
                .await?
        }
        _ => None,
    };
    if found.is_none() {
        throttle::admit(deps, &ThrottleKeys::partner(client_ip, &deps.settings.login_throttle)).await?;
    }
    Ok(found)
}
