//! Editing the billing profile, and exporting Call History: office managers only.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::services::{
    accounts::profile::{self, Contact, ProfileChange},
    call_records::history,
};

use super::scalars::DateTime;
use super::{
    account::{Account, Address},
    context,
    payload::payload,
    scalars::Date,
    user_error::UserError,
};

/// A billing contact, as `updateProfile` sets it.
#[derive(InputObject)]
pub struct BillingContactInput {
    /// The contact's name, 1 to 200 characters.
    pub name: String,
    /// The contact's email address.
    pub email: String,
    /// Optional: 7 to 15 digits, with spaces, `+`, `-`, `(`, `)` or `.` allowed.
    pub phone: Option<String>,
}

/// Each field left out stays as it is; `billingContacts` replaces the whole list.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// The new billing address, replacing the whole address.
    pub billing_address: Option<Address>,
    /// An IANA time zone such as `America/Toronto`.
    pub time_zone: Option<String>,
    /// The new list of billing contacts, at most 10, replacing the whole list (empty removes them all).
    pub billing_contacts: Option<Vec<BillingContactInput>>,
}

/// The answer to `updateProfile`.
#[derive(SimpleObject)]
pub struct UpdateProfilePayload {
    /// Your account with its new profile; null when refused.
    pub account: Option<Account>,
    /// Each field that was refused, with why; empty when the profile was changed. A refused change
    /// changes nothing.
    pub user_errors: Vec<UserError>,
}

/// The days whose billed calls to export, `from` through `to`, in the account's time zone.
#[derive(InputObject)]
pub struct RequestCallHistoryExportInput {
    /// The first day, in the account's time zone; at most 6 months ago.
    pub from: Date,
    /// The last day, included; not after today.
    pub to: Date,
}

/// A link to the CSV of the calls billed over a range of days (Call History).
#[derive(SimpleObject)]
pub struct CallHistoryExport {
    /// A plain GET fetches the CSV, until `expiresAt`.
    pub url: String,
    /// When the link stops working: 15 minutes after it was made.
    pub expires_at: DateTime,
}

/// The answer to `requestCallHistoryExport`.
#[derive(SimpleObject)]
pub struct RequestCallHistoryExportPayload {
    /// The link to the CSV; null when refused.
    pub export: Option<CallHistoryExport>,
    /// Why the range was refused (INVALID_DATE_RANGE, DATE_RANGE_TOO_OLD); empty when it succeeded.
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(UpdateProfilePayload, account: entity::account::Model => Account::new);
super::payload::impl_payload!(RequestCallHistoryExportPayload, export: crate::services::downloads::SignedUrl => |link: crate::services::downloads::SignedUrl| CallHistoryExport {
    url: link.url,
    expires_at: DateTime(link.expires_at)
});

#[derive(Default)]
pub struct ProfileMutation;

#[Object]
impl ProfileMutation {
    /// Office managers: change the billing address, the account's time zone or its billing contacts.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change; what is left out stays as it is.")] input: UpdateProfileInput,
    ) -> async_graphql::Result<UpdateProfilePayload> {
        let caller = context::caller(ctx)?;
        let change = ProfileChange {
            address: input.billing_address.map(Into::into),
            time_zone: input.time_zone,
            contacts: input.billing_contacts.map(|contacts| {
                contacts
                    .into_iter()
                    .map(|c| Contact { name: c.name, email: c.email, phone: c.phone })
                    .collect()
            }),
        };
        payload(profile::update(context::deps(ctx), caller, change).await)
    }

    /// Office managers: a link to the CSV of every call billed over a range of the last 6 months.
    async fn request_call_history_export(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The days to export.")] input: RequestCallHistoryExportInput,
    ) -> async_graphql::Result<RequestCallHistoryExportPayload> {
        let caller = context::caller(ctx)?;
        payload(history::request_export(context::deps(ctx), caller, input.from.0, input.to.0).await)
    }
}
