//! The files an invoice comes with: its PDF, and the CSV of the calls it billed.

use crate::{
    domain::money::Money,
    i18n::{Text, format, render},
    pdf::{self, InvoiceDocument, InvoiceLine, TaxLine},
    services::{Deps, ServiceResult, accounts},
};

use super::{invoices, standing};

/// Who issues the invoices; printed in the PDF's header.
const CARRIER_NAME: &str = "Northern Lines Telecom";
const CARRIER_LINES: &[&str] =
    &["100 Queen St W, Toronto, ON M5H 2N2", "billing@northernlines.example · 1-877-555-0100"];
/// The carrier's GST/HST registration number, printed under its address.
const CARRIER_TAX_REGISTRATION: &str = "81234 5678 RT0001";

/// The invoice's PDF, in the account's language, and the file name it is served under.
pub async fn pdf(deps: &Deps, account_id: i64, invoice_id: i64) -> ServiceResult<(String, Vec<u8>)> {
    let invoice = invoices::find_in_account(deps, account_id, invoice_id).await?;
    let account = accounts::find_by_id(deps, account_id).await?;
    let lines = invoices::line_items(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let taxes = invoices::tax_lines(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let calls =
        invoices::call_summaries(&deps.db, &[invoice.id]).await?.remove(&invoice.id).unwrap_or_default();
    let standing = standing::standing_of(&deps.db, account_id, deps.now()).await?;
    let amount_due = standing.standings.get(&invoice.id).map_or(0, |s| s.amount_due_minor);
    let locale = account.locale;
    // Columns of amounts under a heading that names the currency: the number alone.
    let money = |minor: i64| format::decimal(locale, Money::new(minor, invoice.currency).to_decimal());
    let mut carrier_lines: Vec<String> = CARRIER_LINES.iter().map(|line| line.to_string()).collect();
    carrier_lines.push(render(
        locale,
        "invoice-tax-registration",
        &[("registration", CARRIER_TAX_REGISTRATION.into())],
    ));

    let document = InvoiceDocument {
        locale,
        carrier_name: CARRIER_NAME.into(),
        carrier_lines,
        invoice_number: invoice.number.clone(),
        account_number: account.number.clone(),
        account_name: account.name.clone(),
        billing_address: accounts::address(&account).printed_lines(),
        period: Text::new("invoice-period")
            .arg("start", invoice.period_start)
            .arg("end", invoice.period_end)
            .render(locale),
        issued_on: format::date(locale, invoice.issued_on),
        due_on: format::date(locale, invoice.due_on),
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
                label: Text::new("invoice-tax")
                    .arg("name", Text::new("tax-name").arg("name", &tax.name))
                    .arg(
                        "rate",
                        format::decimal(
                            locale,
                            rust_decimal::Decimal::new(i64::from(tax.rate_ppm), 4).normalize(),
                        ),
                    )
                    .render(locale),
                amount: money(tax.amount_minor),
            })
            .collect(),
        subtotal: money(invoice.subtotal_minor),
        tax_total: money(invoice.tax_total_minor),
        total: money(invoice.total_minor),
        amount_due: money(amount_due),
        call_summary: (calls.call_count > 0).then(|| {
            Text::new("invoice-calls")
                .arg("count", calls.call_count)
                .arg("hours", calls.billed_seconds / 3600)
                .arg("minutes", format!("{:02}", calls.billed_seconds % 3600 / 60))
                .arg("charges", Money::new(calls.charges_minor, invoice.currency))
                .render(locale)
        }),
    };
    // Layout is CPU work: keep it off the async workers.
    let bytes = tokio::task::spawn_blocking(move || pdf::render_invoice(&document)).await??;
    Ok((format!("{}.pdf", invoice.number), bytes))
}
