//! Against the running worker: sites made through the admin API, ingest throughput and latency
//! next to a no-op route, summary cost as stored responses grow, and workerd's memory.

use super::load::{answer, drive, resend_unanswered, Request, Run};
use super::stats::Sample;
use crate::Result;
use harness::http::request;
use harness::local::LocalWorker;
use std::time::{Duration, Instant};

/// The origin the load generator claims (allowed on every bench site).
pub const ORIGIN: &str = "https://shop.example";
/// Concurrent connections of the load generator.
pub const CONNECTIONS: usize = 8;
/// Per-visitor answers a minute allowed on bench sites (the API's maximum): every request
/// of the generator comes from one address, so one visitor.
const RATE_LIMIT: u32 = 100_000;

/// Creates `site_id` (allowed origins: [`ORIGIN`] and the worker's own) with the rate limit
/// raised; returns its owner token.
pub fn create_site(w: &LocalWorker, site_id: &str) -> Result<String> {
    let mut origins = w.own_origins();
    origins.push(ORIGIN.into());
    let origins: Vec<&str> = origins.iter().map(String::as_str).collect();
    w.try_create_site(site_id, &origins, Some(RATE_LIMIT))
}

fn ingest_request(base: &str, site: &str, tag: &str, n: usize) -> Request {
    Request {
        method: "POST",
        url: format!("{base}/v1/sites/{site}/responses"),
        headers: vec![
            ("content-type", "text/plain".into()),
            ("origin", ORIGIN.into()),
        ],
        body: Some(answer(tag, n)),
    }
}

fn created(status: u16) -> bool {
    status == 201
}

/// A run tag: 8 hex digits, so answer ids never repeat across runs and scenarios.
pub fn tag() -> String {
    harness::random_token()[..8].to_string()
}

pub struct Throughput {
    pub noop: Scenario,
    pub one_site: Scenario,
    pub many_sites: Scenario,
    pub sites: usize,
}

/// A timed run and the CPU time it cost each process, per successful request.
pub struct Scenario {
    pub run: Run,
    pub cpu: CpuPerRequest,
}

/// Milliseconds of CPU (user + system) per successful request.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuPerRequest {
    pub workerd: f64,
    /// The node processes that started workerd: wrangler dev, or `tests/workerd.mjs`.
    pub node: f64,
    pub generator: f64,
}

/// CPU seconds so far of the given processes (`/proc/<pid>/stat` utime + stime, at 100 ticks/s).
fn cpu_seconds(pids: &[u32]) -> f64 {
    pids.iter()
        .filter_map(|p| {
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
            let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            // After the command: state is field 3, utime 14 and stime 15 (1-based).
            Some(
                (rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?) as f64
                    / 100.0,
            )
        })
        .sum()
}

/// Each scenario: `warmup` untimed requests, then up to `count` requests or `limit`.
pub fn throughput(
    w: &LocalWorker,
    one: &str,
    many: &[String],
    count: usize,
    warmup: usize,
    limit: Duration,
) -> Throughput {
    let base = w.base.clone();
    let health = |_: usize| Request {
        method: "GET",
        url: format!("{base}/health"),
        headers: vec![],
        body: None,
    };
    let is_200 = |s: u16| s == 200;
    let node = w.pid().map(node_pids).unwrap_or_default();
    let workerd = w.pid().map(workerd_pids).unwrap_or_default();
    let me = [std::process::id()];
    let scenario = |name: &str,
                    make: &(dyn Fn(usize) -> Request + Sync),
                    ok: &(dyn Fn(u16) -> bool + Sync)| {
        let ids: Vec<usize> = (0..warmup + count).collect();
        drive(CONNECTIONS, &ids[..warmup], limit, make, ok);
        let before = [cpu_seconds(&workerd), cpu_seconds(&node), cpu_seconds(&me)];
        let mut run = drive(CONNECTIONS, &ids[warmup..], limit, make, ok);
        let per = |i: usize, now: f64| (now - before[i]) * 1000.0 / run.ok.max(1) as f64;
        let cpu = CpuPerRequest {
            workerd: per(0, cpu_seconds(&workerd)),
            node: per(1, cpu_seconds(&node)),
            generator: per(2, cpu_seconds(&me)),
        };
        eprintln!(
            "  {name}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} ok, {} failed; CPU ms/request: workerd {:.2}, node {:.2}, generator {:.2}",
            run.rps(),
            run.latency_ms.percentile(50.0),
            run.latency_ms.percentile(99.0),
            run.ok,
            run.failures(),
            cpu.workerd,
            cpu.node,
            cpu.generator
        );
        if !run.errors.is_empty() {
            eprintln!("  {name}: no answer: {}", run.errors.join("; "));
        }
        // Outside the timed run and its CPU: an ingest sent again is acknowledged as stored
        // (201) or as stored before (200 `duplicate`).
        resend_unanswered(&mut run, make, &|s| ok(s) || s == 200);
        if run.resent > 0 {
            eprintln!(
                "  {name}: {} without an answer, sent again: acknowledged",
                run.resent
            );
        }
        Scenario { run, cpu }
    };
    let (t1, t2) = (tag(), tag());
    let noop = scenario("no-op GET /health", &health, &is_200);
    let one_site = scenario(
        "ingest, 1 site",
        &|n| ingest_request(&base, one, &t1, n),
        &created,
    );
    let many_sites = scenario(
        &format!("ingest, {} sites", many.len()),
        &|n| ingest_request(&base, &many[n % many.len()], &t2, n),
        &created,
    );
    Throughput {
        noop,
        one_site,
        many_sites,
        sites: many.len(),
    }
}

