//! The frontend team's operations (`operations/*.graphql`, copied from the product contract), run
//! as written: each test sends the operation with exactly the fragments it uses.

use std::collections::BTreeMap;

const FILES: &[&str] = &[
    include_str!("operations/auth.graphql"),
    include_str!("operations/dashboard.graphql"),
    include_str!("operations/fragments.graphql"),
    include_str!("operations/live.graphql"),
    include_str!("operations/organization.graphql"),
    include_str!("operations/payments.graphql"),
    include_str!("operations/profile.graphql"),
    include_str!("operations/security.graphql"),
    include_str!("operations/transactions.graphql"),
];

/// Top-level definitions by name: `query X`, `mutation X`, `fragment X on T`.
fn definitions() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in FILES {
        let mut depth = 0;
        let mut start = None;
        for (index, c) in file.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0
                        && let Some(begin) = start.take()
                    {
                        let text: &str = &file[begin..=index];
                        let name = text.split_whitespace().nth(1).unwrap_or_default();
                        let name = name.split(['(', '{']).next().unwrap_or_default().to_string();
                        found.insert(name, text.to_string());
                    }
                }
                _ if depth == 0 && start.is_none() && !c.is_whitespace() => start = Some(index),
                _ => {}
            }
        }
    }
    found
}

/// The document for operation `name`: the operation and every fragment it spreads.
pub fn operation(name: &str) -> String {
    let definitions = definitions();
    let mut document = definitions.get(name).unwrap_or_else(|| panic!("no operation {name}")).clone();
    let mut included = Vec::<String>::new();
    loop {
        let missing: Vec<String> = definitions
            .iter()
            .filter(|(name, text)| {
                text.starts_with("fragment") && !included.contains(name) && spreads(&document, name)
            })
            .map(|(name, _)| name.clone())
            .collect();
        if missing.is_empty() {
            return document;
        }
        for fragment in missing {
            document.push_str("\n\n");
            document.push_str(&definitions[&fragment]);
            included.push(fragment);
        }
    }
}

/// Whether `document` spreads `...fragment` (the whole name, not a prefix of another).
fn spreads(document: &str, fragment: &str) -> bool {
    let spread = format!("...{fragment}");
    document
        .match_indices(&spread)
        .any(|(at, _)| !document[at + spread.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

#[test]
fn the_copies_match_the_contract_when_it_is_at_hand() {
    let contract = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/contract/operations");
    let Ok(entries) = std::fs::read_dir(contract) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().into_string().unwrap();
        let ours =
            std::fs::read_to_string(format!("{}/tests/api/operations/{name}", env!("CARGO_MANIFEST_DIR")))
                .unwrap_or_else(|_| {
                    panic!("tests/api/operations/{name} is missing: copy it from the contract")
                });
        assert_eq!(
            ours,
            std::fs::read_to_string(entry.path()).unwrap(),
            "{name} differs from the contract's"
        );
    }
}

#[test]
fn an_operation_comes_with_the_fragments_it_uses() {
    let dashboard = operation("Dashboard");
    assert!(dashboard.starts_with("query Dashboard"));
    assert!(dashboard.contains("fragment MoneyFields on Money"));
    assert!(dashboard.contains("fragment TransactionRow on Transaction"));
    assert!(!dashboard.contains("fragment UserErrorFields"));
}
