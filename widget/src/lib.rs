//! Earshot's feedback prompt, compiled to WebAssembly.
//!
//! The tiny loader (`widget/loader.js`, served as `/widget.js`) fetches this module on the first
//! `earshot('ask', …)` and calls [`boot`] once with the site's public config, then [`command`]
//! for each call. The prompt is a Yew app mounted in an open shadow root ([`mount`]), so host
//! CSS cannot reach it and it cannot reach the host. [`state`] is the prompt's state machine,
//! [`components`] its view, [`api`] the only place that talks to the network (with a
//! localStorage outbox so nothing is lost), [`ask`] the decision to ask (throttling and
//! sampling from `domain`), [`config`] the site's settings, [`text`] the strings.

pub mod api;
pub mod ask;
pub mod components;
pub mod config;
pub mod js;
pub mod mount;
pub mod state;
pub mod text;

use config::SiteConfig;
use js_sys::Function;
use std::cell::RefCell;
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
    pub config: SiteConfig,
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
            config: SiteConfig::default(),
            emit: None,
        }
    }

    /// Tells the host page's `earshot('on', name, fn)` listeners.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        if let Some(f) = &self.emit {
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
        }
    }

    pub fn texts(&self) -> &'static text::Texts {
        text::for_lang(&self.lang)
    }

    pub fn rtl(&self) -> bool {
        text::is_rtl(&self.lang)
    }
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<Runtime>>> = const { RefCell::new(None) };
}

/// Called once by the loader after the module is instantiated.
#[wasm_bindgen]
pub fn boot(
    endpoint: &str,
    site: &str,
    lang: &str,
    theme: &str,
    accent: &str,
    config: JsValue,
    emit: Function,
) {
    let rt = Rc::new(Runtime {
        theme: theme.to_string(),
        accent: accent.to_string(),
        config: SiteConfig::from_js(&config),
        emit: Some(emit),
        ..Runtime::new(endpoint, site, lang)
    });
    RUNTIME.with(|r| *r.borrow_mut() = Some(rt.clone()));
    api::flush_outbox(rt.clone());
    api::beacon_on_page_hide(rt);
}

/// One `earshot(name, arg)` call; `attributes` are those set with `identify`.
#[wasm_bindgen]
pub fn command(name: &str, arg: JsValue, attributes: JsValue) {
    let Some(rt) = RUNTIME.with(|r| r.borrow().clone()) else {
        return;
    };
    match name {
        "ask" => ask::ask(rt, &arg, js::string_map(&attributes)),
        other => rt.emit(
            "error",
            &JsValue::from_str(&format!("unknown command `{other}`")),
        ),
    }
}
