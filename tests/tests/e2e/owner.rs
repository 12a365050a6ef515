//! Owner routes against the real worker: settings and public config, export round-trip,
//! erasure, token rotation, rate limiting, and state surviving a restart.

use crate::util::*;
use domain::export::{csv_unguard, parse_csv, ExportRecord, CSV_COLUMNS};
use harness::http::{get, request};
use serde_json::json;

#[test]
fn settings_config_and_token_rotation() {
    let w = start("settings");
    let token = w.create_site("shop", &[ORIGIN]);

    // Public config: cacheable, with an ETag that revalidates.
    let r = get(&w.url("/v1/sites/shop/config"), &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["throttle_days"], 30);
    assert!(r
        .header("cache-control")
        .unwrap_or_default()
        .contains("max-age"));
    let etag = r.header("etag").expect("an ETag").to_string();
    let again = get(&w.url("/v1/sites/shop/config"), &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    expect_error(
        &get(&w.url("/v1/sites/nosuch/config"), &[]),
        404,
        "site_not_found",
        None,
    );

    // PATCH: owner only; validated; changes what the widget reads.
    let change = json!({"throttle_days": 7, "sample_rate": 0.5, "prompts": {"checkout": {"kind": "nps", "questions": {"en": "Recommend us?"}}}});
    expect_error(
        &patch(&w, "shop", "eso_wrong", change.clone()),
        401,
        "unauthorized",
        None,
    );
    expect_error(
        &patch(&w, "shop", &token, json!({"sample_rate": 2})),
        400,
        "invalid_setting",
        Some("sample_rate"),
    );
    expect_error(
        &patch(&w, "shop", &token, json!({"owner_token": "x"})),
        400,
        "unknown_field",
        Some("owner_token"),
    );
    let r = patch(&w, "shop", &token, change);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["throttle_days"], 7);
    // GET: the same settings as the PATCH answered, for the owner only.
    let read = owner_get(&w, "/v1/sites/shop", &token);
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(read.json(), r.json());
    expect_error(
        &owner_get(&w, "/v1/sites/shop", "eso_wrong"),
        401,
        "unauthorized",
        None,
    );
    assert!(
        !r.body.contains(&token) && !r.body.contains("token_hash") && !r.body.contains("whsec_"),
        "no secrets: {}",
        r.body
    );
    let r = get(&w.url("/v1/sites/shop/config"), &[("if-none-match", &etag)]);
    assert_eq!(r.status, 200, "a changed config has a new ETag");
    assert_eq!(r.json()["prompts"]["checkout"]["kind"], "nps");
    assert_eq!(r.json()["sample_rate"], 0.5);

    // The widget's words, per locale: only known keys, canonical tags, 1–200 characters.
    for bad in [
        json!({"texts": {"en": {"nope": "x"}}}),
        json!({"texts": {"pt-br": {"send": "Mandar"}}}),
        json!({"texts": {"en": {"send": ""}}}),
        json!({"texts": {"en": {"send": "a\u{7}b"}}}),
        json!({"texts": {"en": "Send"}}),
        json!({"texts": ["en"]}),
    ] {
        expect_error(
            &patch(&w, "shop", &token, bad),
            400,
            "invalid_setting",
            Some("texts"),
        );
    }
    let texts =
        json!({"en": {"thanks": "Thanks — we read every answer."}, "pt-BR": {"send": "Mandar"}});
    assert_eq!(
        patch(&w, "shop", &token, json!({"texts": texts})).status,
        200
    );
    let config = get(&w.url("/v1/sites/shop/config"), &[]).json();
    assert_eq!(config["texts"], texts);
    assert_eq!(config["sample_rate"], 0.5, "other settings unchanged");

    // Origins changed by PATCH take effect at once.
    let second = "https://second.example";
    expect_error(
        &ingest(
            &w,
            "shop",
            Some(second),
            "text/plain",
            &answer(&uuid(1), "csat", 4, None),
        ),
        403,
        "origin_not_allowed",
        None,
    );
    assert_eq!(
        patch(
            &w,
            "shop",
            &token,
            json!({"allowed_origins": [ORIGIN, second]})
        )
        .status,
        200
    );
    assert_eq!(
        ingest(
            &w,
            "shop",
            Some(second),
            "text/plain",
            &answer(&uuid(1), "csat", 4, None)
        )
        .status,
        201
    );

    // Rotation: the new token works, the old one stops working; the admin may rotate too.
    let rotate = |bearer: &str| {
        let auth = format!("Bearer {bearer}");
        request(
            "POST",
            &w.url("/v1/sites/shop/token"),
            &[("authorization", &auth)],
            Some(b""),
        )
        .unwrap()
    };
    expect_error(&rotate("eso_wrong"), 401, "unauthorized", None);
    let r = rotate(&token);
    assert_eq!(r.status, 200, "{}", r.body);
    let new_token = r.json()["owner_token"].as_str().unwrap().to_string();
    assert_ne!(new_token, token);
    expect_error(&summary(&w, "shop", &token, ""), 401, "unauthorized", None);
    assert_eq!(summary(&w, "shop", &new_token, "").json()["responses"], 1);
    let by_admin = rotate(&w.admin_token);
    assert_eq!(by_admin.status, 200, "{}", by_admin.body);
    let third = by_admin.json()["owner_token"].as_str().unwrap().to_string();
    expect_error(
        &summary(&w, "shop", &new_token, ""),
        401,
        "unauthorized",
        None,
    );
    assert_eq!(summary(&w, "shop", &third, "").status, 200);
}

