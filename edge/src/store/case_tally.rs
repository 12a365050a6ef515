//! The case rollup (`case_rollup`, `case_spread`: per opening day × touchpoint × kind) that the
//! summary's `recovery` block reads instead of every case. Every write that changes a case counts
//! its change in the same transaction — a new case its part ([`opened`]), a change to a stored
//! one after − before ([`tracked`], [`CaseTally::change`]), a deletion its part out
//! ([`untally`]) — so the rollup always equals a recount of the `cases` table.

use super::SiteStore;
use crate::rpc::{CaseDay, CaseParts};
use domain::calendar::Day;
use domain::case_rollup::{CaseCounts, CaseRollup, CaseTally, Measure, SlaEdge};
use domain::recovery::{CaseFacts, CaseStatus};
use domain::summary::SummaryQuery;
use domain::Kind;
use serde::Deserialize;
use worker::{Result, SqlStorage, SqlStorageValue as V};

fn err(e: worker::Error) -> String {
    e.to_string()
}

/// One stored case: its rollup key and what the recovery block needs of it.
#[derive(Deserialize)]
struct CaseRow {
    day: i64,
    touchpoint: String,
    kind: String,
    opened_at: i64,
    contacted_at: Option<i64>,
    resolved_at: Option<i64>,
    status: String,
    status_since: i64,
    with_contact: i64,
    score: i64,
    follow_up_score: Option<i64>,
}

const CASE_ROW: &str = "SELECT day, touchpoint, kind, opened_at, contacted_at, resolved_at, \
     status, status_since, with_contact, score, follow_up_score FROM cases";

impl CaseRow {
    fn key(&self) -> RollupKey<'_> {
        RollupKey {
            day: self.day,
            touchpoint: &self.touchpoint,
            kind: &self.kind,
        }
    }

    /// The facts, when the row is a case the summary counts (a known kind and status).
    fn facts(&self) -> Option<CaseFacts> {
        let score = |s: i64| u8::try_from(s).ok();
        Some(CaseFacts {
            opened_at_ms: self.opened_at,
            contacted_at_ms: self.contacted_at,
            resolved_at_ms: self.resolved_at,
            status: CaseStatus::parse(&self.status).ok()?,
            status_since_ms: self.status_since,
            has_contact: self.with_contact != 0,
            kind: Kind::parse(&self.kind).ok()?,
            first_score: score(self.score)?,
            follow_up_score: self.follow_up_score.and_then(score),
        })
    }
}

fn rows(
    sql: &SqlStorage,
    filter: &str,
    binds: Vec<V>,
) -> std::result::Result<Vec<CaseRow>, String> {
    sql.exec(&format!("{CASE_ROW} {filter}"), binds)
        .map_err(err)?
        .to_array()
        .map_err(err)
}

fn stored(sql: &SqlStorage, id: &str) -> std::result::Result<Option<CaseRow>, String> {
    Ok(rows(sql, "WHERE id = ?", vec![id.into()])?
        .into_iter()
        .next())
}

/// Runs `change` (writes to the case `id`) and adds what it changed to the case rollup. Inside
/// the caller's transaction.
pub(super) fn tracked<T>(
    sql: &SqlStorage,
    id: &str,
    change: impl FnOnce() -> std::result::Result<T, String>,
) -> std::result::Result<T, String> {
    let before = stored(sql, id)?;
    let out = change()?;
    let after = stored(sql, id)?;
    let facts = |r: &Option<CaseRow>| r.as_ref().and_then(CaseRow::facts);
    let delta = CaseTally::change(facts(&before).as_ref(), facts(&after).as_ref());
    if let Some(key) = after.as_ref().or(before.as_ref()) {
        add(sql, &key.key(), &delta)?;
    }
    Ok(out)
}

/// Counts a case just opened into the rollup from what was written (`facts`), without reading
/// it back: a new case has no earlier part to take out. Inside the caller's transaction.
pub(super) fn opened(
    sql: &SqlStorage,
    key: &RollupKey,
    facts: &CaseFacts,
) -> std::result::Result<(), String> {
    add(sql, key, &CaseTally::of(facts))
}

/// Takes the cases matching `filter` out of the rollup (before they are deleted).
pub(super) fn untally(
    sql: &SqlStorage,
    filter: &str,
    binds: Vec<V>,
) -> std::result::Result<(), String> {
    for row in rows(sql, filter, binds)? {
        if let Some(f) = row.facts() {
            add(sql, &row.key(), &CaseTally::change(Some(&f), None))?;
        }
    }
    Ok(())
}

/// Counts every stored case into the (empty) rollup: the migration that adds it, in one pass.
pub(super) fn backfill(sql: &SqlStorage) -> std::result::Result<(), String> {
    for row in rows(sql, "", Vec::new())? {
        if let Some(f) = row.facts() {
            add(sql, &row.key(), &CaseTally::of(&f))?;
        }
    }
    Ok(())
}

