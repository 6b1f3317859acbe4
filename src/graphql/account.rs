//! The caller's account: who it is, where it is billed, what it owes, and its people.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{account, billing_contact, ledger_entry};
use tokio::sync::OnceCell;

use crate::{
    domain,
    services::{self, overview::AccountOverview},
};

use super::{
    activity::ActivityEntry,
    connection::{self, PagedList},
    context,
    ids::{self, Kind},
    invoices::Invoice,
    loaders::PaymentMethods,
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
        // A query reads the row its session lookup loaded; nothing has changed it since.
        Ok(Account::new(context::caller(ctx)?.account.as_ref().clone()))
    }
}

/// The account's row, and its overview once a field has asked for it.
pub struct Account(pub account::Model, OnceCell<Box<AccountOverview>>);

impl Account {
    pub fn new(account: account::Model) -> Self {
        Self(account, OnceCell::new())
    }

    /// The caller's account as it is now (read again: a mutation of this request may have changed it).
    pub async fn now(ctx: &Context<'_>) -> async_graphql::Result<Self> {
        let caller = context::caller(ctx)?;
        Self::read_again(context::deps(ctx), caller, ctx.data_unchecked::<PaymentMethods>()).await
    }

    /// The account read again, and the methods `methods` loaded before forgotten (they may have
    /// changed since): for a mutation's answer and a subscription's update alike.
    pub async fn read_again(
        deps: &services::Deps,
        caller: &services::Caller,
        methods: &PaymentMethods,
    ) -> async_graphql::Result<Self> {
        methods.clear::<i64>();
        Ok(Account::new(services::accounts::get(deps, caller).await?))
    }

    /// Read once for all of this account's fields that show it (balance, last payment, Auto Pay),
    /// however they are polled: they wait for the one read. No batching delay, as a `DataLoader`
    /// has (1 ms, half of the Dashboard's latency). An account read again (after a mutation, or for
    /// a subscription's update) is a new `Account`, and reads its overview again.
    async fn overview(&self, ctx: &Context<'_>) -> async_graphql::Result<&AccountOverview> {
        let deps = context::deps(ctx);
        let read = || async { services::overview::of(&deps.db, self.0.id, deps.now()).await.map(Box::new) };
        Ok(self.1.get_or_try_init(read).await?)
    }
}

