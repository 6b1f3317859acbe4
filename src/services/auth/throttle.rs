//! Login throttling, kept in the database so that every server instance sees the same counts.
//!
//! Three counters per attempt: the login with the client address (tight: a guesser at one
//! account), the client address (a guesser across many accounts), and the login from anywhere (a
//! distributed guesser; looser, with a short cap, and never refusing an address the user logged in
//! from lately, so that an attacker elsewhere cannot keep the real user out). An attempt is counted *before* the password is checked, under a row lock, so parallel
//! requests cannot slip past the limit together; a successful login then forgives it. From a
//! key's free attempts on, the key is blocked for 1 s, then 2 s, 4 s… up to its cap; an attempt
//! made while blocked counts too. Attempts older than the window are forgotten.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use entity::login_throttle;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::services::{Deps, ServiceError, ServiceResult};

/// Login attempts are counted per login and client address, per client address, and per login
/// from anywhere. Once a counter's free attempts are used up, each further attempt blocks it for
/// twice as long as the last, up to a cap. (The `[login_throttle]` table of the settings file.)
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleLimits {
    pub free_attempts_per_login_and_address: u32,
    pub free_attempts_per_address: u32,
    pub free_attempts_per_login: u32,
    pub max_block_seconds: u32,
    /// The cap for the login-from-anywhere counter: short, because whoever trips it also keeps the
    /// real user out of addresses they have not logged in from lately.
    pub max_login_block_seconds: u32,
    /// Attempts older than this are forgotten.
    pub window_minutes: u32,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            free_attempts_per_login_and_address: 5,
            free_attempts_per_address: 20,
            free_attempts_per_login: 30,
            max_block_seconds: 300,
            max_login_block_seconds: 30,
            window_minutes: 60,
        }
    }
}

/// The counters one attempt touches.
pub struct ThrottleKeys {
    keys: Vec<Key>,
}

struct Key {
    name: String,
    scope: Scope,
    free: u32,
    max_block_seconds: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    LoginAndAddress,
    /// A successful login gives only its own attempt back: an office's many users share it.
    Address,
    /// Does not refuse an address the user has logged in from lately: a distributed guesser can
    /// trip it, but cannot keep the real user out from their usual place.
    Login,
}

/// How long a successful login makes its address a known one for that login.
const KNOWN_ADDRESS: Duration = Duration::days(30);

impl ThrottleKeys {
    /// `login` is the normalised email (or, when it is not one, a digest of what was typed).
    pub fn new(login: &str, client_ip: Option<IpAddr>, limits: &ThrottleLimits) -> Self {
        let address = client_ip.map_or_else(|| "unknown".to_string(), address_key);
        let keys = vec![
            Key {
                name: format!("login+ip:{login}|{address}"),
                scope: Scope::LoginAndAddress,
                free: limits.free_attempts_per_login_and_address,
                max_block_seconds: limits.max_block_seconds,
            },
            Key {
                name: format!("ip:{address}"),
                scope: Scope::Address,
                free: limits.free_attempts_per_address,
                max_block_seconds: limits.max_block_seconds,
            },
            Key {
                name: format!("login:{login}"),
                scope: Scope::Login,
                free: limits.free_attempts_per_login,
                max_block_seconds: limits.max_login_block_seconds,
            },
        ];
        Self { keys }
    }

    /// A Partner API key check that failed: counted per client address only (there is no login).
    pub fn partner(client_ip: Option<IpAddr>, limits: &ThrottleLimits) -> Self {
        Self::address_only("partner-key", client_ip, limits)
    }

    /// A passkey sign-in begun (a row made for someone nobody knows yet): per client address only.
    pub fn passkey_sign_in(client_ip: Option<IpAddr>, limits: &ThrottleLimits) -> Self {
        Self::address_only("passkey-sign-in", client_ip, limits)
    }

