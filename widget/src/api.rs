//! The only network I/O of the widget, and the outbox that makes it lossless.
//!
//! Every answer is written to localStorage (`earshot:outbox:{site}:{id}`, one key per answer,
//! so two tabs never overwrite each other's) *before* it is sent and removed only when the
//! server acknowledges it (2xx: 201, or 200 `duplicate`) or refuses it for good (a 4xx other
//! than 408, 425 or 429). Failures are retried with backoff while the page is open, handed to
//! `navigator.sendBeacon` when the page is hidden, and sent again on the next page load —
//! always with the same id, so the server counts each answer exactly once.

use crate::{js, Runtime};
use domain::wire::{DisplayRequest, IngestRequest};
use gloo::timers::future::TimeoutFuture;
use js_sys::Object;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{RequestInit, Storage};

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Acknowledged,
    /// Refused for good (4xx other than 408, 425, 429): retrying cannot help.
    Rejected(u16),
    /// Network error, 3xx, 408, 425, 429 or 5xx: keep and retry.
    Failed,
}

/// Retry delays within one page view, in milliseconds.
const BACKOFF_MS: [u32; 6] = [2_000, 5_000, 15_000, 30_000, 60_000, 120_000];

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn outbox_prefix(site: &str) -> String {
    ["earshot:outbox:", site, ":"].concat()
}

/// Where one unacknowledged answer waits.
pub fn outbox_key(site: &str, id: &str) -> String {
    [&outbox_prefix(site), id].concat()
}

/// A fresh UUID v4 (the idempotency key) from the browser's CSPRNG, `crypto.getRandomValues`,
/// which plain-http pages have too (`crypto.randomUUID` needs a secure context: one way for
/// all pages is one copy in the wasm).
pub fn new_id() -> String {
    let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) else {
        return String::new();
    };
    let mut b = [0u8; 16];
    if crypto.get_random_values_with_u8_array(&mut b).is_err() {
        return String::new();
    }
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(HEX[(byte >> 4) as usize] as char);
        id.push(HEX[(byte & 15) as usize] as char);
    }
    id
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
    for (key, value) in [
        ("display_id", &r.display_id),
        ("contact", &r.contact),
        ("follow_up_of", &r.follow_up_of),
    ] {
        if let Some(v) = value {
            js::set(&o, key, v.as_str());
        }
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
        display_id: js::string(v, "display_id"),
        contact: js::string(v, "contact"),
        follow_up_of: js::string(v, "follow_up_of"),
    })
}

/// The answers not yet acknowledged (unreadable entries are dropped). An outbox kept by an
/// earlier version in one key (`earshot:outbox:{site}`) is moved to one key per answer first.
pub fn outbox(site: &str) -> Vec<IngestRequest> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let legacy = ["earshot:outbox:", site].concat();
    if let Some(list) = s
        .get_item(&legacy)
        .ok()
        .flatten()
        .and_then(|t| js::parse(&t))
    {
        for req in js_sys::Array::from(&list)
            .iter()
            .filter_map(|v| from_js(&v))
        {
            keep(&s, site, &req);
        }
        let _ = s.remove_item(&legacy);
    }
    let prefix = outbox_prefix(site);
    let keys = keys_under(&s, &prefix);
    keys.iter()
        .filter_map(|k| from_js(&js::parse(&s.get_item(k).ok()??)?))
        .collect()
}

