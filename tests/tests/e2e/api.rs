//! HTTP API v1 against the real worker: sites, ingest, errors, CORS, summary and its access rules.
//! One test per scenario; the shared setup is in the helpers at the top.

use crate::util::*;
use harness::http::{get, post, request, Reply};
use harness::local::LocalWorker;
use serde_json::{json, Value};

/// A worker with the site `shop` (allowing [`ORIGIN`]) and the site `other`.
struct Api {
    w: LocalWorker,
    token: String,
    other_token: String,
}

fn two_sites(name: &str) -> Api {
    let w = start(name);
    let token = w.create_site("shop", &[ORIGIN]);
    let other_token = w.create_site("other", &["https://other.example"]);
    Api {
        w,
        token,
        other_token,
    }
}

/// The first answer of the fixture: a 5-point csat with a comment.
fn first() -> String {
    answer(&uuid(1), "csat", 5, Some("Fast and friendly"))
}

/// Sends the fixture's answers to `shop` from [`ORIGIN`]: the first as text/plain, a csat 2
/// and an nps 9 as JSON, then the first again. Returns the four replies.
fn send_answers(a: &Api) -> [Reply; 4] {
    let json_answer = |n: u32, kind: &str, score: i64| {
        let body = answer(&uuid(n), kind, score, None);
        ingest(&a.w, "shop", Some(ORIGIN), "application/json", &body)
    };
    [
        ingest(
            &a.w,
            "shop",
            Some(ORIGIN),
            "text/plain;charset=UTF-8",
            &first(),
        ),
        json_answer(2, "csat", 2),
        json_answer(3, "nps", 9),
        ingest(&a.w, "shop", Some(ORIGIN), "text/plain", &first()),
    ]
}

/// [`two_sites`] with the fixture's answers sent, each acknowledged.
fn seeded(name: &str) -> Api {
    let a = two_sites(name);
    let statuses = send_answers(&a).map(|r| r.status);
    assert_eq!(statuses, [201, 201, 201, 200]);
    a
}

/// Runs `refuse` against a seeded worker and checks the summary is the same afterwards.
fn refused_without_change(name: &str, refuse: impl FnOnce(&Api)) {
    let a = seeded(name);
    let before = summary(&a.w, "shop", &a.token, "").body;
    refuse(&a);
    assert_eq!(
        summary(&a.w, "shop", &a.token, "").body,
        before,
        "rejected requests changed nothing"
    );
}

/// A fixture answer with id `n` and score 3, not yet sent.
fn plain(n: u32) -> String {
    answer(&uuid(n), "csat", 3, None)
}

/// `POST /v1/sites` with `authorization` if given.
fn post_site(w: &LocalWorker, authorization: Option<&str>, body: &str) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = authorization {
        headers.push(("authorization", auth));
    }
    post(&w.url("/v1/sites"), &headers, body)
}

fn shop_site() -> String {
    json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop"}).to_string()
}

#[test]
fn health_answers_ok() {
    let w = start("api-health");
    let r = get(&w.url("/health"), &[]);
    assert_eq!((r.status, r.json()), (200, json!({"ok": true})));
}

#[test]
fn creating_a_site_without_the_admin_token_is_unauthorized() {
    let w = start("api-site-unauth");
    expect_error(
        &post_site(&w, None, &shop_site()),
        401,
        "unauthorized",
        None,
    );
    let r = post_site(&w, Some("Bearer nope"), &shop_site());
    expect_error(&r, 401, "unauthorized", None);
}

#[test]
fn a_site_whose_origin_is_not_a_url_is_invalid_origin() {
    let w = start("api-site-origin");
    let admin = format!("Bearer {}", w.admin_token);
    let bad_origin = json!({"name": "Shop", "allowed_origins": ["shop.example"]}).to_string();
    let r = post_site(&w, Some(&admin), &bad_origin);
    expect_error(&r, 400, "invalid_origin", Some("allowed_origins"));
}

#[test]
fn a_created_site_gets_an_owner_token_and_cannot_be_created_twice() {
    let w = start("api-site-twice");
    let token = w.create_site("shop", &[ORIGIN]);
    assert!(token.starts_with("eso_") && token.len() > 60);
    let admin = format!("Bearer {}", w.admin_token);
    let r = post_site(&w, Some(&admin), &shop_site());
    expect_error(&r, 409, "site_exists", None);
}

#[test]
fn an_answer_is_accepted_as_text_or_json_with_cors_for_the_allowed_origin() {
    let a = two_sites("api-ingest");
    let [text, csat, nps, _] = send_answers(&a);
    assert_eq!(
        (text.status, text.json()),
        (201, json!({"id": uuid(1), "duplicate": false})),
        "{}",
        text.body
    );
    assert_eq!(text.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(csat.status, 201, "{}", csat.body);
    assert_eq!(nps.status, 201, "{}", nps.body);
}

#[test]
fn an_answer_replayed_is_a_duplicate_and_counted_once() {
    let a = two_sites("api-replay");
    let [.., replay] = send_answers(&a);
    assert_eq!(
        (replay.status, replay.json()),
        (200, json!({"id": uuid(1), "duplicate": true}))
    );
    let r = summary(&a.w, "shop", &a.token, "");
    let s = r.json();
    assert_eq!(s["responses"], 3, "each response counted exactly once: {s}");
    // An owner's answer is readable from any page (it needs the token; no cookies are used).
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("vary"), Some("Origin"));
}

