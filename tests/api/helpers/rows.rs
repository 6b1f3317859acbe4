//! What a test reads or changes behind the API's back, through the entities: a stored hash, a
//! session backdated, a role changed by someone else. Typed, so a renamed column fails to compile.

use chrono::{DateTime, Utc};
use entity::{account, ledger_entry, password_reset_token, payment, session, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use super::TestApp;

impl TestApp {
    /// The stored user with this email.
    pub async fn user_row(&self, email: &str) -> user::Model {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .expect("query runs")
            .unwrap_or_else(|| panic!("a user {email}"))
    }

    /// Changes the stored user with this email, as another process would.
    pub async fn change_user_row(&self, email: &str, change: impl FnOnce(&mut user::ActiveModel)) {
        let mut row = self.user_row(email).await.into_active_model();
        change(&mut row);
        row.update(&self.db).await.expect("user updated");
    }

    /// How many users have this email.
    pub async fn users_with_email(&self, email: &str) -> u64 {
        user::Entity::find().filter(user::Column::Email.eq(email)).count(&self.db).await.expect("query runs")
    }

    /// How many sessions are stored under this token hash.
    pub async fn sessions_with_hash(&self, token_hash: &str) -> u64 {
        let found = session::Entity::find().filter(session::Column::TokenHash.eq(token_hash));
        found.count(&self.db).await.expect("query runs")
    }

    /// Moves every session's last use to `at`.
    pub async fn set_sessions_last_seen(&self, at: DateTime<Utc>) {
        let update = session::Entity::update_many().col_expr(session::Column::LastSeenAt, Expr::value(at));
        update.exec(&self.db).await.expect("sessions updated");
    }

    /// Moves every session's absolute end to `at`.
    pub async fn set_sessions_expiry(&self, at: DateTime<Utc>) {
        let update = session::Entity::update_many().col_expr(session::Column::ExpiresAt, Expr::value(at));
        update.exec(&self.db).await.expect("sessions updated");
    }

    /// How many reset links are stored under this token hash.
    pub async fn reset_links_with_hash(&self, token_hash: &str) -> u64 {
        let found = password_reset_token::Entity::find()
            .filter(password_reset_token::Column::TokenHash.eq(token_hash));
        found.count(&self.db).await.expect("query runs")
    }

    /// Makes every reset link expire at `at`.
    pub async fn set_reset_links_expiry(&self, at: DateTime<Utc>) {
        let update = password_reset_token::Entity::update_many()
            .col_expr(password_reset_token::Column::ExpiresAt, Expr::value(at));
        update.exec(&self.db).await.expect("reset links updated");
    }

    /// The stored payment with this id.
    pub async fn payment_row(&self, id: i64) -> payment::Model {
        payment::Entity::find_by_id(id).one(&self.db).await.expect("query runs").expect("a payment")
    }

    pub async fn account_row(&self, number: &str) -> account::Model {
        let account = account::Entity::find().filter(account::Column::Number.eq(number));
        account.one(&self.db).await.expect("query runs").expect("an account")
    }

    /// The payments of account `number` made through a gateway, oldest first (the demo's history
    /// has payments of its own, made by no gateway).
    pub async fn gateway_payments(&self, number: &str) -> Vec<payment::Model> {
        let account = self.account_row(number).await;
        payment::Entity::find()
            .filter(payment::Column::AccountId.eq(account.id))
            .filter(payment::Column::Gateway.is_not_null())
            .order_by_asc(payment::Column::Id)
            .all(&self.db)
            .await
            .expect("query runs")
    }

    /// How many payment entries the ledger of account `number` holds for payments made through a
    /// gateway.
    pub async fn payment_entries(&self, number: &str) -> u64 {
        let through_a_gateway = self.gateway_payments(number).await;
        ledger_entry::Entity::find()
            .filter(ledger_entry::Column::Kind.eq(ledger_entry::Kind::Payment))
            .filter(ledger_entry::Column::PaymentId.is_in(through_a_gateway.iter().map(|p| p.id)))
            .count(&self.db)
            .await
            .expect("query runs")
    }
}
