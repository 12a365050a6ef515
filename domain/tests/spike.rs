//! `touchpoint.spike`: the z-test by hand, the count floor, an empty baseline, once a day.

use domain::calendar::{Day, MS_PER_DAY};
use domain::limits::SPIKE_BASELINE_DAYS;
use domain::spike::{should_send, spike, windows, z_score};
use proptest::prelude::*;

#[test]
fn pooled_z_by_hand() {
    // 10/50 recent vs 50/1000 baseline: p̂ = 60/1050 = 0.0571429,
    // se = √(0.0571429·0.9428571·(1/50 + 1/1000)) = √(0.0538776·0.021) = 0.0336366,
    // z = (0.2 − 0.05)/0.0336366 = 4.45941; P(Z > z) = 4.109e-6.
    let z = z_score(10, 50, 50, 1000).unwrap();
    assert!((z - 4.45941).abs() < 1e-5, "{z}");
    let s = spike(10, 50, 50, 1000).unwrap();
    assert_eq!((s.recent_pct, s.baseline_pct), (20.0, 5.0));
    assert!((s.p_value - 4.109e-6).abs() < 0.001e-6, "{}", s.p_value);
}

#[test]
fn a_flat_baseline_never_fires() {
    // 10 % negative every day for 28 days, and 10–12 % today.
    for today_neg in 0..=12 {
        assert_eq!(spike(today_neg, 100, 280, 2800), None, "{today_neg}");
    }
}

#[test]
fn a_real_jump_fires() {
    // 2 % → 20 %: p̂ = 76/2900, se = 0.016258, z = 0.18/0.016258 ≈ 11.07.
    let s = spike(20, 100, 56, 2800).expect("fires");
    assert!((s.z - 11.07).abs() < 0.01, "{}", s.z);
    assert_eq!(
        (s.recent_negative, s.recent_n, s.baseline_n),
        (20, 100, 2800)
    );
}

#[test]
fn a_quiet_touchpoint_with_two_negatives_never_fires() {
    // 2/2 after 0/30: z = 1/√(0.0625·0.9375·(1/2 + 1/30)) ≈ 5.66 > 3, but only 2 negatives.
    assert!(z_score(2, 2, 0, 30).unwrap() > 3.0);
    assert_eq!(spike(2, 2, 0, 30), None);
    // The floor is 5: four still do not fire, five do.
    assert_eq!(spike(4, 4, 0, 30), None);
    assert!(spike(5, 5, 0, 30).is_some());
}

#[test]
fn an_empty_or_all_negative_baseline_never_fires() {
    assert_eq!(spike(50, 50, 0, 0), None);
    assert_eq!(z_score(50, 50, 0, 0), None);
    assert_eq!(spike(50, 50, 100, 100), None);
    assert_eq!(spike(0, 0, 5, 100), None);
    // Inconsistent counts are refused rather than trusted.
    assert_eq!(spike(10, 5, 0, 100), None);
}

#[test]
fn at_most_one_alert_per_touchpoint_per_utc_day() {
    let day = Day::from_ymd(2026, 11, 30);
    assert!(should_send(None, day));
    assert!(!should_send(Some(day), day));
    assert!(should_send(Some(Day(day.0 - 1)), day));
    // Hourly checks over two days while the spike lasts: one alert each day.
    let mut last = None;
    let mut sent = 0;
    for hour in 0..48 {
        let today = Day::from_unix_ms(day.start_ms() + hour * 3_600_000);
        if spike(20, 100, 56, 2800).is_some() && should_send(last, today) {
            last = Some(today);
            sent += 1;
        }
    }
    assert_eq!(sent, 2);
}

#[test]
fn windows_are_the_last_day_and_the_days_before() {
    let now = 1_764_110_553_120;
    let w = windows(now);
    assert_eq!(w.now_ms - w.recent_from_ms, MS_PER_DAY);
    assert_eq!(
        w.recent_from_ms - w.baseline_from_ms,
        SPIKE_BASELINE_DAYS * MS_PER_DAY
    );
}

proptest! {
    #[test]
    fn never_fires_when_the_recent_share_is_not_higher(
        base_n in 1u64..5000, base_frac in 0.0f64..=1.0, n in 1u64..500, frac in 0.0f64..=1.0,
    ) {
        let base_neg = (base_n as f64 * base_frac) as u64;
        let neg = (n as f64 * frac) as u64;
        if (neg as f64) / (n as f64) <= base_neg as f64 / base_n as f64 {
            prop_assert_eq!(spike(neg, n, base_neg, base_n), None);
        }
        if let Some(s) = spike(neg, n, base_neg, base_n) {
            prop_assert!(s.z > 3.0 && s.recent_negative >= 5);
            prop_assert!((0.0..=1.0).contains(&s.p_value));
        }
    }
}
