//! Property tests: the decoder never panics, valid responses round-trip, metrics stay in range,
//! and merging rollups equals rolling up the union.

use domain::metrics::{self, Tallies, Tally};
use domain::wire::IngestRequest;
use domain::{decode_ingest, Kind, Response};
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

fn response() -> impl Strategy<Value = Response> {
    (
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "[a-z0-9._-]{1,64}",
        kind(),
        any::<u8>(),
        proptest::option::of("[^\\p{Cc}]{0,80}"),
        proptest::option::of("https?://[a-z]{1,10}\\.example(/[a-z0-9]{0,8}){0,3}"),
        proptest::option::of(prop::sample::select(vec!["en", "fa", "pt-BR", "zh-Hant-TW"])),
        prop::collection::btree_map("[a-z]{1,8}", "[a-z ]{0,20}", 0..4),
    )
        .prop_map(|(id, touchpoint, kind, score, comment, page, locale, attributes)| {
            let s = kind.scale();
            let req = IngestRequest {
                id,
                touchpoint,
                kind: kind.to_string(),
                score: (s.min + score % (s.max - s.min + 1)) as i64,
                comment,
                page,
                locale: locale.map(str::to_string),
                attributes,
            };
            Response::try_from(req).expect("generated responses are valid")
        })
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
