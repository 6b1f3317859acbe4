//! Auto Pay's schedule, as a pure rule: given the due date it charges for, today, and the attempts
//! made so far, what happens next.
//!
//! A round of attempts starts on the due date, or when an office manager turns Auto Pay on (a fresh
//! start, charged at once). Its attempt `n` is due `retry_days[n - 1]` days after the round's start
//! (attempt 0 on the start itself). A round stops after its last retry day, after a hard decline,
//! and never overlaps an attempt still in progress.

use chrono::{Duration, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptKind {
    Scheduled,
    /// Auto Pay was turned on: a fresh start.
    Enabled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    InProgress,
    Succeeded,
    /// Worth trying again on the next retry day (`insufficient_funds`, a generic decline…).
    Declined,
    /// Not worth trying again: the bank said so, the card is lost or stolen, or the customer must
    /// authenticate (off-session, they cannot).
    Final,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub kind: AttemptKind,
    pub made_on: NaiveDate,
    pub outcome: AttemptOutcome,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Make attempt number `attempt` now.
    Charge { attempt: i32 },
    /// The next attempt is due on this day.
    On(NaiveDate),
    /// An attempt is still in progress: wait for it.
    InProgress,
    /// No more attempts until the customer acts.
    Stopped,
}

/// Whether a decline ends the round: the bank's advice says so, or the card is gone, or the customer
/// must be there to authenticate.
pub fn is_final_decline(failure_code: Option<&str>, advice_code: Option<&str>) -> bool {
    advice_code == Some("do_not_try_again")
        || matches!(
            failure_code,
            Some(
                "do_not_try_again"
                    | "lost_card"
                    | "stolen_card"
                    | "pickup_card"
                    | "expired_card"
                    | "authentication_required"
                    | "resource_missing"
            )
        )
}

/// What Auto Pay does next for what fell due on `due_on`, given the attempts for it, oldest first.
pub fn next(due_on: NaiveDate, today: NaiveDate, attempts: &[Attempt], retry_days: &[u32]) -> Next {
    // The current round: since the last fresh start, or since the due date.
    let start = attempts.iter().rposition(|a| a.kind == AttemptKind::Enabled);
    let (round_start, round) = match start {
        Some(at) => (attempts[at].made_on, &attempts[at..]),
        None => (due_on, attempts),
    };
    match round.last().map(|a| a.outcome) {
        Some(AttemptOutcome::InProgress) => return Next::InProgress,
        Some(AttemptOutcome::Final) => return Next::Stopped,
        _ => {}
    }
    let made = round.len();
    let day = match made {
        0 => round_start,
        n => match retry_days.get(n - 1) {
            Some(days) => round_start + Duration::days(i64::from(*days)),
            None => return Next::Stopped,
        },
    };
    if today >= day { Next::Charge { attempt: attempts.len() as i32 } } else { Next::On(day) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn attempt(kind: AttemptKind, on: u32, outcome: AttemptOutcome) -> Attempt {
        Attempt { kind, made_on: day(on), outcome }
    }

    const RETRIES: &[u32] = &[3, 5, 7];
    use AttemptKind::*;
    use AttemptOutcome::*;

    #[test]
    fn charges_on_the_due_date_then_on_each_retry_day_then_stops() {
        assert_eq!(next(day(10), day(9), &[], RETRIES), Next::On(day(10)));
        assert_eq!(next(day(10), day(10), &[], RETRIES), Next::Charge { attempt: 0 });
        let mut made = vec![attempt(Scheduled, 10, Declined)];
        assert_eq!(next(day(10), day(12), &made, RETRIES), Next::On(day(13)));
        assert_eq!(next(day(10), day(13), &made, RETRIES), Next::Charge { attempt: 1 });
        made.push(attempt(Scheduled, 13, Declined));
        assert_eq!(next(day(10), day(14), &made, RETRIES), Next::On(day(15)));
        made.push(attempt(Scheduled, 15, Declined));
        assert_eq!(next(day(10), day(20), &made, RETRIES), Next::Charge { attempt: 3 });
        made.push(attempt(Scheduled, 20, Declined));
        assert_eq!(next(day(10), day(30), &made, RETRIES), Next::Stopped, "after the last retry day");
    }

    #[test]
    fn never_overlaps_an_attempt_in_progress_and_stops_on_a_final_decline() {
        let running = [attempt(Scheduled, 10, InProgress)];
        assert_eq!(next(day(10), day(20), &running, RETRIES), Next::InProgress);
        let hard = [attempt(Scheduled, 10, Final)];
        assert_eq!(next(day(10), day(20), &hard, RETRIES), Next::Stopped);
        assert!(is_final_decline(Some("card_declined"), Some("do_not_try_again")));
        assert!(is_final_decline(Some("stolen_card"), None));
        assert!(!is_final_decline(Some("insufficient_funds"), Some("try_again_later")));
        assert!(!is_final_decline(None, None));
    }

    #[test]
    fn turning_auto_pay_on_starts_a_fresh_round() {
        let made = [attempt(Scheduled, 10, Final), attempt(Enabled, 21, Declined)];
        assert_eq!(
            next(day(10), day(22), &made, RETRIES),
            Next::On(day(24)),
            "three days after the fresh start"
        );
        assert_eq!(next(day(10), day(24), &made, RETRIES), Next::Charge { attempt: 2 });
    }
}
