//! Editing the billing profile, and exporting Call History: office managers only.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::services::{
    accounts::profile::{self, Contact, ProfileChange},
    call_records::history,
};

use super::{
    account::{Account, Address},
    context,
    payload::payload,
    scalars::Date,
    user_error::UserError,
};

#[derive(InputObject)]
pub struct BillingContactInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

/// Each field left out stays as it is; `billingContacts` replaces the whole list.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    pub billing_address: Option<Address>,
    /// An IANA time zone such as `America/Toronto`.
    pub time_zone: Option<String>,
    pub billing_contacts: Option<Vec<BillingContactInput>>,
}

#[derive(SimpleObject)]
pub struct UpdateProfilePayload {
    pub account: Option<Account>,
    pub user_errors: Vec<UserError>,
}

#[derive(InputObject)]
pub struct RequestCallHistoryExportInput {
    /// The first day, in the account's time zone; at most 6 months ago.
    pub from: Date,
    /// The last day, included.
    pub to: Date,
}

#[derive(SimpleObject)]
pub struct CallHistoryExport {
    /// A plain GET fetches the CSV, until `expiresAt`.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct RequestCallHistoryExportPayload {
    pub export: Option<CallHistoryExport>,
    pub user_errors: Vec<UserError>,
}

super::payload::impl_payload!(UpdateProfilePayload, account: entity::account::Model => Account);
super::payload::impl_payload!(RequestCallHistoryExportPayload, export: crate::services::downloads::SignedUrl => |link: crate::services::downloads::SignedUrl| CallHistoryExport {
    url: link.url,
    expires_at: link.expires_at
});

#[derive(Default)]
pub struct ProfileMutation;

#[Object]
impl ProfileMutation {
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
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

    /// A link to the CSV of every call billed over a range of the last 6 months.
    async fn request_call_history_export(
        &self,
        ctx: &Context<'_>,
        input: RequestCallHistoryExportInput,
    ) -> async_graphql::Result<RequestCallHistoryExportPayload> {
        let caller = context::caller(ctx)?;
        payload(history::request_export(context::deps(ctx), caller, input.from.0, input.to.0).await)
    }
}
