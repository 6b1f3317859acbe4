//! Shorthands the migrations share.

use sea_orm_migration::prelude::*;

/// `CREATE TABLE IF NOT EXISTS name`.
pub fn table<T: IntoIden + 'static>(name: T) -> TableCreateStatement {
    Table::create().table(name).if_not_exists().to_owned()
}

/// A foreign key that deletes with its parent.
pub fn fk<T, C, R, K>(from_table: T, from: C, to_table: R, to: K) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    R: IntoIden + 'static,
    K: IntoIden + 'static,
{
    ForeignKey::create()
        .from(from_table, from)
        .to(to_table, to)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A plain index on `columns`, in order.
pub async fn index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: [C; N],
) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    let mut index = Index::create().name(name).table(table).to_owned();
    for column in columns {
        index.col(column);
    }
    manager.create_index(index).await
}