/// The storage keys that start with `prefix` (read first: removing while walking skips keys).
fn keys_under(s: &Storage, prefix: &str) -> Vec<String> {
    (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// How long an answer that never gets through is kept and retried (say, a site whose settings
/// no longer allow this page's origin): after that it is dropped, and the page told.
const GIVE_UP_MS: f64 = 30.0 * 86_400_000.0;

fn keep(s: &Storage, site: &str, req: &IngestRequest) -> bool {
    let (key, stored) = (outbox_key(site, &req.id), to_js(req));
    // Only in the stored copy (what is sent is rebuilt from the request, without it); a retry
    // from a later page keeps the first time.
    let earlier = s
        .get_item(&key)
        .ok()
        .flatten()
        .and_then(|t| js::parse(&t))
        .and_then(|v| js::number(&v, "queued_at"));
    js::set(
        &stored,
        "queued_at",
        earlier.unwrap_or_else(js_sys::Date::now),
    );
    js::stringify(&stored).is_some_and(|text| s.set_item(&key, &text).is_ok())
}

/// Drops answers queued more than [`GIVE_UP_MS`] ago; how many.
fn expire(site: &str) -> usize {
    let Some(s) = storage() else { return 0 };
    let (prefix, now) = (outbox_prefix(site), js_sys::Date::now());
    let keys = keys_under(&s, &prefix);
    let old = |k: &String| {
        let queued = s
            .get_item(k)
            .ok()
            .flatten()
            .and_then(|t| js::parse(&t))
            .and_then(|v| js::number(&v, "queued_at"));
        queued.is_some_and(|t| now - t > GIVE_UP_MS)
    };
    keys.iter()
        .filter(|k| old(k))
        .filter(|k| s.remove_item(k).is_ok())
        .count()
}

/// Writes `req` to the outbox; false when this browser would not keep it (storage off or full).
fn enqueue(site: &str, req: &IngestRequest) -> bool {
    storage().is_some_and(|s| keep(&s, site, req))
}

fn remove(site: &str, id: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&outbox_key(site, id));
    }
}

/// `{endpoint}/v1/sites/{site}/{route}`.
fn site_url(rt: &Runtime, route: &str) -> String {
    [&rt.endpoint, "/v1/sites/", &rt.site, "/", route].concat()
}

fn ingest_url(rt: &Runtime) -> String {
    site_url(rt, "responses")
}

/// One attempt to post `body` to `url`.
async fn attempt(url: &str, body: &str) -> Delivery {
    match post_text(url, body).await.map(|r| r.status()) {
        Ok(200..=299) => Delivery::Acknowledged,
        Ok(status) if settled(status) => Delivery::Rejected(status),
        Ok(_) | Err(_) => Delivery::Failed,
    }
}

/// Posts `body` to `url` now, and again after each of [`BACKOFF_MS`] while it fails; before
/// each attempt `wanted` may call it off, and `heard` hears each attempt's outcome and number.
/// Boxed: one copy of the loop in the wasm for answers and displays.
fn post_until_settled(
    url: String,
    body: String,
    wanted: Box<dyn Fn() -> bool>,
    heard: Box<dyn Fn(Delivery, usize)>,
) {
    spawn_local(async move {
        // The first attempt too in a task of its own: not in the one rendering the prompt.
        for (n, wait) in [0].into_iter().chain(BACKOFF_MS).enumerate() {
            TimeoutFuture::new(wait).await;
            if !wanted() {
                return;
            }
            let result = attempt(&url, &body).await;
            heard(result, n);
            if result != Delivery::Failed {
                return;
            }
        }
    });
}

/// POSTs a JSON `body` as text/plain, `keepalive` so it outlives the page.
async fn post_text(url: &str, body: &str) -> Result<web_sys::Response, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let init = RequestInit::new();
    init.set_method("POST");
    // A string body is sent as `text/plain;charset=UTF-8` (Fetch: "extract a body"), which
    // keeps this a "simple" request: no CORS preflight, and no header to set.
    init.set_body(&JsValue::from_str(body));
    js::set(&init, "keepalive", true);
    JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()
}

/// Whether a status means "done with it" (2xx) or refused for good (4xx but 408, 425, 429).
fn settled(status: u16) -> bool {
    matches!(status, 200..=299)
        || (matches!(status, 400..=499) && !matches!(status, 408 | 425 | 429))
}

