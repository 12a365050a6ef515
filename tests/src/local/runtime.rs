//! The local runtimes other than `wrangler dev`: workerd through Miniflare, configured like the
//! generated wrangler.toml (see `tests/workerd.mjs`).

use super::{local_vars, Bundle};
use crate::repo_root;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes the config of `tests/workerd.mjs` into `state`: the worker's entry module and assets,
/// the compatibility date and flags of `edge/wrangler.toml`, and the variables of a local run.
pub(super) fn write_workerd_config(
    state: &Path,
    port: u16,
    admin_token: &str,
    bundle: &Bundle,
) -> std::io::Result<PathBuf> {
    let production = fs::read_to_string(repo_root().join("edge/wrangler.toml"))?;
    let setting = |key: &str| {
        production.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
    };
    let date = setting("compatibility_date")
        .map(|v| v.trim_matches('"').to_string())
        .ok_or_else(|| std::io::Error::other("edge/wrangler.toml: no compatibility_date"))?;
    // A TOML array of strings is also a JSON one.
    let flags: serde_json::Value = setting("compatibility_flags")
        .map(|v| serde_json::from_str(&v))
        .transpose()
        .map_err(|e| std::io::Error::other(format!("compatibility_flags: {e}")))?
        .unwrap_or_else(|| serde_json::json!([]));
    // worker-build's `shim.mjs` only re-exports its parent folder's `index.js`.
    let main = bundle
        .main
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("index.js"))
        .ok_or_else(|| std::io::Error::other("no worker build folder"))?;
    let bindings: serde_json::Map<String, serde_json::Value> = local_vars(admin_token)
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let config = serde_json::json!({
        "main": main,
        "assets": bundle.assets,
        "port": port,
        "persist": state.join("data"),
        "compatibilityDate": date,
        "compatibilityFlags": flags,
        "bindings": bindings,
    });
    fs::create_dir_all(state)?;
    let path = state.join("workerd.json");
    fs::write(&path, config.to_string())?;
    Ok(path)
}

/// What serves the worker locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// `wrangler dev`, as developers and the e2e tests run it. Its DevTools inspector proxy
    /// cannot be turned off and forwards every subrequest's events to node.
    WranglerDev,
    /// workerd through Miniflare (`tests/workerd.mjs`), with the same bindings and state, but
    /// without wrangler's inspector, proxy worker and request log — nearer production's cost
    /// per request.
    Workerd,
}

impl Runtime {
    pub fn label(self) -> &'static str {
        match self {
            Runtime::WranglerDev => "wrangler dev (inspector on)",
            Runtime::Workerd => "workerd without inspector",
        }
    }
}
