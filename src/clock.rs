//! What time it is. Every service, job and the outbox read the time from a `Clock`, so that a test
//! can set it (Auto Pay runs on due dates; sessions and links expire) instead of waiting or
//! backdating rows.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock. `Some`: a time that only moves when told to.
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock stopped at `at`; it moves with `set` and `advance`.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self { manual: Some(Arc::new(Mutex::new(at))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            None => Utc::now(),
        }
    }

    /// Sets a manual clock; the system clock ignores it.
    pub fn set(&self, to: DateTime<Utc>) {
        if let Some(at) = &self.manual {
            *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = to;
        }
    }

    /// Moves a manual clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.manual {
            let mut at = at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Utc::now() - Duration::days(400);
        let clock = Clock::manual(start);
        let copy = clock.clone();
        assert_eq!(clock.now(), start);
        copy.advance(Duration::hours(2));
        assert_eq!(clock.now(), start + Duration::hours(2), "clones share the time");
        clock.set(start);
        assert_eq!(copy.now(), start);
        assert!(Clock::system().now() > start + Duration::days(399));
    }
}
