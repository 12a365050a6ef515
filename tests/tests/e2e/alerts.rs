//! Alerts: a negative answer reaches the owner's webhook, signed, redelivered after failures,
//! and still delivered after the worker restarts.

use crate::util::*;
use harness::receiver::Receiver;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::time::Duration;

fn signature_ok(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.strip_prefix("sha256=") else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let want: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    want == hex
}

#[test]
fn negative_answers_are_delivered_signed_and_redelivered() {
    let w = start("alerts");
    let receiver = Receiver::start(harness::free_port(), 1);
    let (_token, secret) = create_shop(&w, Some(&receiver.url()));
    assert!(secret.starts_with("whsec_"));

    ingest_ok(&w, "shop", &answer(&uuid(1), "csat", 5, Some("All good")));
    ingest_ok(
        &w,
        "shop",
        &answer(&uuid(2), "csat", 1, Some("Parcel arrived broken")),
    );

    let seen = receiver.wait_for_ok(1, Duration::from_secs(45));
    let ok: Vec<_> = seen.iter().filter(|d| d.status == 200).collect();
    assert_eq!(ok.len(), 1, "delivered once after the first 500: {seen:?}");
    assert!(
        seen.len() >= 2 && seen[0].status == 500,
        "the first attempt failed and was retried"
    );
    let d = ok[0];
    assert!(
        signature_ok(
            &secret,
            &d.body,
            d.header("x-earshot-signature").unwrap_or_default()
        ),
        "valid HMAC-SHA256 signature"
    );
    assert_eq!(seen[0].body, d.body, "the same payload is redelivered");
    let payload: Value = serde_json::from_slice(&d.body).unwrap();
    assert!(
        payload["text"]
            .as_str()
            .unwrap()
            .contains("Parcel arrived broken"),
        "Slack-compatible text: {payload}"
    );
    assert_eq!(payload["response"]["id"], uuid(2));
    assert_eq!(payload["response"]["score"], 1);
    // The positive answer raised no alert.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        receiver
            .deliveries()
            .iter()
            .filter(|d| d.status == 200)
            .count(),
        1
    );
}

#[test]
fn undelivered_alerts_survive_a_restart() {
    let dir = harness::fresh_dir("alerts-restart");
    let hook_port = harness::free_port();
    let mut w = start_in(&dir, harness::free_port());
    // Nothing listens on the hook port yet: every attempt fails.
    let (token, secret) = create_shop(&w, Some(&format!("http://127.0.0.1:{hook_port}/hook")));
    ingest_ok(
        &w,
        "shop",
        &answer(&uuid(7), "nps", 2, Some("Too expensive")),
    );
    std::thread::sleep(Duration::from_secs(1));
    w.stop();

    let receiver = Receiver::start(hook_port, 0);
    let w = start_in(&dir, harness::free_port());
    // Cloudflare keeps alarms across restarts; the local runtime does not, so the object
    // re-arms delivery when it is next used — here, by the owner reading the summary.
    assert_eq!(summary(&w, "shop", &token, "").json()["responses"], 1);
    let seen = receiver.wait_for_ok(1, Duration::from_secs(60));
    let ok: Vec<_> = seen.iter().filter(|d| d.status == 200).collect();
    assert_eq!(ok.len(), 1, "{seen:?}");
    assert!(signature_ok(
        &secret,
        &ok[0].body,
        ok[0].header("x-earshot-signature").unwrap_or_default()
    ));
    let payload: Value = serde_json::from_slice(&ok[0].body).unwrap();
    assert_eq!(payload["response"]["id"], uuid(7));
}
