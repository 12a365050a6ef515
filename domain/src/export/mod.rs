//! Export formats for raw responses: NDJSON (one JSON object a line) and CSV (RFC 4180,
//! safe to open in a spreadsheet: cells that could start a formula are neutralized); export
//! queries and cursors; import lines. Displays (`records=displays`) are in [`displays`].

use serde::{Deserialize, Serialize};

mod displays;
pub use displays::{
    decode_display_record, display_at_ms, display_csv_header, display_csv_row, DisplayRecord,
    ImportedDisplay, DISPLAY_CSV_COLUMNS,
};

/// One exported response. Never carries an IP address, a cookie or a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRecord {
    pub id: String,
    pub received_at: String,
    pub touchpoint: String,
    pub kind: String,
    pub scale_version: u32,
    pub score: u8,
    pub negative: bool,
    pub comment: Option<String>,
    pub page: Option<String>,
    pub locale: Option<String>,
    pub country: Option<String>,
    pub attributes: crate::Attributes,
    /// The display this answers (see `display_id` on ingest); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_id: Option<String>,
    /// The case this answer follows up on; absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<String>,
    /// The customer's contact: only in exports asked for with `include_contact=true` (and in
    /// alerts of sites with `alert_contact`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

impl ExportRecord {
    /// Where the record is stored: with its case when it is a follow-up, else by its id (see
    /// [`crate::Response::shard_key`]).
    pub fn shard_key(&self) -> &str {
        self.follow_up_of.as_deref().unwrap_or(&self.id)
    }

    /// The record of a validated response received at `received_at_ms` (what is stored,
    /// exported and put in alerts).
    pub fn new(r: &crate::Response, received_at_ms: i64, country: Option<String>) -> ExportRecord {
        ExportRecord {
            id: r.id.clone(),
            received_at: crate::calendar::rfc3339_ms(received_at_ms),
            touchpoint: r.touchpoint.clone(),
            kind: r.kind.as_str().to_string(),
            scale_version: crate::kind::SCALE_VERSION,
            score: r.score,
            negative: r.is_negative(),
            comment: r.comment.clone(),
            page: r.page.clone(),
            locale: r.locale.clone(),
            country,
            attributes: r.attributes.clone(),
            display_id: r.display_id.clone(),
            follow_up_of: r.follow_up_of.clone(),
            contact: None,
        }
    }
}

/// A validated export query: date range (inclusive, optional), page size and cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportQuery {
    pub format: ExportFormat,
    pub from: Option<crate::calendar::Day>,
    pub to: Option<crate::calendar::Day>,
    /// Resume after this (received_at ms, id).
    pub after: Option<(i64, String)>,
    pub limit: usize,
    /// `include_contact=true`: records carry the contact customers left (personal data).
    pub include_contact: bool,
    /// Which records: answers (the default) or displays.
    pub records: ExportRecords,
}

/// What an export lists: `records=responses` (the default) or `records=displays`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportRecords {
    #[default]
    Responses,
    Displays,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
    Csv,
}

