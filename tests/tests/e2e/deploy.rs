//! Deployability without a network: the production config and the built worker bundle as
//! `wrangler deploy` would upload them.

use harness::local::{deploy_dry_run, WORKER_GZIP_LIMIT};

#[test]
fn the_production_config_bundles_for_deploy() {
    let out = harness::fresh_dir("deploy");
    let log = deploy_dry_run(&out).unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("--dry-run: exiting now"), "{log}");
    // What would be uploaded: the entry module and the worker's wasm, far below the limit even
    // before compression.
    let mut total = 0;
    for entry in walk(&out) {
        total += std::fs::metadata(&entry).map(|m| m.len()).unwrap_or(0);
    }
    assert!(
        total > 100_000,
        "the bundle has the worker's wasm: {total} bytes"
    );
    assert!(total < WORKER_GZIP_LIMIT, "{total} bytes");
    // The bindings the code uses are the ones the config declares.
    for binding in ["SITES", "ASSETS"] {
        assert!(log.contains(binding), "{binding} not bound:\n{log}");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
