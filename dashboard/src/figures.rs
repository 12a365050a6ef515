//! The figures the page shows, taken from a [`Summary`]: the headline cards, the score
//! distributions and the rows of the per-touchpoint table. Pure, so the page's numbers can be
//! checked against the JSON without a browser.

use crate::format::{interval, one_decimal, signed, two_decimals, NONE};
use domain::calendar::parse_rfc3339_ms;
use domain::limits::LOW_SAMPLE_N;
use domain::wire::{
    CaseView, Compare, Distribution, Reach, RecentComment, Recovery, Summary, TouchpointSummary,
};
use domain::Kind;

/// One headline card.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// The kind's name (`csat`, …), or `reach` for the response-rate card.
    pub key: &'static str,
    pub title: &'static str,
    /// What the number is.
    pub meaning: &'static str,
    pub value: String,
    pub unit: &'static str,
    /// The 95% interval's ends, formatted like the value.
    pub ci: Option<(String, String)>,
    pub n: u64,
    pub low_sample: bool,
    /// Secondary figures (CES % agree, NPS groups, thumbs counts).
    pub details: Vec<String>,
    /// Against the previous period, when the summary has `compare`.
    pub change: Option<Change>,
}

/// One card's "vs previous period" line: the change, its p-value and whether it is significant.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub text: String,
    /// `Some(true)`: significant (p < 0.05); `Some(false)`: not; `None`: nothing to compare.
    pub significant: Option<bool>,
    /// The sign of the change, for the marker: up or down.
    pub up: bool,
}

/// A p-value as people read it: `p < 0.001`, `p = 0.003`, `p = 0.041`, `p = 0.41`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else if p < 0.1 {
        format!("p = {p:.3}")
    } else {
        format!("p = {p:.2}")
    }
}

/// The "vs previous period" line from the previous value, the change and its test; `unit`
/// follows the delta (`points`, or nothing for means).
fn change(
    c: &Compare,
    previous: Option<String>,
    delta: Option<f64>,
    decimals: usize,
    unit: &str,
    p: Option<f64>,
    significant: Option<bool>,
) -> Change {
    let since = format!("vs {} to {}", c.from, c.to);
    match (previous, delta, p, significant) {
        (Some(prev), Some(d), Some(p), Some(sig)) => Change {
            text: format!(
                "{since} ({prev}): {}{unit}, {}, {}",
                signed(d, decimals),
                p_text(p),
                if sig {
                    "significant"
                } else {
                    "not significant"
                }
            ),
            significant: Some(sig),
            up: d > 0.0,
        },
        _ => Change {
            text: format!("{since}: no data to compare"),
            significant: None,
            up: false,
        },
    }
}

/// The warning shown on a card with fewer answers than a stable figure needs.
pub fn low_sample_warning() -> String {
    format!("Low sample: fewer than {LOW_SAMPLE_N} answers, read with care.")
}

