//! The contact a customer leaves with a negative answer is personal data: it is in the cases
//! route and in exports asked for with `include_contact=true` only — never in a summary, a
//! digest, a default export, an alert (unless the site sets `alert_contact`) or the worker's
//! log — and it is gone with the answer, and `contact_retention_days` after its case is
//! resolved. Each marker is unique, so a hit anywhere is that contact and nothing else.

use crate::util::*;
use harness::http::request;
use harness::receiver::Receiver;
use serde_json::{json, Value};
use std::time::Duration;

/// The contacts: kept and then aged out, erased with its answer, and sent with `alert_contact`.
const KEPT: &str = "kept-7f3a9c@contact.example";
const ERASED: &str = "erased-51be02@contact.example";
const ALERTED: &str = "alerted-c40d77@contact.example";

fn negative(id: &str, contact: &str) -> String {
    json!({"id": id, "touchpoint": "checkout", "kind": "csat", "score": 1,
           "comment": "The parcel arrived damaged", "contact": contact})
    .to_string()
}

fn get(w: &harness::local::LocalWorker, token: &str, path: &str) -> String {
    let r = owner_get(w, &format!("/v1/sites/shop{path}"), token);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

fn has(text: &str, marker: &str) -> bool {
    text.contains(marker)
}

#[test]
fn the_contact_stays_where_it_may_and_goes_when_it_must() {
    let dir = harness::fresh_dir("contact-privacy");
    let w = start_in(&dir, harness::free_port());
    let receiver = Receiver::start(harness::free_port(), 0);
    let (token, _) = create_shop(&w, Some(&receiver.url()));
    let (kept, erased, alerted) = (uuid(0x1), uuid(0x2), uuid(0x3));
    ingest_ok(&w, "shop", &negative(&kept, KEPT));
    ingest_ok(&w, "shop", &negative(&erased, ERASED));
    ingest_ok(&w, "shop", &answer(&uuid(0x4), "csat", 5, Some("Great")));

    // Where it may be: the cases route, and the export that asks for it.
    let cases = get(&w, &token, "/cases?status=all");
    assert!(has(&cases, KEPT) && has(&cases, ERASED), "{cases}");
    let with = get(&w, &token, "/responses?include_contact=true");
    assert!(has(&with, KEPT) && has(&with, ERASED), "{with}");
    // Where it may not: summaries, digests, default exports (NDJSON and CSV), alerts.
    let elsewhere = [
        get(&w, &token, "/summary"),
        get(&w, &token, "/summary?compare=previous"),
        get(&w, &token, "/digest?period=daily"),
        get(&w, &token, "/responses"),
        get(&w, &token, "/responses?format=csv"),
        get(&w, &token, "/responses?format=csv&include_contact=true"),
    ];
    for text in &elsewhere {
        assert!(!has(text, KEPT) && !has(text, ERASED), "{text:.600}");
    }
    let alerts = receiver.wait_for_ok(2, Duration::from_secs(45));
    assert_eq!(alerts.len(), 2, "one alert per negative answer");
    for a in &alerts {
        let body = String::from_utf8_lossy(&a.body);
        assert!(
            body.contains("damaged"),
            "the alert is the answer's: {body}"
        );
        assert!(!has(&body, KEPT) && !has(&body, ERASED), "{body}");
    }
    // With `alert_contact` the alert carries it (so the check above could see one).
    let r = patch(&w, "shop", &token, json!({"alert_contact": true}));
    assert_eq!(r.status, 200, "{}", r.body);
    // The front door reads the setting through its 5-second routing cache.
    std::thread::sleep(Duration::from_millis(5_500));
    ingest_ok(&w, "shop", &negative(&alerted, ALERTED));
    let alerts = receiver.wait_for_ok(3, Duration::from_secs(45));
    let last = String::from_utf8_lossy(&alerts.last().expect("a third alert").body).to_string();
    assert!(has(&last, ALERTED), "{last}");

    // Erased with its answer: from the export that asks for it and from the cases route.
    let auth = format!("Bearer {token}");
    let r = request(
        "DELETE",
        &w.url(&format!("/v1/sites/shop/responses/{erased}")),
        &[("authorization", &auth)],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!has(
        &get(&w, &token, "/responses?include_contact=true"),
        ERASED
    ));
    assert!(!has(&get(&w, &token, "/cases?status=all"), ERASED));

    // Resolved, then `contact_retention_days` (30 by default) later: gone, the case stays.
    let r = request(
        "PATCH",
        &w.url(&format!("/v1/sites/shop/cases/{kept}")),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(br#"{"status":"resolved"}"#),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let resolved_ms = domain::calendar::parse_rfc3339_ms(
        r.json()["history"]
            .as_array()
            .and_then(|h| h.last())
            .and_then(|h| h["at"].as_str())
            .expect("the resolution's time"),
    )
    .unwrap();
    let day = domain::calendar::MS_PER_DAY;
    tick(
        &w,
        "shop",
        &domain::calendar::rfc3339_ms(resolved_ms + 29 * day),
    );
    assert!(
        has(&get(&w, &token, "/responses?include_contact=true"), KEPT),
        "kept for 30 days"
    );
    tick(
        &w,
        "shop",
        &domain::calendar::rfc3339_ms(resolved_ms + 30 * day + 1),
    );
    let with = get(&w, &token, "/responses?include_contact=true");
    assert!(!has(&with, KEPT), "{with}");
    assert!(has(&with, &kept), "the answer stays");
    let cases: Value = serde_json::from_str(&get(&w, &token, "/cases?status=all")).unwrap();
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(kept))
        .expect("the case stays")
        .clone();
    assert!(!has(&case.to_string(), KEPT), "{case}");
    // The contact that was alerted on purpose is untouched: its case is open.
    assert!(has(
        &get(&w, &token, "/responses?include_contact=true"),
        ALERTED
    ));

    // The worker's log (its stdout and stderr, requests and console) never held any of them.
    let log_path = dir.join("wrangler.log");
    drop(w);
    let log = std::fs::read_to_string(&log_path).expect("wrangler.log");
    assert!(
        log.contains("POST /v1/sites/shop/responses 201"),
        "the log is the worker's: {log:.2000}"
    );
    for marker in [KEPT, ERASED, ALERTED] {
        assert!(!log.contains(marker), "the worker's log holds {marker}");
    }
    drop(receiver);
}