    fn address_only(kind: &str, client_ip: Option<IpAddr>, limits: &ThrottleLimits) -> Self {
        let address = client_ip.map_or_else(|| "unknown".to_string(), address_key);
        let keys = vec![Key {
            name: format!("{kind}+ip:{address}"),
            scope: Scope::Address,
            free: limits.free_attempts_per_address,
            max_block_seconds: limits.max_block_seconds,
        }];
        Self { keys }
    }
}

/// Counters with nothing left to say: their attempts are past the window, no block stands, and the
/// address they remember as the user's own is forgotten. The janitor deletes them.
pub fn forgotten(now: DateTime<Utc>, limits: &ThrottleLimits) -> Condition {
    let window = Duration::minutes(limits.window_minutes.into());
    Condition::all()
        .add(login_throttle::Column::LastFailureAt.lt(now - window))
        .add(
            Condition::any()
                .add(login_throttle::Column::BlockedUntil.is_null())
                .add(login_throttle::Column::BlockedUntil.lt(now)),
        )
        .add(
            Condition::any()
                .add(login_throttle::Column::LastSuccessAt.is_null())
                .add(login_throttle::Column::LastSuccessAt.lt(now - KNOWN_ADDRESS)),
        )
}

/// An IPv4 address as it is; an IPv6 address by its /64, which one subscriber usually holds whole
/// (counting each /128 would let them rotate past the limit).
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts an attempt; refuses it with `RateLimited` while any of its keys is blocked. A refused
/// attempt counts only on the keys that refused it: a guesser who is already blocked cannot keep
/// pushing the victim's login-wide counter (and so lock the real user out from elsewhere). Nor
/// does it create rows: a blocked address sending logins for random emails leaves the table as it
/// was, so the table grows with what is admitted, never with what is refused.
pub async fn admit(deps: &Deps, keys: &ThrottleKeys) -> ServiceResult<()> {
    let window = Duration::minutes(deps.settings.login_throttle.window_minutes.into());
    let now = deps.now();
    let txn = deps.begin().await?;
    let mut rows = locked_rows(&txn, keys).await?;
    if refusals(keys, &rows, now).iter().all(|refuses| !refuses) && rows.iter().any(Option::is_none) {
        // Admitted so far: the missing counters start now. Another request may have made (and
        // blocked) one meanwhile, so the verdict is taken again on the rows as they are now.
        create_rows(&txn, keys, now).await?;
        rows = locked_rows(&txn, keys).await?;
    }
    let refusals = refusals(keys, &rows, now);
    let blocked_until = rows
        .iter()
        .zip(&refusals)
        .filter(|(_, refuses)| **refuses)
        .filter_map(|(row, _)| row.as_ref()?.blocked_until)
        .max();
    for ((key, row), refuses) in keys.keys.iter().zip(rows).zip(refusals) {
        let Some(row) = row else { continue };
        if blocked_until.is_some() && !refuses {
            continue;
        }
        let attempts = if now - row.last_failure_at >= window { 1 } else { row.failures.saturating_add(1) };
        let block = block_for(attempts, key.free, key.max_block_seconds).map(|d| now + d);
        let mut update: login_throttle::ActiveModel = row.into();
        update.failures = Set(attempts);
        update.last_failure_at = Set(now);
        update.blocked_until = Set(block);
        update.update(&txn).await?;
    }
    txn.commit().await?;
    match blocked_until {
        None => Ok(()),
        Some(until) => {
            Err(ServiceError::RateLimited { retry_after_seconds: (until - now).num_seconds().max(1) })
        }
    }
}

/// For each key, whether its row (if it has one) refuses the attempt now. The login-wide key does
/// not refuse an address the user logged in from lately, which its login-and-address row recalls.
fn refusals(keys: &ThrottleKeys, rows: &[Option<login_throttle::Model>], now: DateTime<Utc>) -> Vec<bool> {
    let known_address = keys.keys.iter().zip(rows).any(|(key, row)| {
        key.scope == Scope::LoginAndAddress
            && row.as_ref().and_then(|row| row.last_success_at).is_some_and(|t| now - t < KNOWN_ADDRESS)
    });
    keys.keys
        .iter()
        .zip(rows)
        .map(|(key, row)| {
            row.as_ref().and_then(|row| row.blocked_until).is_some_and(|until| until > now)
                && !(key.scope == Scope::Login && known_address)
        })
        .collect()
}

