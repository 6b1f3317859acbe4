//! Call History: office managers export the calls billed over any range of the last 6 months.

use chrono::{Months, NaiveDate};

use crate::{
    domain::time,
    i18n::Text,
    services::{
        Caller, Deps, Field, ServiceError, ServiceResult, UserError, UserErrorCode, accounts,
        activity::{self, Action},
        downloads::{self, Download, SignedUrl},
    },
};

pub const WINDOW_MONTHS: u32 = 6;

/// A signed link to the CSV of billed calls started `from` through `to` (the account's days).
/// The window is computed here, on the server, in the account's time zone.
pub async fn request_export(
    deps: &Deps,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<SignedUrl> {
    caller.require_office_manager()?;
    let account = accounts::get(deps, caller).await?;
    let today = time::today_in(&account.time_zone, deps.now());
    let earliest = today.checked_sub_months(Months::new(WINDOW_MONTHS)).unwrap_or(today);
    if from > to {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::From,
            UserErrorCode::InvalidDateRange,
            Text::new("date-range-reversed"),
        )]));
    }
    if to > today {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::To,
            UserErrorCode::InvalidDateRange,
            Text::new("date-range-future").arg("today", today),
        )]));
    }
    if from < earliest {
        return Err(ServiceError::Refused(vec![UserError::new(
            Field::From,
            UserErrorCode::DateRangeTooOld,
            Text::new("date-range-too-old").arg("months", WINDOW_MONTHS).arg("earliest", earliest),
        )]));
    }
    let summary = format!("Exported Call History from {from} to {to}");
    activity::record(
        &deps.db,
        account.id,
        Some(caller.user_id),
        Action::CallHistoryExported,
        summary,
        deps.now(),
    )
    .await?;
    Ok(downloads::sign(deps, account.id, &Download::CallHistory { from, to }))
}
