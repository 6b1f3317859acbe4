//! Between the Partner API's JSON and the services' types: dates and decimal strings read here
//! (every bad one named), and the services' problems named as the API's fields.

use std::str::FromStr;

use chrono::NaiveDate;
use entity::{invoice, ledger_entry, user};
use rust_decimal::Decimal;

use crate::{
    domain::{address::Address, money::Money},
    services::{
        self,
        accounts::users::Invitation,
        partner::{
            Field, Problem,
            accounts::AccountInput,
            postings::{CreditInput, InvoiceInput},
        },
    },
};

use super::types::{
    AccountBody, AccountView, AddressBody, CreditBody, CreditView, FieldError, InvoiceBody, InvoiceView,
    RoleBody, UserBody, UserView,
};

pub fn account(body: AccountBody) -> AccountInput {
    AccountInput {
        name: body.name,
        address: body.billing_address.into(),
        time_zone: body.time_zone,
        currency: body.currency,
    }
}

pub fn account_view(account: &entity::account::Model) -> AccountView {
    AccountView {
        number: account.number.clone(),
        name: account.name.clone(),
        billing_address: services::accounts::address(account).into(),
        time_zone: account.time_zone.clone(),
        currency: account.currency.code().to_string(),
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
    Invitation { email: body.email, name: body.name, role }
}

pub fn user_view(user: &user::Model) -> UserView {
    UserView {
        email: user.email.clone(),
        name: user.name.clone(),
        role: match user.role {
            user::Role::OfficeManager => RoleBody::OfficeManager,
            user::Role::Member => RoleBody::Member,
        },
        status: match user.status {
            user::Status::Invited => "INVITED",
            user::Status::Active => "ACTIVE",
            user::Status::Disabled => "DISABLED",
        }
        .to_string(),
    }
}

/// A service's problem, named as the API names the field.
pub fn problem(problem: Problem) -> FieldError {
    let field = match problem.field {
        Field::Common(common) => match common {
            services::Field::AddressLine1 => "billingAddress.line1",
            services::Field::AddressLine2 => "billingAddress.line2",
            services::Field::City => "billingAddress.city",
            services::Field::Province => "billingAddress.province",
            services::Field::PostalCode => "billingAddress.postalCode",
            services::Field::Country => "billingAddress.country",
            services::Field::TimeZone => "timeZone",
            services::Field::Email => "email",
            services::Field::Role => "role",
            _ => "name",
        }
        .to_string(),
        Field::AccountNumber => "number".into(),
        Field::InvoiceNumber => "invoiceNumber".into(),
        Field::CreditId => "creditId".into(),
        Field::Currency => "currency".into(),
        Field::PeriodStart => "periodStart".into(),
        Field::PeriodEnd => "periodEnd".into(),
        Field::IssuedOn => "issuedOn".into(),
        Field::DueOn => "dueOn".into(),
        Field::Lines => "lines".into(),
        Field::LineDescription(n) => format!("lines[{n}].description"),
        Field::LineAmount(n) => format!("lines[{n}].amount"),
        Field::TaxName(n) => format!("taxes[{n}].name"),
        Field::TaxAmount(n) => format!("taxes[{n}].amount"),
        Field::Total => "total".into(),
        Field::Amount => "amount".into(),
        Field::Description => "description".into(),
        Field::PostedOn => "postedOn".into(),
    };
    FieldError { field: Some(field), message: problem.message }
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
