//! The front door: route matching and the checks that need no storage. Everything about a
//! site is answered by that site's Durable Object ([`crate::store`]).

use crate::http::{self, body_limited, error, fault, json, json_content_type, preflight, with_cors};
use crate::token;
use domain::limits::MAX_BODY_BYTES;
use domain::site::validate_site_id;
use domain::wire::CreateSite;
use domain::Code;
use worker::{Env, Headers, Method, Request, RequestInit, Response, Result};

/// The Durable Object namespace binding (see `wrangler.toml`).
pub const SITES: &str = "SITES";
/// Headers the front door sets on requests to a Durable Object (never read from clients).
pub const H_ORIGIN: &str = "x-earshot-origin";
pub const H_TOKEN_HASH: &str = "x-earshot-token-hash";
pub const H_COUNTRY: &str = "x-earshot-country";

/// What the router recognized.
enum Route<'a> {
    Health,
    CreateSite,
    Ingest(&'a str),
    Summary(&'a str),
}

fn route<'a>(method: &Method, segments: &[&'a str]) -> std::result::Result<Route<'a>, Code> {
    use Method::*;
    let want = |m: Method, r: Route<'a>| if *method == m { Ok(r) } else { Err(Code::MethodNotAllowed) };
    match segments {
        ["health"] => want(Get, Route::Health),
        ["v1", "sites"] => want(Post, Route::CreateSite),
        ["v1", "sites", site, "responses"] => want(Post, Route::Ingest(site)),
        ["v1", "sites", site, "summary"] => want(Get, Route::Summary(site)),
        _ => Err(Code::NotFound),
    }
}

pub async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let is_api = segments.first() == Some(&"v1");
    if req.method() == Method::Options && is_api {
        return preflight(&req);
    }
    let origin = req.headers().get("origin")?;
    let resp = match route(&req.method(), &segments) {
        Err(Code::MethodNotAllowed) => error(Code::MethodNotAllowed, "this method is not allowed on this path"),
        Err(_) => error(Code::NotFound, "no such endpoint"),
        Ok(Route::Health) => json(200, &serde_json::json!({"ok": true})),
        Ok(Route::CreateSite) => create_site(&mut req, env).await,
        Ok(Route::Ingest(site)) => {
            let resp = ingest(&mut req, env, site, origin.as_deref()).await?;
            // Only an allowed origin may read the answer.
            let allowed = resp.status_code() != 403;
            return with_cors(resp, if allowed { origin.as_deref() } else { Some("null") });
        }
        Ok(Route::Summary(site)) => summary(&req, env, site).await,
    }?;
    if is_api {
        with_cors(resp, None)
    } else {
        Ok(resp)
    }
}

/// Forwards to the site's Durable Object, at `op` (path and query), with internal headers and an
/// optional body.
async fn forward(env: &Env, site: &str, op: &str, headers: Headers, body: Option<Vec<u8>>) -> Result<Response> {
    let stub = env.durable_object(SITES)?.get_by_name(site)?;
    let mut init = RequestInit::new();
    init.with_method(if body.is_some() { Method::Post } else { Method::Get }).with_headers(headers);
    if let Some(body) = body {
        init.with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
    }
    let req = Request::new_with_init(&format!("https://site.internal/{op}"), &init)?;
    stub.fetch_with_request(req).await
}

async fn create_site(req: &mut Request, env: &Env) -> Result<Response> {
    if !is_admin(req, env) {
        return error(Code::Unauthorized, "this endpoint needs the admin token (Authorization: Bearer …)");
    }
    if let Err(f) = json_content_type(req) {
        return fault(&f);
    }
    let body = match body_limited(req, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(f) => return fault(&f),
    };
    let create: CreateSite = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return fault(&domain::Fault::new(Code::MalformedJson, format!("invalid site: {e}"))),
    };
    let new_site = match domain::site::NewSite::try_from(create) {
        Ok(s) => s,
        Err(f) => return fault(&f),
    };
    let site_id = new_site.site_id.clone().unwrap_or_else(token::new_site_id);
    let owner_token = token::new_owner_token();
    let headers = Headers::new();
    headers.set(H_TOKEN_HASH, &token::sha256_hex(&owner_token))?;
    let command = serde_json::json!({
        "site_id": site_id,
        "name": new_site.name,
        "allowed_origins": new_site.allowed_origins,
        "webhook_url": new_site.webhook_url,
    });
    let mut resp = forward(env, &site_id, "create", headers, Some(command.to_string().into_bytes())).await?;
    if resp.status_code() != 201 {
        return Ok(resp);
    }
    let _ = resp.text().await;
    json(201, &domain::wire::SiteCreated { site_id, owner_token })
}

fn is_admin(req: &Request, env: &Env) -> bool {
    let Some(given) = http::bearer(req) else { return false };
    let Ok(admin) = env.secret("ADMIN_TOKEN").map(|s| s.to_string()) else {
        worker::console_warn!("ADMIN_TOKEN is not set: admin routes are closed");
        return false;
    };
    !admin.is_empty() && token::constant_time_eq(&token::sha256_hex(&given), &token::sha256_hex(&admin))
}

async fn ingest(req: &mut Request, env: &Env, site: &str, origin: Option<&str>) -> Result<Response> {
    if validate_site_id(site).is_err() {
        return error(Code::SiteNotFound, "no such site");
    }
    if let Err(f) = json_content_type(req) {
        return fault(&f);
    }
    let body = match body_limited(req, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(f) => return fault(&f),
    };
    let headers = Headers::new();
    if let Some(o) = origin {
        headers.set(H_ORIGIN, o)?;
    }
    if let Some(country) = req.cf().and_then(|cf| cf.country()) {
        headers.set(H_COUNTRY, &country)?;
    }
    forward(env, site, "ingest", headers, Some(body)).await
}

async fn summary(req: &Request, env: &Env, site: &str) -> Result<Response> {
    let Some(given) = http::bearer(req) else {
        return error(Code::Unauthorized, "this endpoint needs the site's owner token (Authorization: Bearer …)");
    };
    if validate_site_id(site).is_err() {
        return error(Code::SiteNotFound, "no such site");
    }
    let headers = Headers::new();
    headers.set(H_TOKEN_HASH, &token::sha256_hex(&given))?;
    let query = req.url()?.query().unwrap_or("").to_string();
    forward(env, site, &format!("summary?{query}"), headers, None).await
}
