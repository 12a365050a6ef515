//! Earshot's edge: the HTTP API v1 as a Cloudflare Worker.
//!
//! - [`routes`] is the front door: it matches a path, checks what can be checked without
//!   storage (methods, content types, body size, admin token) and forwards to the site's
//!   Durable Object.
//! - [`store`] is the per-site [`store::SiteStore`], a SQLite-backed Durable Object holding the
//!   site's settings, its raw responses and the rollups the summary reads.
//! - [`http`] holds the JSON/CORS/error plumbing; [`token`] the owner-token hashing and
//!   constant-time comparison; [`atomic`] the synchronous storage transaction.
//!
//! Every rule (validation, scales, metrics) comes from `domain`; this crate is an adapter.

mod atomic;
mod http;
mod routes;
mod store;
mod token;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, &env).await.unwrap_or_else(http::internal))
}
