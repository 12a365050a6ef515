//! The `recovery` block from bounded rollups instead of every case of the period.
//!
//! The store keeps, per opening day × touchpoint × kind, the [`CaseCounts`] of the cases opened
//! that day and histograms of their durations ([`Measure`], bucketed by [`bucket`]). Every write
//! that changes a case adds [`CaseTally::change`] (after − before) in the same transaction, so
//! the rollup always equals [`CaseRollup::recount`] of the stored cases. A summary then reads one
//! row per day plus the buckets in use, whatever the number of cases.
//!
//! Two figures depend on the clock: `past_sla` (open or contacted since before `now − sla`) and
//! the certain misses of `within_sla_pct` (unanswered and opened before `now − sla`). Whole days
//! before the cutoff's day come from the rollup (every unresolved / unanswered case there); the
//! rest is the small exact [`SlaEdge`]: the cases of the cutoff's day, and the older cases whose
//! current status began after the cutoff (moved within the last `sla_hours`).
//!
//! Precision: durations are bucketed by the tenth of an hour the summary shows, so median and
//! p90 are exact up to [`EXACT_SPREAD_HOURS`]; beyond, buckets are log-spaced and the value
//! reported is within 1 % of the exact one. First responses are bucketed by whole hours
//! (rounded up), so `within_sla_pct` is exact for every `sla_hours`.

use crate::calendar::Day;
use crate::limits::MAX_SLA_HOURS;
use crate::metrics::wilson95;
use crate::recovery::{percent, round, CaseFacts, CaseStatus};
use crate::wire::{HoursSpread, Recovery};
use std::collections::BTreeMap;

const MS_PER_HOUR: i64 = 3_600_000;

/// Durations up to this many hours are bucketed by the tenth of an hour (exact to the summary's
/// one decimal); longer ones by 1 % steps.
pub const EXACT_SPREAD_HOURS: i64 = 240;
const EXACT_TENTHS: i64 = EXACT_SPREAD_HOURS * 10;
/// The ratio between consecutive buckets above [`EXACT_SPREAD_HOURS`].
const STEP: f64 = 1.01;

/// Which duration a histogram counts, from the case's opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// To the first `contacted` (`time_to_contact_hours`).
    ToContact,
    /// To the first `resolved` (`time_to_resolve_hours`).
    ToResolve,
    /// To the first response, contacted or resolved (`within_sla_pct`), in whole hours.
    FirstResponse,
}

impl Measure {
    pub const ALL: [Measure; 3] = [
        Measure::ToContact,
        Measure::ToResolve,
        Measure::FirstResponse,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Measure::ToContact => "contact",
            Measure::ToResolve => "resolve",
            Measure::FirstResponse => "first_response",
        }
    }

    pub fn parse(s: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The bucket of a duration: tenths of an hour (log-spaced above the exact range) for the
    /// spreads; whole hours rounded up (capped past the largest SLA) for the first response.
    pub fn bucket(self, ms: i64) -> i64 {
        match self {
            Measure::FirstResponse => {
                let hours = (ms.max(0) as u64).div_ceil(MS_PER_HOUR as u64);
                hours.min(u64::from(MAX_SLA_HOURS) + 1) as i64
            }
            Measure::ToContact | Measure::ToResolve => bucket(ms),
        }
    }
}

/// The spread bucket of a duration (see the module docs).
pub fn bucket(ms: i64) -> i64 {
    // The same arithmetic as the exact spread, so the bucket is its rounded value.
    let tenths = (ms.max(0) as f64 / MS_PER_HOUR as f64 * 10.0).round() as i64;
    if tenths <= EXACT_TENTHS {
        return tenths;
    }
    let steps = ((tenths as f64 / EXACT_TENTHS as f64).ln() / STEP.ln()).ceil() as i64;
    EXACT_TENTHS + steps.max(1)
}

/// The hours a spread bucket stands for: its value in the exact range, else the top of its
/// step rounded to one decimal (within 1 % of every duration in it).
pub fn bucket_hours(b: i64) -> f64 {
    if b <= EXACT_TENTHS {
        return b as f64 / 10.0;
    }
    let tenths = EXACT_TENTHS as f64 * STEP.powi(i32::try_from(b - EXACT_TENTHS).unwrap_or(0));
    round(tenths / 10.0, 10.0)
}

/// The counts of some cases (each may be negative in a change). Its serde form is one field
/// per column ([`CaseCounts::COLUMNS`]), so a `SUM(…) AS column` row reads straight into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseCounts {
    pub cases: i64,
    pub with_contact: i64,
    pub open: i64,
    pub contacted: i64,
    pub resolved: i64,
    /// Never contacted nor resolved (the candidates for a certain SLA miss).
    pub unanswered: i64,
    pub followed_up: i64,
    /// Follow-ups that are not negative.
    pub recovered: i64,
    /// Σ (follow-up score − first score).
    pub lift_sum: i64,
}

