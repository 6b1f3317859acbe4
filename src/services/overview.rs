//! The account at a glance, as its Dashboard shows it: where it stands, its last payment and its
//! Auto Pay, read in one statement. Each part alone would be a statement of its own, and a
//! statement costs a round trip to the database and back (and sqlx checks the connection with
//! another as it goes back to the pool): on the page every customer opens first, they add up.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use entity::{auto_pay_setting, payment, payment_method};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, IdenStatic, Iterable,
    Statement,
};

use crate::services::{
    ServiceResult,
    billing::{AccountStanding, standing},
};

/// Where the account stands, with what the Dashboard shows beside it.
pub struct AccountOverview {
    pub standing: AccountStanding,
    /// Auto Pay's setting; none when it was never set.
    pub auto_pay: Option<auto_pay_setting::Model>,
    /// The method Auto Pay charges, while it is still on file.
    pub auto_pay_method: Option<payment_method::Model>,
    /// The most recent successful payment, with the method it was made with.
    pub last_payment: Option<(payment::Model, Option<payment_method::Model>)>,
}

/// One statement: the standing's rows (one per invoice), each also carrying the account's Auto Pay
/// setting with its method and its last successful payment with its method. Those repeat on every
/// row, which costs the database far less than a statement of their own.
pub async fn of(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<AccountOverview> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => &*POSTGRES,
        _ => &*SQLITE,
    };
    let values = [account_id.into(), payment::Status::Succeeded.to_value().into()];
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql.as_str(), values)).await?;
    let standing = standing::from_rows(&rows, now)?;
    // Every row carries the same one-row parts; `from_rows` found at least one.
    let first = &rows[0];
    let auto_pay = auto_pay_setting::Model::from_query_result_optional(first, SETTING)?;
    let auto_pay_method = payment_method::Model::from_query_result_optional(first, AUTO_PAY_METHOD)?
        .filter(|method| method.account_id == account_id && method.removed_at.is_none());
    let last_payment = match payment::Model::from_query_result_optional(first, LAST_PAYMENT)? {
        Some(paid) => Some((paid, payment_method::Model::from_query_result_optional(first, PAID_WITH)?)),
        None => None,
    };
    Ok(AccountOverview { standing, auto_pay, auto_pay_method, last_payment })
}

// The column prefixes of the one-row parts (the invoice's own columns have none).
const SETTING: &str = "S_";
const AUTO_PAY_METHOD: &str = "M_";
const LAST_PAYMENT: &str = "P_";
const PAID_WITH: &str = "W_";

static POSTGRES: LazyLock<String> = LazyLock::new(|| statement("$1", "$2"));
static SQLITE: LazyLock<String> = LazyLock::new(|| statement("?1", "?2"));

fn statement(account_id: &str, succeeded: &str) -> String {
    let columns = [
        prefixed::<auto_pay_setting::Entity>("aps", SETTING),
        prefixed::<payment_method::Entity>("apm", AUTO_PAY_METHOD),
        prefixed::<payment::Entity>("lp", LAST_PAYMENT),
        prefixed::<payment_method::Entity>("lpm", PAID_WITH),
    ]
    .join(", ");
    format!(
        "WITH {sums}, \
           lp AS MATERIALIZED (SELECT * FROM payments WHERE account_id = {account_id} AND status = {succeeded} \
             ORDER BY succeeded_at DESC, id DESC LIMIT 1) \
         SELECT {standing_columns}, {columns}, i.* \
         FROM accounts a CROSS JOIN s \
         LEFT JOIN auto_pay_settings aps ON aps.account_id = a.id \
         LEFT JOIN payment_methods apm ON apm.id = aps.payment_method_id \
         LEFT JOIN lp ON TRUE \
         LEFT JOIN payment_methods lpm ON lpm.id = lp.payment_method_id \
         LEFT JOIN invoices i ON i.account_id = a.id \
         WHERE a.id = {account_id} \
         ORDER BY i.issued_on, i.id",
        sums = standing::ledger_sums(account_id),
        standing_columns = standing::COLUMNS,
    )
}

/// `alias.column AS "{prefix}column"` for every column of `E`, as `FromQueryResult` reads them.
fn prefixed<E: EntityTrait>(alias: &str, prefix: &str) -> String {
    E::Column::iter()
        .map(|column| format!("{alias}.{name} AS \"{prefix}{name}\"", name = column.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