impl ExportQuery {
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, crate::Fault> {
        use crate::calendar::Day;
        use crate::error::{Code, Fault};
        let bad = |field: &str, m: &str| Fault::at(Code::InvalidQuery, field, m);
        let mut q = ExportQuery {
            format: ExportFormat::Ndjson,
            from: None,
            to: None,
            after: None,
            limit: crate::limits::EXPORT_PAGE,
            include_contact: false,
            records: ExportRecords::Responses,
        };
        for (k, v) in params {
            match k {
                "format" => {
                    q.format = match v {
                        "ndjson" => ExportFormat::Ndjson,
                        "csv" => ExportFormat::Csv,
                        _ => return Err(bad("format", "format is ndjson or csv")),
                    }
                }
                "from" => q.from = Some(Day::parse(v, "from")?),
                "to" => q.to = Some(Day::parse(v, "to")?),
                "cursor" => q.after = Some(cursor_param(v)?),
                "limit" => {
                    q.limit = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=crate::limits::MAX_EXPORT_PAGE).contains(n))
                        .ok_or_else(|| bad("limit", "limit is 1 to 5000"))?
                }
                "include_contact" => {
                    q.include_contact = match v {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(bad(
                                "include_contact",
                                "include_contact is true or false",
                            ))
                        }
                    }
                }
                "records" => {
                    q.records = match v {
                        "responses" => ExportRecords::Responses,
                        "displays" => ExportRecords::Displays,
                        _ => return Err(bad("records", "records is responses or displays")),
                    }
                }
                other => {
                    return Err(Fault::at(
                        Code::InvalidQuery,
                        other.chars().take(64).collect::<String>(),
                        "unknown query parameter (allowed: format, from, to, cursor, limit, include_contact, records)",
                    ))
                }
            }
        }
        if let (Some(f), Some(t)) = (q.from, q.to) {
            if f > t {
                return Err(bad("from", "from must not be after to"));
            }
        }
        Ok(q)
    }

    /// The query string that [`ExportQuery::parse`] reads back into this query (every value is
    /// validated and URL-safe, so nothing is escaped).
    pub fn to_query(&self) -> String {
        let mut q = format!(
            "?format={}&limit={}",
            match self.format {
                ExportFormat::Ndjson => "ndjson",
                ExportFormat::Csv => "csv",
            },
            self.limit
        );
        if let Some(f) = self.from {
            q.push_str(&format!("&from={f}"));
        }
        if let Some(t) = self.to {
            q.push_str(&format!("&to={t}"));
        }
        if let Some((ms, id)) = &self.after {
            q.push_str("&cursor=");
            q.push_str(&cursor(*ms, id));
        }
        if self.include_contact {
            q.push_str("&include_contact=true");
        }
        if self.records == ExportRecords::Displays {
            q.push_str("&records=displays");
        }
        q
    }

    /// Inclusive bounds on `received_at` in milliseconds ([`OPEN_MS`] where a side is open).
    pub fn ms_range(&self) -> (i64, i64) {
        (
            self.from.map_or(OPEN_MS.0, |d| d.start_ms()),
            self.to
                .map_or(OPEN_MS.1, |d| crate::calendar::Day(d.0 + 1).start_ms() - 1),
        )
    }
}

/// The bounds of an open time range, in milliseconds: the JavaScript safe integers, because the
/// edge binds them to SQL as JS numbers (beyond ±(2^53 − 1) they would be rounded, with a warning).
pub const OPEN_MS: (i64, i64) = (-(1 << 53) + 1, (1 << 53) - 1);

/// An exported record's id: with its position in milliseconds, the export's order and cursor.
pub trait Paged {
    fn id(&self) -> &str;
}

impl Paged for ExportRecord {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One export page from every object's page: oldest first by `(position ms, id)`, at most
/// `limit` records, and whether more remain (any object had more than fits).
pub fn merge_pages<R: Paged>(
    parts: impl IntoIterator<Item = Vec<(i64, R)>>,
    limit: usize,
) -> (Vec<(i64, R)>, bool) {
    let mut records: Vec<(i64, R)> = parts.into_iter().flatten().collect();
    records.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id().cmp(b.1.id())));
    let more = records.len() > limit;
    records.truncate(limit);
    (records, more)
}

/// `POST /v1/sites/{site}/import` answer (and each shard's part of it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: u64,
    pub duplicates: u64,
}

impl ImportReport {
    pub fn add(&mut self, other: ImportReport) {
        self.imported += other.imported;
        self.duplicates += other.duplicates;
    }
}

/// The import's line count rule: at most [`crate::limits::MAX_IMPORT_LINES`] records.
pub fn check_import_lines(lines: usize) -> Result<(), crate::Fault> {
    let max = crate::limits::MAX_IMPORT_LINES;
    if lines > max {
        return Err(crate::Fault::new(
            crate::error::Code::BodyTooLarge,
            format!("at most {max} records per import"),
        ));
    }
    Ok(())
}

/// The opaque cursor after the record (`received_at` ms, id).
pub fn cursor(received_at_ms: i64, id: &str) -> String {
    format!("{received_at_ms}.{id}")
}

/// The `cursor` query parameter of a paged route (exports, cases): a value this server gave in
/// `X-Earshot-Next-Cursor`, read back as (ms, id).
pub fn cursor_param(v: &str) -> Result<(i64, String), crate::error::Fault> {
    let parse = |s: &str| {
        let (ms, id) = s.split_once('.')?;
        let ms = ms.parse::<i64>().ok().filter(|m| *m >= 0)?;
        Some((ms, crate::ingest::validate_uuid_v4(id).ok()?))
    };
    parse(v).ok_or_else(|| {
        crate::error::Fault::at(
            crate::error::Code::InvalidQuery,
            "cursor",
            "cursor must be a value from X-Earshot-Next-Cursor",
        )
    })
}

