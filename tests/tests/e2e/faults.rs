//! No loss and no double count under faults: answers are sent with retries (same id until
//! acknowledged) while the worker is stopped and restarted on the same port and state; then
//! every acknowledged id is stored exactly once and the rollups equal a recount of the raw rows.
//! `cargo xtask soak` is the long version of this run.

use crate::util::*;
use harness::audit::audit;
use harness::load::{seed_from_clock, with_restarts, Faults, Plan};
use serde_json::json;
use std::time::Duration;

#[test]
fn acknowledged_answers_are_stored_exactly_once_across_restarts() {
    let dir = harness::fresh_dir("faults");
    let port = harness::free_port();
    let mut w = start_in(&dir, port);
    let token = w.create_site("shop", &[ORIGIN]);
    assert_eq!(
        patch(&w, "shop", &token, json!({"rate_limit_per_minute": 100000})).status,
        200
    );

    let seed = seed_from_clock();
    eprintln!("fault run seed {seed} (state in {})", dir.display());
    let plan = Plan {
        base: w.base.clone(),
        origin: ORIGIN.into(),
        sites: vec!["shop".into()],
        count: 300,
        threads: 4,
        seed,
        give_up_after: Duration::from_secs(90),
    };
    let faults = Faults {
        restarts: 2,
        downtime_ms: (200, 1200),
        seed,
    };
    let report =
        with_restarts(plan, &faults, &mut w, || start_in_checked(&dir, port)).expect("the run");
    let acked = report.acknowledged_ids().remove("shop").unwrap_or_default();
    let sent = report.sent_ids().remove("shop").unwrap_or_default();
    let a = audit(&w.base, "shop", &token, &acked, &sent).expect("audit");
    eprintln!(
        "fault run: sent {}, acknowledged {}, stored {}, duplicates {}, lost {} ({} attempts, {} transport errors, 5xx {:?}, {} replays acknowledged as duplicates, {} restarts, {:.1?})",
        report.sent.len(),
        report.acknowledged(),
        a.stored,
        a.duplicates,
        a.lost.len(),
        report.attempts,
        report.transport_errors,
        report.server_errors,
        report.replayed(),
        report.restarts,
        report.elapsed
    );
    assert_eq!(report.restarts, 2);
    assert_eq!(report.sent.len(), 300);
    assert!(
        report.not_acknowledged().is_empty(),
        "not acknowledged: {:?}",
        report.not_acknowledged()
    );
    assert!(
        report.transport_errors > 0,
        "the worker was down while answers were being sent"
    );
    assert_eq!((a.duplicates, a.lost.len()), (0, 0), "{a:?}");
    assert!(
        a.unexpected.is_empty(),
        "stored but never sent: {:?}",
        a.unexpected
    );
    assert_eq!(a.stored, 300);
    assert!(
        a.mismatches.is_empty(),
        "rollups differ from a recount of the raw rows: {:#?}",
        a.mismatches
    );
}

/// [`start_in`] that reports a failed start instead of panicking (the run retries it).
fn start_in_checked(
    dir: &std::path::Path,
    port: u16,
) -> std::io::Result<harness::local::LocalWorker> {
    let token = std::fs::read_to_string(dir.join("admin-token"))?;
    harness::local::LocalWorker::start(
        dir,
        port,
        &token,
        harness::local::Log::File(dir.join("wrangler.log")),
    )
}

/// Replays are routine (the widget's outbox and its page-hide beacon resend until an answer is
/// seen); an owner may change the shard count at any time. A replay must stay a duplicate.
#[test]
fn replays_after_the_shard_count_changes_are_still_duplicates() {
    let w = start("reshard");
    let token = w.create_site("shop", &[ORIGIN]);
    assert_eq!(
        patch(&w, "shop", &token, json!({"rate_limit_per_minute": 100000})).status,
        200
    );
    let body = |n: u32| {
        json!({"id": uuid(n), "touchpoint": "checkout", "kind": "nps", "score": n % 11}).to_string()
    };
    let mut sent = Vec::new();
    for (shards, new) in [(1, 0..30u32), (4, 30..60), (2, 60..90), (1, 90..100)] {
        assert_eq!(
            patch(&w, "shop", &token, json!({"shards": shards})).status,
            200
        );
        let replayed: Vec<(u32, u16)> = sent
            .iter()
            .map(|n| {
                (
                    *n,
                    ingest(&w, "shop", Some(ORIGIN), "text/plain", &body(*n)).status,
                )
            })
            .filter(|(_, s)| *s != 200)
            .collect();
        assert!(
            replayed.is_empty(),
            "with {shards} shard(s), replays of stored answers were stored again: {replayed:?}"
        );
        for n in new {
            ingest_ok(&w, "shop", &body(n));
            sent.push(n);
        }
    }
    let ids: Vec<String> = sent.iter().map(|n| uuid(*n)).collect();
    let a = audit(&w.base, "shop", &token, &ids, &ids).expect("audit");
    assert!(a.ok() && a.stored == ids.len(), "{a:?}");

    // Importing the site's own export after another change of the shard count adds nothing.
    assert_eq!(patch(&w, "shop", &token, json!({"shards": 3})).status, 200);
    let export = owner_get(&w, "/v1/sites/shop/responses?limit=5000", &token).body;
    let auth = format!("Bearer {token}");
    let r = harness::http::request(
        "POST",
        &w.url("/v1/sites/shop/import"),
        &[
            ("authorization", &auth),
            ("content-type", "application/x-ndjson"),
        ],
        Some(export.as_bytes()),
    )
    .expect("import");
    assert_eq!(
        (
            r.status,
            r.json()["imported"].as_u64(),
            r.json()["duplicates"].as_u64()
        ),
        (200, Some(0), Some(ids.len() as u64)),
        "{}",
        r.body
    );
    let a = audit(&w.base, "shop", &token, &ids, &ids).expect("audit");
    assert!(a.ok() && a.stored == ids.len(), "{a:?}");
}