/// Summary latency of one site holding `stored` responses.
pub struct SummaryAt {
    pub stored: usize,
    pub latency_ms: Sample,
}

pub struct SummaryScaling {
    pub points: Vec<SummaryAt>,
    /// The size seeding did not reach in its time budget, if any.
    pub stopped_early: Option<usize>,
    pub seed_rps: f64,
}

/// One site per size in `sizes` (ascending), seeded through the ingest route within `budget`;
/// then `requests` summaries of each, taken in turns (1k, 10k, 100k, 1k, …) after a few
/// untimed ones, so that whatever else the machine does weighs on every size alike.
pub fn summary_scaling(
    w: &LocalWorker,
    sizes: &[usize],
    requests: usize,
    budget: Duration,
) -> Result<SummaryScaling> {
    let base = w.base.clone();
    let t = tag();
    let deadline = Instant::now() + budget;
    let (mut seeded, mut seeding) = (0usize, 0f64);
    let mut sites = Vec::new();
    let mut stopped_early = None;
    for &size in sizes {
        let site = format!("bench-summary-{size}");
        let owner = create_site(w, &site)?;
        let mut pending: Vec<usize> = (0..size).collect();
        for _round in 0..3 {
            let left = deadline.saturating_duration_since(Instant::now());
            if pending.is_empty() || left.is_zero() {
                break;
            }
            let run = drive(
                CONNECTIONS,
                &pending,
                left,
                &|n| ingest_request(&base, &site, &t, n),
                &|s| s == 201 || s == 200,
            );
            seeded += run.ok;
            seeding += run.seconds;
            // Every claimed request has an outcome; unclaimed (time ran out) and failed ones
            // stay pending (a failed one sent again is acknowledged once, by its id).
            let claimed = run.ok + run.failures();
            pending = pending[claimed..]
                .iter()
                .copied()
                .chain(run.failed_ids)
                .collect();
        }
        let stored = size - pending.len();
        eprintln!(
            "  {site}: {stored} responses stored ({:.0} answers/s so far)",
            seeded as f64 / seeding.max(1e-9)
        );
        let counted = summary_count(w, &site, &owner)?;
        if counted != stored as u64 {
            return Err(format!(
                "{site}: the summary counts {counted} responses, {stored} were stored"
            ));
        }
        if stored > 0 {
            sites.push((site, owner, stored));
        }
        if !pending.is_empty() {
            stopped_early = Some(size);
            break;
        }
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let mut latencies = vec![Vec::new(); sites.len()];
    for round in 0..requests + 5 {
        for (i, (site, owner, _)) in sites.iter().enumerate() {
            let sent = Instant::now();
            let status = match agent
                .get(&w.url(&format!("/v1/sites/{site}/summary")))
                .set("authorization", &format!("Bearer {owner}"))
                .call()
            {
                Ok(r) => {
                    let _ = r.into_string();
                    200
                }
                Err(ureq::Error::Status(code, _)) => code,
                Err(e) => return Err(format!("summary of {site}: {e}")),
            };
            if status != 200 {
                return Err(format!("summary of {site}: status {status}"));
            }
            if round >= 5 {
                latencies[i].push(sent.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let points: Vec<SummaryAt> = sites
        .iter()
        .zip(latencies)
        .map(|((_, _, stored), l)| SummaryAt {
            stored: *stored,
            latency_ms: Sample::new(l),
        })
        .collect();
    for p in &points {
        eprintln!(
            "  summary at {}: p50 {:.2} ms",
            p.stored,
            p.latency_ms.percentile(50.0)
        );
    }
    Ok(SummaryScaling {
        points,
        stopped_early,
        seed_rps: seeded as f64 / seeding.max(1e-9),
    })
}

fn summary_count(w: &LocalWorker, site: &str, owner: &str) -> Result<u64> {
    let auth = format!("Bearer {owner}");
    let r = request(
        "GET",
        &w.url(&format!("/v1/sites/{site}/summary")),
        &[("authorization", &auth)],
        None,
    )
    .map_err(|e| e.to_string())?;
    serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["responses"].as_u64())
        .ok_or_else(|| format!("summary: {} {}", r.status, r.body))
}

/// The processes under the local worker's process `root` (itself included), with their names.
fn family(root: u32) -> Vec<(u32, String)> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name, which is in parentheses and may hold spaces.
        let Some(ppid) = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
        else {
            continue;
        };
        parent_of.push((pid, ppid));
    }
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let p = family[i];
        family.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    family
        .into_iter()
        .map(|p| {
            (
                p,
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}

/// The workerd processes started by the local worker's process `root`.
pub fn workerd_pids(root: u32) -> Vec<u32> {
    family(root)
        .into_iter()
        .filter(|(_, name)| name == "workerd")
        .map(|(p, _)| p)
        .collect()
}

/// wrangler (or `tests/workerd.mjs`) and its other helpers (node): everything under `root`
/// but workerd.
fn node_pids(root: u32) -> Vec<u32> {
    family(root)
        .into_iter()
        .filter(|(_, name)| name != "workerd")
        .map(|(p, _)| p)
        .collect()
}

/// A `kB` line of `/proc/<pid>/status`, in bytes.
pub fn status_bytes(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb * 1024)
}

/// Resets the peak-RSS mark of `pid` to its current RSS (`clear_refs` 5); false if not allowed.
pub fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}
