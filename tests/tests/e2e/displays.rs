//! Hear the silence: displays (prompts shown and dismissed), the response and dismiss rates in
//! the summary, and the significance-tested comparison with the previous period.

use crate::hostile::documented_error;
use crate::util::*;
use harness::http::{post, request, Reply};
use harness::local::LocalWorker;
use serde_json::{json, Value};

/// A request and its documented refusal: (body, origin, content type, status, code, field).
type Refusal<'a> = (String, &'a str, &'a str, u16, &'a str, Option<&'a str>);

#[track_caller]
fn counted(r: &Reply, status: u16, id: &str, event: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"id": id, "event": event, "duplicate": status == 200})
    );
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
}

fn answer_to(id: &str, display_id: &str, score: i64) -> String {
    json!({"id": id, "display_id": display_id, "touchpoint": "checkout", "kind": "csat", "score": score})
        .to_string()
}

fn reach(w: &LocalWorker, token: &str) -> Value {
    summary(w, "shop", token, "").json()["reach"].clone()
}

#[test]
fn shown_answered_dismissed_and_ignored_give_the_reach() {
    let w = start("displays-reach");
    let token = w.create_site("shop", &[ORIGIN]);
    // A: shown, then closed unanswered. B: shown and answered. C: shown and ignored.
    let (a, b, c) = (uuid(0xa), uuid(0xb), uuid(0xc));
    counted(&display(&w, "shop", &a, "shown"), 201, &a, "shown");
    counted(&display(&w, "shop", &a, "dismissed"), 201, &a, "dismissed");
    counted(&display(&w, "shop", &b, "shown"), 201, &b, "shown");
    ingest_ok(&w, "shop", &answer_to(&uuid(1), &b, 5));
    counted(&display(&w, "shop", &c, "shown"), 201, &c, "shown");
    // Replays change nothing.
    counted(&display(&w, "shop", &a, "shown"), 200, &a, "shown");
    counted(&display(&w, "shop", &a, "dismissed"), 200, &a, "dismissed");
    let replay = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_to(&uuid(1), &b, 5),
    );
    assert_eq!(replay.status, 200, "{}", replay.body);

    let s = summary(&w, "shop", &token, "").json();
    let r = &s["reach"];
    assert_eq!(
        (&r["shown"], &r["answered"], &r["dismissed"]),
        (&json!(3), &json!(1), &json!(1))
    );
    assert_eq!(
        (&r["response_rate"], &r["dismiss_rate"]),
        (&json!(33.3), &json!(33.3))
    );
    let ci = r["response_rate_ci95"].as_array().expect("interval");
    assert!(
        ci[0].as_f64().unwrap() < 33.3 && ci[1].as_f64().unwrap() > 33.3,
        "{ci:?}"
    );
    assert_eq!(s["by_touchpoint"]["checkout"]["reach"], *r);
    let today = s["daily"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&today["shown"], &today["dismissed"], &today["answered"]),
        (&json!(3), &json!(1), &json!(1))
    );
    // The answer keeps its display id in the export.
    let export = owner_get(&w, "/v1/sites/shop/responses", &token).body;
    assert!(
        export.contains(&format!("\"display_id\":\"{b}\"")),
        "{export}"
    );

    // Erasing the answer takes it out of `answered`: the rollup equals a recount.
    let auth = format!("Bearer {token}");
    let erased = request(
        "DELETE",
        &w.url(&format!("/v1/sites/shop/responses/{}", uuid(1))),
        &[("authorization", &auth)],
        None,
    )
    .unwrap();
    assert_eq!(erased.status, 200, "{}", erased.body);
    let r = reach(&w, &token);
    assert_eq!(
        (&r["shown"], &r["answered"], &r["response_rate"]),
        (&json!(3), &json!(0), &json!(0.0))
    );
}

#[test]
fn a_site_without_displays_has_null_rates() {
    let w = start("displays-none");
    let token = w.create_site("shop", &[ORIGIN]);
    ingest_ok(&w, "shop", &answer(&uuid(1), "csat", 4, None));
    let r = reach(&w, &token);
    assert_eq!(
        r,
        json!({"shown": 0, "answered": 0, "dismissed": 0, "response_rate": null,
               "response_rate_ci95": null, "dismiss_rate": null, "dismiss_rate_ci95": null})
    );
}

