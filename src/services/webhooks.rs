//! What payment partners tell us by webhook. The signature is verified before anything else; each
//! event is recorded in the same transaction as its effect, so a redelivery (or two deliveries at
//! once) changes nothing; effects are idempotent on the object too, since a gateway may send two
//! events for one change. Above the services it hands each event to: payments (settlement, refunds,
//! disputes) and Auto Pay (a method the gateway removed).

use chrono::{DateTime, Utc};
use entity::{ledger_entry, payment, payment_dispute, payment_method, webhook_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, Set, SqlErr,
    sea_query::OnConflict,
};

use crate::{
    gateway::{ChargeOutcome, GatewayEvent, WebhookError, WebhookEvent},
    i18n::Text,
    services::{
        Deps, ServiceError, ServiceResult, auto_pay,
        billing::ledger::{self, NewEntry},
        notifications::{self, Except},
        payments::{effects, settle, transition::Settled},
    },
};

/// How a delivery was taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Receipt {
    Applied,
    /// Seen before: nothing changed.
    Duplicate,
    /// Of a type we do not act on, or about an object this deployment never made (another product,
    /// or another deployment, on the same gateway account): acknowledged, so that the gateway stops
    /// sending it.
    Ignored,
}

/// Why a delivery was not taken.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// Not the gateway this deployment uses.
    #[error("no such webhook endpoint")]
    UnknownGateway,
    #[error(transparent)]
    Invalid(#[from] WebhookError),
    /// About a payment we have not stored yet (its request is still in flight): the gateway
    /// delivers it again later.
    #[error("the event's payment is not known yet")]
    NotYet,
    #[error(transparent)]
    Failed(#[from] ServiceError),
}

pub async fn receive(
    deps: &Deps,
    gateway: &str,
    payload: &[u8],
    signature: Option<&str>,
) -> Result<Receipt, Refusal> {
    let mut kind = "unverified".to_string();
    let received = verify_and_apply(deps, gateway, payload, signature, &mut kind).await;
    let result = match &received {
        Ok(Receipt::Applied) => "applied",
        Ok(Receipt::Duplicate) => "duplicate",
        Ok(Receipt::Ignored) => "ignored",
        Err(Refusal::UnknownGateway) => "unknown_gateway",
        Err(Refusal::Invalid(_)) => "invalid",
        Err(Refusal::NotYet) => "not_yet",
        Err(Refusal::Failed(_)) => "failed",
    };
    metrics::counter!("webhook_events_total", "type" => kind, "result" => result).increment(1);
    received
}

async fn verify_and_apply(
    deps: &Deps,
    gateway: &str,
    payload: &[u8],
    signature: Option<&str>,
    kind: &mut String,
) -> Result<Receipt, Refusal> {
    if gateway != deps.gateway.name() {
        return Err(Refusal::UnknownGateway);
    }
    let now = deps.now();
    let event = deps.gateway.parse_webhook(payload, signature, now)?;
    // Verified: the gateway's own event type, a label of a known, bounded set.
    *kind = event.kind.chars().take(64).collect();
    let txn = deps.begin().await.map_err(ServiceError::from)?;
    let recorded = webhook_event::ActiveModel {
        gateway: Set(gateway.to_string()),
        event_id: Set(event.id.clone()),
        event_type: Set(event.kind.chars().take(255).collect()),
        received_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match recorded {
        Ok(_) => {}
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(Receipt::Duplicate);
        }
        Err(error) => return Err(ServiceError::from(error).into()),
    }
    let (receipt, settled) = apply(deps, &txn, &event, now).await?;
    txn.commit().await.map_err(ServiceError::from)?;
    deps.outbox.wake();
    if let Some(settled) = &settled {
        effects::committed(deps, settled);
    }
    tracing::info!(event_id = %event.id, kind = %event.kind, ?receipt, "webhook taken");
    Ok(receipt)
}

async fn apply(
    deps: &Deps,
    txn: &DatabaseTransaction,
    event: &WebhookEvent,
    now: DateTime<Utc>,
) -> Result<(Receipt, Option<Settled>), Refusal> {
    // Ours only if it carries our installation id: then our payment id in it can be trusted, and
    // a payment we do not know yet is one still being stored.
    let ours = event.installation.as_deref() == Some(deps.settings.installation_id.as_str());
    let outcome = |reference: &str| match &event.event {
        GatewayEvent::PaymentSucceeded { .. } => ChargeOutcome::Succeeded { reference: reference.into() },
        GatewayEvent::PaymentFailed { decline, .. } => ChargeOutcome::Declined(decline.clone()),
        GatewayEvent::PaymentProcessing { .. } => ChargeOutcome::Processing { reference: reference.into() },
        _ => ChargeOutcome::Canceled { reference: reference.into() },
    };
    match &event.event {
        GatewayEvent::PaymentSucceeded { reference, payment_id }
        | GatewayEvent::PaymentFailed { reference, payment_id, .. }
        | GatewayEvent::PaymentProcessing { reference, payment_id }
        | GatewayEvent::PaymentCanceled { reference, payment_id } => {
            let Some(payment) = find_payment(txn, reference, *payment_id, ours).await? else {
                return Ok((Receipt::Ignored, None));
            };
            let settled = settle::apply_in(deps, txn, payment, &outcome(reference)).await?;
            return Ok((Receipt::Applied, Some(settled)));
        }
        GatewayEvent::ChargeRefunded { reference, amount_refunded } => {
            let Some(payment) = find_payment(txn, reference, None, ours).await? else {
                return Ok((Receipt::Ignored, None));
            };
            // Refunded before we know it succeeded (its own event is late): deliver again later.
            if payment.status != payment::Status::Succeeded {
                return Err(Refusal::NotYet);
            }
            refund(deps, txn, payment, *amount_refunded, now).await?;
        }
        GatewayEvent::DisputeCreated { reference, dispute_id, amount_minor, reason } => {
            let Some(payment) = find_payment(txn, reference, None, ours).await? else {
                return Ok((Receipt::Ignored, None));
            };
            let inserted = payment_dispute::Entity::insert(payment_dispute::ActiveModel {
                payment_id: Set(payment.id),
                gateway_dispute_id: Set(dispute_id.clone()),
                amount_minor: Set(*amount_minor),
                reason: Set(reason.chars().take(255).collect()),
                created_at: Set(now),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::column(payment_dispute::Column::GatewayDisputeId).do_nothing().to_owned(),
            )
            .exec_without_returning(txn)
            .await
            .map_err(ServiceError::from)?;
            // Another event about a dispute we know: told already.
            if inserted == 0 {
                return Ok((Receipt::Applied, None));
            }
            notifications::payment_disputed(deps, txn, &payment, *amount_minor, reason).await?;
        }
        GatewayEvent::MethodUpdated { method, exp_month, exp_year, last4 } => {
            let mut update = payment_method::Entity::update_many()
                .col_expr(payment_method::Column::ExpMonth, (*exp_month).into())
                .col_expr(payment_method::Column::ExpYear, (*exp_year).into());
            if let Some(last4) = last4 {
                update = update.col_expr(
                    payment_method::Column::Last4,
                    last4.chars().take(4).collect::<String>().into(),
                );
            }
            update
                .filter(payment_method::Column::GatewayId.eq(method.as_str()))
                .filter(payment_method::Column::RemovedAt.is_null())
                .exec(txn)
                .await
                .map_err(ServiceError::from)?;
        }
        GatewayEvent::MethodDetached { method } => {
            auto_pay::methods::removed_by_gateway(deps, txn, method, now).await?
        }
        GatewayEvent::Ignored => return Ok((Receipt::Ignored, None)),
    }
    Ok((Receipt::Applied, None))
}

/// The payment an event is about: by the gateway's reference, or by our id in its metadata (a
/// charge whose answer never reached us has no reference yet) when the event is `ours`. `None`:
/// not ours, and unknown. One of ours we do not know yet is `NotYet`.
async fn find_payment(
    txn: &DatabaseTransaction,
    reference: &str,
    payment_id: Option<i64>,
    ours: bool,
) -> Result<Option<payment::Model>, Refusal> {
    let payment_id = payment_id.filter(|_| ours);
    // By our id (the event's metadata), unless that row already knows another reference; else by
    // the reference.
    let by_id = match payment_id {
        Some(id) => payment::Entity::find_by_id(id)
            .filter(
                Condition::any()
                    .add(payment::Column::GatewayReference.is_null())
                    .add(payment::Column::GatewayReference.eq(reference)),
            )
            .one(txn)
            .await
            .map_err(ServiceError::from)?,
        None => None,
    };
    let found = match by_id {
        Some(found) => Some(found),
        None => payment::Entity::find()
            .filter(payment::Column::GatewayReference.eq(reference))
            .one(txn)
            .await
            .map_err(ServiceError::from)?,
    };
    match found {
        Some(found) => Ok(Some(settle::lock(txn, found.id).await?)),
        None if ours => Err(Refusal::NotYet),
        None => Ok(None),
    }
}

/// `amount_refunded` is the total so far: only what is new is added to the ledger.
async fn refund(
    deps: &Deps,
    txn: &DatabaseTransaction,
    payment: payment::Model,
    amount_refunded: i64,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let new = amount_refunded.min(payment.amount_minor) - payment.refunded_minor;
    if new <= 0 || payment.status != payment::Status::Succeeded {
        return Ok(());
    }
    let mut update: payment::ActiveModel = payment.clone().into();
    update.refunded_minor = Set(payment.refunded_minor + new);
    update.updated_at = Set(now);
    update.update(txn).await?;
    let entry = ledger::append(
        &deps.updates,
        txn,
        NewEntry {
            account_id: payment.account_id,
            kind: ledger_entry::Kind::Refund,
            amount_minor: new,
            currency: payment.currency,
            description: Text::new("ledger-refund"),
            invoice_id: payment.invoice_id,
            payment_id: Some(payment.id),
            occurred_at: now,
        },
    )
    .await?;
    notifications::posted(deps, txn, &entry, false, Except::default()).await
}
