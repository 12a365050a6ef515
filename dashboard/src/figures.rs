//! The figures the page shows, taken from a [`Summary`]: the headline cards, the score
//! distributions and the rows of the per-touchpoint table. Pure, so the page's numbers can be
//! checked against the JSON without a browser.

use crate::format::{interval, one_decimal, two_decimals, NONE};
use domain::limits::LOW_SAMPLE_N;
use domain::wire::{Distribution, Summary, TouchpointSummary};
use domain::Kind;

/// One headline card.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub kind: Kind,
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
}

/// The warning shown on a card with fewer answers than a stable figure needs.
pub fn low_sample_warning() -> String {
    format!("Low sample: fewer than {LOW_SAMPLE_N} answers, read with care.")
}

/// The cards, in the order of the product's kinds.
pub fn headlines(s: &Summary) -> Vec<Headline> {
    vec![
        Headline {
            kind: Kind::Csat,
            title: "CSAT",
            meaning: "Share of 4 and 5 on a 1–5 scale",
            value: one_decimal(s.csat.score),
            unit: "%",
            ci: interval(s.csat.ci95, 1),
            n: s.csat.n,
            low_sample: s.csat.low_sample,
            details: Vec::new(),
        },
        Headline {
            kind: Kind::Nps,
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
        },
        Headline {
            kind: Kind::Ces,
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
        },
        Headline {
            kind: Kind::Stars,
            title: "Stars",
            meaning: "Mean rating on a 1–5 scale",
            value: two_decimals(s.stars.mean),
            unit: "/ 5",
            ci: interval(s.stars.ci95, 2),
            n: s.stars.n,
            low_sample: s.stars.low_sample,
            details: Vec::new(),
        },
        Headline {
            kind: Kind::Thumbs,
            title: "Thumbs",
            meaning: "Share of thumbs up",
            value: one_decimal(s.thumbs.up_pct),
            unit: "%",
            ci: interval(s.thumbs.ci95, 1),
            n: s.thumbs.n,
            low_sample: s.thumbs.low_sample,
            details: vec![format!("{} up · {} down", s.thumbs.up, s.thumbs.down)],
        },
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
    /// CSAT %, NPS, CES mean, stars mean, thumbs % up.
    pub cells: [String; 5],
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
        let kinds: Vec<&str> = h.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["csat", "nps", "ces", "stars", "thumbs"]);
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
                NONE.into()
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
                "66.7% (n 3)".into()
            ]
        );
    }
}
