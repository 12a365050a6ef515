//! Widget bytes: what a browser downloads, raw and as `gzip -9` and `brotli -q 11` make it.

use crate::Result;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One file's sizes in bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bytes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::Add for Bytes {
    type Output = Bytes;
    fn add(self, o: Bytes) -> Bytes {
        Bytes {
            raw: self.raw + o.raw,
            gzip: self.gzip + o.gzip,
            brotli: self.brotli + o.brotli,
        }
    }
}

pub struct WidgetBytes {
    pub loader: (String, Bytes),
    pub glue: (String, Bytes),
    pub wasm: (String, Bytes),
    /// The largest language file (fetched with the module when the page is not in English).
    pub strings: (String, Bytes),
}

impl WidgetBytes {
    /// What a page downloads before its first `ask`: the loader.
    pub fn before_first_ask(&self) -> Bytes {
        self.loader.1
    }
    /// What it downloads to show the prompt: loader, glue, wasm and, in the worst case, the
    /// largest language file.
    pub fn to_show_prompt(&self) -> Bytes {
        self.loader.1 + self.glue.1 + self.wasm.1 + self.strings.1
    }
}

/// Measures `site/widget.js` and the one `site/widget/*.js` and `*.wasm`.
pub fn measure(site: &Path) -> Result<WidgetBytes> {
    let loader = site.join("widget.js");
    let glue = only(&site.join("widget"), "js")?;
    let wasm = only(&site.join("widget"), "wasm")?;
    let named = |p: &Path| -> Result<(String, Bytes)> {
        let name = p.strip_prefix(site).unwrap_or(p).display().to_string();
        Ok((name, sizes(p)?))
    };
    let strings_dir = only_dir(&site.join("widget"), "i18n-")?;
    let mut strings = Vec::new();
    for entry in
        std::fs::read_dir(&strings_dir).map_err(|e| format!("{}: {e}", strings_dir.display()))?
    {
        strings.push(named(&entry.map_err(|e| e.to_string())?.path())?);
    }
    Ok(WidgetBytes {
        loader: named(&loader)?,
        glue: named(&glue)?,
        wasm: named(&wasm)?,
        strings: strings
            .into_iter()
            .max_by_key(|(_, b)| b.brotli)
            .ok_or("no language files")?,
    })
}

/// Every file below `dir`, each compressed on its own, summed.
pub fn folder(dir: &Path) -> Result<Bytes> {
    let mut total = Bytes::default();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        total = total
            + if path.is_dir() {
                folder(&path)?
            } else {
                sizes(&path)?
            };
    }
    Ok(total)
}

/// What `wrangler deploy` would upload for the worker (its entry module and wasm), bundled
/// into `outdir` by a dry run of the production config.
pub fn worker(outdir: &Path) -> Result<Bytes> {
    let _ = std::fs::remove_dir_all(outdir);
    harness::local::deploy_dry_run(outdir)?;
    folder(outdir)
}

/// The single folder whose name starts with `prefix` in `dir`.
fn only_dir(dir: &Path, prefix: &str) -> Result<PathBuf> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one {prefix}* folder in {}",
            dir.display()
        )),
    }
}

/// The single file with extension `ext` in `dir` (the build leaves exactly one hashed name).
fn only(dir: &Path, ext: &str) -> Result<PathBuf> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no *.{ext} in {}", dir.display())),
        many => Err(format!(
            "{} *.{ext} files in {}, expected one",
            many.len(),
            dir.display()
        )),
    }
}

fn sizes(path: &Path) -> Result<Bytes> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Bytes {
        raw: data.len() as u64,
        gzip: compressed(&data, "gzip", &["-9", "-c", "-n"])?,
        brotli: compressed(&data, "brotli", &["-q", "11", "-c"])?,
    })
}

/// The length of what `tool` writes for `data` on stdin.
fn compressed(data: &[u8], tool: &str, args: &[&str]) -> Result<u64> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{tool}: {e} (`cargo xtask setup` installs it)"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{tool}: {e}"))?;
    writer
        .join()
        .map_err(|_| format!("{tool}: writer panicked"))?
        .map_err(|e| format!("{tool}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{tool} failed ({})", out.status));
    }
    Ok(out.stdout.len() as u64)
}
