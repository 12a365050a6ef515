//! Query strings: what one side writes with `to_query`, the other side's `parse` reads back
//! unchanged (the dashboard → worker, and the primary → its shards).

use domain::calendar::Day;
use domain::export::{ExportFormat, ExportQuery, ExportRecords};
use domain::summary::SummaryQuery;
use domain::Kind;
use proptest::prelude::*;

/// `?a=1&b=2` → `[("a", "1"), ("b", "2")]` (values here never need unescaping).
fn pairs(q: &str) -> Vec<(&str, &str)> {
    q.trim_start_matches('?')
        .split('&')
        .filter_map(|p| p.split_once('='))
        .collect()
}

const TODAY: Day = Day(20_787);

fn summary_query() -> impl Strategy<Value = SummaryQuery> {
    (
        0i64..30_000,
        0i64..domain::limits::MAX_SUMMARY_DAYS,
        proptest::option::of("[a-z0-9._-]{1,64}"),
        proptest::option::of(prop::sample::select(Kind::ALL.to_vec())),
        prop::bool::ANY,
    )
        .prop_map(|(from, len, touchpoint, kind, compare)| SummaryQuery {
            from: Day(from),
            to: Day(from + len),
            touchpoint,
            kind,
            compare,
        })
}

fn export_query() -> impl Strategy<Value = ExportQuery> {
    (
        prop::bool::ANY,
        proptest::option::of(0i64..30_000),
        proptest::option::of(0i64..400),
        proptest::option::of((
            0i64..(1 << 50),
            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        )),
        1usize..=domain::limits::MAX_EXPORT_PAGE,
    )
        .prop_map(|(csv, from, len, after, limit)| ExportQuery {
            format: if csv {
                ExportFormat::Csv
            } else {
                ExportFormat::Ndjson
            },
            from: from.map(Day),
            to: from.zip(len).map(|(f, l)| Day(f + l)),
            after,
            limit,
            include_contact: limit % 2 == 0,
            records: if limit % 3 == 0 {
                ExportRecords::Displays
            } else {
                ExportRecords::Responses
            },
        })
}

proptest! {
    #[test]
    fn summary_queries_round_trip(q in summary_query()) {
        let text = q.to_query();
        prop_assert_eq!(SummaryQuery::parse(pairs(&text), TODAY), Ok(q), "{}", text);
    }

    #[test]
    fn export_queries_round_trip(q in export_query()) {
        let text = q.to_query();
        prop_assert_eq!(ExportQuery::parse(pairs(&text)), Ok(q), "{}", text);
    }
}

#[test]
fn the_recent_query_is_the_parse_default() {
    assert_eq!(
        SummaryQuery::parse([], TODAY),
        Ok(SummaryQuery::recent(TODAY))
    );
    assert_eq!(
        SummaryQuery::recent(TODAY).to_query(),
        "?from=2026-11-01&to=2026-11-30"
    );
}
