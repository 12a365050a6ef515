//! `touchpoint.spike`: whether a touchpoint's negative share over the last 24 hours is
//! significantly above its previous [`SPIKE_BASELINE_DAYS`] days, and whether to send it today.
//!
//! The test is the pooled one-sided two-proportion z-test: with x₁/n₁ negative answers in the
//! last 24 h and x₂/n₂ in the baseline, p̂ = (x₁+x₂)/(n₁+n₂) and
//! z = (x₁/n₁ − x₂/n₂) / √(p̂(1−p̂)(1/n₁ + 1/n₂)). It fires when z > [`SPIKE_MIN_Z`] and
//! x₁ ≥ [`SPIKE_MIN_NEGATIVE`]: the count floor keeps a quiet touchpoint (two bad answers after
//! a silent month) from paging anyone, whatever its z.
//!
//! An empty baseline (n₂ = 0, a new touchpoint) never fires: there is nothing to be above, and
//! each negative answer already raises its own `response.negative` alert. Nor does a baseline
//! that is entirely negative (nothing can be above it) or inconsistent counts (x > n).

use crate::calendar::{Day, MS_PER_DAY};
use crate::limits::{SPIKE_BASELINE_DAYS, SPIKE_MIN_NEGATIVE, SPIKE_MIN_Z};
use crate::stats::normal_upper_tail;

/// A detected spike, with the numbers an alert shows (unrounded; shares in %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spike {
    pub z: f64,
    /// One-sided p-value of `z`.
    pub p_value: f64,
    pub recent_negative: u64,
    pub recent_n: u64,
    pub recent_pct: f64,
    pub baseline_negative: u64,
    pub baseline_n: u64,
    pub baseline_pct: f64,
}

/// The pooled one-sided z of the recent share over the baseline share; `None` when it is
/// undefined (an empty side, or p̂ of 0 or 1, where both shares are equal anyway).
pub fn z_score(recent_neg: u64, recent_n: u64, base_neg: u64, base_n: u64) -> Option<f64> {
    if recent_n == 0 || base_n == 0 || recent_neg > recent_n || base_neg > base_n {
        return None;
    }
    let (n1, n2) = (recent_n as f64, base_n as f64);
    let pooled = (recent_neg + base_neg) as f64 / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    (se > 0.0).then(|| (recent_neg as f64 / n1 - base_neg as f64 / n2) / se)
}

/// The spike decision for one touchpoint: `Some` when the alert should fire.
pub fn spike(last24_neg: u64, last24_n: u64, base_neg: u64, base_n: u64) -> Option<Spike> {
    let z = z_score(last24_neg, last24_n, base_neg, base_n)?;
    (z > SPIKE_MIN_Z && last24_neg >= SPIKE_MIN_NEGATIVE).then(|| Spike {
        z,
        p_value: normal_upper_tail(z),
        recent_negative: last24_neg,
        recent_n: last24_n,
        recent_pct: last24_neg as f64 * 100.0 / last24_n as f64,
        baseline_negative: base_neg,
        baseline_n: base_n,
        baseline_pct: base_neg as f64 * 100.0 / base_n as f64,
    })
}

/// At most one spike alert per touchpoint per UTC day: send unless one went out today already.
pub fn should_send(last_sent_day: Option<Day>, today: Day) -> bool {
    last_sent_day.is_none_or(|d| d < today)
}

/// The two windows compared at `now_ms`, as half-open `[from, until)` millisecond ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpikeWindows {
    /// The last 24 hours: `[recent_from_ms, now_ms)`.
    pub recent_from_ms: i64,
    /// The baseline: `[baseline_from_ms, recent_from_ms)`.
    pub baseline_from_ms: i64,
    pub now_ms: i64,
}

pub fn windows(now_ms: i64) -> SpikeWindows {
    let recent_from_ms = now_ms - MS_PER_DAY;
    SpikeWindows {
        recent_from_ms,
        baseline_from_ms: recent_from_ms - SPIKE_BASELINE_DAYS * MS_PER_DAY,
        now_ms,
    }
}

/// Milliseconds in an hour: the edge keeps answers per touchpoint per hour for this rule.
pub const MS_PER_HOUR: i64 = 3_600_000;

/// The hour (since 1970-01-01T00:00Z) that `ms` falls in.
pub fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_HOUR)
}

/// The windows at hour granularity: the last 24 h is the current hour and the 23 before it
/// (`[recent_from, now]`), the baseline the [`SPIKE_BASELINE_DAYS`] × 24 hours before that
/// (`[baseline_from, recent_from)`). Hourly counts keep the rule's cost bounded (≤ 696 rows a
/// touchpoint), at the price of the current hour counting whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourWindows {
    pub baseline_from: i64,
    pub recent_from: i64,
    pub now: i64,
}

