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

#[test]
fn a_case_is_contacted_resolved_followed_up_and_measured() {
    let w = start("cases-loop");
    let receiver = Receiver::start(harness::free_port(), 0);
    let token = create_with_hook(&w, &receiver.url());
    let (a, b, c) = (uuid(0xa), uuid(0xb), uuid(0xc));

    // A negative answer with a contact opens a case; a positive one does not.
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
    let open = case_list(&w, &token, "");
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
            &json!(a),
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
    let opened = ms(&case["received_at"]);

    // Contacted, then resolved: history with notes and the server's times.
    let r = set_status(
        &w,
        "shop",
        &token,
        &a,
        r#"{"status":"contacted","note":"Called, left a message"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "contacted");
    let r = set_status(
        &w,
        "shop",
        &token,
        &a,
        r#"{"status":"resolved","note":"  Refund sent "}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let case = r.json();
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
    let again = set_status(
        &w,
        "shop",
        &token,
        &a,
        r#"{"status":"resolved","note":"x"}"#,
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json(), case);
    assert!(case_list(&w, &token, "").is_empty(), "no open case left");
    assert_eq!(
        case_list(&w, &token, "?status=resolved"),
        vec![case.clone()]
    );
    assert_eq!(case_list(&w, &token, "?status=all"), vec![case.clone()]);

    // The browser asks which of its answers are due a follow-up: only the resolved case.
    assert_eq!(due(&w, &[&a, &b, &uuid(0xdead)]), vec![a.clone()]);
    ingest_ok(&w, "shop", &answer_with(&c, 5, json!({"follow_up_of": a})));
    assert!(due(&w, &[&a]).is_empty(), "followed up once");
    let case = &case_list(&w, &token, "?status=all")[0];
    assert_eq!(case["status"], "resolved");
    assert_eq!(
        (&case["follow_up"]["id"], &case["follow_up"]["score"]),
        (&json!(c), &json!(5))
    );
    let rec = summary(&w, "shop", &token, "").json()["recovery"].clone();
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

    // A negative follow-up reopens its case (and opens none of its own).
    let (d, e) = (uuid(0xd), uuid(0xe));
    ingest_ok(&w, "shop", &answer_with(&d, 2, json!({})));
    let r = set_status(&w, "shop", &token, &d, r#"{"status":"resolved"}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(due(&w, &[&a, &d]), vec![d.clone()]);
    ingest_ok(
        &w,
        "shop",
        &answer_with(&e, 1, json!({"follow_up_of": d, "comment": "Still broken"})),
    );
    let all = case_list(&w, &token, "?status=all");
    let ids: Vec<&str> = all.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [d.as_str(), a.as_str()], "newest first; no case for e");
    assert_eq!(all[0]["status"], "open");
    assert_eq!(all[0]["follow_up"]["score"], 1);
    let last = all[0]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["status"], "open");
    let rec = summary(&w, "shop", &token, "").json()["recovery"].clone();
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

    // Privacy: the contact is in no summary, no alert, no default export.
    let s = summary(&w, "shop", &token, "?compare=previous").body;
    assert!(!s.contains(CONTACT), "summary holds the contact: {s}");
    let seen = receiver.wait_for_ok(3, Duration::from_secs(45));
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
    let plain = export(&w, &token, "");
    assert!(!plain.contains(CONTACT), "{plain}");
    assert!(
        plain.contains(&format!("\"follow_up_of\":\"{a}\"")),
        "{plain}"
    );
    let with = export(&w, &token, "?include_contact=true");
    let line = with
        .lines()
        .find(|l| l.contains(&a) && !l.contains("follow_up_of"))
        .expect("a's line");
    assert_eq!(
        serde_json::from_str::<Value>(line).unwrap()["contact"],
        CONTACT
    );
    assert!(!export(&w, &token, "?format=csv").contains(CONTACT));

    // Erasing the answer erases its case, history and contact.
    erase(&w, &token, &a);
    let all = case_list(&w, &token, "?status=all");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["id"], json!(d));
    assert!(!export(&w, &token, "?include_contact=true").contains(CONTACT));
    let r = set_status(&w, "shop", &token, &a, r#"{"status":"open"}"#);
    documented_error(&r, 404, "not_found", None).unwrap();
    assert!(due(&w, &[&a]).is_empty());
    assert_eq!(
        summary(&w, "shop", &token, "").json()["recovery"]["cases"],
        1
    );
}

#[test]
fn hostile_case_requests_get_their_documented_error_and_change_nothing() {
    let w = start("cases-hostile");
    let token = w.create_site("shop", &[ORIGIN]);
    let other = w.create_site("other", &["https://other.example"]);
    let a = uuid(1);
    ingest_ok(&w, "shop", &answer_with(&a, 1, json!({"contact": CONTACT})));
    let o = uuid(2);
    let r = ingest(
        &w,
        "other",
        Some("https://other.example"),
        "text/plain",
        &answer_with(&o, 1, json!({})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let state = |w: &LocalWorker| {
        (
            cases(w, "shop", &token, "?status=all").body,
            summary(w, "shop", &token, "").body,
            export(w, &token, "?include_contact=true"),
        )
    };
    let before = state(&w);

    // Owner routes.
    let r = cases(&w, "shop", &other, "");
    documented_error(&r, 401, "unauthorized", None).unwrap();
    let r = set_status(&w, "shop", &other, &a, r#"{"status":"resolved"}"#);
    documented_error(&r, 401, "unauthorized", None).unwrap();
    let r = set_status(&w, "shop", &token, &o, r#"{"status":"resolved"}"#);
    documented_error(&r, 404, "not_found", None).unwrap();
    let r = set_status(&w, "shop", &token, &uuid(99), r#"{"status":"resolved"}"#);
    documented_error(&r, 404, "not_found", None).unwrap();
    let r = set_status(&w, "shop", &token, "not-a-uuid", r#"{"status":"resolved"}"#);
    documented_error(&r, 400, "invalid_id", Some("id")).unwrap();
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
        let r = set_status(&w, "shop", &token, &a, body);
        if let Err(why) = documented_error(&r, 400, code, *field) {
            panic!("{body:.80}: {why}");
        }
    }
    for (query, field) in [
        ("?status=closed", "status"),
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?cursor=yesterday", "cursor"),
        ("?touchpoint=Check%20Out", "touchpoint"),
        ("?sort=asc", "sort"),
    ] {
        let r = cases(&w, "shop", &token, query);
        if let Err(why) = documented_error(&r, 400, "invalid_query", Some(field)) {
            panic!("{query}: {why}");
        }
    }

    // The browser's routes.
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_with(&uuid(3), 4, json!({"contact": CONTACT})),
    );
    documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_with(&uuid(3), 1, json!({"contact": "x".repeat(201)})),
    );
    documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_with(&uuid(3), 5, json!({"follow_up_of": "nope"})),
    );
    documented_error(&r, 400, "invalid_id", Some("follow_up_of")).unwrap();
    let ids: Vec<String> = (0..21).map(uuid).collect();
    let table: Vec<Refusal> = vec![
        (
            json!({ "ids": ids }).to_string(),
            ORIGIN,
            "text/plain",
            400,
            "invalid_id",
            Some("ids"),
        ),
        (
            r#"{"ids":["nope"]}"#.into(),
            ORIGIN,
            "text/plain",
            400,
            "invalid_id",
            Some("ids"),
        ),
        (
            r#"{"ids":"x"}"#.into(),
            ORIGIN,
            "text/plain",
            400,
            "invalid_type",
            Some("ids"),
        ),
        (
            r#"{"ids":[],"visitor":1}"#.into(),
            ORIGIN,
            "text/plain",
            400,
            "unknown_field",
            Some("visitor"),
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
            json!({ "ids": [a] }).to_string(),
            "https://evil.example",
            "text/plain",
            403,
            "origin_not_allowed",
            None,
        ),
        (
            json!({ "ids": [a] }).to_string(),
            ORIGIN,
            "application/xml",
            415,
            "unsupported_media_type",
            None,
        ),
        (
            json!({ "ids": [a], "pad": "x".repeat(3000) }).to_string(),
            ORIGIN,
            "text/plain",
            413,
            "body_too_large",
            None,
        ),
    ];
    for (body, origin, ct, status, code, field) in &table {
        let r = follow_ups(&w, origin, ct, body);
        if let Err(why) = documented_error(&r, *status, code, *field) {
            panic!("{body:.80} from {origin} as {ct}: {why}");
        }
    }
    let r = request("GET", &w.url("/v1/sites/shop/follow-ups"), &[], None).unwrap();
    documented_error(&r, 405, "method_not_allowed", None).unwrap();
    assert_eq!(r.header("allow"), Some("POST, OPTIONS"));

    // With the contact setting off, a contact is refused; the public config says so.
    assert_eq!(
        harness::http::get(&w.url("/v1/sites/shop/config"), &[]).json()["contact"],
        "negative"
    );
    let r = patch(&w, "shop", &token, json!({"contact": "off"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        harness::http::get(&w.url("/v1/sites/shop/config"), &[]).json()["contact"],
        "off"
    );
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer_with(&uuid(4), 1, json!({"contact": CONTACT})),
    );
    documented_error(&r, 400, "invalid_contact", Some("contact")).unwrap();
    for bad in [
        json!({"contact": "always"}),
        json!({"sla_hours": 0}),
        json!({"contact_retention_days": 0}),
        json!({"alert_contact": "yes"}),
    ] {
        let field = bad.as_object().unwrap().keys().next().unwrap().clone();
        let r = patch(&w, "shop", &token, bad);
        documented_error(&r, 400, "invalid_setting", Some(&field)).unwrap();
    }

    assert_eq!(state(&w), before, "nothing changed");
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
