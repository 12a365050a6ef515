//! Restore: the export of a site's answers and displays, imported into a fresh site, gives the
//! same reach (period, per touchpoint, per day); importing it again counts nothing twice; a bad
//! display line rejects the whole import; and the comparison with the previous period over
//! imported displays tests the response rate as by hand.

use crate::hostile::documented_error;
use crate::util::*;
use harness::audit::{compare_reach, export_pages};
use harness::local::LocalWorker;
use serde_json::{json, Value};

fn display_line(id: &str, event: &str, day: &str, touchpoint: &str, kind: &str) -> String {
    json!({"record": "display", "id": id, "event": event, "day": day, "touchpoint": touchpoint, "kind": kind})
        .to_string()
}

fn answer_line(id: &str, day: &str, kind: &str, score: u8, display_id: Option<&str>) -> String {
    json!({"id": id, "received_at": format!("{day}T09:30:00Z"), "touchpoint": "support-chat",
           "kind": kind, "score": score, "display_id": display_id})
    .to_string()
}

fn today(w: &LocalWorker, token: &str) -> domain::calendar::Day {
    let s = summary(w, "shop", token, "").json();
    domain::calendar::Day::parse(s["to"].as_str().unwrap(), "to").unwrap()
}

/// Every exported answer and display of `site`, in pages of 2 (so the cursors are crossed).
fn exports(w: &LocalWorker, site: &str, token: &str) -> (Vec<Value>, Vec<Value>) {
    let answers = export_pages(&w.base, site, token, "", 2).unwrap();
    let displays = export_pages(&w.base, site, token, "&records=displays", 2).unwrap();
    (answers, displays)
}

fn ndjson(records: &[Value]) -> String {
    records.iter().map(|r| r.to_string() + "\n").collect()
}

/// The reach of a summary: the period's, each touchpoint's, and each day's counts.
fn reach_of(s: &Value) -> Value {
    let daily: Vec<Value> = s["daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!([d["date"], d["shown"], d["dismissed"], d["answered"]]))
        .collect();
    let by_tp: serde_json::Map<String, Value> = s["by_touchpoint"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["reach"].clone()))
        .collect();
    json!({"reach": s["reach"], "by_touchpoint": by_tp, "daily": daily})
}

