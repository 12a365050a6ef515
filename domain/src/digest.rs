//! The digest: when it is due (08:00 UTC, every day or every Monday), which days it covers,
//! and its JSON and Slack text, built from a summary of those days (with `compare`) and the
//! number of cases past their SLA.
//!
//! A digest sent at a slot covers the whole UTC days before the slot's day: the day before
//! (daily) or the seven days before (weekly, Monday to Sunday). `GET …/digest` answers the same
//! days at any time of the day, so what the owner reads is what the webhook sends that day.
//! Each sent digest is remembered by its key ([`Due::key`]), so it goes out once per period
//! whatever the alarm does: a slot missed for a whole day is skipped rather than sent late.

use crate::calendar::Day;
use crate::error::{Code, Fault};
use crate::settings::DigestMode;
use crate::summary::SummaryQuery;
use crate::wire::{Compare, Digest, DigestChange, Summary, Theme};
use std::fmt::Write;

/// The hour of the day (UTC) a digest is sent.
pub const SEND_HOUR: i64 = 8;
/// Themes named in the text (the JSON has all of the summary's).
pub const TEXT_THEMES: usize = 3;

const MS_PER_HOUR: i64 = 3_600_000;

/// The days a digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Daily,
    Weekly,
}

impl Period {
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Weekly => "weekly",
        }
    }

    pub const fn days(self) -> i64 {
        match self {
            Period::Daily => 1,
            Period::Weekly => 7,
        }
    }

    /// The `period` query parameter of `GET …/digest`.
    pub fn parse(s: &str) -> Result<Period, Fault> {
        match s {
            "daily" => Ok(Period::Daily),
            "weekly" => Ok(Period::Weekly),
            _ => Err(Fault::at(
                Code::InvalidQuery,
                "period",
                "period must be daily or weekly",
            )),
        }
    }

    /// The period a site's `digest` setting sends (`None` for `off`).
    pub const fn of(mode: DigestMode) -> Option<Period> {
        match mode {
            DigestMode::Off => None,
            DigestMode::Daily => Some(Period::Daily),
            DigestMode::Weekly => Some(Period::Weekly),
        }
    }

    /// The first and last day covered at `now_ms`: the whole days before today.
    pub fn covers(self, now_ms: i64) -> (Day, Day) {
        let to = Day(Day::from_unix_ms(now_ms).0 - 1);
        (Day(to.0 - (self.days() - 1)), to)
    }

    /// The summary query of those days, with the comparison with the days before them.
    pub fn query(self, now_ms: i64) -> SummaryQuery {
        let (from, to) = self.covers(now_ms);
        SummaryQuery {
            from,
            to,
            touchpoint: None,
            kind: None,
            compare: true,
        }
    }

    /// Whether `day` has a slot: every day, or Mondays.
    fn sends_on(self, day: Day) -> bool {
        match self {
            Period::Daily => true,
            // 1970-01-01 was a Thursday: day 4 was a Monday.
            Period::Weekly => (day.0 - 4).rem_euclid(7) == 0,
        }
    }
}

/// A digest due now, and the key it is remembered by once sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub period: Period,
    /// `daily:2026-11-30` / `weekly:2026-11-29`: the period and its last day.
    pub key: String,
}

/// The digest due at `now_ms` under `mode`: on a slot's day from 08:00 UTC until midnight
/// (the caller skips it if its key was sent already).
pub fn due(mode: DigestMode, now_ms: i64) -> Option<Due> {
    let period = Period::of(mode)?;
    let today = Day::from_unix_ms(now_ms);
    let hour = (now_ms - today.start_ms()) / MS_PER_HOUR;
    (period.sends_on(today) && hour >= SEND_HOUR).then(|| Due {
        period,
        key: format!("{}:{}", period.as_str(), period.covers(now_ms).1),
    })
}

/// The next slot strictly after `now_ms` (Unix ms), where the alarm should wake.
pub fn next_slot_ms(mode: DigestMode, now_ms: i64) -> Option<i64> {
    let period = Period::of(mode)?;
    let today = Day::from_unix_ms(now_ms).0;
    (today..=today + 7)
        .map(Day)
        .filter(|d| period.sends_on(*d))
        .map(|d| d.start_ms() + SEND_HOUR * MS_PER_HOUR)
        .find(|&at| at > now_ms)
}

