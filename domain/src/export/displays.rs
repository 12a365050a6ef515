//! Displays in exports and imports (`GET …/responses?records=displays`, display lines of
//! `POST …/import`), so that a restore keeps the reach (shown, dismissed) and not only the
//! answers. A display is stored with its UTC day only, so that is all a record carries — and,
//! as on ingest, nothing about the person.
//!
//! Pages of displays are ordered like answers, by `(position ms, id)`: the position is the
//! day's first millisecond plus the event's ordinal ([`display_at_ms`]), so the export's cursor
//! (`<ms>.<uuid>`) and its merge across shards are the answers' own.

use super::Paged;
use crate::calendar::Day;
use crate::display::{Display, DisplayEvent};
use crate::error::{Code, Fault};
use crate::ingest::required_string;
use crate::wire::DisplayRequest;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One exported display; on an NDJSON line it carries `"record": "display"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename = "display")]
pub struct DisplayRecord {
    pub id: String,
    pub event: String,
    /// The UTC day it was counted on, `YYYY-MM-DD`.
    pub day: String,
    pub touchpoint: String,
    pub kind: String,
}

impl Paged for DisplayRecord {
    fn id(&self) -> &str {
        &self.id
    }
}

impl DisplayRecord {
    pub fn new(d: &Display, day: Day) -> DisplayRecord {
        DisplayRecord {
            id: d.id.clone(),
            event: d.event.as_str().to_string(),
            day: day.to_string(),
            touchpoint: d.touchpoint.clone(),
            kind: d.kind.as_str().to_string(),
        }
    }
}

/// A display's position in an export: its day's first millisecond plus the event's ordinal
/// (`shown` 0, `dismissed` 1), so both events of one id on one day have distinct cursors.
pub fn display_at_ms(day: Day, event: DisplayEvent) -> i64 {
    day.start_ms()
        + match event {
            DisplayEvent::Shown => 0,
            DisplayEvent::Dismissed => 1,
        }
}

/// A validated display line of an import: the display and the day it counts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDisplay {
    pub display: Display,
    pub day: Day,
}

impl ImportedDisplay {
    /// The record this display exports as (and travels as to the shard that stores it).
    pub fn record(&self) -> DisplayRecord {
        DisplayRecord::new(&self.display, self.day)
    }
}

impl TryFrom<&DisplayRecord> for ImportedDisplay {
    type Error = Fault;

    fn try_from(r: &DisplayRecord) -> Result<Self, Fault> {
        let display = Display::try_from(DisplayRequest {
            v: crate::display::DISPLAY_VERSION,
            id: r.id.clone(),
            touchpoint: r.touchpoint.clone(),
            kind: r.kind.clone(),
            event: r.event.clone(),
        })?;
        let day = Day::parse(&r.day, "day").map_err(|_| {
            Fault::at(
                Code::InvalidType,
                "day",
                "day must be a date like 2026-11-30",
            )
        })?;
        Ok(ImportedDisplay { display, day })
    }
}

const RECORD_FIELDS: [&str; 6] = ["record", "id", "event", "day", "touchpoint", "kind"];

/// Decodes an import line's object that has `"record": "display"`: no unknown fields, each
/// field checked as on `POST …/displays`, `day` a real date.
pub fn decode_display_record(mut object: Map<String, Value>) -> Result<ImportedDisplay, Fault> {
    if let Some(unknown) = object.keys().find(|k| !RECORD_FIELDS.contains(&k.as_str())) {
        let name: String = unknown.chars().take(64).collect();
        return Err(Fault::at(
            Code::UnknownField,
            name.clone(),
            format!("unknown field `{name}` in a display record"),
        ));
    }
    let mut take = |name: &str| object.remove(name).filter(|v| !v.is_null());
    if take("record") != Some(Value::String("display".into())) {
        return Err(Fault::at(
            Code::InvalidType,
            "record",
            "record is display (or absent, for an answer)",
        ));
    }
    let record = DisplayRecord {
        id: required_string(take("id"), "id")?,
        event: required_string(take("event"), "event")?,
        day: required_string(take("day"), "day")?,
        touchpoint: required_string(take("touchpoint"), "touchpoint")?,
        kind: required_string(take("kind"), "kind")?,
    };
    ImportedDisplay::try_from(&record)
}

pub const DISPLAY_CSV_COLUMNS: [&str; 5] = ["id", "event", "day", "touchpoint", "kind"];

pub fn display_csv_header() -> String {
    let mut s = DISPLAY_CSV_COLUMNS.join(",");
    s.push_str("\r\n");
    s
}

pub fn display_csv_row(r: &DisplayRecord) -> String {
    super::csv_line(&[&r.id, &r.event, &r.day, &r.touchpoint, &r.kind])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{decode_import_record, ImportLine};
    use crate::Kind;

    const ID: &str = "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";

    fn line() -> Value {
        serde_json::json!({"record": "display", "id": ID, "event": "dismissed",
                           "day": "2026-11-25", "touchpoint": "checkout", "kind": "csat"})
    }

    #[test]
    fn an_exported_display_imports_as_the_same_display() {
        let d = Display {
            id: ID.into(),
            touchpoint: "checkout".into(),
            kind: Kind::Csat,
            event: DisplayEvent::Dismissed,
        };
        let day = Day::parse("2026-11-25", "day").unwrap();
        let text = serde_json::to_string(&DisplayRecord::new(&d, day)).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), line());
        assert!(text.starts_with(r#"{"record":"display","#), "{text}");
        let back = decode_import_record(&text).unwrap();
        assert_eq!(
            back,
            ImportLine::Display(ImportedDisplay { display: d, day })
        );
        // An id in capitals is the same display.
        let upper = text.replace(ID, &ID.to_uppercase());
        assert_eq!(decode_import_record(&upper).unwrap(), back);
    }

    #[test]
    fn hostile_display_lines_name_their_field() {
        let with = |k: &str, v: Value| {
            let mut l = line();
            l[k] = v;
            l.to_string()
        };
        let without = |k: &str| {
            let mut l = line();
            l.as_object_mut().unwrap().remove(k);
            l.to_string()
        };
        let check = |text: String, code: Code, field: &str| {
            let f = decode_import_record(&text).unwrap_err();
            assert_eq!((f.code, f.field.as_deref()), (code, Some(field)), "{text}");
        };
        check(with("record", json("answer")), Code::InvalidType, "record");
        check(with("record", json(1)), Code::InvalidType, "record");
        check(with("event", json("clicked")), Code::InvalidEvent, "event");
        check(with("event", json(1)), Code::InvalidType, "event");
        check(without("event"), Code::MissingField, "event");
        check(with("day", json("2026-02-30")), Code::InvalidType, "day");
        check(with("day", json("yesterday")), Code::InvalidType, "day");
        check(with("day", json(20261125)), Code::InvalidType, "day");
        check(without("day"), Code::MissingField, "day");
        check(with("id", json("not-a-uuid")), Code::InvalidId, "id");
        check(with("kind", json("ratings")), Code::InvalidKind, "kind");
        check(
            with("touchpoint", json("Check Out")),
            Code::InvalidTouchpoint,
            "touchpoint",
        );
        // Nothing about the person, and no answer fields, rides along.
        check(
            with("page", json("https://shop.example/")),
            Code::UnknownField,
            "page",
        );
        check(with("score", json(3)), Code::UnknownField, "score");
        check(with("v", json(1)), Code::UnknownField, "v");
        // A line without `record` is an answer and is checked as one.
        let f = decode_import_record(&without("record")).unwrap_err();
        assert_eq!(
            (f.code, f.field.as_deref()),
            (Code::MissingField, Some("received_at"))
        );
    }

    fn json(v: impl Into<Value>) -> Value {
        v.into()
    }

    #[test]
    fn positions_order_a_day_s_events_and_stay_inside_the_day() {
        let day = Day::parse("2026-11-25", "day").unwrap();
        let shown = display_at_ms(day, DisplayEvent::Shown);
        let dismissed = display_at_ms(day, DisplayEvent::Dismissed);
        assert_eq!(shown, day.start_ms());
        assert!(shown < dismissed && dismissed < Day(day.0 + 1).start_ms());
        assert_eq!(Day::from_unix_ms(dismissed), day);
    }

    #[test]
    fn display_csv_rows_round_trip() {
        let r = DisplayRecord {
            id: ID.into(),
            event: "shown".into(),
            day: "2026-11-25".into(),
            touchpoint: "checkout".into(),
            kind: "nps".into(),
        };
        let rows = super::super::parse_csv(&(display_csv_header() + &display_csv_row(&r)));
        assert_eq!(rows[0], DISPLAY_CSV_COLUMNS);
        assert_eq!(rows[1], [ID, "shown", "2026-11-25", "checkout", "nps"]);
    }
}