/// One record of an import (`POST /v1/sites/{site}/import`, NDJSON in the export's format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub response: crate::Response,
    pub received_at_ms: i64,
    pub country: Option<String>,
}

/// One line of an import: an answer, or (with `"record": "display"`) a display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportLine {
    Response(Imported),
    Display(ImportedDisplay),
}

/// Decodes one NDJSON line of an import: a [`DisplayRecord`] when it has `"record": "display"`,
/// else an answer's [`ExportRecord`] (see [`decode_import_line`]).
pub fn decode_import_record(line: &str) -> Result<ImportLine, crate::Fault> {
    use crate::error::{Code, Fault};
    let object = crate::ingest::decode_object(line.as_bytes())?;
    match object.get("record") {
        None => Ok(ImportLine::Response(import_response(object)?)),
        Some(serde_json::Value::String(s)) if s == "display" => {
            Ok(ImportLine::Display(decode_display_record(object)?))
        }
        Some(_) => Err(Fault::at(
            Code::InvalidType,
            "record",
            "record is display (or absent, for an answer)",
        )),
    }
}

/// Decodes one NDJSON line of an import that must be an answer's export record. `negative` and
/// `scale_version` are derived and ignored; everything else is validated exactly like an
/// ingest body.
pub fn decode_import_line(line: &str) -> Result<Imported, crate::Fault> {
    import_response(crate::ingest::decode_object(line.as_bytes())?)
}

fn import_response(
    mut object: serde_json::Map<String, serde_json::Value>,
) -> Result<Imported, crate::Fault> {
    use crate::error::{Code, Fault};
    let received_at_ms = match object.remove("received_at") {
        Some(serde_json::Value::String(s)) => {
            crate::calendar::parse_rfc3339_ms(&s).ok_or_else(|| {
                Fault::at(
                    Code::InvalidType,
                    "received_at",
                    "received_at must be a UTC RFC 3339 time like 2026-11-25T10:00:00Z",
                )
            })?
        }
        Some(_) => {
            return Err(Fault::at(
                Code::InvalidType,
                "received_at",
                "received_at must be a string",
            ))
        }
        None => {
            return Err(Fault::at(
                Code::MissingField,
                "received_at",
                "received_at is required",
            ))
        }
    };
    let country = match object.remove("country") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(c))
            if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            Some(c.to_ascii_uppercase())
        }
        Some(_) => {
            return Err(Fault::at(
                Code::InvalidType,
                "country",
                "country is a two-letter code",
            ))
        }
    };
    object.remove("negative");
    object.remove("scale_version");
    let rest =
        serde_json::to_vec(&object).map_err(|e| Fault::new(Code::MalformedJson, e.to_string()))?;
    let response = crate::decode_ingest(&rest)?;
    Ok(Imported {
        response,
        received_at_ms,
        country,
    })
}

pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "received_at",
    "touchpoint",
    "kind",
    "scale_version",
    "score",
    "negative",
    "comment",
    "page",
    "locale",
    "country",
    "attributes",
];

/// One NDJSON line of an export record (an answer's or a display's).
pub fn ndjson_line<R: Serialize>(r: &R) -> String {
    let mut line = serde_json::to_string(r).unwrap_or_default();
    line.push('\n');
    line
}

pub fn csv_header() -> String {
    let mut s = CSV_COLUMNS.join(",");
    s.push_str("\r\n");
    s
}

pub fn csv_row(r: &ExportRecord) -> String {
    let attrs = if r.attributes.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&r.attributes).unwrap_or_default()
    };
    let cells = [
        r.id.as_str(),
        &r.received_at,
        &r.touchpoint,
        &r.kind,
        &r.scale_version.to_string(),
        &r.score.to_string(),
        if r.negative { "true" } else { "false" },
        r.comment.as_deref().unwrap_or(""),
        r.page.as_deref().unwrap_or(""),
        r.locale.as_deref().unwrap_or(""),
        r.country.as_deref().unwrap_or(""),
        &attrs,
    ];
    csv_line(&cells)
}

/// One CSV line (cells quoted where needed, CRLF-terminated).
pub fn csv_line(cells: &[&str]) -> String {
    let mut s = cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
    s.push_str("\r\n");
    s
}

