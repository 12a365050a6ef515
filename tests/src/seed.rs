//! A deterministic generator of realistic answers, spread over the last 90 days, put in through
//! the public import API. Same `n` and seed → same answers, so pictures and numbers repeat.
//! [`demo`] adds what a site with the widget has too: the displays behind the answers (shown,
//! dismissed, ignored) and the 90 days before, when checkout was worse and fewer answered.

use crate::http;
use crate::load::Rng;
use crate::local::LocalWorker;
use domain::Kind;
use serde_json::json;

/// Picks an index with the given weights.
fn weighted(rng: &mut Rng, weights: &[u64]) -> usize {
    let mut roll = rng.range(0, weights.iter().sum());
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

/// (touchpoint, kind, weights per scale point from the lowest)
const MOMENTS: &[(&str, Kind, &[u64])] = &[
    ("checkout", Kind::Csat, &[3, 4, 10, 35, 48]),
    ("support-chat", Kind::Ces, &[4, 5, 8, 12, 25, 26, 20]),
    ("onboarding", Kind::Thumbs, &[18, 82]),
    ("account", Kind::Nps, &[2, 1, 2, 2, 3, 5, 7, 14, 20, 22, 22]),
    ("delivery", Kind::Stars, &[4, 5, 12, 34, 45]),
];

const HAPPY: &[&str] = &[
    "Fast checkout, thank you!",
    "The support agent solved it in minutes.",
    "Love the new dashboard.",
    "Delivery was a day early.",
    "Clear instructions, easy setup.",
];
const UNHAPPY: &[&str] = &[
    "Payment failed twice before it worked.",
    "Waited 40 minutes for a reply.",
    "The parcel arrived damaged.",
    "I could not find how to change my plan.",
    "Too many steps to cancel an order.",
];
const LOCALES: &[&str] = &[
    "en", "en", "en", "de", "fr", "ru", "bg", "fa", "es", "pt-BR",
];
const COUNTRIES: &[&str] = &["DE", "FR", "US", "GB", "BG", "NL", "ES", "IR"];

/// The `n` answers, as NDJSON import lines, ending at `now_ms` and spread over 90 days.
pub fn records(n: usize, seed: u64, now_ms: i64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let (touchpoint, kind, weights) = MOMENTS[weighted(&mut rng, &[30, 25, 20, 15, 10])];
            let score = kind.scale().min + weighted(&mut rng, weights) as u8;
            let negative = kind.is_negative(score);
            let comment = (rng.range(0, 100) < if negative { 70 } else { 25 }).then(|| {
                let list = if negative { UNHAPPY } else { HAPPY };
                list[rng.range(0, list.len() as u64) as usize]
            });
            // More answers recently: a growing shop.
            let age_ms = (rng.range(0, 90 * 86_400_000) as f64
                * (rng.range(0, 1000) as f64 / 1000.0).sqrt()) as i64;
            let received_at = domain::calendar::rfc3339_ms(now_ms - age_ms);
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                seed as u32,
                (i >> 16) & 0xffff,
                i & 0xfff,
                rng.range(0, 0xfff),
                rng.next_u64() & 0xffff_ffff_ffff
            );
            let plan = ["free", "pro", "team"][rng.range(0, 3) as usize];
            json!({
                "id": id,
                "received_at": received_at,
                "touchpoint": touchpoint,
                "kind": kind.as_str(),
                "score": score,
                "comment": comment,
                "page": format!("https://shop.example/{touchpoint}"),
                "locale": LOCALES[rng.range(0, LOCALES.len() as u64) as usize],
                "country": COUNTRIES[rng.range(0, COUNTRIES.len() as u64) as usize],
                "attributes": {"plan": plan},
            })
            .to_string()
        })
        .collect()
}

const DAY_MS: i64 = domain::calendar::MS_PER_DAY;

/// A display id: UUID v4, distinct per (seed, n).
fn display_id(seed: u64, n: usize) -> String {
    format!(
        "{:08x}-d15b-4{:03x}-9000-{:012x}",
        seed as u32,
        n >> 36 & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

fn display_line(id: &str, event: &str, day: &str, touchpoint: &str, kind: &str) -> String {
    json!({"record": "display", "id": id, "event": event, "day": day, "touchpoint": touchpoint, "kind": kind})
        .to_string()
}

/// Displays not answered for each answered one, in tenths, by touchpoint (a short checkout
/// question is answered more often than a delivery rating).
fn unanswered_tenths(touchpoint: &str) -> u64 {
    match touchpoint {
        "checkout" => 15,
        "support-chat" => 25,
        "onboarding" => 30,
        "account" => 20,
        _ => 35,
    }
}

/// The answers of [`records`] with the displays behind them: 4 in 5 answers carry the
/// `display_id` of a display shown that day; for each of those, [`unanswered_tenths`] plus
/// `more_unanswered` (tenths) more displays of the same touchpoint were shown that day and not
/// answered, 45 % of them dismissed. `worse_checkout` (in %) of checkout's 5s become 3s.
fn with_displays(
    answers: Vec<String>,
    seed: u64,
    more_unanswered: u64,
    worse_checkout: u64,
) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0xd15b);
    let mut out = Vec::new();
    let mut n = 0;
    for line in answers {
        let mut a: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let (tp, kind) = (
            a["touchpoint"].as_str().unwrap_or_default().to_string(),
            a["kind"].as_str().unwrap_or_default().to_string(),
        );
        if tp == "checkout" && a["score"] == 5 && rng.range(0, 100) < worse_checkout {
            a["score"] = json!(3);
        }
        if rng.range(0, 5) < 4 {
            let day = a["received_at"]
                .as_str()
                .and_then(|t| t.get(..10))
                .unwrap_or_default()
                .to_string();
            let id = display_id(seed, n);
            n += 1;
            out.push(display_line(&id, "shown", &day, &tp, &kind));
            a["display_id"] = json!(id);
            // Whole displays from the tenths, the remainder by chance.
            let tenths = unanswered_tenths(&tp) + more_unanswered;
            let more = tenths / 10 + u64::from(rng.range(0, 10) < tenths % 10);
            for _ in 0..more {
                let id = display_id(seed, n);
                n += 1;
                out.push(display_line(&id, "shown", &day, &tp, &kind));
                if rng.range(0, 100) < 45 {
                    out.push(display_line(&id, "dismissed", &day, &tp, &kind));
                }
            }
        }
        out.push(a.to_string());
    }
    out
}

