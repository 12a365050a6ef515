//! The whole path in a real browser: the demo shop page (script tag as a site owner pastes
//! it) → the Yew widget in its shadow root → the real worker → the JSON summary.

use fantoccini::Locator;
use harness::browser::Browser;
use harness::fresh_dir;
use harness::http::get;
use std::time::Duration;

#[tokio::test(flavor = "current_thread")]
async fn checkout_answer_reaches_the_summary_exactly_once() {
    let dir = fresh_dir("browser");
    let worker = crate::util::start_in(&dir, harness::free_port());
    let origins = worker.own_origins();
    let token = worker.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let browser = Browser::start(&dir.join("profile")).await;
    let c = &browser.client;

    c.goto(&worker.url("/demo/"))
        .await
        .expect("open the demo page");
    c.find(Locator::Css("#place-order"))
        .await
        .expect("the Place order button")
        .click()
        .await
        .unwrap();
    browser
        .answer(4, Some("Lovely beans, quick checkout"))
        .await;
    assert!(browser
        .widget_text(".es-thanks")
        .await
        .contains("Thank you"));

    let auth = format!("Bearer {token}");
    let s = get(
        &worker.url("/v1/sites/demo/summary"),
        &[("authorization", &auth)],
    )
    .json();
    assert_eq!(s["responses"], 1, "{s}");
    assert_eq!(s["csat"]["n"], 1);
    assert_eq!(s["csat"]["distribution"]["4"], 1);
    assert_eq!(
        s["recent_comments"][0]["comment"],
        "Lovely beans, quick checkout"
    );
    assert_eq!(s["by_touchpoint"]["checkout"]["csat"]["score"], 100.0);

    // The outbox is empty once acknowledged: a reload sends nothing again.
    let left: serde_json::Value = c
        .execute(
            "return Object.keys(localStorage).filter(k => k.startsWith('earshot:outbox:'))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(left, serde_json::json!([]), "outbox should be empty");
    c.refresh().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let again = get(
        &worker.url("/v1/sites/demo/summary"),
        &[("authorization", &auth)],
    )
    .json();
    assert_eq!(again["responses"], 1, "counted exactly once");
    browser.close().await;
}
