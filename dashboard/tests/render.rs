//! The dashboard's views in a real browser, from a fixed summary: the cards show the JSON's
//! numbers, a comment is text (never HTML), negative comments are marked, and erasing asks
//! for a confirmation first.

use dashboard::components::cards::{Cards, CardsProps};
use dashboard::components::cases::{CaseItem, CaseProps};
use dashboard::components::comments::{Comments, CommentsProps};
use dashboard::components::trend::ReachTrend;
use dashboard::components::trend::{Trend, TrendProps};
use domain::wire::{CasePatch, CaseView, Summary};
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
    // The response rate is a card too.
    assert_eq!(card("reach", ".value"), "43.3");
    assert_eq!(card("reach", ".n-value"), "120");
    // Each card says how it changed: significant ones are marked, the rest say so plainly.
    assert!(root
        .query_selector("[data-kind=csat] .change.significant .marker")
        .unwrap()
        .is_some());
    assert!(card("csat", ".change").ends_with(", significant"));
    assert!(card("ces", ".change").ends_with("not significant"));
    assert!(root
        .query_selector("[data-kind=ces] .change .marker")
        .unwrap()
        .is_none());
    assert!(card("nps", ".change").ends_with("no data to compare"));
    // Nothing here relies on style attributes (they would break under `style-src 'self'`).
    assert!(root.query_selector("[style]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_reach_trend_draws_shown_and_answered_per_day() {
    let root = root();
    yew::Renderer::<ReachTrend>::with_root_and_props(
        root.clone(),
        TrendProps { summary: fixture() },
    )
    .render();
    settle().await;
    assert_eq!(
        root.query_selector_all("rect.bar-shown").unwrap().length(),
        3
    );
    assert_eq!(
        root.query_selector_all("rect.bar-answered")
            .unwrap()
            .length(),
        3
    );
    assert!(text(&root, "desc").contains("120 prompts shown"));
}

#[wasm_bindgen_test]
async fn a_case_shows_its_contact_and_saves_a_status_with_a_note() {
    let root = root();
    let saved = Rc::new(RefCell::new(Vec::<(String, CasePatch)>::new()));
    let on_save = {
        let saved = saved.clone();
        Callback::from(move |x: (String, CasePatch)| saved.borrow_mut().push(x))
    };
    let case: CaseView = serde_json::from_value(serde_json::json!({
        "id": "0000000a-0000-4000-8000-000000000000",
        "received_at": "2026-11-28T08:00:00.000Z", "touchpoint": "checkout", "kind": "csat",
        "score": 1, "comment": "<b>late</b>", "contact": "ana@example.com", "status": "open",
        "history": [{"status": "open", "at": "2026-11-28T08:00:00.000Z"}]
    }))
    .unwrap();
    let now = domain::calendar::parse_rfc3339_ms("2026-12-01T08:00:00Z").unwrap();
    yew::Renderer::<CaseItem>::with_root_and_props(
        root.clone(),
        CaseProps {
            case,
            now_ms: now,
            sla_hours: 48,
            on_save,
        },
    )
    .render();
    settle().await;
    assert_eq!(text(&root, ".contact-value"), "ana@example.com");
    assert_eq!(text(&root, ".text"), "<b>late</b>");
    assert!(root.query_selector("b").unwrap().is_none());
    assert!(root.query_selector(".case.past-sla").unwrap().is_some());
    assert_eq!(text(&root, ".sla"), "Past SLA by 24 h");
    // Every control is labelled.
    for css in [".case-status", ".case-note"] {
        let id = root.query_selector(css).unwrap().unwrap().id();
        assert!(root
            .query_selector(&format!("label[for='{id}']"))
            .unwrap()
            .is_some());
    }
    let select: web_sys::HtmlSelectElement = root
        .query_selector(".case-status")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("resolved");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let note: web_sys::HtmlTextAreaElement = root
        .query_selector(".case-note")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    note.set_value("  Refunded.  ");
    note.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
    root.query_selector(".save-case")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(
        *saved.borrow(),
        vec![(
            "0000000a-0000-4000-8000-000000000000".to_string(),
            CasePatch {
                status: "resolved".into(),
                note: Some("Refunded.".into())
            }
        )]
    );
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

#[wasm_bindgen_test]
async fn a_theme_opens_the_comments_that_contain_it() {
    use dashboard::components::themes::{Themes, ThemesProps};
    let root = root();
    let s = fixture();
    yew::Renderer::<Themes>::with_root_and_props(
        root.clone(),
        ThemesProps {
            themes: s.themes.clone(),
            comments: s.recent_comments.clone(),
        },
    )
    .render();
    settle().await;
    assert_eq!(
        root.query_selector_all("tr[data-term]").unwrap().length(),
        2
    );
    assert_eq!(text(&root, "tr[data-term=img] td"), "4");
    assert!(root.query_selector(".theme-matches").unwrap().is_none());
    root.query_selector("tr[data-term=img] .theme-term")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    let shown = root
        .query_selector_all(".theme-matches .comment")
        .unwrap()
        .length();
    assert!(shown >= 1);
    assert!(text(&root, ".theme-matches").to_lowercase().contains("img"));
    assert_eq!(
        root.query_selector("tr[data-term=img] .theme-term")
            .unwrap()
            .unwrap()
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
}
