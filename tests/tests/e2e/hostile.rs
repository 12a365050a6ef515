//! Bad input changes nothing: every request of the hostile corpus ([`crate::corpus`]) gets its
//! documented 4xx JSON error — never a 5xx — and the sites' summaries, exports and configs are
//! byte-identical before and after. Requests a well-behaved client refuses to send go over a raw
//! socket ([`crate::raw`]).

use crate::corpus::{corpus, status_of, Case, OWNER_QUERIES, SITE_PATH};
use crate::raw;
use crate::util::*;
use harness::http::{request, Reply};
use harness::local::LocalWorker;
use serde_json::{json, Value};

/// Everything an owner can read about a site, as the exact bytes served.
fn snapshot(w: &LocalWorker, sites: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (site, token, range) in sites {
        for path in [
            format!("/v1/sites/{site}/summary{range}"),
            format!("/v1/sites/{site}/responses"),
            format!("/v1/sites/{site}/responses?format=csv"),
            format!("/v1/sites/{site}/config"),
        ] {
            let r = owner_get(w, &path, token);
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            out.push((path, r.body));
        }
    }
    out
}

/// Checks that `r` is the documented error: status, JSON body `{"error": {"code", "message",
/// "field"?}}` and nothing else, no cookie.
pub fn documented_error(
    r: &Reply,
    status: u16,
    code: &str,
    field: Option<&str>,
) -> Result<(), String> {
    if r.status != status {
        return Err(format!(
            "status {} (want {status}): {:.300}",
            r.status, r.body
        ));
    }
    if !r
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/json")
    {
        return Err(format!("content-type {:?}", r.header("content-type")));
    }
    if r.header("set-cookie").is_some() {
        return Err("sets a cookie".into());
    }
    let body: Value = serde_json::from_str(&r.body)
        .map_err(|e| format!("body is not JSON ({e}): {:.300}", r.body))?;
    let top: Vec<&String> = body
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    let error = body["error"]
        .as_object()
        .ok_or_else(|| format!("no error object: {body}"))?;
    if top.len() != 1
        || error
            .keys()
            .any(|k| !["code", "message", "field"].contains(&k.as_str()))
    {
        return Err(format!("unexpected keys: {body}"));
    }
    if body["error"]["code"] != code {
        return Err(format!(
            "code {} (want {code}): {body}",
            body["error"]["code"]
        ));
    }
    if body["error"]["message"].as_str().is_none_or(str::is_empty) {
        return Err(format!("no message: {body}"));
    }
    if body["error"]["field"].as_str() != field {
        return Err(format!(
            "field {} (want {field:?}): {body}",
            body["error"]["field"]
        ));
    }
    Ok(())
}

fn run(w: &LocalWorker, case: &Case) -> Result<(), String> {
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = request(case.method, &w.url(&case.path), &headers, Some(&case.body))
        .map_err(|e| format!("transport: {e}"))?;
    if r.status >= 500 {
        return Err(format!(
            "a server error for bad input: {} {:.300}",
            r.status, r.body
        ));
    }
    documented_error(&r, case.status, case.code, case.field.as_deref())
}

