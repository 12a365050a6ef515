//! Counting displays: a prompt shown or dismissed, once per (display id, event), with its
//! reach rollup in the same transaction (live, and from an import); the reach rollup's one
//! update statement, which answers and erasures use too; and pages of displays for an export.

use super::SiteStore;
use crate::atomic::transaction;
use crate::failure::Reply;
use crate::http::json;
use crate::rpc::{self, DisplayPageOf, DisplayRecords};
use domain::calendar::Day;
use domain::display::{Display, DisplayEvent};
use domain::export::{display_at_ms, DisplayRecord, ExportQuery};
use domain::wire::DisplayAck;
use domain::Kind;
use serde::Deserialize;
use worker::{Request, Result, SqlStorage, SqlStorageValue as V};

/// The reach rollup column a change counts in.
#[derive(Clone, Copy)]
pub(super) enum ReachColumn {
    Shown,
    Dismissed,
    Answered,
}

impl ReachColumn {
    fn of(event: DisplayEvent) -> Self {
        match event {
            DisplayEvent::Shown => ReachColumn::Shown,
            DisplayEvent::Dismissed => ReachColumn::Dismissed,
        }
    }
}

/// Adds `delta` to one reach count of (day, touchpoint, kind); a row left all zero goes. Runs
/// inside the caller's transaction.
pub(super) fn bump_reach(
    sql: &SqlStorage,
    day: i64,
    touchpoint: &str,
    kind: &str,
    column: ReachColumn,
    delta: i64,
) -> Result<(), String> {
    let err = |e: worker::Error| e.to_string();
    let (shown, dismissed, answered) = match column {
        ReachColumn::Shown => (delta, 0, 0),
        ReachColumn::Dismissed => (0, delta, 0),
        ReachColumn::Answered => (0, 0, delta),
    };
    let key = || vec![V::Integer(day), touchpoint.into(), kind.into()];
    let mut binds = key();
    binds.extend([
        V::Integer(shown),
        V::Integer(dismissed),
        V::Integer(answered),
    ]);
    sql.exec(
        "INSERT INTO reach (day, touchpoint, kind, shown, dismissed, answered) VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (day, touchpoint, kind) DO UPDATE SET shown = shown + excluded.shown, \
         dismissed = dismissed + excluded.dismissed, answered = answered + excluded.answered",
        binds,
    )
    .map_err(err)?;
    sql.exec(
        "DELETE FROM reach WHERE day = ? AND touchpoint = ? AND kind = ? AND shown <= 0 AND dismissed <= 0 AND answered <= 0",
        key(),
    )
    .map_err(err)?;
    Ok(())
}

impl SiteStore {
    pub(super) async fn display(&self, req: &mut Request) -> Reply {
        let now = Self::now_ms();
        self.admit_visitor(req, now)?;
        // Validated again here: nothing reaches storage without passing `domain`.
        let display = domain::display::decode_display(&req.bytes().await?)?;
        let day = Day::from_unix_ms(now).0;
        let sql = self.sql();
        let d = display.clone();
        let duplicate = transaction(&self.state.storage(), move || store(&sql, &d, day))?;
        let ack = DisplayAck {
            id: display.id,
            event: display.event.as_str().to_string(),
            duplicate,
        };
        Ok(json(if duplicate { 200 } else { 201 }, &ack)?)
    }
}

#[derive(Deserialize)]
struct DisplayRow {
    id: String,
    event: String,
    day: i64,
    touchpoint: String,
    kind: String,
}

impl SiteStore {
    /// Which of these (id, event) displays this object has counted.
    pub(super) fn known_displays(
        &self,
        keys: &[(String, String)],
    ) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for (id, event) in keys {
            let seen: Vec<serde_json::Value> = self
                .sql()
                .exec(
                    "SELECT 1 AS seen FROM displays WHERE id = ? AND event = ?",
                    vec![id.clone().into(), event.clone().into()],
                )?
                .to_array()?;
            if !seen.is_empty() {
                out.push((id.clone(), event.clone()));
            }
        }
        Ok(out)
    }

    /// Up to `limit + 1` displays after the cursor, in export order: by position
    /// ([`display_at_ms`]: the day's first millisecond, plus 1 for `dismissed`), then id.
    pub(super) fn local_display_page(&self, q: &ExportQuery) -> Result<DisplayRecords> {
        let (lo, hi) = q.ms_range();
        let (after_ms, after_id) = q
            .after
            .clone()
            .unwrap_or((domain::export::OPEN_MS.0, String::new()));
        // The same position as `display_at_ms`, in SQL.
        let at = format!(
            "(day * {} + (event = 'dismissed'))",
            domain::calendar::MS_PER_DAY
        );
        let rows: Vec<DisplayRow> = self
            .sql()
            .exec(
                &format!(
                    "SELECT id, event, day, touchpoint, kind FROM displays                      WHERE day BETWEEN ? AND ? AND ({at} > ? OR ({at} = ? AND id > ?))                      ORDER BY {at}, id LIMIT ?"
                ),
                vec![
                    V::Integer(Day::from_unix_ms(lo).0),
                    V::Integer(Day::from_unix_ms(hi).0),
                    V::Integer(after_ms),
                    V::Integer(after_ms),
                    after_id.into(),
                    V::Integer(q.limit as i64 + 1),
                ],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let display = Display {
                    id: r.id,
                    touchpoint: r.touchpoint,
                    kind: Kind::parse(&r.kind).ok()?,
                    event: DisplayEvent::parse(&r.event).ok()?,
                };
                let day = Day(r.day);
                Some((
                    display_at_ms(day, display.event),
                    DisplayRecord::new(&display, day),
                ))
            })
            .collect())
    }

    pub(super) fn display_page(&self, params: &[(String, String)]) -> crate::failure::Reply {
        let q = ExportQuery::parse(super::pairs(params))?;
        rpc::reply::<DisplayPageOf>(200, &self.local_display_page(&q)?)
    }
}

/// Stores one display event and counts it; `true` when this (id, event) was already counted.
/// Runs inside the caller's transaction.
pub(super) fn store(sql: &SqlStorage, d: &Display, day: i64) -> Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let event = d.event.as_str();
    let seen: Vec<serde_json::Value> = sql
        .exec(
            "SELECT 1 AS seen FROM displays WHERE id = ? AND event = ?",
            vec![d.id.clone().into(), event.into()],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    if !seen.is_empty() {
        return Ok(true);
    }
    sql.exec(
        "INSERT INTO displays (id, event, day, touchpoint, kind) VALUES (?, ?, ?, ?, ?)",
        vec![
            d.id.clone().into(),
            event.into(),
            V::Integer(day),
            d.touchpoint.clone().into(),
            d.kind.as_str().into(),
        ],
    )
    .map_err(err)?;
    bump_reach(
        sql,
        day,
        &d.touchpoint,
        d.kind.as_str(),
        ReachColumn::of(d.event),
        1,
    )?;
    Ok(false)
}
