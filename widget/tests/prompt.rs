//! The prompt in a real browser: rendering inside the open shadow root, picking, the
//! follow-up question, keyboard navigation and dismissal.

use domain::Kind;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit, ShadowRoot};
use widget::{mount, Runtime};

wasm_bindgen_test_configure!(run_in_browser);

fn runtime() -> Rc<Runtime> {
    // Port 9 (discard): nothing here may reach a network.
    Rc::new(Runtime::new("http://127.0.0.1:9", "test", "en"))
}

/// Lets Yew render after an event.
async fn settle() {
    gloo::timers::future::TimeoutFuture::new(20).await;
}

fn shadow() -> ShadowRoot {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.query_selector(mount::HOST_TAG).unwrap().expect("the host element is on the page");
    host.shadow_root().expect("an open shadow root")
}

fn find(css: &str) -> Option<Element> {
    shadow().query_selector(css).unwrap()
}

fn click(css: &str) {
    find(css).unwrap_or_else(|| panic!("{css}")).unchecked_into::<HtmlElement>().click();
}

fn checked() -> Vec<String> {
    let list = shadow().query_selector_all("[role=radio][aria-checked=true]").unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()?.get_attribute("data-score")).collect()
}

fn key(target_css: &str, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    find(target_css).unwrap().dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn csat_renders_a_radio_group_and_asks_a_follow_up() {
    mount::show(runtime(), "checkout".into(), Kind::Csat, BTreeMap::new());
    settle().await;
    let radios = shadow().query_selector_all("[role=radiogroup] [role=radio]").unwrap();
    assert_eq!(radios.length(), 5);
    assert!(find(".es-send").unwrap().has_attribute("disabled"), "nothing to send before a pick");
    assert!(find("textarea").is_none(), "the comment box waits for a score");

    click("[data-score='4']");
    settle().await;
    assert_eq!(checked(), vec!["4"]);
    assert!(!find(".es-send").unwrap().has_attribute("disabled"));
    assert_eq!(find(".es-label").unwrap().text_content().unwrap(), widget::text::FOLLOW_UP_POSITIVE);

    click("[data-score='2']");
    settle().await;
    assert_eq!(checked(), vec!["2"]);
    assert_eq!(find(".es-label").unwrap().text_content().unwrap(), widget::text::FOLLOW_UP_NEGATIVE);
    mount::close();
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_choice_and_escape_dismisses() {
    mount::show(runtime(), "support".into(), Kind::Nps, BTreeMap::new());
    settle().await;
    assert_eq!(shadow().query_selector_all("[role=radio]").unwrap().length(), 11);
    key("[role=radiogroup]", "ArrowRight");
    settle().await;
    assert_eq!(checked(), vec!["0"]);
    key("[role=radiogroup]", "ArrowRight");
    key("[role=radiogroup]", "ArrowRight");
    settle().await;
    assert_eq!(checked(), vec!["2"]);
    key("[role=radiogroup]", "ArrowLeft");
    settle().await;
    assert_eq!(checked(), vec!["1"]);

    key(".es-card", "Escape");
    settle().await;
    let doc = web_sys::window().unwrap().document().unwrap();
    assert!(doc.query_selector(mount::HOST_TAG).unwrap().is_none(), "Escape removes the prompt");
}
