//! The front door: route matching and the checks that need no storage. Everything about a site
//! is answered by that site's Durable Object ([`crate::store`]).

use crate::http::{
    self, body_limited, error, fault, json, json_content_type, preflight, with_cors,
};
use crate::route_table::{match_path, ROUTES};
use crate::store::Routing;
use crate::token;
use domain::limits::MAX_BODY_BYTES;
use domain::site::{earlier_shards, shard_for, shard_name, validate_site_id};
use domain::wire::{CreateSite, IngestAck};
use domain::{Code, Fault};
use std::cell::RefCell;
use std::collections::HashMap;
use worker::{Date, Env, Headers, Method, Request, RequestInit, Response, Result};

/// The Durable Object namespace binding (see `wrangler.toml`).
pub const SITES: &str = "SITES";
/// Headers the front door sets on requests to a Durable Object (never taken from clients: the
/// objects are reachable only through this worker).
pub const H_TOKEN_HASH: &str = "x-earshot-token-hash";
pub const H_ADMIN: &str = "x-earshot-admin";
pub const H_NEW_TOKEN_HASH: &str = "x-earshot-new-token-hash";
pub const H_COUNTRY: &str = "x-earshot-country";
pub const H_VISITOR: &str = "x-earshot-visitor";
pub const H_RATE: &str = "x-earshot-rate";
pub const H_SITE: &str = "x-earshot-site";
pub const H_ALERTS: &str = "x-earshot-alerts";
pub const H_OBJECT: &str = "x-earshot-object";

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
    let method = req.method().to_string();
    let mut path_matched = false;
    let mut found = None;
    for (m, pattern) in ROUTES {
        if let Some(params) = match_path(pattern, &path) {
            path_matched = true;
            if *m == method {
                found = Some((
                    *pattern,
                    params.into_iter().map(str::to_string).collect::<Vec<_>>(),
                ));
                break;
            }
        }
    }
    let Some((pattern, params)) = found else {
        let resp = if path_matched {
            error(
                Code::MethodNotAllowed,
                "this method is not allowed on this path",
            )
        } else {
            error(Code::NotFound, "no such endpoint")
        }?;
        return if is_api {
            with_cors(resp, None)
        } else {
            Ok(resp)
        };
    };
    let site = params.first().cloned().unwrap_or_default();
    if !site.is_empty() && validate_site_id(&site).is_err() {
        return with_cors(error(Code::SiteNotFound, "no such site")?, None);
    }
    let resp = match (pattern, method.as_str()) {
        ("/health", _) => return json(200, &serde_json::json!({"ok": true})),
        ("/v1/sites", _) => create_site(&mut req, env).await,
        ("/v1/sites/{site}/responses", "POST") => {
            let origin = req.headers().get("origin")?;
            let resp = ingest(&mut req, env, &site, origin.as_deref()).await?;
            // Only an allowed origin may read the answer.
            let readable = resp.status_code() != 403;
            return with_cors(
                resp,
                if readable {
                    origin.as_deref()
                } else {
                    Some("null")
                },
            );
        }
        ("/v1/sites/{site}/config", _) => {
            let headers = Headers::new();
            if let Some(tag) = req.headers().get("if-none-match")? {
                headers.set("if-none-match", &tag)?;
            }
            forward(env, &site, "config", headers, None).await
        }
        ("/v1/sites/{site}/token", _) => rotate(&req, env, &site).await,
        ("/v1/sites/{site}/import", _) => {
            owner_post(&mut req, env, &site, "import", Body::Ndjson).await
        }
        ("/v1/sites/{site}", _) => {
            let resp = owner_post(&mut req, env, &site, "patch", Body::Json).await?;
            ROUTING.with(|r| r.borrow_mut().remove(&site));
            Ok(resp)
        }
        ("/v1/sites/{site}/summary", _) => {
            owner_call(&req, env, &site, &format!("summary{}", query(&req)?), None).await
        }
        ("/v1/sites/{site}/responses", _) => {
            owner_call(&req, env, &site, &format!("export{}", query(&req)?), None).await
        }
        ("/v1/sites/{site}/responses/{id}", _) => {
            let id = params.get(1).cloned().unwrap_or_default();
            owner_call(
                &req,
                env,
                &site,
                &format!("delete?id={}", urlencode(&id)),
                None,
            )
            .await
        }
        _ => error(Code::NotFound, "no such endpoint"),
    }?;
    with_cors(resp, None)
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