#[test]
fn displays_survive_export_and_import_into_a_fresh_site() {
    let w = start("restore-displays");
    let token = w.create_site("shop", &[ORIGIN]);
    // Live today at checkout: A shown and dismissed, B shown and answered, C shown and ignored;
    // and one answer to no display.
    let (a, b, c) = (uuid(0xa), uuid(0xb), uuid(0xc));
    for (id, event) in [
        (&a, "shown"),
        (&a, "dismissed"),
        (&b, "shown"),
        (&c, "shown"),
    ] {
        assert_eq!(display(&w, "shop", id, event).status, 201);
    }
    ingest_ok(
        &w,
        "shop",
        &json!({"id": uuid(1), "display_id": b, "touchpoint": "checkout", "kind": "csat", "score": 5})
            .to_string(),
    );
    ingest_ok(&w, "shop", &answer(&uuid(2), "csat", 2, Some("slow")));
    // History at support-chat, brought in by import: 3 and 10 days ago.
    let day0 = today(&w, &token);
    let (d3, d10) = (
        domain::calendar::Day(day0.0 - 3).to_string(),
        domain::calendar::Day(day0.0 - 10).to_string(),
    );
    let (e, f, g) = (uuid(0xe), uuid(0xf), uuid(0x10));
    let history = [
        display_line(&e, "shown", &d3, "support-chat", "ces"),
        display_line(&f, "shown", &d3, "support-chat", "ces"),
        display_line(&f, "dismissed", &d3, "support-chat", "ces"),
        display_line(&g, "shown", &d10, "support-chat", "ces"),
        answer_line(&uuid(3), &d3, "ces", 6, Some(&e)),
        answer_line(&uuid(4), &d10, "ces", 2, Some(&g)),
        answer_line(&uuid(5), &d10, "ces", 7, None),
    ]
    .join("\n");
    let r = import(&w, "shop", &token, &history);
    assert_eq!(
        r.json(),
        json!({"imported": 7, "duplicates": 0}),
        "{}",
        r.body
    );

    let (answers, displays) = exports(&w, "shop", &token);
    assert_eq!((answers.len(), displays.len()), (5, 8));
    assert!(
        displays.iter().all(|d| d["record"] == "display"),
        "{displays:?}"
    );
    // Oldest first, and nothing about the person.
    assert_eq!(displays[0]["day"], json!(d10));
    for d in &displays {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["day", "event", "id", "kind", "record", "touchpoint"],
            "{d}"
        );
    }
    // The default export is unchanged: answers only, no `record` field.
    assert!(answers.iter().all(|r| r.get("record").is_none()));

    let range = format!("?from={d10}&to={day0}");
    let original = summary(&w, "shop", &token, &range).json();
    assert_eq!(
        original["reach"]["shown"],
        json!(6),
        "{}",
        original["reach"]
    );
    assert_eq!(
        compare_reach(&original, &answers, &displays),
        Vec::<String>::new()
    );

    // Restore into a fresh site spread over 3 objects, in one file: answers, then displays.
    let copy = w.create_site("copy", &[ORIGIN]);
    let r = patch(&w, "copy", &copy, json!({"shards": 3}));
    assert_eq!(r.status, 200, "{}", r.body);
    let file = ndjson(&answers) + &ndjson(&displays);
    let r = import(&w, "copy", &copy, &file);
    assert_eq!(
        r.json(),
        json!({"imported": 13, "duplicates": 0}),
        "{}",
        r.body
    );
    let restored = summary(&w, "copy", &copy, &range).json();
    assert_eq!(reach_of(&restored), reach_of(&original));
    assert_eq!(restored["responses"], original["responses"]);
    let (copied_answers, copied_displays) = exports(&w, "copy", &copy);
    assert_eq!((&copied_answers, &copied_displays), (&answers, &displays));

    // Again, after the shard count changed: nothing counts twice, wherever it was stored.
    let r = patch(&w, "copy", &copy, json!({"shards": 2}));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = import(&w, "copy", &copy, &file);
    assert_eq!(
        r.json(),
        json!({"imported": 0, "duplicates": 13}),
        "{}",
        r.body
    );
    assert_eq!(summary(&w, "copy", &copy, &range).json(), restored);
    // Erasing the answered one takes it out of `answered`, and the recount still agrees.
    let auth = format!("Bearer {copy}");
    let erased = harness::http::request(
        "DELETE",
        &w.url(&format!("/v1/sites/copy/responses/{}", uuid(3))),
        &[("authorization", &auth)],
        None,
    )
    .unwrap();
    assert_eq!(erased.status, 200, "{}", erased.body);
    let after = summary(&w, "copy", &copy, &range).json();
    assert_eq!(after["reach"]["answered"], json!(2));
    let (answers, displays) = exports(&w, "copy", &copy);
    assert_eq!(
        compare_reach(&after, &answers, &displays),
        Vec::<String>::new()
    );

    // CSV of displays: a header, then one row each.
    let csv = owner_get(
        &w,
        "/v1/sites/copy/responses?records=displays&format=csv",
        &copy,
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    let rows = domain::export::parse_csv(&csv.body);
    assert_eq!(rows[0], domain::export::DISPLAY_CSV_COLUMNS);
    assert_eq!(rows.len(), 1 + 8);
}

#[test]
fn a_bad_display_line_rejects_the_whole_import() {
    let w = start("restore-hostile");
    let token = w.create_site("shop", &[ORIGIN]);
    let before = summary(&w, "shop", &token, "").body;
    let day = today(&w, &token).to_string();
    let good = [
        answer_line(&uuid(1), &day, "ces", 6, Some(&uuid(9))),
        display_line(&uuid(9), "shown", &day, "support-chat", "ces"),
    ];
    let cases = [
        (
            display_line(&uuid(8), "clicked", &day, "checkout", "csat"),
            "invalid_event",
            "event",
        ),
        (
            display_line(&uuid(8), "shown", "2026-02-30", "checkout", "csat"),
            "invalid_type",
            "day",
        ),
        (
            display_line("nope", "shown", &day, "checkout", "csat"),
            "invalid_id",
            "id",
        ),
        (
            json!({"record": "display", "id": uuid(8), "event": "shown", "day": day,
                   "touchpoint": "checkout", "kind": "csat", "page": "https://shop.example/"})
            .to_string(),
            "unknown_field",
            "page",
        ),
        (
            json!({"record": "case", "id": uuid(8)}).to_string(),
            "invalid_type",
            "record",
        ),
    ];
    for (bad, code, field) in cases {
        let body = format!("{}\n{}\n{bad}\n", good[0], good[1]);
        let r = import(&w, "shop", &token, &body);
        documented_error(&r, 400, code, Some(field)).unwrap_or_else(|e| panic!("{bad}: {e}"));
        assert!(r.body.contains("line 3"), "{}", r.body);
    }
    assert_eq!(
        summary(&w, "shop", &token, "").body,
        before,
        "nothing written"
    );
    let r = owner_get(&w, "/v1/sites/shop/responses?records=displays", &token);
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    let bad = owner_get(&w, "/v1/sites/shop/responses?records=cases", &token);
    documented_error(&bad, 400, "invalid_query", Some("records")).unwrap();
}

