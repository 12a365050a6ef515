//! Counting displays: a prompt shown or dismissed, once per (display id, event), with its
//! reach rollup in the same transaction; and the reach rollup's one update statement, which
//! answers and erasures use too.

use super::SiteStore;
use crate::atomic::transaction;
use crate::failure::Reply;
use crate::http::json;
use domain::calendar::Day;
use domain::display::{Display, DisplayEvent};
use domain::wire::DisplayAck;
use worker::{Request, SqlStorage, SqlStorageValue as V};

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

/// Stores one display event and counts it; `true` when this (id, event) was already counted.
fn store(sql: &SqlStorage, d: &Display, day: i64) -> Result<bool, String> {
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
