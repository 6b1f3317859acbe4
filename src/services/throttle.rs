//! Login throttling, per email address and per client address, kept in the database so that
//! every server instance sees the same counts.
//!
//! Each failure (including an attempt made while blocked) is counted. From the free failures on,
//! the key is blocked for 1 s, then 2 s, 4 s… up to `max_block_seconds`; failures older than the
//! window are forgotten, and a successful login clears its email's count.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use entity::login_throttle;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, OnConflict},
};

use crate::{config::LoginThrottleSettings, state::AppState};

use super::{ServiceError, ServiceResult};

pub struct ThrottleKeys {
    email: String,
    ip: Option<String>,
}

impl ThrottleKeys {
    pub fn new(email: &str, client_ip: Option<IpAddr>) -> Self {
        Self { email: format!("email:{email}"), ip: client_ip.map(|ip| format!("ip:{ip}")) }
    }

    fn each<'a>(&'a self, limits: &LoginThrottleSettings) -> impl Iterator<Item = (&'a str, u32)> {
        std::iter::once((self.email.as_str(), limits.free_failures_per_email))
            .chain(self.ip.as_deref().map(|ip| (ip, limits.free_failures_per_ip)))
    }
}

/// Refuses with `RateLimited` while either key is blocked; the refused attempt still counts.
pub async fn check(state: &AppState, keys: &ThrottleKeys) -> ServiceResult<()> {
    let now = Utc::now();
    let mut blocked_until: Option<DateTime<Utc>> = None;
    for (key, _) in keys.each(&state.settings.login_throttle) {
        if let Some(row) = login_throttle::Entity::find_by_id(key).one(&state.db).await?
            && let Some(until) = row.blocked_until
            && until > now
        {
            blocked_until = blocked_until.max(Some(until));
        }
    }
    match blocked_until {
        None => Ok(()),
        Some(until) => {
            record_failure(state, keys).await?;
            let retry_after_seconds = (until - now).num_seconds().max(1);
            Err(ServiceError::RateLimited { retry_after_seconds })
        }
    }
}

pub async fn record_failure(state: &AppState, keys: &ThrottleKeys) -> ServiceResult<()> {
    let limits = &state.settings.login_throttle;
    let now = Utc::now();
    let window_start = now - Duration::minutes(limits.window_minutes.into());
    // Scoped here: its `min`/`max` would shadow `Ord`'s elsewhere in this module.
    use sea_orm::sea_query::ExprTrait as _;
    for (key, free) in keys.each(limits) {
        // One atomic upsert, so concurrent failures are each counted.
        let counted = login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.to_string()),
            failures: Set(1),
            last_failure_at: Set(now),
            blocked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .value(
                    login_throttle::Column::Failures,
                    // Qualified: inside DO UPDATE a bare name could also mean the proposed row.
                    Expr::case(
                        Expr::col((login_throttle::Entity, login_throttle::Column::LastFailureAt))
                            .lt(window_start),
                        1,
                    )
                    .finally(Expr::col((login_throttle::Entity, login_throttle::Column::Failures)).add(1)),
                )
                .value(login_throttle::Column::LastFailureAt, now)
                .to_owned(),
        )
        .exec_with_returning(&state.db)
        .await?;
        if let Some(block) = block_for(counted.failures, free, limits.max_block_seconds) {
            login_throttle::Entity::update_many()
                .col_expr(login_throttle::Column::BlockedUntil, Expr::value(now + block))
                .filter(login_throttle::Column::Key.eq(key))
                .exec(&state.db)
                .await?;
        }
    }
    Ok(())
}

/// A successful login proves the email's owner is back: clear its count (not the address's).
pub async fn clear_email(state: &AppState, keys: &ThrottleKeys) -> ServiceResult<()> {
    login_throttle::Entity::delete_by_id(keys.email.as_str()).exec(&state.db).await?;
    Ok(())
}

/// Once `free` failures are reached, 1 s, then 2 s, 4 s… capped.
fn block_for(failures: i32, free: u32, max_seconds: u32) -> Option<Duration> {
    let over = u32::try_from(failures).ok()?.checked_sub(free)?;
    let seconds = 1u64.checked_shl(over).unwrap_or(u64::MAX).min(max_seconds.into());
    Some(Duration::seconds(seconds as i64))
}

#[cfg(test)]
mod tests {
    use super::block_for;
    use chrono::Duration;

    #[test]
    fn blocks_double_and_are_capped() {
        assert_eq!(block_for(4, 5, 300), None);
        assert_eq!(block_for(5, 5, 300), Some(Duration::seconds(1)));
        assert_eq!(block_for(7, 5, 300), Some(Duration::seconds(4)));
        assert_eq!(block_for(100, 5, 300), Some(Duration::seconds(300)));
        assert_eq!(block_for(i32::MAX, 5, 300), Some(Duration::seconds(300)));
    }
}
