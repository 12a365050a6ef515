//! The only network I/O of the widget, and the outbox that makes it lossless.
//!
//! Every answer is written to localStorage (`earshot:outbox:{site}`) *before* it is sent and
//! removed only when the server acknowledges it (201, or 200 `duplicate`) or refuses it for
//! good (another 4xx). Failures are retried with backoff while the page is open, handed to
//! `navigator.sendBeacon` when the page is hidden, and sent again on the next page load —
//! always with the same id, so the server counts each answer exactly once.

use crate::{js, Runtime};
use domain::wire::IngestRequest;
use gloo::timers::future::TimeoutFuture;
use js_sys::Object;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
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
    ["earshot:outbox:", site].concat()
}

/// The v1 ingest body as a JS object (the browser's JSON encodes it).
pub fn to_js(r: &IngestRequest) -> Object {
    let o = Object::new();
    js::set(&o, "id", r.id.as_str());
    js::set(&o, "touchpoint", r.touchpoint.as_str());
    js::set(&o, "kind", r.kind.as_str());
    js::set(&o, "score", r.score as f64);
    if let Some(c) = &r.comment {
        js::set(&o, "comment", c.as_str());
    }
    if let Some(p) = &r.page {
        js::set(&o, "page", p.as_str());
    }
    if let Some(l) = &r.locale {
        js::set(&o, "locale", l.as_str());
    }
    if !r.attributes.is_empty() {
        let a = Object::new();
        for (k, v) in &r.attributes {
            js::set(&a, k, v.as_str());
        }
        js::set(&o, "attributes", a);
    }
    o
}

fn from_js(v: &JsValue) -> Option<IngestRequest> {
    Some(IngestRequest {
        id: js::string(v, "id")?,
        touchpoint: js::string(v, "touchpoint")?,
        kind: js::string(v, "kind")?,
        score: js::number(v, "score")? as i64,
        comment: js::string(v, "comment"),
        page: js::string(v, "page"),
        locale: js::string(v, "locale"),
        attributes: js::string_map(&js::get(v, "attributes")),
    })
}

/// The answers not yet acknowledged (unreadable entries are dropped).
pub fn outbox(site: &str) -> Vec<IngestRequest> {
    let Some(list) = storage()
        .and_then(|s| s.get_item(&outbox_key(site)).ok().flatten())
        .and_then(|t| js::parse(&t))
    else {
        return Vec::new();
    };
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|v| from_js(&v))
        .collect()
}

fn save(site: &str, items: &[IngestRequest]) {
    let Some(s) = storage() else { return };
    let key = outbox_key(site);
    if items.is_empty() {
        let _ = s.remove_item(&key);
        return;
    }
    let list: js_sys::Array = items.iter().map(to_js).collect();
    if let Some(text) = js::stringify(&list) {
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

fn ingest_url(rt: &Runtime) -> String {
    [&rt.endpoint, "/v1/sites/", &rt.site, "/responses"].concat()
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
    let body = js::stringify(&to_js(req)).ok_or("unencodable")?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    // text/plain keeps this a "simple" request: no CORS preflight.
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "text/plain;charset=UTF-8")?;
    init.set_headers(&headers);
    js::set(&init, "keepalive", true);
    let resp: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&ingest_url(rt), &init))
            .await?
            .dyn_into()?;
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

/// When the page is hidden, unsent answers go out with `sendBeacon`; they stay in the outbox
/// (a beacon has no answer) and a later replay is recognized as a duplicate.
pub fn beacon_on_page_hide(rt: Rc<Runtime>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handler = Closure::<dyn Fn()>::new(move || {
        let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
            return;
        };
        for req in outbox(&rt.site) {
            if let Some(body) = js::stringify(&to_js(&req)) {
                let _ = nav.send_beacon_with_opt_str(&ingest_url(&rt), Some(&body));
            }
        }
    });
    let _ = window.add_event_listener_with_callback("pagehide", handler.as_ref().unchecked_ref());
    handler.forget(); // lives as long as the page
}
