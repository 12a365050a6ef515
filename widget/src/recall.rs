//! What this browser remembers of its own negative answers, so that it can ask again once the
//! owner has resolved their case: the answer's id, its kind and touchpoint (the follow-up asks
//! the same way) and when — nothing about the person. Bounded: the newest
//! `domain::limits::MAX_FOLLOW_UP_IDS` (as many as one `POST …/follow-ups` takes), each for
//! `domain::limits::FOLLOW_UP_MEMORY_DAYS`. A leaf: localStorage and `js`, nothing else.
//!
//! Kept in one key, `earshot:cases:{site}`, which the loader also reads: on a page load with
//! something remembered it asks the server (`POST …/follow-ups`) which ids are due, and loads
//! the widget only to ask about one ([`crate::ask::follow_up`]).

use crate::js;
use domain::limits::{FOLLOW_UP_MEMORY_DAYS, MAX_FOLLOW_UP_IDS};
use domain::Kind;
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// One remembered negative answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    pub id: String,
    pub kind: Kind,
    pub touchpoint: String,
    /// When it was answered (Unix ms).
    pub at: f64,
}

const DAY_MS: f64 = 86_400_000.0;

pub fn key(site: &str) -> String {
    ["earshot:cases:", site].concat()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(v: &JsValue) -> Option<Remembered> {
    Some(Remembered {
        id: js::string(v, "id")?,
        kind: Kind::parse(&js::string(v, "kind")?).ok()?,
        touchpoint: js::string(v, "touchpoint")?,
        at: js::number(v, "at")?,
    })
}

/// What is remembered and younger than the memory's limit at `now` (oldest first; unreadable
/// entries are dropped).
pub fn recall(site: &str, now: f64) -> Vec<Remembered> {
    let Some(text) = storage().and_then(|s| s.get_item(&key(site)).ok().flatten()) else {
        return Vec::new();
    };
    let list = js::parse(&text).unwrap_or(JsValue::NULL);
    let fresh = |r: &Remembered| now - r.at <= FOLLOW_UP_MEMORY_DAYS as f64 * DAY_MS;
    Array::from(&list)
        .iter()
        .filter_map(|v| read(&v))
        .filter(fresh)
        .collect()
}

/// Writes `list` (its newest entries, up to the bound); an empty list removes the key.
fn store(site: &str, list: &[Remembered]) {
    let Some(s) = storage() else { return };
    let newest = &list[list.len().saturating_sub(MAX_FOLLOW_UP_IDS)..];
    if newest.is_empty() {
        let _ = s.remove_item(&key(site));
        return;
    }
    let out = Array::new();
    for r in newest {
        let o = Object::new();
        js::set(&o, "id", r.id.as_str());
        js::set(&o, "kind", r.kind.as_str());
        js::set(&o, "touchpoint", r.touchpoint.as_str());
        js::set(&o, "at", r.at);
        out.push(&o);
    }
    if let Some(text) = js::stringify(&out) {
        let _ = s.set_item(&key(site), &text);
    }
}

/// Remembers a negative answer just given (dropping the expired and the oldest beyond the bound).
pub fn remember(site: &str, answer: Remembered) {
    let mut list = recall(site, answer.at);
    list.retain(|r| r.id != answer.id);
    list.push(answer);
    store(site, &list);
}

/// Forgets `id` (its follow-up has been asked), and whatever has expired by `now`.
pub fn forget(site: &str, id: &str, now: f64) {
    let mut list = recall(site, now);
    list.retain(|r| r.id != id);
    store(site, &list);
}
