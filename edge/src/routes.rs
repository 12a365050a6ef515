//! The front door: one match against [`api::Route`], the checks that need no storage (methods,
//! content types, body size, a token's presence, the admin token, the origin allow-list from a
//! short-lived routing cache), then the site's Durable Object through [`crate::rpc`]. Everything
//! about a site is answered by that site's objects ([`crate::store`]).

use crate::failure::{respond, Failure, Reply};
use crate::http::{self, body_limited, json, json_content_type, preflight, with_cors};
use crate::rpc::{self, header, Call, KnownIds, Op, RotateToken, Routing, RoutingOf};
use crate::token;
use api::{Miss, Route};
use domain::limits::MAX_BODY_BYTES;
use domain::site::{earlier_shards, shard_for, shard_name, single_object, validate_site_id};
use domain::wire::{IngestAck, SiteCreated};
use domain::{Code, Fault};
use std::cell::RefCell;
use std::collections::HashMap;
use worker::{Date, Env, Method, Request, Response, Result};

/// How long this isolate trusts a site's routing settings (origins, shards, rate limit).
const ROUTING_TTL_MS: f64 = 5_000.0;

thread_local! {
    static ROUTING: RefCell<HashMap<String, (Routing, f64)>> = RefCell::new(HashMap::new());
}

pub async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let is_api = path.starts_with("/v1/");
    if req.method() == Method::Options && is_api {
        return preflight(&req);
    }
    let origin = req.headers().get("origin")?;
    // The request's own method string: workers-rs reads any method it does not know as GET.
    let method = req.inner().method();
    if path == TEST_TICK && method == "POST" && test_hooks(env) {
        return respond(test_tick(&mut req, env).await);
    }
    let (resp, cors) = match Route::find(&method, &path) {
        Ok(found) => {
            let site = found.site().unwrap_or_default().to_string();
            let id = found.id().unwrap_or_default().to_string();
            let route = found.route;
            let resp =
                respond(dispatch(route, &mut req, env, &site, &id, origin.as_deref()).await)?;
            // Only an allowed origin may read the answer to a browser's post.
            let cors = match route {
                Route::Ingest | Route::Displays | Route::FollowUps if resp.status_code() == 403 => {
                    Some("null")
                }
                Route::Ingest | Route::Displays | Route::FollowUps => origin.as_deref(),
                _ => None,
            };
            (resp, cors)
        }
        Err(Miss::NotFound) => (
            respond(Err(Failure::new(Code::NotFound, "no such endpoint")))?,
            None,
        ),
        Err(Miss::MethodNotAllowed { allow }) => {
            let mut resp = respond(Err(Failure::new(
                Code::MethodNotAllowed,
                "this method is not allowed on this path",
            )))?;
            resp.headers_mut().set("allow", &allow)?;
            (resp, None)
        }
    };
    if is_api {
        with_cors(resp, cors)
    } else {
        Ok(resp)
    }
}

