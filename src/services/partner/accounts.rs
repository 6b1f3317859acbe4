//! Accounts as the billing engine opens and keeps them, and their first users.

use entity::{Currency, account, ledger_entry, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set, SqlErr,
};

use crate::{
    domain::{
        address::Address,
        locale::{self, Locale},
        time,
    },
    i18n::Text,
    services::{
        Deps, Field, ServiceError, ServiceResult, UserErrorCode,
        accounts::{
            self,
            profile::normalise_address,
            users::{self, Invitation},
        },
        activity::{self, Action},
    },
};

use super::{Put, identifier, problem, text};

pub struct AccountInput {
    pub name: String,
    pub address: Address,
    pub time_zone: String,
    pub currency: String,
    /// None: a new account's follows its address; an existing one's stays.
    pub locale: Option<Locale>,
}

/// Opens the account numbered `number`, or brings it up to date. Its currency cannot change once
/// anything has been posted to it.
pub async fn put(deps: &Deps, number: &str, input: AccountInput) -> ServiceResult<Put<account::Model>> {
    let mut problems = Vec::new();
    identifier(number, Field::AccountNumber, &mut problems);
    text(&input.name, Field::Name, 200, &mut problems);
    let mut address_errors = Vec::new();
    let address = normalise_address(input.address, &mut address_errors);
    problems.extend(address_errors);
    if time::parse_zone(&input.time_zone).is_none() {
        problems.push(problem(
            Field::TimeZone,
            format!("{:?} is not an IANA time zone such as America/Toronto.", input.time_zone),
        ));
    }
    let currency = Currency::parse(input.currency.trim());
    if currency.is_none() {
        problems
            .push(problem(Field::Currency, format!("{:?} is not a currency we bill in.", input.currency)));
    }
    let Some(currency) = currency.filter(|_| problems.is_empty()) else {
        return Err(ServiceError::Refused(problems));
    };
    let name = input.name.trim().to_string();
    // Canada's taxes go by province; elsewhere the billing engine sends the taxes it charged.
    let tax_region = if address.country == "CA" { address.province.clone() } else { address.country.clone() };
    let now = deps.now();
    let wanted = |mut row: account::ActiveModel| {
        row.name = Set(name.clone());
        row.address_line1 = Set(address.line1.clone());
        row.address_line2 = Set(address.line2.clone());
        row.city = Set(address.city.clone());
        row.province = Set(address.province.clone());
        row.postal_code = Set(address.postal_code.clone());
        row.country = Set(address.country.clone());
        row.time_zone = Set(input.time_zone.clone());
        row.currency = Set(currency);
        row.tax_region = Set(tax_region.clone());
        row.updated_at = Set(now);
        row
    };

    let txn = deps.begin().await?;
    // Locked: an update (a currency change) and a posting to the account go one at a time.
    let existing =
        account::Entity::find().filter(account::Column::Number.eq(number)).lock_exclusive().one(&txn).await?;
    let Some(current) = existing else {
        let opened = wanted(account::ActiveModel {
            number: Set(number.to_string()),
            locale: Set(input
                .locale
                .unwrap_or_else(|| locale::for_address(&address.country, &address.province))),
            created_at: Set(now),
            ..Default::default()
        })
        .insert(&txn)
        .await;
        let opened = match opened {
            Ok(opened) => opened,
            // Opened by a request at the same moment: this one is the update it now is.
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                return Box::pin(put(deps, number, AccountInput { name, address, ..input })).await;
            }
            Err(error) => return Err(error.into()),
        };
        let summary = format!("The carrier opened account {} for {}", opened.number, opened.name);
        activity::record(&txn, opened.id, None, Action::AccountOpened, summary, now).await?;
        txn.commit().await?;
        tracing::info!(account = %opened.number, "account opened by the billing engine");
        return Ok(Put::Created(opened));
    };
    let same = current.name == name
        && accounts::address(&current) == address
        && current.time_zone == input.time_zone
        && current.currency == currency
        && input.locale.is_none_or(|wanted| wanted == current.locale);
    if same {
        txn.rollback().await?;
        return Ok(Put::Unchanged(current));
    }
    if current.currency != currency {
        let posted = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::AccountId.eq(current.id))
            .count(&txn)
            .await?;
        if posted > 0 {
            txn.rollback().await?;
            return Err(ServiceError::Conflict(Text::verbatim(format!(
                "Account {number} is billed in {}: its currency cannot change once anything is posted to it.",
                current.currency.code()
            ))));
        }
    }
    let mut update = wanted(current.into());
    if let Some(wanted) = input.locale {
        update.locale = Set(wanted);
    }
    let updated = update.update(&txn).await?;
    let summary = "The carrier updated the account's name, address, time zone, currency or language";
    activity::record(&txn, updated.id, None, Action::ProfileUpdated, summary, now).await?;
    txn.commit().await?;
    Ok(Put::Updated(updated))
}

/// Invites someone into the account, as an office manager's `inviteUser` does (an email already
/// in use anywhere is a conflict).
pub async fn invite(deps: &Deps, number: &str, invitation: Invitation) -> ServiceResult<Put<user::Model>> {
    match users::invite_by_operator(deps, number, invitation).await {
        Err(ServiceError::Refused(errors)) if errors.iter().any(|e| e.code == UserErrorCode::EmailTaken) => {
            Err(ServiceError::Conflict(Text::verbatim("This email address already has a login.")))
        }
        other => other.map(Put::Created),
    }
}
