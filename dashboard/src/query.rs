//! What the owner is looking at: the date range and the touchpoint, and how they become the
//! query strings of the summary and export requests. The summary's default range and query
//! string are `domain::summary::SummaryQuery`'s, the ones the server parses.

use domain::calendar::Day;
use domain::limits::MAX_SUMMARY_DAYS;
use domain::summary::SummaryQuery;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// First UTC day, inclusive.
    pub from: Day,
    /// Last UTC day, inclusive.
    pub to: Day,
    /// `None`: every touchpoint.
    pub touchpoint: Option<String>,
}

/// The two export formats of `GET /v1/sites/{site}/responses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    pub fn param(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
    /// Records in one page of the export (CSV: without the header row of the first page; a
    /// quoted comment may span lines).
    pub fn records(self, page: &str, first: bool) -> usize {
        match self {
            Format::Csv => domain::export::parse_csv(page)
                .len()
                .saturating_sub(usize::from(first)),
            Format::Ndjson => page.lines().filter(|l| !l.is_empty()).count(),
        }
    }
}

impl Query {
    /// The server's default range up to and including `today` ([`SummaryQuery::recent`]).
    pub fn recent(today: Day) -> Query {
        let SummaryQuery {
            from,
            to,
            touchpoint,
            ..
        } = SummaryQuery::recent(today);
        Query {
            from,
            to,
            touchpoint,
        }
    }

    /// The summary request for this range and touchpoint (every kind), compared with the
    /// previous period of the same length.
    pub fn summary(&self) -> SummaryQuery {
        let mut q = SummaryQuery::recent(self.to);
        q.from = self.from;
        q.touchpoint = self.touchpoint.clone();
        q.compare = true;
        q
    }

    /// Why the server would refuse this range, in words, if it would.
    pub fn problem(&self) -> Option<String> {
        if self.from > self.to {
            Some("The start date is after the end date.".to_string())
        } else if self.to.0 - self.from.0 + 1 > MAX_SUMMARY_DAYS {
            Some(format!("Pick at most {MAX_SUMMARY_DAYS} days."))
        } else {
            None
        }
    }

    /// `?from=…&to=…[&touchpoint=…]&compare=previous` for the summary ([`SummaryQuery::to_query`]; touchpoints
    /// are the server's own, validated and URL-safe).
    pub fn summary_params(&self) -> String {
        self.summary().to_query()
    }

    /// The export of every answer in the range (the export has no touchpoint filter).
    pub fn export_params(&self, format: Format, cursor: Option<&str>) -> String {
        let mut q = format!(
            "?format={}&from={}&to={}",
            format.param(),
            self.from,
            self.to
        );
        if let Some(c) = cursor {
            q.push_str("&cursor=");
            q.push_str(&encode(c));
        }
        q
    }

    /// `earshot-demo-2026-11-01-2026-11-30.csv`
    pub fn file_name(&self, site: &str, format: Format) -> String {
        format!(
            "earshot-{site}-{}-{}.{}",
            self.from,
            self.to,
            format.extension()
        )
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn day(s: &str) -> Day {
        Day::parse(s, "day").unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_default_is_the_last_thirty_days_inclusive() {
        let q = Query::recent(day("2026-11-30"));
        assert_eq!((q.from, q.to), (day("2026-11-01"), day("2026-11-30")));
        assert_eq!(
            q.summary_params(),
            "?from=2026-11-01&to=2026-11-30&compare=previous"
        );
        assert_eq!(q.problem(), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn params_and_file_names() {
        let q = Query {
            from: day("2026-01-01"),
            to: day("2026-01-31"),
            touchpoint: Some("support-chat".into()),
        };
        assert_eq!(
            q.summary_params(),
            "?from=2026-01-01&to=2026-01-31&touchpoint=support-chat&compare=previous"
        );
        assert_eq!(
            q.export_params(Format::Csv, None),
            "?format=csv&from=2026-01-01&to=2026-01-31"
        );
        assert_eq!(
            q.export_params(Format::Ndjson, Some("1764110553120.0000000a-0000-4000-8000-000000000000")),
            "?format=ndjson&from=2026-01-01&to=2026-01-31&cursor=1764110553120.0000000a-0000-4000-8000-000000000000"
        );
        assert_eq!(
            q.file_name("demo", Format::Ndjson),
            "earshot-demo-2026-01-01-2026-01-31.ndjson"
        );
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ranges_the_server_would_refuse() {
        let backwards = Query {
            from: day("2026-02-01"),
            to: day("2026-01-01"),
            touchpoint: None,
        };
        assert!(backwards.problem().unwrap().contains("after"));
        let long = Query {
            from: day("2025-01-01"),
            to: day("2026-12-31"),
            touchpoint: None,
        };
        assert!(long.problem().unwrap().contains("400"));
        let one_day = Query {
            from: day("2026-01-01"),
            to: day("2026-01-01"),
            touchpoint: None,
        };
        assert_eq!(one_day.problem(), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn export_pages_count_records() {
        assert_eq!(
            Format::Csv.records("id,comment\r\n1,a\r\n2,\"two\r\nlines\"\r\n", true),
            2
        );
        assert_eq!(Format::Csv.records("3,c\r\n", false), 1);
        assert_eq!(Format::Csv.records("id,comment\r\n", true), 0);
        assert_eq!(Format::Ndjson.records("{}\n{}\n", true), 2);
        assert_eq!(Format::Ndjson.records("", true), 0);
    }
}
