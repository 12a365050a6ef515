//! Cases and recovery: statuses, the PATCH body, the contact field and the recovery block
//! worked by hand.

use domain::metrics::wilson95;
use domain::recovery::{
    after_follow_up, check_contact, decode_case_patch, nearest_rank, recovery, validate_contact,
    CaseFacts, CaseStatus, CaseUpdate,
};
use domain::wire::{CasePatch, HoursSpread};
use domain::{Code, Kind};
use proptest::prelude::*;

const H: i64 = 3_600_000;

#[test]
fn statuses_round_trip_and_every_change_is_allowed() {
    for s in CaseStatus::ALL {
        assert_eq!(CaseStatus::parse(s.as_str()), Ok(s));
        for to in CaseStatus::ALL {
            assert_eq!(s.changes_to(to), s != to);
        }
    }
    let bad = CaseStatus::parse("closed").unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("status"));
}

#[test]
fn a_negative_follow_up_reopens_the_case() {
    assert_eq!(after_follow_up(Kind::Csat, 2), Some(CaseStatus::Open));
    assert_eq!(after_follow_up(Kind::Csat, 4), None);
    assert_eq!(after_follow_up(Kind::Nps, 6), Some(CaseStatus::Open));
    assert_eq!(after_follow_up(Kind::Thumbs, 1), None);
}

