//! How money paid settles invoices: what has been applied (payments and credits, less refunds)
//! pays the oldest invoice first. An invoice's amount due and status are derived from that and the
//! date, never stored, so they can never disagree with the ledger.

use std::collections::HashMap;

use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceStatus {
    Open,
    PastDue,
    Paid,
    Void,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub amount_due_minor: i64,
    pub status: InvoiceStatus,
}

pub struct InvoiceFacts {
    pub id: i64,
    pub total_minor: i64,
    pub due_on: NaiveDate,
    pub void: bool,
}

/// `invoices` oldest first; `applied_minor` is everything paid or credited, less refunds.
/// `today` is the account's own date (its time zone), which decides what is past due.
pub fn settle(invoices: &[InvoiceFacts], applied_minor: i64, today: NaiveDate) -> HashMap<i64, Standing> {
    let mut remaining = applied_minor.max(0);
    invoices
        .iter()
        .map(|invoice| {
            if invoice.void {
                return (invoice.id, Standing { amount_due_minor: 0, status: InvoiceStatus::Void });
            }
            let paid = remaining.min(invoice.total_minor);
            remaining -= paid;
            let amount_due_minor = invoice.total_minor - paid;
            let status = if amount_due_minor <= 0 {
                InvoiceStatus::Paid
            } else if today > invoice.due_on {
                InvoiceStatus::PastDue
            } else {
                InvoiceStatus::Open
            };
            (invoice.id, Standing { amount_due_minor, status })
        })
        .collect()
}

/// When Auto Pay charges next: the earliest due date among the unpaid invoices, or today once
/// that has passed (what is overdue is charged at once). `None` when nothing is unpaid.
pub fn next_auto_pay_charge(
    unpaid_due_dates: impl IntoIterator<Item = NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    unpaid_due_dates.into_iter().min().map(|due| due.max(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn pays_the_oldest_invoice_first() {
        let invoices = [
            InvoiceFacts { id: 1, total_minor: 1000, due_on: day(1), void: false },
            InvoiceFacts { id: 2, total_minor: 500, due_on: day(5), void: true },
            InvoiceFacts { id: 3, total_minor: 2000, due_on: day(10), void: false },
            InvoiceFacts { id: 4, total_minor: 3000, due_on: day(20), void: false },
        ];
        let standing = settle(&invoices, 1500, day(12));
        assert_eq!(standing[&1], Standing { amount_due_minor: 0, status: InvoiceStatus::Paid });
        assert_eq!(standing[&2].status, InvoiceStatus::Void);
        assert_eq!(standing[&3], Standing { amount_due_minor: 1500, status: InvoiceStatus::PastDue });
        assert_eq!(standing[&4], Standing { amount_due_minor: 3000, status: InvoiceStatus::Open });
    }

    #[test]
    fn a_credit_beyond_every_invoice_leaves_all_paid() {
        let invoices = [InvoiceFacts { id: 1, total_minor: 1000, due_on: day(1), void: false }];
        assert_eq!(settle(&invoices, 3500, day(2))[&1].status, InvoiceStatus::Paid);
        assert_eq!(settle(&invoices, -200, day(2))[&1].amount_due_minor, 1000);
    }

    #[test]
    fn auto_pay_charges_the_earliest_due_date_or_today_once_it_has_passed() {
        assert_eq!(next_auto_pay_charge([day(20), day(10)], day(5)), Some(day(10)));
        assert_eq!(next_auto_pay_charge([day(20), day(3)], day(5)), Some(day(5)));
        assert_eq!(next_auto_pay_charge([], day(5)), None);
    }
}
