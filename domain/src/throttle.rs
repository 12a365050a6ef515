//! Whether to show a prompt now: the throttle window and sampling, as one pure decision.
//!
//! The widget passes in everything that would otherwise need a clock, storage or randomness:
//! when this browser was last asked at the touchpoint (the widget keeps that in localStorage),
//! the current time and a uniform random draw in `[0, 1)`. The same inputs always give the
//! same [`Decision`], so every rule is tested here with plain numbers.
//!
//! Rules, in order:
//! 1. Throttle: asked at `last` and `now < last + throttle_days` → [`Decision::Throttled`].
//!    A `last` later than `now` (the clock was set back, or the record was tampered with) is
//!    ignored, so a bad record cannot silence a browser for years. `throttle_days = 0` never
//!    throttles.
//! 2. Sampling: ask when `draw < sample_rate`. The rate is clamped to `[0, 1]` and NaN counts
//!    as 0 (a broken setting shows nothing rather than everything); 1 asks whatever the draw,
//!    0 never asks; a NaN draw never samples below a rate of 1. Sampling is per moment: the
//!    widget draws afresh each time a prompt could be shown.

use crate::calendar::MS_PER_DAY;
use crate::limits::{DEFAULT_SAMPLE_RATE, DEFAULT_THROTTLE_DAYS};

/// A site's rules for asking (from its public config).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AskRules {
    /// Days before the same browser is asked again at the same touchpoint (0: no throttle).
    pub throttle_days: u32,
    /// Share of eligible moments that show a prompt, 0.0–1.0.
    pub sample_rate: f64,
}

impl Default for AskRules {
    fn default() -> Self {
        AskRules {
            throttle_days: DEFAULT_THROTTLE_DAYS,
            sample_rate: DEFAULT_SAMPLE_RATE,
        }
    }
}

impl AskRules {
    /// The throttle window in milliseconds (at most ~3.7e17, so it fits an `i64`).
    pub fn window_ms(&self) -> i64 {
        i64::from(self.throttle_days) * MS_PER_DAY
    }

    /// The sample rate clamped to `[0, 1]`, NaN as 0.
    pub fn effective_sample_rate(&self) -> f64 {
        if self.sample_rate.is_nan() {
            0.0
        } else {
            self.sample_rate.clamp(0.0, 1.0)
        }
    }
}

/// What the widget should do at an eligible moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Show the prompt (the widget then records `now` for the touchpoint).
    Ask,
    /// Asked too recently; eligible again from `until_ms` (Unix milliseconds).
    Throttled { until_ms: i64 },
    /// Not throttled, but this moment was not drawn by sampling.
    NotSampled,
}

/// Decides whether to ask now. `draw` is uniform in `[0, 1)`, supplied by the caller.
pub fn decide(rules: &AskRules, last_asked_ms: Option<i64>, now_ms: i64, draw: f64) -> Decision {
    // A record from the future is untrustworthy (see the module docs), so it does not throttle.
    if let Some(last) = last_asked_ms.filter(|&last| last <= now_ms) {
        let until_ms = last.saturating_add(rules.window_ms());
        if now_ms < until_ms {
            return Decision::Throttled { until_ms };
        }
    }
    let rate = rules.effective_sample_rate();
    // `rate > 0.0` keeps a negative draw from sampling at rate 0; NaN draws compare false.
    let sampled = rate >= 1.0 || (rate > 0.0 && draw < rate);
    if sampled {
        Decision::Ask
    } else {
        Decision::NotSampled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = MS_PER_DAY;
    /// 2026-11-25T00:00:00Z
    const NOW: i64 = 20_782 * DAY;

    fn rules(throttle_days: u32, sample_rate: f64) -> AskRules {
        AskRules {
            throttle_days,
            sample_rate,
        }
    }

    #[track_caller]
    fn check(r: AskRules, last: Option<i64>, draw: f64, want: Decision) {
        assert_eq!(
            decide(&r, last, NOW, draw),
            want,
            "{r:?} last={last:?} draw={draw}"
        );
    }

    #[test]
    fn defaults_are_thirty_days_and_everyone() {
        assert_eq!(AskRules::default(), rules(30, 1.0));
        assert_eq!(AskRules::default().window_ms(), 2_592_000_000);
    }

    #[test]
    fn throttle_window() {
        let r = AskRules::default();
        check(r, None, 0.99, Decision::Ask);
        // Asked 29 days ago: eligible again tomorrow, 2026-11-26T00:00:00Z.
        check(
            r,
            Some(NOW - 29 * DAY),
            0.0,
            Decision::Throttled {
                until_ms: 1_795_651_200_000,
            },
        );
        // Asked exactly 30 days ago: the window is half-open, so ask.
        check(r, Some(NOW - 30 * DAY), 0.0, Decision::Ask);
        check(
            r,
            Some(NOW - 30 * DAY + 1),
            0.0,
            Decision::Throttled { until_ms: NOW + 1 },
        );
        check(
            r,
            Some(NOW),
            0.0,
            Decision::Throttled {
                until_ms: NOW + 30 * DAY,
            },
        );
        check(rules(0, 1.0), Some(NOW), 0.0, Decision::Ask);
        check(
            rules(1, 1.0),
            Some(NOW - DAY / 2),
            0.0,
            Decision::Throttled {
                until_ms: NOW + DAY / 2,
            },
        );
    }

    #[test]
    fn records_from_the_future_are_ignored() {
        check(AskRules::default(), Some(NOW + 1), 0.5, Decision::Ask);
        check(AskRules::default(), Some(i64::MAX), 0.5, Decision::Ask);
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let r = rules(u32::MAX, 1.0);
        assert_eq!(
            decide(&r, Some(i64::MAX - 5), i64::MAX - 1, 0.0),
            Decision::Throttled { until_ms: i64::MAX }
        );
        assert_eq!(
            decide(&r, Some(i64::MIN), i64::MIN, 0.0),
            Decision::Throttled {
                until_ms: i64::MIN + 371_085_174_288_000_000
            }
        );
        assert_eq!(decide(&r, Some(i64::MIN), i64::MAX, 0.0), Decision::Ask);
    }

    #[test]
    fn sampling() {
        let table: &[(f64, f64, Decision)] = &[
            (0.25, 0.0, Decision::Ask),
            (0.25, 0.2499, Decision::Ask),
            (0.25, 0.25, Decision::NotSampled),
            (0.25, 0.9, Decision::NotSampled),
            (1.0, 0.999_999, Decision::Ask),
            (1.0, 1.0, Decision::Ask),
            (1.0, f64::NAN, Decision::Ask),
            (0.0, 0.0, Decision::NotSampled),
            (0.0, -1.0, Decision::NotSampled),
            (0.5, -1.0, Decision::Ask),
            (0.5, f64::NAN, Decision::NotSampled),
            (0.5, f64::INFINITY, Decision::NotSampled),
            (7.0, 0.99, Decision::Ask),
            (f64::INFINITY, 0.99, Decision::Ask),
            (-0.5, 0.0, Decision::NotSampled),
            (f64::NEG_INFINITY, 0.0, Decision::NotSampled),
            (f64::NAN, 0.0, Decision::NotSampled),
        ];
        for &(rate, draw, want) in table {
            check(rules(30, rate), None, draw, want);
        }
    }

    #[test]
    fn throttle_comes_before_sampling() {
        check(
            rules(30, 0.0),
            Some(NOW - DAY),
            0.0,
            Decision::Throttled {
                until_ms: NOW + 29 * DAY,
            },
        );
    }
}
