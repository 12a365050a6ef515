//! The browser-level fault run: answers given in the widget while the endpoint is down are kept
//! in the outbox (`earshot:outbox:{site}:{id}`), the customer is told they are queued, and they
//! arrive exactly once after the worker comes back — by the widget's own retries on the same
//! page, and by the next page load after the customer left.

use crate::util::*;
use fantoccini::Locator;
use harness::browser::Browser;
use harness::local::LocalWorker;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The unacknowledged answers: one localStorage key per answer (`earshot:outbox:demo:{id}`).
const OUTBOX: &str = "return Object.keys(localStorage).filter(k => k.startsWith('earshot:outbox:demo:')).map(k => JSON.parse(localStorage.getItem(k)))";

async fn outbox(b: &Browser) -> Vec<Value> {
    let raw = b
        .client
        .execute(OUTBOX, vec![])
        .await
        .expect("read localStorage");
    raw.as_array().cloned().unwrap_or_default()
}

fn exported(w: &LocalWorker, token: &str) -> Vec<Value> {
    owner_get(w, "/v1/sites/demo/responses", token)
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Waits until the demo site has `n` stored answers.
fn wait_stored(w: &LocalWorker, token: &str, n: usize, limit: Duration) -> Vec<Value> {
    let deadline = Instant::now() + limit;
    loop {
        let records = exported(w, token);
        if records.len() >= n || Instant::now() > deadline {
            return records;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn answers_given_while_the_endpoint_is_down_arrive_exactly_once() {
    let dir = harness::fresh_dir("offline");
    let port = harness::free_port();
    let mut w = start_in(&dir, port);
    let origins = w.own_origins();
    let token = w.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let b = Browser::start(&dir.join("profile")).await;
    let c = &b.client;

    // 1. The page and the widget are loaded; then the endpoint goes away.
    c.goto(&w.url("/demo/")).await.expect("open the demo page");
    c.find(Locator::Css("#place-order"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.in_shadow("earshot-widget", "[role=radio][data-score='2']")
        .await;
    w.kill();
    b.answer(2, Some("sent while you were down")).await;
    assert!(
        !b.widget_text(".es-queued").await.trim().is_empty(),
        "the customer is told the answer is queued"
    );
    let waiting = outbox(&b).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let first_id = waiting[0]["id"].as_str().unwrap().to_string();

    // The worker returns on the same port: the widget's own retry delivers it.
    w = start_in(&dir, port);
    let records = wait_stored(&w, &token, 1, Duration::from_secs(45));
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(
        (records[0]["id"].as_str(), records[0]["comment"].as_str()),
        (Some(first_id.as_str()), Some("sent while you were down"))
    );
    b.in_shadow("earshot-widget", ".es-thanks").await;
    assert!(
        outbox(&b).await.is_empty(),
        "acknowledged answers leave the outbox"
    );

    // 2. Down again; the customer answers and leaves before it comes back.
    c.execute(
        "earshot('ask', {touchpoint: 'support-chat', kind: 'csat'})",
        vec![],
    )
    .await
    .unwrap();
    b.in_shadow("earshot-widget", "[role=radio][data-score='5']")
        .await;
    w.kill();
    b.answer(5, Some("left the page before it was sent")).await;
    b.in_shadow("earshot-widget", ".es-queued").await;
    let waiting = outbox(&b).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let second_id = waiting[0]["id"].as_str().unwrap().to_string();
    c.goto("about:blank").await.unwrap();
    w = start_in(&dir, port);
    assert_eq!(
        exported(&w, &token).len(),
        1,
        "nothing could arrive while the page was gone"
    );
    // The next page load sends what the outbox kept.
    c.goto(&w.url("/demo/")).await.unwrap();
    let records = wait_stored(&w, &token, 2, Duration::from_secs(30));
    let mut ids: Vec<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
    ids.sort();
    let mut want = vec![first_id.as_str(), second_id.as_str()];
    want.sort();
    assert_eq!(ids, want, "each answer stored exactly once");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !outbox(&b).await.is_empty() {
        assert!(Instant::now() < deadline, "the outbox was not emptied");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let s = summary(&w, "demo", &token, "").json();
    assert_eq!(
        (
            s["responses"].as_u64(),
            s["csat"]["distribution"]["2"].as_u64(),
            s["csat"]["distribution"]["5"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "{s}"
    );
    b.close().await;
}
