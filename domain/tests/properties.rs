//! Property tests: the decoder never panics, valid responses round-trip, metrics stay in range,
//! and merging rollups equals rolling up the union.

use domain::metrics::{self, Tallies, Tally};
use domain::wire::IngestRequest;
use domain::{decode_ingest, Kind, Response};
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

fn uuid() -> &'static str {
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
}

fn response() -> impl Strategy<Value = Response> {
    (
        uuid(),
        "[a-z0-9._-]{1,64}",
        kind(),
        any::<u8>(),
        proptest::option::of("[^\\p{Cc}]{0,80}"),
        proptest::option::of("https?://[a-z]{1,10}\\.example(/[a-z0-9]{0,8}){0,3}"),
        proptest::option::of(prop::sample::select(vec![
            "en",
            "fa",
            "pt-BR",
            "zh-Hant-TW",
        ])),
        prop::collection::btree_map("[a-z]{1,8}", "[a-z ]{0,20}", 0..4),
        (
            proptest::option::of(uuid()),
            proptest::option::of("[a-z0-9@.+ ]{0,10}[a-z0-9@.+]"),
            proptest::option::of(uuid()),
        ),
    )
        .prop_map(
            |(id, touchpoint, kind, score, comment, page, locale, attributes, extra)| {
                let s = kind.scale();
                let score = s.min + score % (s.max - s.min + 1);
                let (display_id, contact, follow_up_of) = extra;
                let req = IngestRequest {
                    id,
                    touchpoint,
                    kind: kind.to_string(),
                    score: score as i64,
                    comment,
                    page,
                    locale: locale.map(str::to_string),
                    attributes: attributes.into_iter().collect(),
                    display_id,
                    // A contact comes only with a negative score.
                    contact: contact.filter(|_| kind.is_negative(score)),
                    follow_up_of,
                };
                Response::try_from(req).expect("generated responses are valid")
            },
        )
}

fn tallies() -> impl Strategy<Value = Tallies> {
    prop::collection::vec((kind(), 0u8..=10, 0u64..50), 0..20).prop_map(|adds| {
        let mut t = Tallies::default();
        for (k, s, n) in adds {
            t.add(k, s, n);
        }
        t
    })
}

proptest! {
    #[test]
    fn decoder_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_ingest(&bytes);
    }

    #[test]
    fn decoder_never_panics_on_json_like_text(text in r#"[{}\[\]":,0-9a-z.\-eE \\u]{0,200}"#) {
        let _ = decode_ingest(text.as_bytes());
    }

    #[test]
    fn valid_responses_round_trip(r in response()) {
        let json = serde_json::to_vec(&IngestRequest::from(&r)).unwrap();
        prop_assert_eq!(decode_ingest(&json), Ok(r));
    }

    #[test]
    fn merge_is_commutative_associative_and_equals_the_union(a in tallies(), b in tallies(), c in tallies()) {
        let mut ab = a; ab.merge(&b);
        let mut ba = b; ba.merge(&a);
        prop_assert_eq!(ab, ba);
        let mut ab_c = ab; ab_c.merge(&c);
        let mut bc = b; bc.merge(&c);
        let mut a_bc = a; a_bc.merge(&bc);
        prop_assert_eq!(ab_c, a_bc);
        prop_assert_eq!(ab_c.n(), a.n() + b.n() + c.n());
    }

    #[test]
    fn metrics_stay_in_range(counts in prop::array::uniform11(0u64..1000)) {
        for k in Kind::ALL {
            let mut t = Tally::new(k);
            for (s, n) in counts.iter().enumerate() { t.add(s as u8, *n); }
            let in_pct = |x: Option<f64>| x.is_none_or(|v| (0.0..=100.0).contains(&v));
            let ci_ok = |ci: Option<[f64; 2]>, lo: f64, hi: f64| ci.is_none_or(|[a, b]| lo <= a && a <= b && b <= hi);
            let sc = k.scale();
            let c = metrics::csat(&t);
            prop_assert!(in_pct(c.score) && ci_ok(c.ci95, 0.0, 100.0));
            let n = metrics::nps(&t);
            prop_assert!(n.score.is_none_or(|v| (-100.0..=100.0).contains(&v)) && ci_ok(n.ci95, -100.0, 100.0));
            let e = metrics::ces(&t);
            prop_assert!(in_pct(e.agree_pct) && ci_ok(e.ci95, sc.min as f64, sc.max as f64));
            prop_assert!(e.mean.is_none_or(|m| m >= sc.min as f64 && m <= sc.max as f64));
            let th = metrics::thumbs(&t);
            prop_assert!(in_pct(th.up_pct) && ci_ok(th.ci95, 0.0, 100.0));
            prop_assert_eq!(c.n, t.n());
        }
    }
}

mod throttle {
    use domain::calendar::MS_PER_DAY;
    use domain::throttle::{decide, AskRules, Decision};
    use proptest::prelude::*;

    /// Times within ±300 years of 1970, in milliseconds.
    fn time() -> impl Strategy<Value = i64> {
        -10_000_000_000_000i64..10_000_000_000_000
    }

    fn draw() -> impl Strategy<Value = f64> {
        0.0..1.0f64
    }

    proptest! {
        #[test]
        fn never_asks_twice_within_the_window(
            days in 0u32..=3650, rate in 0.0..=1.0f64, asked in time(), later in 0i64..4_000 * MS_PER_DAY, d in draw()
        ) {
            let rules = AskRules { throttle_days: days, sample_rate: rate };
            let now = asked + later;
            let got = decide(&rules, Some(asked), now, d);
            if later < rules.window_ms() {
                prop_assert_eq!(got, Decision::Throttled { until_ms: asked + rules.window_ms() });
            } else {
                prop_assert!(!matches!(got, Decision::Throttled { .. }), "{:?}", got);
            }
        }

        #[test]
        fn rate_zero_never_asks_and_rate_one_always_asks_when_not_throttled(
            days in 0u32..=3650, last in proptest::option::of(time()), now in time(), d in any::<f64>()
        ) {
            let never = decide(&AskRules { throttle_days: days, sample_rate: 0.0 }, last, now, d);
            prop_assert_ne!(never, Decision::Ask);
            let always = decide(&AskRules { throttle_days: days, sample_rate: 1.0 }, last, now, d);
            prop_assert!(matches!(always, Decision::Ask | Decision::Throttled { .. }), "{:?}", always);
            // Sampling never turns a throttled moment into an ask, or the reverse.
            prop_assert_eq!(matches!(never, Decision::Throttled { .. }), matches!(always, Decision::Throttled { .. }));
        }

        #[test]
        fn sampling_asks_exactly_below_the_rate(rate in 0.0..=1.0f64, d in draw(), now in time()) {
            let got = decide(&AskRules { throttle_days: 30, sample_rate: rate }, None, now, d);
            let want = if d < rate { Decision::Ask } else { Decision::NotSampled };
            prop_assert_eq!(got, want);
        }

        #[test]
        fn never_panics_and_throttles_at_most_one_window_ahead(
            days in any::<u32>(), rate in any::<f64>(), last in proptest::option::of(any::<i64>()), now in any::<i64>(), d in any::<f64>()
        ) {
            let rules = AskRules { throttle_days: days, sample_rate: rate };
            if let Decision::Throttled { until_ms } = decide(&rules, last, now, d) {
                prop_assert!(until_ms > now);
                prop_assert!(until_ms - now <= rules.window_ms());
            }
        }
    }
}