/// A successful login: its counters forgive it (see `Scope`), and its address becomes known.
pub async fn forgive(deps: &Deps, keys: &ThrottleKeys) -> ServiceResult<()> {
    let now = deps.now();
    let txn = deps.begin().await?;
    // All of them first, in `admit`'s order (by key): locking them one by one in the keys' own order
    // deadlocked against a parallel `admit` on PostgreSQL (a second-step success beside guesses).
    locked_rows(&txn, keys).await?;
    for key in &keys.keys {
        let row = locked_row(&txn, &key.name, now).await?;
        let attempts = if key.scope == Scope::Address { (row.failures - 1).max(0) } else { 0 };
        let mut update: login_throttle::ActiveModel = row.into();
        update.failures = Set(attempts);
        if key.scope == Scope::LoginAndAddress {
            update.last_success_at = Set(Some(now));
        }
        if block_for(attempts, key.free, key.max_block_seconds).is_none() {
            update.blocked_until = Set(None);
        }
        update.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Each key's row, if it has one, locked until the transaction ends (`FOR UPDATE` on PostgreSQL;
/// SQLite has a single writer). In the order of `keys`.
async fn locked_rows(
    txn: &sea_orm::DatabaseTransaction,
    keys: &ThrottleKeys,
) -> ServiceResult<Vec<Option<login_throttle::Model>>> {
    let names = keys.keys.iter().map(|key| key.name.clone());
    let mut found = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(names))
        .order_by_asc(login_throttle::Column::Key)
        .lock_exclusive()
        .all(txn)
        .await?;
    Ok(keys
        .keys
        .iter()
        .map(|key| found.iter().position(|row| row.key == key.name).map(|at| found.swap_remove(at)))
        .collect())
}

/// The rows of the keys that have none yet.
async fn create_rows(
    txn: &sea_orm::DatabaseTransaction,
    keys: &ThrottleKeys,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    for key in &keys.keys {
        insert_row(txn, &key.name, now).await?;
    }
    Ok(())
}

async fn insert_row(txn: &sea_orm::DatabaseTransaction, key: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_string()),
        failures: Set(0),
        last_failure_at: Set(now),
        blocked_until: Set(None),
        last_success_at: Set(None),
    })
    .on_conflict_do_nothing_on([login_throttle::Column::Key])
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The key's row, created if missing, locked until the transaction ends.
async fn locked_row(
    txn: &sea_orm::DatabaseTransaction,
    key: &str,
    now: DateTime<Utc>,
) -> ServiceResult<login_throttle::Model> {
    insert_row(txn, key, now).await?;
    login_throttle::Entity::find_by_id(key)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| ServiceError::Inconsistent("a throttle row vanished".into()))
}

/// Once `free` attempts are reached, 1 s, then 2 s, 4 s… capped.
fn block_for(attempts: i32, free: u32, max_seconds: u32) -> Option<Duration> {
    let over = u32::try_from(attempts).ok()?.checked_sub(free)?;
    let seconds = 1u64.checked_shl(over).unwrap_or(u64::MAX).min(max_seconds.into());
    Some(Duration::seconds(seconds as i64))
}

#[cfg(test)]
mod tests {
    use super::block_for;
    use chrono::Duration;

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let a: std::net::IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(super::address_key(a), super::address_key(b));
        assert_eq!(super::address_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
    }

    #[test]
    fn blocks_double_and_are_capped() {
        assert_eq!(block_for(4, 5, 300), None);
        assert_eq!(block_for(5, 5, 300), Some(Duration::seconds(1)));
        assert_eq!(block_for(7, 5, 300), Some(Duration::seconds(4)));
        assert_eq!(block_for(100, 5, 300), Some(Duration::seconds(300)));
        assert_eq!(block_for(i32::MAX, 5, 300), Some(Duration::seconds(300)));
    }
}
