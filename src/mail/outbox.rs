//! The email outbox: queue in the caller's transaction, deliver later, at least once, never lost.
//!
//! Several senders (one per server instance, plus CLI commands) may run at once: a sender claims a
//! row with a conditional update before sending, so a row is sent by one sender at a time. A sent
//! row keeps its envelope but loses its bodies, which carry temporary passwords and reset links.
//! Each row is one message with one `Message-ID`, made from the row, on every attempt. A row the
//! mail server refuses for good (a 5xx, an address it cannot take) is marked failed, loses its
//! bodies likewise, and is counted and logged; it is never tried again.

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use entity::email_outbox;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, Func},
};
use tokio::sync::Notify;

use crate::clock::Clock;

use super::{Email, transport::Transport};

/// How long a claim lasts: a sender that dies mid-send frees its row after this.
const CLAIM: Duration = Duration::seconds(60);
const BATCH: u64 = 50;

/// Where services queue email. Cheap to clone; clones share the sender's wake-up.
#[derive(Clone, Default)]
pub struct Outbox {
    /// Wakes this process's sender as soon as something is queued, instead of at its next poll.
    wakeup: Arc<Notify>,
}

impl Outbox {
    /// Queues `email` in the caller's transaction: it is sent only if that commits. Call `wake`
    /// after the commit.
    pub async fn enqueue(
        &self,
        db: &impl ConnectionTrait,
        email: Email,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        enqueue(db, email, now).await
    }

    /// Tells this process's sender that something is waiting.
    pub fn wake(&self) {
        self.wakeup.notify_one();
    }

    /// Resolves when `wake` is called.
    pub async fn woken(&self) {
        self.wakeup.notified().await;
    }
}

async fn enqueue(db: &impl ConnectionTrait, email: Email, now: DateTime<Utc>) -> Result<(), DbErr> {
    email_outbox::ActiveModel {
        recipient: Set(email.to),
        subject: Set(email.subject),
        text_body: Set(email.text),
        html_body: Set(email.html),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        failed_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What one pass over the outbox did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// How queued emails leave: the transport, the sender's address, and how far retries back off.
pub struct Sender {
    pub transport: Transport,
    pub from: String,
    pub max_retry_delay_seconds: u64,
}

impl Sender {
    /// The row's `Message-ID`: its id and the moment it was queued, at the sender's domain. The
    /// same on every attempt, unique across the rows of one database.
    fn message_id(&self, row: &email_outbox::Model) -> String {
        let domain =
            self.from.rsplit_once('@').map_or("localhost", |(_, domain)| domain.trim_end_matches('>'));
        format!("<outbox.{}.{}@{domain}>", row.id, row.created_at.timestamp_micros())
    }
}

/// Sends every due email once; failures are rescheduled with exponential backoff.
pub async fn deliver_due(db: &DatabaseConnection, clock: &Clock, sender: &Sender) -> Result<Delivery, DbErr> {
    let now = clock.now();
    let due = email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::FailedAt.is_null())
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(email_outbox::Column::ClaimedUntil.is_null())
                .add(email_outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(email_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;

    let mut delivery = Delivery::default();
    for row in due {
        let Some(claimed_until) = claim(db, clock, row.id).await? else {
            continue; // another sender has it, or it is no longer due
        };
        let message_id = sender.message_id(&row);
        let email =
            Email { to: row.recipient, subject: row.subject, text: row.text_body, html: row.html_body };
        let attempts = row.attempts + 1;
        // Counted in the database: another sender may have tried since this row was read.
        let counted = sea_orm::sea_query::ExprTrait::add(Expr::col(email_outbox::Column::Attempts), 1);
        let finish = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Attempts, counted)
            .col_expr(email_outbox::Column::ClaimedUntil, Expr::value(None::<DateTime<Utc>>));
        let finish = match sender.transport.send(&sender.from, &message_id, &email).await {
            Ok(()) => {
                delivery.sent += 1;
                finish
                    .col_expr(email_outbox::Column::SentAt, Expr::value(clock.now()))
                    .col_expr(email_outbox::Column::TextBody, Expr::value(""))
                    .col_expr(email_outbox::Column::HtmlBody, Expr::value(""))
                    .col_expr(email_outbox::Column::LastError, Expr::value(None::<String>))
            }
            Err(error) if error.is_permanent() => {
                delivery.failed += 1;
                metrics::counter!("emails_refused_total").increment(1);
                tracing::error!(outbox_id = row.id, attempts, %error, "email refused for good; not retried");
                finish
                    .col_expr(email_outbox::Column::FailedAt, Expr::value(clock.now()))
                    .col_expr(email_outbox::Column::TextBody, Expr::value(""))
                    .col_expr(email_outbox::Column::HtmlBody, Expr::value(""))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Some(error.to_string())))
            }
            Err(error) => {
                delivery.failed += 1;
                tracing::warn!(outbox_id = row.id, attempts, %error, "email delivery failed; will retry");
                let max = sender.max_retry_delay_seconds;
                let delay = 1u64.checked_shl(attempts.unsigned_abs().min(30)).unwrap_or(max).min(max);
                finish
                    .col_expr(
                        email_outbox::Column::NextAttemptAt,
                        Expr::value(clock.now() + Duration::seconds(delay as i64)),
                    )
                    .col_expr(email_outbox::Column::LastError, Expr::value(Some(error.to_string())))
            }
        };
        // Only while the claim is still ours.
        let finished = finish
            .filter(email_outbox::Column::Id.eq(row.id))
            .filter(email_outbox::Column::ClaimedUntil.eq(claimed_until))
            .exec(db)
            .await?;
        if finished.rows_affected == 0 {
            tracing::warn!(
                outbox_id = row.id,
                "the claim lapsed before the send finished; another sender may repeat it"
            );
        }
    }
    Ok(delivery)
}

/// Claims a due row for `CLAIM`; `None` when another sender holds it or it is not due any more.
/// The clock is read here, not at the start of the pass: sends before this one take time.
async fn claim(db: &DatabaseConnection, clock: &Clock, id: i64) -> Result<Option<DateTime<Utc>>, DbErr> {
    let now = clock.now();
    // Microseconds: what PostgreSQL keeps, so that the claim compares equal when read back.
    let claimed_until = (now + CLAIM).trunc_subsecs(6);
    let result = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::ClaimedUntil, Expr::value(claimed_until))
        .filter(email_outbox::Column::Id.eq(id))
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::FailedAt.is_null())
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(email_outbox::Column::ClaimedUntil.is_null())
                .add(email_outbox::Column::ClaimedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then_some(claimed_until))
}

/// Emails not sent yet (and not refused for good): how many, and when the oldest was queued (one
/// aggregate query).
pub async fn backlog(db: &DatabaseConnection) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let row: Option<(i64, Option<DateTime<Utc>>)> = email_outbox::Entity::find()
        .select_only()
        .expr(Func::count(Expr::col(email_outbox::Column::Id)))
        .expr(Func::min(Expr::col(email_outbox::Column::CreatedAt)))
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::FailedAt.is_null())
        .into_tuple()
        .one(db)
        .await?;
    let (count, oldest) = row.unwrap_or((0, None));
    Ok((count.max(0) as u64, oldest))
}
