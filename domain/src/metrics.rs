//! Counting answers and turning counts into honest metrics.
//!
//! Everything works from counts per scale point ([`Tally`]), so the same code serves one
//! Durable Object's rollup rows, several shards merged together, or a recount of raw rows.
//! Merging tallies is plain addition: associative and commutative by construction.

use crate::kind::{Kind, CSAT_SATISFIED_MIN, MAX_POINTS, NPS_PROMOTER_MIN};
use crate::limits::LOW_SAMPLE_N;
use crate::wire::{CesMetric, CsatMetric, Distribution, NpsMetric, StarsMetric, ThumbsMetric};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Counts per scale point for one kind (index = score; NPS uses all 11 slots).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub kind: Kind,
    pub counts: [u64; MAX_POINTS],
}

impl Tally {
    pub fn new(kind: Kind) -> Self {
        Tally {
            kind,
            counts: [0; MAX_POINTS],
        }
    }

    /// Adds `n` answers of `score`; scores outside the kind's scale are ignored (they can
    /// never be stored, validation rejects them first).
    pub fn add(&mut self, score: u8, n: u64) {
        if self.kind.scale().contains(score as i64) {
            self.counts[score as usize] += n;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        debug_assert_eq!(self.kind, other.kind);
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += b;
        }
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn negative(&self) -> u64 {
        let neg = self.kind.scale().negative_max as usize;
        self.counts[..=neg].iter().sum()
    }

    /// Answers whose score lies in `lo..=hi`.
    fn between(&self, lo: u8, hi: u8) -> u64 {
        self.counts[lo as usize..=hi as usize].iter().sum()
    }

    fn mean_and_sd(&self) -> Option<(f64, Option<f64>)> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let sum: f64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(s, &c)| s as f64 * c as f64)
            .sum();
        let mean = sum / nf;
        if n < 2 {
            return Some((mean, None));
        }
        let ss: f64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(s, &c)| c as f64 * (s as f64 - mean).powi(2))
            .sum();
        Some((mean, Some((ss / (nf - 1.0)).sqrt())))
    }

    fn distribution(&self) -> Distribution {
        self.kind
            .scale()
            .points()
            .map(|p| (p, self.counts[p as usize]))
            .collect()
    }
}

/// Rounds for presentation: one decimal for percentages and scores, two for means.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Wilson score interval for `x` successes in `n` trials, as percentages.
pub fn wilson95(x: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (nf, p) = (n as f64, x as f64 / n as f64);
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    Some([
        round1(((center - half) * 100.0).max(0.0)),
        round1(((center + half) * 100.0).min(100.0)),
    ])
}

/// Adjusted-Wald interval for NPS (n' = n+3, p' = (P+¾)/n', d' = (D+¾)/n'), in NPS points.
pub fn nps_adjusted_wald95(promoters: u64, detractors: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let n_adj = n as f64 + 3.0;
    let p = (promoters as f64 + 0.75) / n_adj;
    let d = (detractors as f64 + 0.75) / n_adj;
    let nps = p - d;
    let var = p + d - nps * nps;
    let half = Z95 * (var / n_adj).sqrt();
    Some([
        round1(((nps - half) * 100.0).max(-100.0)),
        round1(((nps + half) * 100.0).min(100.0)),
    ])
}

/// Two-sided 95% Student t critical value for `df` degrees of freedom (normal beyond 30).
fn t95(df: u64) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => T[df as usize - 1],
        _ => Z95,
    }
}

/// Interval of the mean of a tally (t for small n, normal beyond), clamped to the scale.
fn mean95(t: &Tally) -> Option<[f64; 2]> {
    let (mean, sd) = t.mean_and_sd()?;
    let sd = sd?;
    let half = t95(t.n() - 1) * sd / (t.n() as f64).sqrt();
    let s = t.kind.scale();
    Some([
        round2((mean - half).max(s.min as f64)),
        round2((mean + half).min(s.max as f64)),
    ])
}

fn share(x: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| round1(x as f64 * 100.0 / n as f64))
}

fn low(n: u64) -> bool {
    n < LOW_SAMPLE_N
}

/// CSAT's satisfied answers: 4 and 5.
pub fn satisfied(t: &Tally) -> u64 {
    t.between(CSAT_SATISFIED_MIN, Kind::Csat.scale().max)
}

/// Thumbs up: the top of the thumbs scale.
pub fn thumbs_up(t: &Tally) -> u64 {
    t.counts[Kind::Thumbs.scale().max as usize]
}

/// CSAT % = share of 4 and 5.
pub fn csat(t: &Tally) -> CsatMetric {
    let (n, happy) = (t.n(), satisfied(t));
    CsatMetric {
        n,
        score: share(happy, n),
        ci95: wilson95(happy, n),
        low_sample: low(n),
        distribution: t.distribution(),
    }
}

/// NPS = % promoters (9–10) − % detractors (0–6).
pub fn nps(t: &Tally) -> NpsMetric {
    let (neg, top) = (Kind::Nps.scale().negative_max, Kind::Nps.scale().max);
    let (n, promoters, passives, detractors) = (
        t.n(),
        t.between(NPS_PROMOTER_MIN, top),
        t.between(neg + 1, NPS_PROMOTER_MIN - 1),
        t.between(0, neg),
    );
    let score = (n > 0).then(|| round1((promoters as f64 - detractors as f64) * 100.0 / n as f64));
    NpsMetric {
        n,
        score,
        ci95: nps_adjusted_wald95(promoters, detractors, n),
        low_sample: low(n),
        promoters,
        passives,
        detractors,
        distribution: t.distribution(),
    }
}

