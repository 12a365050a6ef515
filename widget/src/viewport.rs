//! Keeps a prompt in a corner inside the visual viewport: the part of the page the customer
//! sees, which an on-screen keyboard (or a pinch zoom) makes smaller than the layout viewport
//! that `position: fixed` is measured from. A leaf: it knows the DOM and nothing else.

use crate::text::number;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget, HtmlElement};

/// Follows the visual viewport while alive; stops when dropped.
pub struct Follow {
    viewport: EventTarget,
    on_change: Closure<dyn Fn()>,
}

const EVENTS: [&str; 2] = ["resize", "scroll"];

impl Follow {
    /// `host`, pinned to the bottom corner on `side` (`"left"` or `"right"`), is kept 16 px
    /// inside what the customer sees of the page, and `root` gets its size as `--es-vw` and
    /// `--es-vh` (the card's width and height read them). `None` where the browser has no
    /// `visualViewport`.
    pub fn start(host: HtmlElement, root: HtmlElement, side: &'static str) -> Option<Follow> {
        let window = web_sys::window()?;
        let viewport: EventTarget = crate::js::get(&window, "visualViewport").dyn_into().ok()?;
        fit(&host, &root, side);
        let on_change = Closure::<dyn Fn()>::new(move || fit(&host, &root, side));
        for event in EVENTS {
            let _ = viewport
                .add_event_listener_with_callback(event, on_change.as_ref().unchecked_ref());
        }
        Some(Follow {
            viewport,
            on_change,
        })
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        for event in EVENTS {
            let _ = self.viewport.remove_event_listener_with_callback(
                event,
                self.on_change.as_ref().unchecked_ref(),
            );
        }
    }
}

fn px(v: f64) -> String {
    [number(v.max(0.0) as u32), "px".into()].concat()
}

fn fit(host: &HtmlElement, root: &HtmlElement, side: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(layout) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let vv = crate::js::get(&window, "visualViewport");
    let n = |key| crate::js::number(&vv, key).unwrap_or_default();
    let (left, top, width, height) = (n("offsetLeft"), n("offsetTop"), n("width"), n("height"));
    // Offsets from the layout viewport's edges (what `position: fixed` measures from) to the
    // visible part's, plus the 16 px `mount::pin_host` leaves.
    let from_side = if side == "left" {
        left
    } else {
        layout.client_width() as f64 - left - width
    };
    let from_bottom = layout.client_height() as f64 - top - height;
    let style = host.style();
    for (k, v) in [(side, from_side), ("bottom", from_bottom)] {
        let _ = style.set_property_with_priority(k, &px(v + 16.0), "important");
    }
    let _ = root.style().set_property("--es-vw", &px(width));
    let _ = root.style().set_property("--es-vh", &px(height));
    keep_in_view(root);
}

/// With a field focused, the card scrolls (inside itself) so that the field and Send show.
fn keep_in_view(root: &HtmlElement) {
    let q = |css| root.query_selector(css).ok().flatten();
    let (Some(card), Some(send)) = (q(".es-card"), q(".es-send")) else {
        return;
    };
    let Some(field) = root
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|r| r.active_element())
        .filter(|a| matches!(a.tag_name().as_str(), "TEXTAREA" | "INPUT"))
    else {
        return;
    };
    let top = |e: &Element| e.get_bounding_client_rect().top();
    let bottom = |e: &Element| e.get_bounding_client_rect().bottom();
    let below = bottom(&send) - bottom(&card) + 8.0;
    if below > 0.0 {
        card.set_scroll_top(card.scroll_top() + below as i32);
    }
    let above = top(&card) - top(&field) + 8.0;
    if above > 0.0 {
        card.set_scroll_top(card.scroll_top() - above as i32);
    }
}
