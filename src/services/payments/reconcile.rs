//! Reconciliation: asks the gateway about every payment whose outcome we do not know (a charge that
//! timed out, a debit still on its way), and cancels 3-D Secure left waiting. Safe with many
//! instances at once: a payment is claimed by pushing its next check forward, in one conditional
//! update, before the gateway is asked; settling is idempotent anyway.

use chrono::Duration;
use entity::{gateway_customer, payment, payment_method};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};

use crate::{
    gateway::{ChargeLookup, ChargeOutcome, ChargeRequest, GatewayError},
    services::{Deps, ServiceResult},
};

use super::{make::gateway_key, settle};

/// Payments looked at per pass.
const BATCH: u64 = 100;
/// Checks back off from a minute, doubling, to this.
const MAX_BACKOFF: Duration = Duration::hours(1);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Payments the gateway had news of.
    pub settled: usize,
    /// Payments still unknown or on their way; asked again later.
    pub pending: usize,
}

/// Which payments a pass asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Those whose next check has come (the server's schedule, backing off), up to a batch.
    Due,
    /// Every payment whose outcome is unknown, whatever its schedule: `billing-portal reconcile`,
    /// run by an operator after a crash, must not wait for the backoff.
    Every,
}

/// One pass over the payments `scope` names.
pub async fn run(deps: &Deps, scope: Scope) -> ServiceResult<Report> {
    let mut report = Report::default();
    let mut after_id = 0;
    loop {
        let mut query = payment::Entity::find()
            .filter(
                payment::Column::Status.is_in([payment::Status::Processing, payment::Status::RequiresAction]),
            )
            .limit(BATCH);
        query = match scope {
            Scope::Due => query
                .filter(payment::Column::NextCheckAt.lte(deps.now()))
                .order_by_asc(payment::Column::NextCheckAt),
            Scope::Every => query.filter(payment::Column::Id.gt(after_id)).order_by_asc(payment::Column::Id),
        };
        let batch = query.all(&deps.db).await?;
        let full = batch.len() as u64 == BATCH;
        after_id = batch.last().map_or(after_id, |payment| payment.id);
        ask_each(deps, batch, &mut report).await?;
        // The schedule's pass takes one batch; the next pass takes the rest.
        if scope == Scope::Due || !full {
            return Ok(report);
        }
    }
}

async fn ask_each(deps: &Deps, payments: Vec<payment::Model>, report: &mut Report) -> ServiceResult<()> {
    for payment in payments {
        if !claim(deps, &payment).await? {
            continue; // another instance has it
        }
        match ask(deps, &payment).await {
            Ok(Some(outcome)) => {
                let settled = settle::apply(deps, payment.id, &outcome).await?;
                if settled.status == payment.status {
                    report.pending += 1;
                } else {
                    report.settled += 1;
                }
            }
            Ok(None) => report.pending += 1,
            Err(error) => {
                tracing::warn!(payment_id = payment.id, error = %crate::telemetry::chain(&error), "reconciliation could not reach the gateway");
                report.pending += 1;
            }
        }
    }
    Ok(())
}

/// Pushes the payment's next check forward, if nobody else has since it was read.
async fn claim(deps: &Deps, payment: &payment::Model) -> ServiceResult<bool> {
    let backoff = Duration::minutes(1)
        .checked_mul(1 << payment.check_attempts.clamp(0, 10))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    let claimed = payment::Entity::update_many()
        .col_expr(payment::Column::NextCheckAt, Expr::value(deps.now() + backoff))
        .col_expr(payment::Column::CheckAttempts, Expr::value(payment.check_attempts + 1))
        .filter(payment::Column::Id.eq(payment.id))
        .filter(payment::Column::CheckAttempts.eq(payment.check_attempts))
        .filter(payment::Column::Status.eq(payment.status))
        .exec(&deps.db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// What the gateway says of the payment now; `None` when there is nothing new to say.
async fn ask(deps: &Deps, payment: &payment::Model) -> Result<Option<ChargeOutcome>, GatewayError> {
    let now = deps.now();
    let abandoned = payment.status == payment::Status::RequiresAction
        && now >= payment.created_at + settle::REQUIRES_ACTION_LIFETIME;
    if let (true, Some(reference)) = (abandoned, &payment.gateway_reference) {
        tracing::info!(payment_id = payment.id, "3-D Secure was not finished in time: canceling");
        return deps.gateway.cancel(reference).await.map(Some);
    }
    let lookup = match &payment.gateway_reference {
        Some(reference) => ChargeLookup::Reference(reference),
        None => ChargeLookup::PaymentId(payment.id),
    };
    match deps.gateway.retrieve_charge(lookup).await? {
        Some(outcome) => Ok(Some(outcome)),
        // The gateway never got the request: send the same one again, under the same key, which
        // can make at most one charge.
        None => resend(deps, payment).await,
    }
}

async fn resend(deps: &Deps, payment: &payment::Model) -> Result<Option<ChargeOutcome>, GatewayError> {
    let not_ours =
        || GatewayError::protocol(format!("payment {} has no method or customer to charge", payment.id));
    let method = match payment.payment_method_id {
        Some(id) => payment_method::Entity::find_by_id(id).one(&deps.db).await.ok().flatten(),
        None => None,
    }
    .ok_or_else(not_ours)?;
    let customer = gateway_customer::Entity::find()
        .filter(gateway_customer::Column::AccountId.eq(payment.account_id))
        .filter(gateway_customer::Column::Gateway.eq(deps.gateway.name()))
        .one(&deps.db)
        .await
        .ok()
        .flatten()
        .ok_or_else(not_ours)?;
    let request = ChargeRequest {
        payment_id: payment.id,
        amount_minor: payment.amount_minor,
        currency: payment.currency,
        customer: &customer.customer_id,
        method: &method.gateway_id,
        off_session: payment.origin == payment::Origin::AutoPay,
        idempotency_key: &gateway_key(payment.id),
    };
    Ok(Some(settle::outcome_of(payment.id, deps.gateway.charge(request).await)))
}
