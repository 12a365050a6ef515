//! `cargo xtask build`: the worker (worker-build), the widget (release wasm → wasm-bindgen →
//! wasm-opt → hashed names, minified glue and loader) and the static site in `target/site`.

use crate::setup::{cargo_bin, node_bin};
use crate::{exec, root, Result};
use std::fs;
use std::path::Path;
use std::process::Command;

/// wasm-opt 132 must be told which features rustc 1.95 output uses.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn run() -> Result {
    edge()?;
    let site = root().join("target/site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("widget")).map_err(err)?;
    widget(&site)?;
    demo(&site)?;
    fs::write(site.join("_headers"), HEADERS).map_err(err)?;
    eprintln!("built: edge/build (worker) and {} (static assets)", site.display());
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn edge() -> Result {
    exec(Command::new(cargo_bin("worker-build"))
        .current_dir(root().join("edge"))
        .arg("--release")
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", node_bin("wasm-opt"))
        .env("ESBUILD_BIN", node_bin("esbuild")))
}

fn widget(site: &Path) -> Result {
    let root = root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // `cargo rustc --crate-type cdylib` gets LTO; `cargo build` of a cdylib+rlib crate does not.
    exec(Command::new(&cargo).current_dir(&root).args([
        "rustc",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "earshot-widget",
        "--crate-type",
        "cdylib",
    ]))?;
    let out = root.join("target/widget-bindgen");
    let _ = fs::remove_dir_all(&out);
    exec(Command::new(cargo_bin("wasm-bindgen"))
        .arg(root.join("target/wasm32-unknown-unknown/release/widget.wasm"))
        .args(["--target", "web", "--no-typescript", "--out-name", "earshot", "--out-dir"])
        .arg(&out))?;
    let wasm = out.join("earshot_opt.wasm");
    exec(Command::new(node_bin("wasm-opt"))
        .arg(out.join("earshot_bg.wasm"))
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        .args(WASM_OPT_FEATURES)
        .arg("-o")
        .arg(&wasm))?;
    let glue = out.join("earshot.min.js");
    exec(Command::new(node_bin("esbuild"))
        .arg(out.join("earshot.js"))
        .args(["--minify", "--format=esm", "--log-level=warning"])
        .arg(format!("--outfile={}", glue.display())))?;
    let wasm_bytes = fs::read(&wasm).map_err(err)?;
    let glue_bytes = fs::read(&glue).map_err(err)?;
    let wasm_name = format!("earshot-{}.wasm", content_hash(&wasm_bytes));
    let glue_name = format!("earshot-{}.js", content_hash(&glue_bytes));
    fs::write(site.join("widget").join(&wasm_name), &wasm_bytes).map_err(err)?;
    fs::write(site.join("widget").join(&glue_name), &glue_bytes).map_err(err)?;
    let loader = fs::read_to_string(root.join("widget/loader.js"))
        .map_err(err)?
        .replace("__GLUE__", &glue_name)
        .replace("__WASM__", &wasm_name);
    let filled = out.join("loader.js");
    fs::write(&filled, loader).map_err(err)?;
    exec(Command::new(node_bin("esbuild"))
        .arg(&filled)
        .args(["--minify", "--target=es2020", "--log-level=warning"])
        .arg(format!("--outfile={}", site.join("widget.js").display())))
}

fn demo(site: &Path) -> Result {
    copy_dir(&root().join("demo"), &site.join("demo"))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(err)?;
    for entry in fs::read_dir(from).map_err(err)? {
        let entry = entry.map_err(err)?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(err)?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(err)?;
        }
    }
    Ok(())
}

/// FNV-1a 64, enough to make a changed file get a new name.
fn content_hash(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{:012x}", h >> 16)
}

/// Headers for the static assets (Workers assets `_headers` file).
const HEADERS: &str = "\
/widget.js
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300
/widget/*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=31536000, immutable
/demo/lab/strict
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'
/demo/lab/strict.html
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'
";