/// The cards, in the order of the product's kinds.
pub fn headlines(s: &Summary) -> Vec<Headline> {
    let cmp = s.compare.as_ref();
    vec![
        Headline {
            key: Kind::Csat.as_str(),
            title: "CSAT",
            meaning: "Share of 4 and 5 on a 1–5 scale",
            value: one_decimal(s.csat.score),
            unit: "%",
            ci: interval(s.csat.ci95, 1),
            n: s.csat.n,
            low_sample: s.csat.low_sample,
            details: Vec::new(),
            change: cmp.map(|c| {
                let x = &c.csat;
                let prev = x.score.map(|v| format!("{}%", one_decimal(Some(v))));
                change(c, prev, x.delta, 1, " points", x.p_value, x.significant)
            }),
        },
        Headline {
            key: Kind::Nps.as_str(),
            title: "NPS",
            meaning: "% promoters (9–10) − % detractors (0–6)",
            value: one_decimal(s.nps.score),
            unit: "",
            ci: interval(s.nps.ci95, 1),
            n: s.nps.n,
            low_sample: s.nps.low_sample,
            details: vec![format!(
                "{} promoters · {} passives · {} detractors",
                s.nps.promoters, s.nps.passives, s.nps.detractors
            )],
            change: cmp.map(|c| {
                let x = &c.nps;
                let prev = x.score.map(|v| one_decimal(Some(v)));
                change(c, prev, x.delta, 1, " points", x.p_value, x.significant)
            }),
        },
        Headline {
            key: Kind::Ces.as_str(),
            title: "CES",
            meaning: "Mean ease on a 1–7 scale",
            value: two_decimals(s.ces.mean),
            unit: "/ 7",
            ci: interval(s.ces.ci95, 2),
            n: s.ces.n,
            low_sample: s.ces.low_sample,
            details: vec![match interval(s.ces.agree_ci95, 1) {
                Some((lo, hi)) => format!(
                    "{}% agree (5–7), 95% interval {lo}–{hi}%",
                    one_decimal(s.ces.agree_pct)
                ),
                None => format!("{NONE} agree (5–7)"),
            }],
            change: cmp.map(|c| {
                let x = &c.ces;
                let prev = x.mean.map(|v| two_decimals(Some(v)));
                change(c, prev, x.delta, 2, "", x.p_value, x.significant)
            }),
        },
        Headline {
            key: Kind::Stars.as_str(),
            title: "Stars",
            meaning: "Mean rating on a 1–5 scale",
            value: two_decimals(s.stars.mean),
            unit: "/ 5",
            ci: interval(s.stars.ci95, 2),
            n: s.stars.n,
            low_sample: s.stars.low_sample,
            details: Vec::new(),
            change: cmp.map(|c| {
                let x = &c.stars;
                let prev = x.mean.map(|v| two_decimals(Some(v)));
                change(c, prev, x.delta, 2, "", x.p_value, x.significant)
            }),
        },
        Headline {
            key: Kind::Thumbs.as_str(),
            title: "Thumbs",
            meaning: "Share of thumbs up",
            value: one_decimal(s.thumbs.up_pct),
            unit: "%",
            ci: interval(s.thumbs.ci95, 1),
            n: s.thumbs.n,
            low_sample: s.thumbs.low_sample,
            details: vec![format!("{} up · {} down", s.thumbs.up, s.thumbs.down)],
            change: cmp.map(|c| {
                let x = &c.thumbs;
                let prev = x.up_pct.map(|v| format!("{}%", one_decimal(Some(v))));
                change(c, prev, x.delta, 1, " points", x.p_value, x.significant)
            }),
        },
        reach_headline(&s.reach, cmp),
    ]
}

/// The response-rate card: % of shown prompts answered, with the dismiss rate beside it.
fn reach_headline(r: &Reach, cmp: Option<&Compare>) -> Headline {
    let dismiss = match interval(r.dismiss_rate_ci95, 1) {
        Some((lo, hi)) => format!(
            "Dismiss rate {}%, 95% interval {lo}–{hi}%",
            one_decimal(r.dismiss_rate)
        ),
        None => format!("Dismiss rate {NONE}"),
    };
    Headline {
        key: "reach",
        title: "Response rate",
        meaning: "Share of shown prompts that were answered",
        value: one_decimal(r.response_rate),
        unit: "%",
        ci: interval(r.response_rate_ci95, 1),
        n: r.shown,
        low_sample: r.shown < LOW_SAMPLE_N,
        details: vec![
            format!(
                "{} shown · {} answered · {} dismissed",
                r.shown, r.answered, r.dismissed
            ),
            dismiss,
        ],
        change: cmp.map(|c| {
            let x = &c.response_rate;
            let prev = x.rate.map(|v| format!("{}%", one_decimal(Some(v))));
            change(c, prev, x.delta, 1, " points", x.p_value, x.significant)
        }),
    }
}

/// The recovery card's rows: what was done about the period's cases and whether it worked.
pub fn recovery_rows(r: &Recovery) -> Vec<(&'static str, String)> {
    let hours = |h: Option<f64>| h.map_or_else(|| NONE.to_string(), |v| format!("{v:.1} h"));
    let pct = |x: Option<f64>| x.map_or_else(|| NONE.to_string(), |v| format!("{v:.1}%"));
    let rate = match interval(r.recovery_rate_ci95, 1) {
        Some((lo, hi)) => format!("{} (95% interval {lo}–{hi}%)", pct(r.recovery_rate)),
        None => pct(r.recovery_rate),
    };
    vec![
        (
            "Cases",
            format!(
                "{} ({} open · {} contacted · {} resolved)",
                r.cases, r.open, r.contacted, r.resolved
            ),
        ),
        ("With contact details", r.with_contact.to_string()),
        ("Past SLA now", r.past_sla.to_string()),
        (
            "Time to contact",
            format!(
                "median {} · p90 {}",
                hours(r.time_to_contact_hours.median),
                hours(r.time_to_contact_hours.p90)
            ),
        ),
        (
            "Time to resolve",
            format!(
                "median {} · p90 {}",
                hours(r.time_to_resolve_hours.median),
                hours(r.time_to_resolve_hours.p90)
            ),
        ),
        ("First response within SLA", pct(r.within_sla_pct)),
        (
            "Followed up",
            format!("{} ({} recovered)", r.followed_up, r.recovered),
        ),
        ("Recovery rate", rate),
        (
            "Lift (follow-up − first score)",
            r.lift.map_or_else(|| NONE.to_string(), |v| signed(v, 2)),
        ),
    ]
}

