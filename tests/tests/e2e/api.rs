//! HTTP API v1 against the real worker: sites, ingest, errors, CORS, summary and its access rules.

use crate::util::*;
use harness::http::{get, post, request};
use serde_json::{json, Value};

#[test]
fn api_v1_end_to_end() {
    let w = start("api");

    // Health.
    let r = get(&w.url("/health"), &[]);
    assert_eq!((r.status, r.json()), (200, json!({"ok": true})));

    // Sites: admin only.
    let create =
        json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop"}).to_string();
    let r = post(
        &w.url("/v1/sites"),
        &[("content-type", "application/json")],
        &create,
    );
    expect_error(&r, 401, "unauthorized", None);
    let r = post(
        &w.url("/v1/sites"),
        &[
            ("authorization", "Bearer nope"),
            ("content-type", "application/json"),
        ],
        &create,
    );
    expect_error(&r, 401, "unauthorized", None);
    let admin = format!("Bearer {}", w.admin_token);
    let bad_origin = json!({"name": "Shop", "allowed_origins": ["shop.example"]}).to_string();
    let r = post(
        &w.url("/v1/sites"),
        &[
            ("authorization", &admin),
            ("content-type", "application/json"),
        ],
        &bad_origin,
    );
    expect_error(&r, 400, "invalid_origin", Some("allowed_origins"));
    let token = w.create_site("shop", &[ORIGIN]);
    assert!(token.starts_with("eso_") && token.len() > 60);
    let r = post(
        &w.url("/v1/sites"),
        &[
            ("authorization", &admin),
            ("content-type", "application/json"),
        ],
        &create,
    );
    expect_error(&r, 409, "site_exists", None);
    let other_token = w.create_site("other", &["https://other.example"]);

    // Ingest: text/plain (beacon-friendly) and JSON, CORS for the allowed origin.
    let first = answer(&uuid(1), "csat", 5, Some("Fast and friendly"));
    let r = ingest(&w, "shop", Some(ORIGIN), "text/plain;charset=UTF-8", &first);
    assert_eq!(
        (r.status, r.json()),
        (201, json!({"id": uuid(1), "duplicate": false})),
        "{}",
        r.body
    );
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "application/json",
        &answer(&uuid(2), "csat", 2, None),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "application/json",
        &answer(&uuid(3), "nps", 9, None),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // Idempotent replay: acknowledged, not counted twice.
    let r = ingest(&w, "shop", Some(ORIGIN), "text/plain", &first);
    assert_eq!(
        (r.status, r.json()),
        (200, json!({"id": uuid(1), "duplicate": true}))
    );

    // Preflight for JSON bodies.
    let r = request(
        "OPTIONS",
        &w.url("/v1/sites/shop/responses"),
        &[
            ("origin", ORIGIN),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    assert!(r
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_lowercase()
        .contains("content-type"));

    let before = summary(&w, "shop", &token, "").body;

    // Bad input: the documented 4xx, and nothing changes.
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(4), "csat", 6, None),
    );
    expect_error(&r, 400, "score_out_of_range", Some("score"));
    let r = ingest(&w, "shop", Some(ORIGIN), "text/plain", "{\"id\":");
    expect_error(&r, 400, "malformed_json", None);
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(4), "csat", 3, None).replace("\"kind\"", "\"rating\":1,\"kind\""),
    );
    expect_error(&r, 400, "unknown_field", Some("rating"));
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer("not-a-uuid", "csat", 3, None),
    );
    expect_error(&r, 400, "invalid_id", Some("id"));
    let r = ingest(
        &w,
        "shop",
        Some("https://evil.example"),
        "text/plain",
        &answer(&uuid(5), "csat", 3, None),
    );
    expect_error(&r, 403, "origin_not_allowed", None);
    assert_ne!(
        r.header("access-control-allow-origin"),
        Some("https://evil.example")
    );
    let r = ingest(
        &w,
        "shop",
        None,
        "text/plain",
        &answer(&uuid(5), "csat", 3, None),
    );
    expect_error(&r, 403, "origin_not_allowed", None);
    let r = ingest(
        &w,
        "nosuchsite",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(5), "csat", 3, None),
    );
    expect_error(&r, 404, "site_not_found", None);
    let r = ingest(
        &w,
        "..%2F..%2Fetc",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(5), "csat", 3, None),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let huge = answer(&uuid(6), "csat", 3, Some(&"x".repeat(9 * 1024)));
    let r = ingest(&w, "shop", Some(ORIGIN), "text/plain", &huge);
    expect_error(&r, 413, "body_too_large", None);
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "application/x-www-form-urlencoded",
        &answer(&uuid(7), "csat", 3, None),
    );
    expect_error(&r, 415, "unsupported_media_type", None);
    let r = request("PUT", &w.url("/v1/sites/shop/responses"), &[], None).unwrap();
    expect_error(&r, 405, "method_not_allowed", None);
    let r = get(&w.url("/v1/nothing"), &[]);
    expect_error(&r, 404, "not_found", None);
    assert_eq!(
        summary(&w, "shop", &token, "").body,
        before,
        "rejected requests changed nothing"
    );

    // Summary: owner token only; another site's token reads nothing.
    let r = get(&w.url("/v1/sites/shop/summary"), &[]);
    expect_error(&r, 401, "unauthorized", None);
    expect_error(
        &summary(&w, "shop", "eso_wrong", ""),
        401,
        "unauthorized",
        None,
    );
    expect_error(
        &summary(&w, "shop", &other_token, ""),
        401,
        "unauthorized",
        None,
    );
    expect_error(
        &summary(&w, "shop", &w.admin_token, ""),
        401,
        "unauthorized",
        None,
    );
    expect_error(
        &summary(&w, "shop", &token, "?from=2026-02-30"),
        400,
        "invalid_query",
        Some("from"),
    );

    let s: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(s["site"], "shop");
    assert_eq!(s["responses"], 3, "each response counted exactly once: {s}");
    assert_eq!(s["negative"], 1);
    assert_eq!(s["csat"]["n"], 2);
    assert_eq!(s["csat"]["score"], 50.0);
    assert_eq!(
        s["csat"]["distribution"],
        json!({"1": 0, "2": 1, "3": 0, "4": 0, "5": 1})
    );
    assert_eq!(s["csat"]["low_sample"], true);
    assert_eq!(s["nps"]["promoters"], 1);
    assert_eq!(s["by_touchpoint"]["checkout"]["responses"], 3);
    assert_eq!(s["recent_comments"][0]["comment"], "Fast and friendly");
    assert_eq!(s["recent_comments"][0]["negative"], false);
    let daily_total: u64 = s["daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["responses"].as_u64().unwrap())
        .sum();
    assert_eq!(daily_total, 3);
    let only_nps = summary(&w, "shop", &token, "?kind=nps").json();
    assert_eq!(
        (
            only_nps["responses"].as_u64(),
            only_nps["csat"]["n"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // The other site saw none of it.
    let o = summary(&w, "other", &other_token, "").json();
    assert_eq!(o["responses"], 0);
}

#[test]
fn the_site_has_a_favicon_so_pages_log_no_404() {
    let w = start("favicon");
    let r = harness::http::get(&w.url("/favicon.ico"), &[]);
    assert_eq!(r.status, 200);
    let ct = r.header("content-type").unwrap_or_default().to_string();
    assert!(ct.starts_with("image/"), "{ct}");
}
