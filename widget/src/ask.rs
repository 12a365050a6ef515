//! Deciding to ask: which kind and question, and whether this browser should be asked now
//! (throttle window and sampling, decided by `domain::throttle` from what localStorage holds);
//! and the follow-up of one of this browser's negative answers whose case is resolved
//! ([`follow_up`]).

use crate::{focus, js, mount, recall, Runtime};
use domain::throttle::{decide, Decision};
use domain::{Attributes, Kind};
use std::rc::Rc;
use wasm_bindgen::JsValue;

pub use crate::state::Ask;

fn asked_key(site: &str) -> String {
    ["earshot:asked:", site].concat()
}

/// Per touchpoint, until when the throttle refuses to ask (Unix ms): the loader reads it to skip
/// a page rule's ask without downloading the widget, and needs no copy of the rule for that.
fn until_key(site: &str) -> String {
    ["earshot:until:", site].concat()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// When this browser was last asked at `touchpoint` (Unix ms).
pub fn last_asked(site: &str, touchpoint: &str) -> Option<i64> {
    let text = storage()?.get_item(&asked_key(site)).ok()??;
    js::number(&js::parse(&text)?, touchpoint).map(|ms| ms as i64)
}

/// Sets `touchpoint`'s time (Unix ms) in the `{touchpoint: ms}` record at `key`.
fn record(key: &str, touchpoint: &str, ms: i64) {
    let Some(s) = storage() else { return };
    let log = s
        .get_item(key)
        .ok()
        .flatten()
        .and_then(|t| js::parse(&t))
        .filter(|v| v.is_object())
        .unwrap_or_else(|| js_sys::Object::new().into());
    let log: js_sys::Object = log.into();
    js::set(&log, touchpoint, ms as f64);
    if let Some(text) = js::stringify(&log) {
        let _ = s.set_item(key, &text);
    }
}

/// The `identify` attributes the server would accept: the first 16 valid pairs; each one left
/// out is reported as an `error` event instead of making the whole answer unsendable.
fn acceptable(rt: &Runtime, attributes: Attributes) -> Attributes {
    let mut kept = Attributes::default();
    for (k, v) in attributes {
        let fault = domain::ingest::validate_attribute(&k, &v).err();
        let full = kept.len() >= domain::limits::MAX_ATTRIBUTES;
        match fault {
            None if !full => {
                kept.insert(k, v);
            }
            _ => {
                let why = fault
                    .map(|f| f.message)
                    .unwrap_or_else(|| domain::ingest::TOO_MANY_ATTRIBUTES.into());
                rt.error(&["identify: attribute `", &k, "` left out: ", &why]);
            }
        }
    }
    kept
}

/// `earshot('ask', {touchpoint, kind?, force?})`. An unanswered prompt already on the page is
/// not interrupted (unless `force`): the new ask is dropped with an `error` event and does not
/// count against the throttle; neither does a prompt that could not be shown.
pub fn ask(rt: Rc<Runtime>, arg: &JsValue, attributes: Attributes) {
    let touchpoint = js::string(arg, "touchpoint").unwrap_or_else(|| "default".into());
    if let Err(f) = domain::ingest::validate_touchpoint(&touchpoint) {
        return rt.error(&[&f.message]);
    }
    let configured = rt.config.kind(&touchpoint);
    let kind = match js::string(arg, "kind") {
        Some(k) => match Kind::parse(&k) {
            Ok(k) => k,
            Err(f) => return rt.error(&[&f.message]),
        },
        // Without the site's settings the touchpoint's kind is unknown: asking CSAT where the
        // owner set NPS would store the wrong kind, so only asks that name their kind go ahead.
        None if rt.config.unavailable => {
            return rt.error(&[
                "the site's settings are unavailable; `",
                &touchpoint,
                "` was not asked",
            ]);
        }
        None => configured.unwrap_or(Kind::Csat),
    };
    let now = js_sys::Date::now() as i64;
    let force = js::get(arg, "force").is_truthy();
    if !force {
        if mount::is_busy() {
            return rt.error(&["another prompt is open; `", &touchpoint, "` was not asked"]);
        }
        let decision = decide(
            &rt.config.rules,
            last_asked(&rt.site, &touchpoint),
            now,
            js_sys::Math::random(),
        );
        match decision {
            Decision::Ask => {}
            Decision::Throttled { until_ms } => {
                // Also for a browser asked before the loader read this.
                return record(&until_key(&rt.site), &touchpoint, until_ms);
            }
            Decision::NotSampled => return,
        }
    }
    let question = rt.config.question(&touchpoint, &rt.lang);
    let attributes = acceptable(&rt, attributes);
    let site = rt.site.clone();
    let ask = Ask {
        touchpoint: touchpoint.clone(),
        kind,
        question,
        attributes,
        take_focus: focus::user_is_active(),
        follow_up_of: None,
    };
    let window = rt.config.rules.window_ms();
    if mount::show(rt, ask) {
        record(&asked_key(&site), &touchpoint, now);
        if window > 0 {
            record(&until_key(&site), &touchpoint, now.saturating_add(window));
        }
    }
}

/// `earshot('follow-up', {id})`, from the loader once the server says the case of this
/// browser's answer `id` is resolved and not yet followed up: asks about it — the same kind and
/// touchpoint as the remembered answer, in the follow-up's own words, regardless of the
/// throttle — once: it is forgotten as it is shown. Only a remembered answer is asked about,
/// and nothing is interrupted (with a prompt on the page, a later page asks).
pub fn follow_up(rt: Rc<Runtime>, arg: &JsValue) {
    let (id, now) = (js::string(arg, "id"), js_sys::Date::now());
    let remembered = recall::recall(&rt.site, now);
    let Some(first) = remembered.into_iter().find(|r| Some(&r.id) == id.as_ref()) else {
        return;
    };
    if mount::is_shown() {
        return;
    }
    recall::forget(&rt.site, &first.id, now);
    let ask = Ask {
        touchpoint: first.touchpoint,
        kind: first.kind,
        question: None,
        attributes: Attributes::default(),
        take_focus: false,
        follow_up_of: Some(first.id),
    };
    mount::show(rt, ask);
}
