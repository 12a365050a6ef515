//! Storing one answer: per-visitor rate limit, then the response, its rollup increment and (for
//! a negative answer on a site with a webhook) its alert, all in one transaction.

use super::{internal, SiteStore};
use crate::atomic::transaction;
use crate::http::{error, fault, json};
use crate::routes::{H_ALERTS, H_COUNTRY, H_RATE, H_SITE, H_VISITOR};
use domain::calendar::{rfc3339_ms, Day};
use domain::export::ExportRecord;
use domain::kind::SCALE_VERSION;
use domain::settings::DEFAULT_RATE_LIMIT_PER_MINUTE;
use domain::wire::IngestAck;
use domain::Code;
use worker::{Request, Response, Result, SqlStorage, SqlStorageValue as V};

const WINDOW_MS: i64 = 60_000;
/// Beyond this many remembered visitors, expired entries are dropped.
const MAX_VISITORS: usize = 10_000;

impl SiteStore {
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
        let limit = h.get(H_RATE)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
        let alerts = h.get(H_ALERTS)?.is_some();
        let country = h.get(H_COUNTRY)?.filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        let now = Self::now_ms();
        if let Some(wait) = self.rate_limited(&visitor, limit, now) {
            let mut resp = error(Code::RateLimited, "too many answers from this visitor; try again later")?;
            resp.headers_mut().set("retry-after", &wait.to_string())?;
            return Ok(resp);
        }
        let body = req.bytes().await?;
        // Validated again here: nothing reaches storage without passing `domain`.
        let response = match domain::decode_ingest(&body) {
            Ok(r) => r,
            Err(f) => return fault(&f),
        };
        let record = ExportRecord {
            id: response.id.clone(),
            received_at: rfc3339_ms(now),
            touchpoint: response.touchpoint.clone(),
            kind: response.kind.as_str().to_string(),
            scale_version: SCALE_VERSION,
            score: response.score,
            negative: response.is_negative(),
            comment: response.comment.clone(),
            page: response.page.clone(),
            locale: response.locale.clone(),
            country,
            attributes: response.attributes.clone(),
        };
        let alert = (alerts && record.negative).then(|| domain::alert::payload(&site, &record).to_string());
        let queued = alert.is_some();
        let sql = self.sql();
        let duplicate = transaction(&self.state.storage(), move || store(&sql, &record, now, alert))?;
        if queued && !duplicate {
            self.state.storage().set_alarm(10).await?;
        }
        json(if duplicate { 200 } else { 201 }, &IngestAck { id: response.id, duplicate })
    }
}

/// Stores one response, bumps its rollup and queues its alert; `true` when the id was already
/// stored (then nothing is written). Runs inside one transaction.
fn store(sql: &SqlStorage, r: &ExportRecord, received_at: i64, alert: Option<String>) -> std::result::Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let seen: Vec<serde_json::Value> =
        sql.exec("SELECT 1 AS seen FROM responses WHERE id = ?", vec![r.id.clone().into()]).map_err(err)?.to_array().map_err(err)?;
    if !seen.is_empty() {
        return Ok(true);
    }
    let day = Day::from_unix_ms(received_at).0;
    let attributes = if r.attributes.is_empty() { None } else { Some(serde_json::to_string(&r.attributes).map_err(internal).map_err(err)?) };
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
        vec![V::Integer(day), r.touchpoint.clone().into(), r.kind.clone().into(), V::Integer(r.score as i64)],
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
