//! The recovery block from rollups equals the recovery block over the case list: for random
//! cases, after any sequence of changes, and merged across shards.

use domain::calendar::Day;
use domain::case_rollup::{
    bucket, bucket_hours, CaseRollup, CaseTally, Measure, SlaEdge, EXACT_SPREAD_HOURS,
};
use domain::recovery::{recovery, CaseFacts, CaseStatus};
use domain::Kind;
use proptest::prelude::*;
use std::collections::BTreeMap;

const H: i64 = 3_600_000;
const DAY: i64 = 24 * H;
/// Some day in 2026, so the cutoff falls on real day boundaries.
const T0: i64 = 20_400 * DAY;

fn open_case(opened: i64) -> CaseFacts {
    CaseFacts {
        opened_at_ms: opened,
        contacted_at_ms: None,
        resolved_at_ms: None,
        status: CaseStatus::Open,
        status_since_ms: opened,
        has_contact: false,
        kind: Kind::Csat,
        first_score: 1,
        follow_up_score: None,
    }
}

/// A case as the store can hold it: first contact / resolve after opening, the current status
/// since then or later, a follow-up only after a resolve.
fn any_case(max_duration: i64) -> impl Strategy<Value = CaseFacts> {
    (
        0..20 * DAY,
        prop::option::of(0..max_duration),
        prop::option::of(0..max_duration),
        prop::sample::select(CaseStatus::ALL.to_vec()),
        0..10 * DAY,
        prop::sample::select(Kind::ALL.to_vec()),
        any::<u8>(),
        prop::option::of(any::<u8>()),
        any::<bool>(),
    )
        .prop_map(
            |(opened, c, r, status, since, kind, first, follow, contact)| {
                let s = kind.scale();
                let score = |x: u8| s.min + x % (s.max - s.min + 1);
                let opened = T0 + opened;
                // Whatever happened last began the current status.
                let moved = [c, r].into_iter().flatten().max();
                let status = match (status, c, r) {
                    (CaseStatus::Resolved, _, None) | (CaseStatus::Contacted, None, None) => {
                        CaseStatus::Open
                    }
                    (st, _, _) => st,
                };
                let since = match moved {
                    Some(m) => opened + m + since % (DAY / 2),
                    None if status == CaseStatus::Open => opened,
                    None => opened + since,
                };
                CaseFacts {
                    opened_at_ms: opened,
                    contacted_at_ms: c.map(|d| opened + d),
                    resolved_at_ms: r.map(|d| opened + d),
                    status,
                    status_since_ms: since,
                    has_contact: contact,
                    kind,
                    first_score: score(first),
                    follow_up_score: follow.filter(|_| r.is_some()).map(score),
                }
            },
        )
}

fn cases(max_duration: i64) -> impl Strategy<Value = Vec<CaseFacts>> {
    prop::collection::vec(any_case(max_duration), 0..60)
}

/// Now: somewhere from the first case's day to well after the last.
fn now() -> impl Strategy<Value = i64> {
    (0..40 * DAY).prop_map(|d| T0 + d)
}

/// The rollup built the way the store builds it: each case's changes added as they happen.
fn tallied(changes: &[(Option<CaseFacts>, Option<CaseFacts>)]) -> BTreeMap<Day, CaseTally> {
    let mut by_day: BTreeMap<Day, CaseTally> = BTreeMap::new();
    for (before, after) in changes {
        let Some(day) = before.or(*after).map(|c| Day::from_unix_ms(c.opened_at_ms)) else {
            continue;
        };
        by_day
            .entry(day)
            .or_default()
            .add(&CaseTally::change(before.as_ref(), after.as_ref()), 1);
    }
    by_day.retain(|_, t| !t.is_zero());
    by_day
}