fn export(w: &harness::local::LocalWorker, token: &str, query: &str) -> harness::http::Reply {
    owner_get(w, &format!("/v1/sites/shop/responses{query}"), token)
}

#[test]
fn export_round_trip_erase_and_rate_limit() {
    let w = start("export");
    let token = w.create_site("shop", &[ORIGIN]);
    let nasty = "=HYPERLINK(\"http://evil.example\",\"click\"), \"quoted\"\nsecond line";
    let mut sent = Vec::new();
    for n in 0..7u32 {
        let comment = match n {
            0 => Some(nasty),
            3 => Some("Great"),
            _ => None,
        };
        let body = json!({"id": uuid(n), "touchpoint": if n % 2 == 0 { "checkout" } else { "support" }, "kind": "csat",
            "score": 1 + n % 5, "comment": comment, "page": "https://shop.example/cart?secret=1", "attributes": {"plan": "pro"}});
        ingest_ok(&w, "shop", &body.to_string());
        sent.push(body);
    }

    // NDJSON, paged 3 at a time, gives back exactly what was sent (page without its query).
    let mut records: Vec<ExportRecord> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=3&cursor={c}"),
            None => "?limit=3".to_string(),
        };
        let r = export(&w, &token, &q);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/x-ndjson"));
        records.extend(
            r.body
                .lines()
                .map(|l| serde_json::from_str::<ExportRecord>(l).expect("an NDJSON record")),
        );
        pages += 1;
        match r.header("x-earshot-next-cursor") {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!((records.len(), pages), (7, 3));
    for (rec, want) in records.iter().zip(&sent) {
        assert_eq!(rec.id, want["id"]);
        assert_eq!(rec.touchpoint, want["touchpoint"]);
        assert_eq!(rec.score as u64, want["score"].as_u64().unwrap());
        assert_eq!(rec.comment.as_deref(), want["comment"].as_str());
        assert_eq!(rec.page.as_deref(), Some("https://shop.example/cart"));
        assert_eq!(rec.attributes.get("plan"), Some("pro"));
        assert_eq!(rec.negative, rec.score <= 2);
    }

    // CSV: the same records, correctly quoted, the formula neutralized.
    let r = export(&w, &token, "?format=csv");
    assert!(r
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/csv"));
    let rows = parse_csv(&r.body);
    assert_eq!(rows[0], CSV_COLUMNS);
    assert_eq!(rows.len(), 8);
    assert!(
        rows[1][7].starts_with("'="),
        "formula guarded: {}",
        rows[1][7]
    );
    assert_eq!(csv_unguard(&rows[1][7]), nasty);
    for (row, rec) in rows[1..].iter().zip(&records) {
        assert_eq!(
            (row[0].as_str(), row[5].as_str()),
            (rec.id.as_str(), rec.score.to_string().as_str())
        );
    }
    expect_error(
        &export(&w, &token, "?format=xml"),
        400,
        "invalid_query",
        Some("format"),
    );
    expect_error(&export(&w, "eso_nope", ""), 401, "unauthorized", None);

    // Erase one: gone from export, summary and comments; erasing again is a 404.
    let before = summary(&w, "shop", &token, "").json();
    assert_eq!(before["responses"], 7);
    let auth = format!("Bearer {token}");
    let del = |id: &str| {
        request(
            "DELETE",
            &w.url(&format!("/v1/sites/shop/responses/{id}")),
            &[("authorization", &auth)],
            None,
        )
        .unwrap()
    };
    let r = del(&uuid(3));
    assert_eq!(
        (r.status, r.json()["deleted"].as_bool()),
        (200, Some(true)),
        "{}",
        r.body
    );
    expect_error(&del(&uuid(3)), 404, "not_found", None);
    expect_error(&del("not-an-id"), 400, "invalid_id", Some("id"));
    let after = summary(&w, "shop", &token, "").json();
    assert_eq!(after["responses"], 6);
    assert_eq!(
        after["csat"]["distribution"]["4"],
        before["csat"]["distribution"]["4"].as_u64().unwrap() - 1
    );
    assert!(after["recent_comments"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["comment"] != "Great"));
    assert_eq!(export(&w, &token, "").body.lines().count(), 6);
    // The erased id can be sent again and counts again (it is gone, not remembered).
    ingest_ok(&w, "shop", &sent[3].to_string());

    // Rate limit per visitor (no IP stored): over the limit is a 429 with Retry-After.
    assert_eq!(
        patch(&w, "shop", &token, json!({"rate_limit_per_minute": 3})).status,
        200
    );
    let codes: Vec<u16> = (100..105)
        .map(|n| {
            ingest(
                &w,
                "shop",
                Some(ORIGIN),
                "text/plain",
                &answer(&uuid(n), "csat", 5, None),
            )
            .status
        })
        .collect();
    assert!(
        codes.iter().filter(|c| **c == 201).count() <= 3,
        "{codes:?}"
    );
    assert_eq!(*codes.last().unwrap(), 429, "{codes:?}");
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(200), "csat", 5, None),
    );
    expect_error(&r, 429, "rate_limited", None);
    // The page may read the refusal and its Retry-After (allowed origin, header exposed).
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let exposed = r
        .header("access-control-expose-headers")
        .unwrap_or_default();
    assert!(exposed.contains("Retry-After"), "{exposed}");
    let wait: u64 = r
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
}

