//! The prompt in a real browser: each kind inside the open shadow root, picking and the
//! follow-up question, keyboard navigation (also mirrored for right-to-left languages),
//! languages, throttling, dismissal and focus return.

use domain::Attributes;
use domain::Kind;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit, ShadowRoot};
use widget::ask::Ask;
use widget::{mount, text, Runtime};

wasm_bindgen_test_configure!(run_in_browser);

/// The language files the loader would fetch for these tests' tags.
fn language_file(lang: &str) -> Option<&'static str> {
    match lang.split('-').next()? {
        "fa" => Some(include_str!("../i18n/fa.json")),
        "ru" => Some(include_str!("../i18n/ru.json")),
        "ja" => Some(include_str!("../i18n/ja.json")),
        "pt" => Some(include_str!("../i18n/pt.json")),
        _ => None,
    }
}

fn runtime(lang: &str) -> Rc<Runtime> {
    // Port 9 (discard): nothing here may reach a network.
    let strings = language_file(lang)
        .and_then(widget::js::parse)
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    Rc::new(Runtime::new("http://127.0.0.1:9", "test", lang).with_strings(&strings))
}

fn ask(touchpoint: &str, kind: Kind) -> Ask {
    Ask {
        touchpoint: touchpoint.into(),
        kind,
        question: None,
        attributes: Attributes::default(),
        take_focus: true,
        follow_up_of: None,
    }
}

