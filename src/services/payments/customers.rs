//! Each account's customer at the gateway, created the first time it is needed.

use entity::{account, gateway_customer};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, SqlErr};

use crate::{
    gateway::CustomerRequest,
    services::{Deps, ServiceResult},
};

/// The account's customer id at the configured gateway.
pub async fn ensure(deps: &Deps, account: &account::Model) -> ServiceResult<String> {
    let gateway = deps.gateway.name();
    let find = || {
        gateway_customer::Entity::find()
            .filter(gateway_customer::Column::AccountId.eq(account.id))
            .filter(gateway_customer::Column::Gateway.eq(gateway))
            .one(&deps.db)
    };
    if let Some(known) = find().await? {
        return Ok(known.customer_id);
    }
    // The gateway creates it idempotently per account, so two racing requests get the same one.
    let request =
        CustomerRequest { account_id: account.id, account_number: &account.number, name: &account.name };
    let customer_id = deps.gateway.create_customer(request).await?;
    let inserted = gateway_customer::ActiveModel {
        account_id: Set(account.id),
        gateway: Set(gateway.to_string()),
        customer_id: Set(customer_id.clone()),
        created_at: Set(deps.now()),
        ..Default::default()
    }
    .insert(&deps.db)
    .await;
    match inserted {
        Ok(row) => Ok(row.customer_id),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Ok(find().await?.map_or(customer_id, |row| row.customer_id))
        }
        Err(error) => Err(error.into()),
    }
}