/// The demo's history ending at `now_ms`: `n` answers over the last 90 days with their
/// displays (about 30 % of prompts answered), and `n × 3/5` over the 90 days before, when
/// fewer answered (about a fifth) and a third of checkout's 5s were 3s — so the dashboard's
/// reach, its shown-vs-answered chart and its comparison with the previous period (over 90
/// days, or any shorter range) have data, and a change that is significant.
pub fn demo_records(n: usize, seed: u64, now_ms: i64) -> Vec<String> {
    let mut lines = with_displays(records(n, seed, now_ms), seed, 0, 0);
    let before = records(n * 3 / 5, seed + 1, now_ms - 90 * DAY_MS);
    lines.extend(with_displays(before, seed + 1, 18, 35));
    lines
}

fn now_ms() -> Result<i64, String> {
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64)
}

/// Puts `n` generated answers into `site` through `POST /v1/sites/{site}/import`; returns how
/// many were new.
pub fn seed(worker: &LocalWorker, site: &str, owner_token: &str, n: usize) -> Result<u64, String> {
    import(worker, site, owner_token, &records(n, 0x5eed, now_ms()?))
}

/// Puts the demo's history ([`demo_records`]: `n` answers of the last 90 days, the displays
/// behind them, and the 90 days before) into `site`; returns how many records were new.
pub fn demo(worker: &LocalWorker, site: &str, owner_token: &str, n: usize) -> Result<u64, String> {
    import(
        worker,
        site,
        owner_token,
        &demo_records(n, 0x5eed, now_ms()?),
    )
}

fn import(
    worker: &LocalWorker,
    site: &str,
    owner_token: &str,
    lines: &[String],
) -> Result<u64, String> {
    let auth = format!("Bearer {owner_token}");
    let mut imported = 0;
    for chunk in lines.chunks(domain::limits::MAX_IMPORT_LINES) {
        let body = chunk.join("\n");
        let r = http::request(
            "POST",
            &worker.url(&format!("/v1/sites/{site}/import")),
            &[
                ("authorization", &auth),
                ("content-type", "application/x-ndjson"),
            ],
            Some(body.as_bytes()),
        )
        .map_err(|e| e.to_string())?;
        if r.status != 200 {
            return Err(format!("import failed ({}): {}", r.status, r.body));
        }
        imported += r.json()["imported"].as_u64().unwrap_or(0);
    }
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_deterministic_valid_and_spread() {
        let now = 1_764_110_553_000;
        let a = records(500, 7, now);
        assert_eq!(a, records(500, 7, now));
        let mut ids = std::collections::HashSet::new();
        let mut days = std::collections::HashSet::new();
        for line in &a {
            let i =
                domain::export::decode_import_line(line).unwrap_or_else(|f| panic!("{f}: {line}"));
            assert!(i.received_at_ms <= now && i.received_at_ms > now - 91 * 86_400_000);
            assert!(ids.insert(i.response.id));
            days.insert(domain::calendar::Day::from_unix_ms(i.received_at_ms));
        }
        assert!(days.len() > 60, "spread over the 90 days: {}", days.len());
    }

    #[test]
    fn demo_records_import_and_answer_more_now_than_before() {
        use domain::export::{decode_import_record, ImportLine};
        let now = 1_764_110_553_000;
        let lines = demo_records(1000, 7, now);
        assert_eq!(lines, demo_records(1000, 7, now));
        let cut = domain::calendar::Day::from_unix_ms(now - 90 * DAY_MS);
        // (shown, answered) now and before
        let mut reach = [(0u64, 0u64); 2];
        let mut keys = std::collections::HashSet::new();
        for line in &lines {
            match decode_import_record(line).unwrap_or_else(|f| panic!("{f}: {line}")) {
                ImportLine::Display(d) => {
                    let key = (d.display.id.clone(), d.display.event);
                    assert!(keys.insert(key), "one of each: {line}");
                    if d.display.event == domain::display::DisplayEvent::Shown {
                        reach[usize::from(d.day <= cut)].0 += 1;
                    }
                }
                ImportLine::Response(i) => {
                    let day = domain::calendar::Day::from_unix_ms(i.received_at_ms);
                    assert!(
                        keys.insert((i.response.id.clone(), domain::display::DisplayEvent::Shown))
                    );
                    if i.response.display_id.is_some() {
                        reach[usize::from(day <= cut)].1 += 1;
                    }
                }
            }
        }
        let rate = |(shown, answered): (u64, u64)| answered as f64 / shown as f64;
        assert!((0.26..0.36).contains(&rate(reach[0])), "{reach:?}");
        assert!((0.16..0.23).contains(&rate(reach[1])), "{reach:?}");
    }
}
