//! Checking a site's stored state from the outside: every acknowledged id is in the NDJSON
//! export exactly once, nothing is there that was never sent, and the summary (built from
//! rollups) equals a recount of the exported raw rows — per-kind distributions, NPS groups,
//! thumbs, per-touchpoint and per-day counts, and the reach (shown and dismissed from the
//! exported displays, answered from the answers that carry a `display_id`).

use crate::http::{self, Reply};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The outcome of [`audit`]; [`Audit::ok`] when nothing was lost, doubled or miscounted.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    /// Rows in the export.
    pub stored: usize,
    /// Extra copies of an id in the export (each id beyond its first).
    pub duplicates: usize,
    /// Acknowledged ids missing from the export.
    pub lost: Vec<String>,
    /// Exported ids that were never sent.
    pub unexpected: Vec<String>,
    /// Where the summary differs from the recount, in words.
    pub mismatches: Vec<String>,
}

impl Audit {
    pub fn ok(&self) -> bool {
        self.duplicates == 0
            && self.lost.is_empty()
            && self.unexpected.is_empty()
            && self.mismatches.is_empty()
    }
}

fn owner_get(base: &str, path: &str, token: &str) -> Result<Reply, String> {
    let auth = format!("Bearer {token}");
    http::request(
        "GET",
        &format!("{base}{path}"),
        &[("authorization", &auth)],
        None,
    )
    .map_err(|e| format!("GET {path}: {e}"))
}

/// Every exported record of `site` (NDJSON, all pages), in export order.
pub fn export_all(base: &str, site: &str, token: &str) -> Result<Vec<Value>, String> {
    export_pages(base, site, token, "", 5000)
}

/// Every exported display of `site` (`records=displays`, all pages), in export order.
pub fn export_displays(base: &str, site: &str, token: &str) -> Result<Vec<Value>, String> {
    export_pages(base, site, token, "&records=displays", 5000)
}

/// Every record of an export (`extra`: more query, e.g. `&records=displays`), `limit` a page.
pub fn export_pages(
    base: &str,
    site: &str,
    token: &str,
    extra: &str,
    limit: usize,
) -> Result<Vec<Value>, String> {
    let mut records = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let query = match &cursor {
            Some(c) => format!("?limit={limit}{extra}&cursor={c}"),
            None => format!("?limit={limit}{extra}"),
        };
        let r = owner_get(base, &format!("/v1/sites/{site}/responses{query}"), token)?;
        if r.status != 200 {
            return Err(format!("export of {site}: {} {}", r.status, r.body));
        }
        for line in r.body.lines() {
            records.push(
                serde_json::from_str(line)
                    .map_err(|e| format!("export line is not JSON ({e}): {line}"))?,
            );
        }
        match r.header("x-earshot-next-cursor") {
            Some(c) => cursor = Some(c.to_string()),
            None => return Ok(records),
        }
    }
    Err(format!("export of {site} did not end"))
}

/// Counts of the raw rows, keyed like the summary.
#[derive(Debug, Default)]
struct Recount {
    responses: u64,
    negative: u64,
    /// kind → score → n
    scores: BTreeMap<String, BTreeMap<u64, u64>>,
    /// touchpoint → (responses, negative)
    touchpoints: BTreeMap<String, (u64, u64)>,
    /// date → (responses, negative)
    days: BTreeMap<String, (u64, u64)>,
}

fn recount(records: &[Value]) -> Recount {
    let mut c = Recount::default();
    for r in records {
        let negative = r["negative"].as_bool().unwrap_or(false) as u64;
        c.responses += 1;
        c.negative += negative;
        let kind = r["kind"].as_str().unwrap_or("?").to_string();
        *c.scores
            .entry(kind)
            .or_default()
            .entry(r["score"].as_u64().unwrap_or(u64::MAX))
            .or_default() += 1;
        let tp = c
            .touchpoints
            .entry(r["touchpoint"].as_str().unwrap_or("?").to_string())
            .or_default();
        tp.0 += 1;
        tp.1 += negative;
        let date = r["received_at"]
            .as_str()
            .and_then(|s| s.get(..10))
            .unwrap_or("?")
            .to_string();
        let day = c.days.entry(date).or_default();
        day.0 += 1;
        day.1 += negative;
    }
    c
}