#[test]
fn hostile_displays_get_their_documented_error_and_change_nothing() {
    let w = start("displays-hostile");
    let token = w.create_site("shop", &[ORIGIN]);
    counted(
        &display(&w, "shop", &uuid(9), "shown"),
        201,
        &uuid(9),
        "shown",
    );
    let before = summary(&w, "shop", &token, "").body;
    let ok =
        json!({"v": 1, "id": uuid(1), "touchpoint": "checkout", "kind": "csat", "event": "shown"});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b.to_string()
    };
    let without = |k: &str| {
        let mut b = ok.clone();
        b.as_object_mut().unwrap().remove(k);
        b.to_string()
    };
    let cases: Vec<Refusal> = vec![
        (
            with("event", json!("clicked")),
            ORIGIN,
            "text/plain",
            400,
            "invalid_event",
            Some("event"),
        ),
        (
            with("event", json!(1)),
            ORIGIN,
            "text/plain",
            400,
            "invalid_type",
            Some("event"),
        ),
        (
            without("event"),
            ORIGIN,
            "text/plain",
            400,
            "missing_field",
            Some("event"),
        ),
        (
            with("v", json!(2)),
            ORIGIN,
            "text/plain",
            400,
            "invalid_version",
            Some("v"),
        ),
        (
            with("id", json!("not-a-uuid")),
            ORIGIN,
            "text/plain",
            400,
            "invalid_id",
            Some("id"),
        ),
        (
            with("kind", json!("ratings")),
            ORIGIN,
            "text/plain",
            400,
            "invalid_kind",
            Some("kind"),
        ),
        (
            with("touchpoint", json!("Check Out")),
            ORIGIN,
            "text/plain",
            400,
            "invalid_touchpoint",
            Some("touchpoint"),
        ),
        (
            with("visitor", json!("x")),
            ORIGIN,
            "text/plain",
            400,
            "unknown_field",
            Some("visitor"),
        ),
        (
            with("page", json!("https://shop.example/a")),
            ORIGIN,
            "text/plain",
            400,
            "unknown_field",
            Some("page"),
        ),
        (
            r#"{"v":1,"v":1}"#.into(),
            ORIGIN,
            "text/plain",
            400,
            "duplicate_field",
            Some("v"),
        ),
        (
            "[1]".into(),
            ORIGIN,
            "text/plain",
            400,
            "not_an_object",
            None,
        ),
        (
            "{".into(),
            ORIGIN,
            "text/plain",
            400,
            "malformed_json",
            None,
        ),
        (
            with("touchpoint", json!("x".repeat(1100))),
            ORIGIN,
            "text/plain",
            413,
            "body_too_large",
            None,
        ),
        (
            ok.to_string(),
            ORIGIN,
            "application/xml",
            415,
            "unsupported_media_type",
            None,
        ),
        (
            ok.to_string(),
            "https://evil.example",
            "text/plain",
            403,
            "origin_not_allowed",
            None,
        ),
    ];
    for (body, origin, ct, status, code, field) in &cases {
        let r = post(
            &w.url("/v1/sites/shop/displays"),
            &[("content-type", ct), ("origin", origin)],
            body,
        );
        if let Err(why) = documented_error(&r, *status, code, *field) {
            panic!("{body:.120} from {origin} as {ct}: {why}");
        }
    }
    let r = post(
        &w.url("/v1/sites/nosuch/displays"),
        &[("content-type", "text/plain"), ("origin", ORIGIN)],
        &ok.to_string(),
    );
    documented_error(&r, 404, "site_not_found", None).unwrap();
    let r = request("GET", &w.url("/v1/sites/shop/displays"), &[], None).unwrap();
    documented_error(&r, 405, "method_not_allowed", None).unwrap();
    assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
    // An answer naming a bad display id is refused whole.
    let bad = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_to(&uuid(2), "nope", 5),
    );
    documented_error(&bad, 400, "invalid_id", Some("display_id")).unwrap();
    assert_eq!(
        summary(&w, "shop", &token, "").body,
        before,
        "nothing changed"
    );
}

/// Imported answers `(days ago, score)`, `n` of each, ids from `first`.
fn history(w: &LocalWorker, token: &str, today: &str, batches: &[(i64, i64, u32)], first: u32) {
    let day0 = domain::calendar::Day::parse(today, "today").unwrap();
    let mut lines = String::new();
    let mut n = first;
    for &(ago, score, count) in batches {
        let at = format!("{}T12:00:00Z", domain::calendar::Day(day0.0 - ago));
        for _ in 0..count {
            lines.push_str(&json!({"id": uuid(n), "received_at": at, "touchpoint": "checkout", "kind": "csat", "score": score}).to_string());
            lines.push('\n');
            n += 1;
        }
    }
    let r = import(w, "shop", token, &lines);
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn compare_previous_over_imported_history_gives_the_hand_computed_test() {
    let w = start("displays-compare");
    let token = w.create_site("shop", &[ORIGIN]);
    let today = summary(&w, "shop", &token, "").json()["to"]
        .as_str()
        .unwrap()
        .to_string();
    // This period (the last 30 days): 120 of 200 satisfied; the 30 days before: 90 of 200.
    history(&w, &token, &today, &[(3, 5, 120), (3, 2, 80)], 0);
    history(&w, &token, &today, &[(40, 4, 90), (40, 1, 110)], 1000);
    let s = summary(&w, "shop", &token, "?compare=previous").json();
    let c = &s["compare"];
    assert_eq!(s["csat"]["score"], json!(60.0));
    assert_eq!(
        (&c["responses"], &c["csat"]["score"], &c["csat"]["delta"]),
        (&json!(200), &json!(45.0), &json!(15.0))
    );
    // Pooled z = 0.15 / √(0.525 · 0.475 · (2/200)) = 3.0038 → two-sided p = 0.00267.
    let p = c["csat"]["p_value"].as_f64().unwrap();
    assert!((p - 0.002_667).abs() < 1e-5, "{p}");
    assert_eq!(c["csat"]["significant"], json!(true));
    for nothing in ["nps", "ces", "stars", "thumbs", "response_rate"] {
        let block = c[nothing].as_object().unwrap();
        assert!(block.values().all(Value::is_null), "{nothing}: {block:?}");
    }
    let d = domain::calendar::Day::parse(&today, "today").unwrap();
    assert_eq!(c["to"], json!(domain::calendar::Day(d.0 - 30).to_string()));
    assert_eq!(
        c["from"],
        json!(domain::calendar::Day(d.0 - 59).to_string())
    );
    // Without `compare` the block is absent; a bad value is refused.
    assert!(summary(&w, "shop", &token, "")
        .json()
        .get("compare")
        .is_none());
    let bad = summary(&w, "shop", &token, "?compare=last");
    documented_error(&bad, 400, "invalid_query", Some("compare")).unwrap();
}
