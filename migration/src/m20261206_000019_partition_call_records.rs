//! Call records at a carrier's size. On PostgreSQL `call_records` becomes a table partitioned by
//! month of `started_at` (declarative partitioning): each month's rows and indexes are a table of
//! their own, so a month is dropped whole (`prune-call-records`) instead of deleted row by row, and
//! a query for a month or an invoice reads only the months it needs.
//!
//! How an existing table moves: in this migration's transaction, the table is renamed aside, the
//! partitioned table is created with the same columns (its ids go on from where the old ones stopped), a
//! partition is made for every month the old rows span, the rows are copied in and the old table is
//! dropped (its identity's sequence gives way to a plain one, which goes on from the same value).
//! Readers wait for the transaction (it holds the old table's lock), nothing is lost or
//! seen twice. It takes about as long as an import of the same rows; for a table too large to copy
//! inside a maintenance window, the alternative is to attach the old table whole as one partition
//! bounded by its newest month (a `CHECK` constraint first, so the attach need not scan it) and let
//! `prune-call-records` drop it once all of it is past keeping.
//!
//! Partitioned tables need the partition key in every unique index: a call is now one call id *at
//! one start time* (`idx_call_records_call_id`). SQLite, one table, gets the same unique key so that
//! both databases accept and refuse the same imports. Switches do reuse call ids (a counter that
//! wraps); the same id at the same time is the same call sent twice.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every column but the id, as migration 000002 made them.
const COLUMNS: &str = "account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    invoice_id bigint REFERENCES invoices (id) ON DELETE CASCADE,
    call_id varchar(64) NOT NULL,
    started_at timestamptz NOT NULL,
    direction varchar(8) NOT NULL,
    from_number varchar(32) NOT NULL,
    to_number varchar(32) NOT NULL,
    duration_seconds integer NOT NULL,
    call_type varchar(16) NOT NULL,
    rated_amount_micros bigint NOT NULL,
    currency varchar(3) NOT NULL";

const NAMES: &str = "id, account_id, invoice_id, call_id, started_at, direction, from_number, to_number, \
    duration_seconds, call_type, rated_amount_micros, currency";

/// The keyset indexes of migration 000004.
const INDEXES: &str = "CREATE INDEX idx_call_records_invoice ON call_records (invoice_id, started_at, id);
    CREATE INDEX idx_call_records_account_started ON call_records (account_id, started_at, id);";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            db.execute_unprepared("DROP INDEX idx_call_records_call_id").await?;
            db.execute_unprepared(
                "CREATE UNIQUE INDEX idx_call_records_call_id ON call_records (account_id, call_id, started_at)",
            )
            .await?;
            return Ok(());
        }
        db.execute_unprepared(&format!(
            r#"
            -- Ids go on from where the old table's identity is: a partitioned table cannot have an
            -- identity column (PostgreSQL 15), so a plain sequence under the same name takes over.
            CREATE SEQUENCE call_records_id_seq_next;
            SELECT setval('call_records_id_seq_next', nextval(pg_get_serial_sequence('call_records', 'id')), false);
            ALTER TABLE call_records ALTER COLUMN id DROP IDENTITY;
            ALTER SEQUENCE call_records_id_seq_next RENAME TO call_records_id_seq;
            ALTER TABLE call_records RENAME TO call_records_unpartitioned;
            ALTER TABLE call_records_unpartitioned DROP CONSTRAINT call_records_pkey;
            DROP INDEX idx_call_records_call_id, idx_call_records_invoice, idx_call_records_account_started;

            CREATE TABLE call_records (
                id bigint NOT NULL DEFAULT nextval('call_records_id_seq'),
                {COLUMNS},
                PRIMARY KEY (id, started_at)
            ) PARTITION BY RANGE (started_at);
            ALTER SEQUENCE call_records_id_seq OWNED BY call_records.id;
            CREATE UNIQUE INDEX idx_call_records_call_id ON call_records (account_id, call_id, started_at);
            {INDEXES}

            DO $$
            DECLARE month timestamptz;
            BEGIN
                FOR month IN
                    SELECT generate_series(date_trunc('month', MIN(started_at) AT TIME ZONE 'UTC'),
                                           date_trunc('month', MAX(started_at) AT TIME ZONE 'UTC'),
                                           interval '1 month') AT TIME ZONE 'UTC'
                    FROM call_records_unpartitioned
                LOOP
                    EXECUTE format(
                        'CREATE TABLE %I PARTITION OF call_records FOR VALUES FROM (%L) TO (%L)',
                        'call_records_' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM'),
                        month, (month AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC');
                END LOOP;
            END $$;

            INSERT INTO call_records SELECT {NAMES} FROM call_records_unpartitioned;
            DROP TABLE call_records_unpartitioned;
            "#
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            db.execute_unprepared("DROP INDEX idx_call_records_call_id").await?;
            db.execute_unprepared(
                "CREATE UNIQUE INDEX idx_call_records_call_id ON call_records (account_id, call_id)",
            )
            .await?;
            return Ok(());
        }
        // Back to one table with an identity column, going on from the sequence's next id.
        db.execute_unprepared(&format!(
            r#"
            CREATE TABLE call_records_flat (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                {COLUMNS}
            );
            INSERT INTO call_records_flat SELECT {NAMES} FROM call_records;
            DO $$
            BEGIN
                EXECUTE format('ALTER TABLE call_records_flat ALTER COLUMN id RESTART WITH %s',
                               nextval('call_records_id_seq'));
            END $$;
            DROP TABLE call_records;
            ALTER TABLE call_records_flat RENAME TO call_records;
            ALTER TABLE call_records RENAME CONSTRAINT call_records_flat_pkey TO call_records_pkey;
            ALTER SEQUENCE call_records_flat_id_seq RENAME TO call_records_id_seq;
            CREATE UNIQUE INDEX idx_call_records_call_id ON call_records (account_id, call_id);
            {INDEXES}
            "#
        ))
        .await?;
        Ok(())
    }
}