#[test]
fn compare_previous_over_imported_displays_tests_the_response_rate() {
    let w = start("restore-compare");
    let token = w.create_site("shop", &[ORIGIN]);
    let day0 = today(&w, &token);
    // This period (3 days ago): 200 shown, 60 answered; the period before (40 days ago): 200
    // shown, 40 answered.
    let mut lines = Vec::new();
    let mut n = 0u32;
    for (ago, answered) in [(3, 60), (40, 40)] {
        let day = domain::calendar::Day(day0.0 - ago).to_string();
        for i in 0..200 {
            let id = uuid(0x10_0000 + n);
            n += 1;
            lines.push(display_line(&id, "shown", &day, "checkout", "csat"));
            if i < answered {
                let answer = json!({"id": uuid(n), "received_at": format!("{day}T12:00:00Z"),
                    "touchpoint": "checkout", "kind": "csat", "score": 4, "display_id": id});
                lines.push(answer.to_string());
            }
        }
    }
    for chunk in lines.chunks(domain::limits::MAX_IMPORT_LINES) {
        let r = import(&w, "shop", &token, &chunk.join("\n"));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let s = summary(&w, "shop", &token, "?compare=previous").json();
    assert_eq!(s["reach"]["response_rate"], json!(30.0));
    let c = &s["compare"]["response_rate"];
    assert_eq!((&c["rate"], &c["delta"]), (&json!(20.0), &json!(10.0)));
    // Pooled z = 0.1 / √(0.25 · 0.75 · (2/200)) = 2.3094 → two-sided p = 0.02092.
    let p = c["p_value"].as_f64().unwrap();
    assert!((p - 0.020_92).abs() < 1e-4, "{p}");
    assert_eq!(c["significant"], json!(true));
}

#[test]
fn retention_keeps_the_imported_reach_equal_to_a_recount() {
    let w = start("restore-retention");
    let token = w.create_site("shop", &[ORIGIN]);
    let day0 = today(&w, &token);
    let (old, recent) = (
        domain::calendar::Day(day0.0 - 100).to_string(),
        domain::calendar::Day(day0.0 - 1).to_string(),
    );
    let mut lines = Vec::new();
    for (n, day) in [(0u32, &old), (10, &recent)] {
        for i in 0..4 {
            let id = uuid(0x100 + n + i);
            lines.push(display_line(&id, "shown", day, "support-chat", "ces"));
            if i == 0 {
                lines.push(display_line(&id, "dismissed", day, "support-chat", "ces"));
            }
            if i == 1 {
                lines.push(answer_line(&uuid(n + i), day, "ces", 6, Some(&id)));
            }
        }
    }
    let r = import(&w, "shop", &token, &lines.join("\n"));
    assert_eq!(
        r.json(),
        json!({"imported": 12, "duplicates": 0}),
        "{}",
        r.body
    );
    let range = format!("?from={}&to={day0}", domain::calendar::Day(day0.0 - 120));
    let reach = |w: &LocalWorker| summary(w, "shop", &token, &range).json();
    assert_eq!(reach(&w)["reach"]["shown"], json!(8));

    assert_eq!(
        patch(&w, "shop", &token, json!({"retention_days": 30})).status,
        200
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let s = loop {
        let s = reach(&w);
        if s["reach"]["shown"] == 4 && s["responses"] == 1 {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "retention did not run: {}",
            s["reach"]
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(
        (&s["reach"]["dismissed"], &s["reach"]["answered"]),
        (&json!(1), &json!(1))
    );
    let (answers, displays) = exports(&w, "shop", &token);
    assert!(
        displays.iter().all(|d| d["day"] == json!(recent)),
        "{displays:?}"
    );
    assert_eq!(compare_reach(&s, &answers, &displays), Vec::<String>::new());
}
