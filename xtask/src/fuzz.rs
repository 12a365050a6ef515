//! `cargo xtask fuzz [--seconds N]`: runs every fuzz target in `fuzz/` for N seconds (default 60).
//!
//! The targets feed arbitrary bytes to the decoders in `domain` (see `fuzz/fuzz_targets/`).
//! cargo-fuzz needs nightly-only compiler flags and only the stable toolchain is installed, so
//! `RUSTC_BOOTSTRAP=1` unlocks them. The seeds in `fuzz/corpus/<target>` are only read; what the
//! fuzzer learns goes to `fuzz/target/corpus/<target>` (ignored by git). A crash fails the task and
//! leaves its input in `fuzz/artifacts/<target>/`: make it a regression test in `domain/tests/`.

use crate::setup::cargo_bin;
use crate::{exec, root, Result};
use std::process::Command;

/// Every target in `fuzz/Cargo.toml`.
const TARGETS: [&str; 2] = ["ingest", "summary_query"];
const DEFAULT_SECONDS: u64 = 60;
/// Pinned like the other tools, so every machine fuzzes with the same harness.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

pub fn run(args: &[String]) -> Result {
    let seconds = seconds(args)?;
    install_cargo_fuzz()?;
    let root = root();
    for target in TARGETS {
        let learned = root.join("fuzz/target/corpus").join(target);
        std::fs::create_dir_all(&learned).map_err(|e| format!("{}: {e}", learned.display()))?;
        // Called as `cargo-fuzz fuzz ...` (how cargo runs a subcommand), so ~/.cargo/bin need not be on PATH.
        exec(Command::new(cargo_bin("cargo-fuzz"))
            .current_dir(&root)
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", target])
            .arg(&learned)
            .arg(root.join("fuzz/corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={seconds}")))
        .map_err(|e| {
            format!(
                "{e}\nthe `{target}` fuzz target failed; a crashing input is in fuzz/artifacts/{target}/ \
                 (replay: RUSTC_BOOTSTRAP=1 cargo fuzz run {target} <file>): add it as a regression test in domain/tests/"
            )
        })?;
    }
    Ok(())
}

fn seconds(args: &[String]) -> Result<u64> {
    match args {
        [] => Ok(DEFAULT_SECONDS),
        [flag, n] if flag == "--seconds" => n
            .parse()
            .ok()
            .filter(|&s| s > 0)
            .ok_or_else(|| format!("--seconds takes a whole number above 0, not `{n}`")),
        _ => Err("usage: cargo xtask fuzz [--seconds N]".into()),
    }
}

fn install_cargo_fuzz() -> Result {
    let installed = Command::new(cargo_bin("cargo-fuzz"))
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    exec(crate::cargo().args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}
