//! Ready before it is asked: the loader prefetches the widget at idle only on a page that may
//! ask, and never with `data-prefetch="none"` or Save-Data (requests counted in real Chromium).

use crate::util::*;
use harness::browser::Browser;
use harness::fresh_dir;
use serde_json::Value;
use std::time::Duration;

/// How many of the widget's module files (glue `.js` and `.wasm` under `/widget/`) the page
/// has requested.
const MODULE_FETCHES: &str = "return performance.getEntriesByType('resource').filter(e => /\\/widget\\/[^/]+\\.(js|wasm)$/.test(e.name)).length";

async fn fetches_after_idle(browser: &Browser, url: &str) -> u64 {
    browser.client.goto(url).await.expect("open page");
    // Past the loader's idle callback and the config fetch; a prefetch starts right then.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let n: Value = browser
        .client
        .execute(MODULE_FETCHES, vec![])
        .await
        .expect("count");
    n.as_u64().unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "current_thread")]
async fn prefetch_only_where_the_page_may_ask_and_never_with_none_or_save_data() {
    let dir = fresh_dir("prefetch");
    let worker = start_in(&dir, harness::free_port());
    let origins = worker.own_origins();
    worker.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    // Site `ruled` has a page rule for this page (its delay is long, so what is counted is the
    // prefetch, not the ask). Set before any page load: browsers cache the config for a minute.
    let ruled = worker.create_site(
        "ruled",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let rule = serde_json::json!({"prompts": {"lab-rule": {"kind": "csat", "page_prefix": "/demo/lab/prefetch", "delay_ms": 600000}}});
    assert_eq!(patch(&worker, "ruled", &ruled, rule).status, 200);
    let browser = Browser::start(&dir.join("profile")).await;
    let page = |q: &str| worker.url(&format!("/demo/lab/prefetch{q}"));

    assert_eq!(
        fetches_after_idle(&browser, &page("")).await,
        0,
        "nothing on this page may ask"
    );
    assert_eq!(
        fetches_after_idle(&browser, &page("?ask=1")).await,
        2,
        "an ask element: glue and wasm at idle"
    );
    // Readied off the page (`warm`): nothing shown, no display counted.
    let left: Value = browser
        .client
        .execute(
            "return [!!document.querySelector('earshot-widget'), performance.getEntriesByType('resource').filter(e => /\\/displays$/.test(e.name)).length]",
            vec![],
        )
        .await
        .expect("look");
    assert_eq!(
        left,
        serde_json::json!([false, 0]),
        "the warm-up left nothing"
    );
    assert_eq!(
        fetches_after_idle(&browser, &page("?ask=1&prefetch=none")).await,
        0,
        "data-prefetch=none"
    );
    assert_eq!(
        fetches_after_idle(&browser, &page("?ask=1&savedata=1")).await,
        0,
        "Save-Data"
    );
    assert_eq!(
        fetches_after_idle(&browser, &page("?site=ruled")).await,
        2,
        "a page rule for this page"
    );
    assert_eq!(
        fetches_after_idle(&browser, &page("?site=ruled&prefetch=none")).await,
        0
    );

    // Without prefetch the widget still loads on the click, and the prompt shows.
    browser
        .client
        .goto(&page("?ask=1&prefetch=none"))
        .await
        .unwrap();
    browser
        .client
        .find(fantoccini::Locator::Css("#ask"))
        .await
        .expect("ask button")
        .click()
        .await
        .unwrap();
    browser.in_shadow("earshot-widget", "[role=radio]").await;
    browser.close().await;
}

/// A page rule whose ask the throttle will refuse downloads nothing: the widget records until
/// when each touchpoint is throttled, and the loader compares only that time.
#[tokio::test(flavor = "current_thread")]
async fn a_page_rule_the_throttle_refuses_loads_nothing() {
    let dir = fresh_dir("prefetch-throttled");
    let worker = start_in(&dir, harness::free_port());
    let origins = worker.own_origins();
    let token = worker.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    // Asks at once on this page; the default throttle is 30 days.
    let rule = serde_json::json!({"prompts": {"lab-rule": {"kind": "csat", "page_prefix": "/demo/lab/prefetch", "delay_ms": 0}}});
    assert_eq!(patch(&worker, "demo", &token, rule).status, 200);
    let browser = Browser::start(&dir.join("profile")).await;
    let page = worker.url("/demo/lab/prefetch");

    browser.client.goto(&page).await.expect("open page");
    browser.in_shadow("earshot-widget", "[role=radio]").await;
    let until: Value = browser
        .client
        .execute(
            "return JSON.parse(localStorage.getItem('earshot:until:demo'))['lab-rule'] - Date.now()",
            vec![],
        )
        .await
        .expect("read the record");
    let days = until.as_f64().unwrap_or_default() / 86_400_000.0;
    assert!((29.9..=30.0).contains(&days), "throttled for {days} days");

    // The next visit: the rule matches, the throttle refuses, nothing is downloaded or shown.
    assert_eq!(
        fetches_after_idle(&browser, &page).await,
        0,
        "throttled rule"
    );
    let shown: Value = browser
        .client
        .execute("return !!document.querySelector('earshot-widget')", vec![])
        .await
        .unwrap();
    assert_eq!(shown, Value::Bool(false));

    // Once the recorded time has passed, the same rule asks again.
    browser
        .client
        .execute(
            "localStorage.setItem('earshot:until:demo', JSON.stringify({'lab-rule': Date.now() - 1}))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        fetches_after_idle(&browser, &page).await,
        2,
        "no longer throttled"
    );
    browser.close().await;
}