/// A business customer billed by the carrier, as its people see it: what it owes, how it pays,
/// its billing profile, its history and its users.
#[Object]
impl Account {
    /// Opaque; `node(id:)` finds the account again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Account, self.0.id)
    }

    /// The carrier's account number, as printed on invoices.
    async fn number(&self) -> &str {
        &self.0.number
    }

    /// The business's name, as the carrier bills it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the account owes now, and by when.
    async fn current_balance(&self, ctx: &Context<'_>) -> async_graphql::Result<CurrentBalance> {
        let standing = &self.overview(ctx).await?.standing;
        Ok(CurrentBalance {
            amount: Money::new(standing.balance_minor, self.0.currency),
            due_date: standing.due_on().map(Date),
            is_credit: standing.is_credit(),
        })
    }

    /// The most recent successful payment.
    async fn last_payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        let overview = self.overview(ctx).await?;
        let Some((payment, method)) = &overview.last_payment else {
            return Ok(None);
        };
        // Loaded with the payment: its description needs no statement of its own.
        if let Some(method) = method {
            ctx.data_unchecked::<PaymentMethods>().feed_one(method.id, method.clone()).await;
        }
        Ok(Some(Payment(payment.clone())))
    }

    /// Auto Pay: whether it is on, the method it charges and when it charges next.
    async fn auto_pay(&self, ctx: &Context<'_>) -> async_graphql::Result<AutoPay> {
        let caller = context::caller(ctx)?;
        let overview = self.overview(ctx).await?;
        let status = services::auto_pay::status(context::deps(ctx), caller, overview).await?;
        Ok(status.into())
    }

    /// Cards and bank accounts on file, oldest first.
    async fn payment_methods(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PaymentMethod>> {
        let caller = context::caller(ctx)?;
        let today = self.overview(ctx).await?.standing.today;
        let methods = services::auto_pay::methods::list(context::deps(ctx), caller, today).await?;
        Ok(methods.into_iter().map(PaymentMethod).collect())
    }

    /// The account's billing address; office managers change it with `updateProfile`.
    async fn billing_address(&self) -> Address {
        services::accounts::address(&self.0).into()
    }

    /// IANA time zone in which the account's dates are shown, e.g. `America/Toronto`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Whether every user must log in in two steps (`setRequireTwoFactor`).
    async fn require_two_factor(&self) -> bool {
        self.0.require_two_factor
    }

    /// The language of the account's invoices and of its users' emails unless they choose their
    /// own; `FR_CA` for an account billed in Quebec unless the carrier says otherwise.
    async fn locale(&self) -> super::users::Locale {
        self.0.locale.into()
    }

    /// People to reach about the account's bills, besides its users: they are emailed, with the
    /// office managers, when an Auto Pay charge fails. Office managers change them with `updateProfile`.
    async fn billing_contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BillingContact>> {
        let caller = context::caller(ctx)?;
        let contacts = services::accounts::billing_contacts(context::deps(ctx), caller).await?;
        Ok(contacts.into_iter().map(BillingContact).collect())
    }

    /// Invoices, payments, credits and refunds, newest first, each with the balance after it.
    async fn transactions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the page before; left out, the first (newest) page.")]
        after: Option<String>,
        #[graphql(desc = "Only these kinds; left out, every kind.")] kinds: Option<Vec<TransactionKind>>,
    ) -> async_graphql::Result<PagedList<Transaction>> {
        let caller = context::caller(ctx)?;
        let kinds: Option<Vec<ledger_entry::Kind>> = kinds.map(|k| k.into_iter().map(Into::into).collect());
        let request = connection::request(ctx, first, after.as_deref());
        let page =
            services::billing::transactions::page(context::deps(ctx), caller, request, kinds.as_deref())
                .await?;
        Ok(connection::from_page(page, |(entry, invoice)| Transaction(entry, invoice)))
    }

    /// Invoices, newest first.
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the page before; left out, the first (newest) page.")]
        after: Option<String>,
    ) -> async_graphql::Result<PagedList<Invoice>> {
        let caller = context::caller(ctx)?;
        let page = services::billing::invoices::page(
            context::deps(ctx),
            caller,
            connection::request(ctx, first, after.as_deref()),
        )
        .await?;
        Ok(connection::from_page(page, Invoice))
    }

    /// Every payment and payment attempt (Auto Pay's included), newest first.
    async fn payments(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the page before; left out, the first (newest) page.")]
        after: Option<String>,
    ) -> async_graphql::Result<PagedList<Payment>> {
        let caller = context::caller(ctx)?;
        let page = services::payments::page(
            context::deps(ctx),
            caller,
            connection::request(ctx, first, after.as_deref()),
        )
        .await?;
        Ok(connection::from_page(page, Payment))
    }

    /// Who did what, newest first: office managers only.
    async fn activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "At most 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the page before; left out, the first (newest) page.")]
        after: Option<String>,
    ) -> async_graphql::Result<PagedList<ActivityEntry>> {
        let caller = context::caller(ctx)?;
        let page = services::activity::page(
            context::deps(ctx),
            caller,
            connection::request(ctx, first, after.as_deref()),
        )
        .await?;
        Ok(connection::from_page(page, ActivityEntry))
    }

    /// Everyone with a login to this account.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let caller = context::caller(ctx)?;
        let users = services::accounts::users::list(context::deps(ctx), caller).await?;
        Ok(users.into_iter().map(User).collect())
    }
}

/// The account's balance: what it owes now, and by when.
#[derive(SimpleObject)]
pub struct CurrentBalance {
    /// Positive when owed; negative is a credit applied to future invoices.
    pub amount: Money,
    /// When the oldest unpaid invoice is due; null when nothing is owed.
    pub due_date: Option<Date>,
    /// True when the balance is negative: a credit the account has, applied to future invoices.
    pub is_credit: bool,
}

/// A postal address; the same shape in and out.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "AddressInput")]
pub struct Address {
    /// The street address.
    pub line1: String,
    /// A second line (suite, unit, floor); null when there is none.
    pub line2: Option<String>,
    /// The city or town.
    pub city: String,
    /// For Canada, a province or territory code such as `ON`.
    pub province: String,
    /// For Canada, a postal code in the form `A1A 1A1`.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. `CA`.
    pub country: String,
}

impl From<domain::address::Address> for Address {
    fn from(a: domain::address::Address) -> Self {
        Self {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            province: a.province,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

impl From<Address> for domain::address::Address {
    fn from(a: Address) -> Self {
        Self {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            province: a.province,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

pub struct BillingContact(pub billing_contact::Model);

/// Someone to reach about the account's bills who need not have a login.
#[Object]
impl BillingContact {
    /// Opaque; `node(id:)` finds the contact again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::BillingContact, self.0.id)
    }

    /// The contact's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The contact's email address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// The contact's phone number, as entered; null when none was given.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
}
