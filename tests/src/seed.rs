//! A deterministic generator of realistic answers, spread over the last 90 days, put in through
//! the public import API. Same `n` and seed → same answers, so pictures and numbers repeat.

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

/// Puts `n` generated answers into `site` through `POST /v1/sites/{site}/import`; returns how
/// many were new.
pub fn seed(worker: &LocalWorker, site: &str, owner_token: &str, n: usize) -> Result<u64, String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let auth = format!("Bearer {owner_token}");
    let mut imported = 0;
    for chunk in records(n, 0x5eed, now).chunks(domain::limits::MAX_IMPORT_LINES) {
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
}
