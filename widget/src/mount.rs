//! Putting the prompt on the page: a host element with an OPEN shadow root (closed roots
//! double-dispatch Yew events), styles adopted as a constructable stylesheet (allowed under a
//! strict CSP, unlike `<style>` elements or style attributes), and the Yew app inside.
//! Focus moves into the prompt when the customer just acted, and returns where it was when the
//! prompt closes — unless they have moved it elsewhere meanwhile. A prompt put on the page is a
//! display: counted as `shown` here, under an id the answer names.

use crate::app::{PromptApp, PromptProps};
use crate::focus;
use crate::state::Ask;
use crate::Runtime;
use domain::display::DisplayEvent;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

/// `style.css` as `build.rs` minified it.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));
pub use crate::focus::HOST_TAG;

struct Shown {
    host: HtmlElement,
    app: AppHandle<PromptApp>,
    /// Where focus was before the prompt took it.
    return_focus: Option<HtmlElement>,
    /// Still asking: the customer has not answered or dismissed it.
    busy: Rc<Cell<bool>>,
    /// In a corner: kept above an on-screen keyboard.
    _follow: Option<crate::viewport::Follow>,
}

thread_local! {
    static CURRENT: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// Shows a prompt, replacing any prompt already shown; false (and an `error` event) when it
/// could not be shown.
pub fn show(rt: Rc<Runtime>, ask: Ask) -> bool {
    match try_show(rt.clone(), ask) {
        Ok(()) => true,
        Err(e) => {
            rt.emit("error", &e);
            false
        }
    }
}

/// Where the prompt sits: the script tag's `data-position`.
#[derive(Clone, PartialEq, Eq)]
pub enum Position {
    /// The default: the bottom corner on the side where lines end (right, or left in a
    /// right-to-left language).
    Corner,
    BottomRight,
    BottomLeft,
    /// `inline:<css selector>`: inside that element, in the page's flow.
    Inline(String),
}

impl Position {
    /// Anything unrecognised is the default corner.
    pub fn parse(s: &str) -> Position {
        match s.trim() {
            "bottom-right" => Position::BottomRight,
            "bottom-left" => Position::BottomLeft,
            s => match s.strip_prefix("inline:").map(str::trim) {
                Some(selector) if !selector.is_empty() => Position::Inline(selector.into()),
                _ => Position::Corner,
            },
        }
    }
}

/// The host's own styles: inline `!important` beats any host-page rule. In a corner it floats
/// above the page; inline it is an ordinary block in its container. One `cssText` (CSSOM, so
/// allowed under `style-src 'self'`), in the order the properties apply: `all` first.
fn pin_host(host: &HtmlElement, corner: Option<&str>) {
    let mut css = String::from("all:initial!important;display:block!important");
    if let Some(side) = corner {
        let other = if side == "left" { "right" } else { "left" };
        css += ";position:fixed!important;z-index:2147483647!important;bottom:16px!important;top:auto!important;";
        css += side;
        css += ":16px!important;";
        css += other;
        css += ":auto!important";
    }
    host.style().set_css_text(&css);
}

/// The element the host goes into, and the corner it is pinned to (`None`: inline). An inline
/// selector that matches nothing falls back to the corner and says so as an `error` event.
fn place(
    rt: &Runtime,
    document: &web_sys::Document,
) -> Result<(web_sys::Element, Option<&'static str>), JsValue> {
    let end = if rt.rtl { "left" } else { "right" };
    let side = match &rt.position {
        Position::Inline(selector) => match document.query_selector(selector) {
            Ok(Some(container)) => return Ok((container, None)),
            _ => {
                rt.error(&[
                    "data-position: nothing matches `",
                    selector,
                    "`; the prompt is shown in the corner",
                ]);
                end
            }
        },
        Position::Corner => end,
        Position::BottomRight => "right",
        Position::BottomLeft => "left",
    };
    Ok((document.body().ok_or("no body")?.into(), Some(side)))
}

/// A colour variable of `root` as the browser resolved it (any CSS colour a site gives),
/// as linear-light RGB; `None` outside sRGB notation. Needs `root` in the document.
fn resolved(root: &HtmlElement, var: &str) -> Result<Option<[f64; 3]>, JsValue> {
    let probe: HtmlElement = root
        .owner_document()
        .ok_or("no document")?
        .create_element("span")?
        .dyn_into()?;
    probe
        .style()
        .set_property("color", &["var(", var, ")"].concat())?;
    root.append_child(&probe)?;
    let color = web_sys::window()
        .ok_or("no window")?
        .get_computed_style(&probe)?
        .map(|s| s.get_property_value("color"));
    probe.remove();
    // Colours outside sRGB (e.g. `oklch(…)`) come back in their own notation.
    let Some(color) = color.transpose()?.filter(|c| c.starts_with("rgb")) else {
        return Ok(None);
    };
    // The first three numbers of `rgb(r, g, b)` or `rgba(r, g, b, a)` (integers 0–255, as
    // browsers serialize them), read digit by digit: no number parser in the wasm.
    let (mut channels, mut n, mut number) = ([0.0; 3], 0, None::<u32>);
    for b in color.bytes().chain([b')']) {
        if b.is_ascii_digit() {
            // Capped at 255 as it goes: no run of digits can overflow.
            number = Some((number.unwrap_or(0) * 10 + u32::from(b - b'0')).min(255));
        } else if let Some(v) = number.take() {
            if let Some(c) = channels.get_mut(n) {
                // sRGB to linear light as c^2.25 (two square roots, no `powf` in the wasm):
                // within a few per cent of the exact curve, and the thresholds below leave
                // that much margin.
                let v = v as f64 / 255.0;
                *c = v * v * v.sqrt().sqrt();
            }
            n += 1;
        }
    }
    Ok((n >= 3).then_some(channels))
}

fn luminance([r, g, b]: [f64; 3]) -> f64 {
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// Keeps a site's own accent readable (WCAG AA): text on it is white or near-black, whichever
/// contrasts more; where the accent itself draws on the card (stars, focus ring) and is too
/// faint there (under 3:1), the text colour draws instead.
fn pair_accent(root: &HtmlElement) -> Result<(), JsValue> {
    let (Some(accent), Some(bg)) = (resolved(root, "--es-accent")?, resolved(root, "--es-bg")?)
    else {
        return Ok(());
    };
    let (accent, bg) = (luminance(accent), luminance(bg));
    const NEAR_BLACK: f64 = 0.006; // #10131a
    let on = if contrast(accent, 1.0) >= contrast(accent, NEAR_BLACK) {
        "#ffffff"
    } else {
        "#10131a"
    };
    root.style().set_property("--es-on-accent", on)?;
    if contrast(accent, bg) < 3.3 {
        root.style()
            .set_property("--es-accent-ink", "var(--es-fg)")?;
    }
    Ok(())
}

/// The host element (pinned to `corner`, or inline) with its shadow root, the stylesheet
/// adopted, and the prompt's root element inside; not yet on the page.
fn frame(
    document: &web_sys::Document,
    rt: &Runtime,
    corner: Option<&str>,
) -> Result<(HtmlElement, HtmlElement), JsValue> {
    let host: HtmlElement = document.create_element(HOST_TAG)?.dyn_into()?;
    pin_host(&host, corner);
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let root: HtmlElement = document.create_element("div")?.dyn_into()?;
    root.set_class_name("es-root");
    root.set_attribute("data-theme", &rt.theme)?;
    root.set_attribute("dir", if rt.rtl { "rtl" } else { "ltr" })?;
    root.set_attribute("lang", &rt.lang)?;
    root.set_attribute(
        "data-position",
        if corner.is_some() { "corner" } else { "inline" },
    )?;
    if !rt.accent.is_empty() {
        // CSSOM, not a style attribute: allowed under `style-src 'self'`.
        root.style().set_property("--es-accent", &rt.accent)?;
    }
    shadow.append_child(&root)?;
    Ok((host, root))
}

fn try_show(rt: Rc<Runtime>, ask: Ask) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let active = focus::active();
    let previous = close_keeping_focus();
    // Focus inside a prompt being replaced goes back where that prompt found it.
    let return_focus = match active {
        Some(el) if focus::is_host(&el) => previous,
        other => other.or(previous),
    };
    let (parent, corner) = place(&rt, &document)?;
    let (host, root) = frame(&document, &rt, corner)?;
    parent.append_child(&host)?;
    if !rt.accent.is_empty() {
        pair_accent(&root)?;
    }
    let on_close = yew::Callback::from(|_| wasm_bindgen_futures::spawn_local(async { close() }));
    let detail = ask.detail();
    // On screen from here: a display, counted (and named by the answer) by its own id.
    let display_id = crate::api::new_id();
    let shown = ask.display(&display_id, DisplayEvent::Shown);
    let busy = Rc::new(Cell::new(true));
    let props = PromptProps {
        rt: rt.clone(),
        ask,
        inline: corner.is_none(),
        busy: busy.clone(),
        on_close,
        display_id,
    };
    let follow =
        corner.and_then(|side| crate::viewport::Follow::start(host.clone(), root.clone(), side));
    let app = yew::Renderer::<PromptApp>::with_root_and_props(root.into(), props).render();
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Shown {
            host,
            app,
            return_focus,
            busy,
            _follow: follow,
        })
    });
    rt.emit("shown", &detail);
    crate::api::display(rt, &shown);
    Ok(())
}

