//! The comparison with the previous period: distributions against reference values (computed
//! with mpmath at 30 digits), the three tests against hand-worked cases, the `compare` block,
//! and properties of every test (p within 0–1, symmetric in its two samples).

use domain::calendar::Day;
use domain::compare::*;
use domain::display::ReachTally;
use domain::kind::Kind;
use domain::metrics::{Tallies, Tally};
use proptest::prelude::*;

#[track_caller]
fn close(got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs().max(f64::MIN_POSITIVE),
        "got {got:e}, want {want:e}"
    );
}

fn tally(kind: Kind, counts: &[(u8, u64)]) -> Tally {
    let mut t = Tally::new(kind);
    for &(s, n) in counts {
        t.add(s, n);
    }
    t
}

fn tallies(kind: Kind, counts: &[(u8, u64)]) -> Tallies {
    let mut all = Tallies::default();
    all.0[kind.index()] = tally(kind, counts);
    all
}

#[test]
fn normal_two_sided_p_matches_reference_values() {
    let table = [
        (0.0, 1.0),
        (0.5, 0.617_075_077_451_973_8),
        (1.0, 0.317_310_507_862_914_1),
        (1.96, 0.049_995_790_296_440_87),
        (1.959_963_984_540_054, 0.05),
        (2.0, 0.045_500_263_896_358_41),
        (3.0, 0.002_699_796_063_260_189),
        (5.0, 5.733_031_437_583_878e-7),
        (8.0, 1.244_192_114_854_357e-15),
        (20.0, 5.507_248_237_212_467e-89),
        (37.0, 1.145_114_244_504_915e-299),
    ];
    for (z, want) in table {
        close(normal_two_sided_p(z).unwrap(), want, 1e-11);
        close(normal_two_sided_p(-z).unwrap(), want, 1e-11);
    }
    close(normal_cdf(1.96).unwrap(), 0.975_002_104_851_779_6, 1e-13);
    close(normal_cdf(-1.96).unwrap(), 0.024_997_895_148_220_4, 1e-11);
    assert_eq!(normal_two_sided_p(f64::INFINITY), Some(0.0));
    assert_eq!(normal_two_sided_p(f64::NAN), None);
}

#[test]
fn student_t_two_sided_p_matches_tables() {
    // (t, df, two-sided p): the first two are the familiar table rows for df = 10.
    let table = [
        (2.0, 10.0, 0.073_388_034_770_740_37),
        (2.228, 10.0, 0.050_011_771_817_111_38),
        (1.0, 1.0, 0.5),
        (0.5, 3.0, 0.651_447_964_848_151),
        (3.0, 2.5, 0.072_576_095_549_031_84),
        (10.0, 5.0, 1.709_475_757_429_636e-4),
        (40.0, 30.0, 1.372_604_519_440_640_3e-27),
        (2.0, 1e5, 0.045_502_963_457_506_46),
        (1.96, 1e6, 0.049_996_067_585_269_79),
        (1.96, 1e9, 0.049_995_790_573_729_6),
    ];
    for (t, df, want) in table {
        let rel = if df > 1e7 { 1e-7 } else { 1e-10 };
        close(student_t_two_sided_p(t, df).unwrap(), want, rel);
        close(student_t_two_sided_p(-t, df).unwrap(), want, rel);
    }
    assert_eq!(student_t_two_sided_p(0.0, 4.0), Some(1.0));
    assert_eq!(student_t_two_sided_p(f64::INFINITY, 4.0), Some(0.0));
    assert_eq!(student_t_two_sided_p(1.0, 0.0), None);
    assert_eq!(student_t_two_sided_p(f64::NAN, 4.0), None);
}

#[test]
fn csat_share_test_by_hand() {
    // 120/200 vs 90/200: pooled p = 210/400 = 0.525, se = √(0.525·0.475·(1/200 + 1/200))
    // = 0.049937, z = 0.15 / 0.049937 = 3.0038, two-sided p = 0.0026667.
    let t = two_proportion_z(120, 200, 90, 200).unwrap();
    close(t.statistic, 3.003_757_045_930_553, 1e-12);
    close(t.p_value, 0.002_666_681_793_614_093, 1e-10);
    assert!(t.significant());
    assert_eq!(t.df, None);
}

