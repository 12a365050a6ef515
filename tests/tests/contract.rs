//! `edge/openapi.yaml` against the real worker: Schemathesis (pinned, in the virtualenv that
//! `cargo xtask setup` makes) runs every phase — examples, coverage, fuzzing, stateful along the
//! document's links — with every check, a fixed seed and a bounded number of examples. Zero
//! failures is the bar: every request the document calls valid is accepted, every invalid one
//! refused with a documented 4xx, and every reply matches its documented status, headers and
//! schema. Settings: `tests/contract/schemathesis.toml`; extensions: `tests/contract/hooks.py`.

// Its own test binary, so that it runs after the end-to-end suites rather than among them:
// the fuzzer's hundreds of requests are measured against a worker the other tests do not load.
#[path = "e2e/util.rs"]
#[allow(dead_code)]
mod util;

use harness::local::LocalWorker;
use std::path::{Path, PathBuf};
use std::process::Command;
use util::ORIGIN;

const SITE: &str = "contract";
/// Test cases per operation in the fuzzing and stateful phases (the coverage phase is
/// exhaustive over the document's rules by itself): the whole run stays near a minute or two.
const MAX_EXAMPLES: &str = "15";
/// Checks the worker cannot pass yet, each with the server change that makes it pass (none now:
/// every 405 carries `Allow`, and the router matches the request's own method string).
const PENDING: &[&str] = &[];
const PHASES: &str = "examples,coverage,fuzzing,stateful";

/// Where `cargo xtask setup` installs Schemathesis.
fn schemathesis() -> PathBuf {
    harness::repo_root().join("target/venv/bin/st")
}

#[test]
fn the_worker_keeps_the_openapi_contract() {
    let st = schemathesis();
    assert!(
        st.exists(),
        "{} is missing: run `cargo xtask setup`",
        st.display()
    );
    let w = util::start("contract");
    let owner = w.create_site(SITE, &[ORIGIN]);
    // Schemathesis sends far more answers a minute than one visitor may.
    let r = util::patch(
        &w,
        SITE,
        &owner,
        serde_json::json!({"rate_limit_per_minute": 100_000}),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // Rotation ends the owner token, so it runs on its own, after the rest, with the admin token
    // (which the route also takes) in both schemes; alone it has no links to follow.
    let rest = ["--exclude-operation-id", "rotateToken", "--phases", PHASES];
    run(&st, &w, &owner, "everything but rotation", &rest);
    let admin = w.admin_token.clone();
    let rotation = [
        "--include-operation-id",
        "rotateToken",
        "--phases",
        "examples,coverage,fuzzing",
    ];
    run(&st, &w, &admin, "rotation", &rotation);
}

/// One Schemathesis run; fails the test with its report unless it exits 0 (a failure, an error
/// or a warning listed in the settings' `fail-on` makes it exit non-zero).
fn run(st: &Path, w: &LocalWorker, owner: &str, what: &str, select: &[&str]) {
    let root = harness::repo_root();
    let report = w
        .state
        .join(format!("schemathesis-{}", what.replace(' ', "-")));
    let out = Command::new(st)
        .current_dir(&root)
        .arg("--config-file")
        .arg(root.join("tests/contract/schemathesis.toml"))
        .args(["--no-color", "run"])
        .arg(root.join("edge/openapi.yaml"))
        .args(["--url", &w.base])
        .args(["--checks", "all"])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--workers", "1"])
        .arg("--report-dir")
        .arg(&report)
        .args(select)
        .args(PENDING.iter().flat_map(|check| ["--exclude-checks", check]))
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", root.join("tests/contract"))
        .env("EARSHOT_SITE", SITE)
        .env("EARSHOT_ORIGIN", ORIGIN)
        .env("EARSHOT_OWNER_TOKEN", owner)
        .env("EARSHOT_ADMIN_TOKEN", &w.admin_token)
        .output()
        .expect("run schemathesis");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "Schemathesis ({what}) found disagreements between edge/openapi.yaml and the worker \
         (exit {:?}; reports in {}):\n{text}",
        out.status.code(),
        report.display()
    );
    eprintln!(
        "{what}: {}",
        text.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
    );
}
