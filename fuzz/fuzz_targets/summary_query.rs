//! A query string (`from=2026-11-01&to=2026-11-30&kind=nps`, already percent-decoded) into the
//! summary query parser: it must never panic, and an accepted query must be a range the summary
//! can be built for.

#![no_main]

use domain::calendar::Day;
use domain::limits::MAX_SUMMARY_DAYS;
use domain::summary::{self, SummaryQuery};
use libfuzzer_sys::fuzz_target;

/// 2026-11-25, fixed so a crash reproduces on any day.
const TODAY: Day = Day(20_782);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let params = text.split('&').map(|pair| pair.split_once('=').unwrap_or((pair, "")));
    let Ok(query) = SummaryQuery::parse(params, TODAY) else { return };
    let days = query.to.0 - query.from.0 + 1;
    assert!((1..=MAX_SUMMARY_DAYS).contains(&days), "{query:?}");
    // Building an empty summary formats every day of the range.
    let built = summary::build("fuzz", &query, &[], Vec::new());
    assert_eq!(built.daily.len() as i64, days);
    assert_eq!((built.from, built.to), (query.from.to_string(), query.to.to_string()));
});
