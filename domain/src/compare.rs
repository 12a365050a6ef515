//! Comparing a period with the one before it: the previous period's dates
//! ([`previous_period`]), each headline's change ([`compare`]) and whether it is significant —
//! two-sided tests at 5 %, in plain `f64` maths.
//!
//! The tests (PRODUCT.md v1.1): shares (CSAT, thumbs up, response rate) use the pooled
//! two-proportion z-test ([`two_proportion_z`]); NPS uses z = Δ / √(v₁ + v₂) with
//! v = (p⁺ + p⁻ − (p⁺ − p⁻)²) / n ([`nps_z`]); means (CES, stars) use Welch's t-test with
//! Welch–Satterthwaite degrees of freedom ([`welch_t`]). The normal and Student t
//! distributions they need live in the child module `distribution` (re-exported here).
//!
//! Conventions, so every number on the wire means one thing:
//! - No public function returns NaN or ∞: where a test is undefined the answer is `None`.
//! - When the standard error is 0 (every answer alike on both sides), equal values give p = 1
//!   (nothing changed) and different values give no p: no test can size a gap without spread.
//! - `delta` is the difference of the two rounded values shown, so the numbers on screen add up.
//! - `p_value` is not rounded, so `significant == (p_value < 0.05)` holds for the wire numbers.

use crate::calendar::Day;
use crate::display::{self, ReachTally};
use crate::kind::Kind;
use crate::metrics::{self, round1, round2, Tallies, Tally};
use crate::wire::{Compare, MeanChange, RateChange, ScoreChange, UpShareChange};

mod distribution;
pub use distribution::{ln_gamma, normal_cdf, normal_two_sided_p, student_t_two_sided_p};

/// Significance level: a change is significant when its two-sided p is below this.
pub const ALPHA: f64 = 0.05;

/// The outcome of one test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Test {
    /// z or t; positive when the first sample is higher.
    pub statistic: f64,
    /// Degrees of freedom of a t-test; `None` for z-tests.
    pub df: Option<f64>,
    /// Two-sided p, finite and within 0–1.
    pub p_value: f64,
}

impl Test {
    pub fn significant(&self) -> bool {
        self.p_value < ALPHA
    }
}

/// Promoters, detractors and all answers of one NPS sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NpsCounts {
    pub promoters: u64,
    pub detractors: u64,
    pub n: u64,
}

impl NpsCounts {
    pub fn of(t: &Tally) -> NpsCounts {
        let m = metrics::nps(t);
        NpsCounts {
            promoters: m.promoters,
            detractors: m.detractors,
            n: m.n,
        }
    }
}

/// Count, mean and sample variance (n − 1 denominator; 0 for a single answer) of one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

impl Moments {
    /// `None` when the tally is empty.
    pub fn of(t: &Tally) -> Option<Moments> {
        let n = t.n();
        if n == 0 {
            return None;
        }
        let points = || {
            t.counts
                .iter()
                .enumerate()
                .map(|(s, &c)| (s as f64, c as f64))
        };
        let mean = points().map(|(s, c)| s * c).sum::<f64>() / n as f64;
        let ss: f64 = points().map(|(s, c)| c * (s - mean).powi(2)).sum();
        let variance = if n < 2 { 0.0 } else { ss / (n - 1) as f64 };
        Some(Moments { n, mean, variance })
    }
}

/// The same-length period ending the day before `from` (`from..=to` inclusive; a reversed
/// range counts as one day). Saturates instead of overflowing.
pub fn previous_period(from: Day, to: Day) -> (Day, Day) {
    let len = to.0.saturating_sub(from.0).saturating_add(1).max(1);
    (
        Day(from.0.saturating_sub(len)),
        Day(from.0.saturating_sub(1)),
    )
}

/// Pooled two-proportion z-test of x₁/n₁ against x₂/n₂. `None` when a side is empty or a count
/// exceeds its total.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<Test> {
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 as f64 + x2 as f64) / (n1f + n2f);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    z_test(x1 as f64 / n1f - x2 as f64 / n2f, se)
}

/// NPS difference test: z = Δ / √(v₁ + v₂), v = (p⁺ + p⁻ − (p⁺ − p⁻)²) / n, in proportions.
pub fn nps_z(a: NpsCounts, b: NpsCounts) -> Option<Test> {
    let side = |s: NpsCounts| {
        if s.n == 0 || s.promoters.checked_add(s.detractors)? > s.n {
            return None;
        }
        let n = s.n as f64;
        let (p, d) = (s.promoters as f64 / n, s.detractors as f64 / n);
        Some((p - d, ((p + d - (p - d).powi(2)) / n).max(0.0)))
    };
    let ((nps_a, var_a), (nps_b, var_b)) = (side(a)?, side(b)?);
    z_test(nps_a - nps_b, (var_a + var_b).sqrt())
}

/// Welch's t-test of two means with Welch–Satterthwaite degrees of freedom. `None` when a side
/// has fewer than 2 answers or the inputs are not finite.
pub fn welch_t(a: &Moments, b: &Moments) -> Option<Test> {
    let ok = |m: &Moments| m.n >= 2 && m.mean.is_finite() && m.variance.is_finite();
    if !ok(a) || !ok(b) || a.variance < 0.0 || b.variance < 0.0 {
        return None;
    }
    let (va, vb) = (a.variance / a.n as f64, b.variance / b.n as f64);
    let se2 = va + vb;
    let delta = a.mean - b.mean;
    if se2 <= 0.0 {
        return z_test(delta, 0.0);
    }
    let df = se2 * se2 / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    let t = delta / se2.sqrt();
    Some(Test {
        statistic: t,
        df: Some(df),
        p_value: student_t_two_sided_p(t, df)?,
    })
}

