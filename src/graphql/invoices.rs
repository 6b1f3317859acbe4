//! Invoices: the list, the details, and links to their PDF and call records.

use async_graphql::{Context, Enum, ID, Object, SimpleObject, dataloader::DataLoader};
use entity::{Currency, invoice, invoice_line_item, invoice_tax_line};

use crate::{
    domain::settlement::{self, Standing},
    services::{
        self, ServiceError,
        downloads::{self, Download},
    },
};

use super::scalars::Decimal;
use super::{
    context,
    ids::{self, Kind},
    loaders::{CallSummaryOf, InvoiceDetailsLoader, LineItemsOf, OverviewLoader, TaxLinesOf},
    money::Money,
    scalars::Date,
};

#[derive(Default)]
pub struct InvoiceQuery;

#[Object]
impl InvoiceQuery {
    /// One of your account's invoices. Any other id, including another account's, is NOT_FOUND.
    async fn invoice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The invoice's `id`.")] id: ID,
    ) -> async_graphql::Result<Invoice> {
        let caller = context::caller(ctx)?;
        let invoice_id = ids::decode(Kind::Invoice, &id)?;
        Ok(Invoice(services::billing::invoices::get(context::deps(ctx), caller, invoice_id).await?))
    }
}

/// Where an invoice stands, from what has been paid and the account's date.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "settlement::InvoiceStatus")]
pub enum InvoiceStatus {
    /// Not fully paid, and not yet past its due date.
    Open,
    /// Not fully paid, and its due date has passed (in the account's time zone).
    PastDue,
    /// Nothing left to pay.
    Paid,
    /// Voided by the carrier: nothing is due on it.
    Void,
}

/// An invoice, with its amounts, lines and downloads.
pub struct Invoice(pub invoice::Model);

impl Invoice {
    async fn standing(&self, ctx: &Context<'_>) -> async_graphql::Result<Standing> {
        let loader = ctx.data_unchecked::<DataLoader<OverviewLoader>>();
        let account = loader.load_one(self.0.account_id).await?;
        Ok(account
            .and_then(|account| account.standing.standings.get(&self.0.id).copied())
            .ok_or(ServiceError::NotFound)?)
    }

    fn money(&self, minor: i64) -> Money {
        Money::new(minor, self.0.currency)
    }
}

/// A bill from the carrier: its amounts, line items, taxes, calls and download links.
#[Object]
impl Invoice {
    /// Opaque; `node(id:)` finds the invoice again.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Invoice, self.0.id)
    }

    /// The carrier's invoice number, as printed on it.
    async fn number(&self) -> &str {
        &self.0.number
    }

    /// Derived from what has been paid and the date in the account's time zone.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<InvoiceStatus> {
        Ok(self.standing(ctx).await?.status.into())
    }

    /// The day it was issued.
    async fn issued_on(&self) -> Date {
        Date(self.0.issued_on)
    }

    /// The day it is due; after that day (the account's), an unpaid invoice is PAST_DUE.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }

    /// The first day of the billing period it covers.
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }

    /// The last day of the billing period it covers (included).
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }

    /// Before taxes: the line items' amounts, summed.
    async fn subtotal(&self) -> Money {
        self.money(self.0.subtotal_minor)
    }

    /// The tax lines' amounts, summed.
    async fn tax_total(&self) -> Money {
        self.money(self.0.tax_total_minor)
    }

    /// What the invoice charges, taxes included.
    async fn total(&self) -> Money {
        self.money(self.0.total_minor)
    }

    /// What is left to pay on this invoice; payments settle the oldest invoice first.
    async fn amount_due(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        Ok(self.money(self.standing(ctx).await?.amount_due_minor))
    }

    /// What it charges for, in the order printed.
    async fn line_items(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LineItem>> {
        let lines = details(ctx).load_one(LineItemsOf(self.0.id)).await?;
        Ok(lines.unwrap_or_default().into_iter().map(|line| LineItem::new(line, self.0.currency)).collect())
    }

    /// Each tax it charges.
    async fn tax_lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TaxLine>> {
        let lines = details(ctx).load_one(TaxLinesOf(self.0.id)).await?;
        Ok(lines.unwrap_or_default().into_iter().map(|line| TaxLine::new(line, self.0.currency)).collect())
    }

    /// The calls billed on this invoice.
    async fn call_summary(&self, ctx: &Context<'_>) -> async_graphql::Result<CallSummary> {
        let summary = details(ctx).load_one(CallSummaryOf(self.0.id)).await?;
        let summary = summary.unwrap_or_default();
        Ok(CallSummary {
            call_count: summary.call_count,
            billed_seconds: summary.billed_seconds,
            charges: self.money(summary.charges_minor),
        })
    }

    /// The invoice as a PDF: a plain GET with no other credential, for 15 minutes.
    async fn pdf_url(&self, ctx: &Context<'_>) -> String {
        downloads::sign(context::deps(ctx), self.0.account_id, &Download::InvoicePdf(self.0.id)).url
    }

    /// Every call billed on this invoice, as CSV: a plain GET with no other credential, for 15 minutes.
    async fn call_records_csv_url(&self, ctx: &Context<'_>) -> String {
        downloads::sign(context::deps(ctx), self.0.account_id, &Download::InvoiceCalls(self.0.id)).url
    }
}

fn details<'a>(ctx: &Context<'a>) -> &'a DataLoader<InvoiceDetailsLoader> {
    ctx.data_unchecked::<DataLoader<InvoiceDetailsLoader>>()
}

/// One charge on an invoice.
#[derive(SimpleObject)]
pub struct LineItem {
    /// What is charged, e.g. "Hosted PBX seats".
    pub description: String,
    /// How many units.
    pub quantity: i64,
    /// The price of one unit.
    pub unit_price: Money,
    /// `quantity` times `unitPrice`.
    pub amount: Money,
}

impl LineItem {
    fn new(line: invoice_line_item::Model, currency: Currency) -> Self {
        Self {
            description: line.description,
            quantity: line.quantity,
            unit_price: Money::new(line.unit_price_minor, currency),
            amount: Money::new(line.amount_minor, currency),
        }
    }
}

/// One tax on an invoice.
#[derive(SimpleObject)]
pub struct TaxLine {
    /// The tax's name, such as GST, HST, PST or QST.
    pub name: String,
    /// As a fraction: "0.13" for 13%; "0" for a tax that is not one of the province's.
    pub rate: Decimal,
    /// The tax charged.
    pub amount: Money,
}

impl TaxLine {
    fn new(line: invoice_tax_line::Model, currency: Currency) -> Self {
        Self {
            name: line.name,
            rate: Decimal(rust_decimal::Decimal::new(i64::from(line.rate_ppm), 6).normalize()),
            amount: Money::new(line.amount_minor, currency),
        }
    }
}

/// What the calls billed on an invoice add up to.
#[derive(SimpleObject)]
pub struct CallSummary {
    /// How many calls.
    pub call_count: i64,
    /// Their durations, summed, in seconds.
    pub billed_seconds: i64,
    /// The calls' rated amounts, summed then rounded once.
    pub charges: Money,
}
