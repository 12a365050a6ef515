//! Close the loop: every negative answer opens a case; the owner lists and moves cases
//! (contacted, resolved, with notes and server times); the browser asks which of its answers are
//! due a follow-up and answers again; the summary's `recovery` measures it. The contact a
//! customer leaves is personal data: in the case list and (asked for) the export only, never in
//! summaries or alerts, and gone with the answer.

use crate::hostile::documented_error;
use crate::util::*;
use harness::http::{post, request, Reply};
use harness::local::LocalWorker;
use harness::receiver::Receiver;
use serde_json::{json, Value};
use std::time::Duration;

const CONTACT: &str = "ann@example.com";

/// A request and its documented refusal: (body, origin, content type, status, code, field).
type Refusal<'a> = (String, &'a str, &'a str, u16, &'a str, Option<&'a str>);

fn cases(w: &LocalWorker, site: &str, token: &str, query: &str) -> Reply {
    owner_get(w, &format!("/v1/sites/{site}/cases{query}"), token)
}

fn case_list(w: &LocalWorker, token: &str, query: &str) -> Vec<Value> {
    let r = cases(w, "shop", token, query);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["cases"].as_array().expect("cases").clone()
}

fn set_status(w: &LocalWorker, site: &str, token: &str, id: &str, body: &str) -> Reply {
    let auth = format!("Bearer {token}");
    request(
        "PATCH",
        &w.url(&format!("/v1/sites/{site}/cases/{id}")),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(body.as_bytes()),
    )
    .expect("PATCH case")
}

fn follow_ups(w: &LocalWorker, origin: &str, content_type: &str, body: &str) -> Reply {
    post(
        &w.url("/v1/sites/shop/follow-ups"),
        &[("content-type", content_type), ("origin", origin)],
        body,
    )
}

