//! The layers keep to themselves (see `src/lib.rs`): checked on the source, so that a shortcut
//! fails CI instead of waiting for a reviewer.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/{dir}`, with its code lines (comments dropped).
fn sources(dir: &str) -> Vec<(PathBuf, Vec<String>)> {
    fn walk(path: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files = Vec::new();
    if root.is_dir() {
        walk(&root, &mut files);
    } else {
        files.push(root.with_extension("rs"));
    }
    assert!(!files.is_empty(), "no sources under src/{dir}");
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text
                .lines()
                .map(str::trim)
                .filter(|line| !line.starts_with("//"))
                .map(|line| line.split(" // ").next().unwrap_or_default().to_string())
                .collect();
            (file, code)
        })
        .collect()
}

/// The lines of `src/{dir}` that mention any of `forbidden`, as "file:line: text".
fn offences(dirs: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs {
        for (file, lines) in sources(dir) {
            for (number, line) in lines.iter().enumerate() {
                for word in forbidden {
                    let at_word = line
                        .match_indices(word)
                        .any(|(at, _)| !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'));
                    if at_word {
                        found.push(format!("{}:{}: {line}", file.display(), number + 1));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn services_domain_and_mail_know_nothing_of_the_api_or_the_process() {
    let found = offences(
        &["services", "domain", "mail", "demo"],
        &["async_graphql", "poem", "crate::graphql", "crate::http", "crate::config", "crate::app"],
    );
    assert!(found.is_empty(), "inner layers reach outwards:\n{}", found.join("\n"));
}

#[test]
fn the_domain_is_pure() {
    let found = offences(
        &["domain"],
        &["sea_orm", "tokio", "crate::services", "crate::mail", "crate::clock", "Utc::now"],
    );
    assert!(found.is_empty(), "the domain does I/O:\n{}", found.join("\n"));
}

#[test]
fn the_api_layers_do_not_query_the_database() {
    // Resolvers and loaders call services; reading fields of the models they return is fine.
    let found = offences(&["graphql", "http"], &["sea_orm", "entity::prelude"]);
    assert!(found.is_empty(), "API code queries the database:\n{}", found.join("\n"));
}

#[test]
fn anyhow_only_at_the_edges() {
    let found = offences(
        &[
            "services", "domain", "mail", "graphql", "http", "jobs", "pdf", "demo", "config", "database",
            "clock",
        ],
        &["anyhow"],
    );
    assert!(found.is_empty(), "use the layer's error enum instead:\n{}", found.join("\n"));
}

#[test]
fn time_comes_from_the_clock() {
    // So that a test can set it; file names of `.eml` files are the one exception.
    let found =
        offences(&["services", "domain", "graphql", "http", "jobs", "demo"], &["Utc::now", "Local::now"]);
    assert!(found.is_empty(), "read the time from the services' clock:\n{}", found.join("\n"));
}

#[test]
fn the_readme_source_map_matches_the_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let map = readme.split("## Source map").nth(1).expect("a source map").split("```").nth(1).unwrap();
    // Every `src/…` path the map names, and the entries indented under `src/services/`.
    let mut named = Vec::new();
    for line in map.lines() {
        for word in line.split_whitespace().filter(|word| word.starts_with("src/")) {
            named.push(word.trim_end_matches([',', ';', '.']).to_string());
        }
        if line.starts_with("  ") && !line.starts_with("   ") {
            named.push(format!("src/services/{}", line.split_whitespace().next().unwrap()));
        }
    }
    for path in &named {
        assert!(root.join(path).exists(), "the source map names {path}, which does not exist");
    }
    // Every folder of the layout is on the map.
    for dir in ["src", "src/services"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let folder = format!("{}/", path.strip_prefix(root).unwrap().display());
                assert!(named.contains(&folder), "the source map does not name {folder}");
            }
        }
    }
}

/// The service modules (`src/services/X/` or `src/services/X.rs`) each service module names in its
/// paths (`services::X`, `services::{X, …}`).
fn service_dependencies() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/services");
    let modules: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().is_some_and(|name| name != "mod.rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut graph = std::collections::BTreeMap::new();
    for module in &modules {
        let code: String =
            sources(&format!("services/{module}")).into_iter().flat_map(|(_, lines)| lines).collect();
        let named: std::collections::BTreeSet<String> = code
            .match_indices("services::")
            .flat_map(|(at, found)| names_in(&code[at + found.len()..]))
            .filter(|name| name != module && modules.contains(name))
            .collect();
        graph.insert(module.clone(), named);
    }
    graph
}

/// The first names of a path's rest: `x::…` gives x; `{a, b::c, d::{…}}` gives a, b and d.
fn names_in(rest: &str) -> Vec<String> {
    let identifier =
        |text: &str| text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = rest.strip_prefix('{') else { return vec![identifier(rest)] };
    let (mut names, mut depth, mut item_start) = (Vec::new(), 0, true);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if depth == 0 && item_start && !c.is_whitespace() => {
                names.push(identifier(&group[at..]));
                item_start = false;
            }
            _ => {}
        }
    }
    names
}

#[test]
fn services_depend_one_way_with_no_circle() {
    let graph = service_dependencies();
    // Money flows down: Auto Pay makes payments, a payment posts to billing, billing notifies.
    let chain = ["webhooks", "auto_pay", "payments", "billing", "notifications"];
    for (rank, upper) in chain.iter().enumerate() {
        for lower in &chain[rank + 1..] {
            assert!(
                !graph[*lower].contains(*upper),
                "{lower} uses {upper}, which stands above it: {graph:#?}"
            );
        }
    }
    // No circle anywhere: every module can be ranked below all that use it.
    let mut left = graph.clone();
    while !left.is_empty() {
        let free: Vec<String> =
            left.keys().filter(|m| !left.values().any(|uses| uses.contains(*m))).cloned().collect();
        assert!(!free.is_empty(), "a circle among {:#?}", left);
        for module in free {
            left.remove(&module);
        }
    }
}
