//! The Partner API's OpenAPI 3 document, generated (utoipa) from the handlers' own types and
//! annotations; committed as `partner-openapi.json`, which a test keeps equal to what is served.
//!
//! Why utoipa rather than poem-openapi: the handlers stay plain poem handlers that read the body
//! themselves, so every refusal has the contract's shape and names its field (poem-openapi's
//! extractors answer malformed bodies in their own shape, naming no field).

use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};

use super::types::{
    AccountBody, AccountView, AddressBody, CreditBody, CreditView, Errors, FieldError, InvoiceBody,
    InvoiceView, LineBody, RoleBody, TaxBody, UserBody, UserView,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "billing-portal Partner API",
        version = "1",
        description = "How the carrier's billing engine feeds the Billing Portal: accounts, invoices, credits and \
                       first users. Every PUT is idempotent: the same body again answers 200 and changes nothing; \
                       another body for an existing invoice or credit answers 409 and changes nothing. Amounts are \
                       decimal strings in the account's currency; dates are YYYY-MM-DD."
    ),
    paths(super::put_account, super::put_invoice, super::put_credit, super::post_user),
    components(schemas(
        AccountBody, AccountView, AddressBody, InvoiceBody, InvoiceView, LineBody, TaxBody, CreditBody, CreditView,
        UserBody, UserView, RoleBody, Errors, FieldError
    )),
    modifiers(&PartnerKey)
)]
struct PartnerApi;

/// `Authorization: Bearer KEY`, a key from `billing-portal create-partner-key`.
struct PartnerKey;

impl Modify for PartnerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components
            .add_security_scheme("partner_key", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The document, as served and committed.
pub fn document() -> String {
    PartnerApi::openapi().to_pretty_json().expect("the document serialises") + "\n"
}
