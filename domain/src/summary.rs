//! Building the v1 summary from rollup rows.
//!
//! A rollup row counts answers of one score, for one kind, at one touchpoint, on one UTC day.
//! The number of rows is bounded by days × touchpoints × scale points, never by the number of
//! responses, so a summary costs the same at 1k and at 100k responses. Rows from several shards
//! can simply be concatenated: building is a sum.

use crate::calendar::Day;
use crate::display::ReachTally;
use crate::error::{Code, Fault};
use crate::kind::Kind;
use crate::limits::{DEFAULT_SUMMARY_DAYS, MAX_SUMMARY_DAYS, RECENT_COMMENTS};
use crate::metrics::{self, Tallies};
use crate::wire::{Compare, DailyPoint, RecentComment, Summary, TouchpointSummary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One rollup row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRow {
    pub day: Day,
    pub touchpoint: String,
    pub kind: Kind,
    pub score: u8,
    pub count: u64,
}

/// A validated summary query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryQuery {
    pub from: Day,
    pub to: Day,
    pub touchpoint: Option<String>,
    pub kind: Option<Kind>,
    /// `compare=previous`: add the comparison with the previous period of the same length.
    pub compare: bool,
}

/// One reach rollup row: displays shown and dismissed, and answers carrying a display id, for
/// one kind at one touchpoint on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachRow {
    pub day: Day,
    pub touchpoint: String,
    pub kind: Kind,
    pub shown: u64,
    pub dismissed: u64,
    pub answered: u64,
}

impl ReachRow {
    fn tally(&self) -> ReachTally {
        ReachTally {
            shown: self.shown,
            dismissed: self.dismissed,
            answered: self.answered,
        }
    }
}

impl SummaryQuery {
    /// Builds a query from URL parameters (already percent-decoded); `today` is passed in.
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        today: Day,
    ) -> Result<Self, Fault> {
        let (mut from, mut to, mut touchpoint, mut kind) = (None, None, None, None);
        let mut compare = false;
        for (k, v) in params {
            match k {
                "from" => from = Some(Day::parse(v, "from")?),
                "to" => to = Some(Day::parse(v, "to")?),
                "touchpoint" => {
                    crate::ingest::validate_touchpoint(v)
                        .map_err(|f| Fault::at(Code::InvalidQuery, "touchpoint", f.message))?;
                    touchpoint = Some(v.to_string());
                }
                "kind" => {
                    kind = Some(
                        Kind::parse(v)
                            .map_err(|f| Fault::at(Code::InvalidQuery, "kind", f.message))?,
                    )
                }
                "compare" if v == "previous" => compare = true,
                "compare" => {
                    return Err(Fault::at(
                        Code::InvalidQuery,
                        "compare",
                        "compare must be previous",
                    ))
                }
                other => {
                    return Err(Fault::at(
                        Code::InvalidQuery,
                        other.chars().take(64).collect::<String>(),
                        "unknown query parameter (allowed: from, to, touchpoint, kind, compare)",
                    ))
                }
            }
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(Day(to.0 - (DEFAULT_SUMMARY_DAYS - 1)));
        if from > to {
            return Err(Fault::at(
                Code::InvalidQuery,
                "from",
                "from must not be after to",
            ));
        }
        if to.0 - from.0 + 1 > MAX_SUMMARY_DAYS {
            return Err(Fault::at(
                Code::InvalidQuery,
                "from",
                format!("a summary covers at most {MAX_SUMMARY_DAYS} days"),
            ));
        }
        Ok(SummaryQuery {
            from,
            to,
            touchpoint,
            kind,
            compare,
        })
    }

    /// The last [`DEFAULT_SUMMARY_DAYS`] days up to and including `today`: what `parse` gives
    /// without `from` and `to`.
    pub fn recent(today: Day) -> Self {
        SummaryQuery {
            from: Day(today.0 - (DEFAULT_SUMMARY_DAYS - 1)),
            to: today,
            touchpoint: None,
            kind: None,
            compare: false,
        }
    }

    /// The query string (`?from=…&to=…[&touchpoint=…][&kind=…]`) that [`SummaryQuery::parse`]
    /// reads back into this query. Every value is validated and URL-safe, so nothing is escaped.
    pub fn to_query(&self) -> String {
        let mut q = format!("?from={}&to={}", self.from, self.to);
        if let Some(tp) = &self.touchpoint {
            q.push_str("&touchpoint=");
            q.push_str(tp);
        }
        if let Some(k) = self.kind {
            q.push_str("&kind=");
            q.push_str(k.as_str());
        }
        if self.compare {
            q.push_str("&compare=previous");
        }
        q
    }

    /// The previous period: the same number of days, ending the day before `from`.
    pub fn previous(&self) -> (Day, Day) {
        crate::compare::previous_period(self.from, self.to)
    }

    /// The first day whose rows the summary needs (earlier with `compare`).
    pub fn rows_from(&self) -> Day {
        if self.compare {
            self.previous().0
        } else {
            self.from
        }
    }

    pub fn admits(&self, row: &RollupRow) -> bool {
        self.in_period(row.day, &row.touchpoint, row.kind, (self.from, self.to))
    }

    /// Whether a row of `day`, `touchpoint` and `kind` counts in the days `range` (inclusive)
    /// under this query's filters.
    fn in_period(&self, day: Day, touchpoint: &str, kind: Kind, range: (Day, Day)) -> bool {
        day >= range.0
            && day <= range.1
            && self.touchpoint.as_deref().is_none_or(|t| t == touchpoint)
            && self.kind.is_none_or(|k| k == kind)
    }
}

