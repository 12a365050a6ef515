//! The one protocol between the front door and the Durable Objects, and between the objects of
//! one site: the binding name, the internal header names, every operation ([`Op`]) with its
//! path, and the typed messages ([`Message`]) with their replies.
//!
//! `routes` (the front door) and `store` (the objects) both speak through this module and never
//! import each other, so a misspelt operation or a reply read as the wrong shape is a compile
//! error, not a runtime 404 or a silent 0.

use crate::failure::Failure;
use domain::export::{DisplayRecord, ExportQuery, ExportRecord, ImportReport};
use domain::recovery::CasesQuery;
use domain::settings::Settings;
use domain::site::Location;
use domain::summary::{StoredComment, SummaryQuery};
use domain::wire::{CaseView, FollowUpsDue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::js_sys;
use worker::wasm_bindgen::prelude::wasm_bindgen;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{web_sys, Env, ObjectNamespace, Request, Response};

/// The Durable Object namespace binding (see `wrangler.toml`).
pub const SITES: &str = "SITES";

/// Headers on internal requests. The objects are reachable only through this worker, which
/// sets these itself and never passes a client's on, so the objects trust them.
pub mod header {
    /// SHA-256 of the bearer token the client presented.
    pub const TOKEN_HASH: &str = "x-earshot-token-hash";
    /// The country of the request, from the edge's metadata.
    pub const COUNTRY: &str = "x-earshot-country";
    /// The per-visitor key for the rate limit (never stored).
    pub const VISITOR: &str = "x-earshot-visitor";
    /// The site's answers per minute per visitor.
    pub const RATE: &str = "x-earshot-rate";
    /// The site id.
    pub const SITE: &str = "x-earshot-site";
    /// Whether the site has a webhook (negative answers queue an alert).
    pub const ALERTS: &str = "x-earshot-alerts";
    /// The name of the object addressed (`shop`, `shop#2`): alarms arrive without one.
    pub const OBJECT: &str = "x-earshot-object";
    /// The site's `contact` setting is `off`: an answer carrying a contact is refused.
    pub const CONTACT_OFF: &str = "x-earshot-contact-off";
    /// The site's alerts carry the customer's contact (`alert_contact`).
    pub const ALERT_CONTACT: &str = "x-earshot-alert-contact";
}

/// Declares [`Op`] and its paths together, so a variant cannot miss its path.
macro_rules! ops {
    ($($(#[$doc:meta])* $name:ident = $path:literal;)*) => {
        /// Every operation an object answers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Op {
            $($(#[$doc])* $name,)*
        }

        impl Op {
            pub const ALL: &'static [Op] = &[$(Op::$name,)*];

            pub const fn path(self) -> &'static str {
                match self { $(Op::$name => $path,)* }
            }
        }
    };
}

ops! {
    // The front door's calls; the object's reply is the client's answer.
    /// Store a new site ([`CreateSite`]).
    Create = "/create";
    /// The routing settings ([`RoutingOf`]).
    Routing = "/routing";
    /// The public widget config (`if-none-match` passed on).
    Config = "/config";
    /// An owner's settings.
    Settings = "/settings";
    /// An owner's settings change (body: the client's JSON).
    Patch = "/patch";
    /// Replace the owner token's hash ([`RotateToken`]).
    Rotate = "/rotate";
    /// Store one answer (body: the client's JSON; rate-limit headers).
    Ingest = "/ingest";
    /// Count one display (body: the client's JSON; rate-limit headers).
    Display = "/display";
    /// Which ids this object stores ([`KnownIds`]).
    Known = "/known";
    /// The summary (query: the client's).
    Summary = "/summary";
    /// An export page (query: the client's).
    Export = "/export";
    /// Erase one answer anywhere in the site (query: `id`).
    Delete = "/delete";
    /// An import (body: the client's NDJSON).
    Import = "/import";
    /// A page of cases (query: the client's).
    Cases = "/cases";
    /// Set a case's status (query: `id`; body: the client's JSON).
    PatchCase = "/patch-case";
    /// Which ids are due a follow-up (body: the client's JSON; rate-limit headers).
    FollowUps = "/follow-ups";
    /// The digest now (query: the client's).
    Digest = "/digest";
    /// Test hook (local runs only): run the 08:00 digest step and the contact deletion as at a
    /// given time ([`Tick`]).
    Tick = "/tick";
    // Calls between the objects of one site.
    /// One object's rollup rows and newest comments ([`RowsOf`]).
    Rows = "/rows";
    /// One object's export page ([`PageOf`]).
    Page = "/page";
    /// One object's page of displays for an export ([`DisplayPageOf`]).
    DisplayPage = "/display-page";
    /// Erase one answer in this object ([`EraseId`]).
    Erase = "/erase";
    /// Store a shard's part of an import ([`StoreBatch`]).
    Store = "/store";
    /// Where alerts go and how long data is kept ([`HookOf`]).
    Hook = "/hook";
    /// Re-arm the alarm after a settings change ([`Wake`]).
    Wake = "/wake";
    /// One object's page of cases ([`CasesOf`]).
    CasesPage = "/cases-page";
    /// Set a case's status in this object ([`SetCase`]).
    SetCase = "/set-case";
    /// Which of these ids are due a follow-up in this object ([`DueOf`]).
    Due = "/due";
    /// One object's hourly answers of a touchpoint ([`HoursOf`]).
    Hours = "/hours";
    /// A shard asks its primary to check a touchpoint for a spike ([`SpikeCheck`]).
    Spike = "/spike";
}

impl Op {
    pub fn from_path(path: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.path() == path)
    }
}

/// A typed internal request: its operation, its JSON body (`Self`), its query and its reply.
pub trait Message: Serialize {
    const OP: Op;
    type Reply: Serialize + DeserializeOwned;
    /// The query string (`?…`), for messages that carry a query.
    fn query(&self) -> String {
        String::new()
    }
}

/// An empty body or reply.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Empty {}

/// A new site's settings, with its owner token's hash and its webhook secret.
#[derive(Serialize, Deserialize)]
pub struct CreateSite {
    pub settings: Settings,
    pub token_hash: String,
    pub webhook_secret: String,
}
impl Message for CreateSite {
    const OP: Op = Op::Create;
    type Reply = Empty;
}

/// What the front door needs to route an answer; cached briefly in each isolate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Routing {
    pub allowed_origins: Vec<String>,
    pub shards: u32,
    pub rate_limit_per_minute: u32,
    /// Whether a webhook is set (negative answers queue an alert).
    pub alerts: bool,
    /// Shard counts an id may have been stored under ([`Settings::shard_counts`]).
    #[serde(default)]
    pub shard_counts: Vec<u32>,
    /// The `contact` setting is `off` (answers carrying a contact are refused).
    #[serde(default)]
    pub contact_off: bool,
    /// Alerts carry the customer's contact (`alert_contact`).
    #[serde(default)]
    pub alert_contact: bool,
}

#[derive(Serialize, Deserialize)]
pub struct RoutingOf {}
impl Message for RoutingOf {
    const OP: Op = Op::Routing;
    type Reply = Routing;
}

/// Token rotation: the owner's (or admin's) presented token hash and the new token's hash.
#[derive(Serialize, Deserialize)]
pub struct RotateToken {
    pub presented_hash: String,
    pub admin: bool,
    pub new_hash: String,
}
impl Message for RotateToken {
    const OP: Op = Op::Rotate;
    type Reply = Empty;
}

/// Ids to look up (answers, and displays as (id, event)); the reply lists those the object
/// stores.
#[derive(Default, Serialize, Deserialize)]
pub struct KnownIds {
    pub ids: Vec<String>,
    #[serde(default)]
    pub displays: Vec<(String, String)>,
}
impl Message for KnownIds {
    const OP: Op = Op::Known;
    type Reply = KnownIds;
}

/// One object's part of a summary.
#[derive(Default, Serialize, Deserialize)]
pub struct Rows {
    /// (day, touchpoint, kind, score, n)
    pub rollup: Vec<(i64, String, String, i64, i64)>,
    /// (day, touchpoint, kind, shown, dismissed, answered)
    #[serde(default)]
    pub reach: Vec<(i64, String, String, i64, i64, i64)>,
    pub comments: Vec<StoredComment>,
    /// The case rollup of the query's period (its touchpoint and kind filters applied).
    #[serde(default)]
    pub cases: CaseParts,
    /// Every term's comment counts in the period, and the comment totals (for `themes`).
    #[serde(default)]
    pub terms: TermRows,
    /// With [`RowsOf::past_sla_before`]: the cases, opened at any time, still open or contacted
    /// since before that time.
    #[serde(default)]
    pub past_sla: u64,
}

/// One object's part of the themes: each term's comment counts over the query's days and
/// filters, and the comment totals.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct TermRows {
    /// (term, negative, other)
    pub terms: Vec<(String, i64, i64)>,
    /// (negative, other) comments.
    pub totals: (i64, i64),
}

