//! Issue 15: themes from real answers (and gone after erasure), one signed `touchpoint.spike`
//! a day through the local webhook receiver, and the digest (`GET …/digest` and the 08:00 alarm
//! step, driven through the test hook `POST /__test/tick`, exactly once across a restart).

use crate::util::*;
use harness::http::{post, request};
use harness::local::LocalWorker;
use harness::receiver::{Delivery, Receiver};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn signed(secret: &str, d: &Delivery) -> bool {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&d.body);
    let want: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    d.header("x-earshot-signature") == Some(format!("sha256={want}").as_str())
}

fn said(n: u32, score: i64, comment: &str, locale: &str) -> String {
    json!({"id": uuid(n), "touchpoint": "checkout", "kind": "csat", "score": score,
        "comment": comment, "locale": locale})
    .to_string()
}

/// The themes a recount of `comments` (text, locale, negative) gives, with the domain's rules.
fn recount(comments: &[(&str, &str, bool)]) -> Value {
    let mut counts = domain::themes::TermCounts::default();
    for (text, locale, negative) in comments {
        counts.add_comment(
            &domain::themes::comment_terms(text, Some(locale)),
            *negative,
        );
    }
    serde_json::to_value(counts.themes()).unwrap()
}

#[test]
fn themes_come_from_answers_and_go_with_erasure() {
    let w = start("themes");
    let (token, _) = create_shop(&w, None);
    let negative = [
        ("Late delivery, again.", "en"),
        ("late delivery and no tracking", "en"),
        ("Very late delivery!", "en"),
        ("Another late delivery", "en"),
        ("late delivery :(", "en"),
        ("Late delivery twice", "en"),
        ("Die Lieferung kam nicht", "de"),
        ("Lieferung verspätet", "de"),
        ("Lieferung war kaputt", "de"),
        ("Keine Lieferung erhalten", "de"),
        ("Lieferung fehlt", "de"),
        ("Доставка опоздала", "ru"),
        ("доставка задержалась", "ru"),
        ("Доставка снова опоздала", "ru"),
        ("Где доставка?", "ru"),
        ("Доставка ужасная", "ru"),
    ];
    let other = [
        ("Great prices", "en"),
        ("Easy checkout", "en"),
        ("Nice shop", "en"),
        ("Fast support", "en"),
        ("Gute Preise", "de"),
        ("Alles gut", "de"),
        ("Отличный магазин", "ru"),
        ("Всё хорошо", "ru"),
        ("Quick and simple", "en"),
        ("Lovely colours", "en"),
    ]
    .repeat(2);
    let mut all = Vec::new();
    for (i, (text, locale)) in negative.iter().enumerate() {
        ingest_ok(&w, "shop", &said(i as u32, 1, text, locale));
        all.push((*text, *locale, true));
    }
    for (i, (text, locale)) in other.iter().enumerate() {
        ingest_ok(&w, "shop", &said(100 + i as u32, 5, text, locale));
        all.push((*text, *locale, false));
    }
    let s = summary(&w, "shop", &token, "").json();
    let themes = s["themes"].as_array().expect("themes").clone();
    let terms: Vec<&str> = themes.iter().filter_map(|t| t["term"].as_str()).collect();
    assert!(terms.contains(&"late delivery"), "{themes:?}");
    assert!(
        terms.contains(&"lieferung") && terms.contains(&"доставка"),
        "{themes:?}"
    );
    let top = &themes[0];
    assert!(
        top["negative"].as_u64() >= Some(3) && top["q_value"].as_f64() < Some(0.05),
        "{top}"
    );
    assert_eq!(s["themes"], recount(&all), "themes equal a recount");
    // Filters apply: no thumbs answers, no themes.
    assert_eq!(
        summary(&w, "shop", &token, "?kind=thumbs").json()["themes"],
        json!([])
    );

    // Erase four of the six English complaints: "late delivery" has too few left.
    for n in 0..4u32 {
        let auth = format!("Bearer {token}");
        let r = request(
            "DELETE",
            &w.url(&format!("/v1/sites/shop/responses/{}", uuid(n))),
            &[("authorization", &auth)],
            None,
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let s = summary(&w, "shop", &token, "").json();
    let left: Vec<(&str, &str, bool)> = all[4..].to_vec();
    assert_eq!(s["themes"], recount(&left), "still equal to a recount");
    assert!(
        !s["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["term"] == "late delivery"),
        "{}",
        s["themes"]
    );
}

/// Imports a 28-day baseline at `checkout`: 10 answers a day, one of them negative.
fn import_baseline(w: &LocalWorker, token: &str) {
    let now = now_ms();
    let mut lines = Vec::new();
    for d in 1..=27i64 {
        let at = now - d * 86_400_000 - 2 * 3_600_000;
        for k in 0..10i64 {
            let score = if k == 0 { 1 } else { 5 };
            let id = format!("{:08x}-0000-4000-8000-{:012x}", 5000 + d, k);
            lines.push(
                json!({"id": id, "received_at": domain::calendar::rfc3339_ms(at), "touchpoint": "checkout", "kind": "csat", "score": score})
                    .to_string(),
            );
        }
    }
    let r = import(w, "shop", token, &lines.join("\n"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["imported"], 270);
}

fn events(receiver: &Receiver, event: &str) -> Vec<(Delivery, Value)> {
    receiver
        .deliveries()
        .into_iter()
        .filter(|d| d.status == 200)
        .filter_map(|d| {
            let v: Value = serde_json::from_slice(&d.body).ok()?;
            (v["event"] == event).then_some((d, v))
        })
        .collect()
}

#[test]
fn a_burst_of_negatives_sends_one_signed_spike_a_day() {
    burst_sends_one_spike("spike", 1);
}

/// Answers spread over four objects: the primary judges the touchpoint on all of them.
#[test]
fn a_sharded_site_is_judged_on_all_its_shards() {
    burst_sends_one_spike("spike-shards", 4);
}

fn burst_sends_one_spike(name: &str, shards: u32) {
    let w = start(name);
    let receiver = Receiver::start(harness::free_port(), 0);
    let (token, secret) = create_shop(&w, Some(&receiver.url()));
    if shards > 1 {
        let r = patch(&w, "shop", &token, json!({"shards": shards}));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    import_baseline(&w, &token);
    // Four negatives: a big jump, but under the five a spike needs.
    for n in 0..4 {
        ingest_ok(&w, "shop", &said(n, 1, "Parcel lost", "en"));
    }
    receiver.wait_for_ok(4, Duration::from_secs(30));
    std::thread::sleep(Duration::from_secs(2));
    assert!(events(&receiver, "touchpoint.spike").is_empty());
    // The fifth fires; more the same day do not.
    for n in 4..9 {
        ingest_ok(&w, "shop", &said(n, 1, "Parcel lost", "en"));
    }
    receiver.wait_for_ok(10, Duration::from_secs(45));
    std::thread::sleep(Duration::from_secs(3));
    let spikes = events(&receiver, "touchpoint.spike");
    assert_eq!(spikes.len(), 1, "{spikes:?}");
    let (d, v) = &spikes[0];
    assert!(signed(&secret, d), "signed like every alert");
    assert_eq!(v["touchpoint"], "checkout");
    assert_eq!(v["recent"]["negative"], 5, "{v}");
    assert_eq!(v["baseline"]["answers"], 270, "{v}");
    assert!(v["z"].as_f64() > Some(3.0));
    assert!(v["text"].as_str().unwrap().contains("checkout"));
    assert_eq!(events(&receiver, "response.negative").len(), 9);
}

fn digest(w: &LocalWorker, token: &str, query: &str) -> harness::http::Reply {
    owner_get(w, &format!("/v1/sites/shop/digest{query}"), token)
}

#[test]
fn the_digest_reads_now_and_goes_out_once_per_period() {
    let dir = harness::fresh_dir("digest");
    let receiver = Receiver::start(harness::free_port(), 0);
    let w = start_in(&dir, harness::free_port());
    let (token, secret) = create_shop(&w, Some(&receiver.url()));
    // Yesterday: 8 happy, 4 unhappy; the day before: 12 happy.
    let day = 86_400_000;
    let yesterday = now_ms() / day * day - day + 3_600_000;
    let mut lines = Vec::new();
    for n in 0..24i64 {
        let (at, score) = match n {
            0..=7 => (yesterday, 5),
            8..=11 => (yesterday, 1),
            _ => (yesterday - day, 5),
        };
        let comment = if score == 1 {
            "late delivery"
        } else {
            "great service"
        };
        lines.push(json!({"id": uuid(n as u32), "received_at": domain::calendar::rfc3339_ms(at), "touchpoint": "checkout", "kind": "csat", "score": score, "comment": comment}).to_string());
    }
    assert_eq!(import(&w, "shop", &token, &lines.join("\n")).status, 200);

    let d = digest(&w, &token, "?period=daily");
    assert_eq!(d.status, 200, "{}", d.body);
    let d = d.json();
    let yday = domain::calendar::Day::from_unix_ms(yesterday).to_string();
    assert_eq!(
        (d["event"].as_str(), d["period"].as_str()),
        (Some("digest"), Some("daily"))
    );
    assert_eq!(
        (d["from"].as_str(), d["to"].as_str()),
        (Some(yday.as_str()), Some(yday.as_str()))
    );
    assert_eq!(
        (d["responses"].as_u64(), d["negative"].as_u64()),
        (Some(12), Some(4))
    );
    assert_eq!(d["csat"]["score"], 66.7);
    assert!(d["csat"]["ci95"].is_array());
    assert_eq!(d["compare"]["responses"], 12);
    assert_eq!(d["changes"][0]["metric"], "csat", "{d}");
    assert_eq!(d["changes"][0]["previous"], 100.0);
    assert_eq!(d["cases_past_sla"], 0);
    assert!(
        d["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["term"] == "late delivery"),
        "{}",
        d["themes"]
    );
    let text = d["text"].as_str().unwrap();
    assert!(
        text.starts_with(&format!("*Earshot daily digest for shop* ({yday})")),
        "{text}"
    );
    assert!(
        text.contains("CSAT 100% → 66.7%") && text.contains("“late delivery”"),
        "{text}"
    );
    let week = digest(&w, &token, "?period=weekly").json();
    assert_eq!(week["responses"], 24);
    expect_error(
        &digest(&w, &token, ""),
        400,
        "invalid_query",
        Some("period"),
    );
    expect_error(
        &digest(&w, &token, "?period=hourly"),
        400,
        "invalid_query",
        Some("period"),
    );
    expect_error(
        &digest(&w, &token, "?period=daily&x=1"),
        400,
        "invalid_query",
        Some("x"),
    );

    // The test hook takes the admin token only.
    let r = post(
        &w.url("/__test/tick"),
        &[
            ("authorization", &format!("Bearer {token}")),
            ("content-type", "application/json"),
        ],
        &json!({"site": "shop", "now": "2030-01-07T08:00:00Z"}).to_string(),
    );
    expect_error(&r, 401, "unauthorized", None);
    // The 08:00 step, through the test hook at a fixed day far from now (2030-01-07, a Monday).
    assert_eq!(
        tick(&w, "shop", "2030-01-07T07:59:59Z")["queued"],
        false,
        "off: nothing"
    );
    let r = patch(&w, "shop", &token, json!({"digest": "daily"}));
    assert_eq!(r.json()["digest"], "daily", "{}", r.body);
    expect_error(
        &patch(&w, "shop", &token, json!({"digest": "monthly"})),
        400,
        "invalid_setting",
        Some("digest"),
    );
    assert_eq!(
        tick(&w, "shop", "2030-01-07T07:59:59Z")["queued"],
        false,
        "before 08:00"
    );
    assert_eq!(tick(&w, "shop", "2030-01-07T08:00:00Z")["queued"], true);
    assert_eq!(
        tick(&w, "shop", "2030-01-07T08:30:00Z")["queued"],
        false,
        "once"
    );
    let digests = |r: &Receiver| -> Vec<(Delivery, Value)> {
        events(r, "digest")
            .into_iter()
            .filter(|(_, v)| v["to"] == "2030-01-06")
            .collect()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while digests(&receiver).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    // A restart across 08:00 does not send it again.
    drop(w);
    let w = start_in(&dir, harness::free_port());
    assert_eq!(
        tick(&w, "shop", "2030-01-07T09:00:00Z")["queued"],
        false,
        "once, after a restart"
    );
    assert_eq!(
        tick(&w, "shop", "2030-01-08T08:00:01Z")["queued"],
        true,
        "the next day's"
    );
    std::thread::sleep(Duration::from_secs(3));
    let sent = digests(&receiver);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (del, v) = &sent[0];
    assert!(signed(&secret, del));
    assert_eq!(
        (v["period"].as_str(), v["from"].as_str()),
        (Some("daily"), Some("2030-01-06"))
    );
    assert!(v["text"]
        .as_str()
        .unwrap()
        .contains("Earshot daily digest for shop"));
    // The weekly digest waits for Monday.
    assert_eq!(
        patch(&w, "shop", &token, json!({"digest": "weekly"})).status,
        200
    );
    assert_eq!(
        tick(&w, "shop", "2030-01-09T08:00:00Z")["queued"],
        false,
        "a Wednesday"
    );
    assert_eq!(
        tick(&w, "shop", "2030-01-14T08:00:00Z")["queued"],
        true,
        "a Monday"
    );
}

#[test]
fn retention_takes_old_themes_with_their_days() {
    let w = start("themes-retention");
    let (token, _) = create_shop(&w, None);
    let day = 86_400_000;
    let now = now_ms();
    // 100 days old: four complaints about late delivery and four happy comments; yesterday:
    // two complaints about the colour and two happy comments.
    let old: [(&str, bool); 2] = [("Late delivery", true), ("Great shop", false)];
    let recent: [(&str, bool); 2] = [("Wrong colour", true), ("Great shop", false)];
    let mut lines = Vec::new();
    let mut n = 0;
    for (at, set, copies) in [(now - 100 * day, &old, 4), (now - day, &recent, 2)] {
        for (text, negative) in set.iter() {
            for _ in 0..copies {
                let score = if *negative { 1 } else { 5 };
                lines.push(json!({"id": uuid(n), "received_at": domain::calendar::rfc3339_ms(at), "touchpoint": "checkout", "kind": "csat", "score": score, "comment": text, "locale": "en"}).to_string());
                n += 1;
            }
        }
    }
    assert_eq!(import(&w, "shop", &token, &lines.join("\n")).status, 200);
    let from = domain::calendar::Day::from_unix_ms(now - 120 * day);
    let query = format!("?from={from}");
    let themes = summary(&w, "shop", &token, &query).json()["themes"].clone();
    assert!(
        themes
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["term"] == "late delivery"),
        "{themes}"
    );
    assert_eq!(
        patch(&w, "shop", &token, json!({"retention_days": 30})).status,
        200
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let s = summary(&w, "shop", &token, &query).json();
        if s["responses"] == 4 {
            let left = [
                ("Wrong colour", "en", true),
                ("Wrong colour", "en", true),
                ("Great shop", "en", false),
                ("Great shop", "en", false),
            ];
            assert_eq!(
                s["themes"],
                recount(&left),
                "equal to a recount after retention"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "retention did not run: {s}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
