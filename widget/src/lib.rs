//! Earshot's feedback prompt, compiled to WebAssembly.
//!
//! The tiny loader (`widget/loader.js`, served as `/widget.js`) fetches this module on the first
//! `earshot('ask', …)` and calls [`boot`] once, then [`command`] for each call. The prompt is a
//! Yew app mounted in an open shadow root ([`mount`]), so host CSS cannot reach it and it cannot
//! reach the host. [`state`] is the prompt's state machine, [`components`] its view, [`api`]
//! the only place that talks to the network (with a localStorage outbox so nothing is lost),
//! [`text`] the strings.

pub mod api;
pub mod components;
pub mod mount;
pub mod state;
pub mod text;

use domain::Kind;
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What the loader told us, shared by every prompt of this page.
#[derive(Debug)]
pub struct Runtime {
    pub endpoint: String,
    pub site: String,
    pub lang: String,
    pub theme: String,
    pub accent: String,
    emit: Option<Function>,
}

impl Runtime {
    pub fn new(endpoint: &str, site: &str, lang: &str) -> Self {
        Runtime {
            endpoint: endpoint.trim_end_matches('/').to_string(),
            site: site.to_string(),
            lang: lang.to_string(),
            theme: "auto".into(),
            accent: String::new(),
            emit: None,
        }
    }

    /// Tells the host page's `earshot('on', name, fn)` listeners.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        if let Some(f) = &self.emit {
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
        }
    }
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<Runtime>>> = const { RefCell::new(None) };
}

/// Called once by the loader after the module is instantiated.
#[wasm_bindgen]
pub fn boot(endpoint: &str, site: &str, lang: &str, theme: &str, accent: &str, emit: Function) {
    let rt = Rc::new(Runtime {
        theme: theme.to_string(),
        accent: accent.to_string(),
        emit: Some(emit),
        ..Runtime::new(endpoint, site, lang)
    });
    RUNTIME.with(|r| *r.borrow_mut() = Some(rt.clone()));
    api::flush_outbox(rt);
}

/// One `earshot(name, arg)` call; `attributes` are those set with `identify`.
#[wasm_bindgen]
pub fn command(name: &str, arg: JsValue, attributes: JsValue) {
    let Some(rt) = RUNTIME.with(|r| r.borrow().clone()) else { return };
    match name {
        "ask" => {
            let touchpoint = string_field(&arg, "touchpoint").unwrap_or_else(|| "default".into());
            let kind = string_field(&arg, "kind").unwrap_or_else(|| "csat".into());
            match Kind::parse(&kind) {
                Ok(kind) => mount::show(rt, touchpoint, kind, string_map(&attributes)),
                Err(f) => rt.emit("error", &JsValue::from_str(&f.message)),
            }
        }
        other => rt.emit("error", &JsValue::from_str(&format!("unknown command `{other}`"))),
    }
}

fn string_field(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_string()
}

fn string_map(obj: &JsValue) -> BTreeMap<String, String> {
    let Some(obj) = obj.dyn_ref::<js_sys::Object>() else { return BTreeMap::new() };
    js_sys::Object::entries(obj)
        .iter()
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