#[test]
fn acknowledged_answers_survive_a_restart() {
    let dir = harness::fresh_dir("restart");
    let port = harness::free_port();
    let mut w = start_in(&dir, port);
    let token = w.create_site("shop", &[ORIGIN]);
    for n in 0..5 {
        ingest_ok(
            &w,
            "shop",
            &answer(&uuid(n), "nps", n as i64 * 2, Some("kept")),
        );
    }
    let before = summary(&w, "shop", &token, "").body;
    w.stop();
    let w = start_in(&dir, harness::free_port());
    let after = summary(&w, "shop", &token, "").body;
    assert_eq!(before, after);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&after).unwrap()["responses"],
        5
    );
    // Replays after the restart are still recognized.
    let r = ingest(
        &w,
        "shop",
        Some(ORIGIN),
        "text/plain",
        &answer(&uuid(0), "nps", 0, Some("kept")),
    );
    assert_eq!(
        (r.status, r.json()["duplicate"].as_bool()),
        (200, Some(true))
    );
}

#[test]
fn import_seeds_history_and_restores_an_export() {
    let w = start("import");
    let a = w.create_site("a", &[ORIGIN]);
    let b = w.create_site("b", &[ORIGIN]);
    assert_eq!(harness::seed::seed(&w, "a", &a, 1500), Ok(1500));
    assert_eq!(
        harness::seed::seed(&w, "a", &a, 1500),
        Ok(0),
        "a second seed adds nothing (same ids)"
    );

    let today = domain::calendar::Day::from_unix_ms(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    );
    let from = domain::calendar::Day(today.0 - 90);
    let s = summary(&w, "a", &a, &format!("?from={from}")).json();
    assert_eq!(s["responses"], 1500, "all history is in the last 90 days");
    let busy_days = s["daily"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["responses"].as_u64().unwrap() > 0)
        .count();
    assert!(busy_days > 60, "spread over the days: {busy_days}");

    // Export a → import into b → b exports the same records.
    let export_all = |site: &str, token: &str| {
        owner_get(&w, &format!("/v1/sites/{site}/responses?limit=5000"), token).body
    };
    let dump = export_all("a", &a);
    assert_eq!(dump.lines().count(), 1500);
    let auth = format!("Bearer {b}");
    let import = |body: &str| {
        request(
            "POST",
            &w.url("/v1/sites/b/import"),
            &[
                ("authorization", &auth),
                ("content-type", "application/x-ndjson"),
            ],
            Some(body.as_bytes()),
        )
        .unwrap()
    };
    let lines: Vec<&str> = dump.lines().collect();
    for chunk in lines.chunks(1000) {
        let r = import(&chunk.join("\n"));
        assert_eq!(
            (r.status, r.json()["imported"].as_u64()),
            (200, Some(chunk.len() as u64)),
            "{}",
            r.body
        );
    }
    assert_eq!(
        export_all("b", &b),
        dump,
        "an export imports back to the same records"
    );
    let sa = summary(&w, "a", &a, &format!("?from={from}")).json();
    let mut sb = summary(&w, "b", &b, &format!("?from={from}")).json();
    sb["site"] = json!("a");
    assert_eq!(sa, sb);

    // One bad line rejects the import and names the line; nothing is stored.
    let r = import(&format!(
        "{}\n{}",
        lines[0],
        lines[1].replace("\"score\":", "\"score\":99,\"x\":")
    ));
    expect_error(&r, 400, "unknown_field", Some("x"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("line 2"));
    let r = request(
        "POST",
        &w.url("/v1/sites/b/import"),
        &[("content-type", "application/x-ndjson")],
        Some(b"{}"),
    )
    .unwrap();
    expect_error(&r, 401, "unauthorized", None);
    assert_eq!(
        summary(&w, "b", &b, &format!("?from={from}")).json()["responses"],
        1500
    );
}

#[test]
fn retention_erases_old_days_with_their_rollups() {
    let w = start("retention");
    let token = w.create_site("shop", &[ORIGIN]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 86_400_000;
    // 6 answers 100 days old, 4 from yesterday — history put in through the import API.
    let lines: Vec<String> = (0..10u32)
        .map(|n| {
            let at = if n < 6 { now - 100 * day } else { now - day };
            json!({"id": uuid(n), "received_at": domain::calendar::rfc3339_ms(at), "touchpoint": "checkout", "kind": "csat", "score": 1 + n % 5})
                .to_string()
        })
        .collect();
    let auth = format!("Bearer {token}");
    let r = request(
        "POST",
        &w.url("/v1/sites/shop/import"),
        &[
            ("authorization", &auth),
            ("content-type", "application/x-ndjson"),
        ],
        Some(lines.join("\n").as_bytes()),
    )
    .unwrap();
    assert_eq!(r.json()["imported"], 10, "{}", r.body);
    let from = domain::calendar::Day::from_unix_ms(now - 120 * day);
    assert_eq!(
        summary(&w, "shop", &token, &format!("?from={from}")).json()["responses"],
        10
    );
    // The recovery block (from the case rollup) equals a recount of the case list.
    let recovery = || {
        let cases = owner_get(&w, "/v1/sites/shop/cases?status=all&limit=100", &token).json()
            ["cases"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rec = summary(&w, "shop", &token, &format!("?from={from}")).json()["recovery"].clone();
        assert_eq!(rec, harness::audit::recovery_recount(&cases, now, 48));
        rec
    };
    let before = recovery();
    assert_eq!(
        (
            &before["cases"],
            &before["past_sla"],
            &before["within_sla_pct"]
        ),
        (&json!(4), &json!(3), &json!(0.0)),
        "three old negatives past SLA, one from yesterday not yet"
    );

    assert_eq!(
        patch(&w, "shop", &token, json!({"retention_days": 30})).status,
        200
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let s = summary(&w, "shop", &token, &format!("?from={from}")).json();
        if s["responses"] == 4 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "retention did not run: {s}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let kept = exported_ids(&w, "shop", &token);
    assert_eq!(
        kept,
        (6..10).map(uuid).collect::<Vec<_>>(),
        "only the recent answers remain"
    );
    let after = recovery();
    assert_eq!(
        (
            &after["cases"],
            &after["past_sla"],
            &after["within_sla_pct"]
        ),
        (&json!(1), &json!(0), &serde_json::Value::Null),
        "the old cases went with their answers"
    );
}
