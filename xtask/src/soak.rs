//! `cargo xtask soak`: the long fault run. Sends many answers with retries (same id until
//! acknowledged) while the worker is killed or stopped and restarted on the same port and state,
//! then checks that every acknowledged answer is stored exactly once and that the rollups equal
//! a recount of the raw rows. The short version runs in `cargo xtask test` (e2e `faults`).
//!
//! Prints sent, acknowledged, stored, duplicates and lost; fails unless duplicates and lost are
//! both 0, every answer was acknowledged and the summaries match the raw rows.

use crate::{root, Result};
use harness::audit::{audit, Audit};
use harness::load::{seed_from_clock, with_restarts, Faults, Plan};
use harness::local::{Bundle, LocalWorker, Log};
use std::time::Duration;

const USAGE: &str = "cargo xtask soak [--responses N (default 20000)] [--restarts N (default 10)] \
[--threads N (default 8)] [--sites N (default 1)] [--seed N] [--no-build]";

const ORIGIN: &str = "https://soak.example";

struct Options {
    responses: u64,
    restarts: u32,
    threads: usize,
    sites: usize,
    seed: u64,
    build: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let number = |name: &str, default: u64| crate::number(args, name, default, USAGE);
    let o = Options {
        responses: number("--responses", 20_000)?,
        restarts: number("--restarts", 10)? as u32,
        threads: number("--threads", 8)? as usize,
        sites: number("--sites", 1)? as usize,
        seed: number("--seed", seed_from_clock())?,
        build: !crate::switch(args, "--no-build"),
    };
    if o.responses == 0 || o.threads == 0 || o.sites == 0 || o.threads > 64 || o.sites > 1000 {
        return Err(format!(
            "responses, threads (≤ 64) and sites (≤ 1000) must be at least 1; usage: {USAGE}"
        ));
    }
    Ok(o)
}

/// Creates `site` and lifts its per-visitor rate limit (all load comes from one address).
fn create_site(w: &LocalWorker, site: &str) -> Result<String> {
    w.try_create_site(site, &[ORIGIN], Some(100_000))
}

pub fn run(args: &[String]) -> Result {
    let o = options(args)?;
    if o.build {
        crate::setup::run()?;
        crate::build::run()?;
    }
    let out = root().join("target/soak");
    // A copy, so that a build running meanwhile cannot change what the restarts start.
    let bundle = Bundle::snapshot(&out.join("bundle"))
        .map_err(|e| format!("copy the build (run `cargo xtask build`): {e}"))?;
    let state = out.join("state");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    let log = out.join("wrangler.log");
    let _ = std::fs::remove_file(&log);
    // wrangler logs every request from its node process; warnings and errors still reach the log.
    std::env::set_var("WRANGLER_LOG", "warn");
    let (port, admin) = (harness::free_port(), harness::random_token());
    let start = || LocalWorker::start_bundle(&state, port, &admin, Log::File(log.clone()), &bundle);
    eprintln!(
        "soak: starting wrangler dev on 127.0.0.1:{port} (state {}, log {})",
        state.display(),
        log.display()
    );
    let mut worker = start().map_err(|e| e.to_string())?;
    let sites: Vec<String> = (0..o.sites).map(|k| format!("soak-{k:03}")).collect();
    let tokens = sites
        .iter()
        .map(|s| create_site(&worker, s))
        .collect::<Result<Vec<_>>>()?;

    eprintln!(
        "soak: {} answers from {} clients to {} site(s), {} restarts, seed {} (repeat with --seed {})",
        o.responses, o.threads, o.sites, o.restarts, o.seed, o.seed
    );
    let plan = Plan {
        base: worker.base.clone(),
        origin: ORIGIN.into(),
        sites: sites.clone(),
        count: o.responses,
        threads: o.threads,
        seed: o.seed,
        give_up_after: Duration::from_secs(180),
    };
    let faults = Faults {
        restarts: o.restarts,
        downtime_ms: (200, 1500),
        seed: o.seed,
    };
    let report = with_restarts(plan, &faults, &mut worker, start)?;

    let acked = report.acknowledged_ids();
    let sent = report.sent_ids();
    let mut total = Audit::default();
    for (site, token) in sites.iter().zip(&tokens) {
        let none = Vec::new();
        let a = audit(
            &worker.base,
            site,
            token,
            acked.get(site).unwrap_or(&none),
            sent.get(site).unwrap_or(&none),
        )?;
        total.stored += a.stored;
        total.duplicates += a.duplicates;
        total.lost.extend(a.lost);
        total.unexpected.extend(a.unexpected);
        total
            .mismatches
            .extend(a.mismatches.into_iter().map(|m| format!("{site}: {m}")));
    }
    drop(worker);

    let not_acked = report.not_acknowledged();
    println!(
        "soak: {} restarts in {:.1?} (seed {})",
        report.restarts, report.elapsed, o.seed
    );
    println!("  sent          {}", report.sent.len());
    println!("  acknowledged  {}", report.acknowledged());
    println!("  stored        {}", total.stored);
    println!("  duplicates    {}", total.duplicates);
    println!("  lost          {}", total.lost.len());
    println!(
        "  ({} attempts; {} transport errors while down; 5xx {:?}; {} answers acknowledged as a duplicate of an earlier attempt whose answer was cut off; {} not acknowledged; {} stored but never sent; {} rollup mismatches)",
        report.attempts,
        report.transport_errors,
        report.server_errors,
        report.replayed(),
        not_acked.len(),
        total.unexpected.len(),
        total.mismatches.len()
    );
    let mut failures = Vec::new();
    if total.duplicates > 0 {
        failures.push(format!("{} duplicates", total.duplicates));
    }
    if !total.lost.is_empty() {
        failures.push(format!(
            "{} lost, e.g. {:?}",
            total.lost.len(),
            &total.lost[..total.lost.len().min(5)]
        ));
    }
    if !not_acked.is_empty() {
        failures.push(format!(
            "{} not acknowledged, e.g. {:?}",
            not_acked.len(),
            not_acked.iter().take(3).collect::<Vec<_>>()
        ));
    }
    if !total.unexpected.is_empty() {
        failures.push(format!(
            "{} stored ids were never sent",
            total.unexpected.len()
        ));
    }
    if !total.mismatches.is_empty() {
        failures.push(format!(
            "rollups differ from a recount of the raw rows: {:?}",
            &total.mismatches[..total.mismatches.len().min(10)]
        ));
    }
    if report.restarts != o.restarts {
        failures.push(format!(
            "{} of {} restarts happened",
            report.restarts, o.restarts
        ));
    }
    if failures.is_empty() {
        println!("soak: ok — nothing lost, nothing counted twice");
        Ok(())
    } else {
        Err(format!("soak failed: {}", failures.join("; ")))
    }
}
