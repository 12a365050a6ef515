//! Putting the prompt on the page: a host element with an OPEN shadow root (closed roots
//! double-dispatch Yew events), styles adopted as a constructable stylesheet (allowed under a
//! strict CSP, unlike `<style>` elements or style attributes), and the Yew app inside.
//! Focus moves into the prompt and returns where it was when the prompt closes.

use crate::ask::Ask;
use crate::components::prompt::{PromptProps, PromptView};
use crate::Runtime;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

const CSS: &str = include_str!("style.css");
pub const HOST_TAG: &str = "earshot-widget";

struct Shown {
    host: HtmlElement,
    app: AppHandle<PromptView>,
    /// Where focus was before the prompt took it.
    return_focus: Option<HtmlElement>,
}

thread_local! {
    static CURRENT: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// Shows a prompt, replacing any prompt already shown.
pub fn show(rt: Rc<Runtime>, ask: Ask) {
    if let Err(e) = try_show(rt.clone(), ask) {
        rt.emit("error", &e);
    }
}

/// The host's own position styles: inline `!important` beats any host-page rule.
fn pin_host(host: &HtmlElement) -> Result<(), JsValue> {
    let style = host.style();
    for (k, v) in [
        ("all", "initial"),
        ("display", "block"),
        ("position", "fixed"),
        ("z-index", "2147483647"),
        ("bottom", "16px"),
        ("right", "16px"),
        ("left", "auto"),
        ("top", "auto"),
    ] {
        style.set_property_with_priority(k, v, "important")?;
    }
    Ok(())
}

fn try_show(rt: Rc<Runtime>, ask: Ask) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let active = document
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    let previous = close_keeping_focus();
    // Focus inside a prompt being replaced goes back where that prompt found it.
    let return_focus = match active {
        Some(el) if el.tag_name().eq_ignore_ascii_case(HOST_TAG) => previous,
        other => other.or(previous),
    };
    let body = document.body().ok_or("no body")?;
    let host: HtmlElement = document.create_element(HOST_TAG)?.dyn_into()?;
    pin_host(&host)?;
    if rt.rtl {
        host.style()
            .set_property_with_priority("right", "auto", "important")?;
        host.style()
            .set_property_with_priority("left", "16px", "important")?;
    }
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let root: HtmlElement = document.create_element("div")?.dyn_into()?;
    root.set_class_name("es-root");
    root.set_attribute("data-theme", &rt.theme)?;
    root.set_attribute("dir", if rt.rtl { "rtl" } else { "ltr" })?;
    root.set_attribute("lang", &rt.lang)?;
    if !rt.accent.is_empty() {
        // CSSOM, not a style attribute: allowed under `style-src 'self'`.
        root.style().set_property("--es-accent", &rt.accent)?;
    }
    shadow.append_child(&root)?;
    body.append_child(&host)?;
    let on_close = yew::Callback::from(|_| wasm_bindgen_futures::spawn_local(async { close() }));
    let detail = js_sys::Object::new();
    crate::js::set(&detail, "touchpoint", ask.touchpoint.as_str());
    crate::js::set(&detail, "kind", ask.kind.as_str());
    let props = PromptProps {
        rt: rt.clone(),
        ask,
        on_close,
    };
    let app = yew::Renderer::<PromptView>::with_root_and_props(root.into(), props).render();
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Shown {
            host,
            app,
            return_focus,
        })
    });
    rt.emit("shown", &detail);
    Ok(())
}

/// Removes the prompt, if one is shown, and gives focus back.
pub fn close() {
    if let Some(el) = close_keeping_focus() {
        if el.is_connected() {
            let _ = el.focus();
        }
    }
}

fn close_keeping_focus() -> Option<HtmlElement> {
    let shown = CURRENT.with(|c| c.borrow_mut().take())?;
    shown.app.destroy();
    shown.host.remove();
    shown.return_focus
}

/// Whether a prompt is on the page.
pub fn is_shown() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}