fn rollup_of(by_day: &BTreeMap<Day, CaseTally>, edge: SlaEdge) -> CaseRollup {
    let mut r = CaseRollup {
        edge,
        ..CaseRollup::default()
    };
    for (day, t) in by_day {
        r.add_day(*day, &t.counts);
        for ((m, b), n) in &t.buckets {
            r.add_bucket(*m, *b, *n);
        }
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn recovery_from_the_rollup_equals_recovery_over_the_cases(
        cases in cases(EXACT_SPREAD_HOURS * H),
        now in now(),
        sla in prop::sample::select(vec![1u32, 4, 24, 48, 72, 100, 8760]),
    ) {
        let rollup = CaseRollup::recount(&cases, now, sla);
        prop_assert_eq!(rollup.recovery(now, sla), recovery(&cases, now, sla));
    }

    #[test]
    fn changes_add_up_to_the_recount(
        first in cases(EXACT_SPREAD_HOURS * H),
        later in cases(EXACT_SPREAD_HOURS * H),
        erased in prop::collection::vec(any::<bool>(), 60),
        now in now(),
    ) {
        // Each case opened as `first`, then changed to `later` (same opening), then some erased.
        let mut changes = Vec::new();
        let mut kept = Vec::new();
        for (i, (a, b)) in first.iter().zip(&later).enumerate() {
            let b = CaseFacts {
                opened_at_ms: a.opened_at_ms,
                status_since_ms: b.status_since_ms.max(a.opened_at_ms),
                contacted_at_ms: b.contacted_at_ms.map(|t| a.opened_at_ms + (t - b.opened_at_ms)),
                resolved_at_ms: b.resolved_at_ms.map(|t| a.opened_at_ms + (t - b.opened_at_ms)),
                ..*b
            };
            changes.push((None, Some(*a)));
            changes.push((Some(*a), Some(b)));
            if erased[i] {
                changes.push((Some(b), None));
            } else {
                kept.push(b);
            }
        }
        let edge = SlaEdge::of(&kept, now, 48);
        prop_assert_eq!(rollup_of(&tallied(&changes), edge), CaseRollup::recount(&kept, now, 48));
        prop_assert_eq!(
            rollup_of(&tallied(&changes), edge).recovery(now, 48),
            recovery(&kept, now, 48)
        );
    }

    #[test]
    fn shards_merge_by_summing(cases in cases(30 * DAY), split in any::<prop::sample::Index>(), now in now()) {
        let at = split.index(cases.len() + 1);
        let mut merged = CaseRollup::recount(&cases[..at], now, 48);
        merged.merge(&CaseRollup::recount(&cases[at..], now, 48));
        prop_assert_eq!(merged, CaseRollup::recount(&cases, now, 48));
    }

    #[test]
    fn long_durations_are_within_one_percent(cases in cases(400 * DAY), now in now()) {
        let exact = recovery(&cases, now, 48);
        let rolled = CaseRollup::recount(&cases, now, 48).recovery(now, 48);
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= 0.011 * b + 0.05,
            (a, b) => a == b,
        };
        for (a, b) in [
            (rolled.time_to_contact_hours, exact.time_to_contact_hours),
            (rolled.time_to_resolve_hours, exact.time_to_resolve_hours),
        ] {
            prop_assert!(close(a.median, b.median) && close(a.p90, b.p90), "{a:?} vs {b:?}");
        }
        let rest = |r: &domain::wire::Recovery| (r.cases, r.past_sla, r.within_sla_pct, r.lift, r.recovered);
        prop_assert_eq!(rest(&rolled), rest(&exact));
    }

    #[test]
    fn spread_buckets_are_ordered_and_bounded(a in 0i64..1_000 * DAY, b in 0i64..1_000 * DAY) {
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(bucket(lo) <= bucket(hi));
        let hours = hi as f64 / H as f64;
        prop_assert!((bucket_hours(bucket(hi)) - hours).abs() <= 0.01 * hours + 0.05);
    }
}

#[test]
fn within_sla_is_exact_at_the_whole_hour() {
    let sla = 48u32;
    let at = |t: i64| CaseFacts {
        contacted_at_ms: Some(T0 + t),
        status: CaseStatus::Contacted,
        status_since_ms: T0 + t,
        ..open_case(T0)
    };
    let cases = [at(48 * H), at(48 * H + 1), at(47 * H + 1), at(0)];
    let now = T0 + 100 * H;
    let r = CaseRollup::recount(&cases, now, sla).recovery(now, sla);
    assert_eq!(r.within_sla_pct, Some(75.0));
    assert_eq!(r, recovery(&cases, now, sla));
    assert_eq!(Measure::FirstResponse.bucket(48 * H), 48);
    assert_eq!(Measure::FirstResponse.bucket(48 * H + 1), 49);
}

#[test]
fn spread_buckets_are_the_tenths_the_summary_shows_up_to_the_cap() {
    assert_eq!(bucket(0), 0);
    assert_eq!(bucket(H / 20 - 1), 0);
    assert_eq!(bucket(H / 20), 1);
    assert_eq!(bucket(EXACT_SPREAD_HOURS * H), EXACT_SPREAD_HOURS * 10);
    assert_eq!(bucket_hours(bucket(7 * H + H / 4)), 7.3);
    let beyond = bucket(EXACT_SPREAD_HOURS * H + H);
    assert!(beyond > EXACT_SPREAD_HOURS * 10);
    let shown = bucket_hours(beyond);
    assert!((241.0..=241.0 * 1.01).contains(&shown), "{shown}");
}

#[test]
fn past_sla_and_misses_near_the_cutoff_come_from_the_exact_counts() {
    // Cutoff in the middle of a day: cases on either side of it, and an old case moved since.
    let now = T0 + 2 * DAY + 12 * H;
    let sla = 48;
    let (cutoff, day) = SlaEdge::cutoff(now, sla);
    assert_eq!(day, Day::from_unix_ms(T0));
    let moved = CaseFacts {
        status: CaseStatus::Contacted,
        contacted_at_ms: Some(cutoff + H),
        status_since_ms: cutoff + H,
        ..open_case(T0 - DAY)
    };
    let cases = [
        open_case(T0 + H),       // cutoff's day, before it: past and a certain miss
        open_case(cutoff + 1),   // cutoff's day, after it: neither
        open_case(T0 - 3 * DAY), // days before: past and a miss
        moved,                   // days before, moved since: not past, answered in time
        open_case(T0 + DAY + 5), // after the cutoff's day: neither
    ];
    let edge = SlaEdge::of(&cases, now, sla);
    assert_eq!(
        edge,
        SlaEdge {
            moved_since_cutoff: 1,
            past_on_cutoff_day: 1,
            missed_on_cutoff_day: 1
        }
    );
    let r = CaseRollup::recount(&cases, now, sla).recovery(now, sla);
    assert_eq!((r.past_sla, r.within_sla_pct), (2, Some(33.3)));
    assert_eq!(r, recovery(&cases, now, sla));
}
