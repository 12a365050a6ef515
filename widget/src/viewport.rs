//! Keeps a prompt in a corner inside the visual viewport: the part of the page the customer
//! sees, which an on-screen keyboard (or a pinch zoom) makes smaller than the layout viewport
//! that `position: fixed` is measured from. A leaf: it knows the DOM and nothing else.

use crate::text::number;
use std::cell::Cell;
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
        let pin = Pin {
            host,
            root,
            side,
            offsets: Cell::new([16.0; 2]),
        };
        pin.fit();
        let on_change = Closure::<dyn Fn()>::new(move || pin.fit());
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
    number(v as u32) + "px"
}

/// A corner prompt's host and where it is pinned.
struct Pin {
    host: HtmlElement,
    root: HtmlElement,
    side: &'static str,
    /// Its offsets (side, bottom) from the edges of what `position: fixed` measures from: the
    /// layout viewport, whose size scripts cannot read everywhere (on a phone showing a page
    /// wider than itself it is neither the window's nor the document's), so it is measured.
    offsets: Cell<[f64; 2]>,
}

impl Pin {
    fn fit(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let vv = crate::js::get(&window, "visualViewport");
        let n = |key| crate::js::number(&vv, key).unwrap_or_default();
        let (left, top, width, height) = (n("offsetLeft"), n("offsetTop"), n("width"), n("height"));
        // Moved by as much as it is off its place: 16 px inside the visible part of the page
        // (in client coordinates, as the host's box), as `mount::pin_host` puts it.
        let at = self.host.get_bounding_client_rect();
        let [side, bottom] = self.offsets.get();
        let side = if self.side == "left" {
            side + left + 16.0 - at.left()
        } else {
            side + at.right() - (left + width - 16.0)
        };
        let bottom = bottom + at.bottom() - (top + height - 16.0);
        let offsets = [side.max(0.0).floor(), bottom.max(0.0).floor()];
        let style = self.host.style();
        for (k, v) in [(self.side, offsets[0]), ("bottom", offsets[1])] {
            let _ = style.set_property_with_priority(k, &px(v), "important");
        }
        self.offsets.set(offsets);
        let _ = self.root.style().set_property("--es-vw", &px(width));
        let _ = self.root.style().set_property("--es-vh", &px(height));
        keep_in_view(&self.root);
    }
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