/// The statement that adds one change to a `case_rollup` row (every column of
/// [`CaseCounts::COLUMNS`]), built once per isolate.
fn rollup_upsert() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let columns = CaseCounts::COLUMNS;
        format!(
            "INSERT INTO case_rollup (day, touchpoint, kind, {}) VALUES (?, ?, ?, {}) \
             ON CONFLICT (day, touchpoint, kind) DO UPDATE SET {}",
            columns.join(", "),
            vec!["?"; columns.len()].join(", "),
            columns
                .iter()
                .map(|c| format!("{c} = {c} + excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// A case rollup row: a case's opening day × touchpoint × kind.
pub(super) struct RollupKey<'a> {
    pub day: i64,
    pub touchpoint: &'a str,
    pub kind: &'a str,
}

/// Adds `t` to the rollup rows of `key`.
fn add(sql: &SqlStorage, key: &RollupKey, t: &CaseTally) -> std::result::Result<(), String> {
    if t.is_zero() {
        return Ok(());
    }
    let at = || -> Vec<V> { vec![V::Integer(key.day), key.touchpoint.into(), key.kind.into()] };
    let mut binds = at();
    binds.extend(t.counts.values().map(V::Integer));
    sql.exec(rollup_upsert(), binds).map_err(err)?;
    // Only a case leaving can empty a row.
    if t.counts.cases < 0 {
        sql.exec(
            "DELETE FROM case_rollup WHERE day = ? AND touchpoint = ? AND kind = ? AND cases <= 0",
            at(),
        )
        .map_err(err)?;
    }
    for ((measure, bucket), n) in &t.buckets {
        let mut key = at();
        key.extend([measure.as_str().into(), V::Integer(*bucket)]);
        let mut binds = key.clone();
        binds.push(V::Integer(*n));
        sql.exec(
            "INSERT INTO case_spread (day, touchpoint, kind, measure, bucket, n) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (day, touchpoint, kind, measure, bucket) DO UPDATE SET n = n + excluded.n",
            binds,
        )
        .map_err(err)?;
        if *n < 0 {
            sql.exec(
                "DELETE FROM case_spread WHERE day = ? AND touchpoint = ? AND kind = ? AND measure = ? AND bucket = ? AND n <= 0",
                key,
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct BucketDto {
    measure: String,
    bucket: i64,
    n: i64,
}

#[derive(Deserialize)]
struct N {
    n: Option<i64>,
}

#[derive(Deserialize)]
struct EdgeDto {
    past: Option<i64>,
    missed: Option<i64>,
}

impl SiteStore {
    /// This object's case rollup for `q`'s period (its filters applied): one row per opening
    /// day, the buckets in use, and the exact counts near the SLA cutoff `cutoff` (Unix ms).
    pub(super) fn case_parts(&self, q: &SummaryQuery, cutoff: i64) -> Result<CaseParts> {
        let (filter, period) = super::period_filter(q, q.from);
        let sums = CaseCounts::COLUMNS
            .iter()
            .map(|c| format!("SUM({c}) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let days: Vec<CaseDay> = self
            .sql()
            .exec(
                &format!("SELECT day, {sums} FROM case_rollup WHERE day BETWEEN ? AND ?{filter} GROUP BY day"),
                period.clone(),
            )?
            .to_array()?;
        let buckets: Vec<BucketDto> = self
            .sql()
            .exec(
                &format!("SELECT measure, bucket, SUM(n) AS n FROM case_spread WHERE day BETWEEN ? AND ?{filter} GROUP BY measure, bucket"),
                period.clone(),
            )?
            .to_array()?;
        let cutoff_day = Day::from_unix_ms(cutoff).0;
        let with = |first: Vec<V>| first.into_iter().chain(period.clone()).collect::<Vec<V>>();
        // Older cases moved since the cutoff: only those, through the partial index.
        let moved: Vec<N> = self
            .sql()
            .exec(
                &format!(
                    "SELECT COUNT(*) AS n FROM cases INDEXED BY cases_moved \
                     WHERE status != 'resolved' AND status_since > opened_at AND status_since >= ? AND day < ? \
                     AND day BETWEEN ? AND ?{filter}"
                ),
                with(vec![V::Integer(cutoff), V::Integer(cutoff_day)]),
            )?
            .to_array()?;
        // The cutoff's own day: its cases only.
        let edge: Vec<EdgeDto> = self
            .sql()
            .exec(
                &format!(
                    "SELECT SUM(status != 'resolved' AND status_since < ?) AS past, \
                     SUM(contacted_at IS NULL AND resolved_at IS NULL AND opened_at < ?) AS missed \
                     FROM cases INDEXED BY cases_by_day WHERE day = ? AND day BETWEEN ? AND ?{filter}"
                ),
                with(vec![
                    V::Integer(cutoff),
                    V::Integer(cutoff),
                    V::Integer(cutoff_day),
                ]),
            )?
            .to_array()?;
        let count = |n: Option<i64>| u64::try_from(n.unwrap_or(0)).unwrap_or_default();
        let edge = edge.first();
        Ok(CaseParts {
            days,
            buckets: buckets
                .into_iter()
                .map(|b| (b.measure, b.bucket, b.n))
                .collect(),
            sla_edge: [
                count(moved.first().and_then(|m| m.n)),
                count(edge.and_then(|e| e.past)),
                count(edge.and_then(|e| e.missed)),
            ],
        })
    }
}

/// One object's case parts as the domain's rollup (unknown measures are left out).
pub(super) fn rollup_of(parts: CaseParts) -> CaseRollup {
    let mut r = CaseRollup::default();
    for d in parts.days {
        r.add_day(Day(d.day), &d.counts);
    }
    for (measure, bucket, n) in parts.buckets {
        if let Some(m) = Measure::parse(&measure) {
            r.add_bucket(m, bucket, n);
        }
    }
    let [moved, past, missed] = parts.sla_edge;
    r.edge = SlaEdge {
        moved_since_cutoff: moved,
        past_on_cutoff_day: past,
        missed_on_cutoff_day: missed,
    };
    r
}
