//! Call records by month: the migration moves existing rows into monthly partitions (PostgreSQL)
//! and back, an import makes the months it needs, and `prune-call-records` drops whole months no
//! invoice issued since still shows, refusing otherwise, on both databases.

use migration::MigratorTrait;
use sea_orm::DatabaseBackend;

use crate::{
    cli::billing_portal,
    helpers::{TestApp, query_i64, query_string},
};

const HEADER: &str = "call_id,started_at,direction,from_number,to_number,duration_seconds,call_type,rated_amount,currency,invoice_number";

fn import(app: &TestApp, rows: &[String]) -> std::process::Output {
    let file = app.mail_dir.with_file_name("calls.csv");
    std::fs::write(&file, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    billing_portal(app, &["import-cdrs", "--account", "1001", file.to_str().unwrap()], &[])
}

fn call(id: &str, started_at: &str, invoice: &str) -> String {
    format!("{id},{started_at},outbound,+14165550101,+14165550102,60,local,0.10,CAD,{invoice}")
}

fn prune(app: &TestApp, before: &str) -> std::process::Output {
    billing_portal(app, &["prune-call-records", "--before", before], &[])
}

async fn partitions(app: &TestApp) -> Vec<String> {
    if app.db.get_database_backend() != DatabaseBackend::Postgres {
        return Vec::new();
    }
    let names = query_string(
        app,
        "SELECT COALESCE(string_agg(c.relname, ',' ORDER BY c.relname), '') FROM pg_inherits i \
         JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'call_records'::regclass",
    )
    .await;
    names.split(',').filter(|n| !n.is_empty()).map(str::to_string).collect()
}

/// Every call record as text, in id order: what must survive a migration unchanged.
async fn fingerprint(app: &TestApp) -> String {
    let concat = if app.db.get_database_backend() == DatabaseBackend::Postgres {
        "string_agg(id || '|' || call_id || '|' || started_at || '|' || COALESCE(invoice_id, 0) || '|' || rated_amount_micros, ';' ORDER BY id)"
    } else {
        "group_concat(id || '|' || call_id || '|' || started_at || '|' || COALESCE(invoice_id, 0) || '|' || rated_amount_micros, ';')"
    };
    query_string(app, &format!("SELECT {concat} FROM (SELECT * FROM call_records ORDER BY id) c")).await
}

#[tokio::test]
async fn the_migration_moves_existing_calls_into_months_and_back_losing_nothing() {
    let app = TestApp::spawn().await;
    let before = fingerprint(&app).await;
    let rows = query_i64(&app, "SELECT COUNT(*) FROM call_records").await;
    assert!(rows > 1000, "the demo's calls: {rows}");

    migration::Migrator::down(&app.db, Some(1)).await.expect("back to one table");
    assert!(partitions(&app).await.is_empty());
    assert_eq!(fingerprint(&app).await, before);

    migration::Migrator::up(&app.db, None).await.expect("into months again");
    assert_eq!(fingerprint(&app).await, before, "every call, with its id, as it was");
    if app.db.get_database_backend() == DatabaseBackend::Postgres {
        let months = query_i64(
            &app,
            "SELECT COUNT(DISTINCT date_trunc('month', started_at AT TIME ZONE 'UTC')) FROM call_records",
        )
        .await;
        assert_eq!(partitions(&app).await.len() as i64, months, "a partition per month the calls span");
        // New ids continue the old sequence.
        let max = query_i64(&app, "SELECT MAX(id) FROM call_records").await;
        assert!(import(&app, &[call("after-migration", "2026-01-15T10:00:00Z", "")]).status.success());
        let id = query_i64(&app, "SELECT id FROM call_records WHERE call_id = 'after-migration'").await;
        assert!(id > max, "{id} after {max}");
    }
}

#[tokio::test]
async fn an_import_makes_the_months_it_needs_and_the_same_call_twice_is_still_refused() {
    let app = TestApp::spawn().await;
    let rows = [call("old-1", "2019-03-31T23:59:59Z", ""), call("old-2", "2019-04-01T00:00:00Z", "")];
    let output = import(&app, &rows);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    if app.db.get_database_backend() == DatabaseBackend::Postgres {
        let made = partitions(&app).await;
        for month in ["call_records_2019_03", "call_records_2019_04"] {
            assert!(made.contains(&month.to_string()), "{month} in {made:?}");
        }
        let where_they_are = query_string(
            &app,
            "SELECT string_agg(tableoid::regclass::text, ',' ORDER BY started_at) FROM call_records \
             WHERE call_id LIKE 'old-%'",
        )
        .await;
        assert_eq!(where_they_are, "call_records_2019_03,call_records_2019_04", "cut at midnight UTC");
    }
    let again = import(&app, &[call("new-1", "2019-05-01T00:00:00Z", ""), rows[1].clone()]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("line 3, column call_id: this call_id has already been imported"), "{stderr}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records WHERE call_id = 'new-1'").await, 0);
}

#[tokio::test]
async fn pruning_drops_whole_months_no_newer_invoice_shows() {
    let app = TestApp::spawn().await;
    let newest = query_string(
        &app,
        "SELECT number FROM invoices WHERE account_id = 1 ORDER BY issued_on DESC LIMIT 1",
    )
    .await;
    let rows = [
        call("gone-1", "2019-06-10T12:00:00Z", ""),
        call("gone-2", "2019-06-30T23:59:59Z", ""),
        call("kept-1", "2019-07-01T00:00:00Z", ""),
        // An old call billed late, on the newest invoice: it must stay while that invoice shows.
        call("late-1", "2019-08-20T00:00:00Z", &newest),
    ];
    assert!(import(&app, &rows).status.success());
    let total = query_i64(&app, "SELECT COUNT(*) FROM call_records").await;

    let refused = prune(&app, "2019-09-01");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&format!("invoice {newest}")) && stderr.contains("2019-08"), "{stderr}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records").await, total, "nothing dropped");

    let not_a_month = prune(&app, "2019-07-15");
    assert!(!not_a_month.status.success());
    assert!(String::from_utf8_lossy(&not_a_month.stderr).contains("the first of a month"));

    let pruned = prune(&app, "2019-07-01");
    assert!(pruned.status.success(), "{}", String::from_utf8_lossy(&pruned.stderr));
    let stdout = String::from_utf8_lossy(&pruned.stdout);
    assert!(stdout.contains("2 call records"), "{stdout}");
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records").await, total - 2);
    assert_eq!(query_i64(&app, "SELECT COUNT(*) FROM call_records WHERE call_id LIKE 'gone-%'").await, 0);
    if app.db.get_database_backend() == DatabaseBackend::Postgres {
        assert!(stdout.contains("2019-06"), "{stdout}");
        assert!(!partitions(&app).await.contains(&"call_records_2019_06".to_string()), "dropped whole");
        // The month can be filled again: its partition is made anew.
        assert!(import(&app, &[call("back-1", "2019-06-15T00:00:00Z", "")]).status.success());
    }
    assert_eq!(
        query_i64(&app, "SELECT COUNT(*) FROM call_records WHERE call_id IN ('kept-1', 'late-1')").await,
        2
    );
}