/// Builds the summary for `query` from rollup rows and reach rows (rows outside the query are
/// ignored; with `compare`, rows of the previous period make the comparison) and the newest
/// comments (already merged, newest first).
pub fn build(
    site: &str,
    query: &SummaryQuery,
    rows: &[RollupRow],
    reach_rows: &[ReachRow],
    recent_comments: Vec<RecentComment>,
) -> Summary {
    let period = (query.from, query.to);
    let mut all = Tallies::default();
    let mut by_touchpoint: BTreeMap<&str, (Tallies, ReachTally)> = BTreeMap::new();
    let mut by_day: BTreeMap<Day, (Tallies, ReachTally)> = BTreeMap::new();
    for row in rows.iter().filter(|r| query.admits(r)) {
        all.add(row.kind, row.score, row.count);
        let (tp, day) = (&mut by_touchpoint, &mut by_day);
        tp.entry(&row.touchpoint)
            .or_default()
            .0
            .add(row.kind, row.score, row.count);
        day.entry(row.day)
            .or_default()
            .0
            .add(row.kind, row.score, row.count);
    }
    let mut reach_all = ReachTally::default();
    for row in reach_rows
        .iter()
        .filter(|r| query.in_period(r.day, &r.touchpoint, r.kind, period))
    {
        reach_all.merge(&row.tally());
        by_touchpoint
            .entry(&row.touchpoint)
            .or_default()
            .1
            .merge(&row.tally());
        by_day.entry(row.day).or_default().1.merge(&row.tally());
    }
    let empty = Default::default();
    let daily = (query.from.0..=query.to.0)
        .map(|d| daily_point(Day(d), by_day.get(&Day(d)).unwrap_or(&empty)))
        .collect();
    let by_touchpoint = by_touchpoint
        .into_iter()
        .filter(|(_, (t, r))| t.n() > 0 || r.shown > 0 || r.answered > 0)
        .map(|(name, (t, r))| (name.to_string(), touchpoint_summary(&t, &r)))
        .collect();
    Summary {
        site: site.to_string(),
        from: query.from.to_string(),
        to: query.to.to_string(),
        responses: all.n(),
        negative: all.negative(),
        csat: metrics::csat(all.get(Kind::Csat)),
        nps: metrics::nps(all.get(Kind::Nps)),
        ces: metrics::ces(all.get(Kind::Ces)),
        stars: metrics::stars(all.get(Kind::Stars)),
        thumbs: metrics::thumbs(all.get(Kind::Thumbs)),
        reach: crate::display::reach(&reach_all),
        compare: query
            .compare
            .then(|| compare_previous(query, rows, reach_rows, &all, &reach_all)),
        by_touchpoint,
        daily,
        recent_comments,
        recovery: None,
        themes: Vec::new(),
    }
}

/// The comparison of this period (`now`, `reach_now`) with the previous one, from the same rows.
fn compare_previous(
    query: &SummaryQuery,
    rows: &[RollupRow],
    reach_rows: &[ReachRow],
    now: &Tallies,
    reach_now: &ReachTally,
) -> Compare {
    let before = query.previous();
    let mut then = Tallies::default();
    for r in rows
        .iter()
        .filter(|r| query.in_period(r.day, &r.touchpoint, r.kind, before))
    {
        then.add(r.kind, r.score, r.count);
    }
    let mut reach_then = ReachTally::default();
    for r in reach_rows
        .iter()
        .filter(|r| query.in_period(r.day, &r.touchpoint, r.kind, before))
    {
        reach_then.merge(&r.tally());
    }
    crate::compare::compare(
        before.0,
        before.1,
        now,
        &then,
        Some(reach_now),
        Some(&reach_then),
    )
}

