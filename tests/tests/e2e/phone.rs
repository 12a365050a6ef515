//! The prompt on a phone (issue 19): every kind in English and Persian (mirrored) on 320 × 568
//! and 360 × 640 touch screens — no label spills out of its control, nothing scrolls sideways,
//! every target is at least 24 × 24 px (44 px tall for fingers), the scale reads in order and
//! its arrow keys follow it, the prompt covers at most half the screen, and with the comment
//! field focused and the viewport shrunk as by an on-screen keyboard, the field and Send show.

use crate::util::start_in;
use harness::browser::{Browser, LEFT, RIGHT};
use harness::fresh_dir;
use serde_json::Value;
use std::time::Duration;

const KINDS: [(&str, usize); 5] = [
    ("csat", 5),
    ("nps", 11),
    ("ces", 7),
    ("stars", 5),
    ("thumbs", 2),
];
/// (width, height): the smallest phones in use, and the most common Android size.
const PHONES: [(u32, u32); 2] = [(320, 568), (360, 640)];
/// About what an on-screen keyboard takes from the bottom of such a screen.
const KEYBOARD: u32 = 280;

/// Everything measured in one go, in CSS px (rectangles as `[left, top, right, bottom]`).
const MEASURE: &str = r#"
const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
const text = e => { const g = document.createRange(); g.selectNodeContents(e); return r(g); };
const fits = e => ({rect: r(e), text: text(e), sw: e.scrollWidth, cw: e.clientWidth, sh: e.scrollHeight, ch: e.clientHeight});
const card = root.querySelector('.es-card');
return {
  points: [...root.querySelectorAll('[role=radio]')].map(p => Object.assign(fits(p), {score: +p.dataset.score})),
  anchors: [...root.querySelectorAll('.es-anchors span')].map(fits),
  card: fits(card),
  close: r(root.querySelector('.es-close')),
  send: r(root.querySelector('.es-send')),
  page: [document.documentElement.scrollWidth, innerWidth, innerHeight],
  view: [visualViewport.offsetLeft, visualViewport.offsetTop, visualViewport.offsetLeft + visualViewport.width, visualViewport.offsetTop + visualViewport.height],
};
"#;

fn rect(v: &Value) -> [f64; 4] {
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    [n(0), n(1), n(2), n(3)]
}

fn size(v: &Value) -> (f64, f64) {
    let [l, t, r, b] = rect(v);
    (r - l, b - t)
}

/// `inner` lies within `outer` (half a pixel of rounding allowed).
fn within(inner: [f64; 4], outer: [f64; 4]) -> bool {
    inner[0] >= outer[0] - 0.5
        && inner[1] >= outer[1] - 0.5
        && inner[2] <= outer[2] + 0.5
        && inner[3] <= outer[3] + 0.5
}

/// A control whose content neither overflows it nor spills out of its box.
#[track_caller]
fn no_spill(what: &str, m: &Value) {
    assert!(
        m["sw"].as_f64() <= m["cw"].as_f64() && m["sh"].as_f64() <= m["ch"].as_f64(),
        "{what} overflows: {m}"
    );
    assert!(
        within(rect(&m["text"]), rect(&m["rect"])),
        "{what}'s label spills out: {m}"
    );
}

async fn lab(name: &str) -> (harness::local::LocalWorker, Browser) {
    let dir = fresh_dir(name);
    let worker = start_in(&dir, harness::free_port());
    let origins = worker.own_origins();
    worker.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let browser = Browser::start(&dir.join("profile")).await;
    (worker, browser)
}

#[tokio::test(flavor = "current_thread")]
async fn every_kind_fits_a_phone_in_both_directions() {
    let (worker, browser) = lab("phone").await;
    for (width, height) in PHONES {
        for (page, rtl) in [("/demo/lab/", false), ("/demo/lab/fa", true)] {
            browser.phone(width, height).await;
            browser
                .client
                .goto(&worker.url(page))
                .await
                .expect("open the lab");
            for (kind, points) in KINDS {
                let at = format!("{kind} at {width}×{height}, rtl {rtl}");
                ask(&browser, kind).await;
                check_layout(&browser, &at, points, rtl, height).await;
                if kind == "nps" {
                    check_arrows(&browser, &at, rtl).await;
                }
                check_keyboard(&browser, &at, width, height).await;
            }
        }
    }
    // A page wider than the phone (the demo shop's header is): the layout viewport that
    // `position: fixed` follows is wider than the screen, and the prompt must still be on it.
    let (width, height) = PHONES[1];
    browser.phone(width, height).await;
    browser
        .client
        .goto(&worker.url("/demo/"))
        .await
        .expect("open the shop");
    ask(&browser, "nps").await;
    let m = browser.in_widget(MEASURE).await;
    let view = rect(&m["view"]);
    assert!(
        within(rect(&m["card"]["rect"]), view),
        "on a wide page the card is off the screen: {m}"
    );
    browser.close().await;
}