/// One object's case rollup of a summary's period (see `store::case_tally`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CaseParts {
    /// Counts per opening day.
    pub days: Vec<CaseDay>,
    /// (measure, bucket, n) over the period.
    pub buckets: Vec<(String, i64, i64)>,
    /// Exact counts near the SLA cutoff: older cases moved since it, cases of its day past it,
    /// cases of its day unanswered since before it.
    pub sla_edge: [u64; 3],
}

/// The case counts of one opening day (a `case_rollup` sum).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseDay {
    pub day: i64,
    #[serde(flatten)]
    pub counts: domain::case_rollup::CaseCounts,
}

/// Asks a shard for its [`Rows`] under a summary query.
#[derive(Serialize)]
pub struct RowsOf<'a> {
    #[serde(skip)]
    pub query: &'a SummaryQuery,
    /// Count the cases past their SLA: unresolved since before this time (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub past_sla_before: Option<i64>,
    /// The recovery block's SLA cutoff (now − `sla_hours`, Unix ms), the same in every object.
    pub sla_cutoff: i64,
}

/// The body of [`RowsOf`] as a shard reads it.
#[derive(Default, Deserialize)]
pub struct RowsAsk {
    #[serde(default)]
    pub past_sla_before: Option<i64>,
    #[serde(default)]
    pub sla_cutoff: i64,
}
impl Message for RowsOf<'_> {
    const OP: Op = Op::Rows;
    type Reply = Rows;
    fn query(&self) -> String {
        self.query.to_query()
    }
}

