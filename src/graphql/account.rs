//! The caller's account: who it is, where it is billed, and its people.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{account, billing_contact};

use crate::services;

use super::{context, errors::ApiResult, ids, users::User};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The logged-in user's account.
    async fn account(&self, ctx: &Context<'_>) -> async_graphql::Result<Account> {
        let caller = context::caller(ctx).api(ctx)?;
        let account = services::accounts::get(context::state(ctx), caller).await.api(ctx)?;
        Ok(Account(account))
    }
}

pub struct Account(account::Model);

#[Object]
impl Account {
    async fn id(&self) -> ID {
        ids::encode("Account", self.0.id)
    }

    /// The carrier's account number, as printed on invoices.
    async fn number(&self) -> &str {
        &self.0.number
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn billing_address(&self) -> Address {
        Address {
            line1: self.0.address_line1.clone(),
            line2: self.0.address_line2.clone(),
            city: self.0.city.clone(),
            province: self.0.province.clone(),
            postal_code: self.0.postal_code.clone(),
            country: self.0.country.clone(),
        }
    }

    /// IANA time zone in which the account's dates are shown, e.g. `America/Toronto`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    async fn billing_contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BillingContact>> {
        let contacts =
            services::accounts::billing_contacts(context::state(ctx), context::caller(ctx).api(ctx)?)
                .await
                .api(ctx)?;
        Ok(contacts.into_iter().map(BillingContact).collect())
    }

    /// Everyone with a login to this account.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let users =
            services::users::list(context::state(ctx), context::caller(ctx).api(ctx)?).await.api(ctx)?;
        Ok(users.into_iter().map(User).collect())
    }
}

#[derive(SimpleObject)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    /// Province or territory code, e.g. `ON`.
    pub province: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. `CA`.
    pub country: String,
}

pub struct BillingContact(billing_contact::Model);

#[Object]
impl BillingContact {
    async fn id(&self) -> ID {
        ids::encode("BillingContact", self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}
