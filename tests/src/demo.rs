//! The demo site, as `cargo xtask dev` and the tests set it up: site `demo`, open to the local
//! worker's own origins, with the account page's NPS page rule.

use crate::http;
use crate::local::LocalWorker;

/// The demo's page rule: the account page asks for NPS after a short delay.
pub fn prompts() -> serde_json::Value {
    serde_json::json!({"prompts": {"account": {"kind": "nps", "page_prefix": "/demo/account", "delay_ms": 2500}}})
}

/// Creates the `demo` site and configures it; returns the owner token.
pub fn create(worker: &LocalWorker) -> Result<String, String> {
    let body = serde_json::json!({"name": "Demo shop", "allowed_origins": worker.own_origins(), "site_id": "demo"});
    let admin = format!("Bearer {}", worker.admin_token);
    let r = http::request(
        "POST",
        &worker.url("/v1/sites"),
        &[
            ("authorization", &admin),
            ("content-type", "application/json"),
        ],
        Some(body.to_string().as_bytes()),
    )
    .map_err(|e| e.to_string())?;
    if r.status != 201 {
        return Err(format!(
            "creating the demo site failed ({}): {}",
            r.status, r.body
        ));
    }
    let token = r.json()["owner_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let auth = format!("Bearer {token}");
    let r = http::request(
        "PATCH",
        &worker.url("/v1/sites/demo"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(prompts().to_string().as_bytes()),
    )
    .map_err(|e| e.to_string())?;
    if r.status != 200 {
        return Err(format!(
            "configuring the demo site failed ({}): {}",
            r.status, r.body
        ));
    }
    Ok(token)
}
