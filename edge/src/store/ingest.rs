//! Storing one answer: per-visitor rate limit, then the response, its rollup increment and (for
//! a negative answer on a site with a webhook) its alert, all in one transaction.

use super::{internal, SiteStore};
use crate::atomic::transaction;
use crate::http::{error, fault, json};
use crate::routes::{H_ALERTS, H_COUNTRY, H_RATE, H_SITE, H_VISITOR};
use domain::calendar::Day;
use domain::export::ExportRecord;
use domain::settings::DEFAULT_RATE_LIMIT_PER_MINUTE;
use domain::wire::IngestAck;
use domain::Code;
use std::collections::{BTreeMap, HashSet};
use worker::{Request, Response, Result, SqlStorage, SqlStorageValue as V};

const WINDOW_MS: i64 = 60_000;
/// Beyond this many remembered visitors, expired entries are dropped.
const MAX_VISITORS: usize = 10_000;

#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

impl SiteStore {
    /// How many responses this object stores.
    pub(super) fn stored_responses(&self) -> Result<i64> {
        let rows: Vec<Count> = self
            .sql()
            .exec("SELECT COUNT(*) AS n FROM responses", None)?
            .to_array()?;
        Ok(rows.first().map_or(0, |c| c.n))
    }

    /// Which of `ids` this object stores.
    fn known(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            let seen: Vec<serde_json::Value> = self
                .sql()
                .exec(
                    "SELECT 1 AS seen FROM responses WHERE id = ?",
                    vec![id.clone().into()],
                )?
                .to_array()?;
            if !seen.is_empty() {
                out.push(id.clone());
            }
        }
        Ok(out)
    }

    /// For the front door and the primary: the body's ids (a JSON list) that this object stores.
    pub(super) async fn known_ids(&self, req: &mut Request) -> Result<Response> {
        let ids: Vec<String> = req.json().await?;
        json(200, &self.known(&ids)?)
    }

    /// Counts one request of `visitor`; `Some(seconds)` to wait when over `limit` a minute.
    fn rate_limited(&self, visitor: &str, limit: u32, now: i64) -> Option<i64> {
        let mut visitors = self.visitors.borrow_mut();
        if visitors.len() > MAX_VISITORS {
            visitors.retain(|_, (start, _)| now - *start < WINDOW_MS);
        }
        let entry = visitors.entry(visitor.to_string()).or_insert((now, 0));
        if now - entry.0 >= WINDOW_MS {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            return Some(((entry.0 + WINDOW_MS - now + 999) / 1000).max(1));
        }
        entry.1 += 1;
        None
    }

    pub(super) async fn ingest(&self, req: &mut Request) -> Result<Response> {
        let h = req.headers();
        let site = h.get(H_SITE)?.unwrap_or_default();
        let visitor = h.get(H_VISITOR)?.unwrap_or_default();
        let limit = h
            .get(H_RATE)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
        let alerts = h.get(H_ALERTS)?.is_some();
        let country = h
            .get(H_COUNTRY)?
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        let now = Self::now_ms();
        if let Some(wait) = self.rate_limited(&visitor, limit, now) {
            let mut resp = error(
                Code::RateLimited,
                "too many answers from this visitor; try again later",
            )?;
            resp.headers_mut().set("retry-after", &wait.to_string())?;
            return Ok(resp);
        }
        let body = req.bytes().await?;
        // Validated again here: nothing reaches storage without passing `domain`.
        let response = match domain::decode_ingest(&body) {
            Ok(r) => r,
            Err(f) => return fault(&f),
        };
        let record = ExportRecord::new(&response, now, country);
        let alert =
            (alerts && record.negative).then(|| domain::alert::payload(&site, &record).to_string());
        let queued = alert.is_some();
        let sql = self.sql();
        let duplicate = transaction(&self.state.storage(), move || {
            store(&sql, &record, now, alert)
        })?;
        if queued && !duplicate {
            self.state.storage().set_alarm(10).await?;
        }
        json(
            if duplicate { 200 } else { 201 },
            &IngestAck {
                id: response.id,
                duplicate,
            },
        )
    }
}

/// Imported records for this object: (received_at ms, record).
type Batch = Vec<(i64, ExportRecord)>;

