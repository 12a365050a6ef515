//! Earshot's feedback prompt, compiled to WebAssembly.
//!
//! The tiny loader (`widget/loader.js`, served as `/widget.js`) fetches this module on the first
//! `earshot('ask', …)` and calls [`boot`] once with the site's public config, then [`command`]
//! for each call. The prompt is a Yew app mounted in an open shadow root ([`mount`]), so host
//! CSS cannot reach it and it cannot reach the host. [`state`] is plain data (the ask and the
//! prompt's state machine), [`components`] draw it, [`app`] is the container that decides
//! (builds and checks the answer, delivers it, emits the host page's events), [`focus`] the
//! focus rules, [`api`] the only place that talks to the network (with a localStorage outbox
//! so nothing is lost), [`ask`] the decision to ask (throttling and sampling from `domain`, and
//! the follow-up of an answer whose case was resolved), [`recall`] this browser's memory of its
//! own negative answers, [`config`] the site's settings, [`text`] the strings.
//!
//! Imports run one way: `lib` → `ask` → `mount` → `app` → `components`, `api`, `focus`,
//! `state`, `recall`, `viewport`; the leaves `focus`, `state`, `recall`, `text`, `viewport` and
//! `config` import nothing of the prompt but `js` (and `config` and `viewport` the numbers and
//! strings of `text`).

pub mod api;
pub mod app;
pub mod ask;
pub mod components;
pub mod config;
pub mod focus;
pub mod js;
pub mod mount;
pub mod recall;
pub mod state;
pub mod text;
pub mod viewport;

use config::SiteConfig;
use js_sys::Function;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What the loader told us, shared by every prompt of this page.
pub struct Runtime {
    pub endpoint: String,
    pub site: String,
    pub lang: String,
    /// A right-to-left language: the layout and the scale are mirrored.
    pub rtl: bool,
    pub theme: String,
    pub accent: String,
    pub position: mount::Position,
    pub config: SiteConfig,
    /// The strings in `lang` (English where the language has none).
    pub texts: &'static text::Texts,
    emit: Option<Function>,
}

impl Runtime {
    pub fn new(endpoint: &str, site: &str, lang: &str) -> Self {
        Runtime {
            endpoint: endpoint.trim_end_matches('/').into(),
            site: site.into(),
            // Canonical (`pt-BR`, also from `pt_br`) when it is a valid tag, so that lookups by
            // locale match what the owner configured and what the answer stores.
            lang: domain::ingest::canonical_locale(&lang.replace('_', "-"))
                .unwrap_or_else(|_| lang.into()),
            rtl: text::is_rtl(lang),
            theme: "auto".into(),
            accent: String::new(),
            position: mount::Position::Corner,
            config: SiteConfig::default(),
            texts: text::english(),
            emit: None,
        }
    }

    /// Uses a language file (as the loader fetched it) over the English strings.
    pub fn with_strings(self, strings: &JsValue) -> Self {
        Runtime {
            texts: text::from_js(strings),
            ..self
        }
    }

    /// Lays the owner's text overrides for this language (from the config) over the strings.
    pub fn with_site_texts(self) -> Self {
        let texts = self.config.texts_over(&self.lang, self.texts);
        Runtime { texts, ..self }
    }

    /// Tells the host page's `error` listeners what went wrong: `parts`, joined (one copy of
    /// the joining and the call in the wasm for every message).
    pub fn error(&self, parts: &[&str]) {
        self.emit("error", &JsValue::from_str(&parts.concat()));
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

/// Called once by the loader after the module is instantiated. `options` holds the script
/// tag's `lang` (already resolved: `data-lang`, `<html lang>` or the browser's), `theme`,
/// `accent` and `position`; `strings` is the page language's file from `widget/i18n/`
/// (anything else means English).
#[wasm_bindgen]
pub fn boot(
    endpoint: &str,
    site: &str,
    options: JsValue,
    config: JsValue,
    strings: JsValue,
    emit: Function,
) {
    let option = |key| js::string(&options, key).unwrap_or_default();
    let lang = option("lang");
    let theme = option("theme");
    let rt = Rc::new(
        Runtime {
            theme: if theme.is_empty() {
                "auto".into()
            } else {
                theme
            },
            accent: option("accent"),
            position: mount::Position::parse(&option("position")),
            config: SiteConfig::from_js(&config),
            emit: Some(emit),
            ..Runtime::new(endpoint, site, if lang.is_empty() { "en" } else { &lang })
                .with_strings(&strings)
        }
        .with_site_texts(),
    );
    RUNTIME.with(|r| *r.borrow_mut() = Some(rt.clone()));
    api::flush_outbox(rt.clone());
    api::beacon_on_page_hide(rt);
}

/// Called by the loader's prefetch once the module is instantiated: unless the page has asked
/// meanwhile, a prompt is rendered off the page and taken down ([`mount::warm`]), so that the
/// first ask finds its code compiled (`cargo xtask bench`, interleaved runs: ask → prompt
/// visible 24–27 → 19–20 ms).
#[wasm_bindgen]
pub fn warm() {
    if RUNTIME.with(|r| r.borrow().is_some()) {
        return;
    }
    if let Ok((host, app)) = mount::warm(Rc::new(Runtime::new("", "", "en"))) {
        // Yew renders in a microtask; this one runs after it.
        wasm_bindgen_futures::spawn_local(async move {
            app.destroy();
            drop(host);
        });
    }
}

/// One `earshot(name, arg)` call; `attributes` are those set with `identify`.
#[wasm_bindgen]
pub fn command(name: &str, arg: JsValue, attributes: JsValue) {
    let Some(rt) = RUNTIME.with(|r| r.borrow().clone()) else {
        return;
    };
    match name {
        "ask" => ask::ask(rt, &arg, js::string_map(&attributes)),
        // From the loader: a remembered answer's case is resolved (see `ask::follow_up`).
        "follow-up" => ask::follow_up(rt, &arg),
        other => rt.error(&["unknown command `", other, "`"]),
    }
}

/// A free-list allocator a tenth the size of the default (dlmalloc): 2 KB less to download.
/// The prompt makes a few thousand small allocations at most, so its linear free list costs
/// nothing measurable (`cargo xtask bench`: script time to prompt within the noise either way).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