#[test]
fn case_patch_bodies() {
    let ok = |body: &str, status: CaseStatus, note: Option<&str>| {
        assert_eq!(
            decode_case_patch(body.as_bytes()),
            Ok(CaseUpdate {
                status,
                note: note.map(str::to_string)
            }),
            "{body}"
        );
    };
    ok(r#"{"status":"contacted"}"#, CaseStatus::Contacted, None);
    ok(
        r#"{"status":"resolved","note":"  refunded\nby mail "}"#,
        CaseStatus::Resolved,
        Some("refunded\nby mail"),
    );
    ok(r#"{"status":"open","note":"   "}"#, CaseStatus::Open, None);
    ok(r#"{"status":"open","note":null}"#, CaseStatus::Open, None);
    let long = "é".repeat(1000);
    ok(
        &format!(r#"{{"status":"open","note":"{long}"}}"#),
        CaseStatus::Open,
        Some(&long),
    );

    let bad = |body: String, code: Code, field: Option<&str>| {
        let f = decode_case_patch(body.as_bytes()).unwrap_err();
        assert_eq!((f.code, f.field.as_deref()), (code, field), "{body}");
    };
    bad(r#"{}"#.into(), Code::MissingField, Some("status"));
    bad(
        r#"{"status":null}"#.into(),
        Code::MissingField,
        Some("status"),
    );
    bad(r#"{"status":3}"#.into(), Code::InvalidType, Some("status"));
    bad(
        r#"{"status":"OPEN"}"#.into(),
        Code::InvalidStatus,
        Some("status"),
    );
    bad(
        r#"{"status":"open","note":5}"#.into(),
        Code::InvalidType,
        Some("note"),
    );
    bad(
        format!(r#"{{"status":"open","note":"{}"}}"#, "a".repeat(1001)),
        Code::InvalidNote,
        Some("note"),
    );
    bad(
        r#"{"status":"open","note":"a\u0007"}"#.into(),
        Code::InvalidNote,
        Some("note"),
    );
    bad(
        r#"{"status":"open","by":"me"}"#.into(),
        Code::UnknownField,
        Some("by"),
    );
    bad(
        r#"{"status":"open","status":"resolved"}"#.into(),
        Code::DuplicateField,
        Some("status"),
    );
    bad("[]".into(), Code::NotAnObject, None);
    // The typed body both ends use validates the same way.
    let typed = CasePatch {
        status: "resolved".into(),
        note: Some(" ok ".into()),
    };
    assert_eq!(
        CaseUpdate::try_from(typed).unwrap().note.as_deref(),
        Some("ok")
    );
}

#[test]
fn contact_is_one_trimmed_line_of_1_to_200_characters_on_negative_answers_only() {
    assert_eq!(
        validate_contact("  ana@example.com "),
        Ok("ana@example.com".into())
    );
    assert_eq!(validate_contact(&"ж".repeat(200)), Ok("ж".repeat(200)));
    for bad in ["", "   ", "a\nb", "a\u{0}"] {
        let f = validate_contact(bad).unwrap_err();
        assert_eq!(
            (f.code, f.field.as_deref()),
            (Code::InvalidContact, Some("contact"))
        );
    }
    assert!(validate_contact(&"ж".repeat(201)).is_err());
    assert_eq!(check_contact("+1 555 0100", true), Ok("+1 555 0100".into()));
    let f = check_contact("+1 555 0100", false).unwrap_err();
    assert_eq!(f.field.as_deref(), Some("contact"));
}

/// A case opened at `opened` hours; the rest filled in by the caller.
fn case(opened: i64, kind: Kind, first: u8) -> CaseFacts {
    CaseFacts {
        opened_at_ms: opened * H,
        contacted_at_ms: None,
        resolved_at_ms: None,
        status: CaseStatus::Open,
        status_since_ms: opened * H,
        has_contact: false,
        kind,
        first_score: first,
        follow_up_score: None,
    }
}

#[test]
fn recovery_of_six_cases_by_hand() {
    let now = 100 * H;
    let cases = [
        // 1: contacted at 2 h, resolved at 10 h; follow-up 4 (not negative): recovered, +3.
        CaseFacts {
            contacted_at_ms: Some(2 * H),
            resolved_at_ms: Some(10 * H),
            status: CaseStatus::Resolved,
            status_since_ms: 10 * H,
            has_contact: true,
            follow_up_score: Some(4),
            ..case(0, Kind::Csat, 1)
        },
        // 2: contacted at 60 h (first response late), contacted for 40 h: not past SLA.
        CaseFacts {
            contacted_at_ms: Some(60 * H),
            status: CaseStatus::Contacted,
            status_since_ms: 60 * H,
            has_contact: true,
            ..case(0, Kind::Csat, 2)
        },
        // 3: open since 10 h, 90 h untouched: past SLA, a certain miss.
        case(10, Kind::Csat, 1),
        // 4: open since 80 h: within SLA so far, undecided.
        case(80, Kind::Csat, 1),
        // 5: resolved at 30 h, negative follow-up (NPS 5) reopened it at 40 h: past SLA
        //    (60 h open); not recovered, +2.
        CaseFacts {
            resolved_at_ms: Some(30 * H),
            status_since_ms: 40 * H,
            follow_up_score: Some(5),
            ..case(0, Kind::Nps, 3)
        },
        // 6: contacted at 47 h (just in time), resolved at 90 h; follow-up stars 2: not
        //    recovered, +0.
        CaseFacts {
            contacted_at_ms: Some(47 * H),
            resolved_at_ms: Some(90 * H),
            status: CaseStatus::Resolved,
            status_since_ms: 90 * H,
            has_contact: true,
            follow_up_score: Some(2),
            ..case(0, Kind::Stars, 2)
        },
    ];
    let r = recovery(&cases, now, 48);
    assert_eq!(
        (
            r.cases,
            r.with_contact,
            r.open,
            r.contacted,
            r.resolved,
            r.past_sla
        ),
        (6, 3, 3, 1, 2, 2)
    );
    // Contact times 2, 47, 60 h: median rank ⌈1.5⌉ = 2 → 47; p90 rank ⌈2.7⌉ = 3 → 60.
    let spread = |median, p90| HoursSpread {
        median: Some(median),
        p90: Some(p90),
    };
    assert_eq!(r.time_to_contact_hours, spread(47.0, 60.0));
    // Resolve times 10, 30, 90 h.
    assert_eq!(r.time_to_resolve_hours, spread(30.0, 90.0));
    // Decided: 1 ✓ (2 h), 2 ✗ (60 h), 3 ✗ (none after 90 h), 5 ✓ (30 h), 6 ✓ (47 h); 4 undecided.
    assert_eq!(r.within_sla_pct, Some(60.0));
    assert_eq!((r.followed_up, r.recovered), (3, 1));
    assert_eq!(r.recovery_rate, Some(33.3));
    // Wilson for 1 of 3: [0.0615, 0.7923].
    assert_eq!(r.recovery_rate_ci95, Some([6.1, 79.2]));
    assert_eq!(r.recovery_rate_ci95, wilson95(1, 3));
    // (3 + 2 + 0) / 3.
    assert_eq!(r.lift, Some(1.67));
}

#[test]
fn no_cases_gives_nulls() {
    let r = recovery(&[], 0, 48);
    let none = HoursSpread {
        median: None,
        p90: None,
    };
    assert_eq!((r.cases, r.past_sla, r.followed_up), (0, 0, 0));
    assert_eq!(
        (r.time_to_contact_hours, r.time_to_resolve_hours),
        (none, none)
    );
    assert_eq!(
        (
            r.within_sla_pct,
            r.recovery_rate,
            r.recovery_rate_ci95,
            r.lift
        ),
        (None, None, None, None)
    );
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["lift"].is_null() && json["time_to_contact_hours"]["median"].is_null());
}

#[test]
fn nearest_rank_percentiles() {
    let v: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(nearest_rank(&v, 50), Some(5.0));
    assert_eq!(nearest_rank(&v, 90), Some(9.0));
    assert_eq!(nearest_rank(&v, 100), Some(10.0));
    assert_eq!(nearest_rank(&[7.25], 90), Some(7.3));
    assert_eq!(nearest_rank(&[], 50), None);
}

fn any_case() -> impl Strategy<Value = CaseFacts> {
    (
        0i64..1000,
        prop::option::of(0i64..1000),
        prop::option::of(0i64..1000),
        prop::sample::select(CaseStatus::ALL.to_vec()),
        prop::sample::select(Kind::ALL.to_vec()),
        any::<u8>(),
        prop::option::of(any::<u8>()),
        any::<bool>(),
    )
        .prop_map(|(opened, c, r, status, kind, first, follow, contact)| {
            let s = kind.scale();
            let score = |x: u8| s.min + x % (s.max - s.min + 1);
            CaseFacts {
                contacted_at_ms: c.map(|h| h * H),
                resolved_at_ms: r.map(|h| h * H),
                status,
                has_contact: contact,
                follow_up_score: follow.map(score),
                ..case(opened, kind, score(first))
            }
        })
}

proptest! {
    #[test]
    fn recovery_numbers_stay_in_range(cases in prop::collection::vec(any_case(), 0..40), now in 0i64..2000, sla in 0u32..200) {
        let r = recovery(&cases, now * H, sla);
        prop_assert_eq!(r.open + r.contacted + r.resolved, r.cases);
        prop_assert!(r.recovered <= r.followed_up && r.past_sla <= r.cases);
        for pct in [r.recovery_rate, r.within_sla_pct].into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&pct));
        }
        if let Some([lo, hi]) = r.recovery_rate_ci95 {
            prop_assert!(0.0 <= lo && lo <= hi && hi <= 100.0);
        }
        if let Some(lift) = r.lift {
            prop_assert!((-10.0..=10.0).contains(&lift));
        }
        for s in [r.time_to_contact_hours, r.time_to_resolve_hours] {
            prop_assert!(s.median <= s.p90);
        }
    }
}

mod cases_pages {
    use domain::recovery::{decode_follow_ups, merge_cases, CaseStatus, CasesQuery, StatusFilter};
    use domain::wire::CaseView;
    use domain::Code;

    fn case(n: u32) -> CaseView {
        CaseView {
            id: format!("{n:08x}-0000-4000-8000-000000000000"),
            received_at: String::new(),
            touchpoint: "checkout".into(),
            kind: "csat".into(),
            score: 1,
            comment: None,
            contact: None,
            status: "open".into(),
            history: vec![],
            follow_up: None,
        }
    }

    #[test]
    fn queries_default_to_open_and_round_trip() {
        let q = CasesQuery::parse([]).unwrap();
        assert_eq!(
            (q.status, q.limit, q.touchpoint, q.after),
            (StatusFilter::Only(CaseStatus::Open), 50, None, None)
        );
        let c = format!("1764000000000.{}", case(7).id);
        for params in [
            vec![("status", "all"), ("limit", "1")],
            vec![
                ("status", "resolved"),
                ("touchpoint", "checkout"),
                ("cursor", c.as_str()),
            ],
            vec![("status", "contacted"), ("limit", "100")],
        ] {
            let q = CasesQuery::parse(params.clone()).unwrap();
            let text = q.to_query();
            let back: Vec<(&str, &str)> = text[1..]
                .split('&')
                .map(|kv| kv.split_once('=').unwrap())
                .collect();
            assert_eq!(CasesQuery::parse(back).unwrap(), q, "{params:?}");
        }
        for bad in [
            ("status", "closed"),
            ("limit", "0"),
            ("limit", "101"),
            ("cursor", "x"),
            ("touchpoint", "Check Out"),
            ("sort", "asc"),
        ] {
            let f = CasesQuery::parse([bad]).unwrap_err();
            assert_eq!(f.code, Code::InvalidQuery, "{bad:?}");
        }
    }

    #[test]
    fn pages_merge_newest_first_and_the_cursor_resumes_without_gaps_or_repeats() {
        // Three objects; cases at times with ties (same opened_at, ids decide).
        let all: Vec<(i64, CaseView)> = (0..25).map(|n| ((n / 3) as i64, case(n))).collect();
        let shard = |k: u32| -> Vec<(i64, CaseView)> {
            all.iter()
                .filter(|(_, c)| u32::from_str_radix(&c.id[..8], 16).unwrap() % 3 == k)
                .cloned()
                .collect()
        };
        let mut seen = Vec::new();
        let mut q = CasesQuery {
            limit: 4,
            ..CasesQuery::default()
        };
        loop {
            // Each object returns its newest `limit + 1` after the cursor.
            let parts = (0..3).map(|k| {
                let mut mine: Vec<(i64, CaseView)> = shard(k)
                    .into_iter()
                    .filter(|(ms, c)| q.is_after_cursor(*ms, &c.id))
                    .collect();
                mine.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.id.cmp(&a.1.id)));
                mine.truncate(q.limit + 1);
                mine
            });
            let (page, next) = merge_cases(parts, q.limit);
            assert!(page.len() <= 4);
            seen.extend(page.into_iter().map(|c| c.id));
            match next {
                Some(c) => q = CasesQuery::parse([("cursor", c.as_str()), ("limit", "4")]).unwrap(),
                None => break,
            }
        }
        let mut want: Vec<(i64, String)> = all.iter().map(|(ms, c)| (*ms, c.id.clone())).collect();
        want.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, want.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
    }

    #[test]
    fn follow_up_bodies() {
        let id = |n: u32| format!("{n:08x}-0000-4000-8000-000000000000");
        let body = format!(
            r#"{{"ids":["{}","{}","{}"]}}"#,
            id(1),
            id(2).to_uppercase(),
            id(1)
        );
        assert_eq!(
            decode_follow_ups(body.as_bytes()).unwrap(),
            vec![id(1), id(2)]
        );
        assert_eq!(
            decode_follow_ups(br#"{"ids":[]}"#).unwrap(),
            Vec::<String>::new()
        );
        let twenty_one: Vec<String> = (0..21).map(id).collect();
        let check = |body: String, code: Code, field: &str| {
            let f = decode_follow_ups(body.as_bytes()).unwrap_err();
            assert_eq!((f.code, f.field.as_deref()), (code, Some(field)), "{body}");
        };
        check(
            serde_json::json!({"ids": twenty_one}).to_string(),
            Code::InvalidId,
            "ids",
        );
        check(r#"{"ids":["nope"]}"#.into(), Code::InvalidId, "ids");
        check(r#"{"ids":[1]}"#.into(), Code::InvalidId, "ids");
        check(r#"{"ids":"x"}"#.into(), Code::InvalidType, "ids");
        check(r#"{}"#.into(), Code::MissingField, "ids");
        check(r#"{"ids":[],"x":1}"#.into(), Code::UnknownField, "x");
    }
}
