//! `cargo xtask setup`: installs what a fresh machine lacks. Idempotent and quick when all is there.

use crate::{exec, root, Result};
use std::path::PathBuf;
use std::process::Command;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run() -> Result {
    wasm_target()?;
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let bindgen =
        locked_version(&lock, "wasm-bindgen").ok_or("wasm-bindgen is not in Cargo.lock")?;
    let worker = locked_version(&lock, "worker").ok_or("worker is not in Cargo.lock")?;
    // Its lockfile pins a webpki-roots the registry here lacks, so no --locked.
    cargo_install("wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    cargo_install("worker-build", "worker-build", &worker, true)?;
    npm_ci()?;
    schemathesis()?;
    debian_packages()
}

/// `~/.cargo/bin/NAME`, where `cargo install` puts it.
pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo")
        });
    home.join("bin").join(name)
}

pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

fn output(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The wasm target, and the standard library's source (the widget rebuilds `std` to be small).
fn wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let components = output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    if !components.lines().any(|l| l.trim().starts_with("rust-src")) {
        exec(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// The version of `name` in Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    Some(lock[start..].split('"').next()?.to_string())
}

fn cargo_install(bin: &str, package: &str, version: &str, locked: bool) -> Result {
    let have = output(Command::new(cargo_bin(bin)).arg("--version")).unwrap_or_default();
    if have.split_whitespace().any(|w| w == version) {
        return Ok(());
    }
    let mut cmd = crate::cargo();
    cmd.args(["install", package, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    exec(&mut cmd)
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn npm_ci() -> Result {
    let root = root();
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(root.join("package-lock.json"));
    let installed = modified(root.join("node_modules/.package-lock.json"));
    let fresh = matches!((lock, installed), (Some(l), Some(i)) if i >= l)
        && node_bin("wrangler").exists()
        && node_bin("wasm-opt").exists();
    if fresh {
        return Ok(());
    }
    exec(
        Command::new("npm")
            .current_dir(&root)
            .args(["ci", "--no-audit", "--no-fund"]),
    )
}

/// The virtualenv with the pinned Schemathesis of the contract test (`target/venv`), made or
/// refreshed when `tests/contract/requirements.txt` is newer than it.
fn schemathesis() -> Result {
    let root = root();
    let venv = root.join("target/venv");
    let requirements = root.join("tests/contract/requirements.txt");
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let stamp = venv.join("installed");
    if matches!((modified(&requirements), modified(&stamp)), (Some(r), Some(i)) if i >= r) {
        return Ok(());
    }
    exec(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
        format!("{e} (the contract test needs Python 3 with venv: apt-get install python3-venv)")
    })?;
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, "").map_err(|e| e.to_string())
}

/// Debian's chromium and chromedriver (a test tool cannot download its own browser here), and
/// the brotli CLI (`cargo xtask bench` measures compressed sizes with it): the missing ones.
fn debian_packages() -> Result {
    let have = |p: &str| std::path::Path::new(p).exists();
    let brotli = output(Command::new("brotli").arg("--version")).is_some();
    let missing: Vec<&str> = [
        (have(CHROMIUM), "chromium"),
        (have(CHROMEDRIVER), "chromium-driver"),
        (brotli, "brotli"),
    ]
    .into_iter()
    .filter(|(present, _)| !present)
    .map(|(_, package)| package)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let root_user = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    if !root_user {
        return Err(format!(
            "Debian packages {} are needed ({CHROMIUM}, {CHROMEDRIVER}, the brotli CLI): e.g. sudo apt-get install {}",
            missing.join(", "),
            missing.join(" ")
        ));
    }
    exec(Command::new("apt-get").arg("update"))?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
