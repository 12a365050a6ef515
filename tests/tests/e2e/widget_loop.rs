//! The v1.1 widget in real Chromium against the real worker: displays counted as customers see,
//! close, answer and ignore prompts; and the whole loop — a negative answer with an opt-in
//! contact, the owner resolving its case, the follow-up on a later page load in the same
//! browser, and the recovery the summary measures.

use crate::util::*;
use crate::widget::{lab, Lab};
use harness::browser::{ENTER, ESCAPE, TAB};
use harness::http::request;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const FOLLOW_UP_WORDS: &str = "We followed up on your feedback — how do you feel now?";

/// The summary once `check` holds (displays travel on their own, after the prompt is drawn).
async fn summary_when(lab: &Lab, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = lab.summary();
        if check(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "{what}: {s}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn reach_of(v: &Value) -> (Value, Value, Value) {
    let r = &v["reach"];
    (
        r["shown"].clone(),
        r["answered"].clone(),
        r["dismissed"].clone(),
    )
}

async fn gone(lab: &Lab) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while lab.prompt_shown().await {
        assert!(Instant::now() < deadline, "the prompt should close");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn prompts_shown_answered_ignored_and_dismissed_give_the_reach() {
    let lab = lab("loop-displays").await;
    lab.open("/demo/lab/").await;
    // Answered.
    lab.click("#ask-nps").await;
    lab.answer(9, None).await;
    // Ignored: shown, and the customer leaves the page with it open.
    lab.click("#ask-ces").await;
    lab.widget("[role=radiogroup]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    lab.open("/demo/lab/").await;
    // Dismissed with Escape — and the page left at once: it is still counted.
    lab.click("#ask-csat").await;
    lab.widget("[role=radiogroup]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    lab.browser.press(&ESCAPE.to_string()).await;
    gone(&lab).await;
    lab.open("/demo/").await;

    let s = summary_when(&lab, "three shown", |s| s["reach"]["shown"] == 3).await;
    assert_eq!(reach_of(&s), (json!(3), json!(1), json!(1)), "{s}");
    assert_eq!(
        (&s["reach"]["response_rate"], &s["reach"]["dismiss_rate"]),
        (&json!(33.3), &json!(33.3))
    );
    let tp = &s["by_touchpoint"];
    assert_eq!(
        reach_of(&tp["lab-nps"]),
        (json!(1), json!(1), json!(0)),
        "{s}"
    );
    assert_eq!(
        reach_of(&tp["lab-ces"]),
        (json!(1), json!(0), json!(0)),
        "{s}"
    );
    assert_eq!(
        reach_of(&tp["lab-csat"]),
        (json!(1), json!(0), json!(1)),
        "{s}"
    );
    // The answer names its display (not its own id).
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    let answer: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    let display = answer["display_id"].as_str().expect("display_id");
    assert!(domain::display::validate_display_id(display).is_ok() && display != answer["id"]);
    lab.close().await;
}

fn set_status(lab: &Lab, id: &str, status: &str) {
    let auth = format!("Bearer {}", lab.token);
    let r = request(
        "PATCH",
        &lab.worker.url(&format!("/v1/sites/demo/cases/{id}")),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some(json!({ "status": status }).to_string().as_bytes()),
    )
    .expect("PATCH case");
    assert_eq!(r.status, 200, "{}", r.body);
}

fn cases(lab: &Lab, query: &str) -> Vec<Value> {
    let r = owner_get(
        &lab.worker,
        &format!("/v1/sites/demo/cases{query}"),
        &lab.token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["cases"].as_array().expect("cases").clone()
}

/// What the page's widget remembers of its negative answers.
async fn remembered(lab: &Lab) -> Value {
    lab.js("return JSON.parse(localStorage.getItem('earshot:cases:demo') || 'null')")
        .await
}

/// Reloads the lab page and gives the loader time to boot the widget at idle and ask the server.
async fn next_visit(lab: &Lab) {
    lab.open("/demo/lab/").await;
    tokio::time::sleep(Duration::from_millis(3000)).await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_negative_answer_with_a_contact_is_resolved_followed_up_and_recovered() {
    let lab = lab("loop-recovery").await;
    lab.open("/demo/lab/").await;
    lab.click("#ask-csat").await;
    lab.widget("[role=radio][data-score='1']")
        .await
        .click()
        .await
        .unwrap();
    let state = "const b = root.querySelector('#es-contact-opt'); const box = root.querySelector('#es-contact-box');
                 return [b.checked, b.getAttribute('aria-expanded'), box.hidden, (root.activeElement.dataset.score || root.activeElement.id)];";
    lab.widget("#es-contact-opt").await;
    assert_eq!(
        lab.browser.in_widget(state).await,
        json!([false, "false", true, "1"])
    );
    // Keyboard only from the scale: the comment, the opt-in (Space ticks it), the field, Send.
    lab.browser
        .press(&format!("{TAB}Parcel arrived broken{TAB} "))
        .await;
    assert_eq!(
        lab.browser.in_widget(state).await,
        json!([true, "true", false, "es-contact-opt"])
    );
    lab.browser
        .press(&format!("{TAB}ann@example.com{TAB}{ENTER}"))
        .await;
    lab.widget(".es-thanks").await;

    let open = cases(&lab, "");
    assert_eq!(open.len(), 1, "{open:?}");
    let case = open[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        (&open[0]["contact"], &open[0]["comment"]),
        (&json!("ann@example.com"), &json!("Parcel arrived broken"))
    );
    let memory = remembered(&lab).await;
    assert_eq!(memory.as_array().map(Vec::len), Some(1), "{memory}");
    let entry = memory[0].as_object().unwrap();
    assert_eq!(
        entry.keys().collect::<Vec<_>>(),
        ["at", "id", "kind", "touchpoint"],
        "ids only"
    );
    assert_eq!(
        (
            &memory[0]["id"],
            &memory[0]["kind"],
            &memory[0]["touchpoint"]
        ),
        (&json!(case), &json!("csat"), &json!("lab-csat"))
    );

    // Not resolved yet: the next visit asks nothing, and the answer stays remembered.
    next_visit(&lab).await;
    assert!(
        !lab.prompt_shown().await,
        "no follow-up before the case is resolved"
    );
    assert_eq!(remembered(&lab).await, memory);

    // The owner resolves the case; the next visit in this browser asks again, ignoring the
    // throttle (lab-csat was asked minutes ago), the same kind, in its own words.
    set_status(&lab, &case, "contacted");
    set_status(&lab, &case, "resolved");
    lab.open("/demo/lab/").await;
    assert_eq!(
        lab.browser.widget_text("#es-question").await,
        FOLLOW_UP_WORDS
    );
    let points = lab
        .browser
        .in_widget("return root.querySelectorAll('[role=radio]').length")
        .await;
    assert_eq!(points, 5, "CSAT again");
    lab.answer(5, None).await;
    assert_eq!(
        remembered(&lab).await,
        Value::Null,
        "forgotten once followed up"
    );

    let s = summary_when(&lab, "the follow-up", |s| s["recovery"]["followed_up"] == 1).await;
    let r = &s["recovery"];
    assert_eq!(
        (&r["followed_up"], &r["recovered"], &r["with_contact"]),
        (&json!(1), &json!(1), &json!(1)),
        "{s}"
    );
    assert_eq!(r["lift"], json!(4.0), "{s}");
    let all = cases(&lab, "?status=all");
    assert_eq!(all[0]["follow_up"]["score"], 5, "{all:?}");
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    assert!(
        export.contains(&format!("\"follow_up_of\":\"{case}\"")),
        "{export}"
    );
    assert!(
        !export.contains("ann@example.com"),
        "no contact in the export unless asked"
    );

    // Once only: a later visit asks nothing more.
    next_visit(&lab).await;
    assert!(!lab.prompt_shown().await, "the follow-up is asked once");
    lab.close().await;
}