/// Export records with their `received_at` in milliseconds, oldest first.
pub type Records = Vec<(i64, ExportRecord)>;

/// Asks a shard for its export page under an export query.
#[derive(Serialize)]
pub struct PageOf<'a> {
    #[serde(skip)]
    pub query: &'a ExportQuery,
}
impl Message for PageOf<'_> {
    const OP: Op = Op::Page;
    type Reply = Records;
    fn query(&self) -> String {
        self.query.to_query()
    }
}

/// Displays with their position in milliseconds ([`domain::export::display_at_ms`]), oldest first.
pub type DisplayRecords = Vec<(i64, DisplayRecord)>;

/// Asks a shard for its page of displays under an export query (`records=displays`).
#[derive(Serialize)]
pub struct DisplayPageOf<'a> {
    #[serde(skip)]
    pub query: &'a ExportQuery,
}
impl Message for DisplayPageOf<'_> {
    const OP: Op = Op::DisplayPage;
    type Reply = DisplayRecords;
    fn query(&self) -> String {
        self.query.to_query()
    }
}

/// Erase one answer in the object addressed.
#[derive(Serialize, Deserialize)]
pub struct EraseId {
    pub id: String,
}

#[derive(Serialize, Deserialize)]
pub struct Erased {
    pub deleted: bool,
}
impl Message for EraseId {
    const OP: Op = Op::Erase;
    type Reply = Erased;
}

/// A shard's part of an import.
#[derive(Serialize, Deserialize)]
pub struct StoreBatch {
    pub records: Records,
    /// Displays of the import (checked again by the shard before they are stored).
    #[serde(default)]
    pub displays: Vec<DisplayRecord>,
}
impl Message for StoreBatch {
    const OP: Op = Op::Store;
    type Reply = ImportReport;
}

/// What a shard asks its primary before delivering alerts or enforcing retention.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hook {
    pub webhook_url: Option<String>,
    pub webhook_secret: String,
    pub retention_days: Option<u32>,
    /// Days a contact is kept after its case is resolved.
    #[serde(default = "default_contact_retention_days")]
    pub contact_retention_days: u32,
}

fn default_contact_retention_days() -> u32 {
    domain::limits::DEFAULT_CONTACT_RETENTION_DAYS
}

#[derive(Serialize, Deserialize)]
pub struct HookOf {}
impl Message for HookOf {
    const OP: Op = Op::Hook;
    type Reply = Hook;
}

