//! Earshot's edge: the HTTP API v1 as a Cloudflare Worker.
//!
//! - [`routes`] is the front door: it matches a request once against [`api::Route`] (the one
//!   route table), checks what can be checked without storage (methods, content types, body
//!   size, tokens' presence, the admin token, the origin allow-list from a short-lived routing
//!   cache) and calls the site's Durable Object — or, for ingest, the shard the response id
//!   maps to — through [`rpc`], the one typed protocol between the front door and the objects.
//! - [`store`] is the per-site [`store::SiteStore`], a SQLite-backed Durable Object holding the
//!   site's settings, its raw responses, the rollups the summary reads and the alert outbox.
//! - [`failure`] is the one error type handlers return (`?` turns a rule's fault, a runtime
//!   error or an object's refusal into the v1 error response); [`http`] the JSON/CORS plumbing; [`token`] random tokens, SHA-256, HMAC and the
//!   constant-time comparison; [`atomic`] the synchronous storage transaction.
//!
//! Every rule (validation, scales, metrics, formats) comes from `domain`; this crate is an adapter.

mod atomic;
mod failure;
mod http;
mod routes;
mod rpc;
mod store;
mod token;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // What the front door could not even turn into a response is still a JSON 500.
    routes::handle(req, &env)
        .await
        .or_else(|e| failure::Failure::from(e).into_response())
}
