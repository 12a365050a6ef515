//! Keyboard focus, as the prompt's accessibility rules need it: whether the customer just acted,
//! whether focus is ours to move, and moving it onto an element of the prompt. A leaf: it knows
//! the DOM and nothing else of the widget.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The prompt's host element on the page (focus inside its shadow root reads as focus on it).
pub const HOST_TAG: &str = "earshot-widget";

/// Whether the customer is interacting right now (a click or key press moments ago).
pub fn user_is_active() -> bool {
    let nav = web_sys::window().map(|w| crate::js::get(&w.navigator(), "userActivation"));
    nav.is_some_and(|a| crate::js::get(&a, "isActive").is_truthy())
}

/// The page's focused element, if it can take focus back later.
pub fn active() -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    document.active_element()?.dyn_into().ok()
}

/// Whether `el` is the prompt's host element.
pub fn is_host(el: &Element) -> bool {
    el.tag_name().eq_ignore_ascii_case(HOST_TAG)
}

/// Focus is in the prompt, or nowhere in particular (the page body).
pub fn is_ours_or_nowhere() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match document.active_element() {
        None => true,
        Some(active) => is_host(&active) || document.body().is_some_and(|b| *b == active),
    }
}

/// Focuses the first element inside `within` that matches `css`, if any.
pub fn move_to(within: Option<Element>, css: &str) {
    let target = within.and_then(|el| el.query_selector(css).ok().flatten());
    if let Some(el) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// When the scale's choice changes while focus is in its group, focus follows the choice:
/// call after each render with the group element.
pub fn follow_choice(group: &Element) {
    let root = group.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok();
    let focused_inside = root
        .and_then(|r| r.active_element())
        .is_some_and(|a| group.contains(Some(&a)));
    if focused_inside {
        move_to(Some(group.clone()), "[aria-checked=true]");
    }
}