/// Answers per point of the kind's scale, lowest first, every point present.
pub fn distribution(kind: Kind, s: &Summary) -> Vec<(u8, u64)> {
    let from_map = |d: &Distribution| {
        kind.scale()
            .points()
            .map(|p| (p, d.get(&p).copied().unwrap_or(0)))
            .collect()
    };
    match kind {
        Kind::Csat => from_map(&s.csat.distribution),
        Kind::Nps => from_map(&s.nps.distribution),
        Kind::Ces => from_map(&s.ces.distribution),
        Kind::Stars => from_map(&s.stars.distribution),
        Kind::Thumbs => vec![(0, s.thumbs.down), (1, s.thumbs.up)],
    }
}

/// How many answers a kind has.
pub fn count(kind: Kind, s: &Summary) -> u64 {
    match kind {
        Kind::Csat => s.csat.n,
        Kind::Nps => s.nps.n,
        Kind::Ces => s.ces.n,
        Kind::Stars => s.stars.n,
        Kind::Thumbs => s.thumbs.n,
    }
}

/// The name of a scale point on an axis.
pub fn point_label(kind: Kind, p: u8) -> String {
    match (kind, p) {
        (Kind::Thumbs, 0) => "down".into(),
        (Kind::Thumbs, _) => "up".into(),
        _ => p.to_string(),
    }
}

/// One row of the per-touchpoint table: each metric as `value (n)` or a dash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchpointRow {
    pub touchpoint: String,
    pub responses: u64,
    pub negative: u64,
    /// CSAT %, NPS, CES mean, stars mean, thumbs % up, response rate.
    pub cells: [String; 6],
}

fn cell(value: Option<String>, n: Option<u64>) -> String {
    match (value, n) {
        (Some(v), Some(n)) if n > 0 => format!("{v} (n {n})"),
        _ => NONE.to_string(),
    }
}

pub fn touchpoint_row(name: &str, t: &TouchpointSummary) -> TouchpointRow {
    TouchpointRow {
        touchpoint: name.to_string(),
        responses: t.responses,
        negative: t.negative,
        cells: [
            cell(
                t.csat
                    .as_ref()
                    .map(|m| format!("{}%", one_decimal(m.score))),
                t.csat.as_ref().map(|m| m.n),
            ),
            cell(
                t.nps.as_ref().map(|m| one_decimal(m.score)),
                t.nps.as_ref().map(|m| m.n),
            ),
            cell(
                t.ces.as_ref().map(|m| two_decimals(m.mean)),
                t.ces.as_ref().map(|m| m.n),
            ),
            cell(
                t.stars.as_ref().map(|m| two_decimals(m.mean)),
                t.stars.as_ref().map(|m| m.n),
            ),
            cell(
                t.thumbs
                    .as_ref()
                    .map(|m| format!("{}%", one_decimal(m.up_pct))),
                t.thumbs.as_ref().map(|m| m.n),
            ),
            match &t.reach {
                Some(r) if r.shown > 0 => format!(
                    "{}% ({} of {})",
                    one_decimal(r.response_rate),
                    r.answered,
                    r.shown
                ),
                _ => NONE.to_string(),
            },
        ],
    }
}

/// The table's rows, busiest touchpoint first.
pub fn touchpoint_rows(s: &Summary) -> Vec<TouchpointRow> {
    let mut rows: Vec<TouchpointRow> = s
        .by_touchpoint
        .iter()
        .map(|(name, t)| touchpoint_row(name, t))
        .collect();
    rows.sort_by(|a, b| {
        b.responses
            .cmp(&a.responses)
            .then_with(|| a.touchpoint.cmp(&b.touchpoint))
    });
    rows
}

/// The comments that contain `term` (case-folded, as themes are), newest first as given.
pub fn matching_comments(comments: &[RecentComment], term: &str) -> Vec<RecentComment> {
    let term = term.to_lowercase();
    comments
        .iter()
        .filter(|c| c.comment.to_lowercase().contains(&term))
        .cloned()
        .collect()
}

