//! The email outbox: queue in the caller's transaction, deliver later, at least once, never lost.
//!
//! Several senders (one per server instance, plus CLI commands) may run at once: a sender claims a
//! row with a conditional update before sending, so a row is sent by one sender at a time. A sent
//! row keeps its envelope but loses its bodies, which carry temporary passwords and reset links.

use chrono::{Duration, Utc};
use entity::email_outbox;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};

use crate::state::AppState;

use super::{Email, transport::Transport};

/// How long a claim lasts: a sender that dies mid-send frees its row after this.
const CLAIM: Duration = Duration::seconds(60);
const BATCH: u64 = 50;

pub async fn enqueue(db: &impl ConnectionTrait, email: Email) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    email_outbox::ActiveModel {
        recipient: Set(email.to),
        subject: Set(email.subject),
        text_body: Set(email.text),
        html_body: Set(email.html),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
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

/// Sends every due email once; failures are rescheduled with exponential backoff.
pub async fn deliver_due(state: &AppState, transport: &Transport) -> Result<Delivery, sea_orm::DbErr> {
    let now = Utc::now();
    let due = email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(email_outbox::Column::ClaimedUntil.is_null())
                .add(email_outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(email_outbox::Column::Id)
        .limit(BATCH)
        .all(&state.db)
        .await?;

    let mut delivery = Delivery::default();
    for row in due {
        if !claim(state, &row, now).await? {
            continue; // another sender has it
        }
        let email = Email {
            to: row.recipient.clone(),
            subject: row.subject.clone(),
            text: row.text_body.clone(),
            html: row.html_body.clone(),
        };
        let attempts = row.attempts + 1;
        let mut update: email_outbox::ActiveModel = row.into();
        update.attempts = Set(attempts);
        update.claimed_until = Set(None);
        match transport.send(&state.settings.mail_from, &email).await {
            Ok(()) => {
                update.sent_at = Set(Some(Utc::now()));
                update.text_body = Set(String::new());
                update.html_body = Set(String::new());
                update.last_error = Set(None);
                delivery.sent += 1;
            }
            Err(error) => {
                tracing::warn!(outbox_id = ?update.id, attempts, %error, "email delivery failed; will retry");
                let max = state.settings.outbox.max_retry_delay_seconds;
                let delay = 1u64.checked_shl(attempts.unsigned_abs().min(30)).unwrap_or(max).min(max);
                update.next_attempt_at = Set(Utc::now() + Duration::seconds(delay as i64));
                update.last_error = Set(Some(error.to_string()));
                delivery.failed += 1;
            }
        }
        update.update(&state.db).await?;
    }
    Ok(delivery)
}

async fn claim(
    state: &AppState,
    row: &email_outbox::Model,
    now: chrono::DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let result = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::ClaimedUntil, Expr::value(now + CLAIM))
        .filter(email_outbox::Column::Id.eq(row.id))
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(match row.claimed_until {
            None => Condition::all().add(email_outbox::Column::ClaimedUntil.is_null()),
            Some(previous) => Condition::all().add(email_outbox::Column::ClaimedUntil.eq(previous)),
        })
        .exec(&state.db)
        .await?;
    Ok(result.rows_affected == 1)
}
