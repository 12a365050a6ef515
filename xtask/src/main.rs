//! `cargo xtask` — every project task in Rust, no shell scripts.
//!
//! - `setup`  installs what is missing (wasm target, pinned wasm-bindgen-cli and worker-build,
//!   `npm ci` for wrangler + binaryen, Debian chromium + chromedriver + brotli when root).
//! - `build`  builds the worker and the widget and assembles the static site in `target/site`.
//! - `dev`    builds, runs the real worker locally and seeds the `demo` site.
//! - `test`   runs every test: unit and property tests, widget tests in headless Chromium,
//!   end-to-end tests against the real worker.
//! - `deploy` builds and runs `wrangler deploy`.
//! - `bench`  measures widget bytes, time to prompt, ingest throughput, summary cost and
//!   memory in one run and checks the budgets (not part of `test`).
//! - `screenshots` seeds a fresh demo site and writes the README's pictures (dashboard, widget
//!   light/dark/RTL) to `docs/screenshots/` with headless Chromium.
//! - `soak`   the long fault run: many answers while the worker is killed and restarted; checks
//!   that nothing is lost or counted twice (not part of `test`, which runs the short version).

mod bench;
mod build;
mod fuzz;
mod minify;
mod screenshots;
mod setup;
mod soak;

use harness::local::{LocalWorker, Log};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("build") => setup::run().and_then(|_| build::run()),
        Some("dev") => dev(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("deploy") => deploy(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("screenshots") => screenshots::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <setup|build|dev [--port N] [--state DIR] [--seed N]|test|deploy|fuzz [--seconds N]|bench {}|soak [--responses N] [--restarts N] [--threads N] [--sites N] [--seed N] [--no-build]|screenshots [--answers N] [--no-build]>", bench::OPTIONS);
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn root() -> PathBuf {
    harness::repo_root()
}

/// The cargo running this task (`$CARGO`), in the repository root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command, failing with its description when it fails.
pub fn exec(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The value after `--name`, if given.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// The number after `--name`, or `default`; a clear error naming the usage otherwise.
fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T, usage: &str) -> Result<T> {
    flag(args, name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| format!("{name} takes a number; usage: {usage}"))
    })
}

/// Whether the switch `--name` is present.
fn switch(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}

const DEV_USAGE: &str = "cargo xtask dev [--port N] [--state DIR] [--seed N]";

fn dev(args: &[String]) -> Result {
    let port: u16 = number(args, "--port", 8787, DEV_USAGE)?;
    let state = flag(args, "--state")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/dev"));
    let state = if state.is_absolute() {
        state
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(state)
    };
    setup::run()?;
    build::run()?;
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    let admin = admin_token(&state)?;
    eprintln!(
        "starting wrangler dev on 127.0.0.1:{port} (state in {})",
        state.display()
    );
    let mut worker =
        LocalWorker::start(&state, port, &admin, Log::Inherit).map_err(|e| e.to_string())?;
    let owner = seed_demo(&worker, &state)?;
    let seed: usize = number(args, "--seed", 0, DEV_USAGE)?;
    if seed > 0 {
        eprintln!(
            "seeding {seed} answers over the last 90 days, the 90 days before and their displays…"
        );
        let new = harness::seed::demo(&worker, "demo", &owner, seed)?;
        eprintln!("seeded: {new} new records (answers and displays)");
    }
    let base = &worker.base;
    println!();
    println!(
        "Earshot is running (the real Workers runtime, local SQLite state in {}).",
        state.display()
    );
    println!("  demo shop page : {base}/demo/   (widget lab: {base}/demo/lab/)");
    println!("  dashboard      : {base}/dashboard/   (site id: demo, owner token below)");
    println!(
        "  JSON summary   : {base}/v1/sites/demo/summary   (Authorization: Bearer <owner token>)"
    );
    println!("  demo owner token: {owner}");
    println!("  admin token     : {admin}");
    println!("  try: curl -H 'Authorization: Bearer {owner}' {base}/v1/sites/demo/summary");
    println!("Press Ctrl-C to stop.");
    worker.wait().map_err(|e| e.to_string())
}

/// `EARSHOT_ADMIN_TOKEN`, else the one generated earlier for this state folder, else a new one.
fn admin_token(state: &Path) -> Result<String> {
    if let Ok(t) = std::env::var("EARSHOT_ADMIN_TOKEN") {
        if !t.is_empty() {
            return Ok(t);
        }
    }
    let file = state.join("admin-token");
    if let Ok(t) = std::fs::read_to_string(&file) {
        return Ok(t.trim().to_string());
    }
    let token = format!("esa_{}", harness::random_token());
    std::fs::write(&file, &token).map_err(|e| e.to_string())?;
    Ok(token)
}

/// Creates the `demo` site once per state folder and keeps its owner token there.
fn seed_demo(worker: &LocalWorker, state: &Path) -> Result<String> {
    let file = state.join("demo-owner-token");
    if let Ok(t) = std::fs::read_to_string(&file) {
        return Ok(t.trim().to_string());
    }
    let token = harness::demo::create(worker)?;
    std::fs::write(&file, &token).map_err(|e| e.to_string())?;
    Ok(token)
}

fn test(args: &[String]) -> Result {
    setup::run()?;
    build::run()?;
    // Unit and property tests of the pure core, the route table and the edge's own logic (on
    // the host), plus the end-to-end suites.
    exec(
        cargo()
            .args([
                "test",
                "-p",
                "earshot-domain",
                "-p",
                "earshot-api",
                "-p",
                "earshot-edge",
                "-p",
                "earshot-tests",
                "-p",
                "xtask",
            ])
            .args(args),
    )?;
    // Widget and dashboard components in headless Chromium.
    exec(
        cargo()
            .args([
                "test",
                "-p",
                "earshot-widget",
                "-p",
                "earshot-dashboard",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", setup::CHROMEDRIVER)
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root().join("widget/webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    Ok(())
}

fn deploy() -> Result {
    setup::run()?;
    build::run()?;
    exec(
        Command::new(harness::local::wrangler_bin())
            .current_dir(root().join("edge"))
            .args(["deploy", "--config", "wrangler.toml"]),
    )
}
