//! This deployment's id at the payment gateway: made once, by whichever process first finds none
//! (the insert that loses the race changes nothing), and the same for every instance after.

use entity::installation;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};

const ROW: i32 = 1;

pub async fn id(db: &DatabaseConnection, now: chrono::DateTime<chrono::Utc>) -> Result<String, DbErr> {
    if let Some(found) = installation::Entity::find_by_id(ROW).one(db).await? {
        return Ok(found.installation_id);
    }
    // About 82 random bits (16 of 36 letters and digits): fits an idempotency key, a metadata value
    // and a search query as it is.
    let made: String = (0..16)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rand::random_range(0..36usize)]))
        .collect();
    installation::Entity::insert(installation::ActiveModel {
        id: Set(ROW),
        installation_id: Set(made),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([installation::Column::Id])
    .exec_without_returning(db)
    .await?;
    let found = installation::Entity::find_by_id(ROW).one(db).await?;
    found.map(|row| row.installation_id).ok_or_else(|| DbErr::RecordNotFound("the installation row".into()))
}