/// The layout checks for every widget language (each file in `widget/i18n/`) on the smallest
/// phone: long anchors and questions wrap inside the card.
#[tokio::test(flavor = "current_thread")]
async fn every_language_fits_the_smallest_phone() {
    let (worker, browser) = lab("phone-languages").await;
    let (width, height) = PHONES[0];
    browser.phone(width, height).await;
    let i18n = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../widget/i18n");
    let mut langs: Vec<String> = std::fs::read_dir(&i18n)
        .expect("widget/i18n")
        .filter_map(|e| {
            Some(
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".json")?
                    .to_string(),
            )
        })
        .collect();
    langs.sort();
    assert!(langs.len() >= 12, "{langs:?}");
    let english: Value =
        serde_json::from_str(&std::fs::read_to_string(i18n.join("en.json")).expect("en.json"))
            .expect("en.json is JSON");
    for lang in langs {
        let rtl = widget_text_is_rtl(&lang);
        browser
            .client
            .goto(&worker.url("/demo/lab/"))
            .await
            .expect("open the lab");
        // The widget reads the page's language at its first ask.
        let set = format!("document.documentElement.lang = '{lang}';");
        browser.client.execute(&set, vec![]).await.expect("lang");
        for (kind, points) in KINDS {
            ask(&browser, kind).await;
            let dir = browser
                .in_widget("return root.querySelector('.es-root').dir;")
                .await;
            assert_eq!(dir, if rtl { "rtl" } else { "ltr" }, "{lang}");
            let question = browser.widget_text("#es-question").await;
            assert!(
                (question == english[kind][0]) == (lang == "en"),
                "{lang}: the question is {question}"
            );
            let at = format!("{kind} in {lang} at {width}×{height}");
            check_layout(&browser, &at, points, rtl, height).await;
        }
    }
    browser.close().await;
}

fn widget_text_is_rtl(lang: &str) -> bool {
    matches!(lang, "ar" | "fa" | "he")
}

async fn ask(browser: &Browser, kind: &str) {
    let js =
        format!("earshot('ask', {{touchpoint: 'phone-{kind}', kind: '{kind}', force: true}});");
    browser.client.execute(&js, vec![]).await.expect("ask");
    browser
        .in_shadow(
            "earshot-widget",
            &format!("[data-kind={kind}] [role=radio]"),
        )
        .await;
    // The card slides in (a transform, which bounding boxes include): let it land.
    tokio::time::sleep(Duration::from_millis(400)).await;
}

async fn check_layout(browser: &Browser, at: &str, points: usize, rtl: bool, height: u32) {
    let m = browser.in_widget(MEASURE).await;
    let pts = m["points"].as_array().expect("points");
    assert_eq!(pts.len(), points, "{at}: {m}");
    let [page_width, inner_width, _] = [0, 1, 2].map(|i| m["page"][i].as_f64().unwrap());
    assert!(
        page_width <= inner_width,
        "{at}: the page scrolls sideways: {m}"
    );
    let card = rect(&m["card"]["rect"]);
    assert!(
        within(card, rect(&m["view"])),
        "{at}: the card leaves the screen: {card:?} {}",
        m["view"]
    );
    // The card may scroll up and down (it is at most half the screen), never sideways.
    let c = &m["card"];
    let [text_left, _, text_right, _] = rect(&c["text"]);
    assert!(
        c["sw"].as_f64() <= c["cw"].as_f64() && text_left >= card[0] && text_right <= card[2],
        "{at}: the card scrolls sideways: {c}"
    );
    assert!(
        card[3] - card[1] <= f64::from(height) / 2.0 + 1.0,
        "{at}: the prompt covers more than half the screen: {card:?}"
    );
    for p in pts {
        let what = format!("{at}: point {}", p["score"]);
        no_spill(&what, p);
        let (w, h) = size(&p["rect"]);
        assert!(
            w >= 24.0 && h >= 44.0,
            "{what} is {w}×{h}: too small a target"
        );
        assert!(within(rect(&p["rect"]), card), "{what} is outside the card");
    }
    for a in m["anchors"].as_array().expect("anchors") {
        no_spill(&format!("{at}: anchor"), a);
        assert!(within(rect(&a["rect"]), card), "{at}: anchor outside: {a}");
    }
    for (what, r) in [("close", &m["close"]), ("send", &m["send"])] {
        let (w, h) = size(r);
        assert!(w >= 24.0 && h >= 24.0, "{at}: {what} is {w}×{h}");
    }
    // Reading order: each next point further along its row (mirrored in RTL) or on a later row.
    let mut rows = 1;
    for pair in pts.windows(2) {
        let ([l0, t0, ..], [l1, t1, ..]) = (rect(&pair[0]["rect"]), rect(&pair[1]["rect"]));
        let (a, b) = (&pair[0]["score"], &pair[1]["score"]);
        if (t1 - t0).abs() < 1.0 {
            assert!((l1 > l0) != rtl, "{at}: {a} then {b} read out of order");
        } else {
            assert!(t1 > t0, "{at}: {b} on a row above {a}");
            rows += 1;
        }
    }
    let want = if points == 11 { 2 } else { 1 };
    assert_eq!(rows, want, "{at}: rows of the scale");
}