fn daily_point(day: Day, (t, r): &(Tallies, ReachTally)) -> DailyPoint {
    DailyPoint {
        date: day.to_string(),
        responses: t.n(),
        csat: metrics::csat(t.get(Kind::Csat)).score,
        nps: metrics::nps(t.get(Kind::Nps)).score,
        ces_mean: metrics::ces(t.get(Kind::Ces)).mean,
        negative: t.negative(),
        csat_n: t.get(Kind::Csat).n(),
        nps_n: t.get(Kind::Nps).n(),
        shown: r.shown,
        dismissed: r.dismissed,
        answered: r.answered,
    }
}

/// A stored comment as one Durable Object reads it, before the objects' lists are merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredComment {
    pub id: String,
    pub received_at: i64,
    pub touchpoint: String,
    pub kind: String,
    pub score: i64,
    pub comment: String,
}

/// The summary's `recent_comments` from every object's newest comments: newest first (ties by
/// id, so shards merge deterministically), at most [`RECENT_COMMENTS`], rows that are not a
/// stored kind and score left out.
pub fn recent_comments(mut all: Vec<StoredComment>) -> Vec<RecentComment> {
    all.sort_by(|a, b| {
        b.received_at
            .cmp(&a.received_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    all.into_iter()
        .filter_map(|c| {
            let kind = Kind::parse(&c.kind).ok()?;
            let score = u8::try_from(c.score).ok()?;
            Some(RecentComment {
                id: c.id,
                received_at: crate::calendar::rfc3339_ms(c.received_at),
                touchpoint: c.touchpoint,
                kind: c.kind,
                score,
                comment: c.comment,
                negative: kind.is_negative(score),
            })
        })
        .take(RECENT_COMMENTS)
        .collect()
}

fn touchpoint_summary(t: &Tallies, r: &ReachTally) -> TouchpointSummary {
    let has = |k: Kind| t.get(k).n() > 0;
    TouchpointSummary {
        responses: t.n(),
        negative: t.negative(),
        csat: has(Kind::Csat).then(|| metrics::csat(t.get(Kind::Csat))),
        nps: has(Kind::Nps).then(|| metrics::nps(t.get(Kind::Nps))),
        ces: has(Kind::Ces).then(|| metrics::ces(t.get(Kind::Ces))),
        stars: has(Kind::Stars).then(|| metrics::stars(t.get(Kind::Stars))),
        thumbs: has(Kind::Thumbs).then(|| metrics::thumbs(t.get(Kind::Thumbs))),
        reach: (r.shown > 0 || r.answered > 0).then(|| crate::display::reach(r)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: i64, tp: &str, kind: Kind, score: u8, count: u64) -> RollupRow {
        RollupRow {
            day: Day(day),
            touchpoint: tp.into(),
            kind,
            score,
            count,
        }
    }

    #[test]
    fn query_defaults_to_thirty_days_ending_today() {
        let q = SummaryQuery::parse([], Day(20_782)).unwrap();
        assert_eq!((q.from, q.to), (Day(20_753), Day(20_782)));
    }

    #[test]
    fn reach_and_the_previous_period_come_from_the_same_rows() {
        // This period: 11-11..11-20; the previous one: 11-01..11-10 (same length).
        let q = SummaryQuery::parse(
            [
                ("from", "2026-11-11"),
                ("to", "2026-11-20"),
                ("compare", "previous"),
            ],
            Day(20_787),
        )
        .unwrap();
        let rows = vec![
            row(20_770, "checkout", Kind::Csat, 5, 120),
            row(20_770, "checkout", Kind::Csat, 1, 80),
            row(20_760, "checkout", Kind::Csat, 5, 90),
            row(20_760, "checkout", Kind::Csat, 1, 110),
            row(20_700, "checkout", Kind::Csat, 5, 1000), // in neither period
        ];
        let reach = |day, shown, dismissed, answered| ReachRow {
            day: Day(day),
            touchpoint: "checkout".into(),
            kind: Kind::Csat,
            shown,
            dismissed,
            answered,
        };
        let reach_rows = [
            reach(20_770, 10, 3, 4),
            reach(20_760, 5, 0, 5),
            reach(20_700, 100, 0, 0),
        ];
        assert_eq!(q.rows_from(), Day(20_758));
        let s = build("demo", &q, &rows, &reach_rows, vec![]);
        assert_eq!(
            (s.reach.shown, s.reach.answered, s.reach.dismissed),
            (10, 4, 3)
        );
        assert_eq!(
            (s.reach.response_rate, s.reach.dismiss_rate),
            (Some(40.0), Some(30.0))
        );
        assert_eq!(
            s.by_touchpoint["checkout"].reach.as_ref().map(|r| r.shown),
            Some(10)
        );
        let day = &s.daily[9];
        assert_eq!(
            (day.date.as_str(), day.shown, day.dismissed, day.answered),
            ("2026-11-20", 0, 0, 0)
        );
        assert_eq!((s.daily[2].shown, s.daily[2].answered), (10, 4));
        let c = s.compare.expect("compare");
        assert_eq!(
            (c.from.as_str(), c.to.as_str(), c.responses),
            ("2026-11-01", "2026-11-10", 200)
        );
        // 120/200 vs 90/200 satisfied: pooled z = 3.0038, two-sided p = 0.00267.
        assert_eq!((c.csat.score, c.csat.delta), (Some(45.0), Some(15.0)));
        let p = c.csat.p_value.unwrap();
        assert!((p - 0.002_667).abs() < 1e-5, "{p}");
        assert_eq!(c.csat.significant, Some(true));
        assert_eq!(c.response_rate.rate, Some(100.0));
        assert!(c.nps.score.is_none() && c.nps.p_value.is_none());
        // Without `compare` there is no block, and the previous rows change nothing.
        let plain = SummaryQuery {
            compare: false,
            ..q
        };
        let s2 = build("demo", &plain, &rows, &reach_rows, vec![]);
        assert!(s2.compare.is_none());
        assert_eq!((s2.responses, s2.reach), (s.responses, s.reach));
    }

    #[test]
    fn recent_comments_merge_newest_first_and_stop_at_the_limit() {
        let c = |id: &str, at: i64, score: i64| StoredComment {
            id: id.into(),
            received_at: at,
            touchpoint: "checkout".into(),
            kind: "csat".into(),
            score,
            comment: "x".into(),
        };
        let mut all: Vec<StoredComment> = (0..30).map(|i| c(&format!("a{i:02}"), i, 4)).collect();
        all.push(c("b", 29, 1)); // same time as a29: ties go by id, descending
        all.push(StoredComment {
            kind: "ratings".into(),
            ..c("bad", 99, 4)
        }); // not a stored kind: left out
        let merged = recent_comments(all);
        assert_eq!(merged.len(), RECENT_COMMENTS);
        assert_eq!(
            merged
                .iter()
                .take(3)
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["b", "a29", "a28"]
        );
        assert!(merged[0].negative && !merged[1].negative);
        assert_eq!(merged[0].received_at, "1970-01-01T00:00:00.029Z");
    }

    #[test]
    fn query_rejects_bad_parameters() {
        let check = |params: &[(&str, &str)], field: &str| {
            let f = SummaryQuery::parse(params.iter().copied(), Day(20_782)).unwrap_err();
            assert_eq!(
                (f.code, f.field.as_deref()),
                (Code::InvalidQuery, Some(field)),
                "{params:?}"
            );
        };
        check(&[("from", "2026-11-31")], "from");
        check(&[("from", "2026-11-20"), ("to", "2026-11-01")], "from");
        check(&[("from", "2020-01-01"), ("to", "2026-11-01")], "from");
        check(&[("kind", "ratings")], "kind");
        check(&[("touchpoint", "Check Out")], "touchpoint");
        check(&[("limit", "5")], "limit");
    }

    #[test]
    fn summary_counts_filters_and_groups() {
        let q = SummaryQuery::parse([("from", "2026-11-24"), ("to", "2026-11-25")], Day(20_782))
            .unwrap();
        let rows = vec![
            row(20_781, "checkout", Kind::Csat, 5, 3),
            row(20_782, "checkout", Kind::Csat, 1, 1),
            row(20_782, "support", Kind::Nps, 10, 2),
            row(20_765, "checkout", Kind::Csat, 5, 100), // outside the range
        ];
        let s = build("demo", &q, &rows, &[], vec![]);
        assert_eq!((s.responses, s.negative), (6, 1));
        assert_eq!(s.csat.n, 4);
        assert_eq!(s.csat.score, Some(75.0));
        assert_eq!(s.nps.score, Some(100.0));
        assert_eq!(s.by_touchpoint.len(), 2);
        assert_eq!(s.by_touchpoint["checkout"].responses, 4);
        assert!(s.by_touchpoint["checkout"].nps.is_none());
        assert_eq!(s.daily.len(), 2);
        assert_eq!(
            (
                s.daily[0].date.as_str(),
                s.daily[0].responses,
                s.daily[0].csat
            ),
            ("2026-11-24", 3, Some(100.0))
        );
        assert_eq!((s.daily[1].responses, s.daily[1].negative), (3, 1));
        assert_eq!((s.daily[1].csat_n, s.daily[1].nps_n), (1, 2));

        let only_support = SummaryQuery {
            touchpoint: Some("support".into()),
            ..q.clone()
        };
        assert_eq!(
            build("demo", &only_support, &rows, &[], vec![]).responses,
            2
        );
        let only_csat = SummaryQuery {
            kind: Some(Kind::Csat),
            ..q
        };
        assert_eq!(build("demo", &only_csat, &rows, &[], vec![]).responses, 4);
    }
}
