//! The demo data of the contract: three customers, their people and their billing history.
//! Idempotent: what exists is left as it is, what is missing is added.

mod billing;

use entity::{Currency, account, billing_contact, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use std::time::Duration;

use crate::{
    domain::secret::Secret,
    gateway::mock::MockGateway,
    services::{Deps, ServiceResult, auth::passwords},
};

struct DemoAccount {
    number: &'static str,
    name: &'static str,
    line1: &'static str,
    city: &'static str,
    province: &'static str,
    postal_code: &'static str,
    time_zone: &'static str,
    contact: (&'static str, &'static str, &'static str),
    users: &'static [DemoUser],
}

struct DemoUser {
    email: &'static str,
    name: &'static str,
    role: user::Role,
    /// Demo-only, published in the README.
    password: &'static str,
}

const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        number: "1001",
        name: "Maple Dental Clinic",
        line1: "250 King St W",
        city: "Toronto",
        province: "ON",
        postal_code: "M5V 1J5",
        time_zone: "America/Toronto",
        contact: ("Accounts Payable", "ap@maple-dental.example", "+14165550142"),
        users: &[
            DemoUser {
                email: "manager@maple-dental.example",
                name: "Dana Whitfield",
                role: user::Role::OfficeManager,
                password: "Juniper42Canoe17Velvet",
            },
            DemoUser {
                email: "frontdesk@maple-dental.example",
                name: "Sam Okafor",
                role: user::Role::Member,
                password: "Copper88Lagoon31Thistle",
            },
        ],
    },
    DemoAccount {
        number: "1002",
        name: "Prairie Freight Ltd.",
        line1: "400 4 Ave SW",
        city: "Calgary",
        province: "AB",
        postal_code: "T2P 0J4",
        time_zone: "America/Edmonton",
        contact: ("Finance Office", "finance@prairie-freight.example", "+14035550188"),
        users: &[DemoUser {
            email: "ops@prairie-freight.example",
            name: "Lee Carter",
            role: user::Role::OfficeManager,
            password: "Saffron63Glacier29Otter",
        }],
    },
    DemoAccount {
        number: "1003",
        name: "Harbour Café",
        line1: "1 Lower Water St",
        city: "Halifax",
        province: "NS",
        postal_code: "B3J 1R7",
        time_zone: "America/Halifax",
        contact: ("Morgan Doucet", "owner@harbour-cafe.example", "+19025550117"),
        users: &[DemoUser {
            email: "owner@harbour-cafe.example",
            name: "Morgan Doucet",
            role: user::Role::OfficeManager,
            password: "Walnut74Comet18Prism",
        }],
    },
];

#[derive(Debug, Default)]
pub struct SeedReport {
    pub accounts_added: usize,
    pub users_added: usize,
    pub billing_histories_added: usize,
}

pub async fn seed(deps: &Deps) -> ServiceResult<SeedReport> {
    // The demo's cards are the mock gateway's test cards, whatever gateway is configured: seeding
    // needs no network, and a real gateway's customers are never made up.
    let gateway = MockGateway::new(deps.db.clone(), Duration::ZERO, Secret(String::new()));
    let mut report = SeedReport::default();
    let now = deps.now();
    for demo in ACCOUNTS {
        let txn = deps.begin().await?;
        let account =
            match account::Entity::find().filter(account::Column::Number.eq(demo.number)).one(&txn).await? {
                Some(existing) => existing,
                None => {
                    report.accounts_added += 1;
                    let account = account::ActiveModel {
                        number: Set(demo.number.into()),
                        name: Set(demo.name.into()),
                        address_line1: Set(demo.line1.into()),
                        address_line2: Set(None),
                        city: Set(demo.city.into()),
                        province: Set(demo.province.into()),
                        postal_code: Set(demo.postal_code.into()),
                        country: Set("CA".into()),
                        time_zone: Set(demo.time_zone.into()),
                        currency: Set(Currency::Cad),
                        tax_region: Set(demo.province.into()),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    let (name, email, phone) = demo.contact;
                    billing_contact::ActiveModel {
                        account_id: Set(account.id),
                        name: Set(name.into()),
                        email: Set(email.into()),
                        phone: Set(Some(phone.into())),
                        position: Set(0),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    account
                }
            };
        for demo_user in demo.users {
            let exists = user::Entity::find()
                .filter(user::Column::Email.eq(demo_user.email))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                continue;
            }
            report.users_added += 1;
            user::ActiveModel {
                account_id: Set(account.id),
                email: Set(demo_user.email.into()),
                name: Set(demo_user.name.into()),
                role: Set(demo_user.role),
                status: Set(user::Status::Active),
                password_hash: Set(passwords::hash(demo_user.password.into()).await?),
                must_change_password: Set(false),
                password_expires_at: Set(None),
                last_login_at: Set(None),
                time_zone: Set(None),
                billing_notifications: Set(demo_user.role == user::Role::OfficeManager),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        if billing::seed_account(&txn, &gateway, &account, now).await? {
            report.billing_histories_added += 1;
        }
        txn.commit().await?;
    }
    Ok(report)
}

/// Whether the database holds no account yet (`demo` seeds only then).
pub async fn is_empty(deps: &Deps) -> ServiceResult<bool> {
    use sea_orm::PaginatorTrait;
    Ok(account::Entity::find().count(&deps.db).await? == 0)
}
