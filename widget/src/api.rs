//! The only network I/O of the widget, and the outbox that makes it lossless.
//!
//! Every answer is written to localStorage (`earshot:outbox:{site}`) *before* it is sent and
//! removed only when the server acknowledges it (201, or 200 `duplicate`) or refuses it for
//! good (another 4xx). Failures are retried with backoff while the page is open, and again on
//! the next page load, always with the same id, so the server counts it exactly once.

use crate::Runtime;
use domain::wire::IngestRequest;
use gloo::timers::future::TimeoutFuture;
use js_sys::Reflect;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{RequestInit, Storage};

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Acknowledged,
    /// Refused for good (4xx other than 429): retrying cannot help.
    Rejected(u16),
    /// Network error, 429 or 5xx: keep and retry.
    Failed,
}

/// Retry delays within one page view, in milliseconds.
const BACKOFF_MS: [u32; 6] = [2_000, 5_000, 15_000, 30_000, 60_000, 120_000];

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn outbox_key(site: &str) -> String {
    format!("earshot:outbox:{site}")
}

/// The answers not yet acknowledged (unreadable entries are dropped).
pub fn outbox(site: &str) -> Vec<IngestRequest> {
    storage()
        .and_then(|s| s.get_item(&outbox_key(site)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(site: &str, items: &[IngestRequest]) {
    let Some(s) = storage() else { return };
    let key = outbox_key(site);
    if items.is_empty() {
        let _ = s.remove_item(&key);
    } else if let Ok(text) = serde_json::to_string(items) {
        let _ = s.set_item(&key, &text);
    }
}

fn enqueue(site: &str, req: &IngestRequest) {
    let mut items = outbox(site);
    if !items.iter().any(|r| r.id == req.id) {
        items.push(req.clone());
        save(site, &items);
    }
}

fn remove(site: &str, id: &str) {
    let mut items = outbox(site);
    items.retain(|r| r.id != id);
    save(site, &items);
}

/// One attempt to post `req`.
pub async fn send(rt: &Runtime, req: &IngestRequest) -> Delivery {
    match post(rt, req).await {
        Ok(200 | 201) => Delivery::Acknowledged,
        Ok(429) | Ok(500..) | Err(_) => Delivery::Failed,
        Ok(status) => Delivery::Rejected(status),
    }
}

async fn post(rt: &Runtime, req: &IngestRequest) -> Result<u16, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let body = serde_json::to_string(req).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    // text/plain keeps this a "simple" request: no CORS preflight.
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "text/plain;charset=UTF-8")?;
    init.set_headers(&headers);
    Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE)?;
    let url = format!("{}/v1/sites/{}/responses", rt.endpoint, rt.site);
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await?.dyn_into()?;
    Ok(resp.status())
}

/// Keeps `req` in the outbox and delivers it, retrying with backoff; `outcome` hears the
/// first attempt's result and, if that failed, the eventual delivery.
pub fn deliver(rt: Rc<Runtime>, req: IngestRequest, outcome: impl Fn(Delivery) + 'static) {
    enqueue(&rt.site, &req);
    spawn_local(async move {
        let mut attempt = 0;
        loop {
            let result = send(&rt, &req).await;
            if result != Delivery::Failed {
                remove(&rt.site, &req.id);
            }
            if attempt == 0 || result != Delivery::Failed {
                outcome(result);
            }
            if result != Delivery::Failed || attempt >= BACKOFF_MS.len() {
                return;
            }
            TimeoutFuture::new(BACKOFF_MS[attempt]).await;
            attempt += 1;
        }
    });
}

/// Sends whatever an earlier page left in the outbox.
pub fn flush_outbox(rt: Rc<Runtime>) {
    for req in outbox(&rt.site) {
        deliver(rt.clone(), req, |_| {});
    }
}