fn due(w: &LocalWorker, ids: &[&str]) -> Vec<String> {
    let r = follow_ups(w, ORIGIN, "text/plain", &json!({ "ids": ids }).to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    serde_json::from_value(r.json()["due"].clone()).expect("due ids")
}

fn answer_with(id: &str, score: i64, extra: Value) -> String {
    let mut v = json!({"id": id, "touchpoint": "checkout", "kind": "csat", "score": score});
    for (k, x) in extra.as_object().expect("object") {
        v[k] = x.clone();
    }
    v.to_string()
}

fn create_with_hook(w: &LocalWorker, hook: &str) -> String {
    let auth = format!("Bearer {}", w.admin_token);
    let body = json!({"name": "Shop", "allowed_origins": [ORIGIN], "site_id": "shop", "webhook_url": hook});
    let r = post(
        &w.url("/v1/sites"),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        &body.to_string(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["owner_token"].as_str().unwrap().to_string()
}

fn export(w: &LocalWorker, token: &str, query: &str) -> String {
    let r = owner_get(w, &format!("/v1/sites/shop/responses{query}"), token);
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn erase(w: &LocalWorker, token: &str, id: &str) {
    let auth = format!("Bearer {token}");
    let r = request(
        "DELETE",
        &w.url(&format!("/v1/sites/shop/responses/{id}")),
        &[("authorization", &auth)],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
}

fn ms(rfc3339: &Value) -> i64 {
    domain::calendar::parse_rfc3339_ms(rfc3339.as_str().expect("a time")).expect("RFC 3339")
}

/// The loop's worker: `shop` alerting to `receiver`, with a negative answer `a` (with a
/// contact and a comment) and a positive answer `b`; `c` is the id kept for `a`'s follow-up.
struct Loop {
    w: LocalWorker,
    receiver: Receiver,
    token: String,
    a: String,
    b: String,
    c: String,
}

fn answered(name: &str) -> Loop {
    let w = start(name);
    let receiver = Receiver::start(harness::free_port(), 0);
    let token = create_with_hook(&w, &receiver.url());
    let (a, b, c) = (uuid(0xa), uuid(0xb), uuid(0xc));
    ingest_ok(
        &w,
        "shop",
        &answer_with(
            &a,
            1,
            json!({"comment": "Parcel arrived broken", "contact": format!("  {CONTACT} ")}),
        ),
    );
    ingest_ok(&w, "shop", &answer_with(&b, 5, json!({})));
    Loop {
        w,
        receiver,
        token,
        a,
        b,
        c,
    }
}

/// Moves `id` to `status` and insists on a 200.
fn move_case(l: &Loop, id: &str, body: &str) -> Value {
    let r = set_status(&l.w, "shop", &l.token, id, body);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Marks `a` contacted, then resolved, each with a note; returns the two cases.
fn contact_then_resolve(l: &Loop) -> (Value, Value) {
    let contacted = r#"{"status":"contacted","note":"Called, left a message"}"#;
    let resolved = r#"{"status":"resolved","note":"  Refund sent "}"#;
    (move_case(l, &l.a, contacted), move_case(l, &l.a, resolved))
}

/// `answered`, `a` resolved and followed up by `c` (a 5).
fn followed_up(name: &str) -> Loop {
    let l = answered(name);
    contact_then_resolve(&l);
    ingest_ok(
        &l.w,
        "shop",
        &answer_with(&l.c, 5, json!({"follow_up_of": l.a})),
    );
    l
}

/// Opens and resolves a second case `d` (a 2); returns its id.
fn resolved_second(l: &Loop) -> String {
    let d = uuid(0xd);
    ingest_ok(&l.w, "shop", &answer_with(&d, 2, json!({})));
    move_case(l, &d, r#"{"status":"resolved"}"#);
    d
}

/// Follows `d` up with a negative `e` (a 1, with a comment); returns its id.
fn negative_follow_up(l: &Loop, d: &str) -> String {
    let e = uuid(0xe);
    ingest_ok(
        &l.w,
        "shop",
        &answer_with(&e, 1, json!({"follow_up_of": d, "comment": "Still broken"})),
    );
    e
}

/// The whole loop: `followed_up`, then `d` resolved and reopened by `e`.
fn reopened(name: &str) -> (Loop, String, String) {
    let l = followed_up(name);
    let d = resolved_second(&l);
    let e = negative_follow_up(&l, &d);
    (l, d, e)
}

#[test]
fn a_negative_answer_with_a_contact_opens_a_case_and_a_positive_one_does_not() {
    let l = answered("cases-open");
    let open = case_list(&l.w, &l.token, "");
    assert_eq!(open.len(), 1, "{open:?}");
    let case = &open[0];
    assert_eq!(
        (
            &case["id"],
            &case["status"],
            &case["score"],
            &case["comment"],
            &case["contact"]
        ),
        (
            &json!(l.a),
            &json!("open"),
            &json!(1),
            &json!("Parcel arrived broken"),
            &json!(CONTACT)
        )
    );
    assert_eq!(case["history"].as_array().unwrap().len(), 1);
    assert_eq!(case["history"][0]["status"], "open");
    assert_eq!(case["history"][0]["at"], case["received_at"]);
    assert!(case.get("follow_up").is_none());
}

#[test]
fn a_case_contacted_then_resolved_keeps_its_notes_and_the_servers_times() {
    let l = answered("cases-resolve");
    let opened = ms(&case_list(&l.w, &l.token, "")[0]["received_at"]);
    let (contacted, case) = contact_then_resolve(&l);
    assert_eq!(contacted["status"], "contacted");
    assert_eq!(case["status"], "resolved");
    let history = case["history"].as_array().unwrap();
    let steps: Vec<(&str, Option<&str>)> = history
        .iter()
        .map(|h| (h["status"].as_str().unwrap(), h["note"].as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("open", None),
            ("contacted", Some("Called, left a message")),
            ("resolved", Some("Refund sent"))
        ]
    );
    let times: Vec<i64> = history.iter().map(|h| ms(&h["at"])).collect();
    assert!(times.windows(2).all(|t| t[0] <= t[1]), "{times:?}");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        times[0] == opened && times[2] <= now + 5_000,
        "server times: {times:?}"
    );
    // The same status again changes nothing.
    let again = move_case(&l, &l.a, r#"{"status":"resolved","note":"x"}"#);
    assert_eq!(again, case);
    assert!(
        case_list(&l.w, &l.token, "").is_empty(),
        "no open case left"
    );
    assert_eq!(
        case_list(&l.w, &l.token, "?status=resolved"),
        vec![case.clone()]
    );
    assert_eq!(case_list(&l.w, &l.token, "?status=all"), vec![case]);
}

#[test]
fn a_resolved_case_is_due_one_follow_up_and_the_summary_measures_its_recovery() {
    let l = answered("cases-follow-up");
    contact_then_resolve(&l);
    // The browser asks which of its answers are due a follow-up: only the resolved case.
    assert_eq!(due(&l.w, &[&l.a, &l.b, &uuid(0xdead)]), vec![l.a.clone()]);
    ingest_ok(
        &l.w,
        "shop",
        &answer_with(&l.c, 5, json!({"follow_up_of": l.a})),
    );
    assert!(due(&l.w, &[&l.a]).is_empty(), "followed up once");
    let case = &case_list(&l.w, &l.token, "?status=all")[0];
    assert_eq!(case["status"], "resolved");
    assert_eq!(
        (&case["follow_up"]["id"], &case["follow_up"]["score"]),
        (&json!(l.c), &json!(5))
    );
    let rec = summary(&l.w, "shop", &l.token, "").json()["recovery"].clone();
    assert_eq!(
        (
            &rec["cases"],
            &rec["with_contact"],
            &rec["open"],
            &rec["contacted"],
            &rec["resolved"],
            &rec["past_sla"]
        ),
        (
            &json!(1),
            &json!(1),
            &json!(0),
            &json!(0),
            &json!(1),
            &json!(0)
        )
    );
    assert_eq!(
        (
            &rec["followed_up"],
            &rec["recovered"],
            &rec["recovery_rate"],
            &rec["lift"],
            &rec["within_sla_pct"]
        ),
        (
            &json!(1),
            &json!(1),
            &json!(100.0),
            &json!(4.0),
            &json!(100.0)
        )
    );
    // Wilson interval of 1/1.
    let ci = rec["recovery_rate_ci95"].as_array().unwrap();
    assert!(
        ci[0].as_f64().unwrap() < 50.0 && ci[1].as_f64().unwrap() > 99.9,
        "{ci:?}"
    );
}

#[test]
fn a_negative_follow_up_reopens_its_case_and_opens_none_of_its_own() {
    let l = followed_up("cases-reopen");
    let d = resolved_second(&l);
    assert_eq!(due(&l.w, &[&l.a, &d]), vec![d.clone()]);
    negative_follow_up(&l, &d);
    let all = case_list(&l.w, &l.token, "?status=all");
    let ids: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [d.as_str(), l.a.as_str()],
        "newest first; no case for e"
    );
    assert_eq!(all[0]["status"], "open");
    assert_eq!(all[0]["follow_up"]["score"], 1);
    let last = all[0]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["status"], "open");
    let rec = summary(&l.w, "shop", &l.token, "").json()["recovery"].clone();
    // Lift: ((5 − 1) + (1 − 2)) / 2 = 1.5.
    assert_eq!(
        (
            &rec["cases"],
            &rec["open"],
            &rec["followed_up"],
            &rec["recovered"],
            &rec["recovery_rate"],
            &rec["lift"]
        ),
        (
            &json!(2),
            &json!(1),
            &json!(2),
            &json!(1),
            &json!(50.0),
            &json!(1.5)
        )
    );
}

#[test]
fn the_contact_is_in_no_summary_no_alert_and_no_default_export() {
    let (l, d, e) = reopened("cases-privacy");
    let (w, token, a) = (&l.w, &l.token, &l.a);
    let s = summary(w, "shop", token, "?compare=previous").body;
    assert!(!s.contains(CONTACT), "summary holds the contact: {s}");
    let seen = l.receiver.wait_for_ok(3, Duration::from_secs(45));
    let alerts: Vec<Value> = seen
        .iter()
        .filter(|d| d.status == 200)
        .map(|d| serde_json::from_slice(&d.body).unwrap())
        .collect();
    assert_eq!(alerts.len(), 3, "a, d and e are negative: {alerts:?}");
    let case_ids: Vec<(&Value, &Value)> = alerts
        .iter()
        .map(|p| (&p["response"]["id"], &p["case_id"]))
        .collect();
    assert!(case_ids.contains(&(&json!(a), &json!(a))), "{case_ids:?}");
    assert!(
        case_ids.contains(&(&json!(e), &json!(d))),
        "a negative follow-up's alert names the case it reopened: {case_ids:?}"
    );
    for d in &seen {
        let text = String::from_utf8_lossy(&d.body);
        assert!(!text.contains(CONTACT), "alert holds the contact: {text}");
    }
    let plain = export(w, token, "");
    assert!(!plain.contains(CONTACT), "{plain}");
    assert!(
        plain.contains(&format!("\"follow_up_of\":\"{a}\"")),
        "{plain}"
    );
    let with = export(w, token, "?include_contact=true");
    let line = with
        .lines()
        .find(|l| l.contains(a.as_str()) && !l.contains("follow_up_of"))
        .expect("a's line");
    assert_eq!(
        serde_json::from_str::<Value>(line).unwrap()["contact"],
        CONTACT
    );
    assert!(!export(w, token, "?format=csv").contains(CONTACT));
}

#[test]
fn erasing_an_answer_erases_its_case_its_history_and_its_contact() {
    let (l, d, _) = reopened("cases-erase");
    let (w, token, a) = (&l.w, &l.token, &l.a);
    erase(w, token, a);
    let all = case_list(w, token, "?status=all");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["id"], json!(d));
    assert!(!export(w, token, "?include_contact=true").contains(CONTACT));
    let r = set_status(w, "shop", token, a, r#"{"status":"open"}"#);
    documented_error(&r, 404, "not_found", None).unwrap();
    assert!(due(w, &[a]).is_empty());
    assert_eq!(summary(w, "shop", token, "").json()["recovery"]["cases"], 1);
}

/// The summary's `recovery` (read from the case rollup) equals a recount of the case list.
fn recovery_is_a_recount(l: &Loop, step: &str) {
    let all = case_list(&l.w, &l.token, "?status=all&limit=100");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let rec = summary(&l.w, "shop", &l.token, "").json()["recovery"].clone();
    assert_eq!(
        rec,
        harness::audit::recovery_recount(&all, now, 48),
        "after {step}"
    );
}

#[test]
fn the_recovery_block_equals_a_recount_of_the_cases_after_every_change() {
    let l = answered("cases-recount");
    recovery_is_a_recount(&l, "a case opened with a contact");
    move_case(&l, &l.a, r#"{"status":"contacted"}"#);
    recovery_is_a_recount(&l, "contacted");
    move_case(&l, &l.a, r#"{"status":"contacted"}"#);
    recovery_is_a_recount(&l, "the same status again");
    move_case(&l, &l.a, r#"{"status":"resolved"}"#);
    ingest_ok(
        &l.w,
        "shop",
        &answer_with(&l.c, 4, json!({"follow_up_of": l.a})),
    );
    recovery_is_a_recount(&l, "resolved and followed up");
    let d = resolved_second(&l);
    recovery_is_a_recount(&l, "a second case resolved straight from open");
    let e = negative_follow_up(&l, &d);
    recovery_is_a_recount(&l, "reopened by a negative follow-up");
    move_case(&l, &d, r#"{"status":"contacted","note":"again"}"#);
    move_case(&l, &l.a, r#"{"status":"open"}"#);
    recovery_is_a_recount(&l, "contacted again, and a resolved case reopened");
    erase(&l.w, &l.token, &e);
    recovery_is_a_recount(&l, "the follow-up answer erased");
    erase(&l.w, &l.token, &l.a);
    recovery_is_a_recount(&l, "a case's answer erased");
    let rec = summary(&l.w, "shop", &l.token, "").json()["recovery"].clone();
    assert_eq!((&rec["cases"], &rec["contacted"]), (&json!(1), &json!(1)));
}

/// The hostile tests' worker: `shop` with a negative answer `a` (with a contact), `other` with
/// a negative answer `o`.
struct Hostile {
    w: LocalWorker,
    token: String,
    other: String,
    a: String,
    o: String,
}

impl Hostile {
    /// Ingests `body` into `shop` from [`ORIGIN`] as text/plain.
    fn ingest(&self, body: &str) -> Reply {
        ingest(&self.w, "shop", Some(ORIGIN), "text/plain", body)
    }

    fn state(&self) -> (String, String, String) {
        (
            cases(&self.w, "shop", &self.token, "?status=all").body,
            summary(&self.w, "shop", &self.token, "").body,
            export(&self.w, &self.token, "?include_contact=true"),
        )
    }
}

/// Runs `refuse` against a fresh hostile worker and checks the cases, summary and export are
/// the same afterwards.
fn refused_without_change(name: &str, refuse: impl FnOnce(&Hostile)) {
    let w = start(name);
    let token = w.create_site("shop", &[ORIGIN]);
    let other = w.create_site("other", &["https://other.example"]);
    let (a, o) = (uuid(1), uuid(2));
    ingest_ok(&w, "shop", &answer_with(&a, 1, json!({"contact": CONTACT})));
    let r = ingest(
        &w,
        "other",
        Some("https://other.example"),
        "text/plain",
        &answer_with(&o, 1, json!({})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let h = Hostile {
        w,
        token,
        other,
        a,
        o,
    };
    let before = h.state();
    refuse(&h);
    assert_eq!(h.state(), before, "nothing changed");
}

#[test]
fn case_routes_refuse_another_sites_token_and_unknown_cases() {
    refused_without_change("cases-foreign", |h| {
        let resolved = r#"{"status":"resolved"}"#;
        let r = cases(&h.w, "shop", &h.other, "");
        documented_error(&r, 401, "unauthorized", None).unwrap();
        let r = set_status(&h.w, "shop", &h.other, &h.a, resolved);
        documented_error(&r, 401, "unauthorized", None).unwrap();
        let r = set_status(&h.w, "shop", &h.token, &h.o, resolved);
        documented_error(&r, 404, "not_found", None).unwrap();
        let r = set_status(&h.w, "shop", &h.token, &uuid(99), resolved);
        documented_error(&r, 404, "not_found", None).unwrap();
        let r = set_status(&h.w, "shop", &h.token, "not-a-uuid", resolved);
        documented_error(&r, 400, "invalid_id", Some("id")).unwrap();
    });
}

#[test]
fn a_malformed_status_change_gets_its_documented_400() {
    refused_without_change("cases-bad-status", |h| {
        let note = "n".repeat(1001);
        let bodies: Vec<(String, &str, Option<&str>)> = vec![
            (
                r#"{"status":"closed"}"#.into(),
                "invalid_status",
                Some("status"),
            ),
            (r#"{"status":1}"#.into(), "invalid_type", Some("status")),
            (r#"{}"#.into(), "missing_field", Some("status")),
            (
                json!({"status": "resolved", "note": note}).to_string(),
                "invalid_note",
                Some("note"),
            ),
            (
                r#"{"status":"resolved","by":"me"}"#.into(),
                "unknown_field",
                Some("by"),
            ),
            (
                r#"{"status":"resolved","status":"open"}"#.into(),
                "duplicate_field",
                Some("status"),
            ),
            ("[]".into(), "not_an_object", None),
        ];
        for (body, code, field) in &bodies {
            let r = set_status(&h.w, "shop", &h.token, &h.a, body);
            if let Err(why) = documented_error(&r, 400, code, *field) {
                panic!("{body:.80}: {why}");
            }
        }
    });
}

#[test]
fn a_malformed_case_list_query_is_invalid_query() {
    refused_without_change("cases-bad-query", |h| {
        for (query, field) in [
            ("?status=closed", "status"),
            ("?limit=0", "limit"),
            ("?limit=101", "limit"),
            ("?cursor=yesterday", "cursor"),
            ("?touchpoint=Check%20Out", "touchpoint"),
            ("?sort=asc", "sort"),
        ] {
            let r = cases(&h.w, "shop", &h.token, query);
            if let Err(why) = documented_error(&r, 400, "invalid_query", Some(field)) {
                panic!("{query}: {why}");
            }
        }
    });
}

#[test]
fn an_answer_with_a_contact_it_may_not_have_or_a_bad_follow_up_of_is_refused() {
    refused_without_change("cases-bad-answer", |h| {
        let r = h.ingest(&answer_with(&uuid(3), 4, json!({"contact": CONTACT})));
        documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
        let r = h.ingest(&answer_with(
            &uuid(3),
            1,
            json!({"contact": "x".repeat(201)}),
        ));
        documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
        let r = h.ingest(&answer_with(&uuid(3), 5, json!({"follow_up_of": "nope"})));
        documented_error(&r, 400, "invalid_id", Some("follow_up_of")).unwrap();
    });
}

#[test]
fn a_malformed_follow_up_request_gets_its_documented_error() {
    refused_without_change("cases-bad-follow-ups", |h| {
        let a = &h.a;
        let ids: Vec<String> = (0..21).map(uuid).collect();
        // A 400 for a body sent as the browser sends it.
        let bad = |body: String, code, field| -> Refusal {
            (body, ORIGIN, "text/plain", 400, code, field)
        };
        let ids_a = || json!({ "ids": [a] });
        let padded = json!({ "ids": [a], "pad": "x".repeat(3000) }).to_string();
        let table: Vec<Refusal> = vec![
            bad(json!({ "ids": ids }).to_string(), "invalid_id", Some("ids")),
            bad(r#"{"ids":["nope"]}"#.into(), "invalid_id", Some("ids")),
            bad(r#"{"ids":"x"}"#.into(), "invalid_type", Some("ids")),
            bad(
                r#"{"ids":[],"visitor":1}"#.into(),
                "unknown_field",
                Some("visitor"),
            ),
            bad("{".into(), "malformed_json", None),
            (
                ids_a().to_string(),
                "https://evil.example",
                "text/plain",
                403,
                "origin_not_allowed",
                None,
            ),
            (
                ids_a().to_string(),
                ORIGIN,
                "application/xml",
                415,
                "unsupported_media_type",
                None,
            ),
            (padded, ORIGIN, "text/plain", 413, "body_too_large", None),
        ];
        for (body, origin, ct, status, code, field) in &table {
            let r = follow_ups(&h.w, origin, ct, body);
            if let Err(why) = documented_error(&r, *status, code, *field) {
                panic!("{body:.80} from {origin} as {ct}: {why}");
            }
        }
        let r = request("GET", &h.w.url("/v1/sites/shop/follow-ups"), &[], None).unwrap();
        documented_error(&r, 405, "method_not_allowed", None).unwrap();
        assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
    });
}

#[test]
fn with_the_contact_setting_off_a_contact_is_refused_and_the_config_says_so() {
    refused_without_change("cases-contact-off", |h| {
        let config = || harness::http::get(&h.w.url("/v1/sites/shop/config"), &[]).json();
        assert_eq!(config()["contact"], "negative");
        let r = patch(&h.w, "shop", &h.token, json!({"contact": "off"}));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(config()["contact"], "off");
        let r = h.ingest(&answer_with(&uuid(4), 1, json!({"contact": CONTACT})));
        documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
    });
}

#[test]
fn an_invalid_case_setting_is_invalid_setting() {
    refused_without_change("cases-bad-setting", |h| {
        for bad in [
            json!({"contact": "always"}),
            json!({"sla_hours": 0}),
            json!({"contact_retention_days": 0}),
            json!({"alert_contact": "yes"}),
        ] {
            let field = bad.as_object().unwrap().keys().next().unwrap().clone();
            let r = patch(&h.w, "shop", &h.token, bad);
            documented_error(&r, 400, "invalid_setting", Some(&field)).unwrap();
        }
    });
}

#[test]
fn imported_negatives_open_cases_listed_newest_first_a_page_at_a_time() {
    let w = start("cases-pages");
    let token = w.create_site("shop", &[ORIGIN]);
    // Spread over 4 shards: follow-ups still land with their cases.
    let r = patch(&w, "shop", &token, json!({"shards": 4}));
    assert_eq!(r.status, 200, "{}", r.body);
    let today = summary(&w, "shop", &token, "").json()["to"]
        .as_str()
        .unwrap()
        .to_string();
    let today = domain::calendar::Day::parse(&today, "today").unwrap();
    let mut lines = String::new();
    for n in 0..7u32 {
        // Cases 4 and 5 share a time: the id breaks the tie. Answer 6 is positive.
        let day = domain::calendar::Day(today.0 - 10 + i64::from(n.min(4)));
        let at = format!("{day}T12:00:00Z");
        let score = if n == 6 { 5 } else { 1 };
        lines.push_str(&json!({"id": uuid(n), "received_at": at, "touchpoint": "checkout", "kind": "csat", "score": score}).to_string());
        lines.push('\n');
    }
    let auth = format!("Bearer {token}");
    let r = request(
        "POST",
        &w.url("/v1/sites/shop/import"),
        &[
            ("authorization", &auth),
            ("content-type", "application/x-ndjson"),
        ],
        Some(lines.as_bytes()),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let mut seen = Vec::new();
    let mut query = "?limit=2".to_string();
    loop {
        let r = cases(&w, "shop", &token, &query);
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json()["cases"].as_array().unwrap().clone();
        assert!(page.len() <= 2);
        seen.extend(page.iter().map(|c| c["id"].as_str().unwrap().to_string()));
        match r.header("x-earshot-next-cursor") {
            Some(c) => query = format!("?limit=2&cursor={c}"),
            None => break,
        }
    }
    // The positive answer (6) opened no case; 5 and 4 share a time, the larger id first.
    let want: Vec<String> = [5, 4, 3, 2, 1, 0].into_iter().map(uuid).collect();
    assert_eq!(seen, want);

    // Every case resolved, then followed up from the browser: each follow-up is recorded.
    for id in &want {
        let r = set_status(&w, "shop", &token, id, r#"{"status":"resolved"}"#);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let asked: Vec<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(due(&w, &asked), want);
    for (n, id) in want.iter().enumerate() {
        ingest_ok(
            &w,
            "shop",
            &answer_with(&uuid(100 + n as u32), 4, json!({"follow_up_of": id})),
        );
    }
    assert!(due(&w, &asked).is_empty());
    let all = case_list(&w, &token, "?status=resolved&limit=100");
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|c| c["follow_up"]["score"] == 4), "{all:?}");
    let rec = summary(&w, "shop", &token, "").json()["recovery"].clone();
    assert_eq!(
        (
            &rec["cases"],
            &rec["followed_up"],
            &rec["recovered"],
            &rec["lift"]
        ),
        (&json!(6), &json!(6), &json!(6), &json!(3.0))
    );
}