/// Sends an internal request to the Durable Object named `object` at `op` (path and query).
pub async fn call(
    env: &Env,
    object: &str,
    op: &str,
    headers: Headers,
    body: Option<Vec<u8>>,
) -> Result<Response> {
    let stub = env.durable_object(SITES)?.get_by_name(object)?;
    headers.set(H_OBJECT, object)?;
    let mut init = RequestInit::new();
    init.with_method(if body.is_some() {
        Method::Post
    } else {
        Method::Get
    })
    .with_headers(headers);
    if let Some(body) = body {
        init.with_body(Some(
            worker::js_sys::Uint8Array::from(body.as_slice()).into(),
        ));
    }
    let req = Request::new_with_init(&format!("https://site.internal/{op}"), &init)?;
    stub.fetch_with_request(req).await
}

/// Forwards to the site's own (primary) Durable Object.
async fn forward(
    env: &Env,
    site: &str,
    op: &str,
    headers: Headers,
    body: Option<Vec<u8>>,
) -> Result<Response> {
    headers.set(H_SITE, site)?;
    call(env, site, op, headers, body).await
}

const OWNER_NEEDED: &str = "this endpoint needs the site's owner token (Authorization: Bearer …)";

/// An owner route: the presented token's hash goes along; the object compares it.
async fn owner_call(
    req: &Request,
    env: &Env,
    site: &str,
    op: &str,
    body: Option<Vec<u8>>,
) -> Result<Response> {
    let Some(given) = http::bearer(req) else {
        return error(Code::Unauthorized, OWNER_NEEDED);
    };
    let headers = Headers::new();
    headers.set(H_TOKEN_HASH, &token::sha256_hex(&given))?;
    forward(env, site, op, headers, body).await
}

/// The body types of owner routes that take one.
enum Body {
    Json,
    Ndjson,
}

/// An owner route with a body: a missing token is refused before the body is read.
async fn owner_post(
    req: &mut Request,
    env: &Env,
    site: &str,
    op: &str,
    kind: Body,
) -> Result<Response> {
    if http::bearer(req).is_none() {
        return error(Code::Unauthorized, OWNER_NEEDED);
    }
    let body = match kind {
        Body::Json => read_json_body(req).await,
        Body::Ndjson => ndjson_body(req).await,
    };
    match body {
        Ok(b) => owner_call(req, env, site, op, Some(b)).await,
        Err(f) => fault(&f),
    }
}

/// Owner-token rotation, by the owner or the admin: the new token is made here, only its hash
/// is stored, and the old one stops working at once.
async fn rotate(req: &Request, env: &Env, site: &str) -> Result<Response> {
    let Some(given) = http::bearer(req) else {
        return error(
            Code::Unauthorized,
            "this endpoint needs the owner or the admin token (Authorization: Bearer …)",
        );
    };
    let owner_token = token::new_owner_token();
    let headers = Headers::new();
    headers.set(H_TOKEN_HASH, &token::sha256_hex(&given))?;
    headers.set(H_NEW_TOKEN_HASH, &token::sha256_hex(&owner_token))?;
    if is_admin(req, env) {
        headers.set(H_ADMIN, "1")?;
    }
    let mut resp = forward(env, site, "rotate", headers, Some(Vec::new())).await?;
    if resp.status_code() != 200 {
        return Ok(resp);
    }
    let _ = resp.text().await;
    json(
        200,
        &serde_json::json!({"site_id": site, "owner_token": owner_token}),
    )
}