/// What must happen to a request sent over a raw socket.
enum Want {
    /// It reaches the worker and gets this documented error.
    Worker(u16, &'static str),
    /// Every response on the connection is a 4xx (the worker's documented error, or the
    /// runtime's HTTP parser refusing it), or the connection is closed.
    Refused,
    /// The runtime's HTTP layer fails on it before the worker runs: workerd (local) answers a
    /// plain-text 500 to conflicting `Content-Length`s (Cloudflare's edge answers 400). The
    /// worker is never reached, so nothing can be stored.
    RuntimeRefuses,
}

struct RawCase {
    name: &'static str,
    bytes: Vec<u8>,
    want: Want,
}

fn raw_cases(port: u16, valid: &str) -> Vec<RawCase> {
    let head = |extra: &str, len: usize| {
        format!("POST {SITE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\n{extra}Content-Length: {len}\r\nConnection: close\r\n\r\n")
    };
    let with =
        |extra: &str, body: &str| [head(extra, body.len()).as_bytes(), body.as_bytes()].concat();
    // A valid answer hidden behind the framing of another request. workerd frames by
    // Transfer-Encoding (RFC 9112 §6.3) but keeps the connection open, so these bytes are read
    // as the client's next request and judged on their own: from a foreign origin, refused.
    let smuggled = format!("POST {SITE_PATH} HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{valid}", valid.len());
    let chunked_big = {
        let mut b = format!("POST {SITE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nOrigin: {ORIGIN}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").into_bytes();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..10 {
            b.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            b.extend_from_slice(&chunk);
            b.extend_from_slice(b"\r\n");
        }
        b.extend_from_slice(b"0\r\n\r\n");
        b
    };
    let latin1: Vec<u8> = [
        head("Origin: https://sh@p.example\r\n", valid.len()).as_bytes(),
        valid.as_bytes(),
    ]
    .concat()
    .into_iter()
    .map(|b| if b == b'@' { 0xf6 } else { b })
    .collect();
    vec![
        // Extra request headers are only headers: not echoed, not trusted.
        RawCase { name: "injected request headers", bytes: with(&format!("Origin: {ORIGIN}\r\nSet-Cookie: a=1\r\nX-Earshot-Admin: 1\r\nX-Earshot-Token-Hash: 0\r\n"), "{"), want: Want::Worker(400, "malformed_json") },
        RawCase { name: "non-ASCII origin", bytes: latin1, want: Want::Worker(403, "origin_not_allowed") },
        RawCase { name: "10 MiB chunked body without a length", bytes: chunked_big, want: Want::Worker(413, "body_too_large") },
        RawCase { name: "bare LF header injection", bytes: with(&format!("Origin: https://evil.example\nOrigin: {ORIGIN}\r\n"), valid), want: Want::Refused },
        RawCase { name: "NUL in a header", bytes: with(&format!("Origin: {ORIGIN}\0evil\r\n"), valid), want: Want::Refused },
        RawCase { name: "obs-fold continuation", bytes: with(&format!("Origin: https://evil.example\r\n {ORIGIN}\r\n"), valid), want: Want::Refused },
        RawCase { name: "64 KiB header", bytes: with(&format!("Origin: https://evil.example\r\nX-Big: {}\r\n", "a".repeat(65536)), valid), want: Want::Refused },
        RawCase {
            name: "request smuggling: Content-Length and Transfer-Encoding",
            bytes: format!(
                "POST {SITE_PATH} HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}"
            )
            .into_bytes(),
            want: Want::Refused,
        },
        RawCase {
            name: "two Content-Lengths",
            bytes: format!("POST {SITE_PATH} HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nContent-Length: {}\r\n\r\n{valid}", valid.len()).into_bytes(),
            want: Want::RuntimeRefuses,
        },
    ]
}

fn owner_query_failures(w: &LocalWorker, token: &str) -> Vec<String> {
    let auth = format!("Bearer {token}");
    OWNER_QUERIES
        .iter()
        .filter_map(|(method, path, code, field)| {
            let r = request(
                method,
                &w.url(&format!("/v1/sites/shop{path}")),
                &[("authorization", &auth)],
                None,
            )
            .expect("request");
            documented_error(&r, status_of(code), code, *field)
                .err()
                .map(|why| format!("{method} {path}: {why}"))
        })
        .collect()
}

/// What the HTTP client refuses to send, over a raw socket.
fn raw_failures(w: &LocalWorker) -> Vec<String> {
    let valid = json!({"id": uuid(90_000), "touchpoint": "checkout", "kind": "csat", "score": 5})
        .to_string();
    assert!(
        request(
            "POST",
            &w.url(SITE_PATH),
            &[("origin", "https://shop.example\r\nSet-Cookie: a=1")],
            Some(b"{}")
        )
        .is_err(),
        "the client refuses CRLF in a header"
    );
    let mut failures = Vec::new();
    for case in raw_cases(w.port, &valid) {
        let r = raw::send(w.port, &case.bytes);
        let statuses = r.statuses();
        if r.header("set-cookie").is_some() || r.header("x-earshot-admin").is_some() {
            failures.push(format!(
                "{}: an injected header was echoed: {}",
                case.name, r.head
            ));
        }
        let from_worker = r
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"));
        let ok = match case.want {
            Want::Worker(status, code) => {
                let reply = Reply {
                    status: r.status.unwrap_or(0),
                    body: String::from_utf8_lossy(r.body()).into_owned(),
                    headers: vec![(
                        "content-type".into(),
                        r.header("content-type").unwrap_or_default().into(),
                    )],
                };
                documented_error(&reply, status, code, None).is_ok() && statuses.len() == 1
            }
            Want::Refused => statuses.iter().all(|s| (400..500).contains(s)),
            Want::RuntimeRefuses => {
                statuses.len() <= 1
                    && !from_worker
                    && statuses.iter().all(|s| *s == 500 || (400..500).contains(s))
            }
        };
        if !ok {
            failures.push(format!(
                "{}: {statuses:?}\n{}{}",
                case.name,
                r.head,
                String::from_utf8_lossy(&r.rest)
            ));
        }
    }
    failures
}

#[test]
fn hostile_input_gets_documented_errors_and_changes_nothing() {
    let w = start("hostile");
    let shop = w.create_site("shop", &[ORIGIN]);
    let other = w.create_site("other", &["https://other.example"]);
    for (site, token) in [("shop", &shop), ("other", &other)] {
        assert_eq!(
            patch(&w, site, token, json!({"rate_limit_per_minute": 10000})).status,
            200
        );
    }
    let kinds = [
        ("csat", 1, 5),
        ("nps", 0, 10),
        ("ces", 1, 7),
        ("stars", 1, 5),
        ("thumbs", 0, 1),
    ];
    let mut seeded = Vec::new();
    for n in 0..15u32 {
        let (kind, lo, hi) = kinds[n as usize % 5];
        let touchpoint = ["checkout", "support"][n as usize % 2];
        let body = json!({"id": uuid(n), "touchpoint": touchpoint, "kind": kind,
            "score": lo + n as i64 % (hi - lo + 1), "comment": (n % 3 == 0).then(|| format!("seed {n} <b>ok</b>"))});
        let (site, origin) = if n < 12 {
            ("shop", ORIGIN)
        } else {
            ("other", "https://other.example")
        };
        let r = ingest(&w, site, Some(origin), "text/plain", &body.to_string());
        assert_eq!(r.status, 201, "{}", r.body);
        seeded.push((site, origin, body));
    }
    // Fixed ranges, so a day passing during the run cannot change the bytes.
    let range = |token: &str, site: &str| {
        let s = summary(&w, site, token, "").json();
        format!(
            "?from={}&to={}",
            s["from"].as_str().unwrap(),
            s["to"].as_str().unwrap()
        )
    };
    let (shop_range, other_range) = (range(&shop, "shop"), range(&other, "other"));
    let sites = [
        ("shop", shop.as_str(), shop_range.as_str()),
        ("other", other.as_str(), other_range.as_str()),
    ];
    let before = snapshot(&w, &sites);
    assert_eq!(summary(&w, "shop", &shop, "").json()["responses"], 12);

    let cases = corpus();
    assert!(cases.len() >= 200, "only {} cases", cases.len());
    eprintln!("hostile corpus: {} requests", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run(&w, c).err().map(|why| format!("{}: {why}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} hostile requests were not refused as documented:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    let failures = owner_query_failures(&w, &shop);
    assert!(
        failures.is_empty(),
        "owner requests not refused as documented:\n{}",
        failures.join("\n")
    );
    let failures = raw_failures(&w);
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A replay of a stored id with other content is acknowledged as a duplicate and ignored.
    for (site, origin, body) in &seeded {
        let mut changed = body.clone();
        changed["score"] = json!(1);
        changed["comment"] = json!("rewritten");
        let r = ingest(
            &w,
            site,
            Some(origin),
            "application/json",
            &changed.to_string(),
        );
        assert_eq!(
            (r.status, r.json()["duplicate"].as_bool()),
            (200, Some(true)),
            "{}",
            r.body
        );
    }

    let after = snapshot(&w, &sites);
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{path} changed");
    }
}

#[test]
fn hostile_but_valid_text_is_stored_verbatim_and_served_as_data() {
    let w = start("verbatim");
    let token = w.create_site("shop", &[ORIGIN]);
    let payloads = [
        "<script>alert(document.cookie)</script>",
        "\"><img src=x onerror=alert(1)>",
        "'; DROP TABLE responses; --",
        "{{7*7}} ${7*7} <%= 7*7 %>",
        "\u{202e}txt.exe",
        "../../etc/passwd",
        "=cmd|' /C calc'!A0",
        "line one\nline two\ttabbed",
    ];
    for (n, text) in payloads.iter().enumerate() {
        let body = json!({"id": uuid(n as u32), "touchpoint": "checkout", "kind": "csat", "score": 3, "comment": text,
            "page": "https://shop.example/p/%3Cscript%3E", "attributes": {"note": text.replace(['\n', '\t'], " ")}});
        ingest_ok(&w, "shop", &body.to_string());
    }
    let s = summary(&w, "shop", &token, "");
    assert!(s
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/json"));
    let comments: Vec<String> = s.json()["recent_comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["comment"].as_str().unwrap().to_string())
        .collect();
    for text in payloads {
        assert!(
            comments.iter().any(|c| c == text),
            "{text:?} not returned verbatim: {comments:?}"
        );
    }
    let export = owner_get(&w, "/v1/sites/shop/responses", &token);
    assert!(export
        .header("content-type")
        .unwrap_or_default()
        .starts_with("application/x-ndjson"));
    let stored: Vec<Value> = export
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(stored.len(), payloads.len());
    for text in payloads {
        assert!(
            stored.iter().any(|r| r["comment"] == *text),
            "{text:?} not exported verbatim"
        );
    }
}
