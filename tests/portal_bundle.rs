//! The portal the binary serves is what `web/`'s source builds: `web/dist` (committed, compiled in
//! by rust-embed) must equal a fresh `npm run build` of `web/`, file for file and byte for byte,
//! as `schema.graphql` must equal `export-schema`. The build also typechecks the portal against
//! `schema.graphql` and holds it to its 150 KB JavaScript budget. After changing `web/`, run
//! `npm run build --prefix web` and commit `web/dist` with it.
//!
//! Its own test target (not `tests/api`): it needs no database, so it runs once, not once per one.

use std::{collections::BTreeMap, fs, path::Path, process::Command};

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                found.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn the_committed_bundle_is_what_web_builds_from_its_source() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let fresh = tempfile::tempdir().unwrap();
    let build = Command::new("npm")
        .args(["run", "build", "--silent"])
        .current_dir(&web)
        .env("PORTAL_OUT_DIR", fresh.path())
        .output()
        .expect("npm runs (tests/run installs web/'s packages)");
    assert!(
        build.status.success(),
        "web/ builds:\n{}\n{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    let (committed, built) = (files(&web.join("dist")), files(fresh.path()));
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&built),
        "web/dist is not what web/ builds: run `npm run build --prefix web` and commit web/dist"
    );
    for (name, bytes) in &committed {
        assert!(
            bytes == &built[name],
            "web/dist/{name} differs from the build of web/: rebuild and commit it"
        );
    }
}
