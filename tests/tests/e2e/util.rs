//! Helpers shared by the end-to-end tests.

use harness::http::{get, post, request, Reply};
use harness::local::{LocalWorker, Log};
use harness::{free_port, fresh_dir, random_token};
use serde_json::json;
use std::path::Path;

pub const ORIGIN: &str = "https://shop.example";

pub fn start(name: &str) -> LocalWorker {
    let dir = fresh_dir(name);
    start_in(&dir, free_port())
}

/// Starts (or restarts) a worker whose state lives in `dir`.
pub fn start_in(dir: &Path, port: u16) -> LocalWorker {
    let token_file = dir.join("admin-token");
    let token = std::fs::read_to_string(&token_file).unwrap_or_else(|_| {
        let t = random_token();
        std::fs::write(&token_file, &t).unwrap();
        t
    });
    LocalWorker::start(dir, port, &token, Log::File(dir.join("wrangler.log")))
        .expect("wrangler dev")
}

/// A deterministic UUID v4 for test answer `n`.
pub fn uuid(n: u32) -> String {
    format!("{n:08x}-0000-4000-8000-000000000000")
}

pub fn answer(id: &str, kind: &str, score: i64, comment: Option<&str>) -> String {
    let mut v = json!({"id": id, "touchpoint": "checkout", "kind": kind, "score": score});
    if let Some(c) = comment {
        v["comment"] = json!(c);
    }
    v.to_string()
}

pub fn ingest(
    w: &LocalWorker,
    site: &str,
    origin: Option<&str>,
    content_type: &str,
    body: &str,
) -> Reply {
    let mut headers = vec![("content-type", content_type)];
    if let Some(o) = origin {
        headers.push(("origin", o));
    }
    post(
        &w.url(&format!("/v1/sites/{site}/responses")),
        &headers,
        body,
    )
}

/// `POST /v1/sites` with the admin token.
pub fn admin_create(w: &LocalWorker, body: &serde_json::Value) -> Reply {
    let admin = format!("Bearer {}", w.admin_token);
    post(
        &w.url("/v1/sites"),
        &[
            ("authorization", &admin),
            ("content-type", "application/json"),
        ],
        &body.to_string(),
    )
}

/// Creates the site `shop` from [`ORIGIN`], with a webhook when given: its owner token and
/// webhook secret.
pub fn create_shop(w: &LocalWorker, hook: Option<&str>) -> (String, String) {
    let mut body = json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop"});
    if let Some(h) = hook {
        body["webhook_url"] = json!(h);
    }
    let r = admin_create(w, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    (s("owner_token"), s("webhook_secret"))
}

/// The ids of every exported answer of `site`, sorted.
pub fn exported_ids(w: &LocalWorker, site: &str, token: &str) -> Vec<String> {
    let r = owner_get(
        w,
        &format!("/v1/sites/{site}/responses?format=ndjson&limit=5000"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let mut ids: Vec<String> = r
        .body
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

/// Counts one csat prompt at `checkout` shown or dismissed, from [`ORIGIN`].
pub fn display(w: &LocalWorker, site: &str, id: &str, event: &str) -> Reply {
    let body = json!({"v": 1, "id": id, "touchpoint": "checkout", "kind": "csat", "event": event});
    post(
        &w.url(&format!("/v1/sites/{site}/displays")),
        &[("content-type", "text/plain"), ("origin", ORIGIN)],
        &body.to_string(),
    )
}

/// Ingests from [`ORIGIN`] as text/plain and insists on a 201.
pub fn ingest_ok(w: &LocalWorker, site: &str, body: &str) {
    let r = ingest(w, site, Some(ORIGIN), "text/plain", body);
    assert_eq!(r.status, 201, "{}", r.body);
}

pub fn owner_get(w: &LocalWorker, path: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    get(&w.url(path), &[("authorization", &auth)])
}

pub fn summary(w: &LocalWorker, site: &str, token: &str, query: &str) -> Reply {
    owner_get(w, &format!("/v1/sites/{site}/summary{query}"), token)
}

/// `POST /v1/sites/{site}/import` with an NDJSON body.
pub fn import(w: &LocalWorker, site: &str, token: &str, ndjson: &str) -> Reply {
    let auth = format!("Bearer {token}");
    request(
        "POST",
        &w.url(&format!("/v1/sites/{site}/import")),
        &[
            ("authorization", &auth),
            ("content-type", "application/x-ndjson"),
        ],
        Some(ndjson.as_bytes()),
    )
    .expect("POST import")
}

pub fn patch(w: &LocalWorker, site: &str, token: &str, body: serde_json::Value) -> Reply {
    let auth = format!("Bearer {token}");
    request(
        "PATCH",
        &w.url(&format!("/v1/sites/{site}")),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(body.to_string().as_bytes()),
    )
    .expect("PATCH")
}

#[track_caller]
pub fn expect_error(r: &Reply, status: u16, code: &str, field: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.body);
    let body = r.json();
    assert_eq!(body["error"]["code"], code, "{}", r.body);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        r.body
    );
    assert_eq!(body["error"]["field"].as_str(), field, "{}", r.body);
}

/// `POST /__test/tick` (admin; local runs only): the site's alarm work — digest, contact
/// deletion — run as at `now` (RFC 3339). Gives back the hook's answer.
pub fn tick(w: &LocalWorker, site: &str, now: &str) -> serde_json::Value {
    let auth = format!("Bearer {}", w.admin_token);
    let r = post(
        &w.url("/__test/tick"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        &json!({"site": site, "now": now}).to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}
