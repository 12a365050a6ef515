//! `SiteStore`: the SQLite-backed Durable Object of one site (or of one shard of a busy site).
//!
//! Object `{site}` is the site's primary: it keeps the settings and the owner token's hash and
//! answers the owner routes, merging in shards `{site}#1…` when the site uses several. Every
//! object (primary or shard) stores responses, their rollups and an alert outbox, each response
//! written together with its rollup and its alert in one transaction ([`crate::atomic`]).
//!
//! Requests reach an object only from this worker's front door or from another object, through
//! [`crate::rpc`], so the headers on them are trusted.

mod alerts;
mod case_tally;
mod cases;
mod digest;
mod display;
mod ingest;
mod query;
mod schema;
mod settings;
mod spike;
mod terms;

use crate::failure::{respond, Failure, Reply};
use crate::rpc::{self, header, Message, Op};
use domain::calendar::Day;
use domain::rate::Window;
use domain::summary::SummaryQuery;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use worker::{
    console_error, durable_object, Date, DurableObject, Env, Request, Response, Result, SqlStorage,
    SqlStorageValue, State,
};

#[durable_object]
pub struct SiteStore {
    state: State,
    env: Env,
    /// Per-visitor rate windows (visitor key → window); memory only, never stored.
    visitors: RefCell<HashMap<String, Window>>,
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

    async fn fetch(&self, req: Request) -> Result<Response> {
        respond(self.dispatch(req).await)
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
    /// One arm per operation, so an operation without a handler does not compile.
    async fn dispatch(&self, mut req: Request) -> Reply {
        let url = req.url()?;
        let params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if let Some(object) = req.headers().get(header::OBJECT)? {
            self.remember_name(&object)?;
        }
        if !self.alarm_checked.get() {
            self.alarm_checked.set(true);
            self.ensure_alarm().await?;
        }
        let Some(op) = Op::from_path(url.path()) else {
            return Err(Failure::new(domain::Code::NotFound, "no such endpoint"));
        };
        match op {
            // The front door's calls.
            Op::Create => self.create(rpc::read(&mut req).await?),
            Op::Routing => rpc::reply::<rpc::RoutingOf>(200, &self.routing()?),
            Op::Config => self.config(&req),
            Op::Settings => self.settings_view(&req),
            Op::Patch => self.patch(&mut req).await,
            Op::Rotate => self.rotate(rpc::read(&mut req).await?),
            Op::Ingest => self.ingest(&mut req).await,
            Op::Display => self.display(&mut req).await,
            Op::Known => {
                let ask: rpc::KnownIds = rpc::read(&mut req).await?;
                let known = rpc::KnownIds {
                    ids: self.known(&ask.ids)?,
                    displays: self.known_displays(&ask.displays)?,
                };
                rpc::reply::<rpc::KnownIds>(200, &known)
            }
            Op::Summary => self.summary(&req, &params).await,
            Op::Export => self.export(&req, &params).await,
            Op::Delete => self.delete(&req, &params).await,
            Op::Import => self.import(&mut req).await,
            Op::Cases => self.cases(&req, &params).await,
            Op::PatchCase => self.patch_case(&mut req, &params).await,
            Op::FollowUps => self.follow_ups(&mut req).await,
            Op::Digest => self.digest(&req, &params).await,
            Op::Tick => self.tick(rpc::read(&mut req).await?).await,
            // Calls between the objects of one site.
            Op::Rows => {
                let ask: rpc::RowsAsk = rpc::read(&mut req).await.unwrap_or_default();
                self.rows(&params, ask)
            }
            Op::Page => self.page(&params),
            Op::DisplayPage => self.display_page(&params),
            Op::Erase => {
                let ask: rpc::EraseId = rpc::read(&mut req).await?;
                let deleted = self.erase_here(&ask.id)?;
                rpc::reply::<rpc::EraseId>(200, &rpc::Erased { deleted })
            }
            Op::Store => {
                let batch: rpc::StoreBatch = rpc::read(&mut req).await?;
                let report = self.store_local(batch.records, batch.displays)?;
                rpc::reply::<rpc::StoreBatch>(200, &report)
            }
            Op::Hook => self.hook(),
            Op::Wake => self.wake().await,
            Op::CasesPage => self.cases_page(&params),
            Op::SetCase => self.set_case(rpc::read(&mut req).await?).await,
            Op::Due => self.due(rpc::read(&mut req).await?),
            Op::Hours => self.hours(rpc::read(&mut req).await?),
            Op::Spike => {
                let ask: rpc::SpikeCheck = rpc::read(&mut req).await?;
                self.check_spike(&ask.touchpoint).await?;
                rpc::reply::<rpc::SpikeCheck>(200, &rpc::Empty {})
            }
        }
    }

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
        // Once per object instance: an id with a name needs nothing stored.
        if !self.named.get() {
            if self.state.id().name().is_none() {
                self.sql().exec(
                    "INSERT OR IGNORE INTO meta (k, v) VALUES ('name', ?)",
                    vec![object.into()],
                )?;
            }
            self.named.set(true);
        }
        Ok(())
    }

    /// The site this object belongs to, and whether it is the site's primary.
    fn site_and_role(&self) -> Option<(String, bool)> {
        let name = self.name()?;
        let (site, shard) = domain::site::parse_object_name(&name)?;
        Some((site.to_string(), shard == 0))
    }

    /// Sends `msg` to every other object of this site (shards 1..max_shards) in parallel.
    async fn fan_out<M: Message>(
        &self,
        site: &str,
        max_shards: u32,
        msg: &M,
    ) -> std::result::Result<Vec<M::Reply>, Failure> {
        let calls = (1..max_shards).map(|k| {
            let name = domain::site::shard_name(site, k);
            async move { rpc::ask(&self.env, &name, msg).await }
        });
        futures_util::future::join_all(calls)
            .await
            .into_iter()
            .map(|r| r.map_err(unexpected))
            .collect()
    }
}

/// An error reply between two objects of one site is not the client's fault: it is internal.
fn unexpected(f: Failure) -> Failure {
    match f {
        Failure::Refused(resp) => {
            Failure::Internal(format!("a shard refused: status {}", resp.status_code()))
        }
        other => other,
    }
}

/// A summary query's filters as SQL: `" AND touchpoint = ? AND kind = ?"` (each only when the
/// query has it), with the binds `[from, to, touchpoint?, kind?]` for a statement that reads
/// `… WHERE day BETWEEN ? AND ?{filter}`.
fn period_filter(q: &SummaryQuery, from: Day) -> (String, Vec<SqlStorageValue>) {
    let mut filter = String::new();
    let mut binds = vec![
        SqlStorageValue::Integer(from.0),
        SqlStorageValue::Integer(q.to.0),
    ];
    if let Some(tp) = &q.touchpoint {
        filter.push_str(" AND touchpoint = ?");
        binds.push(tp.clone().into());
    }
    if let Some(k) = q.kind {
        filter.push_str(" AND kind = ?");
        binds.push(k.as_str().into());
    }
    (filter, binds)
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
