//! The files an invoice comes with: its PDF, and the CSV of the calls it billed.

use crate::{
    domain::money::Money,
    pdf::{self, InvoiceDocument, InvoiceLine, TaxLine},
    services::{Deps, ServiceResult, accounts},
};

use super::{invoices, standing};

/// Who issues the invoices; printed in the PDF's header.
const CARRIER_NAME: &str = "Northern Lines Telecom";
const CARRIER_LINES: &[&str] = &[
    "100 Queen St W, Toronto, ON M5H 2N2",
    "billing@northernlines.example · 1-877-555-0100",
    "GST/HST 81234 5678 RT0001",
];

/// The invoice's PDF and the file name it is served under.
pub async fn pdf(deps: &Deps, account_id: i64, invoice_id: i64) -> ServiceResult<(String, Vec<u8>)> {
    let invoice = invoices::find_in_account(deps, account_id, invoice_id).await?;
    let account = accounts::find_by_id(deps, account_id).await?;
    let lines = invoices::line_items(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let taxes = invoices::tax_lines(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let calls =
        invoices::call_summaries(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let standing = standing::standing_of(&deps.db, account_id, deps.now()).await?;
    let amount_due = standing.standings.get(&invoice.id).map_or(0, |s| s.amount_due_minor);
    let money = |minor: i64| Money::new(minor, invoice.currency).to_decimal().to_string();

    let document = InvoiceDocument {
        carrier_name: CARRIER_NAME.into(),
        carrier_lines: CARRIER_LINES.iter().map(|line| line.to_string()).collect(),
        invoice_number: invoice.number.clone(),
        account_number: account.number.clone(),
        account_name: account.name.clone(),
        billing_address: accounts::address(&account).printed_lines(),
        period: format!("{} to {}", invoice.period_start, invoice.period_end),
        issued_on: invoice.issued_on.to_string(),
        due_on: invoice.due_on.to_string(),
        currency_code: invoice.currency.code().to_string(),
        lines: lines
            .iter()
            .map(|line| InvoiceLine {
                description: line.description.clone(),
                quantity: line.quantity.to_string(),
                unit_price: money(line.unit_price_minor),
                amount: money(line.amount_minor),
            })
            .collect(),
        tax_lines: taxes
            .iter()
            .map(|tax| TaxLine {
                label: format!(
                    "{} {}%",
                    tax.name,
                    rust_decimal::Decimal::new(i64::from(tax.rate_ppm), 4).normalize()
                ),
                amount: money(tax.amount_minor),
            })
            .collect(),
        subtotal: money(invoice.subtotal_minor),
        tax_total: money(invoice.tax_total_minor),
        total: money(invoice.total_minor),
        amount_due: money(amount_due),
        call_summary: (calls.call_count > 0).then(|| {
            format!(
                "{} calls billed, {} h {:02} min, {} {}",
                calls.call_count,
                calls.billed_seconds / 3600,
                calls.billed_seconds % 3600 / 60,
                money(calls.charges_minor),
                invoice.currency.code()
            )
        }),
    };
    // Layout is CPU work: keep it off the async workers.
    let bytes = tokio::task::spawn_blocking(move || pdf::render_invoice(&document)).await??;
    Ok((format!("{}.pdf", invoice.number), bytes))
}