impl SiteStore {
    /// `POST /v1/sites/{site}/import` in the primary: every line is validated first (one bad
    /// line rejects the whole import, naming it), then each shard stores its records in one
    /// transaction. Imported history raises no alerts.
    pub(super) async fn import(&self, req: &mut Request) -> Result<Response> {
        let settings = match self.owner(req)? {
            Ok(s) => s.settings,
            Err(resp) => return Ok(resp),
        };
        let body = req.bytes().await?;
        let text = match std::str::from_utf8(&body) {
            Ok(t) => t,
            Err(_) => return error(Code::MalformedJson, "the body is not UTF-8"),
        };
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.len() > domain::limits::MAX_IMPORT_LINES {
            return error(Code::BodyTooLarge, "at most 1000 records per import");
        }
        let mut batches: Vec<Batch> = vec![Vec::new(); settings.shards.max(1) as usize];
        for (n, line) in lines.iter().enumerate() {
            let i = match domain::export::decode_import_line(line) {
                Ok(i) => i,
                Err(mut f) => {
                    f.message = format!("line {}: {}", n + 1, f.message);
                    return fault(&f);
                }
            };
            let r = &i.response;
            let record = ExportRecord::new(r, i.received_at_ms, i.country);
            batches[domain::site::shard_for(&r.id, settings.shards) as usize]
                .push((i.received_at_ms, record));
        }
        // Ids stored where they mapped under an earlier shard count are duplicates, not new answers.
        let counts = settings.shard_counts();
        let mut ask: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for (_, record) in batches.iter().flatten() {
            for k in domain::site::earlier_shards(&record.id, settings.shards, &counts) {
                ask.entry(k).or_default().push(record.id.clone());
            }
        }
        let mut elsewhere = HashSet::new();
        for (k, ids) in ask {
            if k == 0 {
                elsewhere.extend(self.known(&ids)?);
            } else {
                let name = domain::site::shard_name(&settings.site, k);
                let body = serde_json::to_vec(&ids).map_err(internal)?;
                let mut resp = crate::routes::call(
                    &self.env,
                    &name,
                    "known",
                    worker::Headers::new(),
                    Some(body),
                )
                .await?;
                elsewhere.extend(resp.json::<Vec<String>>().await?);
            }
        }
        let (mut imported, mut duplicates) = (0u64, 0u64);
        for batch in &mut batches {
            let before = batch.len();
            batch.retain(|(_, r)| !elsewhere.contains(&r.id));
            duplicates += (before - batch.len()) as u64;
        }
        for (k, batch) in batches
            .into_iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
        {
            let (i, d) = if k == 0 {
                self.store_local(batch)?
            } else {
                let name = domain::site::shard_name(&settings.site, k as u32);
                let body = serde_json::to_vec(&batch).map_err(internal)?;
                let mut resp = crate::routes::call(
                    &self.env,
                    &name,
                    "store",
                    worker::Headers::new(),
                    Some(body),
                )
                .await?;
                let v: serde_json::Value = resp.json().await?;
                (
                    v["imported"].as_u64().unwrap_or(0),
                    v["duplicates"].as_u64().unwrap_or(0),
                )
            };
            imported += i;
            duplicates += d;
        }
        json(
            200,
            &serde_json::json!({"imported": imported, "duplicates": duplicates}),
        )
    }

    /// For the primary: stores a shard's part of an import.
    pub(super) async fn store_batch(&self, req: &mut Request) -> Result<Response> {
        let batch: Batch = req.json().await?;
        let (imported, duplicates) = self.store_local(batch)?;
        json(
            200,
            &serde_json::json!({"imported": imported, "duplicates": duplicates}),
        )
    }

    fn store_local(&self, batch: Batch) -> Result<(u64, u64)> {
        let sql = self.sql();
        transaction(&self.state.storage(), move || {
            let mut dup = 0;
            for (at, record) in &batch {
                if store(&sql, record, *at, None)? {
                    dup += 1;
                }
            }
            Ok((batch.len() as u64 - dup, dup))
        })
    }
}

/// Stores one response, bumps its rollup and queues its alert; `true` when the id was already
/// stored (then nothing is written). Runs inside one transaction.
fn store(
    sql: &SqlStorage,
    r: &ExportRecord,
    received_at: i64,
    alert: Option<String>,
) -> std::result::Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let seen: Vec<serde_json::Value> = sql
        .exec(
            "SELECT 1 AS seen FROM responses WHERE id = ?",
            vec![r.id.clone().into()],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    if !seen.is_empty() {
        return Ok(true);
    }
    let day = Day::from_unix_ms(received_at).0;
    let attributes = if r.attributes.is_empty() {
        None
    } else {
        Some(
            serde_json::to_string(&r.attributes)
                .map_err(internal)
                .map_err(err)?,
        )
    };
    sql.exec(
        "INSERT INTO responses (id, received_at, day, touchpoint, kind, scale_version, score, comment, page, locale, attributes, country) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            r.id.clone().into(),
            V::Integer(received_at),
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.clone().into(),
            V::Integer(r.scale_version as i64),
            V::Integer(r.score as i64),
            r.comment.clone().into(),
            r.page.clone().into(),
            r.locale.clone().into(),
            attributes.into(),
            r.country.clone().into(),
        ],
    )
    .map_err(err)?;
    sql.exec(
        "INSERT INTO rollup (day, touchpoint, kind, score, n) VALUES (?, ?, ?, ?, 1) \
         ON CONFLICT (day, touchpoint, kind, score) DO UPDATE SET n = n + 1",
        vec![
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.clone().into(),
            V::Integer(r.score as i64),
        ],
    )
    .map_err(err)?;
    if let Some(payload) = alert {
        sql.exec(
            "INSERT INTO outbox (response_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)",
            vec![r.id.clone().into(), payload.into(), V::Integer(received_at)],
        )
        .map_err(err)?;
    }
    Ok(false)
}