/// Lets Yew render after an event.
async fn settle() {
    gloo::timers::future::TimeoutFuture::new(30).await;
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn shadow() -> ShadowRoot {
    let host = document()
        .query_selector(mount::HOST_TAG)
        .unwrap()
        .expect("the host element is on the page");
    host.shadow_root().expect("an open shadow root")
}

fn find(css: &str) -> Option<Element> {
    shadow().query_selector(css).unwrap()
}

fn text_of(css: &str) -> String {
    find(css)
        .unwrap_or_else(|| panic!("{css}"))
        .text_content()
        .unwrap_or_default()
}

fn click(css: &str) {
    find(css)
        .unwrap_or_else(|| panic!("{css}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

fn checked() -> Vec<String> {
    let list = shadow()
        .query_selector_all("[role=radio][aria-checked=true]")
        .unwrap();
    (0..list.length())
        .filter_map(|i| {
            list.item(i)?
                .dyn_into::<Element>()
                .ok()?
                .get_attribute("data-score")
        })
        .collect()
}

fn key(target_css: &str, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    find(target_css).unwrap().dispatch_event(&ev).unwrap();
}

/// A key pressed on whatever has focus inside the prompt (as a keyboard user would).
fn key_on_focused(key: &str) {
    let focused = shadow()
        .active_element()
        .expect("focus is inside the prompt");
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_composed(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    focused.dispatch_event(&ev).unwrap();
}

fn focused_score() -> Option<String> {
    shadow().active_element()?.get_attribute("data-score")
}

/// Left edge of the button for `score`, in CSS pixels.
fn x_of(score: u8) -> f64 {
    find(&format!("[data-score='{score}']"))
        .unwrap()
        .get_bounding_client_rect()
        .left()
}

#[wasm_bindgen_test]
async fn every_kind_shows_its_scale_as_a_radio_group() {
    for (kind, points) in [
        (Kind::Csat, 5),
        (Kind::Nps, 11),
        (Kind::Ces, 7),
        (Kind::Stars, 5),
        (Kind::Thumbs, 2),
    ] {
        mount::show(runtime("en"), ask("checkout", kind));
        settle().await;
        let radios = shadow()
            .query_selector_all("[role=radiogroup] [role=radio]")
            .unwrap();
        assert_eq!(radios.length(), points, "{kind}");
        let [question, low, high] = text::english().kind(kind);
        assert_eq!(text_of("#es-question"), question);
        assert_eq!(text_of(".es-anchors"), format!("{low}{high}"));
        let min = kind.scale().min;
        assert_eq!(
            find(&format!("[data-score='{min}']"))
                .unwrap()
                .get_attribute("aria-label")
                .unwrap(),
            text::english().point_label(kind, min, "en")
        );
        mount::close();
    }
}

/// The prefetch's warm-up renders the real prompt, but off the page: nothing is on the page,
/// nothing is shown, and taking it down leaves nothing behind.
#[wasm_bindgen_test]
async fn warming_renders_the_prompt_off_the_page() {
    let (host, app) = mount::warm(runtime("en")).expect("warm");
    settle().await;
    assert!(!host.is_connected(), "never on the page");
    assert!(document()
        .query_selector(mount::HOST_TAG)
        .unwrap()
        .is_none());
    assert!(!mount::is_shown());
    let root = host.shadow_root().expect("its own shadow root");
    let radios = root
        .query_selector_all("[role=radiogroup] [role=radio]")
        .unwrap();
    assert_eq!(radios.length(), 11, "an NPS scale, rendered");
    app.destroy();
    settle().await;
    assert!(root.query_selector("[role=radio]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn picking_asks_the_right_follow_up() {
    mount::show(runtime("en"), ask("checkout", Kind::Csat));
    settle().await;
    assert!(
        find(".es-send").unwrap().has_attribute("disabled"),
        "nothing to send before a pick"
    );
    assert!(
        find("textarea").is_none(),
        "the comment box waits for a score"
    );

    click("[data-score='4']");
    settle().await;
    assert_eq!(checked(), vec!["4"]);
    assert!(!find(".es-send").unwrap().has_attribute("disabled"));
    assert_eq!(text_of(".es-label"), text::english().follow_up_positive());

    click("[data-score='2']");
    settle().await;
    assert_eq!(checked(), vec!["2"]);
    assert_eq!(text_of(".es-label"), text::english().follow_up_negative());
    mount::close();

    mount::show(runtime("en"), ask("onboarding", Kind::Thumbs));
    settle().await;
    click("[data-score='0']");
    settle().await;
    assert_eq!(
        text_of(".es-label"),
        text::english().follow_up_negative(),
        "thumbs down is negative"
    );
    mount::close();
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_choice_and_escape_dismisses_and_returns_focus() {
    let button: HtmlElement = document()
        .create_element("button")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&button).unwrap();
    button.focus().unwrap();

    mount::show(runtime("en"), ask("support", Kind::Nps));
    settle().await;
    let active = shadow()
        .active_element()
        .expect("focus moved into the prompt");
    assert_eq!(
        active.get_attribute("data-score").as_deref(),
        Some("0"),
        "the scale's tab stop has focus"
    );
    // Each arrow moves the choice, and focus follows it (the scale is never re-created).
    for want in ["0", "1", "2"] {
        key_on_focused("ArrowRight");
        settle().await;
        assert_eq!(checked(), vec![want]);
        assert_eq!(
            focused_score().as_deref(),
            Some(want),
            "focus follows the choice"
        );
    }
    assert!(
        find("textarea").is_some(),
        "the follow-up appeared without taking the scale's focus"
    );
    key("[role=radiogroup]", "ArrowLeft");
    settle().await;
    assert_eq!(checked(), vec!["1"]);
    key("[role=radiogroup]", "End");
    settle().await;
    assert_eq!(checked(), vec!["10"]);
    key("[role=radiogroup]", "Home");
    settle().await;
    assert_eq!(checked(), vec!["0"]);

    key(".es-card", "Escape");
    settle().await;
    assert!(
        document()
            .query_selector(mount::HOST_TAG)
            .unwrap()
            .is_none(),
        "Escape removes the prompt"
    );
    let back = document().active_element().unwrap();
    assert!(
        back.is_same_node(Some(&button)),
        "focus returned to where it was"
    );
    button.remove();
}

#[wasm_bindgen_test]
async fn right_to_left_mirrors_the_layout_the_scale_and_the_arrows() {
    mount::show(runtime("en"), ask("checkout", Kind::Csat));
    settle().await;
    assert!(x_of(1) < x_of(5), "left-to-right: 1 on the left");
    mount::close();

    mount::show(runtime("fa"), ask("checkout", Kind::Csat));
    settle().await;
    assert!(x_of(1) > x_of(5), "right-to-left: 1 on the right");
    assert_eq!(
        find(".es-root").unwrap().get_attribute("dir").as_deref(),
        Some("rtl")
    );
    assert_eq!(text_of("#es-question"), "چقدر راضی هستید؟");
    click("[data-score='3']");
    settle().await;
    key("[role=radiogroup]", "ArrowLeft");
    settle().await;
    assert_eq!(
        checked(),
        vec!["4"],
        "in RTL, ArrowLeft moves towards the higher end, which is on the left"
    );
    mount::close();
}

/// The scale's numbers are written in the page language's digits, as the browser's `Intl` has
/// them: Persian digits for fa, in the faces and the accessible names; the answer's score (and
/// `data-score`) stays a plain number.
#[wasm_bindgen_test]
async fn the_scale_s_digits_follow_the_language() {
    let faces = || -> Vec<String> {
        let points = shadow().query_selector_all("[role=radio]").unwrap();
        (0..points.length())
            .map(|i| points.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    let label = |score: u8| attr(&format!("[data-score='{score}']"), "aria-label").unwrap();
    mount::show(runtime("fa"), ask("checkout", Kind::Nps));
    settle().await;
    let persian: Vec<String> = "۰ ۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۱۰"
        .split(' ')
        .map(String::from)
        .collect();
    assert_eq!(faces(), persian);
    assert!(label(10).starts_with("۱۰ از ۱۰"), "{}", label(10));
    assert!(find("[data-score='10']").is_some());
    mount::close();

    mount::show(runtime("en"), ask("checkout", Kind::Nps));
    settle().await;
    let latin: Vec<String> = (0..=10).map(|n| n.to_string()).collect();
    assert_eq!(faces(), latin);
    assert!(label(10).starts_with("10 of 10"), "{}", label(10));
    mount::close();

    // A tag Intl cannot read falls back to plain digits instead of failing.
    assert_eq!(text::local_number(7, "not a tag!"), "7");

    // Latin script, by the browser's locale data, needs no number formatting; a numbering
    // system the tag names, or another script, goes to Intl.
    for (lang, latin) in [
        ("en", true),
        ("de-CH", true),
        ("sr-Latn", true),
        ("vi", true),
        ("fa", false),
        ("ar-EG", false),
        ("sr", false),
        ("hi", false),
        ("en-u-nu-arab", false),
        ("not a tag!", false),
    ] {
        assert_eq!(text::latin_digits(lang), latin, "{lang}");
    }
    assert_eq!(text::local_number(7, "en-u-nu-arab"), "٧");
    assert_eq!(text::local_number(7, "ar-EG"), "٧");
    assert_eq!(text::local_number(7, "hi"), "7");
    // The loader skips its Intl warm-up by the same test, written there as a regex literal.
    let loader = include_str!("../loader.js");
    assert!(loader.contains(&format!("/{}/.test(", text::LATIN_DIGITS)));
}

#[wasm_bindgen_test]
async fn a_language_file_replaces_english_and_gaps_stay_english() {
    for (lang, send) in [("ru", "Отправить"), ("ja", "送信"), ("xx", "Send")] {
        mount::show(runtime(lang), ask("checkout", Kind::Csat));
        settle().await;
        assert_eq!(text_of(".es-send"), send, "{lang}");
        mount::close();
    }
    // A file missing keys (or with a malformed one) leaves those in English, not blank.
    let partial =
        widget::js::parse(r#"{"send": "Senden", "csat": ["Wie zufrieden?"], "thanks": 7}"#)
            .unwrap();
    let texts = text::from_js(&partial);
    assert_eq!(
        (texts.send(), texts.thanks(), texts.kind(domain::Kind::Csat)),
        (
            "Senden",
            text::english().thanks(),
            text::english().kind(domain::Kind::Csat)
        )
    );
    assert_eq!(text::english().send(), "Send");
}

#[wasm_bindgen_test]
async fn a_second_ask_for_the_same_touchpoint_is_throttled() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("earshot:asked:test").unwrap();
    let rt = runtime("en");
    let arg = |tp: &str| {
        let o = js_sys::Object::new();
        widget::js::set(&o, "touchpoint", tp);
        o.into()
    };
    widget::ask::ask(rt.clone(), &arg("checkout"), Attributes::default());
    settle().await;
    assert!(mount::is_shown());
    mount::close();
    widget::ask::ask(rt.clone(), &arg("checkout"), Attributes::default());
    settle().await;
    assert!(!mount::is_shown(), "asked again within the throttle window");
    widget::ask::ask(rt.clone(), &arg("support"), Attributes::default());
    settle().await;
    assert!(mount::is_shown(), "another touchpoint is asked");
    mount::close();
    let forced = arg("checkout");
    widget::js::set(forced.unchecked_ref(), "force", true);
    widget::ask::ask(rt, &forced, Attributes::default());
    settle().await;
    assert!(mount::is_shown(), "force bypasses the throttle");
    mount::close();
}

/// Boots the module as the loader does (script-tag options as given) and asks once.
async fn boot_and_ask(position: &str) {
    boot_with(&[("position", position)], "position").await;
}

async fn boot_with(script_options: &[(&str, &str)], kind: &str) {
    boot_full(
        script_options,
        js_sys::Object::new().into(),
        wasm_bindgen::JsValue::UNDEFINED,
        kind,
    )
    .await;
}

async fn boot_full(
    script_options: &[(&str, &str)],
    config: wasm_bindgen::JsValue,
    strings: wasm_bindgen::JsValue,
    kind: &str,
) {
    let options = js_sys::Object::new();
    widget::js::set(&options, "lang", "en");
    for (k, v) in script_options {
        widget::js::set(&options, k, *v);
    }
    let record = js_sys::Function::new_with_args(
        "name, detail",
        "(window.esEvents = window.esEvents || []).push(name + ' ' + detail)",
    );
    widget::boot(
        "http://127.0.0.1:9",
        "test-position",
        options.into(),
        config,
        strings,
        record,
    );
    let arg = js_sys::Object::new();
    widget::js::set(&arg, "touchpoint", "position");
    if kind != "position" {
        widget::js::set(&arg, "kind", kind);
    }
    widget::js::set(&arg, "force", true);
    widget::command("ask", arg.into(), js_sys::Object::new().into());
    settle().await;
}

fn host() -> HtmlElement {
    document()
        .query_selector(mount::HOST_TAG)
        .unwrap()
        .expect("shown")
        .unchecked_into()
}

fn computed(el: &Element, property: &str) -> String {
    web_sys::window()
        .unwrap()
        .get_computed_style(el)
        .unwrap()
        .unwrap()
        .get_property_value(property)
        .unwrap()
}

#[wasm_bindgen_test]
async fn data_position_places_the_prompt() {
    let slot = document().create_element("div").unwrap();
    slot.set_id("feedback-slot");
    document().body().unwrap().append_child(&slot).unwrap();

    // Inline: inside the element, in the flow, a region rather than a dialog.
    boot_and_ask("inline:#feedback-slot").await;
    assert!(
        host().parent_element().unwrap().is_same_node(Some(&slot)),
        "inside the container"
    );
    assert_eq!(computed(&host(), "position"), "static");
    assert_eq!(
        find(".es-card").unwrap().get_attribute("role").as_deref(),
        Some("region")
    );
    mount::close();

    // A corner: fixed, on the side asked for.
    boot_and_ask("bottom-left").await;
    assert_eq!(
        (computed(&host(), "position"), computed(&host(), "left")),
        ("fixed".into(), "16px".into())
    );
    assert_eq!(
        find(".es-card").unwrap().get_attribute("role").as_deref(),
        Some("dialog")
    );
    mount::close();

    // The host's own styles win over the page's, `!important` ones included.
    let hostile = document().create_element("style").unwrap();
    hostile.set_text_content(Some(
        "earshot-widget { position: static !important; display: none !important; \
         left: 300px !important; bottom: 0 !important; z-index: 1 !important }",
    ));
    document().head().unwrap().append_child(&hostile).unwrap();
    boot_and_ask("bottom-right").await;
    assert_eq!(
        ["position", "display", "right", "bottom", "z-index"].map(|p| computed(&host(), p)),
        ["fixed", "block", "16px", "16px", "2147483647"].map(String::from)
    );
    hostile.remove();
    mount::close();
    boot_and_ask("").await;
    let pinned = |side| host().style().get_property_value(side).unwrap();
    assert_eq!(
        (pinned("right"), pinned("left")),
        ("16px".into(), "auto".into()),
        "default: bottom right"
    );
    mount::close();

    // A selector that matches nothing: the corner, and the page is told why.
    boot_and_ask("inline:#no-such-element").await;
    assert!(host()
        .parent_element()
        .unwrap()
        .is_same_node(document().body().map(|b| b.into()).as_ref()));
    let events: js_sys::Array =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"esEvents".into())
            .unwrap()
            .into();
    let events: Vec<String> = events.iter().filter_map(|e| e.as_string()).collect();
    assert!(
        events
            .iter()
            .any(|e| e.starts_with("error data-position: nothing matches `#no-such-element`")),
        "{events:?}"
    );
    mount::close();
    slot.remove();
}

/// WCAG 2.1 contrast ratio of two `rgb(…)` colours as `getComputedStyle` gives them.
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |c: &str| {
        let v: Vec<f64> = c
            .split(|ch: char| !ch.is_ascii_digit() && ch != '.')
            .filter_map(|n| n.parse().ok())
            .collect();
        let lin = |x: f64| {
            let x = x / 255.0;
            if x <= 0.03928 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(v[0]) + 0.7152 * lin(v[1]) + 0.0722 * lin(v[2])
    };
    let (l1, l2) = (luminance(a), luminance(b));
    (l1.max(l2) + 0.05) / (l1.min(l2) + 0.05)
}

/// The colour behind an element: its own background, else the nearest ancestor's.
fn background(el: &Element) -> String {
    let mut at = Some(el.clone());
    while let Some(e) = at {
        let bg = computed(&e, "background-color");
        if bg != "rgba(0, 0, 0, 0)" {
            return bg;
        }
        at = e.parent_element();
    }
    panic!("no background behind {}", el.class_name());
}

/// Every text and state indicator meets WCAG 2.1 AA (4.5:1 for text, 3:1 for graphics) in the
/// light and dark themes and on accents a site might choose, light or dark.
#[wasm_bindgen_test]
async fn text_and_indicators_meet_wcag_aa_contrast() {
    let themes: [&[(&str, &str)]; 4] = [
        &[("theme", "light")],
        &[("theme", "dark")],
        &[("theme", "light"), ("accent", "#ffd43b")],
        &[("theme", "dark"), ("accent", "rebeccapurple")],
    ];
    for options in themes {
        // Text: question, anchors, numbers, the chosen number, the close button, label, comment, send.
        boot_with(options, "nps").await;
        click("[data-score='3']");
        settle().await;
        for (css, needed) in [
            (".es-question", 4.5),
            (".es-anchors span", 4.5),
            (".es-point[aria-checked=false]", 4.5),
            (".es-point[aria-checked=true]", 4.5),
            (".es-close", 4.5),
            (".es-label", 4.5),
            (".es-comment", 4.5),
            (".es-send", 4.5),
        ] {
            let el = find(css).unwrap_or_else(|| panic!("{css}"));
            let ratio = contrast(&computed(&el, "color"), &background(&el));
            assert!(ratio >= needed, "{options:?} {css}: {ratio:.2} < {needed}");
        }
        // Control outlines (graphics, 3:1): the comment box and the points not chosen.
        for css in [".es-comment", ".es-point[aria-checked=false]"] {
            let el = find(css).unwrap();
            let ratio = contrast(
                &computed(&el, "border-top-color"),
                &background(&el.parent_element().unwrap()),
            );
            assert!(ratio >= 3.0, "{options:?} {css} outline: {ratio:.2} < 3");
        }
        mount::close();
        // Stars are graphics: chosen, filled and empty ones all stand out from the card.
        boot_with(options, "stars").await;
        click("[data-score='3']");
        settle().await;
        for score in ["1", "3", "5"] {
            let el = find(&format!("[data-score='{score}']")).unwrap();
            let ratio = contrast(&computed(&el, "color"), &background(&el));
            assert!(ratio >= 3.0, "{options:?} star {score}: {ratio:.2} < 3");
        }
        mount::close();
    }
}

#[wasm_bindgen_test]
fn every_text_an_owner_may_change_is_a_widget_text() {
    for key in domain::settings::TEXT_KEYS {
        assert!(
            text::KEYS.contains(&key),
            "{key} is not in the language files"
        );
    }
}

/// Every key of a language file lands in its own string: the kinds' questions and anchors in
/// `Kind::ALL`'s order, each line where its accessor reads it.
#[wasm_bindgen_test]
fn every_key_of_a_language_file_lands_in_its_own_string() {
    let file = js_sys::Object::new();
    for (i, key) in text::KEYS.iter().enumerate() {
        let value: wasm_bindgen::JsValue = if i < Kind::COUNT {
            js_sys::Array::of3(
                &format!("{key}0").into(),
                &format!("{key}1").into(),
                &format!("{key}2").into(),
            )
            .into()
        } else {
            (*key).into()
        };
        js_sys::Reflect::set(&file, &(*key).into(), &value).unwrap();
    }
    let t = text::from_js(&file);
    for k in Kind::ALL {
        let n = k.as_str();
        assert_eq!(
            t.kind(k).map(str::to_string),
            [0, 1, 2].map(|i| format!("{n}{i}"))
        );
    }
    let lines = [
        t.follow_up_negative(),
        t.follow_up_positive(),
        t.send(),
        t.sending(),
        t.close(),
        t.thanks(),
        t.queued(),
        t.unsaved(),
        t.rejected(),
        t.dialog(),
        t.point(),
        t.contact_offer(),
        t.contact_label(),
        t.followed_up(),
    ];
    assert_eq!(lines, text::KEYS[Kind::COUNT..]);
    // A key missing or of the wrong type keeps English.
    let partial =
        widget::js::parse(r#"{"send": "Senden", "close": 3, "csat": ["only one"]}"#).unwrap();
    let t = text::from_js(&partial);
    assert_eq!((t.send(), t.close()), ("Senden", text::english().close()));
    assert_eq!(t.kind(Kind::Csat), text::english().kind(Kind::Csat));
}

/// The words of the contact opt-in and of the follow-up are the owner's to change too.
#[wasm_bindgen_test]
fn the_owner_may_reword_the_contact_offer_and_the_follow_up() {
    let config = widget::js::parse(
        r#"{"texts": {"en": {"contact_offer": "Call me back?", "contact_label": "Your number", "followed_up": "Did we fix it?"}}}"#,
    )
    .unwrap();
    let english = text::english();
    let laid = widget::config::SiteConfig::from_js(&config).texts_over("en-GB", english);
    assert_eq!(
        (
            laid.contact_offer(),
            laid.contact_label(),
            laid.followed_up()
        ),
        ("Call me back?", "Your number", "Did we fix it?")
    );
    assert_eq!(laid.send(), english.send());
    for key in ["contact_offer", "contact_label", "followed_up"] {
        assert!(domain::settings::TEXT_KEYS.contains(&key), "{key}");
    }
}

/// The owner's words (config `texts`) win over the language file, by exact tag, then language.
#[wasm_bindgen_test]
async fn the_owner_s_words_replace_the_built_in_ones() {
    let config = widget::js::parse(r#"{"texts": {"pt": {"send": "Mandar"}, "pt-BR": {"dialog": "Opinião"}, "en": {"send": "Go"}}}"#).unwrap();
    let strings = widget::js::parse(language_file("pt").unwrap()).unwrap();
    boot_full(&[("lang", "pt_br")], config, strings, "csat").await;
    assert_eq!(text_of(".es-send"), "Mandar", "by language");
    assert_eq!(
        find(".es-card")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Opinião"),
        "by exact tag"
    );
    assert_eq!(text_of(".es-close"), "×");
    assert_eq!(
        find(".es-close")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("Fechar"),
        "the rest from the language file"
    );
    mount::close();
}

fn events() -> Vec<String> {
    let list = js_sys::Reflect::get(&web_sys::window().unwrap(), &"esEvents".into()).unwrap();
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|e| e.as_string())
        .collect()
}

fn ask_arg(touchpoint: &str, kind: &str) -> wasm_bindgen::JsValue {
    let arg = js_sys::Object::new();
    widget::js::set(&arg, "touchpoint", touchpoint);
    widget::js::set(&arg, "kind", kind);
    arg.into()
}

/// A second ask does not interrupt an unanswered prompt, and does not count as asked; once the
/// first is answered, the next ask shows.
#[wasm_bindgen_test]
async fn an_open_prompt_is_not_interrupted() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("earshot:asked:test-position").unwrap();
    let ask_nps = || async {
        widget::command(
            "ask",
            ask_arg("second", "nps"),
            js_sys::Object::new().into(),
        );
        settle().await;
        shadow()
            .query_selector_all("[role=radio]")
            .unwrap()
            .length()
    };
    boot_with(&[], "csat").await;
    assert_eq!(ask_nps().await, 5, "still the first (CSAT) prompt");
    assert!(
        events()
            .iter()
            .any(|e| e.starts_with("error another prompt is open; `second`")),
        "{:?}",
        events()
    );
    assert_eq!(
        widget::ask::last_asked("test-position", "second"),
        None,
        "not counted against the throttle"
    );
    click("[data-score='4']");
    settle().await;
    click(".es-send"); // port 9: not delivered, queued
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(ask_nps().await, 11, "answered: the next prompt shows");
    assert!(widget::ask::last_asked("test-position", "second").is_some());
    mount::close();
}

/// `identify` attributes the server would refuse are left out (and reported), so the answer
/// itself still goes out; after Send, focus moves to the outcome, which is read out.
#[wasm_bindgen_test]
async fn bad_attributes_are_left_out_and_the_outcome_takes_focus() {
    let site = "test-position";
    boot_with(&[], "csat").await; // boots the runtime; replaced below
    mount::close();
    let attributes =
        widget::js::parse(r#"{"plan": "pro", "user id": "42", "note": "a\u0007b"}"#).unwrap();
    widget::command("ask", ask_arg("attrs", "stars"), attributes);
    settle().await;
    let errors: Vec<String> = events()
        .into_iter()
        .filter(|e| e.starts_with("error identify"))
        .collect();
    assert!(
        errors.iter().any(|e| e.contains("`user id`"))
            && errors.iter().any(|e| e.contains("`note`")),
        "{errors:?}"
    );
    click("[data-score='5']");
    settle().await;
    // Focus is on the page's body here (no user activation in tests), as after a removed form.
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    let active = shadow().active_element().expect("focus is in the prompt");
    assert!(
        active.class_name().contains("es-outcome"),
        "focus on the outcome, not lost: {}",
        active.class_name()
    );
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let kept: Vec<domain::wire::IngestRequest> = widget::api::outbox(site)
        .into_iter()
        .filter(|r| r.touchpoint == "attrs")
        .collect();
    assert_eq!(kept.len(), 1, "queued, not rejected");
    assert_eq!(
        (&kept[0].attributes)
            .into_iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        vec!["plan"]
    );
    storage
        .remove_item(&widget::api::outbox_key(site, &kept[0].id))
        .unwrap();
    mount::close();
}

/// One key per answer, so two tabs never overwrite each other's; an outbox an earlier version
/// kept in one key is moved over, nothing lost.
#[wasm_bindgen_test]
fn the_outbox_keeps_one_key_per_answer() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let site = "test-outbox";
    let answer = |id: &str| format!(r#"{{"id":"{id}","touchpoint":"t","kind":"csat","score":4}}"#);
    let (a, b) = (
        "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
        "1b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    );
    storage
        .set_item("earshot:outbox:test-outbox", &format!("[{}]", answer(a)))
        .unwrap();
    storage
        .set_item(&widget::api::outbox_key(site, b), &answer(b))
        .unwrap();
    let mut ids: Vec<String> = widget::api::outbox(site)
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    assert_eq!(ids, vec![a, b]);
    assert_eq!(
        storage.get_item("earshot:outbox:test-outbox").unwrap(),
        None,
        "the old key is gone"
    );
    assert!(storage
        .get_item(&widget::api::outbox_key(site, a))
        .unwrap()
        .is_some());
    for id in [a, b] {
        storage
            .remove_item(&widget::api::outbox_key(site, id))
            .unwrap();
    }
}

/// Ids are UUID v4 also where `crypto.randomUUID` is missing (pages served over plain http).
#[wasm_bindgen_test]
fn ids_are_uuid_v4_without_random_uuid() {
    let crypto = js_sys::Reflect::get(&web_sys::window().unwrap(), &"crypto".into()).unwrap();
    let proto = js_sys::Object::get_prototype_of(&crypto);
    let original = js_sys::Reflect::get(&proto, &"randomUUID".into()).unwrap();
    js_sys::Reflect::set(
        &proto,
        &"randomUUID".into(),
        &wasm_bindgen::JsValue::UNDEFINED,
    )
    .unwrap();
    let ids: Vec<String> = (0..20).map(|_| widget::api::new_id()).collect();
    js_sys::Reflect::set(&proto, &"randomUUID".into(), &original).unwrap();
    for id in &ids {
        let request = domain::wire::IngestRequest {
            id: id.clone(),
            touchpoint: "t".into(),
            kind: "csat".into(),
            score: 4,
            comment: None,
            page: None,
            locale: None,
            attributes: Attributes::default(),
            display_id: None,
            contact: None,
            follow_up_of: None,
        };
        assert!(
            domain::Response::try_from(request).is_ok(),
            "{id} is a UUID v4"
        );
    }
    assert_ne!(ids[0], ids[1]);
}

#[wasm_bindgen_test]
fn the_ends_of_the_scale_say_what_they_mean() {
    let en = text::english();
    assert_eq!(
        en.point_label(Kind::Csat, 1, "en"),
        "1 of 5, Very unsatisfied"
    );
    assert_eq!(en.point_label(Kind::Csat, 3, "en"), "3 of 5");
    assert_eq!(en.point_label(Kind::Nps, 10, "en"), "10 of 10, Very likely");
    assert_eq!(en.point_label(Kind::Thumbs, 0, "en"), "No");
}

/// A language's point label may put the placeholders anywhere, twice or not at all; other
/// braces are its own text.
#[wasm_bindgen_test]
fn point_labels_fill_their_placeholders_wherever_they_are() {
    let check = |template, expect| assert_eq!(text::fill(template, "3", "5"), expect, "{template}");
    check("{n} of {max}", "3 of 5");
    check("{max} 中的 {n}", "5 中的 3");
    check("{n}/{max} {n}", "3/5 3");
    check("{x} {n", "{x} {n");
    check("{{n}}", "{3}");
    check("", "");
    check("no placeholder", "no placeholder");
}

/// An answer that has not got through in 30 days (say, the site no longer allows this origin)
/// is dropped at the next page load, and the page is told; younger ones are kept and retried.
#[wasm_bindgen_test]
async fn answers_stuck_for_30_days_are_dropped_and_reported() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let day = 86_400_000.0;
    let stored = |id: &str, age_days: f64| {
        let queued_at = js_sys::Date::now() - age_days * day;
        format!(
            r#"{{"id":"{id}","touchpoint":"t","kind":"csat","score":4,"queued_at":{queued_at}}}"#
        )
    };
    let (old, young) = (
        "2b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
        "3b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    );
    let (old_key, young_key) = (
        widget::api::outbox_key("test-position", old),
        widget::api::outbox_key("test-position", young),
    );
    storage.set_item(&old_key, &stored(old, 31.0)).unwrap();
    storage.set_item(&young_key, &stored(young, 29.0)).unwrap();
    boot_with(&[], "csat").await; // boot flushes the outbox
    assert_eq!(storage.get_item(&old_key).unwrap(), None, "dropped");
    let kept = storage
        .get_item(&young_key)
        .unwrap()
        .expect("kept for another try");
    let queued_at = widget::js::number(&widget::js::parse(&kept).unwrap(), "queued_at").unwrap();
    assert!(
        js_sys::Date::now() - queued_at > 28.0 * day,
        "the retry keeps the first queued time"
    );
    assert!(
        events()
            .iter()
            .any(|e| e == "error 1 answer(s) could not be delivered in 30 days and were dropped"),
        "{:?}",
        events()
    );
    storage.remove_item(&young_key).unwrap();
    mount::close();
}

/// A runtime on a site whose setting `contact` is `negative` (the default): "May we contact
/// you?" is offered after a negative score.
fn runtime_offering_contact(lang: &str, site: &str) -> Rc<Runtime> {
    let strings = language_file(lang)
        .and_then(widget::js::parse)
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    let mut rt = Runtime::new("http://127.0.0.1:9", site, lang).with_strings(&strings);
    rt.config.offer_contact = true;
    Rc::new(rt)
}

/// Types `text` into the field `css` as a person would (its value, then an `input` event).
fn type_into(css: &str, text: &str) {
    let field: web_sys::HtmlInputElement = find(css).unwrap().unchecked_into();
    field.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&ev).unwrap();
}

fn attr(css: &str, name: &str) -> Option<String> {
    find(css)
        .unwrap_or_else(|| panic!("{css}"))
        .get_attribute(name)
}

fn ticked() -> bool {
    find("#es-contact-opt")
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .checked()
}

/// The answers a site's outbox holds (port 9: nothing is delivered), removed as they are read.
fn take_outbox(site: &str) -> Vec<domain::wire::IngestRequest> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let kept = widget::api::outbox(site);
    for r in &kept {
        storage
            .remove_item(&widget::api::outbox_key(site, &r.id))
            .unwrap();
    }
    kept
}

/// "May we contact you?" appears only after a negative score, unticked; ticking reveals one
/// labelled field (announced through `aria-expanded`/`aria-controls`); both are reachable by
/// keyboard; the answer carries the contact only when ticked and filled in.
#[wasm_bindgen_test]
async fn the_contact_opt_in_follows_a_negative_score_and_goes_only_when_ticked() {
    let site = "test-contact";
    take_outbox(site);
    let en = text::english();
    for (ticks, typed, sent) in [
        (true, " ann@example.com ", Some("ann@example.com")),
        (false, "ann@example.com", None),
        (true, "", None),
    ] {
        mount::show(
            runtime_offering_contact("en", site),
            ask("checkout", Kind::Csat),
        );
        settle().await;
        click("[data-score='4']");
        settle().await;
        assert!(
            find("#es-contact-opt").is_none(),
            "not after a positive score"
        );
        click("[data-score='2']");
        settle().await;
        assert!(!ticked(), "unticked until the customer ticks it");
        assert_eq!(text_of(".es-opt"), en.contact_offer(), "the box's label");
        assert_eq!(
            attr("#es-contact-opt", "aria-expanded").as_deref(),
            Some("false")
        );
        assert_eq!(
            attr("#es-contact-opt", "aria-controls").as_deref(),
            Some("es-contact-box")
        );
        assert!(find("#es-contact-box").unwrap().has_attribute("hidden"));
        if ticks {
            click("#es-contact-opt");
            settle().await;
            assert!(ticked());
            assert_eq!(
                attr("#es-contact-opt", "aria-expanded").as_deref(),
                Some("true")
            );
            assert!(!find("#es-contact-box").unwrap().has_attribute("hidden"));
            assert_eq!(text_of("label[for='es-contact']"), en.contact_label());
            assert_eq!(attr("#es-contact", "maxlength").as_deref(), Some("400"));
        }
        // Keyboard: the box (and the field, once shown) take focus like any control.
        let reachable: &[&str] = if ticks {
            &["es-contact-opt", "es-contact"]
        } else {
            &["es-contact-opt"]
        };
        for id in reachable {
            let el: HtmlElement = find(&format!("#{id}")).unwrap().unchecked_into();
            el.focus().unwrap();
            assert_eq!(
                shadow().active_element().map(|a| a.id()).as_deref(),
                Some(*id)
            );
            assert!(el.tab_index() >= 0, "{id} in the tab order");
        }
        type_into("#es-contact", typed);
        settle().await;
        click(".es-send");
        gloo::timers::future::TimeoutFuture::new(300).await;
        let kept = take_outbox(site);
        assert_eq!(kept.len(), 1, "queued (nothing delivers on port 9)");
        assert_eq!(
            kept[0].contact.as_deref(),
            sent,
            "ticked {ticks}, typed {typed:?}"
        );
        mount::close();
    }

    // A contact the server would refuse holds the form back with the server's own words.
    mount::show(
        runtime_offering_contact("en", site),
        ask("checkout", Kind::Csat),
    );
    settle().await;
    click("[data-score='1']");
    settle().await;
    click("#es-contact-opt");
    settle().await;
    type_into("#es-contact", &"x".repeat(201));
    settle().await;
    let field: web_sys::HtmlInputElement = find("#es-contact").unwrap().unchecked_into();
    assert_eq!(
        field.validation_message().unwrap(),
        domain::recovery::CONTACT_RULE
    );
    // So does a comment the server would refuse (within `maxlength`, over its own limit).
    let long = "x".repeat(domain::limits::MAX_COMMENT_CHARS + 1);
    type_into("#es-comment", &long);
    settle().await;
    let area: web_sys::HtmlTextAreaElement = find("#es-comment").unwrap().unchecked_into();
    let rule = domain::ingest::validate_comment(&long).unwrap_err().message;
    assert_eq!(area.validation_message().unwrap(), rule);
    type_into("#es-comment", "");
    settle().await;
    assert_eq!(area.validation_message().unwrap(), "");
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert!(take_outbox(site).is_empty(), "held back");
    // Unticked, the field (hidden and disabled) no longer holds the answer back, nor goes with it.
    click("#es-contact-opt");
    settle().await;
    assert!(field.disabled());
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    let kept = take_outbox(site);
    assert_eq!((kept.len(), kept[0].contact.as_deref()), (1, None));
    widget::recall::forget(site, &kept[0].id, js_sys::Date::now());
    mount::close();

    // Back to a positive score: the offer goes away, and with it the contact.
    mount::show(
        runtime_offering_contact("en", site),
        ask("checkout", Kind::Csat),
    );
    settle().await;
    click("[data-score='1']");
    settle().await;
    click("#es-contact-opt");
    settle().await;
    type_into("#es-contact", "ann@example.com");
    click("[data-score='5']");
    settle().await;
    assert!(find("#es-contact-opt").is_none());
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    let kept = take_outbox(site);
    assert_eq!((kept.len(), kept[0].contact.as_deref()), (1, None));
    mount::close();

    // The site's setting `contact: off` (or no config): never offered.
    mount::show(runtime("en"), ask("checkout", Kind::Thumbs));
    settle().await;
    click("[data-score='0']");
    settle().await;
    assert!(find(".es-label").is_some() && find("#es-contact-opt").is_none());
    mount::close();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&widget::recall::key(site)).unwrap();
}

/// In a right-to-left language the opt-in is mirrored (the box on the right of its words) and
/// in that language.
#[wasm_bindgen_test]
async fn the_contact_opt_in_is_mirrored_and_translated_in_rtl() {
    let rt = runtime_offering_contact("fa", "test-contact-rtl");
    let words = rt.texts.contact_offer();
    assert_ne!(words, text::english().contact_offer());
    mount::show(rt, ask("checkout", Kind::Csat));
    settle().await;
    click("[data-score='1']");
    settle().await;
    assert_eq!(text_of(".es-opt"), words);
    let left = |css: &str| find(css).unwrap().get_bounding_client_rect().left();
    let right = |css: &str| find(css).unwrap().get_bounding_client_rect().right();
    assert!(
        left("#es-contact-opt") > left(".es-opt")
            && right("#es-contact-opt") >= right(".es-opt") - 1.0,
        "the box sits at the start (right) of its line"
    );
    click("#es-contact-opt");
    settle().await;
    assert_eq!(
        text_of("label[for='es-contact']"),
        "چگونه با شما تماس بگیریم؟ (ایمیل یا تلفن)"
    );
    mount::close();
}

/// A follow-up asks in its own words, in every language, and its answer names the case; the
/// answer also names its display, and a negative answer (not a follow-up) is remembered for a
/// follow-up, with its kind and touchpoint, and nothing else.
#[wasm_bindgen_test]
async fn a_follow_up_asks_in_its_own_words_and_names_the_case() {
    let site = "test-follow";
    take_outbox(site);
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&widget::recall::key(site)).unwrap();
    let case = "4b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";
    for (lang, words) in [
        (
            "en",
            "We followed up on your feedback — how do you feel now?",
        ),
        (
            "fa",
            "ما بازخورد شما را پیگیری کردیم — اکنون چه احساسی دارید؟",
        ),
        (
            "ja",
            "いただいたご意見に対応しました。今はどのように感じていますか？",
        ),
    ] {
        let again = Ask {
            follow_up_of: Some(case.into()),
            ..ask("checkout", Kind::Nps)
        };
        mount::show(runtime_offering_contact(lang, site), again);
        settle().await;
        assert_eq!(text_of("#es-question"), words, "{lang}");
        mount::close();
    }
    mount::show(
        runtime_offering_contact("en", site),
        Ask {
            follow_up_of: Some(case.into()),
            ..ask("checkout", Kind::Nps)
        },
    );
    settle().await;
    click("[data-score='9']");
    settle().await;
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    mount::close();
    mount::show(
        runtime_offering_contact("en", site),
        ask("support", Kind::Ces),
    );
    settle().await;
    click("[data-score='2']");
    settle().await;
    click(".es-send");
    gloo::timers::future::TimeoutFuture::new(300).await;
    mount::close();
    let kept = take_outbox(site);
    let follow = kept
        .iter()
        .find(|r| r.kind == "nps")
        .expect("the follow-up");
    assert_eq!(follow.follow_up_of.as_deref(), Some(case));
    let first = kept
        .iter()
        .find(|r| r.kind == "ces")
        .expect("the negative answer");
    assert_eq!(first.follow_up_of, None);
    for r in &kept {
        let display = r.display_id.as_deref().expect("names its display");
        assert!(
            domain::display::validate_display_id(display).is_ok(),
            "{display}"
        );
        assert_ne!(display, r.id);
    }
    let remembered = widget::recall::recall(site, js_sys::Date::now());
    assert_eq!(
        remembered
            .iter()
            .map(|r| (r.id.as_str(), r.kind, r.touchpoint.as_str()))
            .collect::<Vec<_>>(),
        vec![(first.id.as_str(), Kind::Ces, "support")],
        "the negative answer only; the follow-up is not a case"
    );
    let stored = storage
        .get_item(&widget::recall::key(site))
        .unwrap()
        .unwrap();
    let first_stored = js_sys::Array::from(&widget::js::parse(&stored).unwrap()).get(0);
    let fields: Vec<String> = js_sys::Object::keys(first_stored.unchecked_ref::<js_sys::Object>())
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    assert_eq!(
        fields,
        ["id", "kind", "touchpoint", "at"],
        "ids only, nothing personal"
    );
    storage.remove_item(&widget::recall::key(site)).unwrap();
}

/// The memory of negative answers is bounded: the newest 20, none older than 90 days; a
/// forgotten id is gone and an emptied memory leaves no key behind.
#[wasm_bindgen_test]
fn the_memory_of_negative_answers_is_bounded() {
    use widget::recall::{forget, recall, remember, Remembered};
    let site = "test-recall";
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&widget::recall::key(site)).unwrap();
    let (day, now) = (86_400_000.0, js_sys::Date::now());
    let id = |n: u32| format!("{n:08x}-0000-4000-8000-000000000000");
    let at = |n: u32, age_days: f64| Remembered {
        id: id(n),
        kind: Kind::Csat,
        touchpoint: "checkout".into(),
        at: now - age_days * day,
    };
    remember(site, at(0, 91.0));
    assert!(recall(site, now).is_empty(), "older than 90 days");
    remember(site, at(1, 89.0));
    assert_eq!(recall(site, now).len(), 1, "within 90 days");
    for n in 2..=25 {
        remember(site, at(n, 1.0));
    }
    let ids: Vec<String> = recall(site, now).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, (6..=25).map(id).collect::<Vec<_>>(), "the newest 20");
    assert_eq!(ids.len(), domain::limits::MAX_FOLLOW_UP_IDS);
    forget(site, &id(25), now);
    assert!(!recall(site, now).iter().any(|r| r.id == id(25)));
    for n in 6..25 {
        forget(site, &id(n), now);
    }
    assert_eq!(storage.get_item(&widget::recall::key(site)).unwrap(), None);
}

/// The loader's `earshot('follow-up', {id})` (sent once the server says the case is due) asks
/// about a remembered answer once — its kind and touchpoint, the follow-up's words, regardless
/// of the throttle — and about nothing this browser does not remember.
#[wasm_bindgen_test]
async fn the_follow_up_command_asks_once_about_a_remembered_answer() {
    let site = "test-position"; // the site `boot_with` boots
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&widget::recall::key(site)).unwrap();
    boot_with(&[], "csat").await;
    mount::close();
    let id = "5b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";
    widget::recall::remember(
        site,
        widget::recall::Remembered {
            id: id.into(),
            kind: Kind::Stars,
            touchpoint: "delivery".into(),
            at: js_sys::Date::now(),
        },
    );
    let follow_up = |id: &str| {
        let arg = js_sys::Object::new();
        widget::js::set(&arg, "id", id);
        widget::command("follow-up", arg.into(), js_sys::Object::new().into());
    };
    follow_up("6b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f");
    settle().await;
    assert!(!mount::is_shown(), "not an answer this browser gave");
    follow_up(id);
    settle().await;
    assert_eq!(text_of("#es-question"), text::english().followed_up());
    assert!(find("[data-kind=stars]").is_some(), "the remembered kind");
    assert!(widget::recall::recall(site, js_sys::Date::now()).is_empty());
    mount::close();
    follow_up(id);
    settle().await;
    assert!(!mount::is_shown(), "asked once");
}
