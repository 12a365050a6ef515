//! `SiteStore`: one SQLite-backed Durable Object per site.
//!
//! It holds the site's settings (with the owner token's hash), every raw response, and the
//! rollup counts (day × touchpoint × kind × score) that the summary reads. A response and its
//! rollup increment are written in one transaction ([`crate::atomic`]), so the rollups always
//! equal a recount of the raw rows.

use crate::atomic::transaction;
use crate::http::{error, fault, json};
use crate::routes::{H_COUNTRY, H_ORIGIN, H_TOKEN_HASH};
use crate::token::constant_time_eq;
use domain::calendar::{rfc3339_ms, Day};
use domain::kind::SCALE_VERSION;
use domain::summary::{RollupRow, SummaryQuery};
use domain::wire::{IngestAck, RecentComment};
use domain::{Code, Kind};
use serde::Deserialize;
use worker::{console_error, durable_object, Date, DurableObject, Env, Request, Response, Result, SqlStorage, SqlStorageValue as V, State};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS site (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  site_id TEXT NOT NULL,
  name TEXT NOT NULL,
  allowed_origins TEXT NOT NULL,
  webhook_url TEXT,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS responses (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL,
  day INTEGER NOT NULL,
  touchpoint TEXT NOT NULL,
  kind TEXT NOT NULL,
  scale_version INTEGER NOT NULL,
  score INTEGER NOT NULL,
  comment TEXT,
  page TEXT,
  locale TEXT,
  attributes TEXT,
  country TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS responses_comments ON responses (received_at) WHERE comment IS NOT NULL;
CREATE TABLE IF NOT EXISTS rollup (
  day INTEGER NOT NULL,
  touchpoint TEXT NOT NULL,
  kind TEXT NOT NULL,
  score INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, touchpoint, kind, score)
) WITHOUT ROWID;
";

#[durable_object]
pub struct SiteStore {
    state: State,
}

#[derive(Deserialize)]
struct SiteRow {
    site_id: String,
    allowed_origins: String,
    token_hash: String,
}

#[derive(Deserialize)]
struct CreateCommand {
    site_id: String,
    name: String,
    allowed_origins: Vec<String>,
    webhook_url: Option<String>,
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
struct CommentDto {
    id: String,
    received_at: i64,
    touchpoint: String,
    kind: String,
    score: i64,
    comment: String,
}

impl DurableObject for SiteStore {
    fn new(state: State, _env: Env) -> Self {
        if let Err(e) = state.storage().sql().exec(SCHEMA, None) {
            console_error!("schema migration failed: {e}");
        }
        SiteStore { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let url = req.url()?;
        match url.path() {
            "/create" => self.create(&mut req).await,
            "/ingest" => self.ingest(&mut req).await,
            "/summary" => {
                let params: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                self.summary(&req, &params)
            }
            _ => error(Code::NotFound, "no such endpoint"),
        }
    }
}

impl SiteStore {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    fn site(&self) -> Result<Option<SiteRow>> {
        let rows: Vec<SiteRow> =
            self.sql().exec("SELECT site_id, allowed_origins, token_hash FROM site WHERE id = 1", None)?.to_array()?;
        Ok(rows.into_iter().next())
    }

    /// The owner check: the request's token hash must equal the stored one.
    fn is_owner(req: &Request, site: &SiteRow) -> bool {
        let given = req.headers().get(H_TOKEN_HASH).ok().flatten().unwrap_or_default();
        constant_time_eq(&given, &site.token_hash)
    }

    async fn create(&self, req: &mut Request) -> Result<Response> {
        let token_hash = req.headers().get(H_TOKEN_HASH)?.unwrap_or_default();
        let cmd: CreateCommand = req.json().await?;
        if self.site()?.is_some() {
            return error(Code::SiteExists, "a site with this id exists already");
        }
        let origins = serde_json::to_string(&cmd.allowed_origins).map_err(|e| worker::Error::RustError(e.to_string()))?;
        self.sql().exec(
            "INSERT INTO site (id, site_id, name, allowed_origins, webhook_url, token_hash, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
            vec![
                cmd.site_id.into(),
                cmd.name.into(),
                origins.into(),
                cmd.webhook_url.into(),
                token_hash.into(),
                V::Integer(Date::now().as_millis() as i64),
            ],
        )?;
        json(201, &serde_json::json!({"created": true}))
    }

    async fn ingest(&self, req: &mut Request) -> Result<Response> {
        let Some(site) = self.site()? else {
            return error(Code::SiteNotFound, "no such site");
        };
        let origin = req.headers().get(H_ORIGIN)?;
        let allowed: Vec<String> = serde_json::from_str(&site.allowed_origins).unwrap_or_default();
        if !origin.as_ref().is_some_and(|o| allowed.iter().any(|a| a == o)) {
            return error(Code::OriginNotAllowed, "this site does not accept responses from this origin");
        }
        let body = req.bytes().await?;
        let response = match domain::decode_ingest(&body) {
            Ok(r) => r,
            Err(f) => return fault(&f),
        };
        let country = req.headers().get(H_COUNTRY)?;
        let received_at = Date::now().as_millis() as i64;
        let id = response.id.clone();
        let sql = self.sql();
        let duplicate = transaction(&self.state.storage(), move || store_response(&sql, &response, received_at, country))?;
        json(if duplicate { 200 } else { 201 }, &IngestAck { id, duplicate })
    }

    fn summary(&self, req: &Request, params: &[(String, String)]) -> Result<Response> {
        let Some(site) = self.site()? else {
            return error(Code::SiteNotFound, "no such site");
        };
        if !Self::is_owner(req, &site) {
            return error(Code::Unauthorized, "this token does not give access to this site");
        }
        let today = Day::from_unix_ms(Date::now().as_millis() as i64);
        let query = match SummaryQuery::parse(params.iter().map(|(k, v)| (k.as_str(), v.as_str())), today) {
            Ok(q) => q,
            Err(f) => return fault(&f),
        };
        let mut filter = String::new();
        let mut binds: Vec<V> = vec![V::Integer(query.from.0), V::Integer(query.to.0)];
        if let Some(tp) = &query.touchpoint {
            filter.push_str(" AND touchpoint = ?");
            binds.push(tp.clone().into());
        }
        if let Some(k) = query.kind {
            filter.push_str(" AND kind = ?");
            binds.push(k.as_str().into());
        }
        let rows: Vec<RollupDto> = self
            .sql()
            .exec(&format!("SELECT day, touchpoint, kind, score, n FROM rollup WHERE day BETWEEN ? AND ?{filter}"), binds.clone())?
            .to_array()?;
        let rows: Vec<RollupRow> = rows
            .into_iter()
            .filter_map(|r| {
                Some(RollupRow {
                    day: Day(r.day),
                    touchpoint: r.touchpoint,
                    kind: Kind::parse(&r.kind).ok()?,
                    score: u8::try_from(r.score).ok()?,
                    count: u64::try_from(r.n).ok()?,
                })
            })
            .collect();
        let mut comment_binds = binds;
        comment_binds[0] = V::Integer(query.from.start_ms());
        comment_binds[1] = V::Integer(Day(query.to.0 + 1).start_ms() - 1);
        let comments: Vec<CommentDto> = self
            .sql()
            .exec(
                &format!(
                    "SELECT id, received_at, touchpoint, kind, score, comment FROM responses \
                     WHERE comment IS NOT NULL AND received_at BETWEEN ? AND ?{filter} \
                     ORDER BY received_at DESC LIMIT {}",
                    domain::limits::RECENT_COMMENTS
                ),
                comment_binds,
            )?
            .to_array()?;
        let comments = comments
            .into_iter()
            .filter_map(|c| {
                let kind = Kind::parse(&c.kind).ok()?;
                let score = u8::try_from(c.score).ok()?;
                Some(RecentComment {
                    id: c.id,
                    received_at: rfc3339_ms(c.received_at),
                    touchpoint: c.touchpoint,
                    kind: kind.as_str().to_string(),
                    score,
                    comment: c.comment,
                    negative: kind.is_negative(score),
                })
            })
            .collect();
        json(200, &domain::summary::build(&site.site_id, &query, &rows, comments))
    }
}

/// Stores one response and bumps its rollup; returns `true` when the id was already stored.
/// Runs inside one transaction: both writes happen, or neither.
fn store_response(sql: &SqlStorage, r: &domain::Response, received_at: i64, country: Option<String>) -> std::result::Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let seen: Vec<serde_json::Value> =
        sql.exec("SELECT 1 AS seen FROM responses WHERE id = ?", vec![r.id.clone().into()]).map_err(err)?.to_array().map_err(err)?;
    if !seen.is_empty() {
        return Ok(true);
    }
    let day = Day::from_unix_ms(received_at).0;
    let attributes = if r.attributes.is_empty() { None } else { serde_json::to_string(&r.attributes).ok() };
    sql.exec(
        "INSERT INTO responses (id, received_at, day, touchpoint, kind, scale_version, score, comment, page, locale, attributes, country) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            r.id.clone().into(),
            V::Integer(received_at),
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.as_str().into(),
            V::Integer(SCALE_VERSION as i64),
            V::Integer(r.score as i64),
            r.comment.clone().into(),
            r.page.clone().into(),
            r.locale.clone().into(),
            attributes.into(),
            country.into(),
        ],
    )
    .map_err(err)?;
    sql.exec(
        "INSERT INTO rollup (day, touchpoint, kind, score, n) VALUES (?, ?, ?, ?, 1) \
         ON CONFLICT (day, touchpoint, kind, score) DO UPDATE SET n = n + 1",
        vec![V::Integer(day), r.touchpoint.clone().into(), r.kind.as_str().into(), V::Integer(r.score as i64)],
    )
    .map_err(err)?;
    Ok(false)
}
