//! Privacy: no IP address, no cookie and no token or token hash is ever returned, exported or
//! stored — whatever the client sends in forwarding headers and cookies.

use crate::util::*;
use harness::http::{request, Reply};
use harness::local::LocalWorker;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const IPS: [&str; 6] = [
    "127.0.0.1",
    "::1",
    "203.0.113.7",
    "198.51.100.23",
    "2001:db8::1",
    "192.0.2.44",
];
const COOKIE: &str = "s3cr3t-cookie-value";

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A site after traffic that carries addresses, cookies and tokens on every route: the
/// replies, the export, and the tokens that were in play.
struct Traffic {
    dir: PathBuf,
    worker: LocalWorker,
    replies: Vec<(String, Reply)>,
    export: Vec<Value>,
    /// The first owner token, the rotated one, the admin token.
    secrets: [String; 3],
}

fn traffic(name: &str) -> Traffic {
    let dir = harness::fresh_dir(name);
    let w = start_in(&dir, harness::free_port());
    let token = w.create_site("shop", &[ORIGIN]);
    let cookie = format!("session={COOKIE}; theme=dark");
    // What a client (or a proxy in front) might add: none of it may be kept or shown.
    let leaky: Vec<(&str, &str)> = vec![
        ("origin", ORIGIN),
        ("content-type", "text/plain"),
        ("cookie", &cookie),
        ("cf-connecting-ip", "203.0.113.7"),
        ("x-forwarded-for", "198.51.100.23, 2001:db8::1"),
        ("x-real-ip", "192.0.2.44"),
        ("true-client-ip", "203.0.113.7"),
        ("forwarded", "for=198.51.100.23;proto=https"),
        ("user-agent", "PrivacyProbe/1.0"),
    ];
    let mut replies: Vec<(String, Reply)> = Vec::new();
    let mut send =
        |what: &str, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>| {
            let r = request(method, &w.url(path), headers, body).expect("request");
            replies.push((what.to_string(), r.clone()));
            r
        };
    let kinds = [
        ("csat", 4),
        ("nps", 3),
        ("ces", 6),
        ("stars", 1),
        ("thumbs", 0),
    ];
    for (n, (kind, score)) in kinds.iter().enumerate() {
        let body = json!({"id": uuid(n as u32), "touchpoint": "checkout", "kind": kind, "score": score, "comment": "about my order",
            "page": "https://shop.example/cart?email=a@b.example#x", "locale": "en-GB", "attributes": {"plan": "pro"}});
        let r = send(
            "ingest",
            "POST",
            "/v1/sites/shop/responses",
            &leaky,
            Some(body.to_string().as_bytes()),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let again = send(
            "replay",
            "POST",
            "/v1/sites/shop/responses",
            &leaky,
            Some(body.to_string().as_bytes()),
        );
        assert_eq!(again.status, 200, "{}", again.body);
    }
    let auth = format!("Bearer {token}");
    let owner: Vec<(&str, &str)> = vec![
        ("authorization", &auth),
        ("cookie", &cookie),
        ("x-forwarded-for", "198.51.100.23"),
    ];
    send(
        "bad ingest",
        "POST",
        "/v1/sites/shop/responses",
        &leaky,
        Some(b"{"),
    );
    send(
        "foreign origin",
        "POST",
        "/v1/sites/shop/responses",
        &[("origin", "https://evil.example"), ("cookie", &cookie)],
        Some(b"{}"),
    );
    send("health", "GET", "/health", &[("cookie", &cookie)], None);
    send(
        "config",
        "GET",
        "/v1/sites/shop/config",
        &[("cookie", &cookie)],
        None,
    );
    send("summary", "GET", "/v1/sites/shop/summary", &owner, None);
    let ndjson = send("export", "GET", "/v1/sites/shop/responses", &owner, None);
    send(
        "csv",
        "GET",
        "/v1/sites/shop/responses?format=csv",
        &owner,
        None,
    );
    send(
        "unauthorized",
        "GET",
        "/v1/sites/shop/summary",
        &[("cookie", &cookie)],
        None,
    );
    send(
        "preflight",
        "OPTIONS",
        "/v1/sites/shop/responses",
        &[
            ("origin", ORIGIN),
            ("access-control-request-method", "POST"),
        ],
        None,
    );
    let mut patch_headers = owner.clone();
    patch_headers.push(("content-type", "application/json"));
    send(
        "patch",
        "PATCH",
        "/v1/sites/shop",
        &patch_headers,
        Some(br#"{"throttle_days": 5}"#),
    );
    send(
        "delete",
        "DELETE",
        &format!("/v1/sites/shop/responses/{}", uuid(4)),
        &owner,
        None,
    );
    send(
        "display",
        "POST",
        "/v1/sites/shop/displays",
        &leaky,
        Some(json!({"v": 1, "id": uuid(90), "touchpoint": "checkout", "kind": "csat", "event": "shown"}).to_string().as_bytes()),
    );
    send(
        "follow-ups",
        "POST",
        "/v1/sites/shop/follow-ups",
        &leaky,
        Some(json!({"ids": [uuid(1)]}).to_string().as_bytes()),
    );
    send(
        "cases",
        "GET",
        "/v1/sites/shop/cases?status=all",
        &owner,
        None,
    );
    send("settings", "GET", "/v1/sites/shop", &owner, None);
    send("loader", "GET", "/widget.js", &[("cookie", &cookie)], None);
    send("demo page", "GET", "/demo/", &[("cookie", &cookie)], None);
    let rotated = send("rotate", "POST", "/v1/sites/shop/token", &owner, Some(b""));
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_token = rotated.json()["owner_token"].as_str().unwrap().to_string();
    let admin = w.admin_token.clone();

    let export = ndjson
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Traffic {
        dir,
        worker: w,
        replies,
        export,
        secrets: [token, new_token, admin],
    }
}

#[test]
fn the_export_holds_only_the_documented_fields_and_no_address() {
    let t = traffic("privacy-export");
    let fields = [
        "id",
        "received_at",
        "touchpoint",
        "kind",
        "scale_version",
        "score",
        "negative",
        "comment",
        "page",
        "locale",
        "country",
        "attributes",
    ];
    assert_eq!(t.export.len(), 5);
    for r in &t.export {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), fields.len(), "{r}");
        assert!(
            keys.iter().all(|k| fields.contains(k)),
            "undocumented field in {r}"
        );
        assert_eq!(
            r["page"], "https://shop.example/cart",
            "query and fragment dropped"
        );
        assert!(
            r["country"].is_null() || r["country"].as_str().is_some_and(|c| c.len() == 2),
            "{r}"
        );
    }
}