/// Keeps `req` in the outbox and delivers it, retrying with backoff; `outcome` hears the
/// first attempt's result and, if that failed, the eventual delivery — and whether the answer
/// is kept in this browser meanwhile. The answer leaves the outbox once the server has
/// settled it (acknowledged, or refused for good).
pub fn deliver(rt: Rc<Runtime>, req: IngestRequest, outcome: Box<dyn Fn(Delivery, bool)>) {
    let kept = enqueue(&rt.site, &req);
    let Some(body) = js::stringify(&to_js(&req)) else {
        return outcome(Delivery::Failed, kept);
    };
    let url = ingest_url(&rt);
    let heard = move |result: Delivery, n: usize| {
        if result != Delivery::Failed {
            remove(&rt.site, &req.id);
        }
        if n == 0 || result != Delivery::Failed {
            outcome(result, kept);
        }
    };
    post_until_settled(url, body, Box::new(|| true), Box::new(heard));
}

/// Sends whatever an earlier page left in the outbox; the page hears `submitted` for each one
/// that arrives now.
pub fn flush_outbox(rt: Rc<Runtime>) {
    let dropped = expire(&rt.site);
    if dropped > 0 {
        rt.error(&[
            &crate::text::number(dropped as u32),
            " answer(s) could not be delivered in 30 days and were dropped",
        ]);
    }
    for req in outbox(&rt.site) {
        let (events, detail) = (rt.clone(), to_js(&req));
        let outcome = move |outcome: Delivery, _: bool| {
            if outcome == Delivery::Acknowledged {
                events.emit("submitted", &detail);
            }
        };
        deliver(rt.clone(), req, Box::new(outcome));
    }
}

thread_local! {
    /// Display bodies not yet acknowledged: sent by beacon if the page goes away first.
    static DISPLAYS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn is_pending(body: &str) -> bool {
    DISPLAYS.with(|d| d.borrow().iter().any(|b| b == body))
}

fn settle_display(body: &str) {
    DISPLAYS.with(|d| d.borrow_mut().retain(|b| b != body));
}

/// Counts a display (`shown` or `dismissed`): posted at once and retried with backoff while the
/// page lives, and handed to `sendBeacon` if the page is hidden first (the server counts each
/// (id, event) once, so a repeat is harmless). Nothing is kept across pages: a display is lost
/// only when the page dies with the network down.
pub fn display(rt: Rc<Runtime>, d: &DisplayRequest) {
    let o = Object::new();
    js::set(&o, "v", d.v as f64);
    js::set(&o, "id", d.id.as_str());
    js::set(&o, "touchpoint", d.touchpoint.as_str());
    js::set(&o, "kind", d.kind.as_str());
    js::set(&o, "event", d.event.as_str());
    let Some(body) = js::stringify(&o) else {
        return;
    };
    DISPLAYS.with(|d| d.borrow_mut().push(body.clone()));
    // Not wanted any more once a beacon took it as the page was hidden.
    let (pending, done) = (body.clone(), body.clone());
    let wanted = move || is_pending(&pending);
    let heard = move |result: Delivery, _| {
        if result != Delivery::Failed {
            settle_display(&done);
        }
    };
    post_until_settled(
        site_url(&rt, "displays"),
        body,
        Box::new(wanted),
        Box::new(heard),
    );
}

/// When the page is hidden (`pagehide`, or `visibilitychange` to hidden, which is the last
/// event mobile browsers reliably fire), unsent answers and displays go out with `sendBeacon`
/// (text/plain, as `fetch` sends them). Answers stay in the outbox (a beacon has no answer) and
/// a later replay is recognized as a duplicate.
pub fn beacon_on_page_hide(rt: Rc<Runtime>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let hidden = js::string(&event, "type").as_deref() == Some("pagehide")
            || window
                .document()
                .and_then(|d| js::string(&d, "visibilityState"))
                .as_deref()
                == Some("hidden");
        if !hidden {
            return;
        }
        let nav = window.navigator();
        for req in outbox(&rt.site) {
            if let Some(body) = js::stringify(&to_js(&req)) {
                let _ = nav.send_beacon_with_opt_str(&ingest_url(&rt), Some(&body));
            }
        }
        let url = site_url(&rt, "displays");
        DISPLAYS.with(|d| {
            d.borrow_mut().retain(|body| {
                !nav.send_beacon_with_opt_str(&url, Some(body))
                    .unwrap_or(false)
            })
        });
    });
    for event in ["pagehide", "visibilitychange"] {
        let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
    handler.forget(); // lives as long as the page
}