/// Asks an object for its page of cases under a cases query.
#[derive(Serialize)]
pub struct CasesOf<'a> {
    #[serde(skip)]
    pub query: &'a CasesQuery,
}
impl Message for CasesOf<'_> {
    const OP: Op = Op::CasesPage;
    /// Cases newest first with their opening time in milliseconds, up to `limit + 1`.
    type Reply = Vec<(i64, CaseView)>;
    fn query(&self) -> String {
        self.query.to_query()
    }
}

/// A case's new status, set by the owner, in the object that holds the case.
#[derive(Serialize, Deserialize)]
pub struct SetCase {
    pub id: String,
    pub status: String,
    pub note: Option<String>,
    /// The site's `contact_retention_days` (a resolution schedules the contact's deletion).
    pub contact_retention_days: u32,
}

/// The case after the change, or `None` when this object does not hold it.
#[derive(Serialize, Deserialize)]
pub struct CaseSet {
    pub case: Option<CaseView>,
}
impl Message for SetCase {
    const OP: Op = Op::SetCase;
    type Reply = CaseSet;
}

/// Ids to check for a due follow-up; the reply lists those due in this object.
#[derive(Serialize, Deserialize)]
pub struct DueOf {
    pub ids: Vec<String>,
}
impl Message for DueOf {
    const OP: Op = Op::Due;
    type Reply = FollowUpsDue;
}

/// Asks an object for its answers of `touchpoint` per hour, from hour `from` on.
#[derive(Serialize, Deserialize)]
pub struct HoursOf {
    pub touchpoint: String,
    pub from: i64,
}
impl Message for HoursOf {
    const OP: Op = Op::Hours;
    /// (hour, answers, negative)
    type Reply = Vec<(i64, i64, i64)>;
}

/// A negative answer was stored at `touchpoint` in a shard: the primary, which sees every
/// shard, decides whether the touchpoint spikes and sends the one alert of the day.
#[derive(Serialize, Deserialize)]
pub struct SpikeCheck {
    pub touchpoint: String,
}
impl Message for SpikeCheck {
    const OP: Op = Op::Spike;
    type Reply = Empty;
}

/// The test hook's message: run the digest step of the alarm as at `now_ms`.
#[derive(Serialize, Deserialize)]
pub struct Tick {
    pub now_ms: i64,
}

/// Whether the step queued a digest (`false`: not due, off, no webhook, or sent already).
#[derive(Serialize, Deserialize)]
pub struct Ticked {
    pub queued: bool,
}
impl Message for Tick {
    const OP: Op = Op::Tick;
    type Reply = Ticked;
}

#[derive(Serialize, Deserialize)]
pub struct Wake {}
impl Message for Wake {
    const OP: Op = Op::Wake;
    type Reply = Empty;
}