fn check(out: &mut Vec<String>, what: String, have: Option<u64>, want: u64) {
    if have != Some(want) {
        out.push(format!(
            "{what}: summary says {have:?}, raw rows say {want}"
        ));
    }
}

/// Compares a summary with the recount of the raw rows; returns the differences.
pub fn compare(summary: &Value, records: &[Value]) -> Vec<String> {
    let c = recount(records);
    let mut out = Vec::new();
    check(
        &mut out,
        "responses".into(),
        summary["responses"].as_u64(),
        c.responses,
    );
    check(
        &mut out,
        "negative".into(),
        summary["negative"].as_u64(),
        c.negative,
    );
    let none = BTreeMap::new();
    for kind in ["csat", "nps", "ces", "stars", "thumbs"] {
        let scores = c.scores.get(kind).unwrap_or(&none);
        let n: u64 = scores.values().sum();
        check(
            &mut out,
            format!("{kind}.n"),
            summary[kind]["n"].as_u64(),
            n,
        );
        let count = |pred: &dyn Fn(u64) -> bool| {
            scores
                .iter()
                .filter(|(s, _)| pred(**s))
                .map(|(_, n)| n)
                .sum::<u64>()
        };
        if kind == "thumbs" {
            check(
                &mut out,
                "thumbs.up".into(),
                summary[kind]["up"].as_u64(),
                count(&|s| s == 1),
            );
            check(
                &mut out,
                "thumbs.down".into(),
                summary[kind]["down"].as_u64(),
                count(&|s| s == 0),
            );
            continue;
        }
        // The summary lists every point of the scale; the recount only points that occur.
        let dist: BTreeMap<u64, u64> = summary[kind]["distribution"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_u64()?)))
                    .filter(|(_, n)| *n > 0)
                    .collect()
            })
            .unwrap_or_default();
        if &dist != scores {
            out.push(format!(
                "{kind}.distribution: summary says {dist:?}, raw rows say {scores:?}"
            ));
        }
        if kind == "nps" {
            check(
                &mut out,
                "nps.promoters".into(),
                summary[kind]["promoters"].as_u64(),
                count(&|s| s >= 9),
            );
            check(
                &mut out,
                "nps.passives".into(),
                summary[kind]["passives"].as_u64(),
                count(&|s| s == 7 || s == 8),
            );
            check(
                &mut out,
                "nps.detractors".into(),
                summary[kind]["detractors"].as_u64(),
                count(&|s| s <= 6),
            );
        }
    }
    let empty = serde_json::Map::new();
    let by_tp = summary["by_touchpoint"].as_object().unwrap_or(&empty);
    let names: BTreeSet<&String> = by_tp.keys().chain(c.touchpoints.keys()).collect();
    for name in names {
        let (n, neg) = c.touchpoints.get(name).copied().unwrap_or_default();
        check(
            &mut out,
            format!("by_touchpoint.{name}.responses"),
            by_tp
                .get(name)
                .and_then(|t| t["responses"].as_u64())
                .or(Some(0)),
            n,
        );
        check(
            &mut out,
            format!("by_touchpoint.{name}.negative"),
            by_tp
                .get(name)
                .and_then(|t| t["negative"].as_u64())
                .or(Some(0)),
            neg,
        );
    }
    let daily: BTreeMap<String, (Option<u64>, Option<u64>)> = summary["daily"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["date"].as_str().unwrap_or("?").to_string(),
                        (d["responses"].as_u64(), d["negative"].as_u64()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (date, (n, neg)) in &c.days {
        match daily.get(date) {
            Some((have_n, have_neg)) => {
                check(&mut out, format!("daily {date} responses"), *have_n, *n);
                check(&mut out, format!("daily {date} negative"), *have_neg, *neg);
            }
            None => out.push(format!(
                "daily: {date} has {n} raw rows but is not in the summary's range"
            )),
        }
    }
    for (date, (n, _)) in &daily {
        if !c.days.contains_key(date) && *n != Some(0) {
            out.push(format!(
                "daily {date}: summary says {n:?} responses, raw rows say 0"
            ));
        }
    }
    out
}

/// shown, dismissed, answered
type Reach = (u64, u64, u64);

/// Compares a summary's reach (period, per touchpoint, per day) with a recount of the exported
/// displays and of the answers that carry a `display_id`; returns the differences.
pub fn compare_reach(summary: &Value, records: &[Value], displays: &[Value]) -> Vec<String> {
    let mut period: Reach = (0, 0, 0);
    let mut touchpoints: BTreeMap<String, Reach> = BTreeMap::new();
    let mut days: BTreeMap<String, Reach> = BTreeMap::new();
    let mut count = |tp: &str, date: &str, which: usize| {
        for t in [
            &mut period,
            touchpoints.entry(tp.to_string()).or_default(),
            days.entry(date.to_string()).or_default(),
        ] {
            match which {
                0 => t.0 += 1,
                1 => t.1 += 1,
                _ => t.2 += 1,
            }
        }
    };
    for d in displays {
        let which = if d["event"] == "shown" { 0 } else { 1 };
        count(
            d["touchpoint"].as_str().unwrap_or("?"),
            d["day"].as_str().unwrap_or("?"),
            which,
        );
    }
    for r in records.iter().filter(|r| r["display_id"].is_string()) {
        let date = r["received_at"].as_str().and_then(|s| s.get(..10));
        count(
            r["touchpoint"].as_str().unwrap_or("?"),
            date.unwrap_or("?"),
            2,
        );
    }
    let mut out = Vec::new();
    let have = |v: &Value| {
        (
            v["shown"].as_u64(),
            v["dismissed"].as_u64(),
            v["answered"].as_u64(),
        )
    };
    let mut check = |what: String, have: (Option<u64>, Option<u64>, Option<u64>), want: Reach| {
        let want = (Some(want.0), Some(want.1), Some(want.2));
        if have != want {
            out.push(format!(
                "{what} (shown, dismissed, answered): summary says {have:?}, raw rows say {want:?}"
            ));
        }
    };
    check("reach".into(), have(&summary["reach"]), period);
    let empty = serde_json::Map::new();
    let by_tp = summary["by_touchpoint"].as_object().unwrap_or(&empty);
    let names: BTreeSet<&String> = by_tp.keys().chain(touchpoints.keys()).collect();
    for name in names {
        let zero = serde_json::json!({"shown": 0, "dismissed": 0, "answered": 0});
        // A touchpoint without displays has no `reach` block.
        let block = by_tp
            .get(name)
            .and_then(|t| t.get("reach"))
            .unwrap_or(&zero);
        let want = touchpoints.get(name).copied().unwrap_or_default();
        check(format!("by_touchpoint.{name}.reach"), have(block), want);
    }
    let daily: BTreeMap<String, &Value> = summary["daily"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| (d["date"].as_str().unwrap_or("?").to_string(), d))
                .collect()
        })
        .unwrap_or_default();
    let dates: BTreeSet<&String> = daily.keys().chain(days.keys()).collect();
    for date in dates {
        let want = days.get(date).copied().unwrap_or_default();
        match daily.get(date) {
            Some(d) => check(format!("daily {date} reach"), have(d), want),
            // A day outside the summary's range reads as all zero: a recount of any display
            // there is a mismatch.
            None => check(
                format!("daily {date} reach"),
                (Some(0), Some(0), Some(0)),
                want,
            ),
        }
    }
    out
}