/// The digest of `summary` (built for [`Period::query`]; its `themes` filled in).
pub fn build(period: Period, summary: &Summary, cases_past_sla: u64) -> Digest {
    let compare = summary.compare.clone().unwrap_or_else(|| {
        let (from, to) = crate::compare::previous_period(
            Day::parse(&summary.from, "from").unwrap_or(Day(0)),
            Day::parse(&summary.to, "to").unwrap_or(Day(0)),
        );
        let none = Default::default();
        crate::compare::compare(from, to, &none, &none, None, None)
    });
    let changes = significant_changes(&compare);
    let mut d = Digest {
        event: "digest".into(),
        site: summary.site.clone(),
        period: period.as_str().into(),
        from: summary.from.clone(),
        to: summary.to.clone(),
        text: String::new(),
        responses: summary.responses,
        negative: summary.negative,
        csat: summary.csat.clone(),
        nps: summary.nps.clone(),
        ces: summary.ces.clone(),
        stars: summary.stars.clone(),
        thumbs: summary.thumbs.clone(),
        reach: summary.reach.clone(),
        compare,
        changes,
        cases_past_sla,
        themes: summary.themes.clone(),
    };
    d.text = text(&d);
    d
}

/// The changes with p < 0.05, in headline order.
fn significant_changes(c: &Compare) -> Vec<DigestChange> {
    let rows = [
        (
            "csat",
            c.csat.score,
            c.csat.delta,
            c.csat.p_value,
            c.csat.significant,
        ),
        (
            "nps",
            c.nps.score,
            c.nps.delta,
            c.nps.p_value,
            c.nps.significant,
        ),
        (
            "ces",
            c.ces.mean,
            c.ces.delta,
            c.ces.p_value,
            c.ces.significant,
        ),
        (
            "stars",
            c.stars.mean,
            c.stars.delta,
            c.stars.p_value,
            c.stars.significant,
        ),
        (
            "thumbs",
            c.thumbs.up_pct,
            c.thumbs.delta,
            c.thumbs.p_value,
            c.thumbs.significant,
        ),
        (
            "response_rate",
            c.response_rate.rate,
            c.response_rate.delta,
            c.response_rate.p_value,
            c.response_rate.significant,
        ),
    ];
    rows.into_iter()
        .filter_map(|(metric, previous, delta, p, significant)| {
            let (previous, delta, p_value) = (previous?, delta?, p?);
            significant.filter(|s| *s)?;
            Some(DigestChange {
                metric: metric.into(),
                previous,
                current: round2(previous + delta),
                delta,
                p_value,
            })
        })
        .collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn label(metric: &str) -> &str {
    match metric {
        "csat" => "CSAT",
        "nps" => "NPS",
        "ces" => "CES",
        "stars" => "Stars",
        "thumbs" => "Thumbs up",
        "response_rate" => "Response rate",
        other => other,
    }
}

/// `%` after shares, nothing after means and NPS.
fn unit(metric: &str) -> &'static str {
    match metric {
        "csat" | "thumbs" | "response_rate" => "%",
        _ => "",
    }
}

fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map(|[lo, hi]| format!(" (95% CI {lo}–{hi})"))
        .unwrap_or_default()
}

/// Slack mrkdwn: a bold title line, then one line per part; `•` lists.
fn text(d: &Digest) -> String {
    let mut t = String::new();
    let days = if d.from == d.to {
        d.to.clone()
    } else {
        format!("{} to {}", d.from, d.to)
    };
    let _ = writeln!(t, "*Earshot {} digest for {}* ({days})", d.period, d.site);
    let _ = write!(t, "{} responses, {} negative", d.responses, d.negative);
    if let Some(rate) = d.reach.response_rate {
        let _ = write!(t, ", response rate {rate}%");
    }
    t.push('\n');
    let mut scores = Vec::new();
    if let Some(s) = d.csat.score {
        scores.push(format!("CSAT {s}%{} n={}", interval(d.csat.ci95), d.csat.n));
    }
    if let Some(s) = d.nps.score {
        scores.push(format!("NPS {s}{} n={}", interval(d.nps.ci95), d.nps.n));
    }
    if let Some(m) = d.ces.mean {
        scores.push(format!("CES {m}{} n={}", interval(d.ces.ci95), d.ces.n));
    }
    if let Some(m) = d.stars.mean {
        scores.push(format!(
            "Stars {m}{} n={}",
            interval(d.stars.ci95),
            d.stars.n
        ));
    }
    if let Some(u) = d.thumbs.up_pct {
        scores.push(format!(
            "Thumbs up {u}%{} n={}",
            interval(d.thumbs.ci95),
            d.thumbs.n
        ));
    }
    for s in scores {
        let _ = writeln!(t, "• {s}");
    }
    if d.changes.is_empty() {
        t.push_str("No significant changes vs the previous period.\n");
    } else {
        t.push_str("Significant changes vs the previous period:\n");
        for c in &d.changes {
            let sign = if c.delta > 0.0 { "+" } else { "" };
            let u = unit(&c.metric);
            let _ = writeln!(
                t,
                "• {} {}{u} → {}{u} ({sign}{}, p={:.3})",
                label(&c.metric),
                c.previous,
                c.current,
                c.delta,
                c.p_value
            );
        }
    }
    let _ = writeln!(t, "Cases past SLA: {}", d.cases_past_sla);
    if !d.themes.is_empty() {
        let top: Vec<String> = d.themes.iter().take(TEXT_THEMES).map(theme_text).collect();
        let _ = writeln!(t, "Top themes: {}", top.join(", "));
    }
    t.trim_end().to_string()
}

