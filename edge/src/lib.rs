//! Earshot's edge: the HTTP API v1 as a Cloudflare Worker.
//!
//! - [`routes`] is the front door: it matches a path against [`route_table::ROUTES`], checks what
//!   can be checked without storage (methods, content types, body size, tokens' presence, the
//!   admin token, the origin allow-list from a short-lived routing cache) and forwards to the
//!   site's Durable Object — or, for ingest, to the shard the response id maps to.
//! - [`store`] is the per-site [`store::SiteStore`], a SQLite-backed Durable Object holding the
//!   site's settings, its raw responses, the rollups the summary reads and the alert outbox.
//! - [`http`] holds the JSON/CORS/error plumbing; [`token`] random tokens, SHA-256, HMAC and the
//!   constant-time comparison; [`atomic`] the synchronous storage transaction.
//!
//! Every rule (validation, scales, metrics, formats) comes from `domain`; this crate is an adapter.

mod atomic;
mod http;
mod route_table;
mod routes;
mod store;
mod token;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, &env)
        .await
        .unwrap_or_else(http::internal))
}