/// Runs the handler of `route`: one arm per route, so a route without a handler does not compile.
async fn dispatch(
    route: Route,
    req: &mut Request,
    env: &Env,
    site: &str,
    id: &str,
    origin: Option<&str>,
) -> Reply {
    if !site.is_empty() && validate_site_id(site).is_err() {
        return Err(Failure::new(Code::SiteNotFound, "no such site"));
    }
    match route {
        Route::Health => Ok(json(200, &serde_json::json!({"ok": true}))?),
        Route::CreateSite => create_site(req, env).await,
        Route::Ingest => ingest(req, env, site, origin).await,
        Route::Displays => display(req, env, site, origin).await,
        Route::Config => {
            let mut call = Call::new(Op::Config);
            if let Some(tag) = req.headers().get("if-none-match")? {
                call = call.header("if-none-match", &tag);
            }
            Ok(call.send(env, site).await?)
        }
        Route::RotateToken => rotate(req, env, site).await,
        Route::Import => {
            let call = owner(req, Op::Import)?;
            let body = ndjson_body(req).await?;
            Ok(call.body(body).send(env, site).await?)
        }
        Route::PatchSite => {
            let call = owner(req, Op::Patch)?;
            let body = read_json_body(req).await?;
            let resp = call.body(body).send(env, site).await?;
            ROUTING.with(|r| r.borrow_mut().remove(site));
            Ok(resp)
        }
        Route::Site => send_owner(req, env, site, Op::Settings, String::new()).await,
        Route::Summary => send_owner(req, env, site, Op::Summary, query(req)?).await,
        Route::Export => send_owner(req, env, site, Op::Export, query(req)?).await,
        Route::Erase => {
            send_owner(req, env, site, Op::Delete, format!("?id={}", urlencode(id))).await
        }
        Route::Cases => send_owner(req, env, site, Op::Cases, query(req)?).await,
        Route::PatchCase => {
            let call = owner(req, Op::PatchCase)?.query(format!("?id={}", urlencode(id)));
            let body = read_json_body(req).await?;
            Ok(call.body(body).send(env, site).await?)
        }
        Route::FollowUps => follow_ups(req, env, site, origin).await,
        Route::Digest => send_owner(req, env, site, Op::Digest, query(req)?).await,
    }
}

/// The path of the test hook that runs a site's 08:00 digest step as at a given time.
const TEST_TICK: &str = "/__test/tick";

/// Whether this deployment has test hooks: only local test runs set `TEST_HOOKS = "1"`
/// (in `.dev.vars`); production never does, so there the path is a plain 404.
fn test_hooks(env: &Env) -> bool {
    env.secret("TEST_HOOKS")
        .map(|v| v.to_string() == "1")
        .unwrap_or(false)
}

/// `POST /__test/tick` (admin token) `{"site": "shop", "now": "2026-11-30T08:00:00Z"}` →
/// `{"queued": bool}`: the primary's digest step as at `now` (the real alarm then delivers), and
/// its deletion of contacts `contact_retention_days` after their case was resolved, as at `now`.
async fn test_tick(req: &mut Request, env: &Env) -> Reply {
    if !is_admin(req, env) {
        return Err(Failure::new(
            Code::Unauthorized,
            "the test hook needs the admin token",
        ));
    }
    #[derive(serde::Deserialize)]
    struct Ask {
        site: String,
        now: String,
    }
    let ask: Ask = serde_json::from_slice(&read_json_body(req).await?)
        .map_err(|_| Failure::new(Code::MalformedJson, "expected {\"site\", \"now\"}"))?;
    validate_site_id(&ask.site)?;
    let now_ms = domain::calendar::parse_rfc3339_ms(&ask.now).ok_or_else(|| {
        Fault::at(
            Code::InvalidQuery,
            "now",
            "now must be an RFC 3339 UTC time",
        )
    })?;
    let ticked = rpc::ask(env, &ask.site, &rpc::Tick { now_ms }).await?;
    Ok(json(200, &ticked)?)
}

