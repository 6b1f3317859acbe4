//! What the mock gateway remembers, in its own tables (migration `m20261204_000014_mock_gateway`):
//! the charges it made, with the idempotency key each answers, their refunds, and the methods
//! detached from their customers. Customers and attached methods need no rows: their ids say what
//! they are. Every process on the database shares these rows, as every client of Stripe's test mode
//! shares Stripe; a race between two of them is settled by a unique key, never by checking first.

use chrono::Utc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};

use super::super::{ChargeOutcome, Decline};

pub mod charge {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mock_gateway_charges")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub reference: String,
        pub idempotency_key: String,
        pub payment_id: i64,
        pub amount_minor: i64,
        pub status: String,
        pub client_secret: Option<String>,
        pub decline_code: Option<String>,
        pub decline_reason: Option<String>,
        pub decline_message: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod refund {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mock_gateway_refunds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub idempotency_key: String,
        pub reference: String,
        pub amount_minor: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod detached_method {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mock_gateway_detached_methods")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub method: String,
        pub detached_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const SUCCEEDED: &str = "succeeded";
const PROCESSING: &str = "processing";
const REQUIRES_ACTION: &str = "requires_action";
const DECLINED: &str = "declined";
const CANCELED: &str = "canceled";

/// A charge about to be made: where it stands at once, in our words.
pub struct NewCharge<'a> {
    pub idempotency_key: &'a str,
    pub payment_id: i64,
    pub amount_minor: i64,
    pub outcome: &'a ChargeOutcome,
}

#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub async fn charge_by_key(&self, key: &str) -> Result<Option<charge::Model>, DbErr> {
        charge::Entity::find().filter(charge::Column::IdempotencyKey.eq(key)).one(&self.db).await
    }

    /// Stores a new charge, unless one with its idempotency key got there first; answers whichever
    /// holds the key.
    pub async fn insert_charge(&self, new: NewCharge<'_>) -> Result<charge::Model, DbErr> {
        let (reference, status, client_secret, decline) = parts_of(new.outcome);
        charge::Entity::insert(charge::ActiveModel {
            reference: Set(reference),
            idempotency_key: Set(new.idempotency_key.to_string()),
            payment_id: Set(new.payment_id),
            amount_minor: Set(new.amount_minor),
            status: Set(status.into()),
            client_secret: Set(client_secret),
            decline_code: Set(decline.map(|d| d.code.clone())),
            decline_reason: Set(decline.and_then(|d| d.decline_code.clone())),
            decline_message: Set(decline.map(|d| d.message.clone())),
            created_at: Set(Utc::now()),
        })
        .on_conflict(OnConflict::column(charge::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(&self.db)
        .await?;
        self.charge_by_key(new.idempotency_key)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("the mock charge of key {}", new.idempotency_key)))
    }

    pub async fn charge(&self, reference: &str) -> Result<Option<charge::Model>, DbErr> {
        charge::Entity::find_by_id(reference).one(&self.db).await
    }

    /// The latest charge made for one of our payments (what Stripe's search by metadata finds).
    pub async fn charge_of_payment(&self, payment_id: i64) -> Result<Option<charge::Model>, DbErr> {
        charge::Entity::find()
            .filter(charge::Column::PaymentId.eq(payment_id))
            .order_by_desc(charge::Column::CreatedAt)
            .order_by_desc(charge::Column::Reference)
            .limit(1)
            .one(&self.db)
            .await
    }

    /// Cancels a charge still waiting (for the customer, or for the bank), in one conditional
    /// update: a charge that settled meanwhile stays as it is.
    pub async fn cancel(&self, reference: &str) -> Result<Option<charge::Model>, DbErr> {
        charge::Entity::update_many()
            .col_expr(charge::Column::Status, Expr::value(CANCELED))
            .col_expr(charge::Column::ClientSecret, Expr::value(Option::<String>::None))
            .filter(charge::Column::Reference.eq(reference))
            .filter(charge::Column::Status.is_in([REQUIRES_ACTION, PROCESSING]))
            .exec(&self.db)
            .await?;
        self.charge(reference).await
    }

