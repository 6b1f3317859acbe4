//! The Partner API's JSON, in and out. The OpenAPI document is generated from these same types
//! (utoipa), so it cannot drift from what the handlers read and write.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An amount in the account's currency, as a decimal string: `"123.45"`.
type Amount = String;
/// A calendar date, `YYYY-MM-DD`.
type Date = String;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountBody {
    pub name: String,
    pub billing_address: AddressBody,
    /// An IANA time zone, e.g. `America/Toronto`: the account's dates (due dates, Auto Pay) are
    /// its days there.
    pub time_zone: String,
    /// ISO 4217, e.g. `CAD`.
    pub currency: String,
    /// The language the account's emails and invoices are written in, and its users read unless
    /// they choose. When a new account leaves it out: `fr-CA` for a Quebec billing address, `en-CA`
    /// otherwise; when an update leaves it out, it stays as it is.
    #[serde(default)]
    pub locale: Option<LocaleBody>,
}

/// A language, as a BCP 47 tag.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy)]
pub enum LocaleBody {
    #[serde(rename = "en-CA")]
    EnCa,
    #[serde(rename = "fr-CA")]
    FrCa,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddressBody {
    pub line1: String,
    #[serde(default)]
    pub line2: Option<String>,
    pub city: String,
    /// For Canada, a province or territory code such as `ON`.
    pub province: String,
    /// For Canada, e.g. `M5V 1J5`.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. `CA`.
    pub country: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub number: String,
    pub name: String,
    pub billing_address: AddressBody,
    pub time_zone: String,
    pub currency: String,
    pub locale: LocaleBody,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceBody {
    #[schema(value_type = String, format = Date)]
    pub period_start: Date,
    #[schema(value_type = String, format = Date)]
    pub period_end: Date,
    #[schema(value_type = String, format = Date)]
    pub issued_on: Date,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub lines: Vec<LineBody>,
    #[serde(default)]
    pub taxes: Vec<TaxBody>,
    /// The lines plus the taxes, exactly.
    #[schema(value_type = String, example = "56.39")]
    pub total: Amount,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineBody {
    pub description: String,
    #[schema(value_type = String, example = "49.90")]
    pub amount: Amount,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxBody {
    /// e.g. `HST`.
    pub name: String,
    #[schema(value_type = String, example = "6.49")]
    pub amount: Amount,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceView {
    pub number: String,
    pub account_number: String,
    #[schema(value_type = String, format = Date)]
    pub issued_on: Date,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    #[schema(value_type = String)]
    pub total: Amount,
    pub currency: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditBody {
    /// What the account no longer owes: above zero.
    #[schema(value_type = String, example = "15.00")]
    pub amount: Amount,
    pub description: String,
    #[schema(value_type = String, format = Date)]
    pub posted_on: Date,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreditView {
    pub credit_id: String,
    pub account_number: String,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub currency: String,
    pub description: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserBody {
    pub email: String,
    pub name: String,
    pub role: RoleBody,
    /// The language their emails are written in and the portal opens in; left out, the account's.
    #[serde(default)]
    pub locale: Option<LocaleBody>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoleBody {
    OfficeManager,
    Member,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub email: String,
    pub name: String,
    pub role: RoleBody,
    /// Their own choice; null: the account's.
    pub locale: Option<LocaleBody>,
    /// `INVITED` until they first log in.
    pub status: String,
}

/// Why a request was refused: each problem, with the field at fault when there is one.
#[derive(Serialize, ToSchema)]
pub struct Errors {
    pub errors: Vec<FieldError>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldError {
    /// A path into the body (`lines[1].amount`) or the URL (`invoiceNumber`); null for the request
    /// as a whole.
    pub field: Option<String>,
    pub message: String,
}
