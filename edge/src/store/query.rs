//! Reading and erasing: the summary (rollups only, merged across shards), the raw export
//! (paginated by (received_at, id), merged across shards) and erasure of one response.

use super::display::{bump_reach, ReachColumn};
use super::terms::StoredAnswer;
use super::{pairs, param, SiteStore};
use crate::atomic::transaction;
use crate::failure::{Failure, Reply};
use crate::http::json;
use crate::rpc::{self, DisplayPageOf, EraseId, PageOf, Rows, RowsAsk, RowsOf};
use domain::calendar::{rfc3339_ms, Day};
use domain::case_rollup::{CaseRollup, SlaEdge};
use domain::export::{
    csv_header, csv_row, cursor, display_csv_header, display_csv_row, ndjson_line, ExportFormat,
    ExportQuery, ExportRecord, ExportRecords, Paged,
};
use domain::limits::RECENT_COMMENTS;
use domain::settings::Settings;
use domain::summary::{ReachRow, RollupRow, StoredComment, SummaryQuery};
use domain::wire::Summary;
use domain::{Code, Kind};
use serde::Deserialize;
use worker::{Headers, Request, Response, Result, SqlStorage, SqlStorageValue as V};

#[derive(Deserialize)]
struct ReachDto {
    day: i64,
    touchpoint: String,
    kind: String,
    shown: i64,
    dismissed: i64,
    answered: i64,
}

#[derive(Deserialize)]
struct RollupDto {
    day: i64,
    touchpoint: String,
    kind: String,
    score: i64,
    n: i64,
}

#[derive(Deserialize)]
struct ResponseRow {
    id: String,
    received_at: i64,
    touchpoint: String,
    kind: String,
    scale_version: i64,
    score: i64,
    comment: Option<String>,
    page: Option<String>,
    locale: Option<String>,
    attributes: Option<String>,
    country: Option<String>,
    display_id: Option<String>,
    follow_up_of: Option<String>,
    contact: Option<String>,
}

impl ResponseRow {
    fn into_record(self) -> (i64, ExportRecord) {
        let kind = Kind::parse(&self.kind).ok();
        let score = u8::try_from(self.score).unwrap_or_default();
        let record = ExportRecord {
            id: self.id,
            received_at: rfc3339_ms(self.received_at),
            negative: kind.is_some_and(|k| k.is_negative(score)),
            touchpoint: self.touchpoint,
            kind: self.kind,
            scale_version: u32::try_from(self.scale_version).unwrap_or_default(),
            score,
            comment: self.comment,
            page: self.page,
            locale: self.locale,
            country: self.country,
            attributes: self
                .attributes
                .and_then(|a| serde_json::from_str(&a).ok())
                .unwrap_or_default(),
            display_id: self.display_id,
            follow_up_of: self.follow_up_of,
            contact: self.contact,
        };
        (self.received_at, record)
    }
}

fn today() -> Day {
    Day::from_unix_ms(SiteStore::now_ms())
}

impl SiteStore {
    fn local_rows(&self, q: &SummaryQuery, ask: &RowsAsk, candidates_only: bool) -> Result<Rows> {
        let (filter, mut binds) = super::period_filter(q, q.rows_from());
        let rollup: Vec<RollupDto> = self
            .sql()
            .exec(&format!("SELECT day, touchpoint, kind, score, n FROM rollup WHERE day BETWEEN ? AND ?{filter}"), binds.clone())?
            .to_array()?;
        let reach: Vec<ReachDto> = self
            .sql()
            .exec(&format!("SELECT day, touchpoint, kind, shown, dismissed, answered FROM reach WHERE day BETWEEN ? AND ?{filter}"), binds.clone())?
            .to_array()?;
        binds[0] = V::Integer(q.from.start_ms());
        binds[1] = V::Integer(Day(q.to.0 + 1).start_ms() - 1);
        let comments: Vec<StoredComment> = self
            .sql()
            .exec(
                &format!(
                    "SELECT id, received_at, touchpoint, kind, score, comment FROM responses \
                     WHERE comment IS NOT NULL AND received_at BETWEEN ? AND ?{filter} \
                     ORDER BY received_at DESC LIMIT {RECENT_COMMENTS}"
                ),
                binds,
            )?
            .to_array()?;
        Ok(Rows {
            rollup: rollup
                .into_iter()
                .map(|r| (r.day, r.touchpoint, r.kind, r.score, r.n))
                .collect(),
            reach: reach
                .into_iter()
                .map(|r| {
                    (
                        r.day,
                        r.touchpoint,
                        r.kind,
                        r.shown,
                        r.dismissed,
                        r.answered,
                    )
                })
                .collect(),
            comments,
            cases: self.case_parts(q, ask.sla_cutoff)?,
            terms: self.term_rows(q, candidates_only)?,
            past_sla: match ask.past_sla_before {
                Some(before) => self.past_sla(before)?,
                None => 0,
            },
        })
    }