#[test]
fn nps_test_by_hand() {
    // Now 60 promoters / 10 detractors of 100 (NPS 50), before 40 / 20 of 100 (NPS 20).
    // v₁ = (0.6 + 0.1 − 0.5²) / 100 = 0.0045, v₂ = (0.4 + 0.2 − 0.2²) / 100 = 0.0056,
    // z = 0.30 / √0.0101 = 2.9851, two-sided p = 0.0028347.
    let now = NpsCounts {
        promoters: 60,
        detractors: 10,
        n: 100,
    };
    let before = NpsCounts {
        promoters: 40,
        detractors: 20,
        n: 100,
    };
    let t = nps_z(now, before).unwrap();
    close(t.statistic, 2.985_111_570_629_967, 1e-12);
    close(t.p_value, 0.002_834_749_080_259_395, 1e-10);
}

#[test]
fn welch_test_by_hand() {
    // n = 10 each, means 5 and 4, variances 1 and 1.5: se² = 0.1 + 0.15 = 0.25, t = 1 / 0.5 = 2,
    // df = 0.25² / (0.1²/9 + 0.15²/9) = 0.0625 · 9 / 0.0325 = 17.3077, two-sided p = 0.061445.
    let a = Moments {
        n: 10,
        mean: 5.0,
        variance: 1.0,
    };
    let b = Moments {
        n: 10,
        mean: 4.0,
        variance: 1.5,
    };
    let t = welch_t(&a, &b).unwrap();
    close(t.statistic, 2.0, 1e-14);
    close(t.df.unwrap(), 17.307_692_307_692_308, 1e-13);
    close(t.p_value, 0.061_444_974_907_144_79, 1e-10);
    assert!(!t.significant());
}

#[test]
fn zero_spread_is_p_one_when_equal_and_undefined_when_not() {
    assert_eq!(
        two_proportion_z(50, 50, 20, 20).map(|t| t.p_value),
        Some(1.0)
    );
    assert_eq!(two_proportion_z(0, 50, 0, 20).map(|t| t.p_value), Some(1.0));
    let all = |mean: f64| Moments {
        n: 5,
        mean,
        variance: 0.0,
    };
    assert_eq!(welch_t(&all(4.0), &all(4.0)).map(|t| t.p_value), Some(1.0));
    assert_eq!(welch_t(&all(5.0), &all(4.0)), None);
    let promoters = NpsCounts {
        promoters: 9,
        detractors: 0,
        n: 9,
    };
    let detractors = NpsCounts {
        promoters: 0,
        detractors: 9,
        n: 9,
    };
    assert_eq!(nps_z(promoters, promoters).map(|t| t.p_value), Some(1.0));
    assert_eq!(nps_z(promoters, detractors), None);
}

#[test]
fn undefined_inputs_give_no_test() {
    assert_eq!(two_proportion_z(1, 0, 1, 10), None);
    assert_eq!(two_proportion_z(11, 10, 1, 10), None);
    let one = Moments {
        n: 1,
        mean: 3.0,
        variance: 0.0,
    };
    let many = Moments {
        n: 9,
        mean: 4.0,
        variance: 1.0,
    };
    assert_eq!(welch_t(&one, &many), None);
    let nan = Moments {
        mean: f64::NAN,
        ..many
    };
    assert_eq!(welch_t(&nan, &many), None);
}

#[test]
fn previous_period_has_the_same_length_and_ends_the_day_before() {
    let d = |y, m, day| Day::from_ymd(y, m, day);
    assert_eq!(
        previous_period(d(2026, 11, 1), d(2026, 11, 30)),
        (d(2026, 10, 2), d(2026, 10, 31))
    );
    assert_eq!(
        previous_period(d(2026, 3, 1), d(2026, 3, 1)),
        (d(2026, 2, 28), d(2026, 2, 28))
    );
    assert_eq!(previous_period(Day(10), Day(5)), (Day(9), Day(9)));
    assert_eq!(
        previous_period(Day(i64::MIN), Day(i64::MAX)),
        (Day(i64::MIN), Day(i64::MIN))
    );
}

