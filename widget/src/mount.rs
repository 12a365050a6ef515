//! Putting the prompt on the page: a host element with an OPEN shadow root (closed roots
//! double-dispatch Yew events), styles adopted as a constructable stylesheet (allowed under a
//! strict CSP, unlike `<style>` elements), and the Yew app rendered inside.

use crate::components::prompt::{PromptProps, PromptView};
use crate::Runtime;
use domain::Kind;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

const CSS: &str = include_str!("style.css");
pub const HOST_TAG: &str = "earshot-widget";

thread_local! {
    static CURRENT: RefCell<Option<(Element, AppHandle<PromptView>)>> = const { RefCell::new(None) };
}

/// Shows a prompt for `touchpoint`, replacing any prompt already shown.
pub fn show(rt: Rc<Runtime>, touchpoint: String, kind: Kind, attributes: BTreeMap<String, String>) {
    if let Err(e) = try_show(rt.clone(), touchpoint, kind, attributes) {
        rt.emit("error", &e);
    }
}

fn try_show(rt: Rc<Runtime>, touchpoint: String, kind: Kind, attributes: BTreeMap<String, String>) -> Result<(), JsValue> {
    close();
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let host = document.create_element(HOST_TAG)?;
    // Inline !important beats any host stylesheet rule aimed at the host element.
    if let Some(style) = host.dyn_ref_style() {
        for (k, v) in [("all", "initial"), ("display", "block"), ("position", "fixed"), ("z-index", "2147483647"), ("bottom", "16px"), ("right", "16px")] {
            style.set_property_with_priority(k, v, "important")?;
        }
    }
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let root = document.create_element("div")?;
    root.set_attribute("class", "es-root")?;
    root.set_attribute("data-theme", &rt.theme)?;
    shadow.append_child(&root)?;
    body.append_child(&host)?;
    // Deferred: an app must not be destroyed from inside its own event handler.
    let on_close = yew::Callback::from(|_| wasm_bindgen_futures::spawn_local(async { close() }));
    let props = PromptProps { rt: rt.clone(), touchpoint: touchpoint.clone(), kind, attributes, on_close };
    let handle = yew::Renderer::<PromptView>::with_root_and_props(root, props).render();
    CURRENT.with(|c| *c.borrow_mut() = Some((host, handle)));
    let detail = js_sys::Object::new();
    js_sys::Reflect::set(&detail, &"touchpoint".into(), &touchpoint.into())?;
    js_sys::Reflect::set(&detail, &"kind".into(), &kind.as_str().into())?;
    rt.emit("shown", &detail);
    Ok(())
}

/// Removes the prompt, if one is shown.
pub fn close() {
    if let Some((host, handle)) = CURRENT.with(|c| c.borrow_mut().take()) {
        handle.destroy();
        host.remove();
    }
}

trait StyleOf {
    fn dyn_ref_style(&self) -> Option<web_sys::CssStyleDeclaration>;
}

impl StyleOf for Element {
    fn dyn_ref_style(&self) -> Option<web_sys::CssStyleDeclaration> {
        use wasm_bindgen::JsCast;
        self.dyn_ref::<web_sys::HtmlElement>().map(|e| e.style())
    }
}