/// The summary of `site` over the days its raw rows span (or the default range when empty).
pub fn summary_for(
    base: &str,
    site: &str,
    token: &str,
    records: &[Value],
) -> Result<Value, String> {
    // An answer's date, or a display's day.
    let dates: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| {
            r["received_at"]
                .as_str()
                .and_then(|s| s.get(..10))
                .or_else(|| r["day"].as_str())
        })
        .collect();
    let query = match (dates.first(), dates.last()) {
        (Some(from), Some(to)) => format!("?from={from}&to={to}"),
        _ => String::new(),
    };
    let r = owner_get(base, &format!("/v1/sites/{site}/summary{query}"), token)?;
    if r.status != 200 {
        return Err(format!("summary of {site}: {} {}", r.status, r.body));
    }
    serde_json::from_str(&r.body).map_err(|e| format!("summary is not JSON ({e})"))
}

/// Audits `site`: `acknowledged` ids must each be stored exactly once; stored ids must be among
/// `sent`; the summary must equal the recount of the export.
pub fn audit(
    base: &str,
    site: &str,
    token: &str,
    acknowledged: &[String],
    sent: &[String],
) -> Result<Audit, String> {
    let records = export_all(base, site, token)?;
    let displays = export_displays(base, site, token)?;
    let mut copies: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &records {
        *copies.entry(r["id"].as_str().unwrap_or("")).or_default() += 1;
    }
    let sent: BTreeSet<&str> = sent.iter().map(String::as_str).collect();
    let every: Vec<Value> = records.iter().chain(&displays).cloned().collect();
    let summary = summary_for(base, site, token, &every)?;
    let mut mismatches = compare(&summary, &records);
    mismatches.extend(compare_reach(&summary, &records, &displays));
    Ok(Audit {
        stored: records.len(),
        duplicates: copies.values().map(|n| n - 1).sum(),
        lost: acknowledged
            .iter()
            .filter(|id| !copies.contains_key(id.as_str()))
            .cloned()
            .collect(),
        unexpected: copies
            .keys()
            .filter(|id| !sent.contains(*id))
            .map(|id| id.to_string())
            .collect(),
        mismatches,
    })
}