    /// For the primary: this shard's rollup rows and newest comments.
    pub(super) fn rows(&self, params: &[(String, String)], ask: RowsAsk) -> Reply {
        let q = SummaryQuery::parse(pairs(params), today())?;
        // A shard sends every term: counts add up across the site's objects before testing.
        rpc::reply::<RowsOf>(200, &self.local_rows(&q, &ask, false)?)
    }

    pub(super) async fn summary(&self, req: &Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let query = SummaryQuery::parse(pairs(params), today())?;
        let (summary, _) = self.gather(&settings, &query, None).await?;
        Ok(json(200, &summary)?)
    }

    /// The summary of `query` from every object of the site (rollups, newest comments, case
    /// rollups, term counts), and with `past_sla_before` the number of cases past their SLA.
    pub(super) async fn gather(
        &self,
        settings: &Settings,
        query: &SummaryQuery,
        past_sla_before: Option<i64>,
    ) -> std::result::Result<(Summary, u64), Failure> {
        let now = Self::now_ms();
        let (sla_cutoff, _) = SlaEdge::cutoff(now, settings.sla_hours);
        let ask = RowsAsk {
            past_sla_before,
            sla_cutoff,
        };
        let mut parts = vec![self.local_rows(query, &ask, settings.max_shards <= 1)?];
        parts.extend(
            self.fan_out(
                &settings.site,
                settings.max_shards,
                &RowsOf {
                    query,
                    past_sla_before,
                    sla_cutoff,
                },
            )
            .await?,
        );
        let mut rollup = Vec::new();
        let mut reach = Vec::new();
        let mut comments = Vec::new();
        let mut cases = CaseRollup::default();
        let mut terms = Vec::new();
        let mut past_sla = 0;
        for part in parts {
            cases.merge(&super::case_tally::rollup_of(part.cases));
            terms.push(part.terms);
            past_sla += part.past_sla;
            for (day, touchpoint, kind, shown, dismissed, answered) in part.reach {
                let count = |n: i64| u64::try_from(n).unwrap_or_default();
                let Ok(kind) = Kind::parse(&kind) else {
                    continue;
                };
                reach.push(ReachRow {
                    day: Day(day),
                    touchpoint,
                    kind,
                    shown: count(shown),
                    dismissed: count(dismissed),
                    answered: count(answered),
                });
            }
            for (day, touchpoint, kind, score, n) in part.rollup {
                let (Ok(kind), Ok(score), Ok(count)) =
                    (Kind::parse(&kind), u8::try_from(score), u64::try_from(n))
                else {
                    continue;
                };
                rollup.push(RollupRow {
                    day: Day(day),
                    touchpoint,
                    kind,
                    score,
                    count,
                });
            }
            comments.extend(part.comments);
        }
        let recent = domain::summary::recent_comments(comments);
        let mut summary = domain::summary::build(&settings.site, query, &rollup, &reach, recent);
        summary.recovery = Some(cases.recovery(now, settings.sla_hours));
        summary.themes = super::terms::themes(terms);
        Ok((summary, past_sla))
    }

    /// Up to `limit + 1` records after the cursor, oldest first.
    fn local_page(&self, q: &ExportQuery) -> Result<Vec<(i64, ExportRecord)>> {
        let (lo, hi) = q.ms_range();
        let (after_ms, after_id) = q
            .after
            .clone()
            .unwrap_or((domain::export::OPEN_MS.0, String::new()));
        // The contact (kept apart) only when asked for.
        let (contact, join) = if q.include_contact {
            ("k.contact", " LEFT JOIN contacts k ON k.case_id = r.id")
        } else {
            ("NULL", "")
        };
        let rows: Vec<ResponseRow> = self
            .sql()
            .exec(
                &format!("SELECT r.id, r.received_at, r.touchpoint, r.kind, r.scale_version, r.score, r.comment, r.page, r.locale, r.attributes, r.country, r.display_id, r.follow_up_of, {contact} AS contact \
                 FROM responses r{join} WHERE r.received_at BETWEEN ? AND ? AND (r.received_at > ? OR (r.received_at = ? AND r.id > ?)) \
                 ORDER BY r.received_at, r.id LIMIT ?"),
                vec![
                    V::Integer(lo),
                    V::Integer(hi),
                    V::Integer(after_ms),
                    V::Integer(after_ms),
                    after_id.into(),
                    V::Integer(q.limit as i64 + 1),
                ],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(ResponseRow::into_record).collect())
    }

    pub(super) fn page(&self, params: &[(String, String)]) -> Reply {
        let q = ExportQuery::parse(pairs(params))?;
        rpc::reply::<PageOf>(200, &self.local_page(&q)?)
    }

