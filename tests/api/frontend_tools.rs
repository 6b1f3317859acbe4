//! The frontend team's own tools against a running server (`tests/frontend-tools`, installed by
//! `tests/run`): GraphQL Code Generator reading the schema from the URL and typing every contract
//! operation, `tsc --strict` over what it made; Apollo Client logging in, paging, paying and
//! batching; relay-compiler accepting refetchable fragments over the committed schema.

use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::helpers::{HARBOUR, TestApp, cents};

const TOOLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/frontend-tools");
const OPERATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/operations");

/// The contract's operations that this schema serves (security.graphql waits for two-step sign-in).
fn operation_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(OPERATIONS)
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .filter(|path| path.ends_with(".graphql") && !path.ends_with("security.graphql"))
        .collect();
    files.sort();
    files
}

async fn run(program: &str, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(program);
    command.current_dir(TOOLS).args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{program} runs (tests/run installs tests/frontend-tools): {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test(flavor = "multi_thread")]
async fn codegen_reads_the_schema_from_the_url_and_tsc_accepts_the_typed_operations() {
    let app = TestApp::spawn().await;
    let generated = format!("{TOOLS}/.generated/gql");
    let _ = std::fs::remove_dir_all(&generated);
    let env = [
        ("SCHEMA_URL", format!("{}/graphql", app.address)),
        ("OPERATIONS", operation_files().join(",")),
        ("OUT_DIR", ".generated/gql".to_string()),
    ];
    run("node_modules/.bin/graphql-codegen", &["--config", "codegen.ts"], &env).await;
    let types = std::fs::read_to_string(format!("{generated}/graphql.ts")).expect("codegen wrote types");
    // The custom scalars are text, as the codegen config maps them, never `any` or `unknown`.
    let payment_variables = types.split("export type MakePaymentMutationVariables").nth(1).expect("typed");
    assert!(
        payment_variables.trim_start().starts_with("= Exact<{\n  amount: string;"),
        "Decimal typed as text"
    );
    for operation in ["DashboardQuery", "MakePaymentMutation", "PaymentUpdatedSubscription", "NodeQuery"] {
        assert!(types.contains(&format!("export type {operation} ")), "{operation} is typed");
    }
    // A frontend's code over those types (`typed-usage.ts`) compiles under --strict.
    run("node_modules/.bin/tsc", &["-p", "tsconfig.json"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apollo_client_pages_pays_and_sees_its_cached_balance_change_with_persisted_queries() {
    let app = TestApp::spawn().await;
    let operations: String = operation_files()
        .iter()
        .filter(|path| !path.ends_with("live.graphql"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let spec = json!({
        "url": format!("{}/graphql", app.address),
        "email": HARBOUR.0,
        "password": HARBOUR.1,
        "operations": operations,
    });
    let output = run("node", &["apollo.mjs", &spec.to_string()], &[]).await;
    let seen: Value = serde_json::from_slice(&output.stdout).expect("apollo.mjs' JSON line");

    assert_eq!(seen["apqNotFoundThenText"], true, "the hash alone first, then its text: {seen}");
    assert_eq!(seen["repeatSentText"], false, "a repeated query travels as its hash: {seen}");
    // Two pages of two, merged into one list (Harbour Café has three transactions).
    let total = seen["totalCount"].as_u64().unwrap();
    assert!(total > 2, "a second page was needed: {seen}");
    let merged = json!(total.min(4));
    assert_eq!((&seen["mergedEdges"], &seen["distinctIds"]), (&merged, &merged), "two pages merged: {seen}");
    assert_eq!(seen["paymentStatus"], "SUCCEEDED", "{seen}");
    let money = |field: &str| cents(&json!({ "amount": seen[field] }));
    assert_eq!(money("balanceAfterFromCache"), money("balanceBefore") - 1000, "the cache followed: {seen}");
    assert_eq!((&seen["batchRequests"], &seen["batchSize"]), (&json!(1), &json!(2)), "one request: {seen}");
    assert_eq!(seen["batchAnswered"], true, "{seen}");

    // The server agrees with what the cache shows.
    let token = app.login(HARBOUR.0, HARBOUR.1).await;
    assert_eq!(app.balance(&token).await, money("balanceAfterFromCache"));
}

#[tokio::test(flavor = "multi_thread")]
async fn relay_compiler_accepts_refetchable_fragments_over_the_schema() {
    // `@refetchable` needs `interface Node` and `node(id:)`; the artifacts refetch through them.
    let artifacts = format!("{TOOLS}/.generated/relay");
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new(format!("{TOOLS}/node_modules/.bin/relay-compiler"));
    command.current_dir(format!("{TOOLS}/relay"));
    let output =
        tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("relay-compiler runs");
    let said =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{said}");
    let refetch =
        std::fs::read_to_string(format!("{artifacts}/AccountHeaderRefetchQuery.graphql.ts")).unwrap();
    assert!(refetch.contains("node(id: $id)"), "refetched by its id through node: {refetch}");
}
