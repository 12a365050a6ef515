//! Concurrency: many clients at once, to one site and to many sites (one of them spread over
//! shards), and the same id raced from several clients — every answer is counted exactly once
//! and the rollups equal a recount of the raw rows (no lost update).

use crate::util::*;
use harness::audit::audit;
use harness::load::{Fate, Load, Plan, Report};
use harness::local::LocalWorker;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};
use std::time::Duration;

fn run(w: &LocalWorker, sites: &[String], count: u64, seed: u64) -> Report {
    let plan = Plan {
        base: w.base.clone(),
        origin: ORIGIN.into(),
        sites: sites.to_vec(),
        count,
        threads: 8,
        seed,
        give_up_after: Duration::from_secs(60),
    };
    let report = Load::start(plan).finish();
    eprintln!(
        "{count} answers to {} site(s) from 8 clients: {} attempts in {:.1?}",
        sites.len(),
        report.attempts,
        report.elapsed
    );
    // Nothing failed: no faults were injected.
    let not_created: Vec<_> = report
        .sent
        .iter()
        .filter(|s| s.fate != Fate::Created)
        .collect();
    assert!(not_created.is_empty(), "{not_created:?}");
    assert_eq!((report.transport_errors, report.rate_limited), (0, 0));
    assert!(
        report.server_errors.is_empty(),
        "{:?}",
        report.server_errors
    );
    report
}

fn check(w: &LocalWorker, tokens: &BTreeMap<String, String>, report: &Report, extra: &[String]) {
    let acked = report.acknowledged_ids();
    for (site, token) in tokens {
        let mut ids = acked.get(site).cloned().unwrap_or_default();
        if site == "solo" {
            ids.extend_from_slice(extra);
        }
        let a = audit(&w.base, site, token, &ids, &ids).expect("audit");
        assert!(a.ok(), "{site}: {a:?}");
        assert_eq!(a.stored, ids.len(), "{site}");
    }
}

#[test]
fn concurrent_answers_are_counted_exactly_once() {
    let w = start("concurrency");
    let mut tokens = BTreeMap::new();
    for k in 0..20 {
        let site = format!("many-{k:02}");
        let token = w.create_site(&site, &[ORIGIN]);
        let settings = if k == 0 {
            json!({"rate_limit_per_minute": 100000, "shards": 4})
        } else {
            json!({"rate_limit_per_minute": 100000})
        };
        assert_eq!(patch(&w, &site, &token, settings).status, 200);
        tokens.insert(site, token);
    }
    let solo = w.create_site("solo", &[ORIGIN]);
    assert_eq!(
        patch(&w, "solo", &solo, json!({"rate_limit_per_minute": 100000})).status,
        200
    );

    // One site, eight clients.
    let one = run(&w, &["solo".to_string()], 400, 1);
    // Twenty sites (the first spread over four shards), eight clients.
    let many = run(&w, &tokens.keys().cloned().collect::<Vec<_>>(), 400, 2);
    assert_eq!(many.acknowledged_ids().len(), 20);

    // The same id from eight clients at the same moment: stored once, seven replays.
    let mut raced = Vec::new();
    for k in 0..10u32 {
        let id = uuid(700_000 + k);
        let body = json!({"id": id, "touchpoint": "race", "kind": "nps", "score": k % 11, "comment": "raced"}).to_string();
        let gate = Arc::new(Barrier::new(8));
        let statuses: Vec<u16> = (0..8)
            .map(|_| {
                let (gate, url, body) = (
                    gate.clone(),
                    w.url("/v1/sites/solo/responses"),
                    body.clone(),
                );
                std::thread::spawn(move || {
                    gate.wait();
                    harness::http::post(
                        &url,
                        &[("origin", ORIGIN), ("content-type", "text/plain")],
                        &body,
                    )
                    .status
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let created = statuses.iter().filter(|s| **s == 201).count();
        let replayed = statuses.iter().filter(|s| **s == 200).count();
        assert_eq!((created, replayed), (1, 7), "{statuses:?}");
        raced.push(id);
    }

    tokens.insert("solo".into(), solo);
    let mut all = one.clone();
    all.sent.extend(many.sent.clone());
    check(&w, &tokens, &all, &raced);
}
