//! Earshot's owner dashboard, compiled to WebAssembly and served at `/dashboard/`.
//!
//! The owner signs in with a site id and owner token ([`session`], kept in `sessionStorage`
//! only), picks a date range and touchpoint ([`query`]), and reads the summary of API v1 as
//! cards, SVG charts, a table and the recent comments ([`components`]). [`state`] is the page's
//! state machine, [`api`] the only place that talks to the network (summary, paged export,
//! erase), [`download`] hands an export to the browser as a file. The figures ([`figures`],
//! [`format`]) and the chart geometry ([`chart`]) are pure and tested without a browser.
//!
//! The page works under `script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`: no inline
//! script or style, no style attributes (the charts use SVG geometry attributes only), and
//! every comment is a text node, never HTML.

pub mod api;
pub mod app;
pub mod chart;
pub mod components;
pub mod download;
pub mod figures;
pub mod format;
pub mod query;
pub mod session;
pub mod settings_form;
pub mod state;

use wasm_bindgen::prelude::*;

/// Called once by `boot.js` after the module is instantiated: renders the dashboard into `#app`.
#[wasm_bindgen]
pub fn run() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = root {
        yew::Renderer::<app::App>::with_root(root).render();
    }
}
