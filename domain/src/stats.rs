//! Small exact statistics used by themes and spike alerts: log-factorials, the one-sided
//! Fisher exact test, Benjamini–Hochberg q-values and the normal upper tail.
//!
//! Everything is plain `f64` arithmetic with no tables beyond a few constants, so it compiles
//! for wasm as well as the host. (The comparison tests of `compare` keep their own CDFs: the
//! two modules are independent on purpose.)

/// ln(n!): exact products below 10, Stirling's series (error < 1e-12) from 10 on.
pub fn ln_factorial(n: u64) -> f64 {
    if n < 10 {
        // 9! = 362 880 is exact in f64, so the product is too.
        return (2..=n).map(|k| k as f64).product::<f64>().ln();
    }
    let x = n as f64;
    let (x2, x3) = (x * x, x * x * x);
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x3)
        + 1.0 / (1260.0 * x3 * x2)
        - 1.0 / (1680.0 * x3 * x3 * x)
}

/// ln C(n, k); `k > n` has no ways (−∞).
pub fn ln_choose(n: u64, k: u64) -> f64 {
    if k > n {
        return f64::NEG_INFINITY;
    }
    ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
}

/// One-sided Fisher exact test that the first row's share is *greater*:
///
/// ```text
///                 with term   without
///   negative          a          b
///   other             c          d
/// ```
///
/// p = P(X ≥ a) where X is hypergeometric with the table's margins fixed (N = a+b+c+d comments,
/// K = a+c containing the term, n = a+b negative). Always in [0, 1].
///
/// Each tail is summed from its end nearest the mode outwards, so the terms shrink and the
/// first one cannot underflow while the rest matter: above the mode the upper tail directly,
/// at or below it 1 − the lower tail (then p is large and needs no relative precision).
pub fn fisher_greater(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (big_k, n, total) = (a + c, a + b, a + b + c + d);
    let ln_pmf =
        |k: u64| ln_choose(big_k, k) + ln_choose(total - big_k, n - k) - ln_choose(total, n);
    let mode = ((n as u128 + 1) * (big_k as u128 + 1) / (total as u128 + 2)) as u64;
    let k_min = (n + big_k).saturating_sub(total);
    if a <= k_min {
        return 1.0;
    }
    let p = if a > mode {
        // P(k+1)/P(k) = (K−k)(n−k) / ((k+1)(N−K−n+k+1)); the last factor is d−a+k+1 ≥ 1.
        let (mut term, mut sum) = (ln_pmf(a).exp(), 0.0);
        for k in a..=big_k.min(n) {
            sum += term;
            if term <= sum * 1e-17 {
                break;
            }
            term *= (big_k - k) as f64 * (n - k) as f64
                / ((k + 1) as f64 * (total + k + 1 - big_k - n) as f64);
        }
        sum
    } else {
        // P(k−1)/P(k) = k(N−K−n+k) / ((K−k+1)(n−k+1)), walking down from a−1 to k_min.
        let (mut term, mut sum) = (ln_pmf(a - 1).exp(), 0.0);
        for k in (k_min..a).rev() {
            sum += term;
            if term <= sum * 1e-17 || k == k_min {
                break;
            }
            term *= k as f64 * (total + k - big_k - n) as f64
                / ((big_k - k + 1) as f64 * (n - k + 1) as f64);
        }
        1.0 - sum
    };
    p.clamp(0.0, 1.0)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the order given.
///
/// q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j for the p-values sorted ascending (the step-up
/// procedure), capped at 1. So every q ≥ its p, and q is monotone in p.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut q = vec![1.0; m];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        // m/j first: it is ≥ 1 exactly, so the product never rounds below p.
        let scaled = p[i] * (m as f64 / (rank + 1) as f64);
        running = running.min(scaled).min(1.0);
        q[i] = running;
    }
    q
}

/// P(Z > z) for a standard normal Z (the crate's one normal tail, [`crate::compare`]'s; NaN
/// gives 1, so a broken input never counts as significant).
pub fn normal_upper_tail(z: f64) -> f64 {
    match crate::compare::normal_two_sided_p(z) {
        Some(p) if z >= 0.0 => p / 2.0,
        Some(p) => 1.0 - p / 2.0,
        None => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_factorials_match_exact_values() {
        let mut exact = 1.0_f64;
        for n in 0..=25u64 {
            if n > 0 {
                exact *= n as f64;
            }
            let got = ln_factorial(n);
            assert!((got - exact.ln()).abs() < 1e-11, "{n}: {got}");
        }
        assert_eq!(ln_choose(3, 4), f64::NEG_INFINITY);
        assert!((ln_choose(12, 6) - 924f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn fisher_by_hand() {
        let close = |got: f64, want: f64| assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // N = 8, K = 4 with the term, n = 4 negative: P(X ≥ 3) = (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4).
        close(fisher_greater(3, 1, 1, 3), 17.0 / 70.0);
        // All 5 negative comments and none of 8 others: 1 / C(13,5).
        close(fisher_greater(5, 0, 0, 8), 1.0 / 1287.0);
        // At the lower bound every table is as extreme: p = 1.
        close(fisher_greater(0, 4, 4, 0), 1.0);
        // P(X ≥ 1) for N = 4, K = 2, n = 2: 1 − C(2,0)C(2,2)/C(4,2) = 5/6 (below the mode).
        close(fisher_greater(1, 1, 1, 1), 5.0 / 6.0);
    }

    #[test]
    fn benjamini_hochberg_by_hand() {
        // Sorted 0.01, 0.03, 0.04, 0.2 → ×4/rank 0.04, 0.06, 0.0533…, 0.2 → running minimum
        // from the largest: 0.2, 0.0533…, 0.0533…, 0.04; returned in the order given.
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.2]);
        let want = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.2];
        for (g, w) in q.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{q:?}");
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[0.9, 0.95]), vec![0.95, 0.95]);
    }

    #[test]
    fn normal_tail_known_points() {
        let check = |z: f64, p: f64| {
            let got = normal_upper_tail(z);
            assert!((got - p).abs() < 1e-7 + p * 1e-6, "{z}: {got} vs {p}");
        };
        check(0.0, 0.5);
        check(1.959_963_984_540_054, 0.025);
        check(3.0, 0.001_349_898_031_630_095);
        check(-1.0, 0.841_344_746_068_542_9);
        check(6.0, 9.865_876_450_377e-10);
    }
}
