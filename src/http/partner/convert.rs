//! Between the Partner API's JSON and the services' types: dates and decimal strings read here
//! (every bad one named), and the services' problems named as the API's fields.

use std::str::FromStr;

use chrono::NaiveDate;
use entity::{invoice, ledger_entry, user};
use rust_decimal::Decimal;

use crate::{
    domain::{address::Address, money::Money},
    services::{
        self, Field, UserError,
        accounts::users::Invitation,
        partner::{
            accounts::AccountInput,
            postings::{CreditInput, InvoiceInput},
        },
    },
};

use super::types::{
    AccountBody, AccountView, AddressBody, CreditBody, CreditView, FieldError, InvoiceBody, InvoiceView,
    LocaleBody, RoleBody, UserBody, UserView,
};
use crate::domain::locale::Locale;

impl From<LocaleBody> for Locale {
    fn from(body: LocaleBody) -> Self {
        match body {
            LocaleBody::EnCa => Self::EnCa,
            LocaleBody::FrCa => Self::FrCa,
        }
    }
}

impl From<Locale> for LocaleBody {
    fn from(locale: Locale) -> Self {
        match locale {
            Locale::EnCa => Self::EnCa,
            Locale::FrCa => Self::FrCa,
        }
    }
}

pub fn account(body: AccountBody) -> AccountInput {
    AccountInput {
        name: body.name,
        address: body.billing_address.into(),
        time_zone: body.time_zone,
        currency: body.currency,
        locale: body.locale.map(Into::into),
    }
}

pub fn account_view(account: &entity::account::Model) -> AccountView {
    AccountView {
        number: account.number.clone(),
        name: account.name.clone(),
        billing_address: services::accounts::address(account).into(),
        time_zone: account.time_zone.clone(),
        currency: account.currency.code().to_string(),
        locale: account.locale.into(),
    }
}

impl From<AddressBody> for Address {
    fn from(a: AddressBody) -> Self {
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

impl From<Address> for AddressBody {
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

pub fn invoice(body: InvoiceBody) -> Result<InvoiceInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let period_start = date(&body.period_start, "periodStart", &mut errors);
    let period_end = date(&body.period_end, "periodEnd", &mut errors);
    let issued_on = date(&body.issued_on, "issuedOn", &mut errors);
    let due_on = date(&body.due_on, "dueOn", &mut errors);
    let lines = (body.lines.into_iter().enumerate())
        .map(|(n, line)| (line.description, amount(&line.amount, &format!("lines[{n}].amount"), &mut errors)))
        .collect();
    let taxes = (body.taxes.into_iter().enumerate())
        .map(|(n, tax)| (tax.name, amount(&tax.amount, &format!("taxes[{n}].amount"), &mut errors)))
        .collect();
    let total = amount(&body.total, "total", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(InvoiceInput { period_start, period_end, issued_on, due_on, lines, taxes, total })
}

pub fn invoice_view(account_number: &str, invoice: &invoice::Model) -> InvoiceView {
    InvoiceView {
        number: invoice.number.clone(),
        account_number: account_number.to_string(),
        issued_on: invoice.issued_on.to_string(),
        due_on: invoice.due_on.to_string(),
        total: Money::new(invoice.total_minor, invoice.currency).to_decimal().to_string(),
        currency: invoice.currency.code().to_string(),
    }
}

pub fn credit(body: CreditBody) -> Result<CreditInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let amount = amount(&body.amount, "amount", &mut errors);
    let posted_on = date(&body.posted_on, "postedOn", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CreditInput { amount, description: body.description, posted_on })
}

pub fn credit_view(account_number: &str, credit_id: &str, entry: &ledger_entry::Model) -> CreditView {
    CreditView {
        credit_id: credit_id.to_string(),
        account_number: account_number.to_string(),
        amount: Money::new(-entry.amount_minor, entry.currency).to_decimal().to_string(),
        currency: entry.currency.code().to_string(),
        description: entry.description.clone(),
    }
}

pub fn invitation(body: UserBody) -> Invitation {
    let role = match body.role {
        RoleBody::OfficeManager => user::Role::OfficeManager,
        RoleBody::Member => user::Role::Member,
    };
    Invitation { email: body.email, name: body.name, role, locale: body.locale.map(Into::into) }
}

pub fn user_view(user: &user::Model) -> UserView {
    UserView {
        email: user.email.clone(),
        name: user.name.clone(),
        role: match user.role {
            user::Role::OfficeManager => RoleBody::OfficeManager,
            user::Role::Member => RoleBody::Member,
        },
        locale: user.locale.map(Into::into),
        status: match user.status {
            user::Status::Invited => "INVITED",
            user::Status::Active => "ACTIVE",
            user::Status::Disabled => "DISABLED",
        }
        .to_string(),
    }
}

/// A refusal's user error, named as this API names the field.
pub fn problem(error: UserError) -> FieldError {
    let field = match error.field {
        Some(Field::AddressLine1) => "billingAddress.line1".into(),
        Some(Field::AddressLine2) => "billingAddress.line2".into(),
        Some(Field::City) => "billingAddress.city".into(),
        Some(Field::Province) => "billingAddress.province".into(),
        Some(Field::PostalCode) => "billingAddress.postalCode".into(),
        Some(Field::Country) => "billingAddress.country".into(),
        Some(Field::TimeZone) => "timeZone".into(),
        Some(Field::Email) => "email".into(),
        Some(Field::Role) => "role".into(),
        Some(Field::AccountNumber) => "number".into(),
        Some(Field::InvoiceNumber) => "invoiceNumber".into(),
        Some(Field::CreditId) => "creditId".into(),
        Some(Field::Currency) => "currency".into(),
        Some(Field::PeriodStart) => "periodStart".into(),
        Some(Field::PeriodEnd) => "periodEnd".into(),
        Some(Field::IssuedOn) => "issuedOn".into(),
        Some(Field::DueOn) => "dueOn".into(),
        Some(Field::Lines) => "lines".into(),
        Some(Field::LineDescription(n)) => format!("lines[{n}].description"),
        Some(Field::LineAmount(n)) => format!("lines[{n}].amount"),
        Some(Field::TaxName(n)) => format!("taxes[{n}].name"),
        Some(Field::TaxAmount(n)) => format!("taxes[{n}].amount"),
        Some(Field::Total) => "total".into(),
        Some(Field::Amount) => "amount".into(),
        Some(Field::Description) => "description".into(),
        Some(Field::PostedOn) => "postedOn".into(),
        // The account's or the invitee's name; nothing else the billing engine sends is refused.
        _ => "name".into(),
    };
    // The Partner API speaks English: the billing engine's engineers read it.
    FieldError { field: Some(field), message: error.message.to_string() }
}

fn date(value: &str, field: &str, errors: &mut Vec<FieldError>) -> NaiveDate {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").unwrap_or_else(|_| {
        errors.push(FieldError {
            field: Some(field.into()),
            message: format!("{value:?} is not a date YYYY-MM-DD."),
        });
        NaiveDate::default()
    })
}

/// A plain decimal string (`"123.45"`, `"-2"`): no exponent, no thousands separators.
fn amount(value: &str, field: &str, errors: &mut Vec<FieldError>) -> Decimal {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain = !digits.is_empty()
        && digits.split('.').count() <= 2
        && digits.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    match Decimal::from_str(value).ok().filter(|_| plain) {
        Some(amount) => amount,
        None => {
            errors.push(FieldError {
                field: Some(field.into()),
                message: format!("{value:?} is not a decimal amount such as \"123.45\"."),
            });
            Decimal::ZERO
        }
    }
}