impl CaseCounts {
    /// The columns, in the order of [`CaseCounts::COLUMNS`].
    pub fn values(&self) -> [i64; 9] {
        [
            self.cases,
            self.with_contact,
            self.open,
            self.contacted,
            self.resolved,
            self.unanswered,
            self.followed_up,
            self.recovered,
            self.lift_sum,
        ]
    }

    pub const COLUMNS: [&'static str; 9] = [
        "cases",
        "with_contact",
        "open",
        "contacted",
        "resolved",
        "unanswered",
        "followed_up",
        "recovered",
        "lift_sum",
    ];

    pub fn from_values(v: [i64; 9]) -> CaseCounts {
        let [cases, with_contact, open, contacted, resolved, unanswered, followed_up, recovered, lift_sum] =
            v;
        CaseCounts {
            cases,
            with_contact,
            open,
            contacted,
            resolved,
            unanswered,
            followed_up,
            recovered,
            lift_sum,
        }
    }

    /// `self + sign · other`.
    pub fn add(&mut self, other: &CaseCounts, sign: i64) {
        let mut v = self.values();
        for (a, b) in v.iter_mut().zip(other.values()) {
            *a += sign * b;
        }
        *self = CaseCounts::from_values(v);
    }

    /// Still open or contacted.
    fn unresolved(&self) -> i64 {
        self.open + self.contacted
    }
}

/// What one case (or a change to one) adds to the rollup row of its opening day × touchpoint ×
/// kind: counts and histogram buckets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseTally {
    pub counts: CaseCounts,
    pub buckets: BTreeMap<(Measure, i64), i64>,
}

impl CaseTally {
    /// One case's part.
    pub fn of(c: &CaseFacts) -> CaseTally {
        let mut t = CaseTally::default();
        let n = &mut t.counts;
        n.cases = 1;
        n.with_contact = i64::from(c.has_contact);
        match c.status {
            CaseStatus::Open => n.open = 1,
            CaseStatus::Contacted => n.contacted = 1,
            CaseStatus::Resolved => n.resolved = 1,
        }
        n.unanswered = i64::from(c.first_response_ms().is_none());
        if let Some(s) = c.follow_up_score {
            n.followed_up = 1;
            n.recovered = i64::from(!c.kind.is_negative(s));
            n.lift_sum = i64::from(s) - i64::from(c.first_score);
        }
        let durations = [
            (Measure::ToContact, c.contacted_at_ms),
            (Measure::ToResolve, c.resolved_at_ms),
            (Measure::FirstResponse, c.first_response_ms()),
        ];
        for (m, at) in durations {
            if let Some(at) = at {
                t.buckets.insert((m, m.bucket(at - c.opened_at_ms)), 1);
            }
        }
        t
    }

    /// What a change to one case adds: its part after minus its part before (`None`: not
    /// stored, or not a case the summary counts).
    pub fn change(before: Option<&CaseFacts>, after: Option<&CaseFacts>) -> CaseTally {
        let mut t = after.map(CaseTally::of).unwrap_or_default();
        if let Some(b) = before {
            t.add(&CaseTally::of(b), -1);
        }
        t
    }

    /// `self + sign · other`; buckets that reach zero are dropped.
    pub fn add(&mut self, other: &CaseTally, sign: i64) {
        self.counts.add(&other.counts, sign);
        for (k, n) in &other.buckets {
            let e = self.buckets.entry(*k).or_insert(0);
            *e += sign * n;
            if *e == 0 {
                self.buckets.remove(k);
            }
        }
    }

    pub fn is_zero(&self) -> bool {
        self.counts == CaseCounts::default() && self.buckets.is_empty()
    }
}

/// The exact counts near the SLA cutoff (`now − sla_hours`) that the rollup cannot give. All
/// over the cases opened in the period (its filters applied).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaEdge {
    /// Opened before the cutoff's day, open or contacted, in that status since the cutoff or
    /// later.
    pub moved_since_cutoff: u64,
    /// Opened on the cutoff's day, open or contacted since before the cutoff.
    pub past_on_cutoff_day: u64,
    /// Opened on the cutoff's day before the cutoff, never contacted nor resolved.
    pub missed_on_cutoff_day: u64,
}

impl SlaEdge {
    /// The cutoff (Unix ms) and its day.
    pub fn cutoff(now_ms: i64, sla_hours: u32) -> (i64, Day) {
        let cutoff = now_ms - i64::from(sla_hours) * MS_PER_HOUR;
        (cutoff, Day::from_unix_ms(cutoff))
    }

    /// What the store's exact queries count, from the case list (the reference for them).
    pub fn of(cases: &[CaseFacts], now_ms: i64, sla_hours: u32) -> SlaEdge {
        let (cutoff, cutoff_day) = SlaEdge::cutoff(now_ms, sla_hours);
        let mut e = SlaEdge::default();
        for c in cases {
            let day = Day::from_unix_ms(c.opened_at_ms);
            let unresolved = c.status != CaseStatus::Resolved;
            if day < cutoff_day && unresolved && c.status_since_ms >= cutoff {
                e.moved_since_cutoff += 1;
            }
            if day == cutoff_day && unresolved && c.status_since_ms < cutoff {
                e.past_on_cutoff_day += 1;
            }
            if day == cutoff_day && c.first_response_ms().is_none() && c.opened_at_ms < cutoff {
                e.missed_on_cutoff_day += 1;
            }
        }
        e
    }