#[test]
fn no_reply_carries_an_address_a_cookie_or_a_token() {
    let t = traffic("privacy-replies");
    let hashes: Vec<String> = t.secrets.iter().map(|s| sha256_hex(s)).collect();
    for (what, r) in &t.replies {
        assert!(r.header("set-cookie").is_none(), "{what} sets a cookie");
        let text = format!("{} {:?}", r.body, r.headers);
        for needle in IPS
            .iter()
            .copied()
            .chain([COOKIE])
            .chain(hashes.iter().map(String::as_str))
        {
            assert!(
                !text.contains(needle),
                "{what} returns {needle:?}: {text:.500}"
            );
        }
        for (i, s) in t.secrets.iter().enumerate() {
            assert!(
                !text.contains(s.as_str()) || (what == "rotate" && i == 1),
                "{what} returns a token"
            );
        }
    }
}

#[test]
fn nothing_of_it_is_stored_or_logged() {
    let t = traffic("privacy-stored");
    // The worker's whole local state, byte for byte.
    let dir = t.dir.clone();
    drop(t.worker);
    let stored = files(&dir.join("data"));
    assert!(
        stored.iter().any(|(_, b)| contains(b, "about my order")),
        "the scan sees the stored answers"
    );
    for (path, bytes) in &stored {
        for needle in IPS.iter().copied().chain([COOKIE, "PrivacyProbe"]) {
            assert!(!contains(bytes, needle), "{path} holds {needle:?}");
        }
    }
    let log = std::fs::read_to_string(dir.join("wrangler.log")).unwrap_or_default();
    for needle in IPS.iter().skip(2).copied().chain([COOKIE]) {
        assert!(!log.contains(needle), "the worker's log holds {needle:?}");
    }
}