fn query(req: &Request) -> Result<String> {
    Ok(req
        .url()?
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn read_json_body(req: &mut Request) -> std::result::Result<Vec<u8>, Fault> {
    json_content_type(req)?;
    body_limited(req, MAX_BODY_BYTES).await
}

/// An NDJSON body (`application/x-ndjson`, or JSON/text types) of at most 1 MiB.
async fn ndjson_body(req: &mut Request) -> std::result::Result<Vec<u8>, Fault> {
    let ct = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !ct.starts_with("application/x-ndjson") {
        json_content_type(req)?;
    }
    body_limited(req, domain::limits::MAX_IMPORT_BYTES).await
}

const OWNER_NEEDED: &str = "this endpoint needs the site's owner token (Authorization: Bearer …)";

/// An owner route's call: the presented token's hash goes along and the object compares it. A
/// missing token is refused here, before any body is read.
fn owner(req: &Request, op: Op) -> std::result::Result<Call, Failure> {
    let given = http::bearer(req).ok_or_else(|| Failure::new(Code::Unauthorized, OWNER_NEEDED))?;
    Ok(Call::new(op).header(header::TOKEN_HASH, &token::sha256_hex(&given)))
}

async fn send_owner(req: &Request, env: &Env, site: &str, op: Op, query: String) -> Reply {
    Ok(owner(req, op)?.query(query).send(env, site).await?)
}

/// Owner-token rotation, by the owner or the admin: the new token is made here, only its hash
/// is stored, and the old one stops working at once.
async fn rotate(req: &Request, env: &Env, site: &str) -> Reply {
    let given = http::bearer(req).ok_or_else(|| {
        Failure::new(
            Code::Unauthorized,
            "this endpoint needs the owner or the admin token (Authorization: Bearer …)",
        )
    })?;
    let owner_token = token::new_owner_token();
    let msg = RotateToken {
        presented_hash: token::sha256_hex(&given),
        admin: is_admin(req, env),
        new_hash: token::sha256_hex(&owner_token),
    };
    rpc::ask(env, site, &msg).await?;
    Ok(json(
        200,
        &SiteCreated {
            site_id: site.to_string(),
            owner_token,
        },
    )?)
}

async fn create_site(req: &mut Request, env: &Env) -> Reply {
    if !is_admin(req, env) {
        return Err(Failure::new(
            Code::Unauthorized,
            "this endpoint needs the admin token (Authorization: Bearer …)",
        ));
    }
    let new_site = domain::site::decode_create(&read_json_body(req).await?)?;
    let site_id = new_site.located_id(&new_site.site_id.clone().unwrap_or_else(token::new_site_id));
    let owner_token = token::new_owner_token();
    let webhook_secret = token::new_webhook_secret();
    let settings = domain::settings::Settings::new(
        site_id.clone(),
        new_site.name,
        new_site.allowed_origins,
        new_site.webhook_url,
    );
    let create = rpc::CreateSite {
        settings,
        token_hash: token::sha256_hex(&owner_token),
        webhook_secret: webhook_secret.clone(),
    };
    rpc::ask(env, &site_id, &create).await?;
    Ok(json(
        201,
        &serde_json::json!({"site_id": site_id, "owner_token": owner_token, "webhook_secret": webhook_secret}),
    )?)
}

fn is_admin(req: &Request, env: &Env) -> bool {
    let Some(given) = http::bearer(req) else {
        return false;
    };
    let Ok(admin) = env.secret("ADMIN_TOKEN").map(|s| s.to_string()) else {
        worker::console_warn!("ADMIN_TOKEN is not set: admin routes are closed");
        return false;
    };
    !admin.is_empty()
        && token::constant_time_eq(&token::sha256_hex(&given), &token::sha256_hex(&admin))
}

/// The site's routing settings, from this isolate's cache or its Durable Object.
async fn routing(env: &Env, site: &str) -> std::result::Result<Routing, Failure> {
    let now = Date::now().as_millis() as f64;
    if let Some(r) = ROUTING.with(|c| {
        c.borrow()
            .get(site)
            .filter(|(_, at)| now - at < ROUTING_TTL_MS)
            .map(|(r, _)| r.clone())
    }) {
        return Ok(r);
    }
    let r = rpc::ask(env, site, &RoutingOf {}).await?;
    ROUTING.with(|c| c.borrow_mut().insert(site.to_string(), (r.clone(), now)));
    Ok(r)
}

/// A per-visitor key for rate limiting that is never stored: a hash of the address, the site
/// and the day, kept only in the Durable Object's memory.
fn visitor_key(req: &Request, site: &str) -> String {
    let h = req.headers();
    let ip = h
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .or_else(|| h.get("x-real-ip").ok().flatten())
        .unwrap_or_default();
    let day = domain::calendar::Day::from_unix_ms(Date::now().as_millis() as i64);
    token::sha256_hex(&format!("{ip}|{site}|{}", day.0))[..24].to_string()
}

/// What a browser's post (an answer or a display) passes before its object sees it: a JSON
/// body of at most `limit` bytes, a known site, an allowed origin. Returns the site's routing
/// and the body.
async fn browser_post(
    req: &mut Request,
    env: &Env,
    site: &str,
    origin: Option<&str>,
    limit: usize,
) -> std::result::Result<(Routing, Vec<u8>), Failure> {
    json_content_type(req)?;
    let body = body_limited(req, limit).await?;
    let routing = routing(env, site).await?;
    if !origin.is_some_and(|o| routing.allowed_origins.iter().any(|a| a == o)) {
        return Err(Failure::new(
            Code::OriginNotAllowed,
            "this site does not accept responses from this origin",
        ));
    }
    Ok((routing, body))
}

/// The object call for a browser's post: the headers the object's rate limit needs.
fn browser_call(op: Op, req: &Request, site: &str, routing: &Routing) -> Call {
    let mut call = Call::new(op)
        .header(header::SITE, site)
        .header(header::VISITOR, &visitor_key(req, site))
        .header(header::RATE, &routing.rate_limit_per_minute.to_string());
    if routing.alerts {
        call = call.header(header::ALERTS, "1");
    }
    if routing.contact_off {
        call = call.header(header::CONTACT_OFF, "1");
    }
    if routing.alert_contact {
        call = call.header(header::ALERT_CONTACT, "1");
    }
    if let Some(country) = req.cf().and_then(|cf| cf.country()) {
        call = call.header(header::COUNTRY, &country);
    }
    call
}

async fn ingest(req: &mut Request, env: &Env, site: &str, origin: Option<&str>) -> Reply {
    let (routing, body) = browser_post(req, env, site, origin, MAX_BODY_BYTES).await?;
    let call = browser_call(Op::Ingest, req, site, &routing);
    // A site with one object: the object decodes and validates the answer (before its rate
    // limit, as here), so decoding it here too would only cost CPU on every answer.
    if single_object(routing.shards, &routing.shard_counts) {
        return Ok(call.body(body).send(env, site).await?);
    }
    let response = domain::decode_ingest(&body)?;
    // A follow-up is stored with its case (`shard_key`), so the answer and the case's update
    // are one transaction. A replay of an answer stored under an earlier shard count is a
    // duplicate, not a new answer.
    let key = response.shard_key();
    for k in earlier_shards(key, routing.shards, &routing.shard_counts) {
        let ask = KnownIds {
            ids: vec![response.id.clone()],
            ..KnownIds::default()
        };
        if !rpc::ask(env, &shard_name(site, k), &ask)
            .await?
            .ids
            .is_empty()
        {
            let ack = IngestAck {
                id: response.id,
                duplicate: true,
            };
            return Ok(json(200, &ack)?);
        }
    }
    let shard = shard_name(site, shard_for(response.shard_key(), routing.shards));
    Ok(call.body(body).send(env, &shard).await?)
}

/// A display counts where its id maps, like an answer (a replay reaches the same object).
async fn display(req: &mut Request, env: &Env, site: &str, origin: Option<&str>) -> Reply {
    let limit = domain::limits::MAX_DISPLAY_BODY_BYTES;
    let (routing, body) = browser_post(req, env, site, origin, limit).await?;
    let display = domain::display::decode_display(&body)?;
    let shard = shard_name(site, shard_for(&display.id, routing.shards));
    let call = browser_call(Op::Display, req, site, &routing);
    Ok(call.body(body).send(env, &shard).await?)
}

/// Which of a browser's negative answers are due a follow-up: checked here, answered by the
/// primary, which asks every shard.
async fn follow_ups(req: &mut Request, env: &Env, site: &str, origin: Option<&str>) -> Reply {
    let limit = domain::limits::MAX_FOLLOW_UP_BODY_BYTES;
    let (routing, body) = browser_post(req, env, site, origin, limit).await?;
    domain::recovery::decode_follow_ups(&body)?;
    let call = browser_call(Op::FollowUps, req, site, &routing);
    Ok(call.body(body).send(env, site).await?)
}