/// A z-test of `delta` with standard error `se` (see the module docs for se = 0).
fn z_test(delta: f64, se: f64) -> Option<Test> {
    if !delta.is_finite() || !se.is_finite() {
        return None;
    }
    if se <= 0.0 {
        return (delta == 0.0).then_some(Test {
            statistic: 0.0,
            df: None,
            p_value: 1.0,
        });
    }
    let z = delta / se;
    Some(Test {
        statistic: z,
        df: None,
        p_value: normal_two_sided_p(z)?,
    })
}

/// One metric's change before it takes its wire name.
struct Change {
    before: Option<f64>,
    delta: Option<f64>,
    p_value: Option<f64>,
    significant: Option<bool>,
}

/// Previous value, rounded delta and test; all `None` unless both periods have a value.
fn change(
    now: Option<f64>,
    before: Option<f64>,
    test: Option<Test>,
    round: fn(f64) -> f64,
) -> Change {
    match (now, before) {
        (Some(now), Some(before)) => Change {
            before: Some(before),
            delta: Some(round(now - before)),
            p_value: test.map(|t| t.p_value),
            significant: test.map(|t| t.significant()),
        },
        _ => Change {
            before: None,
            delta: None,
            p_value: None,
            significant: None,
        },
    }
}

/// The `compare` block: `from`/`to` are the previous period (see [`previous_period`]),
/// `previous` its tallies and `reach_prev` its display counts; values are the previous period's,
/// deltas are current − previous. Without reach on both sides `response_rate` is all `null`.
pub fn compare(
    from: Day,
    to: Day,
    current: &Tallies,
    previous: &Tallies,
    reach_now: Option<&ReachTally>,
    reach_prev: Option<&ReachTally>,
) -> Compare {
    let pair = |k: Kind| (current.get(k), previous.get(k));
    Compare {
        from: from.to_string(),
        to: to.to_string(),
        responses: previous.n(),
        csat: csat_change(pair(Kind::Csat)).into(),
        nps: nps_change(pair(Kind::Nps)).into(),
        ces: mean_change(pair(Kind::Ces), |t| metrics::ces(t).mean).into(),
        stars: mean_change(pair(Kind::Stars), |t| metrics::stars(t).mean).into(),
        thumbs: thumbs_change(pair(Kind::Thumbs)).into(),
        response_rate: rate_change(reach_now, reach_prev).into(),
    }
}

fn csat_change((now, before): (&Tally, &Tally)) -> Change {
    let happy = metrics::satisfied;
    change(
        metrics::csat(now).score,
        metrics::csat(before).score,
        two_proportion_z(happy(now), now.n(), happy(before), before.n()),
        round1,
    )
}

fn nps_change((now, before): (&Tally, &Tally)) -> Change {
    change(
        metrics::nps(now).score,
        metrics::nps(before).score,
        nps_z(NpsCounts::of(now), NpsCounts::of(before)),
        round1,
    )
}

fn mean_change((now, before): (&Tally, &Tally), mean: fn(&Tally) -> Option<f64>) -> Change {
    let test = Moments::of(now)
        .zip(Moments::of(before))
        .and_then(|(a, b)| welch_t(&a, &b));
    change(mean(now), mean(before), test, round2)
}

fn thumbs_change((now, before): (&Tally, &Tally)) -> Change {
    change(
        metrics::thumbs(now).up_pct,
        metrics::thumbs(before).up_pct,
        two_proportion_z(
            metrics::thumbs_up(now),
            now.n(),
            metrics::thumbs_up(before),
            before.n(),
        ),
        round1,
    )
}

fn rate_change(now: Option<&ReachTally>, before: Option<&ReachTally>) -> Change {
    let rate = |r: Option<&ReachTally>| r.and_then(|r| display::reach(r).response_rate);
    let test = now.zip(before).and_then(|(a, b)| {
        two_proportion_z(
            a.answered_of_shown(),
            a.shown,
            b.answered_of_shown(),
            b.shown,
        )
    });
    change(rate(now), rate(before), test, round1)
}

// Each wire block is a `Change` with its own name for the previous value.
impl From<Change> for ScoreChange {
    fn from(c: Change) -> Self {
        ScoreChange {
            score: c.before,
            delta: c.delta,
            p_value: c.p_value,
            significant: c.significant,
        }
    }
}

impl From<Change> for MeanChange {
    fn from(c: Change) -> Self {
        MeanChange {
            mean: c.before,
            delta: c.delta,
            p_value: c.p_value,
            significant: c.significant,
        }
    }
}

impl From<Change> for UpShareChange {
    fn from(c: Change) -> Self {
        UpShareChange {
            up_pct: c.before,
            delta: c.delta,
            p_value: c.p_value,
            significant: c.significant,
        }
    }
}

impl From<Change> for RateChange {
    fn from(c: Change) -> Self {
        RateChange {
            rate: c.before,
            delta: c.delta,
            p_value: c.p_value,
            significant: c.significant,
        }
    }
}