async fn create_site(req: &mut Request, env: &Env) -> Result<Response> {
    if !is_admin(req, env) {
        return error(
            Code::Unauthorized,
            "this endpoint needs the admin token (Authorization: Bearer …)",
        );
    }
    let body = match read_json_body(req).await {
        Ok(b) => b,
        Err(f) => return fault(&f),
    };
    let create: CreateSite = match domain::ingest::decode_object(&body).and_then(|o| {
        serde_json::from_value(serde_json::Value::Object(o))
            .map_err(|e| Fault::new(Code::InvalidSetting, format!("invalid site: {e}")))
    }) {
        Ok(c) => c,
        Err(f) => return fault(&f),
    };
    let new_site = match domain::site::NewSite::try_from(create) {
        Ok(s) => s,
        Err(f) => return fault(&f),
    };
    let site_id = new_site.site_id.clone().unwrap_or_else(token::new_site_id);
    let owner_token = token::new_owner_token();
    let webhook_secret = token::new_webhook_secret();
    let settings = domain::settings::Settings::new(
        site_id.clone(),
        new_site.name,
        new_site.allowed_origins,
        new_site.webhook_url,
    );
    let command = serde_json::json!({"settings": settings, "token_hash": token::sha256_hex(&owner_token), "webhook_secret": webhook_secret});
    let mut resp = forward(
        env,
        &site_id,
        "create",
        Headers::new(),
        Some(command.to_string().into_bytes()),
    )
    .await?;
    if resp.status_code() != 201 {
        return Ok(resp);
    }
    let _ = resp.text().await;
    json(
        201,
        &serde_json::json!({"site_id": site_id, "owner_token": owner_token, "webhook_secret": webhook_secret}),
    )
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
async fn routing(env: &Env, site: &str) -> Result<Option<Routing>> {
    let now = Date::now().as_millis() as f64;
    if let Some(r) = ROUTING.with(|c| {
        c.borrow()
            .get(site)
            .filter(|(_, at)| now - at < ROUTING_TTL_MS)
            .map(|(r, _)| r.clone())
    }) {
        return Ok(Some(r));
    }
    let mut resp = forward(env, site, "routing", Headers::new(), None).await?;
    if resp.status_code() == 404 {
        return Ok(None);
    }
    let r: Routing = resp.json().await?;
    ROUTING.with(|c| c.borrow_mut().insert(site.to_string(), (r.clone(), now)));
    Ok(Some(r))
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

async fn ingest(
    req: &mut Request,
    env: &Env,
    site: &str,
    origin: Option<&str>,
) -> Result<Response> {
    if let Err(f) = json_content_type(req) {
        return fault(&f);
    }
    let body = match body_limited(req, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(f) => return fault(&f),
    };
    let Some(routing) = routing(env, site).await? else {
        return error(Code::SiteNotFound, "no such site");
    };
    if !origin.is_some_and(|o| routing.allowed_origins.iter().any(|a| a == o)) {
        return error(
            Code::OriginNotAllowed,
            "this site does not accept responses from this origin",
        );
    }
    let response = match domain::decode_ingest(&body) {
        Ok(r) => r,
        Err(f) => return fault(&f),
    };
    let headers = Headers::new();
    headers.set(H_SITE, site)?;
    headers.set(H_VISITOR, &visitor_key(req, site))?;
    headers.set(H_RATE, &routing.rate_limit_per_minute.to_string())?;
    if routing.alerts {
        headers.set(H_ALERTS, "1")?;
    }
    if let Some(country) = req.cf().and_then(|cf| cf.country()) {
        headers.set(H_COUNTRY, &country)?;
    }
    // A replay of an answer stored under an earlier shard count is a duplicate, not a new answer.
    for k in earlier_shards(&response.id, routing.shards, &routing.shard_counts) {
        let ids = serde_json::json!([response.id]).to_string().into_bytes();
        let mut seen = call(
            env,
            &shard_name(site, k),
            "known",
            Headers::new(),
            Some(ids),
        )
        .await?;
        if seen.status_code() == 200 && !seen.json::<Vec<String>>().await?.is_empty() {
            return json(
                200,
                &IngestAck {
                    id: response.id,
                    duplicate: true,
                },
            );
        }
    }
    let shard = shard_name(site, shard_for(&response.id, routing.shards));
    call(env, &shard, "ingest", headers, Some(body)).await
}