/// A call whose reply goes to the client as it is (the owner routes, ingest, config).
pub struct Call {
    op: Op,
    query: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl Call {
    pub fn new(op: Op) -> Self {
        Call {
            op,
            query: String::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// `?…`, passed on as it is.
    pub fn query(mut self, query: impl Into<String>) -> Self {
        self.query = query.into();
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends the call to the object named `object` (`shop`, `shop#2`, `eu.shop#2`).
    ///
    /// The stub's `fetch(url, init)` gets one plain init object: workerd builds the request
    /// once (a `Request` made here first is copied again by `fetch`) and its headers from a
    /// plain object, not from a `Headers` filled one call at a time — measured in the CPU per
    /// ingest (`cargo xtask bench`).
    pub async fn send(self, env: &Env, object: &str) -> worker::Result<Response> {
        let stub: ObjectStub = stub(env, object)?.into_rpc();
        let set = |target: &js_sys::Object, key: &str, value: &JsValue| {
            js_sys::Reflect::set(target, &JsValue::from_str(key), value).map(drop)
        };
        let headers = js_sys::Object::new();
        for (name, value) in &self.headers {
            set(&headers, name, &JsValue::from_str(value))?;
        }
        set(&headers, header::OBJECT, &JsValue::from_str(object))?;
        let init = js_sys::Object::new();
        let method = if self.body.is_some() { "POST" } else { "GET" };
        set(&init, "method", &JsValue::from_str(method))?;
        set(&init, "headers", &headers)?;
        if let Some(body) = &self.body {
            set(&init, "body", &js_sys::Uint8Array::from(body.as_slice()))?;
        }
        let url = format!("https://site.internal{}{}", self.op.path(), self.query);
        let reply = JsFuture::from(stub.fetch_with_init(&url, &init)?).await?;
        Ok(Response::from(reply.dyn_into::<web_sys::Response>()?))
    }
}

#[wasm_bindgen]
extern "C" {
    /// A Durable Object stub as the runtime has it: `fetch(url, init)`, which workers-rs
    /// 0.8.7 does not wrap.
    type ObjectStub;

    #[wasm_bindgen(method, catch, js_name = fetch)]
    fn fetch_with_init(
        this: &ObjectStub,
        url: &str,
        init: &js_sys::Object,
    ) -> std::result::Result<js_sys::Promise, JsValue>;
}

/// The stub of the object named `object`, in the namespace its site's data location asks for
/// (read from the name itself: no lookup).
fn stub(env: &Env, object: &str) -> worker::Result<worker::Stub> {
    let sites = env.durable_object(SITES)?;
    match domain::site::Location::of(object) {
        None => sites.get_by_name(object),
        Some(Location::Hint(hint)) => sites.get_by_name_with_location_hint(object, hint),
        // Local workerd cannot restrict jurisdictions ("not implemented in workerd"): the
        // local runtime's config says so, and such a site's objects live in the plain namespace
        // under the same names. A deployed worker never has this variable.
        Some(Location::Jurisdiction(_)) if env.secret(LOCAL_RUNTIME).is_ok() => {
            sites.get_by_name(object)
        }
        Some(Location::Jurisdiction(j)) => jurisdiction(&sites, j)?.get_by_name(object),
    }
}

/// Set (in `.dev.vars`) only by the local runtime the tests and `cargo xtask dev` start.
pub const LOCAL_RUNTIME: &str = "EARSHOT_LOCAL_RUNTIME";

/// `namespace.jurisdiction(j)`: the namespace whose objects live only in `j` (workers-rs has no
/// wrapper for it yet; the runtime's method is called as it is).
fn jurisdiction(sites: &ObjectNamespace, j: &str) -> worker::Result<ObjectNamespace> {
    let this: &JsValue = sites.as_ref();
    let method: js_sys::Function = js_sys::Reflect::get(this, &JsValue::from_str("jurisdiction"))?
        .dyn_into()
        .map_err(|_| {
            worker::Error::RustError("this runtime has no Durable Object jurisdictions".into())
        })?;
    Ok(ObjectNamespace::unchecked_from_js(
        method.call1(this, &JsValue::from_str(j))?,
    ))
}

/// Sends a typed message to the object `object`; an object's error response is passed on as
/// [`Failure::Refused`].
pub async fn ask<M: Message>(env: &Env, object: &str, msg: &M) -> Result<M::Reply, Failure> {
    let mut resp = Call::new(M::OP)
        .query(msg.query())
        .body(serde_json::to_vec(msg)?)
        .send(env, object)
        .await?;
    if !(200..300).contains(&resp.status_code()) {
        return Err(Failure::Refused(resp));
    }
    Ok(resp.json().await?)
}

/// An object's side: the typed body of a message.
pub async fn read<M: DeserializeOwned>(req: &mut Request) -> Result<M, Failure> {
    Ok(req.json().await?)
}

/// An object's side: the typed reply to a message, with its status.
pub fn reply<M: Message>(status: u16, value: &M::Reply) -> crate::failure::Reply {
    Ok(crate::http::json(status, value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_has_its_own_path() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(Op::from_path(op.path()), Some(*op));
            assert!(op.path().starts_with('/'));
            assert!(Op::ALL[i + 1..].iter().all(|o| o.path() != op.path()));
        }
        assert_eq!(Op::from_path("/nothing"), None);
    }

    #[test]
    fn typed_queries_are_the_domain_s() {
        let q = SummaryQuery::recent(domain::calendar::Day(20_787));
        let rows = |past_sla_before| RowsOf {
            query: &q,
            past_sla_before,
            sla_cutoff: 7,
        };
        assert_eq!(rows(None).query(), q.to_query());
        assert_eq!(
            serde_json::to_string(&rows(None)).ok().as_deref(),
            Some(r#"{"sla_cutoff":7}"#)
        );
        let ask: RowsAsk =
            serde_json::from_str(&serde_json::to_string(&rows(Some(5))).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!((ask.past_sla_before, ask.sla_cutoff), (Some(5), 7));
    }
}
