//! The demo accounts' billing history, relative to the day it runs and the same all that day:
//! invoices, rated calls, payment methods, payments, a credit and a refund, as the contract lists.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use entity::{
    account, auto_pay_setting, call_record, gateway_customer, invoice, ledger_entry, payment, payment_method,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::{
    domain::{money, time},
    gateway::{CustomerRequest, PaymentGateway},
    i18n::Text,
    services::{
        ServiceError, ServiceResult,
        billing::{
            issue::{self, NewInvoice, NewLine, Taxes},
            ledger::{self, NewEntry},
        },
        call_records::partitions::{self, Month},
        payments::describe,
    },
    updates::Updates,
};

const SEAT_PRICE: i64 = 2495;
const NUMBER_PRICE: i64 = 350;

/// Seeds an account's billing once: an account that already has invoices is left as it is.
pub async fn seed_account(
    txn: &DatabaseTransaction,
    gateway: &dyn PaymentGateway,
    account: &account::Model,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let has_invoices =
        invoice::Entity::find().filter(invoice::Column::AccountId.eq(account.id)).count(txn).await? > 0;
    if has_invoices {
        return Ok(false);
    }
    let zone: Tz = time::parse_zone(&account.time_zone)
        .ok_or_else(|| ServiceError::Inconsistent(format!("bad time zone {}", account.time_zone)))?;
    // The account's customer at the (mock) gateway, whose payment methods are real ones of its.
    let request =
        CustomerRequest { account_id: account.id, account_number: &account.number, name: &account.name };
    let customer = gateway.create_customer(request).await?;
    gateway_customer::ActiveModel {
        account_id: Set(account.id),
        gateway: Set(gateway.name().into()),
        customer_id: Set(customer.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut demo = Demo {
        txn,
        updates: Updates::default(),
        gateway,
        customer,
        account,
        zone,
        now,
        today: time::today_in(&account.time_zone, now),
    };
    match account.number.as_str() {
        "1001" => demo.maple_dental().await?,
        "1002" => demo.prairie_freight().await?,
        "1003" => demo.harbour_cafe().await?,
        _ => return Ok(false),
    }
    Ok(true)
}

struct Demo<'a> {
    txn: &'a DatabaseTransaction,
    /// Nobody subscribes to the demo's history as it is written.
    updates: Updates,
    gateway: &'a dyn PaymentGateway,
    customer: String,
    account: &'a account::Model,
    zone: Tz,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Demo<'_> {
    /// Eight monthly invoices with calls, all paid by Auto Pay but the newest; one month short by
    /// 15.00 and settled by a credit, one paid twice and refunded.
    async fn maple_dental(&mut self) -> ServiceResult<()> {
        let visa = self.payment_method("pm_card_visa", false).await?;
        // A second card on file, not used by Auto Pay.
        self.payment_method("pm_card_mastercard", false).await?;
        self.auto_pay(true, Some(visa.id)).await?;
        let newest = self.today - Duration::days(7);
        let mut rng = StdRng::seed_from_u64(seed(&self.account.number, self.today));
        for months_back in (0..8).rev() {
            let issued_on = months_before(newest, months_back);
            let calls = self.calls(&mut rng, issued_on).await?;
            let usage_minor =
                money::micros_to_minor(calls.iter().map(|c| *c.rated_amount_micros.as_ref()).sum());
            let mut lines =
                vec![line("Hosted PBX seats", 12, SEAT_PRICE), line("Phone numbers", 12, NUMBER_PRICE)];
            lines.push(line(
                &format!("Long distance and international calls ({} calls)", calls.len()),
                1,
                usage_minor,
            ));
            let invoice = self.invoice(issued_on, lines).await?;
            let months = calls.iter().map(|call| Month::of(*call.started_at.as_ref())).collect();
            partitions::ensure(self.txn, &months).await?;
            call_record::Entity::insert_many(calls.into_iter().map(|mut call| {
                call.invoice_id = Set(Some(invoice.id));
                call
            }))
            .exec(self.txn)
            .await?;
            if months_back == 0 {
                continue; // the newest is open, not yet due
            }
            let due = invoice.due_on;
            match months_back {
                5 => {
                    self.payment(&invoice, &visa, invoice.total_minor - 1500, due, payment::Origin::AutoPay)
                        .await?;
                    self.entry(
                        ledger_entry::Kind::Credit,
                        -1500,
                        "Service credit",
                        Some(invoice.id),
                        None,
                        due,
                    )
                    .await?;
                }
                3 => {
                    self.payment(&invoice, &visa, invoice.total_minor, due, payment::Origin::AutoPay).await?;
                    let duplicate = self
                        .payment(
                            &invoice,
                            &visa,
                            invoice.total_minor,
                            due + Duration::days(1),
                            payment::Origin::Manual,
                        )
                        .await?;
                    let mut refunded: payment::ActiveModel = duplicate.clone().into();
                    refunded.refunded_minor = Set(invoice.total_minor);
                    refunded.update(self.txn).await?;
                    self.entry(
                        ledger_entry::Kind::Refund,
                        invoice.total_minor,
                        "Refund of a duplicate payment",
                        Some(invoice.id),
                        Some(duplicate.id),
                        due + Duration::days(3),
                    )
                    .await?;
                }
                _ => {
                    self.payment(&invoice, &visa, invoice.total_minor, due, payment::Origin::AutoPay).await?;
                }
            }
        }
        Ok(())
    }

    /// Three paid invoices, then a 25.00 credit: the account is in credit. Its card was removed.
    async fn prairie_freight(&mut self) -> ServiceResult<()> {
        let old_card = self.payment_method("pm_card_visa", true).await?;
        self.auto_pay(false, None).await?;
        let newest = self.today - Duration::days(12);
        let mut last_due = newest;
        for months_back in (0..3).rev() {
            let issued_on = months_before(newest, months_back);
            let lines = vec![line("Hosted PBX seats", 4, SEAT_PRICE), line("Phone numbers", 4, NUMBER_PRICE)];
            let invoice = self.invoice(issued_on, lines).await?;
            let paid_on = (invoice.issued_on + Duration::days(5)).min(self.today);
            self.payment(&invoice, &old_card, invoice.total_minor, paid_on, payment::Origin::Manual).await?;
            last_due = paid_on;
        }
        let credit_on = (last_due + Duration::days(1)).min(self.today);
        self.entry(
            ledger_entry::Kind::Credit,
            -2500,
            "Service credit: network outage",
            None,
            None,
            credit_on,
        )
        .await?;
        Ok(())
    }

    /// Two invoices: the older paid, the newer issued 40 days ago and 19 days past due.
    async fn harbour_cafe(&mut self) -> ServiceResult<()> {
        let mastercard = self.payment_method("pm_card_mastercard", false).await?;
        self.auto_pay(false, None).await?;
        let newest = self.today - Duration::days(40);
        let lines = || vec![line("Hosted PBX seats", 3, SEAT_PRICE), line("Phone numbers", 2, NUMBER_PRICE)];
        let older = self.invoice(months_before(newest, 1), lines()).await?;
        self.payment(&older, &mastercard, older.total_minor, older.due_on, payment::Origin::Manual).await?;
        self.invoice(newest, lines()).await?;
        Ok(())
    }

    async fn invoice(&self, issued_on: NaiveDate, lines: Vec<NewLine>) -> ServiceResult<invoice::Model> {
        let period_start = months_before(issued_on, 1);
        let new = NewInvoice {
            number: format!("INV-{}-{}", self.account.number, issued_on.format("%Y%m")),
            period_start,
            period_end: issued_on - Duration::days(1),
            issued_on,
            due_on: issued_on + Duration::days(21),
            issued_at: self.at(issued_on, 6),
            lines,
            taxes: Taxes::FromRegion,
            partner_digest: None,
        };
        issue::issue(&self.updates, self.txn, self.account.id, new).await
    }

    async fn payment(
        &self,
        invoice: &invoice::Model,
        method: &payment_method::Model,
        amount_minor: i64,
        on: NaiveDate,
        origin: payment::Origin,
    ) -> ServiceResult<payment::Model> {
        let at = self.at(on, 10);
        let payment = payment::ActiveModel {
            account_id: Set(self.account.id),
            payment_method_id: Set(Some(method.id)),
            amount_minor: Set(amount_minor),
            currency: Set(self.account.currency),
            status: Set(payment::Status::Succeeded),
            origin: Set(origin),
            idempotency_key: Set(None),
            request_fingerprint: Set(None),
            gateway_reference: Set(Some(format!(
                "pi_demo_{}_{}",
                invoice.number.to_lowercase(),
                at.timestamp()
            ))),
            failure_code: Set(None),
            failure_message: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            succeeded_at: Set(Some(at)),
            invoice_id: Set(Some(invoice.id)),
            payer_user_id: Set(None),
            payer_name: Set(None),
            gateway: Set(None),
            client_secret: Set(None),
            refunded_minor: Set(0),
            next_check_at: Set(None),
            check_attempts: Set(0),
            failure_advice: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        let by = match origin {
            payment::Origin::AutoPay => " (Auto Pay)",
            payment::Origin::Manual => "",
        };
        let description = format!("Payment by {}{by}", describe(method));
        self.entry(
            ledger_entry::Kind::Payment,
            -amount_minor,
            &description,
            Some(invoice.id),
            Some(payment.id),
            on,
        )
        .await?;
        Ok(payment)
    }

    async fn entry(
        &self,
        kind: ledger_entry::Kind,
        amount_minor: i64,
        description: &str,
        invoice_id: Option<i64>,
        payment_id: Option<i64>,
        on: NaiveDate,
    ) -> ServiceResult<()> {
        let entry = NewEntry {
            account_id: self.account.id,
            kind,
            amount_minor,
            currency: self.account.currency,
            description: Text::verbatim(description),
            invoice_id,
            payment_id,
            occurred_at: self.at(on, 11),
        };
        ledger::append(&self.updates, self.txn, entry).await?;
        Ok(())
    }

    /// One of the gateway's test cards, attached to the account's customer as the browser would.
    async fn payment_method(&self, test_card: &str, removed: bool) -> ServiceResult<payment_method::Model> {
        let now = self.now;
        let card = self.gateway.attach(test_card, &self.customer).await?;
        Ok(payment_method::ActiveModel {
            account_id: Set(self.account.id),
            gateway: Set(self.gateway.name().into()),
            gateway_id: Set(card.id),
            kind: Set(payment_method::Kind::Card),
            brand: Set(card.brand),
            last4: Set(card.last4),
            exp_month: Set(card.exp_month),
            exp_year: Set(card.exp_year),
            created_at: Set(now),
            removed_at: Set(removed.then_some(now)),
            expiry_notice_for: Set(None),
            expired_notice_for: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?)
    }

    async fn auto_pay(&self, enabled: bool, payment_method_id: Option<i64>) -> ServiceResult<()> {
        auto_pay_setting::ActiveModel {
            account_id: Set(self.account.id),
            enabled: Set(enabled),
            payment_method_id: Set(payment_method_id),
            updated_at: Set(self.now),
        }
        .insert(self.txn)
        .await?;
        Ok(())
    }

    /// 150 to 600 rated calls during the month before `issued_on`.
    async fn calls(
        &self,
        rng: &mut StdRng,
        issued_on: NaiveDate,
    ) -> ServiceResult<Vec<call_record::ActiveModel>> {
        let start = self.at(months_before(issued_on, 1), 0);
        let seconds_in_period = (self.at(issued_on, 0) - start).num_seconds();
        let count = rng.random_range(150..=600);
        let mut calls: Vec<(DateTime<Utc>, call_record::ActiveModel)> = (0..count)
            .map(|n| {
                let started_at = start + Duration::seconds(rng.random_range(0..seconds_in_period));
                let duration: i32 = rng.random_range(8..=1_800);
                let (call_type, micros_per_minute) = match rng.random_range(0..100) {
                    0..60 => ("local", 0),
                    60..88 => ("long_distance", 35_000),
                    88..95 => ("international", 250_000),
                    _ => ("toll_free", 20_000),
                };
                let outbound = call_type != "toll_free" && rng.random_bool(0.7);
                let clinic = format!("+1416555{:04}", rng.random_range(100..112));
                let other = match call_type {
                    "international" => format!("+4420{:08}", rng.random_range(0..100_000_000)),
                    "toll_free" => format!("+1800555{:04}", rng.random_range(0..10_000)),
                    _ => format!(
                        "+1{}555{:04}",
                        ["416", "647", "905", "613", "514"][rng.random_range(0..5)],
                        rng.random_range(0..10_000)
                    ),
                };
                let (from, to) = if outbound { (clinic, other) } else { (other, clinic) };
                // Inbound calls are free except on toll-free numbers, which the callee pays.
                let rated = if outbound || call_type == "toll_free" {
                    micros_per_minute * i64::from(duration) / 60
                } else {
                    0
                };
                let record = call_record::ActiveModel {
                    account_id: Set(self.account.id),
                    invoice_id: Set(None),
                    call_id: Set(format!("{}-{}-{n:04}", self.account.number, issued_on.format("%Y%m"))),
                    started_at: Set(started_at),
                    direction: Set(if outbound { "outbound" } else { "inbound" }.into()),
                    from_number: Set(from),
                    to_number: Set(to),
                    duration_seconds: Set(duration),
                    call_type: Set(call_type.into()),
                    rated_amount_micros: Set(rated),
                    currency: Set(self.account.currency),
                    ..Default::default()
                };
                (started_at, record)
            })
            .collect();
        calls.sort_by_key(|(started_at, _)| *started_at);
        Ok(calls.into_iter().map(|(_, call)| call).collect())
    }

    /// `hour` o'clock on `day` where the account is, in UTC.
    fn at(&self, day: NaiveDate, hour: u32) -> DateTime<Utc> {
        let local = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default());
        self.zone
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
    }
}

fn line(description: &str, quantity: i64, unit_price_minor: i64) -> NewLine {
    NewLine { description: description.into(), quantity, unit_price_minor }
}

fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap_or(day)
}

/// The same numbers all day, different ones the next.
fn seed(account_number: &str, today: NaiveDate) -> u64 {
    account_number
        .bytes()
        .fold(u64::from(today.num_days_from_ce() as u32), |acc, b| acc.wrapping_mul(31) + u64::from(b))
}