/// CES 2.0: mean on 1–7 and % agree (5–7).
pub fn ces(t: &Tally) -> CesMetric {
    let (n, agree) = (t.n(), t.between(5, 7));
    CesMetric {
        n,
        mean: t.mean_and_sd().map(|(m, _)| round2(m)),
        agree_pct: share(agree, n),
        ci95: mean95(t),
        agree_ci95: wilson95(agree, n),
        low_sample: low(n),
        distribution: t.distribution(),
    }
}

pub fn stars(t: &Tally) -> StarsMetric {
    let n = t.n();
    StarsMetric {
        n,
        mean: t.mean_and_sd().map(|(m, _)| round2(m)),
        ci95: mean95(t),
        low_sample: low(n),
        distribution: t.distribution(),
    }
}

pub fn thumbs(t: &Tally) -> ThumbsMetric {
    let (n, up) = (t.n(), thumbs_up(t));
    ThumbsMetric {
        n,
        up_pct: share(up, n),
        ci95: wilson95(up, n),
        low_sample: low(n),
        up,
        down: t.counts[0],
    }
}

/// One tally per kind, indexed by [`Kind::index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tallies(pub [Tally; Kind::COUNT]);

impl Default for Tallies {
    fn default() -> Self {
        Tallies(Kind::ALL.map(Tally::new))
    }
}

impl Tallies {
    pub fn add(&mut self, kind: Kind, score: u8, n: u64) {
        self.0[kind.index()].add(score, n);
    }
    pub fn get(&self, kind: Kind) -> &Tally {
        &self.0[kind.index()]
    }
    pub fn merge(&mut self, other: &Tallies) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            a.merge(b);
        }
    }
    pub fn n(&self) -> u64 {
        self.0.iter().map(Tally::n).sum()
    }
    pub fn negative(&self) -> u64 {
        self.0.iter().map(Tally::negative).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(kind: Kind, counts: &[(u8, u64)]) -> Tally {
        let mut t = Tally::new(kind);
        for &(s, n) in counts {
            t.add(s, n);
        }
        t
    }

    #[test]
    fn csat_share_of_fours_and_fives() {
        let m = csat(&tally(
            Kind::Csat,
            &[(1, 10), (2, 12), (3, 66), (4, 200), (5, 212)],
        ));
        assert_eq!(m.n, 500);
        assert_eq!(m.score, Some(82.4));
        assert!(!m.low_sample);
        // Wilson by hand: p=0.824, n=500 → [78.8, 85.5]
        assert_eq!(m.ci95, Some([78.8, 85.5]));
        assert_eq!(
            m.distribution.values().copied().collect::<Vec<_>>(),
            vec![10, 12, 66, 200, 212]
        );
    }

    #[test]
    fn empty_metrics_have_no_score_and_are_low_sample() {
        let m = csat(&Tally::new(Kind::Csat));
        assert_eq!((m.n, m.score, m.ci95, m.low_sample), (0, None, None, true));
        assert_eq!(m.distribution.len(), 5);
        assert_eq!(nps(&Tally::new(Kind::Nps)).score, None);
        assert_eq!(stars(&Tally::new(Kind::Stars)).mean, None);
    }

    #[test]
    fn textbook_nps_sixty_promoters_ten_detractors_is_fifty() {
        let m = nps(&tally(
            Kind::Nps,
            &[(10, 40), (9, 20), (8, 20), (7, 10), (6, 5), (0, 5)],
        ));
        assert_eq!(
            (m.n, m.promoters, m.passives, m.detractors),
            (100, 60, 30, 10)
        );
        assert_eq!(m.score, Some(50.0));
        // n'=103, p'=60.75/103, d'=10.75/103 → NPS'=0.48544, var'=0.68932-0.23565=0.45367, se=0.06637
        assert_eq!(m.ci95, Some([35.5, 61.6]));
    }

    #[test]
    fn ces_mean_agree_and_t_interval() {
        let m = ces(&tally(Kind::Ces, &[(7, 2), (6, 1), (2, 1)]));
        assert_eq!(m.mean, Some(5.5));
        assert_eq!(m.agree_pct, Some(75.0));
        // s = sqrt((1.5²·2 + 0.5² + 3.5²)/3) = 2.3805, t(3)=3.182 → 5.5 ± 3.787 → clamp to [1.71, 7]
        assert_eq!(m.ci95, Some([1.71, 7.0]));
        assert!(m.low_sample);
    }

    #[test]
    fn single_answer_mean_has_no_interval() {
        let m = stars(&tally(Kind::Stars, &[(4, 1)]));
        assert_eq!((m.mean, m.ci95), (Some(4.0), None));
    }

    #[test]
    fn thumbs_up_share() {
        let m = thumbs(&tally(Kind::Thumbs, &[(1, 44), (0, 6)]));
        assert_eq!((m.up, m.down, m.up_pct), (44, 6, Some(88.0)));
        assert_eq!(m.ci95, Some([76.2, 94.4]));
    }

    #[test]
    fn wilson_edges_stay_in_range() {
        assert_eq!(wilson95(0, 10), Some([0.0, 27.8]));
        assert_eq!(wilson95(10, 10), Some([72.2, 100.0]));
        assert_eq!(wilson95(0, 0), None);
    }
}