/// Where a case stands against the clock: its age and its SLA state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseClock {
    /// `5 h old`, `3 d old`.
    pub age: String,
    /// `Resolved`, `Past SLA by 6 h`, `12 h left of 48 h`.
    pub sla: String,
    pub past_sla: bool,
}

/// Hours or days, whichever reads better: `0 h`, `23 h`, `2 d`.
fn duration(ms: i64) -> String {
    let hours = ms.max(0) / 3_600_000;
    if hours < 48 {
        format!("{hours} h")
    } else {
        format!("{} d", hours / 24)
    }
}

/// A case's age at `now_ms` and whether it is past the site's SLA: open or contacted longer
/// than `sla_hours` since its last status change (the rule of `domain::recovery`).
pub fn case_clock(c: &CaseView, now_ms: i64, sla_hours: u32) -> CaseClock {
    let opened = parse_rfc3339_ms(&c.received_at).unwrap_or(now_ms);
    let since = c
        .history
        .last()
        .and_then(|e| parse_rfc3339_ms(&e.at))
        .unwrap_or(opened);
    let sla_ms = i64::from(sla_hours) * 3_600_000;
    let waited = now_ms - since;
    let (sla, past_sla) = if c.status == "resolved" {
        ("Resolved".to_string(), false)
    } else if waited > sla_ms {
        (format!("Past SLA by {}", duration(waited - sla_ms)), true)
    } else {
        (
            format!("{} left of {sla_hours} h", duration(sla_ms - waited)),
            false,
        )
    };
    CaseClock {
        age: format!("{} old", duration(now_ms - opened)),
        sla,
        past_sla,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn fixture() -> Summary {
        serde_json::from_str(include_str!("../tests/summary.json")).unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn headlines_show_the_json_numbers() {
        let h = headlines(&fixture());
        let keys: Vec<&str> = h.iter().map(|c| c.key).collect();
        assert_eq!(keys, ["csat", "nps", "ces", "stars", "thumbs", "reach"]);
        assert_eq!(
            (h[0].value.as_str(), h[0].n, h[0].low_sample),
            ("82.5", 40, false)
        );
        assert_eq!(h[0].ci, Some(("68.0".into(), "91.3".into())));
        assert_eq!(
            (h[1].value.as_str(), h[1].ci.clone()),
            ("20.0", Some(("-38.2".into(), "70.1".into())))
        );
        assert!(h[1].low_sample);
        assert_eq!(h[1].details, ["2 promoters · 2 passives · 1 detractors"]);
        assert_eq!(
            (h[2].value.as_str(), h[2].ci.clone()),
            ("5.25", Some(("3.73".into(), "6.77".into())))
        );
        assert_eq!(h[2].details, ["75.0% agree (5–7), 95% interval 30.1–95.4%"]);
        // No stars answers: a dash, no interval.
        assert_eq!(
            (h[3].value.as_str(), h[3].ci.clone(), h[3].n),
            (NONE, None, 0)
        );
        assert_eq!(
            (h[4].value.as_str(), h[4].details[0].as_str()),
            ("66.7", "2 up · 1 down")
        );
        assert!(low_sample_warning().contains("30"));
        // The response rate: % of shown, n = shown, the dismiss rate beside it.
        let r = &h[5];
        assert_eq!(
            (r.value.as_str(), r.n, r.low_sample, r.ci.clone()),
            ("43.3", 120, false, Some(("34.8".into(), "52.3".into())))
        );
        assert_eq!(
            r.details,
            [
                "120 shown · 52 answered · 30 dismissed",
                "Dismiss rate 25.0%, 95% interval 18.1–33.5%"
            ]
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn each_card_says_how_it_changed_and_whether_that_is_significant() {
        let h = headlines(&fixture());
        let line = |i: usize| h[i].change.clone().unwrap();
        assert_eq!(
            line(0).text,
            "vs 2026-11-25 to 2026-11-27 (62.5%): +20.0 points, p = 0.002, significant"
        );
        assert_eq!((line(0).significant, line(0).up), (Some(true), true));
        assert_eq!(
            line(1).text,
            "vs 2026-11-25 to 2026-11-27: no data to compare"
        );
        assert_eq!(line(1).significant, None);
        assert_eq!(
            line(2).text,
            "vs 2026-11-25 to 2026-11-27 (5.10): +0.15, p = 0.41, not significant"
        );
        assert_eq!(line(2).significant, Some(false));
        assert_eq!(
            line(5).text,
            "vs 2026-11-25 to 2026-11-27 (38.0%): +5.3 points, p < 0.001, significant"
        );
        // Without `compare`, no line at all.
        let mut s = fixture();
        s.compare = None;
        assert!(headlines(&s).iter().all(|h| h.change.is_none()));
        assert_eq!(p_text(0.0499), "p = 0.050");
        assert_eq!(p_text(0.62), "p = 0.62");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_theme_opens_the_comments_that_contain_it() {
        let comments = fixture().recent_comments;
        let found = matching_comments(&comments, "IMG");
        assert!(
            !found.is_empty()
                && found
                    .iter()
                    .all(|c| c.comment.to_lowercase().contains("img"))
        );
        assert!(matching_comments(&comments, "no such words here").is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_case_knows_its_age_and_its_sla() {
        let case: CaseView = serde_json::from_value(serde_json::json!({
            "id": "0000000a-0000-4000-8000-000000000000",
            "received_at": "2026-11-28T08:00:00.000Z", "touchpoint": "checkout", "kind": "csat",
            "score": 1, "comment": null, "status": "contacted",
            "history": [{"status": "open", "at": "2026-11-28T08:00:00.000Z"},
                        {"status": "contacted", "at": "2026-11-29T08:00:00.000Z"}]
        }))
        .unwrap();
        let at = |s: &str| parse_rfc3339_ms(s).unwrap();
        // The SLA runs from the last change: contacted a day ago, 48 h allowed.
        let c = case_clock(&case, at("2026-11-30T08:00:00Z"), 48);
        assert_eq!(
            (c.age.as_str(), c.sla.as_str(), c.past_sla),
            ("2 d old", "24 h left of 48 h", false)
        );
        let c = case_clock(&case, at("2026-12-01T14:00:00Z"), 48);
        assert_eq!((c.sla.as_str(), c.past_sla), ("Past SLA by 6 h", true));
        let resolved = CaseView {
            status: "resolved".into(),
            ..case
        };
        let c = case_clock(&resolved, at("2026-12-30T00:00:00Z"), 48);
        assert_eq!((c.sla.as_str(), c.past_sla), ("Resolved", false));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn recovery_rows_say_what_was_done() {
        let rows = recovery_rows(fixture().recovery.as_ref().unwrap());
        let get = |k: &str| rows.iter().find(|(n, _)| *n == k).unwrap().1.clone();
        assert_eq!(get("Cases"), "10 (3 open · 2 contacted · 5 resolved)");
        assert_eq!(get("Time to resolve"), "median 26.0 h · p90 70.5 h");
        assert_eq!(get("Recovery rate"), "75.0% (95% interval 30.1–95.4%)");
        assert_eq!(get("Lift (follow-up − first score)"), "+1.75");
        assert_eq!(get("Past SLA now"), "1");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn distributions_have_every_point_of_the_scale() {
        let s = fixture();
        assert_eq!(
            distribution(Kind::Csat, &s),
            vec![(1, 2), (2, 1), (3, 4), (4, 13), (5, 20)]
        );
        let nps = distribution(Kind::Nps, &s);
        assert_eq!(nps.len(), 11);
        assert_eq!((nps[0], nps[3], nps[10]), ((0, 0), (3, 1), (10, 1)));
        assert_eq!(distribution(Kind::Ces, &s).len(), 7);
        assert!(distribution(Kind::Stars, &s).iter().all(|(_, c)| *c == 0));
        assert_eq!(distribution(Kind::Thumbs, &s), vec![(0, 1), (1, 2)]);
        assert_eq!(point_label(Kind::Thumbs, 0), "down");
        assert_eq!(point_label(Kind::Nps, 10), "10");
        assert_eq!(Kind::ALL.map(|k| count(k, &s)), [40, 5, 4, 0, 3]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn touchpoint_rows_busiest_first() {
        let rows = touchpoint_rows(&fixture());
        assert_eq!(rows[0].touchpoint, "checkout");
        assert_eq!(
            rows[0].cells,
            [
                "82.5% (n 40)".to_string(),
                NONE.into(),
                NONE.into(),
                NONE.into(),
                NONE.into(),
                "50.0% (40 of 80)".into()
            ]
        );
        assert_eq!(
            (
                rows[1].touchpoint.as_str(),
                rows[1].responses,
                rows[1].negative
            ),
            ("support-chat", 12, 6)
        );
        assert_eq!(
            rows[1].cells[1..],
            [
                "20.0 (n 5)".to_string(),
                "5.25 (n 4)".into(),
                NONE.into(),
                "66.7% (n 3)".into(),
                NONE.into()
            ]
        );
    }
}