/// Removes the prompt, if one is shown, and gives focus back.
pub fn close() {
    let ours = focus::is_ours_or_nowhere();
    if let Some(el) = close_keeping_focus() {
        if ours && el.is_connected() {
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

/// Whether a prompt on the page is still waiting for the customer's answer.
pub fn is_busy() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(|s| s.busy.get()))
}

/// Renders a prompt off the page (in a host element never attached) for the caller to take
/// down: run once before the first ask, it has V8 compile the prompt's code, which it does
/// function by function the first time each runs, on the main thread (about 340 functions
/// between an ask and the prompt). Nothing is shown, counted or emitted.
pub fn warm(rt: Rc<Runtime>) -> Result<(HtmlElement, AppHandle<PromptApp>), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let (host, root) = frame(&document, &rt, Some("right"))?;
    let ask = Ask {
        touchpoint: String::new(),
        kind: domain::Kind::Nps,
        question: None,
        attributes: Default::default(),
        take_focus: false,
        follow_up_of: None,
    };
    let props = PromptProps {
        rt,
        ask,
        inline: false,
        busy: Rc::new(Cell::new(true)),
        on_close: yew::Callback::noop(),
        display_id: String::new(),
    };
    let app = yew::Renderer::<PromptApp>::with_root_and_props(root.into(), props).render();
    Ok((host, app))
}
