//! The dashboard's views in a real browser, from a fixed summary: the cards show the JSON's
//! numbers, a comment is text (never HTML), negative comments are marked, and erasing asks
//! for a confirmation first.

use dashboard::components::cards::{Cards, CardsProps};
use dashboard::components::comments::{Comments, CommentsProps};
use dashboard::components::trend::{Trend, TrendProps};
use domain::wire::Summary;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn fixture() -> Rc<Summary> {
    Rc::new(serde_json::from_str(include_str!("summary.json")).unwrap())
}

fn root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets Yew render after a change.
async fn settle() {
    gloo::timers::future::TimeoutFuture::new(30).await;
}

fn text(root: &Element, css: &str) -> String {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("{css}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn cards_show_the_summary_numbers() {
    let root = root();
    yew::Renderer::<Cards>::with_root_and_props(root.clone(), CardsProps { summary: fixture() })
        .render();
    settle().await;
    let card = |kind: &str, css: &str| text(&root, &format!("[data-kind={kind}] {css}"));
    assert_eq!(card("csat", ".value"), "82.5");
    assert_eq!(
        (
            card("csat", ".ci-low"),
            card("csat", ".ci-high"),
            card("csat", ".n-value")
        ),
        ("68.0".into(), "91.3".into(), "40".into())
    );
    assert_eq!(card("nps", ".ci-low"), "-38.2");
    assert_eq!(card("ces", ".value"), "5.25");
    assert_eq!(card("thumbs", ".value"), "66.7");
    // Low sample: a visible warning on the cards that have few answers (not on CSAT's 40).
    assert!(root
        .query_selector("[data-kind=csat] .low-sample")
        .unwrap()
        .is_none());
    assert!(card("nps", ".low-sample").contains("fewer than 30"));
    // No answers: a dash and no interval.
    assert_eq!(card("stars", ".value"), "—");
    assert!(root
        .query_selector("[data-kind=stars] .ci-low")
        .unwrap()
        .is_none());
    // Nothing here relies on style attributes (they would break under `style-src 'self'`).
    assert!(root.query_selector("[style]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn comments_are_text_and_erasing_is_confirmed() {
    let root = root();
    let erased = Rc::new(RefCell::new(Vec::<String>::new()));
    let on_erase = {
        let erased = erased.clone();
        Callback::from(move |id: String| erased.borrow_mut().push(id))
    };
    let comments = fixture().recent_comments.clone();
    yew::Renderer::<Comments>::with_root_and_props(
        root.clone(),
        CommentsProps { comments, on_erase },
    )
    .render();
    settle().await;
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no element from a comment"
    );
    let first = root.query_selector(".comment").unwrap().unwrap();
    assert_eq!(text(&first, ".text"), "<img src=x onerror=alert(1)>");
    assert!(first.class_list().contains("negative"));
    assert_eq!(text(&first, ".badge"), "Negative");
    let second = root
        .query_selector(".comment:nth-child(2)")
        .unwrap()
        .unwrap();
    assert!(!second.class_list().contains("negative"));

    let click = |el: &Element, css: &str| {
        el.query_selector(css)
            .unwrap()
            .unwrap()
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click()
    };
    click(&first, ".erase");
    settle().await;
    assert!(
        erased.borrow().is_empty(),
        "nothing is erased before the confirmation"
    );
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(
        focused.text_content().unwrap_or_default(),
        "Cancel",
        "focus moves to the safe choice"
    );
    click(&first, ".confirm-erase");
    settle().await;
    assert_eq!(
        *erased.borrow(),
        vec!["00000001-0000-4000-8000-000000000000".to_string()]
    );
}

#[wasm_bindgen_test]
async fn the_trend_draws_a_bar_per_day_and_a_line() {
    let root = root();
    yew::Renderer::<Trend>::with_root_and_props(root.clone(), TrendProps { summary: fixture() })
        .render();
    settle().await;
    assert_eq!(root.query_selector_all("rect.bar").unwrap().length(), 3);
    // CSAT as a 7-day rolling average: the day without answers carries the week's value, so
    // the line runs unbroken over all three days.
    assert_eq!(root.query_selector_all("path.line").unwrap().length(), 1);
    assert!(text(&root, "desc").contains("52 answers"));
}
