use async_graphql::{Enum, SimpleObject};

use super::scalars::Decimal;
use crate::domain::money::{self, Currency};

/// An amount of money. `amount` is a decimal string with the currency's minor digits ("123.45");
/// amounts are exact (stored as integer minor units).
#[derive(SimpleObject, Clone, Copy)]
pub struct Money {
    /// A decimal string with the currency's minor digits, such as "123.45" or "-15.00".
    pub amount: Decimal,
    /// The currency of `amount`.
    pub currency_code: CurrencyCode,
}

/// An ISO 4217 currency code.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "Currency")]
pub enum CurrencyCode {
    /// Canadian dollars, with 2 decimals.
    #[graphql(name = "CAD")]
    Cad,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self {
            amount: Decimal(money::Money::new(minor, currency).to_decimal()),
            currency_code: currency.into(),
        }
    }
}
