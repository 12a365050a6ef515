//! Deciding to ask: which kind and question, and whether this browser should be asked now
//! (throttle window and sampling, decided by `domain::throttle` from what localStorage holds).

use crate::{js, mount, Runtime};
use domain::throttle::{decide, Decision};
use domain::Kind;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// What one prompt asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub touchpoint: String,
    pub kind: Kind,
    /// The owner's question for this touchpoint and language, if set.
    pub question: Option<String>,
    pub attributes: BTreeMap<String, String>,
}

fn asked_key(site: &str) -> String {
    ["earshot:asked:", site].concat()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// When this browser was last asked at `touchpoint` (Unix ms).
pub fn last_asked(site: &str, touchpoint: &str) -> Option<i64> {
    let text = storage()?.get_item(&asked_key(site)).ok()??;
    js::number(&js::parse(&text)?, touchpoint).map(|ms| ms as i64)
}

fn record_asked(site: &str, touchpoint: &str, now: i64) {
    let Some(s) = storage() else { return };
    let key = asked_key(site);
    let log = s
        .get_item(&key)
        .ok()
        .flatten()
        .and_then(|t| js::parse(&t))
        .filter(|v| v.is_object())
        .unwrap_or_else(|| js_sys::Object::new().into());
    let log: js_sys::Object = log.into();
    js::set(&log, touchpoint, now as f64);
    if let Some(text) = js::stringify(&log) {
        let _ = s.set_item(&key, &text);
    }
}

/// `earshot('ask', {touchpoint, kind?, force?})`.
pub fn ask(rt: Rc<Runtime>, arg: &JsValue, attributes: BTreeMap<String, String>) {
    let touchpoint = js::string(arg, "touchpoint").unwrap_or_else(|| "default".into());
    if let Err(f) = domain::ingest::validate_touchpoint(&touchpoint) {
        return rt.emit("error", &JsValue::from_str(&f.message));
    }
    let configured = rt.config.prompts.get(&touchpoint).and_then(|p| p.kind);
    let kind = match js::string(arg, "kind") {
        Some(k) => match Kind::parse(&k) {
            Ok(k) => k,
            Err(f) => return rt.emit("error", &JsValue::from_str(&f.message)),
        },
        None => configured.unwrap_or(Kind::Csat),
    };
    let now = js_sys::Date::now() as i64;
    let force = js::get(arg, "force").is_truthy();
    if !force {
        let decision = decide(
            &rt.config.rules,
            last_asked(&rt.site, &touchpoint),
            now,
            js_sys::Math::random(),
        );
        if decision != Decision::Ask {
            return;
        }
    }
    record_asked(&rt.site, &touchpoint, now);
    let question = rt.config.question(&touchpoint, &rt.lang);
    mount::show(
        rt,
        Ask {
            touchpoint,
            kind,
            question,
            attributes,
        },
    );
}
