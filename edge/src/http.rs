//! Response plumbing: JSON bodies, the v1 error body with its HTTP status, CORS, body reading.

use domain::{Code, Fault};
use serde::Serialize;
use worker::{Headers, Request, Response};

/// The HTTP status of each error code.
pub fn status(code: Code) -> u16 {
    match code {
        Code::BodyTooLarge => 413,
        Code::UnsupportedMediaType => 415,
        Code::Unauthorized => 401,
        Code::OriginNotAllowed => 403,
        Code::SiteNotFound | Code::NotFound => 404,
        Code::MethodNotAllowed => 405,
        Code::SiteExists => 409,
        Code::RateLimited => 429,
        Code::Internal => 500,
        _ => 400,
    }
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> worker::Result<Response> {
    let text = serde_json::to_string(body).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?
        .with_status(status)
        .with_headers(headers))
}

/// The error body for `fault`, with its status.
pub fn fault(f: &Fault) -> worker::Result<Response> {
    json(status(f.code), &f.to_body())
}

/// The bearer token of the request, if any.
pub fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get("authorization").ok().flatten()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// Reads the body, refusing more than `limit` bytes (413) before and after reading.
pub async fn body_limited(req: &mut Request, limit: usize) -> Result<Vec<u8>, Fault> {
    let too_large = || {
        Fault::new(
            Code::BodyTooLarge,
            format!("the body must be at most {limit} bytes"),
        )
    };
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let bytes = req
        .bytes()
        .await
        .map_err(|_| Fault::new(Code::MalformedJson, "the body could not be read"))?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// JSON or text/plain (what `navigator.sendBeacon` sends) are accepted as JSON bodies.
pub fn json_content_type(req: &Request) -> Result<(), Fault> {
    let ct = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() || mime == "application/json" || mime == "text/plain" {
        Ok(())
    } else {
        Err(Fault::new(
            Code::UnsupportedMediaType,
            "send JSON as application/json or text/plain",
        ))
    }
}

/// Adds CORS headers. `origin` is echoed for credential-free use; `*` otherwise.
/// Headers of a response that came from a Durable Object are immutable, so they are copied.
pub fn with_cors(resp: Response, origin: Option<&str>) -> worker::Result<Response> {
    let h = Headers::new();
    for (k, v) in resp.headers().entries() {
        h.set(&k, &v)?;
    }
    h.set("access-control-allow-origin", origin.unwrap_or("*"))?;
    h.set("vary", "Origin")?;
    h.set("access-control-expose-headers", "Retry-After, ETag")?;
    Ok(resp.with_headers(h))
}

/// Answer to a CORS preflight.
pub fn preflight(req: &Request) -> worker::Result<Response> {
    let origin = req.headers().get("origin")?.unwrap_or_else(|| "*".into());
    let mut resp = with_cors(Response::empty()?.with_status(204), Some(&origin))?;
    let h = resp.headers_mut();
    h.set(
        "access-control-allow-methods",
        "GET, POST, PATCH, DELETE, OPTIONS",
    )?;
    h.set(
        "access-control-allow-headers",
        "Authorization, Content-Type",
    )?;
    h.set("access-control-max-age", "86400")?;
    Ok(resp)
}