    /// Sum (merging shards).
    pub fn add(&mut self, other: &SlaEdge) {
        self.moved_since_cutoff += other.moved_since_cutoff;
        self.past_on_cutoff_day += other.past_on_cutoff_day;
        self.missed_on_cutoff_day += other.missed_on_cutoff_day;
    }
}

/// The rollup of the cases opened in a period: counts per opening day, the histograms, and the
/// exact counts near the SLA cutoff. Shards' rollups merge by summing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseRollup {
    pub days: BTreeMap<Day, CaseCounts>,
    pub buckets: BTreeMap<(Measure, i64), i64>,
    pub edge: SlaEdge,
}

impl CaseRollup {
    pub fn add_day(&mut self, day: Day, counts: &CaseCounts) {
        self.days.entry(day).or_default().add(counts, 1);
    }

    pub fn add_bucket(&mut self, measure: Measure, bucket: i64, n: i64) {
        *self.buckets.entry((measure, bucket)).or_insert(0) += n;
    }

    /// Merge another object's rollup of the same period (sums).
    pub fn merge(&mut self, other: &CaseRollup) {
        for (day, counts) in &other.days {
            self.add_day(*day, counts);
        }
        for ((m, b), n) in &other.buckets {
            self.add_bucket(*m, *b, *n);
        }
        self.edge.add(&other.edge);
    }

    /// What the store holds for `cases` (those opened in the period) at `now_ms`: the
    /// reference the rollup must equal.
    pub fn recount(cases: &[CaseFacts], now_ms: i64, sla_hours: u32) -> CaseRollup {
        let mut r = CaseRollup::default();
        for c in cases {
            let t = CaseTally::of(c);
            r.add_day(Day::from_unix_ms(c.opened_at_ms), &t.counts);
            for ((m, b), n) in t.buckets {
                r.add_bucket(m, b, n);
            }
        }
        r.edge = SlaEdge::of(cases, now_ms, sla_hours);
        r
    }

    /// The `recovery` block (equal to [`crate::recovery::recovery`] over the cases, to the
    /// precision in the module docs).
    pub fn recovery(&self, now_ms: i64, sla_hours: u32) -> Recovery {
        let (_, cutoff_day) = SlaEdge::cutoff(now_ms, sla_hours);
        let mut all = CaseCounts::default();
        let mut before = CaseCounts::default();
        for (day, counts) in &self.days {
            all.add(counts, 1);
            if *day < cutoff_day {
                before.add(counts, 1);
            }
        }
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        let past_sla = count(before.unresolved()) + self.edge.past_on_cutoff_day;
        let past_sla = past_sla.saturating_sub(self.edge.moved_since_cutoff);
        let certain_misses = count(before.unanswered) + self.edge.missed_on_cutoff_day;
        let (answered, within) = self
            .histogram(Measure::FirstResponse)
            .fold((0, 0), |(n, w), (b, k)| {
                (n + k, w + if b <= i64::from(sla_hours) { k } else { 0 })
            });
        let (followed_up, recovered) = (count(all.followed_up), count(all.recovered));
        Recovery {
            cases: count(all.cases),
            with_contact: count(all.with_contact),
            open: count(all.open),
            contacted: count(all.contacted),
            resolved: count(all.resolved),
            past_sla,
            time_to_contact_hours: self.spread(Measure::ToContact),
            time_to_resolve_hours: self.spread(Measure::ToResolve),
            within_sla_pct: percent(within, answered + certain_misses),
            followed_up,
            recovered,
            recovery_rate: percent(recovered, followed_up),
            recovery_rate_ci95: wilson95(recovered, followed_up),
            lift: (followed_up > 0).then(|| round(all.lift_sum as f64 / followed_up as f64, 100.0)),
        }
    }

    /// (bucket, count) of one measure, in bucket order.
    fn histogram(&self, m: Measure) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.buckets
            .range((m, i64::MIN)..=(m, i64::MAX))
            .map(|((_, b), n)| (*b, u64::try_from(*n).unwrap_or_default()))
    }

    /// Median and p90 by the nearest rank, as [`crate::recovery::nearest_rank`] over the list.
    fn spread(&self, m: Measure) -> HoursSpread {
        let total: u64 = self.histogram(m).map(|(_, n)| n).sum();
        let at = |pct: u64| {
            let rank = (pct * total).div_ceil(100).max(1);
            let mut seen = 0;
            self.histogram(m).find_map(|(b, n)| {
                seen += n;
                (seen >= rank).then(|| bucket_hours(b))
            })
        };
        HoursSpread {
            median: at(50),
            p90: at(90),
        }
    }
}