#[test]
fn compare_block_by_hand() {
    let (from, to) = previous_period(Day::from_ymd(2026, 11, 1), Day::from_ymd(2026, 11, 30));
    let mut now = tallies(Kind::Csat, &[(5, 70), (4, 50), (2, 80)]);
    let mut before = tallies(Kind::Csat, &[(5, 40), (4, 50), (1, 110)]);
    // CES: now n = 30, mean 5.7667, s² = 1.4954; before n = 30, mean 4.8, s² = 2.0966;
    // se² = 0.049847 + 0.069885, t = 0.96667 / 0.34602 = 2.7936, df = 56.42, p = 0.0071058.
    now.0[Kind::Ces.index()] = tally(Kind::Ces, &[(7, 10), (6, 10), (5, 5), (4, 3), (3, 2)]);
    before.0[Kind::Ces.index()] =
        tally(Kind::Ces, &[(7, 4), (6, 6), (5, 8), (4, 6), (3, 4), (2, 2)]);
    // Thumbs 44/50 up vs 30/50: z = 3.1917, p = 0.0014143.
    now.0[Kind::Thumbs.index()] = tally(Kind::Thumbs, &[(1, 44), (0, 6)]);
    before.0[Kind::Thumbs.index()] = tally(Kind::Thumbs, &[(1, 30), (0, 20)]);
    // Response rate 30/200 vs 45/200: z = −1.9215, p = 0.054664 (not significant).
    let reach_now = ReachTally {
        shown: 200,
        dismissed: 20,
        answered: 30,
    };
    let reach_before = ReachTally {
        shown: 200,
        dismissed: 10,
        answered: 45,
    };
    let c = compare(
        from,
        to,
        &now,
        &before,
        Some(&reach_now),
        Some(&reach_before),
    );
    assert_eq!(
        (c.from.as_str(), c.to.as_str()),
        ("2026-10-02", "2026-10-31")
    );
    assert_eq!(c.responses, 200 + 30 + 50);
    assert_eq!((c.csat.score, c.csat.delta), (Some(45.0), Some(15.0)));
    close(c.csat.p_value.unwrap(), 0.002_666_681_793_614_093, 1e-10);
    assert_eq!(c.csat.significant, Some(true));
    assert_eq!((c.ces.mean, c.ces.delta), (Some(4.8), Some(0.97)));
    close(c.ces.p_value.unwrap(), 0.007_105_822_814_132_696, 1e-9);
    assert_eq!((c.thumbs.up_pct, c.thumbs.delta), (Some(60.0), Some(28.0)));
    close(c.thumbs.p_value.unwrap(), 0.001_414_257_811_528_493, 1e-10);
    assert_eq!(
        (c.response_rate.rate, c.response_rate.delta),
        (Some(22.5), Some(-7.5))
    );
    close(
        c.response_rate.p_value.unwrap(),
        0.054_663_935_891_675_14,
        1e-10,
    );
    assert_eq!(c.response_rate.significant, Some(false));
    // No NPS or stars answers on either side: every value null, and the keys still there.
    let json = serde_json::to_value(&c).unwrap();
    let null = serde_json::Value::Null;
    for key in ["score", "delta", "p_value", "significant"] {
        assert_eq!(json["nps"][key], null, "{key}");
    }
    for key in ["mean", "delta", "p_value", "significant"] {
        assert_eq!(json["stars"][key], null, "{key}");
    }
    let back: domain::wire::Compare = serde_json::from_value(json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn one_sided_data_gives_nulls_and_small_samples_give_values_without_p() {
    let now = tallies(Kind::Stars, &[(5, 1)]);
    let before = tallies(Kind::Stars, &[(3, 4), (4, 2)]);
    let c = compare(
        Day(0),
        Day(0),
        &now,
        &before,
        None,
        Some(&ReachTally::default()),
    );
    // One answer now: the mean and delta exist, but Welch needs n ≥ 2 on both sides.
    assert_eq!((c.stars.mean, c.stars.delta), (Some(3.33), Some(1.67)));
    assert_eq!((c.stars.p_value, c.stars.significant), (None, None));
    let empty = compare(Day(0), Day(0), &Tallies::default(), &before, None, None);
    assert_eq!(empty.stars.mean, None);
    assert_eq!(empty.response_rate.rate, None);
    assert_eq!(c.response_rate.delta, None);
}

fn counts() -> impl Strategy<Value = (u64, u64)> {
    (0u64..5000).prop_flat_map(|n| (0..=n, Just(n)))
}

fn moments() -> impl Strategy<Value = Moments> {
    (1u64..10_000, 1.0..7.0f64, 0.0..9.0f64).prop_map(|(n, mean, variance)| Moments {
        n,
        mean,
        variance,
    })
}

fn nps_counts() -> impl Strategy<Value = NpsCounts> {
    (0u64..2000, 0u64..2000, 0u64..2000).prop_map(|(p, d, passive)| NpsCounts {
        promoters: p,
        detractors: d,
        n: p + d + passive,
    })
}

#[track_caller]
fn valid_and_symmetric(ab: Option<Test>, ba: Option<Test>) {
    assert_eq!(ab.is_some(), ba.is_some());
    if let (Some(ab), Some(ba)) = (ab, ba) {
        assert!(
            ab.p_value.is_finite() && (0.0..=1.0).contains(&ab.p_value),
            "{ab:?}"
        );
        assert!(ab.statistic.is_finite());
        assert!((ab.p_value - ba.p_value).abs() <= 1e-12, "{ab:?} {ba:?}");
        assert_eq!(ab.statistic, -ba.statistic);
    }
}

proptest! {
    #[test]
    fn proportion_test_is_a_symmetric_probability((x1, n1) in counts(), (x2, n2) in counts()) {
        valid_and_symmetric(two_proportion_z(x1, n1, x2, n2), two_proportion_z(x2, n2, x1, n1));
    }

    #[test]
    fn nps_test_is_a_symmetric_probability(a in nps_counts(), b in nps_counts()) {
        valid_and_symmetric(nps_z(a, b), nps_z(b, a));
    }

    #[test]
    fn welch_test_is_a_symmetric_probability(a in moments(), b in moments()) {
        valid_and_symmetric(welch_t(&a, &b), welch_t(&b, &a));
    }

    #[test]
    fn t_p_is_a_probability_falling_with_t(t in 0.0..60.0f64, dt in 0.0..5.0f64, df in 1e-3..1e9f64) {
        let p = student_t_two_sided_p(t, df).unwrap();
        let further = student_t_two_sided_p(t + dt, df).unwrap();
        prop_assert!(p.is_finite() && (0.0..=1.0).contains(&p));
        prop_assert!(further <= p + 1e-12, "{p} {further}");
    }

    #[test]
    fn heavier_tails_give_larger_p(t in 0.0..10.0f64, df in 1.0..1e5f64) {
        // Student t approaches the normal from above as df grows.
        let (tp, zp) = (student_t_two_sided_p(t, df).unwrap(), normal_two_sided_p(t).unwrap());
        prop_assert!(tp >= zp - 1e-12, "{tp} {zp}");
    }

    #[test]
    fn compare_is_antisymmetric(a in prop::array::uniform5(0u64..50), b in prop::array::uniform5(0u64..50)) {
        let (mut now, mut before) = (Tallies::default(), Tallies::default());
        for s in 1..=5u8 {
            for kind in [Kind::Csat, Kind::Stars] {
                now.add(kind, s, a[s as usize - 1]);
                before.add(kind, s, b[s as usize - 1]);
            }
        }
        let ab = compare(Day(0), Day(0), &now, &before, None, None);
        let ba = compare(Day(0), Day(0), &before, &now, None, None);
        prop_assert_eq!(ab.csat.delta, ba.csat.delta.map(|d| -d));
        prop_assert_eq!(ab.stars.delta, ba.stars.delta.map(|d| -d));
        prop_assert_eq!(ab.csat.significant, ba.csat.significant);
        prop_assert_eq!(ab.stars.significant, ba.stars.significant);
    }
}