/// The summary's `recovery` block recounted from a case list (`GET …/cases?status=all`, every
/// page): the domain's reference over the cases' facts, as JSON. The summary reads rollups;
/// the two must be equal.
pub fn recovery_recount(cases: &[Value], now_ms: i64, sla_hours: u32) -> Value {
    use domain::recovery::{recovery, CaseFacts, CaseStatus};
    let ms = |v: &Value| v.as_str().and_then(domain::calendar::parse_rfc3339_ms);
    let score = |v: &Value| v.as_u64().and_then(|s| u8::try_from(s).ok());
    let facts: Vec<CaseFacts> = cases
        .iter()
        .filter_map(|c| {
            let history = c["history"].as_array()?;
            let first = |status: &str| {
                history
                    .iter()
                    .find(|e| e["status"] == status)
                    .and_then(|e| ms(&e["at"]))
            };
            let opened = ms(&c["received_at"])?;
            Some(CaseFacts {
                opened_at_ms: opened,
                contacted_at_ms: first("contacted"),
                resolved_at_ms: first("resolved"),
                status: CaseStatus::parse(c["status"].as_str()?).ok()?,
                status_since_ms: history.last().and_then(|e| ms(&e["at"])).unwrap_or(opened),
                has_contact: c.get("contact").is_some_and(|v| !v.is_null()),
                kind: domain::Kind::parse(c["kind"].as_str()?).ok()?,
                first_score: score(&c["score"])?,
                follow_up_score: score(&c["follow_up"]["score"]),
            })
        })
        .collect();
    serde_json::to_value(recovery(&facts, now_ms, sla_hours)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(
        id: &str,
        kind: &str,
        score: u64,
        negative: bool,
        touchpoint: &str,
        date: &str,
    ) -> Value {
        json!({"id": id, "kind": kind, "score": score, "negative": negative, "touchpoint": touchpoint, "received_at": format!("{date}T10:00:00.000Z")})
    }

    fn summary() -> Value {
        let zero5 = json!({"1": 0, "2": 0, "3": 0, "4": 0, "5": 0});
        json!({
            "responses": 3, "negative": 1,
            "csat": {"n": 2, "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}},
            "nps": {"n": 0, "promoters": 0, "passives": 0, "detractors": 0, "distribution": {}},
            "ces": {"n": 0, "distribution": {}},
            "stars": {"n": 0, "distribution": zero5},
            "thumbs": {"n": 1, "up": 1, "down": 0},
            "by_touchpoint": {"checkout": {"responses": 2, "negative": 1}, "support": {"responses": 1, "negative": 0}},
            "daily": [{"date": "2026-11-24", "responses": 1, "negative": 1}, {"date": "2026-11-25", "responses": 2, "negative": 0}],
        })
    }

    fn rows() -> Vec<Value> {
        vec![
            record("a", "csat", 2, true, "checkout", "2026-11-24"),
            record("b", "csat", 5, false, "checkout", "2026-11-25"),
            record("c", "thumbs", 1, false, "support", "2026-11-25"),
        ]
    }

    #[test]
    fn a_matching_summary_passes() {
        assert_eq!(compare(&summary(), &rows()), Vec::<String>::new());
    }

    #[test]
    fn every_kind_of_miscount_is_reported() {
        let check = |change: &dyn Fn(&mut Value), what: &str| {
            let mut s = summary();
            change(&mut s);
            let found = compare(&s, &rows());
            assert!(
                found.iter().any(|m| m.starts_with(what)),
                "{what}: {found:?}"
            );
        };
        check(&|s| s["responses"] = json!(4), "responses");
        check(&|s| s["negative"] = json!(0), "negative");
        check(
            &|s| s["csat"]["distribution"]["5"] = json!(2),
            "csat.distribution",
        );
        check(
            &|s| s["csat"]["distribution"]["4"] = json!(1),
            "csat.distribution",
        );
        check(&|s| s["thumbs"]["up"] = json!(0), "thumbs.up");
        check(
            &|s| s["by_touchpoint"]["support"]["responses"] = json!(2),
            "by_touchpoint.support.responses",
        );
        check(
            &|s| s["by_touchpoint"]["billing"] = json!({"responses": 1, "negative": 0}),
            "by_touchpoint.billing.responses",
        );
        check(
            &|s| s["daily"][1]["responses"] = json!(1),
            "daily 2026-11-25 responses",
        );
        check(
            &|s| s["daily"][0]["negative"] = json!(0),
            "daily 2026-11-24 negative",
        );
        check(
            &|s| s["daily"] = json!([{"date": "2026-11-25", "responses": 2, "negative": 0}]),
            "daily: 2026-11-24",
        );
    }

    #[test]
    fn the_reach_is_recounted_from_displays_and_answered_displays() {
        let reach = |shown, dismissed, answered| json!({"shown": shown, "dismissed": dismissed, "answered": answered});
        let mut s = json!({
            "reach": reach(2, 1, 1),
            "by_touchpoint": {"checkout": {"reach": reach(2, 1, 1)}},
            "daily": [{"date": "2026-11-24", "shown": 1, "dismissed": 1, "answered": 0},
                      {"date": "2026-11-25", "shown": 1, "dismissed": 0, "answered": 1}],
        });
        let shown = |id: &str, event: &str, day: &str| json!({"record": "display", "id": id, "event": event, "day": day, "touchpoint": "checkout", "kind": "csat"});
        let displays = [
            shown("d1", "shown", "2026-11-24"),
            shown("d1", "dismissed", "2026-11-24"),
            shown("d2", "shown", "2026-11-25"),
        ];
        let mut answered = record("a", "csat", 5, false, "checkout", "2026-11-25");
        answered["display_id"] = json!("d2");
        let records = [
            answered,
            record("b", "csat", 5, false, "checkout", "2026-11-25"),
        ];
        assert_eq!(compare_reach(&s, &records, &displays), Vec::<String>::new());
        s["daily"][0]["dismissed"] = json!(0);
        s["by_touchpoint"]["checkout"]["reach"]["answered"] = json!(2);
        let found = compare_reach(&s, &records, &displays);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("by_touchpoint.checkout.reach"),
            "{found:?}"
        );
        assert!(found[1].starts_with("daily 2026-11-24 reach"), "{found:?}");
        assert_eq!(compare_reach(&s, &records[1..], &displays[..1]).len(), 3);
    }
}