#[test]
fn a_preflight_allows_json_bodies_from_the_allowed_origin() {
    let a = two_sites("api-preflight");
    let r = request(
        "OPTIONS",
        &a.w.url("/v1/sites/shop/responses"),
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
}

#[test]
fn an_invalid_answer_gets_its_documented_400_and_changes_nothing() {
    refused_without_change("api-invalid", |a| {
        let shop = |body: &str| ingest(&a.w, "shop", Some(ORIGIN), "text/plain", body);
        let r = shop(&answer(&uuid(4), "csat", 6, None));
        expect_error(&r, 400, "score_out_of_range", Some("score"));
        // The object's refusal reaches the page, readable by the allowed origin.
        assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
        expect_error(&shop("{\"id\":"), 400, "malformed_json", None);
        let r = shop(&plain(4).replace("\"kind\"", "\"rating\":1,\"kind\""));
        expect_error(&r, 400, "unknown_field", Some("rating"));
        let r = shop(&answer("not-a-uuid", "csat", 3, None));
        expect_error(&r, 400, "invalid_id", Some("id"));
    });
}

#[test]
fn an_answer_from_a_foreign_or_missing_origin_is_forbidden_and_changes_nothing() {
    refused_without_change("api-origin", |a| {
        let evil = "https://evil.example";
        let r = ingest(&a.w, "shop", Some(evil), "text/plain", &plain(5));
        expect_error(&r, 403, "origin_not_allowed", None);
        assert_ne!(r.header("access-control-allow-origin"), Some(evil));
        let r = ingest(&a.w, "shop", None, "text/plain", &plain(5));
        expect_error(&r, 403, "origin_not_allowed", None);
    });
}

#[test]
fn an_answer_to_an_unknown_site_is_not_found_and_changes_nothing() {
    refused_without_change("api-nosite", |a| {
        let r = ingest(&a.w, "nosuchsite", Some(ORIGIN), "text/plain", &plain(5));
        expect_error(&r, 404, "site_not_found", None);
        // An object's refusal passed on by the front door (its headers copied, then CORS).
        assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        let r = ingest(&a.w, "..%2F..%2Fetc", Some(ORIGIN), "text/plain", &plain(5));
        assert_eq!(r.status, 404, "{}", r.body);
    });
}

#[test]
fn an_oversized_or_form_encoded_answer_is_refused_and_changes_nothing() {
    refused_without_change("api-size-type", |a| {
        let huge = answer(&uuid(6), "csat", 3, Some(&"x".repeat(9 * 1024)));
        let r = ingest(&a.w, "shop", Some(ORIGIN), "text/plain", &huge);
        expect_error(&r, 413, "body_too_large", None);
        let form = "application/x-www-form-urlencoded";
        let r = ingest(&a.w, "shop", Some(ORIGIN), form, &plain(7));
        expect_error(&r, 415, "unsupported_media_type", None);
    });
}

#[test]
fn a_wrong_method_or_route_gets_its_documented_error_and_changes_nothing() {
    refused_without_change("api-route", |a| {
        let r = request("PUT", &a.w.url("/v1/sites/shop/responses"), &[], None).unwrap();
        expect_error(&r, 405, "method_not_allowed", None);
        let r = get(&a.w.url("/v1/nothing"), &[]);
        expect_error(&r, 404, "not_found", None);
    });
}

#[test]
fn the_summary_needs_that_sites_owner_token() {
    let a = two_sites("api-summary-auth");
    let r = get(&a.w.url("/v1/sites/shop/summary"), &[]);
    expect_error(&r, 401, "unauthorized", None);
    for wrong in [
        "eso_wrong",
        a.other_token.as_str(),
        a.w.admin_token.as_str(),
    ] {
        let r = summary(&a.w, "shop", wrong, "");
        expect_error(&r, 401, "unauthorized", None);
    }
}

#[test]
fn a_summary_from_an_impossible_date_is_invalid_query() {
    let a = two_sites("api-summary-date");
    let r = summary(&a.w, "shop", &a.token, "?from=2026-02-30");
    expect_error(&r, 400, "invalid_query", Some("from"));
}

#[test]
fn the_summary_counts_each_answer_once_by_kind_touchpoint_and_day() {
    let a = seeded("api-summary");
    let s: Value = summary(&a.w, "shop", &a.token, "").json();
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
    let only_nps = summary(&a.w, "shop", &a.token, "?kind=nps").json();
    assert_eq!(
        (
            only_nps["responses"].as_u64(),
            only_nps["csat"]["n"].as_u64()
        ),
        (Some(1), Some(0))
    );
}

#[test]
fn another_site_sees_none_of_the_answers() {
    let a = seeded("api-other");
    let o = summary(&a.w, "other", &a.other_token, "").json();
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