    pub(super) async fn export(&self, req: &Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let query = ExportQuery::parse(pairs(params))?;
        let (site, shards) = (&settings.site, settings.max_shards);
        match query.records {
            ExportRecords::Responses => {
                let mut parts = vec![self.local_page(&query)?];
                let ask = PageOf { query: &query };
                parts.extend(self.fan_out(site, shards, &ask).await?);
                let (records, more) = domain::export::merge_pages(parts, query.limit);
                export_body(&query, &records, more, (csv_header, csv_row))
            }
            ExportRecords::Displays => {
                let mut parts = vec![self.local_display_page(&query)?];
                let ask = DisplayPageOf { query: &query };
                parts.extend(self.fan_out(site, shards, &ask).await?);
                let (records, more) = domain::export::merge_pages(parts, query.limit);
                export_body(
                    &query,
                    &records,
                    more,
                    (display_csv_header, display_csv_row),
                )
            }
        }
    }

    /// Erases one response in this object: whether it was here.
    pub(super) fn erase_here(&self, id: &str) -> Result<bool> {
        let sql = self.sql();
        let id = id.to_string();
        transaction(&self.state.storage(), move || erase(&sql, &id))
    }

    pub(super) async fn delete(&self, req: &Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let id = domain::ingest::validate_uuid_v4(param(params, "id").unwrap_or_default())?;
        // The shard the id maps to now first, then any other the site ever used.
        let first = domain::site::shard_for(&id, settings.shards);
        let order = std::iter::once(first).chain((0..settings.max_shards).filter(|k| *k != first));
        for k in order {
            let deleted = if k == 0 {
                self.erase_here(&id)?
            } else {
                let name = domain::site::shard_name(&settings.site, k);
                let ask = EraseId { id: id.clone() };
                rpc::ask(&self.env, &name, &ask)
                    .await
                    .map_err(super::unexpected)?
                    .deleted
            };
            if deleted {
                return Ok(json(200, &serde_json::json!({"id": id, "deleted": true}))?);
            }
        }
        Err(Failure::new(Code::NotFound, "no response with this id"))
    }
}

/// A CSV export's header and row functions.
type CsvOf<R> = (fn() -> String, fn(&R) -> String);

/// One export page as the client gets it: NDJSON lines or CSV rows (the header on the first
/// page only), and the next page's cursor when more remain.
fn export_body<R: Paged + serde::Serialize>(
    query: &ExportQuery,
    records: &[(i64, R)],
    more: bool,
    (csv_head, csv_row): CsvOf<R>,
) -> Reply {
    let headers = Headers::new();
    headers.set("cache-control", "no-store")?;
    if more {
        if let Some((ms, r)) = records.last() {
            headers.set("x-earshot-next-cursor", &cursor(*ms, r.id()))?;
        }
    }
    let body = match query.format {
        ExportFormat::Ndjson => {
            headers.set("content-type", "application/x-ndjson; charset=utf-8")?;
            records
                .iter()
                .map(|(_, r)| ndjson_line(r))
                .collect::<String>()
        }
        ExportFormat::Csv => {
            headers.set("content-type", "text/csv; charset=utf-8")?;
            let head = if query.after.is_none() {
                csv_head()
            } else {
                String::new()
            };
            head + &records.iter().map(|(_, r)| csv_row(r)).collect::<String>()
        }
    };
    Ok(Response::ok(body)?.with_headers(headers))
}

#[derive(Deserialize)]
struct EraseRow {
    #[serde(flatten)]
    answer: StoredAnswer,
    display_id: Option<String>,
}

/// Deletes one response, its rollup count and any alert not yet sent. Inside one transaction.
fn erase(sql: &SqlStorage, id: &str) -> std::result::Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let rows: Vec<EraseRow> = sql
        .exec(
            &format!(
                "SELECT {}, display_id FROM responses WHERE id = ?",
                StoredAnswer::COLUMNS
            ),
            vec![id.into()],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    let Some(r) = rows.into_iter().next() else {
        return Ok(false);
    };
    let a = &r.answer;
    sql.exec("DELETE FROM responses WHERE id = ?", vec![id.into()])
        .map_err(err)?;
    let key = || {
        vec![
            V::Integer(a.day),
            a.touchpoint.clone().into(),
            a.kind.clone().into(),
            V::Integer(a.score),
        ]
    };
    sql.exec(
        "UPDATE rollup SET n = n - 1 WHERE day = ? AND touchpoint = ? AND kind = ? AND score = ?",
        key(),
    )
    .map_err(err)?;
    sql.exec(
        "DELETE FROM rollup WHERE day = ? AND touchpoint = ? AND kind = ? AND score = ? AND n <= 0",
        key(),
    )
    .map_err(err)?;
    sql.exec("DELETE FROM outbox WHERE response_id = ?", vec![id.into()])
        .map_err(err)?;
    super::terms::count(sql, &a.counted(), -1)?;
    super::cases::erase_case(sql, id)?;
    if r.display_id.is_some() {
        bump_reach(
            sql,
            a.day,
            &a.touchpoint,
            &a.kind,
            ReachColumn::Answered,
            -1,
        )?;
    }
    Ok(true)
}