fn theme_text(th: &Theme) -> String {
    format!(
        "“{}” ({} negative, {} other)",
        th.term, th.negative, th.other
    )
}

/// The start of `day` plus `hours` (for tests and callers that name a slot).
pub fn at_hour(day: Day, hours: i64) -> i64 {
    day.start_ms() + hours * MS_PER_HOUR
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::summary::{build as summary, RollupRow};

    // 2026-11-30 is a Monday.
    fn monday() -> Day {
        Day::from_ymd(2026, 11, 30)
    }

    #[test]
    fn slots_are_08_utc_daily_or_on_mondays() {
        let mon = monday();
        assert_eq!(due(DigestMode::Off, at_hour(mon, 9)), None);
        assert_eq!(due(DigestMode::Daily, at_hour(mon, 7)), None);
        assert_eq!(
            due(DigestMode::Daily, at_hour(mon, 8)).map(|d| d.key),
            Some("daily:2026-11-29".into())
        );
        assert_eq!(
            due(DigestMode::Weekly, at_hour(mon, 23)).map(|d| d.key),
            Some("weekly:2026-11-29".into())
        );
        assert_eq!(due(DigestMode::Weekly, at_hour(Day(mon.0 + 1), 9)), None);
        assert_eq!(
            Period::Weekly.covers(at_hour(mon, 8)),
            (Day(mon.0 - 7), Day(mon.0 - 1))
        );
        assert_eq!(
            next_slot_ms(DigestMode::Daily, at_hour(mon, 7)),
            Some(at_hour(mon, 8))
        );
        assert_eq!(
            next_slot_ms(DigestMode::Daily, at_hour(mon, 8)),
            Some(at_hour(Day(mon.0 + 1), 8))
        );
        assert_eq!(
            next_slot_ms(DigestMode::Weekly, at_hour(mon, 9)),
            Some(at_hour(Day(mon.0 + 7), 8))
        );
        assert_eq!(next_slot_ms(DigestMode::Off, 0), None);
        assert!(Period::parse("hourly").is_err_and(|f| f.field.as_deref() == Some("period")));
    }

    fn rows(day: Day, scores: &[(u8, u64)]) -> Vec<RollupRow> {
        scores
            .iter()
            .map(|&(score, count)| RollupRow {
                day,
                touchpoint: "checkout".into(),
                kind: Kind::Csat,
                score,
                count,
            })
            .collect()
    }

    #[test]
    fn digest_json_and_text() {
        let now = at_hour(monday(), 8);
        let q = Period::Daily.query(now);
        let mut all = rows(q.to, &[(5, 30), (1, 10)]);
        all.extend(rows(Day(q.to.0 - 1), &[(5, 40)]));
        let mut s = summary("shop", &q, &all, &[], Vec::new());
        s.themes = vec![Theme {
            term: "late delivery".into(),
            negative: 6,
            other: 0,
            q_value: 0.0012,
        }];
        let d = build(Period::Daily, &s, 2);
        assert_eq!(
            (d.from.as_str(), d.to.as_str()),
            ("2026-11-29", "2026-11-29")
        );
        assert_eq!((d.responses, d.negative, d.cases_past_sla), (40, 10, 2));
        assert_eq!(d.compare.from, "2026-11-28");
        assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
        let c = &d.changes[0];
        assert_eq!(
            (c.metric.as_str(), c.previous, c.current, c.delta),
            ("csat", 100.0, 75.0, -25.0)
        );
        assert!(c.p_value < 0.05);
        assert_eq!(
            d.text,
            format!(
                "*Earshot daily digest for shop* (2026-11-29)\n\
                 40 responses, 10 negative\n\
                 • CSAT 75%{} n=40\n\
                 Significant changes vs the previous period:\n\
                 • CSAT 100% → 75% (-25, p={:.3})\n\
                 Cases past SLA: 2\n\
                 Top themes: “late delivery” (6 negative, 0 other)",
                interval(d.csat.ci95),
                c.p_value
            )
        );
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["event"], "digest");
        assert_eq!(v["themes"][0]["term"], "late delivery");
        assert_eq!(v["csat"]["score"], 75.0);
    }

    #[test]
    fn a_quiet_period_says_so() {
        let now = at_hour(monday(), 8);
        let q = Period::Weekly.query(now);
        let s = summary("shop", &q, &[], &[], Vec::new());
        let d = build(Period::Weekly, &s, 0);
        assert!(d.changes.is_empty());
        assert_eq!(
            d.text,
            "*Earshot weekly digest for shop* (2026-11-23 to 2026-11-29)\n\
             0 responses, 0 negative\n\
             No significant changes vs the previous period.\n\
             Cases past SLA: 0"
        );
    }
}