/// In two rows, the arrow pointing along the reading direction still moves to the next score.
async fn check_arrows(browser: &Browser, at: &str, rtl: bool) {
    browser
        .in_shadow("earshot-widget", "[role=radio][data-score='5']")
        .await
        .click()
        .await
        .expect("pick 5");
    tokio::time::sleep(Duration::from_millis(200)).await;
    browser
        .press(&(if rtl { LEFT } else { RIGHT }).to_string())
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let checked = browser
        .in_widget("return root.querySelector('[aria-checked=true]').dataset.score;")
        .await;
    assert_eq!(checked, "6", "{at}: the forward arrow from 5");
}

/// Picks a score, focuses the comment field, shrinks the viewport by a keyboard's height: the
/// field and Send must lie inside what is left of the screen.
async fn check_keyboard(browser: &Browser, at: &str, width: u32, height: u32) {
    browser
        .in_shadow("earshot-widget", "[role=radio][data-score='1']")
        .await
        .click()
        .await
        .expect("pick a score");
    browser.in_shadow("earshot-widget", "textarea").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let card = browser
        .in_widget(
            "const b = root.querySelector('.es-card').getBoundingClientRect(); return b.height;",
        )
        .await;
    assert!(
        card.as_f64().unwrap() <= f64::from(height) / 2.0 + 1.0,
        "{at}: with the comment field, the prompt covers more than half the screen: {card}"
    );
    browser
        .in_shadow("earshot-widget", "textarea")
        .await
        .click()
        .await
        .expect("focus the comment");
    browser.phone(width, height - KEYBOARD).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let m = browser
        .in_widget(
            "const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
             const v = visualViewport;
             return {field: r(root.querySelector('textarea')), send: r(root.querySelector('.es-send')),
                     focused: root.activeElement && root.activeElement.tagName,
                     view: [v.offsetLeft, v.offsetTop, v.offsetLeft + v.width, v.offsetTop + v.height]};",
        )
        .await;
    assert_eq!(m["focused"], "TEXTAREA", "{at}: the field kept focus");
    let view = rect(&m["view"]);
    assert!(
        view[3] - view[1] <= f64::from(height - KEYBOARD) + 0.5,
        "{at}: the viewport did not shrink: {m}"
    );
    for what in ["field", "send"] {
        assert!(
            within(rect(&m[what]), view),
            "{at}: the {what} is hidden with the keyboard up: {m}"
        );
    }
    browser.phone(width, height).await;

    // A pinch zoom shrinks the visual viewport alone (as a keyboard does on Android, where the
    // layout viewport that `position: fixed` follows stays as it was): the card must follow.
    let zoom = |f: f64| serde_json::json!({"pageScaleFactor": f});
    browser.cdp("Emulation.setPageScaleFactor", zoom(2.0)).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let m = browser
        .in_widget(
            "const r = e => { const b = e.getBoundingClientRect(); return [b.top, b.bottom]; };
             const v = visualViewport;
             return {field: r(root.querySelector('textarea')), send: r(root.querySelector('.es-send')),
                     view: [v.offsetTop, v.offsetTop + v.height], layout: innerHeight};",
        )
        .await;
    browser.cdp("Emulation.setPageScaleFactor", zoom(1.0)).await;
    let [top, bottom] = [0, 1].map(|i| m["view"][i].as_f64().unwrap());
    assert!(
        bottom - top < f64::from(height) * 0.6,
        "{at}: the zoom did not shrink the visual viewport: {m}"
    );
    for what in ["field", "send"] {
        let [t, b] = [0, 1].map(|i| m[what][i].as_f64().unwrap());
        assert!(
            t >= top - 0.5 && b <= bottom + 0.5,
            "{at}: zoomed in, the {what} is out of sight: {m}"
        );
    }
}
