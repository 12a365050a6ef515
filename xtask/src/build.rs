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
    dashboard(&site)?;
    fs::write(site.join("_headers"), HEADERS).map_err(err)?;
    eprintln!(
        "built: edge/build (worker) and {} (static assets)",
        site.display()
    );
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn edge() -> Result {
    exec(
        Command::new(cargo_bin("worker-build"))
            .current_dir(root().join("edge"))
            .arg("--release")
            .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
            .env("WASM_OPT_BIN", node_bin("wasm-opt"))
            .env("ESBUILD_BIN", node_bin("esbuild")),
    )
}

/// Builds one Yew crate into hashed, minified modules in `dir`: release wasm (LTO through
/// `cargo rustc --crate-type cdylib`, which `cargo build` of a cdylib+rlib crate would skip) →
/// wasm-bindgen → wasm-opt -Oz, glue minified by esbuild. Returns (glue name, wasm name).
///
/// The standard library is rebuilt with panics that abort at once (no formatting machinery):
/// about 15% less wasm; `optimize_for_size` picks its smaller routines (0.1 KB brotli). These
/// are unstable flags, enabled on stable with RUSTC_BOOTSTRAP; a
/// separate target dir keeps them from invalidating the worker's build.
fn wasm_module(package: &str, artifact: &str, name: &str, dir: &Path) -> Result<(String, String)> {
    let root = root();
    exec(
        crate::cargo()
            .args([
                "rustc",
                "--release",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                package,
                "--crate-type",
                "cdylib",
            ])
            .args([
                "-Z",
                "build-std=std,panic_abort",
                // The standard library's smaller variants of its routines.
                "-Z",
                "build-std-features=optimize_for_size",
                "--target-dir",
                "target/wasm-release",
            ])
            .env("RUSTC_BOOTSTRAP", "1")
            // Without reference types wasm-bindgen hands JS values over as indices into a
            // table its glue keeps, instead of an `externref` shim around every export and
            // import that takes one: widget wasm 0.96 KB brotli smaller, glue 0.23 KB larger
            // (as served, after the short names below).
            .env(
                "RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types",
            ),
    )?;
    let out = root.join("target/bindgen").join(name);
    let _ = fs::remove_dir_all(&out);
    exec(
        Command::new(cargo_bin("wasm-bindgen"))
            .arg(root.join(format!(
                "target/wasm-release/wasm32-unknown-unknown/release/{artifact}.wasm"
            )))
            // No default module path (both callers pass the wasm's URL) and only
            // `TextEncoder.encodeInto` (every browser the widget runs in has it): less glue.
            .args([
                "--target",
                "web",
                "--omit-default-module-path",
                "--encode-into",
                "always",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(&out),
    )?;
    let optimized = out.join(format!("{name}_opt.wasm"));
    exec(
        Command::new(node_bin("wasm-opt"))
            .arg(out.join(format!("{name}_bg.wasm")))
            // --converge: repeat until nothing shrinks (about 0.3 KB brotli more).
            // --low-memory-unused: rustc's wasm keeps no data in the first 1 KB (its stack is
            // first and grows down from 1 MB towards it), so a constant added to a pointer can
            // go into the load's offset (0.2 KB brotli less).
            .args([
                "-Oz",
                "--low-memory-unused",
                "--converge",
                "--strip-debug",
                "--strip-producers",
                "--strip-target-features",
            ])
            .args(WASM_OPT_FEATURES)
            .arg("-o")
            .arg(&optimized),
    )?;
    let (wasm, named) = short_names(&optimized, &out.join(format!("{name}.js")))?;
    let glue = out.join(format!("{name}.min.js"));
    exec(
        Command::new(node_bin("esbuild"))
            .arg(&named)
            .args(["--minify", "--format=esm", "--log-level=warning"])
            .arg(format!("--outfile={}", glue.display())),
    )?;
    fs::create_dir_all(dir).map_err(err)?;
    let (wasm_bytes, glue_bytes) = (fs::read(&wasm).map_err(err)?, fs::read(&glue).map_err(err)?);
    // One hash for the pair (the glue only works with its own wasm): the loader then names
    // `{name}-{hash}` twice, which compresses to one copy.
    let hash = content_hash(&[wasm_bytes.as_slice(), glue_bytes.as_slice()].concat());
    let (wasm_name, glue_name) = (format!("{name}-{hash}.wasm"), format!("{name}-{hash}.js"));
    fs::write(dir.join(&wasm_name), &wasm_bytes).map_err(err)?;
    fs::write(dir.join(&glue_name), &glue_bytes).map_err(err)?;
    Ok((glue_name, wasm_name))
}

/// The wasm with its imports and exports renamed to a few characters, and the glue renamed to
/// match ([`crate::minify`]). A pass of its own: under `--converge` it would print a mapping per
/// round. Returns the new wasm and glue paths.
fn short_names(wasm: &Path, glue: &Path) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    let (min_wasm, min_glue) = (
        wasm.with_extension("min.wasm"),
        glue.with_extension("named.js"),
    );
    let printed = Command::new(node_bin("wasm-opt"))
        .arg(wasm)
        .arg("--minify-imports-and-exports-and-modules")
        .args(WASM_OPT_FEATURES)
        .arg("-o")
        .arg(&min_wasm)
        .output()
        .map_err(|e| format!("wasm-opt: {e}"))?;
    if !printed.status.success() {
        return Err(format!(
            "wasm-opt --minify-imports-and-exports-and-modules: {}",
            String::from_utf8_lossy(&printed.stderr)
        ));
    }
    let renames = crate::minify::parse_mapping(&String::from_utf8_lossy(&printed.stdout))?;
    let modules = crate::minify::import_modules(&fs::read(&min_wasm).map_err(err)?)?;
    let [module] = modules.as_slice() else {
        return Err(format!(
            "{}: imports from {modules:?}, expected one module",
            min_wasm.display()
        ));
    };
    let text = crate::minify::glue(&fs::read_to_string(glue).map_err(err)?, &renames, module)?;
    fs::write(&min_glue, text).map_err(err)?;
    Ok((min_wasm, min_glue))
}

/// The widget modules and the loader (`/widget.js`) that names them.
fn widget(site: &Path) -> Result {
    let (glue_name, wasm_name) =
        wasm_module("earshot-widget", "widget", "earshot", &site.join("widget"))?;
    let (i18n_dir, langs) = language_files(&site.join("widget"))?;
    let loader = fs::read_to_string(root().join("widget/loader.js"))
        .map_err(err)?
        .replace("__GLUE__", &glue_name)
        .replace("__WASM__", &wasm_name)
        .replace("__I18N__", &i18n_dir)
        .replace("__LANGS__", &langs.join(" "));
    let filled = root().join("target/bindgen/loader.js");
    fs::write(&filled, loader).map_err(err)?;
    exec(
        Command::new(node_bin("esbuild"))
            .arg(&filled)
            .args(["--minify", "--target=es2020", "--log-level=warning"])
            .arg(format!("--outfile={}", site.join("widget.js").display())),
    )
}

/// The widget's strings (`widget/i18n/*.json`), minified, in `widget/i18n-{hash}/` (one hash
/// for the set, so they can be cached for good). English is built into the wasm and not copied.
/// Returns the folder name and the languages it has, which the loader is told.
pub fn language_files(widget_dir: &Path) -> Result<(String, Vec<String>)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(root().join("widget/i18n")).map_err(err)? {
        let path = entry.map_err(err)?.path();
        let Some(lang) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if lang == "en" || path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(&fs::read(&path).map_err(err)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        files.push((lang, value.to_string()));
    }
    files.sort();
    let all: String = files.iter().map(|(l, text)| format!("{l}{text}")).collect();
    let name = format!("i18n-{}", content_hash(all.as_bytes()));
    let dir = widget_dir.join(&name);
    fs::create_dir_all(&dir).map_err(err)?;
    for (lang, text) in &files {
        fs::write(dir.join(format!("{lang}.json")), text).map_err(err)?;
    }
    Ok((name, files.into_iter().map(|(l, _)| l).collect()))
}

/// The owner dashboard (`dashboard/`): its modules, `boot.js` naming them, the page and its
/// stylesheet, into `target/site/dashboard/`.
fn dashboard(site: &Path) -> Result {
    let dir = site.join("dashboard");
    let (glue_name, wasm_name) = wasm_module("earshot-dashboard", "dashboard", "dashboard", &dir)?;
    let web = root().join("dashboard/web");
    let boot = fs::read_to_string(web.join("boot.js"))
        .map_err(err)?
        .replace("__GLUE__", &glue_name)
        .replace("__WASM__", &wasm_name);
    fs::write(dir.join("boot.js"), boot).map_err(err)?;
    for file in [
        "index.html",
        "dashboard.css",
        "preview.html",
        "preview.js",
        "preview.css",
    ] {
        fs::copy(web.join(file), dir.join(file)).map_err(err)?;
    }
    Ok(())
}

/// The demo pages, with their shared parts filled in from `demo/partials/`.
fn demo(site: &Path) -> Result {
    copy_pages(
        &root().join("demo"),
        &site.join("demo"),
        &root().join("demo/partials"),
    )?;
    // Browsers ask every origin for /favicon.ico; without one each page logs a 404.
    fs::copy(root().join("demo/favicon.ico"), site.join("favicon.ico")).map_err(err)?;
    Ok(())
}

fn copy_pages(from: &Path, to: &Path, partials: &Path) -> Result {
    fs::create_dir_all(to).map_err(err)?;
    for entry in fs::read_dir(from).map_err(err)? {
        let entry = entry.map_err(err)?;
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        if path == partials {
            continue;
        }
        if entry.file_type().map_err(err)?.is_dir() {
            copy_pages(&path, &target, partials)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            fs::write(
                &target,
                expand(&fs::read_to_string(&path).map_err(err)?, partials)?,
            )
            .map_err(err)?;
        } else {
            fs::copy(&path, &target).map_err(err)?;
        }
    }
    Ok(())
}

/// Replaces each line `<!--#include NAME key="value" … -->` with `partials/NAME.html`, its
/// `{{key}}` placeholders filled in.
fn expand(page: &str, partials: &Path) -> Result<String> {
    let mut out = String::with_capacity(page.len() * 2);
    for line in page.split_inclusive('\n') {
        let Some(directive) = line
            .trim()
            .strip_prefix("<!--#include ")
            .and_then(|l| l.strip_suffix("-->"))
        else {
            out.push_str(line);
            continue;
        };
        let (name, args) = directive
            .trim()
            .split_once(' ')
            .unwrap_or((directive.trim(), ""));
        let mut text = fs::read_to_string(partials.join(format!("{name}.html")))
            .map_err(|e| format!("partial {name}: {e}"))?;
        for arg in args.split("\" ").filter(|a| !a.trim().is_empty()) {
            let (key, value) = arg
                .trim()
                .split_once("=\"")
                .ok_or_else(|| format!("bad include argument `{arg}`"))?;
            text = text.replace(&format!("{{{{{key}}}}}"), value.trim_end_matches('"'));
        }
        out.push_str(&text);
    }
    Ok(out)
}

/// FNV-1a 64, enough to make a changed file get a new name.
fn content_hash(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    });
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
/dashboard/*
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:
/demo/lab/strict
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'
/demo/lab/strict.html
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'
";

#[cfg(test)]
mod tests {
    #[test]
    fn includes_are_filled_in_and_other_lines_kept() {
        let dir = std::env::temp_dir().join(format!("earshot-partials-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("top.html"), "<title>{{title}}</title>\n").unwrap();
        let page = "<!doctype html>\n<!--#include top title=\"Shop — Cart\" -->\n<main></main>\n";
        assert_eq!(
            super::expand(page, &dir).unwrap(),
            "<!doctype html>\n<title>Shop — Cart</title>\n<main></main>\n"
        );
        assert!(super::expand("<!--#include missing -->\n", &dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Every language says everything English says, in the same shape: a kind is [question,
    /// low anchor, high anchor], the point label keeps its placeholders.
    #[test]
    fn every_language_file_has_every_english_key() {
        use serde_json::Value;
        let dir = crate::root().join("widget/i18n");
        let read = |lang: &str| -> Value {
            serde_json::from_slice(&std::fs::read(dir.join(format!("{lang}.json"))).unwrap())
                .unwrap()
        };
        let en = read("en");
        let keys: Vec<&String> = en.as_object().unwrap().keys().collect();
        let out = std::env::temp_dir().join(format!("earshot-i18n-{}", std::process::id()));
        let (name, langs) = super::language_files(&out).unwrap();
        assert!(
            langs.len() >= 11 && !langs.contains(&"en".to_string()),
            "{langs:?}"
        );
        for lang in &langs {
            let file = read(lang);
            let obj = file.as_object().unwrap();
            assert_eq!(
                obj.keys().collect::<Vec<_>>(),
                keys,
                "{lang}: keys differ from en.json"
            );
            for (key, value) in obj {
                let texts: Vec<&str> = match value {
                    Value::Array(a) => a.iter().map(|v| v.as_str().unwrap()).collect(),
                    v => vec![v.as_str().unwrap()],
                };
                assert_eq!(
                    texts.len(),
                    if en[key].is_array() { 3 } else { 1 },
                    "{lang}.{key}"
                );
                assert!(
                    texts.iter().all(|t| !t.trim().is_empty()),
                    "{lang}.{key} is empty"
                );
            }
            assert!(
                obj["point"].as_str().unwrap().contains("{n}")
                    && obj["point"].as_str().unwrap().contains("{max}"),
                "{lang}.point"
            );
            // The served copy is the same data, minified.
            let served: Value = serde_json::from_slice(
                &std::fs::read(out.join(&name).join(format!("{lang}.json"))).unwrap(),
            )
            .unwrap();
            assert_eq!(served, file);
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
}
