//! Argon2id password hashing (OWASP: m=19456 KiB, t=2, p=1), always off the async workers.

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash},
};
use rand::{Rng, seq::IndexedRandom};

use crate::domain::password_policy::{self, PasswordContext};

use crate::services::{ServiceError, ServiceResult};

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with the current parameters; the PHC string records them.
pub async fn hash(password: String) -> ServiceResult<String> {
    tokio::task::spawn_blocking(move || argon2().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await?
        .map_err(|e| ServiceError::PasswordHashing(e.to_string()))
}

/// The result of checking a password against a stored hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    Mismatch,
    Match,
    /// Correct, but hashed with parameters older than today's: store a fresh hash.
    MatchNeedsRehash,
}

/// Checks `password` against `stored`; with no stored hash (unknown user) it checks a dummy hash
/// so that the answer takes as long as for a real user.
pub async fn verify(password: String, stored: Option<String>) -> ServiceResult<Verification> {
    let verification = tokio::task::spawn_blocking(move || {
        let stored = stored.as_deref().unwrap_or(dummy_hash());
        let Ok(parsed) = PasswordHash::new(stored) else {
            return Verification::Mismatch;
        };
        if argon2().verify_password(password.as_bytes(), &parsed).is_err() {
            return Verification::Mismatch;
        }
        let current = Params::default();
        let outdated = parsed.algorithm.as_str() != Algorithm::Argon2id.as_str()
            || Params::try_from(&parsed).map_or(true, |p| {
                p.m_cost() < current.m_cost()
                    || p.t_cost() < current.t_cost()
                    || p.p_cost() < current.p_cost()
            });
        if outdated { Verification::MatchNeedsRehash } else { Verification::Match }
    })
    .await?;
    Ok(verification)
}

/// A real Argon2id hash of a random password, made once, with today's parameters.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let password: [u8; 16] = rand::rng().random();
        argon2().hash_password(&password).expect("hashing a random password cannot fail").to_string()
    })
}

/// A temporary password for an invitation: random, and meeting the policy it is checked against.
pub fn generate_temporary(context: &PasswordContext<'_>) -> String {
    // No look-alikes (0/O, 1/l/I) so it can be typed from the email.
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rng();
    loop {
        // Four groups of five, e.g. "Kd7mq-Xr4Tz-p9Wnb-Hc3vL": about 115 bits.
        let candidate: String = (0..4)
            .map(|_| {
                (0..5)
                    .map(|_| {
                        let set = [UPPER, LOWER, DIGITS].choose(&mut rng).expect("non-empty");
                        *set.choose(&mut rng).expect("non-empty") as char
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("-");
        if password_policy::violations(&candidate, context).is_empty() {
            return candidate;
        }
    }
}
