//! The demo shop as a customer uses it: each interaction moment asks at the right time, and
//! every answer shows up in the owner's summary.

use crate::util::*;
use fantoccini::Locator;
use harness::browser::Browser;
use serde_json::Value;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "current_thread")]
async fn each_demo_interaction_is_counted() {
    let dir = harness::fresh_dir("demo");
    let worker = start_in(&dir, harness::free_port());
    let token = harness::demo::create(&worker).expect("demo site");
    let browser = Browser::start(&dir.join("profile")).await;
    let c = &browser.client;
    let counts = || summary(&worker, "demo", &token, "").json();
    let click = |css: &'static str| async move {
        c.find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css}"))
            .click()
            .await
            .unwrap()
    };
    let answer = |score: u8, comment: Option<&'static str>| {
        let browser = &browser;
        async move {
            browser.answer(score, comment).await;
            browser.in_shadow("earshot-widget", ".es-thanks").await;
        }
    };

    // Checkout → CSAT.
    c.goto(&worker.url("/demo/")).await.unwrap();
    click("#place-order").await;
    answer(5, None).await;
    let s = counts();
    assert_eq!(
        (s["responses"].as_u64(), s["csat"]["n"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );

    // Support chat ends → CES with a comment.
    c.goto(&worker.url("/demo/support")).await.unwrap();
    click("#end-chat").await;
    answer(6, Some("Quick replacement, well done")).await;
    let s = counts();
    assert_eq!(
        (s["responses"].as_u64(), s["ces"]["n"].as_u64()),
        (Some(2), Some(1)),
        "{s}"
    );
    assert_eq!(s["by_touchpoint"]["support-chat"]["ces"]["mean"], 6.0);
    assert_eq!(
        s["recent_comments"][0]["comment"],
        "Quick replacement, well done"
    );

    // Onboarding step done → thumbs, declaratively.
    c.goto(&worker.url("/demo/onboarding")).await.unwrap();
    click(".steps li:first-child button").await;
    answer(1, None).await;
    let s = counts();
    assert_eq!(
        (s["responses"].as_u64(), s["thumbs"]["up"].as_u64()),
        (Some(3), Some(1)),
        "{s}"
    );

    // Account page → NPS by the site's page rule, after its delay, with no page code.
    c.goto(&worker.url("/demo/account")).await.unwrap();
    let start = Instant::now();
    browser
        .in_shadow("earshot-widget", "[role=radiogroup]")
        .await;
    assert!(
        start.elapsed() >= Duration::from_millis(2000),
        "asked after the configured delay, not at once"
    );
    answer(9, None).await;
    let s = counts();
    assert_eq!(
        (s["responses"].as_u64(), s["nps"]["promoters"].as_u64()),
        (Some(4), Some(1)),
        "{s}"
    );

    // The language switcher: Persian mirrors the page and the widget.
    c.execute("localStorage.removeItem('earshot:asked:demo')", vec![])
        .await
        .unwrap();
    c.goto(&worker.url("/demo/?lang=fa")).await.unwrap();
    let dir: Value = c
        .execute("return document.documentElement.dir", vec![])
        .await
        .unwrap();
    assert_eq!(dir, "rtl");
    click("#place-order").await;
    let q = browser.widget_text("#es-question").await;
    assert_eq!(q, "چقدر راضی هستید؟");
    let root_dir = browser
        .in_widget("return root.querySelector('.es-root').getAttribute('dir')")
        .await;
    assert_eq!(root_dir, "rtl");
    answer(4, None).await;
    assert_eq!(counts()["csat"]["n"], 2);
    let log: Value = c.execute("return Array.from(document.querySelectorAll('#earshot-log li')).map(li => li.textContent)", vec![]).await.unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("submitted")),
        "{log}"
    );
    browser.close().await;
}
