use async_graphql::{Enum, SimpleObject};
use rust_decimal::Decimal;

use crate::domain::money::{self, Currency};

/// An amount of money. `amount` is a decimal string with the currency's minor digits ("123.45");
/// amounts are exact (stored as integer minor units).
#[derive(SimpleObject, Clone, Copy)]
pub struct Money {
    pub amount: Decimal,
    pub currency_code: CurrencyCode,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "Currency")]
pub enum CurrencyCode {
    #[graphql(name = "CAD")]
    Cad,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { amount: money::Money::new(minor, currency).to_decimal(), currency_code: currency.into() }
    }
}
