//! The caller's account: who it is, where it is billed, what it owes, and its people.

use async_graphql::{Context, ID, Object, SimpleObject, dataloader::DataLoader};
use entity::{account, billing_contact, ledger_entry};

use crate::services::{self, ServiceError, billing::AccountStanding};

use super::{
    connection::{self, PagedList},
    context,
    errors::ApiResult,
    ids,
    invoices::Invoice,
    loaders::{PaymentMethodLoader, StandingLoader},
    money::Money,
    payments::{AutoPay, Payment, PaymentMethod},
    scalars::Date,
    transactions::{Transaction, TransactionKind},
    users::User,
};

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

pub struct Account(pub account::Model);

impl Account {
    async fn standing(&self, ctx: &Context<'_>) -> async_graphql::Result<std::sync::Arc<AccountStanding>> {
        let loader = ctx.data_unchecked::<DataLoader<StandingLoader>>();
        let standing = loader.load_one(self.0.id).await.map_err(ServiceError::from).api(ctx)?;
        standing.ok_or(ServiceError::NotFound).api(ctx)
    }
}

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

    /// What the account owes now, and by when.
    async fn current_balance(&self, ctx: &Context<'_>) -> async_graphql::Result<CurrentBalance> {
        let standing = self.standing(ctx).await?;
        Ok(CurrentBalance {
            amount: Money::new(standing.balance_minor, &self.0.currency),
            due_date: standing.due_on().map(Date),
            is_credit: standing.balance_minor < 0,
        })
    }

    /// The most recent successful payment.
    async fn last_payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        let caller = context::caller(ctx).api(ctx)?;
        let payment = services::payments::last_succeeded(context::state(ctx), caller).await.api(ctx)?;
        Ok(payment.map(Payment))
    }

    async fn auto_pay(&self, ctx: &Context<'_>) -> async_graphql::Result<AutoPay> {
        let caller = context::caller(ctx).api(ctx)?;
        let setting = services::payments::auto_pay(context::state(ctx), caller).await.api(ctx)?;
        let standing = self.standing(ctx).await?;
        let payment_method = match setting.payment_method_id {
            Some(id) => {
                let loader = ctx.data_unchecked::<DataLoader<PaymentMethodLoader>>();
                let method = loader.load_one(id).await.map_err(ServiceError::from).api(ctx)?;
                method.map(|model| PaymentMethod { model, is_auto_pay: true, today: standing.today })
            }
            None => None,
        };
        let next_charge_on = if setting.enabled {
            standing.unpaid().map(|invoice| invoice.due_on.max(standing.today)).min().map(Date)
        } else {
            None
        };
        Ok(AutoPay { enabled: setting.enabled, payment_method, next_charge_on })
    }

    /// Cards and bank accounts on file.
    async fn payment_methods(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PaymentMethod>> {
        let caller = context::caller(ctx).api(ctx)?;
        let state = context::state(ctx);
        let methods = services::payments::methods(state, caller).await.api(ctx)?;
        let auto_pay = services::payments::auto_pay(state, caller).await.api(ctx)?;
        let today = self.standing(ctx).await?.today;
        Ok(methods
            .into_iter()
            .map(|model| PaymentMethod {
                is_auto_pay: auto_pay.enabled && auto_pay.payment_method_id == Some(model.id),
                model,
                today,
            })
            .collect())
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
        let caller = context::caller(ctx).api(ctx)?;
        let contacts = services::accounts::billing_contacts(context::state(ctx), caller).await.api(ctx)?;
        Ok(contacts.into_iter().map(BillingContact).collect())
    }

    /// Invoices, payments, credits and refunds, newest first, each with the balance after it.
    async fn transactions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        after: Option<String>,
        kinds: Option<Vec<TransactionKind>>,
    ) -> async_graphql::Result<PagedList<Transaction>> {
        let caller = context::caller(ctx).api(ctx)?;
        let kinds: Option<Vec<ledger_entry::Kind>> = kinds.map(|k| k.into_iter().map(Into::into).collect());
        let page = services::transactions::page(
            context::state(ctx),
            caller,
            first,
            after.as_deref(),
            kinds.as_deref(),
        )
        .await
        .api(ctx)?;
        Ok(connection::from_page(page, Transaction))
    }

    /// Invoices, newest first.
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        after: Option<String>,
    ) -> async_graphql::Result<PagedList<Invoice>> {
        let caller = context::caller(ctx).api(ctx)?;
        let page =
            services::invoices::page(context::state(ctx), caller, first, after.as_deref()).await.api(ctx)?;
        Ok(connection::from_page(page, Invoice))
    }

    /// Everyone with a login to this account.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let caller = context::caller(ctx).api(ctx)?;
        let users = services::users::list(context::state(ctx), caller).await.api(ctx)?;
        Ok(users.into_iter().map(User).collect())
    }
}

#[derive(SimpleObject)]
pub struct CurrentBalance {
    /// Positive when owed; negative is a credit applied to future invoices.
    pub amount: Money,
    /// When the oldest unpaid invoice is due; null when nothing is owed.
    pub due_date: Option<Date>,
    pub is_credit: bool,
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