pub fn hour_windows(now_ms: i64) -> HourWindows {
    let now = hour_of(now_ms);
    let recent_from = now - 23;
    HourWindows {
        baseline_from: recent_from - SPIKE_BASELINE_DAYS * 24,
        recent_from,
        now,
    }
}

/// One touchpoint's answers in one hour (summed over shards by the caller or not: rows for the
/// same hour simply add up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourCount {
    pub hour: i64,
    pub answers: u64,
    pub negative: u64,
}

/// The spike decision at `now_ms` from a touchpoint's hourly counts (rows outside the two
/// windows, e.g. later hours of imported history, are ignored).
pub fn spike_at(rows: &[HourCount], now_ms: i64) -> Option<Spike> {
    let w = hour_windows(now_ms);
    let (mut recent, mut base) = ((0u64, 0u64), (0u64, 0u64));
    for r in rows {
        let side = if (w.recent_from..=w.now).contains(&r.hour) {
            &mut recent
        } else if (w.baseline_from..w.recent_from).contains(&r.hour) {
            &mut base
        } else {
            continue;
        };
        side.0 += r.negative;
        side.1 += r.answers;
    }
    spike(recent.0, recent.1, base.0, base.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 20_787 * MS_PER_DAY + 15 * MS_PER_HOUR + 1_234;

    /// `per_day` answers a day with `neg` negative over the 28 baseline days, then `recent`.
    fn history(per_day: u64, neg: u64, recent: &[(u64, u64)]) -> Vec<HourCount> {
        let w = hour_windows(NOW);
        let mut rows: Vec<HourCount> = (0..SPIKE_BASELINE_DAYS)
            .map(|d| HourCount {
                hour: w.baseline_from + d * 24 + 10,
                answers: per_day,
                negative: neg,
            })
            .collect();
        for (i, &(answers, negative)) in recent.iter().enumerate() {
            rows.push(HourCount {
                hour: w.now - i as i64,
                answers,
                negative,
            });
        }
        rows
    }

    #[test]
    fn flat_baseline_never_fires() {
        // The same 10 % negative share today as every day before.
        for today in [(10, 1), (20, 2), (100, 10), (40, 4)] {
            assert_eq!(spike_at(&history(10, 1, &[today]), NOW), None, "{today:?}");
        }
        // Nothing but negatives, before and now: nothing to be above.
        assert_eq!(spike_at(&history(5, 5, &[(8, 8)]), NOW), None);
    }

    #[test]
    fn a_real_jump_fires_once_a_day() {
        let rows = history(10, 1, &[(4, 3), (4, 3)]);
        let s = spike_at(&rows, NOW).expect("6 of 8 negative against 10 %");
        assert_eq!((s.recent_negative, s.recent_n), (6, 8));
        assert_eq!((s.baseline_negative, s.baseline_n), (28, 280));
        assert!(s.z > SPIKE_MIN_Z && s.p_value < 0.001, "{s:?}");
        assert!((s.recent_pct - 75.0).abs() < 1e-9 && (s.baseline_pct - 10.0).abs() < 1e-9);
        let today = Day::from_unix_ms(NOW);
        assert!(should_send(None, today));
        assert!(!should_send(Some(today), today), "once per UTC day");
        assert!(should_send(Some(Day(today.0 - 1)), today));
    }

    #[test]
    fn a_quiet_touchpoint_with_two_negatives_never_fires() {
        // Two bad answers after a silent month: z is huge, the count floor holds.
        let rows = history(3, 0, &[(2, 2)]);
        assert!(z_score(2, 2, 0, 84).is_some_and(|z| z > SPIKE_MIN_Z));
        assert_eq!(spike_at(&rows, NOW), None);
        // A new touchpoint (no baseline) never fires either.
        let fresh = [HourCount {
            hour: hour_of(NOW),
            answers: 9,
            negative: 9,
        }];
        assert_eq!(spike_at(&fresh, NOW), None);
    }

    #[test]
    fn the_windows_are_24_hours_and_28_days_of_hours() {
        let w = hour_windows(NOW);
        assert_eq!(w.now - w.recent_from + 1, 24);
        assert_eq!(w.recent_from - w.baseline_from, 28 * 24);
        // Hours after now (imported future rows) and before the baseline are ignored.
        let rows = [
            HourCount {
                hour: w.now + 1,
                answers: 50,
                negative: 50,
            },
            HourCount {
                hour: w.baseline_from - 1,
                answers: 50,
                negative: 0,
            },
        ];
        assert_eq!(spike_at(&rows, NOW), None);
    }
}