    /// The customer's answer to the charge waiting for 3-D Secure under `client_secret`: it
    /// succeeds or is declined, in one conditional update (a charge canceled meanwhile stays so).
    /// `None` when no charge waits under that secret.
    pub async fn answer_challenge(
        &self,
        client_secret: &str,
        approve: bool,
    ) -> Result<Option<charge::Model>, DbErr> {
        let waiting = charge::Entity::find()
            .filter(charge::Column::ClientSecret.eq(client_secret))
            .filter(charge::Column::Status.eq(REQUIRES_ACTION))
            .one(&self.db)
            .await?;
        let Some(waiting) = waiting else { return Ok(None) };
        let mut update = charge::Entity::update_many()
            .col_expr(charge::Column::Status, Expr::value(if approve { SUCCEEDED } else { DECLINED }))
            .col_expr(charge::Column::ClientSecret, Expr::value(Option::<String>::None));
        if !approve {
            // Stripe's code when the customer fails the challenge.
            update = update
                .col_expr(charge::Column::DeclineCode, Expr::value("payment_intent_authentication_failure"))
                .col_expr(
                    charge::Column::DeclineMessage,
                    Expr::value("We are unable to authenticate your payment method. Please choose a different payment method and try again."),
                );
        }
        let done = update
            .filter(charge::Column::Reference.eq(&waiting.reference))
            .filter(charge::Column::Status.eq(REQUIRES_ACTION))
            .exec(&self.db)
            .await?;
        if done.rows_affected == 0 {
            return Ok(None);
        }
        self.charge(&waiting.reference).await
    }

    /// Records a refund, once per idempotency key.
    pub async fn refund(&self, reference: &str, amount_minor: i64, key: &str) -> Result<(), DbErr> {
        refund::Entity::insert(refund::ActiveModel {
            idempotency_key: Set(key.to_string()),
            reference: Set(reference.to_string()),
            amount_minor: Set(amount_minor),
            created_at: Set(Utc::now()),
        })
        .on_conflict(OnConflict::column(refund::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    pub async fn is_detached(&self, method: &str) -> Result<bool, DbErr> {
        Ok(detached_method::Entity::find_by_id(method).one(&self.db).await?.is_some())
    }

    /// Detaches a method; `false` when it already was.
    pub async fn detach(&self, method: &str) -> Result<bool, DbErr> {
        let inserted = detached_method::Entity::insert(detached_method::ActiveModel {
            method: Set(method.to_string()),
            detached_at: Set(Utc::now()),
        })
        .on_conflict(OnConflict::column(detached_method::Column::Method).do_nothing().to_owned())
        .exec_without_returning(&self.db)
        .await?;
        Ok(inserted == 1)
    }
}

/// A stored charge's row values: reference, status, client secret, decline.
fn parts_of(outcome: &ChargeOutcome) -> (String, &'static str, Option<String>, Option<&Decline>) {
    match outcome {
        ChargeOutcome::Succeeded { reference } => (reference.clone(), SUCCEEDED, None, None),
        ChargeOutcome::Processing { reference } => (reference.clone(), PROCESSING, None, None),
        ChargeOutcome::RequiresAction { reference, client_secret } => {
            (reference.clone(), REQUIRES_ACTION, Some(client_secret.clone()), None)
        }
        ChargeOutcome::Declined(decline) => {
            (decline.reference.clone().unwrap_or_default(), DECLINED, None, Some(decline))
        }
        ChargeOutcome::Canceled { reference } => (reference.clone(), CANCELED, None, None),
        // Not a charge's state but a lost answer: the mock stores what it did (see `charge_made`).
        ChargeOutcome::Unknown => (String::new(), SUCCEEDED, None, None),
    }
}

impl charge::Model {
    /// Where this charge stands, as the gateway trait says it.
    pub fn outcome(&self) -> ChargeOutcome {
        let reference = self.reference.clone();
        match self.status.as_str() {
            PROCESSING => ChargeOutcome::Processing { reference },
            REQUIRES_ACTION => ChargeOutcome::RequiresAction {
                reference,
                client_secret: self.client_secret.clone().unwrap_or_default(),
            },
            DECLINED => ChargeOutcome::Declined(Decline {
                reference: Some(reference),
                code: self.decline_code.clone().unwrap_or_default(),
                decline_code: self.decline_reason.clone(),
                advice_code: None,
                message: self.decline_message.clone().unwrap_or_default(),
            }),
            CANCELED => ChargeOutcome::Canceled { reference },
            _ => ChargeOutcome::Succeeded { reference },
        }
    }
}