/// Quotes a cell when needed; a cell a spreadsheet would read as a formula gets a leading `'`.
pub fn csv_cell(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) || formula {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Parses one CSV document (RFC 4180) back into rows; used to check exports round-trip.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) if chars.peek() == Some(&'\n') => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Reverses [`csv_cell`]'s formula guard.
pub fn csv_unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formula_safe() {
        let check = |input: &str, want: &str| assert_eq!(csv_cell(input), want, "{input}");
        check("plain", "plain");
        check("a,b", "\"a,b\"");
        check("say \"hi\"", "\"say \"\"hi\"\"\"");
        check("two\nlines", "\"two\nlines\"");
        check(
            "=HYPERLINK(\"http://evil\")",
            "\"'=HYPERLINK(\"\"http://evil\"\")\"",
        );
        check("+1", "\"'+1\"");
        check("-2", "\"'-2\"");
        check("@SUM(A1)", "\"'@SUM(A1)\"");
        check("", "");
    }

    #[test]
    fn an_exported_line_imports_as_the_same_record() {
        let r = ExportRecord {
            id: "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f".into(),
            received_at: "2026-10-01T08:30:00.250Z".into(),
            touchpoint: "checkout".into(),
            kind: "nps".into(),
            scale_version: 1,
            score: 3,
            negative: true,
            comment: Some("slow".into()),
            page: None,
            locale: Some("de".into()),
            country: Some("DE".into()),
            attributes: Default::default(),
            display_id: None,
            follow_up_of: None,
            contact: None,
        };
        let i = decode_import_line(ndjson_line(&r).trim_end()).unwrap();
        assert_eq!(crate::calendar::rfc3339_ms(i.received_at_ms), r.received_at);
        assert_eq!(
            (
                i.response.id.as_str(),
                i.response.score,
                i.country.as_deref()
            ),
            (r.id.as_str(), 3, Some("DE"))
        );
        let bad = ndjson_line(&r).replace("2026-10-01T08:30:00.250Z", "yesterday");
        assert_eq!(
            decode_import_line(bad.trim_end())
                .unwrap_err()
                .field
                .as_deref(),
            Some("received_at")
        );
        let bad = ndjson_line(&r).replace("\"score\":3", "\"score\":11");
        assert_eq!(
            decode_import_line(bad.trim_end()).unwrap_err().code,
            crate::Code::ScoreOutOfRange
        );
    }

    #[test]
    fn export_queries() {
        let q = ExportQuery::parse([("format", "csv"), ("from", "2026-11-01"), ("limit", "10")])
            .unwrap();
        assert_eq!(
            (q.format, q.limit, q.after.is_none()),
            (ExportFormat::Csv, 10, true)
        );
        let q = ExportQuery::parse([("records", "displays")]).unwrap();
        assert_eq!(q.records, ExportRecords::Displays);
        assert_eq!(
            ExportQuery::parse([]).unwrap().records,
            ExportRecords::Responses
        );
        let c = cursor(1_764_000_000_000, "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f");
        let q = ExportQuery::parse([("cursor", c.as_str())]).unwrap();
        assert_eq!(
            q.after,
            Some((
                1_764_000_000_000,
                "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f".to_string()
            ))
        );
        for bad in [
            ("format", "xml"),
            ("limit", "0"),
            ("limit", "9999"),
            ("cursor", "x.y"),
            ("cursor", "-1.0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f"),
            ("page", "2"),
            ("records", "cases"),
        ] {
            assert!(ExportQuery::parse([bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn csv_round_trips() {
        let r = ExportRecord {
            id: "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f".into(),
            received_at: "2026-11-25T10:00:00.000Z".into(),
            touchpoint: "checkout".into(),
            kind: "csat".into(),
            scale_version: 1,
            score: 2,
            negative: true,
            comment: Some("=cmd|' /C calc'!A0, \"quoted\"\nnext line".into()),
            page: Some("https://shop.example/cart".into()),
            locale: None,
            country: Some("DE".into()),
            attributes: [("plan".to_string(), "pro".to_string())].into(),
            display_id: None,
            follow_up_of: None,
            contact: None,
        };
        let doc = csv_header() + &csv_row(&r);
        let rows = parse_csv(&doc);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], CSV_COLUMNS);
        assert_eq!(csv_unguard(&rows[1][7]), r.comment.as_deref().unwrap());
        assert_eq!(rows[1][11], r#"{"plan":"pro"}"#);
        let back: ExportRecord = serde_json::from_str(ndjson_line(&r).trim_end()).unwrap();
        assert_eq!(back, r);
    }
}
