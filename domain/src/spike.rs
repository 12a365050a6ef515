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
