//! A busy site spread over several Durable Objects answers exactly like a single one.

use crate::util::*;
use harness::http::request;
use serde_json::{json, Value};

/// The summary without what legitimately differs between two sites (name, arrival times).
fn comparable(mut s: Value) -> Value {
    s["site"] = json!("-");
    for c in s["recent_comments"].as_array_mut().unwrap() {
        c["received_at"] = json!("-");
    }
    s
}

#[test]
fn four_shards_and_one_give_identical_summaries() {
    let w = start("shards");
    let one = w.create_site("one", &[ORIGIN]);
    let four = w.create_site("four", &[ORIGIN]);
    let r = patch(
        &w,
        "four",
        &four,
        json!({"shards": 4, "rate_limit_per_minute": 10000}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        patch(&w, "one", &one, json!({"rate_limit_per_minute": 10000})).status,
        200
    );

    let kinds = ["csat", "nps", "ces", "stars", "thumbs"];
    for n in 0..60u32 {
        let kind = kinds[n as usize % 5];
        let scale_max = [5, 10, 7, 5, 1][n as usize % 5];
        let score = (n * 7 % (scale_max + 1)).max(if kind == "nps" || kind == "thumbs" {
            0
        } else {
            1
        });
        let comment = (n % 4 == 0).then(|| format!("comment {n}"));
        let touchpoint = ["checkout", "support", "onboarding"][n as usize % 3];
        let body = json!({"id": uuid(n), "touchpoint": touchpoint, "kind": kind, "score": score, "comment": comment});
        ingest_ok(&w, "one", &body.to_string());
        ingest_ok(&w, "four", &body.to_string());
        if n % 10 == 0 {
            // Replays land on the same shard and count once.
            let r = ingest(&w, "four", Some(ORIGIN), "text/plain", &body.to_string());
            assert_eq!(r.json()["duplicate"], true);
        }
    }
    let s1 = summary(&w, "one", &one, "").json();
    let s4 = summary(&w, "four", &four, "").json();
    assert_eq!(s4["responses"], 60);
    assert_eq!(comparable(s1.clone()), comparable(s4.clone()));
    for q in ["?kind=nps", "?touchpoint=support"] {
        assert_eq!(
            comparable(summary(&w, "one", &one, q).json()),
            comparable(summary(&w, "four", &four, q).json()),
            "{q}"
        );
    }

    // Export and erase see every shard.
    let ids = |site: &str, token: &str| exported_ids(&w, site, token);
    assert_eq!(ids("four", &four).len(), 60);
    assert_eq!(ids("one", &one), ids("four", &four));
    let auth = format!("Bearer {four}");
    for n in [1u32, 2, 3, 5, 8] {
        let r = request(
            "DELETE",
            &w.url(&format!("/v1/sites/four/responses/{}", uuid(n))),
            &[("authorization", &auth)],
            None,
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(summary(&w, "four", &four, "").json()["responses"], 55);
}
