//! `SiteStore`: the SQLite-backed Durable Object of one site (or of one shard of a busy site).
//!
//! Object `{site}` is the site's primary: it keeps the settings and the owner token's hash and
//! answers the owner routes, merging in shards `{site}#1…` when the site uses several. Every
//! object (primary or shard) stores responses, their rollups and an alert outbox, each response
//! written together with its rollup and its alert in one transaction ([`crate::atomic`]).
//!
//! Requests reach an object only from this worker's front door ([`crate::routes`]) or from
//! another object, so the `x-earshot-*` headers on them are trusted.

mod alerts;
mod ingest;
mod query;
mod schema;
mod settings;

use crate::http::error;
use crate::routes::{call, H_OBJECT, H_SITE};
use domain::Code;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use worker::{
    console_error, durable_object, Date, DurableObject, Env, Headers, Request, Response, Result,
    SqlStorage, State,
};

pub use settings::Routing;

#[durable_object]
pub struct SiteStore {
    state: State,
    env: Env,
    /// Per-visitor request counts (visitor key → window start, count); memory only, never stored.
    visitors: RefCell<HashMap<String, (i64, u32)>>,
    named: Cell<bool>,
    /// Whether this instance has checked that pending alerts have an alarm.
    alarm_checked: Cell<bool>,
}

impl DurableObject for SiteStore {
    fn new(state: State, env: Env) -> Self {
        if let Err(e) = schema::migrate(&state.storage()) {
            console_error!("schema migration failed: {e}");
        }
        SiteStore {
            state,
            env,
            visitors: RefCell::new(HashMap::new()),
            named: Cell::new(false),
            alarm_checked: Cell::new(false),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let url = req.url()?;
        let params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some(object) = req.headers().get(H_OBJECT)? {
            self.remember_name(&object)?;
        }
        if !self.alarm_checked.get() {
            self.alarm_checked.set(true);
            self.ensure_alarm().await?;
        }
        match url.path() {
            // The front door's calls.
            "/create" => self.create(&mut req).await,
            "/routing" => self.routing(),
            "/config" => self.config(&req),
            "/patch" => self.patch(&mut req).await,
            "/rotate" => self.rotate(&req),
            "/ingest" => self.ingest(&mut req).await,
            "/known" => self.known_ids(&mut req).await,
            "/summary" => self.summary(&req, &params).await,
            "/export" => self.export(&req, &params).await,
            "/delete" => self.delete(&req, &params).await,
            "/import" => self.import(&mut req).await,
            // Calls between the objects of one site.
            "/rows" => self.rows(&params),
            "/page" => self.page(&params),
            "/erase" => self.erase(&params),
            "/store" => self.store_batch(&mut req).await,
            "/hook" => self.hook(),
            "/wake" => self.wake().await,
            _ => error(Code::NotFound, "no such endpoint"),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        if let Err(e) = self.run_alarm().await {
            console_error!("alarm failed: {e}");
        }
        Response::ok("ok")
    }
}

/// One `(key, value)` pair in the object's `meta` table.
#[derive(Deserialize)]
struct MetaRow {
    v: String,
}

impl SiteStore {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    fn now_ms() -> i64 {
        Date::now().as_millis() as i64
    }

    /// This object's name (`shop` or `shop#2`): remembered from the first request, since alarms
    /// arrive without one.
    fn name(&self) -> Option<String> {
        if let Some(n) = self.state.id().name() {
            return Some(n);
        }
        let rows: Vec<MetaRow> = self
            .sql()
            .exec("SELECT v FROM meta WHERE k = 'name'", None)
            .ok()?
            .to_array()
            .ok()?;
        rows.into_iter().next().map(|r| r.v)
    }

    fn remember_name(&self, object: &str) -> Result<()> {
        if self.state.id().name().is_none() && !self.named.get() {
            self.sql().exec(
                "INSERT OR IGNORE INTO meta (k, v) VALUES ('name', ?)",
                vec![object.into()],
            )?;
            self.named.set(true);
        }
        Ok(())
    }

    /// The site this object belongs to, and whether it is the site's primary.
    fn site_and_role(&self) -> Option<(String, bool)> {
        let name = self.name()?;
        Some(match name.split_once('#') {
            Some((site, _)) => (site.to_string(), false),
            None => (name, true),
        })
    }

    /// Calls every other object of this site (shards 1..max_shards) in parallel.
    async fn fan_out<T: for<'de> Deserialize<'de>>(
        &self,
        site: &str,
        max_shards: u32,
        op: &str,
    ) -> Result<Vec<T>> {
        let calls = (1..max_shards).map(|k| {
            let name = domain::site::shard_name(site, k);
            async move {
                let headers = Headers::new();
                headers.set(H_SITE, site)?;
                let mut resp = call(&self.env, &name, op, headers, None).await?;
                if resp.status_code() != 200 {
                    return Err(worker::Error::RustError(format!(
                        "{name}/{op}: status {}",
                        resp.status_code()
                    )));
                }
                resp.json::<T>().await
            }
        });
        futures_util::future::join_all(calls)
            .await
            .into_iter()
            .collect()
    }
}

/// Query parameters as borrowed pairs, for the `domain` parsers.
fn pairs(params: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Turns any serde error into a worker error (internal: logged, never echoed).
fn internal(e: impl std::fmt::Display) -> worker::Error {
    worker::Error::RustError(e.to_string())
}

#[derive(Serialize, Deserialize)]
struct Empty {}
