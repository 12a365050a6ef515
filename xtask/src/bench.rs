//! `cargo xtask bench`: size, speed and scale side by side, measured in one run on one
//! machine, printed as one markdown table and written to `target/bench/report.md`.
//!
//! 1. widget bytes of what `cargo xtask build` left in `target/site` (raw, `gzip -9`,
//!    `brotli -q 11`); 2. time to prompt in headless Chromium ([`prompt`]); 3. ingest
//!    throughput, latency and CPU per request against `GET /health` of the same worker
//!    ([`scale`]), under `wrangler dev` and again in workerd without wrangler's inspector
//!    ([`Runtime`]); 4. summary latency as stored responses grow; 5. workerd's peak RSS during 3.
//!
//! The size budgets are hard: a miss makes the command fail, naming the figure. The timing and
//! scaling goals are marked ✅/❌ in the table and fail the command only with `--strict`
//! (timings on a shared 2-core machine are noisy). A measurement whose requests failed always
//! fails the command. Benchmarks are not part of `cargo xtask test`.

mod cdp;
mod load;
mod prompt;
mod report;
mod scale;
mod size;
mod stats;

use crate::{root, Result};
use harness::local::{Bundle, LocalWorker, Log, Runtime};
use report::{ms, row, thousands, Check, Row};
use std::time::Duration;

/// Budgets, brotli bytes (1 KB = 1,000 bytes).
const BEFORE_FIRST_ASK: u64 = 1_500;
/// The hard limit to show the prompt: the figure reached + 1 KB, so that a regression fails
/// while the goal below is still missed (see README "Performance"). 62,509 B on 2026-12-01
/// after the cuts the performance issue lists (limit 63,500), then 62,619 B with the
/// Latin-digits test (110 B for 30 ms less main-thread script) and 63,065 B with the prefetch's
/// warm-up (0.45 KB for the ask-after-idle goal); 61,793 B with attributes as a sorted `Vec`
/// (limit 62,800), 61,048 B with the strings read in one loop, no join routines and identify's
/// attributes read straight from its object (2026-12-01, limit 62,050); 59,055 B without
/// reference types in the wasm ABI, with binaryen's `--low-memory-unused`, one retry loop and
/// no number parser for the accent (2026-12-01), hence this limit; 59,025 B with the accent's
/// channels capped as they are read (2026-12-02).
const TO_SHOW_PROMPT: u64 = 60_100;
/// The goal to show the prompt (below Formbricks' 52.7 KB); a miss fails with `--strict`.
const TO_SHOW_PROMPT_GOAL: u64 = 52_000;

/// Parts of the table with several rows, named once.
const WIDGET_BYTES: &str = "Widget bytes (raw · gzip -9 · **brotli -q 11**)";
const TIME_TO_PROMPT: &str = "Time to prompt (headless Chromium, fresh profile per run)";
/// Goals.
const PROMPT_MEDIAN_MS: f64 = 100.0;
/// The owner dashboard's first paint (issue: the owner's side stays lean).
const DASHBOARD_PAINT_MS: f64 = 1000.0;
const PROMPT_VS_BASELINE: f64 = 2.0;
/// Ask → prompt visible once the loader prefetched the widget at idle.
const ASK_AFTER_IDLE_MS: f64 = 25.0;
const SCRIPT_MS: f64 = 10.0;
const INGEST_VS_NOOP: f64 = 0.5;
const SUMMARY_GROWTH: f64 = 1.5;
/// Peers' "to show the prompt", brotli, measured from their npm packages on this kind of machine.
const PEERS: &[(&str, &str)] = &[
    ("PushFeedback", "21.4 KB"),
    ("Sentry feedback", "45.7 KB"),
    ("Formbricks", "52.7 KB"),
    ("PostHog surveys", "145 KB"),
];

/// Load per throughput scenario: untimed warm-up requests, then this many or this long.
const WARMUP: usize = 300;
const REQUESTS: usize = 4_000;
const SCENARIO_LIMIT: Duration = Duration::from_secs(30);
const MANY_SITES: usize = 100;
const SUMMARY_REQUESTS: usize = 50;

/// The options, as `cargo xtask` lists them too.
pub const OPTIONS: &str = "[--runs N (≥ 5, default 7)] [--max-stored N (default 100000)] \
[--seed-seconds S (default 480)] [--no-build] [--strict] [--ingest-only | --prompt-only]";

struct Options {
    runs: usize,
    max_stored: usize,
    seed_budget: Duration,
    build: bool,
    strict: bool,
    /// Only the ingest rows (3), in both runtimes: for work on the ingest path.
    ingest_only: bool,
    /// Only the widget bytes and the time-to-prompt rows: for work on the widget.
    prompt_only: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let usage = format!("cargo xtask bench {OPTIONS}");
    let number = |name: &str, default: usize| crate::number(args, name, default, &usage);
    let o = Options {
        runs: number("--runs", 7)?,
        max_stored: number("--max-stored", 100_000)?,
        seed_budget: Duration::from_secs(number("--seed-seconds", 480)? as u64),
        build: !crate::switch(args, "--no-build"),
        strict: crate::switch(args, "--strict"),
        ingest_only: crate::switch(args, "--ingest-only"),
        prompt_only: crate::switch(args, "--prompt-only"),
    };
    if o.runs < 5 || o.max_stored < 1_000 {
        return Err(format!(
            "at least 5 runs and 1000 stored responses; usage: {usage}"
        ));
    }
    if o.ingest_only && o.prompt_only {
        return Err(format!(
            "--ingest-only and --prompt-only each leave out what the other measures: choose one; usage: {usage}"
        ));
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result {
    let o = options(args)?;
    if o.build {
        crate::setup::run()?;
        crate::build::run()?;
    }
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let started = domain::calendar::rfc3339_ms(now_ms());

    // A copy, so that a build running meanwhile cannot change what is measured and served.
    let bundle = Bundle::snapshot(&out.join("bundle"))
        .map_err(|e| format!("copy the build (run `cargo xtask build`): {e}"))?;
    if o.ingest_only {
        eprintln!("bench 3/5 only: ingest, in both runtimes");
        let inspected = ingest_in(Runtime::WranglerDev, &out, &bundle)?;
        let bare = ingest_in(Runtime::Workerd, &out, &bundle)?;
        let rows = [
            ingest_rows(Runtime::WranglerDev, &inspected.load),
            ingest_rows(Runtime::Workerd, &bare.load),
        ]
        .concat();
        return report(&out, &started, &rows, o.strict);
    }

    eprintln!("bench 1/5: widget bytes");
    let bytes = size::measure(&bundle.assets)?;
    let worker_bytes = size::worker(&out.join("deploy"))?;
    let dashboard_bytes = size::folder(&bundle.assets.join("dashboard"))?;

    const PAGE_SITE: &str = "bench-page";
    prompt::write_pages(&bundle.assets, PAGE_SITE)?;
    let worker = start(Runtime::WranglerDev, &out, &bundle)?;
    scale::create_site(&worker, PAGE_SITE)?;

    eprintln!(
        "bench 2/5: time to prompt ({} runs each, fresh Chromium profile per run)",
        o.runs
    );
    let ttp = prompt::measure(&worker.base, &out.join("profiles"), o.runs)?;
    if o.prompt_only {
        let rows = [size_rows(&bytes), prompt_rows(&ttp)].concat();
        return report(&out, &started, &rows, o.strict);
    }
    let dashboard_paint = prompt::dashboard_paint(&worker.base, &out.join("profiles"), o.runs)?;

    eprintln!(
        "bench 3/5: ingest throughput ({} connections), and 5/5: workerd's peak memory meanwhile",
        scale::CONNECTIONS
    );
    let inspected = ingest(&worker)?;

    let sizes: Vec<usize> = [1_000, 10_000, 100_000]
        .into_iter()
        .filter(|s| *s < o.max_stored)
        .chain([o.max_stored])
        .collect();
    eprintln!(
        "bench 4/5: summary latency at {sizes:?} stored responses (seeding within {} s)",
        o.seed_budget.as_secs()
    );
    let summary = scale::summary_scaling(&worker, &sizes, SUMMARY_REQUESTS, o.seed_budget)?;
    drop(worker);
    eprintln!("bench 3/5 again: ingest in workerd without wrangler's inspector");
    let bare = ingest_in(Runtime::Workerd, &out, &bundle)?;

    let memory = &inspected.memory;
    let rows = [
        size_rows(&bytes),
        vec![
            row(
                "Worker and dashboard bytes (raw · gzip -9 · **brotli -q 11**)",
                "worker bundle (`wrangler deploy --dry-run`: entry module + wasm)",
                format!(
                    "{} · **{}** · {}",
                    thousands(worker_bytes.raw),
                    thousands(worker_bytes.gzip),
                    thousands(worker_bytes.brotli)
                ),
                format!(
                    "gzip ≤ {} B (Cloudflare's limit, Workers Paid; Free: 3 MiB)",
                    thousands(harness::local::WORKER_GZIP_LIMIT)
                ),
                Some(Check::Budget(
                    worker_bytes.gzip <= harness::local::WORKER_GZIP_LIMIT,
                )),
            ),
            row(
                "Worker and dashboard bytes (raw · gzip -9 · **brotli -q 11**)",
                "dashboard, every file (not the widget's budget)",
                format!(
                    "{} · {} · **{}**",
                    thousands(dashboard_bytes.raw),
                    thousands(dashboard_bytes.gzip),
                    thousands(dashboard_bytes.brotli)
                ),
                "",
                None,
            ),
        ],
        prompt_rows(&ttp),
        vec![row(
            TIME_TO_PROMPT,
            "owner dashboard: navigation start → sign-in form painted",
            spread(&dashboard_paint),
            format!("median ≤ {DASHBOARD_PAINT_MS:.0} ms"),
            Some(Check::Goal(dashboard_paint.median() <= DASHBOARD_PAINT_MS)),
        )],
        ingest_rows(Runtime::WranglerDev, &inspected.load),
        ingest_rows(Runtime::Workerd, &bare.load),
        summary_rows(&summary, *sizes.last().unwrap_or(&0)),
        vec![row(
            "Memory",
            format!(
                "workerd peak RSS during ingest (3, wrangler dev) — `VmHWM`, {} process(es){}",
                memory.processes,
                if memory.reset { "" } else { ", since start" }
            ),
            format!(
                "{} (idle before: {})",
                report::megabytes(memory.peak),
                report::megabytes(memory.idle)
            ),
            "—",
            None,
        )],
    ]
    .concat();
    report(&out, &started, &rows, o.strict)
}

/// Prints the table and its notes, writes them to `target/bench/report.md`, and judges them.
fn report(out: &std::path::Path, started: &str, rows: &[Row], strict: bool) -> Result {
    let text = format!(
        "Earshot `cargo xtask bench`, {started}, commit {}\n\nMachine: {}\n\n{}\n{}",
        report::commit(),
        report::machine(),
        report::table(rows),
        NOTES
    );
    std::fs::write(out.join("report.md"), &text).map_err(|e| e.to_string())?;
    println!("{text}");
    verdict(rows, strict)
}

/// Starts the bundle in `runtime` on fresh local state under `out`.
fn start(runtime: Runtime, out: &std::path::Path, bundle: &Bundle) -> Result<LocalWorker> {
    let name = match runtime {
        Runtime::WranglerDev => "wrangler",
        Runtime::Workerd => "workerd",
    };
    let state = out.join(format!("state-{name}"));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    let log = out.join(format!("{name}.log"));
    let _ = std::fs::remove_file(&log);
    // wrangler dev logs every request from its node process, which costs CPU that production
    // does not spend; warnings and errors still reach the log.
    std::env::set_var("WRANGLER_LOG", "warn");
    eprintln!("starting {} (log: {})", runtime.label(), log.display());
    LocalWorker::start_in(
        runtime,
        &state,
        harness::free_port(),
        &harness::random_token(),
        Log::File(log),
        bundle,
    )
    .map_err(|e| e.to_string())
}

/// The ingest runs of one runtime and workerd's memory meanwhile.
struct Ingest {
    load: scale::Throughput,
    memory: Memory,
}

struct Memory {
    processes: usize,
    idle: u64,
    peak: u64,
    /// Whether the peak mark was reset before the runs (else it counts since start).
    reset: bool,
}

/// [`ingest`] on a worker of its own in `runtime`, stopped afterwards.
fn ingest_in(runtime: Runtime, out: &std::path::Path, bundle: &Bundle) -> Result<Ingest> {
    let worker = start(runtime, out, bundle)?;
    ingest(&worker)
}

/// Creates the ingest sites on `worker`, then runs the throughput scenarios (3) and reads
/// workerd's peak memory meanwhile (5).
fn ingest(worker: &LocalWorker) -> Result<Ingest> {
    scale::create_site(worker, "bench-one")?;
    let many: Vec<String> = (0..MANY_SITES).map(|i| format!("bench-s{i:03}")).collect();
    for s in &many {
        scale::create_site(worker, s)?;
    }
    let workerd = worker.pid().map(scale::workerd_pids).unwrap_or_default();
    let idle: u64 = workerd
        .iter()
        .filter_map(|p| scale::status_bytes(*p, "VmRSS:"))
        .sum();
    let reset = !workerd.is_empty() && workerd.iter().all(|p| scale::reset_peak(*p));
    let load = scale::throughput(worker, "bench-one", &many, REQUESTS, WARMUP, SCENARIO_LIMIT);
    let peak: u64 = workerd
        .iter()
        .filter_map(|p| scale::status_bytes(*p, "VmHWM:"))
        .sum();
    Ok(Ingest {
        load,
        memory: Memory {
            processes: workerd.len(),
            idle,
            peak,
            reset,
        },
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Fails naming every broken budget (and, with `strict`, every missed goal).
fn verdict(rows: &[Row], strict: bool) -> Result {
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| match r.check {
            Some(Check::Budget(false) | Check::Broken) => true,
            Some(Check::Goal(false)) => strict,
            _ => false,
        })
        .map(|r| {
            format!(
                "{} — {}: {} (target {})",
                r.section, r.figure, r.measured, r.target
            )
        })
        .collect();
    if failed.is_empty() {
        eprintln!("bench: every budget holds (report: target/bench/report.md)");
        return Ok(());
    }
    Err(format!(
        "bench: {} figure(s) fail:\n  {}",
        failed.len(),
        failed.join("\n  ")
    ))
}

fn size_rows(b: &size::WidgetBytes) -> Vec<Row> {
    let fmt = |x: size::Bytes| {
        format!(
            "{} · {} · **{}**",
            thousands(x.raw),
            thousands(x.gzip),
            thousands(x.brotli)
        )
    };
    let (first, prompt) = (b.before_first_ask(), b.to_show_prompt());
    let peers = PEERS
        .iter()
        .map(|(n, s)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(" · ");
    vec![
        row(
            WIDGET_BYTES,
            format!("loader `{}`", b.loader.0),
            fmt(b.loader.1),
            "",
            None,
        ),
        row(
            WIDGET_BYTES,
            format!("glue `{}`", b.glue.0),
            fmt(b.glue.1),
            "",
            None,
        ),
        row(
            WIDGET_BYTES,
            format!("wasm `{}`", b.wasm.0),
            fmt(b.wasm.1),
            "",
            None,
        ),
        row(
            WIDGET_BYTES,
            format!(
                "largest language file `{}` (English is built in)",
                b.strings.0
            ),
            fmt(b.strings.1),
            "",
            None,
        ),
        row(
            WIDGET_BYTES,
            "before first ask (loader)",
            fmt(first),
            format!("brotli ≤ {} B", thousands(BEFORE_FIRST_ASK)),
            Some(Check::Budget(first.brotli <= BEFORE_FIRST_ASK)),
        ),
        row(
            WIDGET_BYTES,
            "to show the prompt (loader + glue + wasm + largest language file)",
            fmt(prompt),
            format!("brotli ≤ {} B", thousands(TO_SHOW_PROMPT)),
            Some(Check::Budget(prompt.brotli <= TO_SHOW_PROMPT)),
        ),
        row(
            WIDGET_BYTES,
            "to show the prompt, against the goal",
            format!("**{}** brotli", thousands(prompt.brotli)),
            format!("brotli ≤ {} B", thousands(TO_SHOW_PROMPT_GOAL)),
            Some(Check::Goal(prompt.brotli <= TO_SHOW_PROMPT_GOAL)),
        ),
        row(
            WIDGET_BYTES,
            "peers, to show their prompt (brotli, for reference)",
            format!("{peers}; Earshot {:.1} KB", prompt.brotli as f64 / 1000.0),
            "",
            None,
        ),
    ]
}

/// A timing's median, with its spread and number of runs.
fn spread(s: &stats::Sample) -> String {
    format!(
        "median **{}** (min {}, max {}; {} runs)",
        ms(s.median()),
        ms(s.min()),
        ms(s.max()),
        s.len()
    )
}

fn prompt_rows(t: &prompt::TimeToPrompt) -> Vec<Row> {
    let (p, b) = (t.visible(false), t.visible(true));
    let ratio = p.median() / b.median();
    let (ps, bs) = (t.script(false), t.script(true));
    vec![
        row(
            TIME_TO_PROMPT,
            "prompt page: navigation start → prompt visible",
            spread(&p),
            format!("median ≤ {PROMPT_MEDIAN_MS:.0} ms"),
            Some(Check::Goal(p.median() <= PROMPT_MEDIAN_MS)),
        ),
        row(
            TIME_TO_PROMPT,
            "empty baseline page: navigation start → content visible",
            spread(&b),
            "",
            None,
        ),
        row(
            TIME_TO_PROMPT,
            "prompt / baseline (medians)",
            format!("**{ratio:.2}×**"),
            format!("≤ {PROMPT_VS_BASELINE:.0}×"),
            Some(Check::Goal(ratio <= PROMPT_VS_BASELINE)),
        ),
        row(
            TIME_TO_PROMPT,
            "ask after idle, widget prefetched (`data-prefetch=auto`): ask → prompt visible",
            spread(&t.ask_after_idle()),
            format!("median ≤ {ASK_AFTER_IDLE_MS:.0} ms"),
            Some(Check::Goal(
                t.ask_after_idle().median() <= ASK_AFTER_IDLE_MS,
            )),
        ),
        row(
            TIME_TO_PROMPT,
            "main-thread script time to visible (`ScriptDuration`)",
            format!("{}; baseline page {}", spread(&ps), ms(bs.median())),
            format!("median ≤ {SCRIPT_MS:.0} ms"),
            Some(Check::Goal(ps.median() <= SCRIPT_MS)),
        ),
    ]
}

fn ingest_rows(runtime: Runtime, l: &scale::Throughput) -> Vec<Row> {
    let fmt = |s: &scale::Scenario| {
        let r = &s.run;
        let mut trouble = if r.failures() > 0 {
            format!(" · **{} failed** {:?}", r.failures(), r.failed)
        } else {
            String::new()
        };
        if r.resent > 0 {
            trouble += &format!(
                " · {} without an answer within {} s, sent again: acknowledged",
                r.resent,
                load::ANSWER_WITHIN.as_secs()
            );
        }
        format!(
            "**{:.0} req/s** · p50 {} · p99 {} ({} requests) · CPU/req: workerd {:.2} ms, node {:.2} ms{trouble}",
            r.rps(),
            ms(r.latency_ms.percentile(50.0)),
            ms(r.latency_ms.percentile(99.0)),
            thousands(r.ok as u64),
            s.cpu.workerd,
            s.cpu.node
        )
    };
    let ok = |s: &scale::Scenario| {
        if s.run.failures() > 0 {
            Some(Check::Broken)
        } else {
            None
        }
    };
    // The goal is judged without wrangler's inspector, which production does not have.
    let judged = runtime == Runtime::Workerd;
    let vs = |s: &scale::Scenario| {
        let x = s.run.rps() / l.noop.run.rps();
        let check = if s.run.failures() > 0 {
            Some(Check::Broken)
        } else if judged {
            Some(Check::Goal(x >= INGEST_VS_NOOP))
        } else {
            None
        };
        (format!("**{x:.2}**"), check)
    };
    let (one, many) = (vs(&l.one_site), vs(&l.many_sites));
    let section: &'static str = match runtime {
        Runtime::WranglerDev => "Ingest (wrangler dev (inspector on), loopback, 8 connections)",
        Runtime::Workerd => "Ingest (workerd without inspector, loopback, 8 connections)",
    };
    let goal = if judged {
        format!("≥ {INGEST_VS_NOOP}")
    } else {
        "(goal judged without inspector)".to_string()
    };
    vec![
        row(
            section,
            "no-op: `GET /health` of the same worker (no storage)",
            fmt(&l.noop),
            "baseline",
            ok(&l.noop),
        ),
        row(
            section,
            "ingest, 1 site",
            fmt(&l.one_site),
            "",
            ok(&l.one_site),
        ),
        row(
            section,
            format!("ingest, {} sites", l.sites),
            fmt(&l.many_sites),
            "",
            ok(&l.many_sites),
        ),
        row(
            section,
            "ingest / no-op req/s, 1 site",
            one.0,
            goal.clone(),
            one.1,
        ),
        row(
            section,
            format!("ingest / no-op req/s, {} sites", l.sites),
            many.0,
            goal,
            many.1,
        ),
    ]
}

fn summary_rows(s: &scale::SummaryScaling, asked: usize) -> Vec<Row> {
    const S: &str = "Summary cost vs stored responses";
    let mut rows: Vec<Row> = s
        .points
        .iter()
        .map(|p| {
            let figure = format!("summary p50 at {} stored", thousands(p.stored as u64));
            let measured = format!(
                "**{}** (p99 {}; {} requests)",
                ms(p.latency_ms.percentile(50.0)),
                ms(p.latency_ms.percentile(99.0)),
                p.latency_ms.len()
            );
            row(S, figure, measured, "", None)
        })
        .collect();
    if let Some(size) = s.stopped_early {
        let largest = s.points.last().map(|p| p.stored).unwrap_or(0);
        rows.push(row(
            S,
            format!(
                "**{} not reached**: seeding ({:.0} answers/s) ran out of its time budget",
                thousands(size as u64),
                s.seed_rps
            ),
            format!("largest measured: {}", thousands(largest as u64)),
            format!("{} asked", thousands(asked as u64)),
            Some(Check::Goal(false)),
        ));
    }
    if let (Some(first), Some(last), true) = (s.points.first(), s.points.last(), s.points.len() > 1)
    {
        let growth = last.latency_ms.percentile(50.0) / first.latency_ms.percentile(50.0);
        rows.push(row(
            S,
            format!(
                "p50 at {} / p50 at {}",
                thousands(last.stored as u64),
                thousands(first.stored as u64)
            ),
            format!("**{growth:.2}×**"),
            format!("≤ {SUMMARY_GROWTH}×"),
            Some(Check::Goal(growth <= SUMMARY_GROWTH)),
        ));
    }
    rows
}

/// What the figures measure, printed under the table.
const NOTES: &str = "\
- Sizes: the files `cargo xtask build` left in `target/site`, compressed with the `gzip -9` and
  `brotli -q 11` CLIs; 1 KB = 1,000 bytes. The size budgets are hard (the command fails).
- Time to prompt: a static page served by the worker asks on `load` (`earshot('ask', …)`, queue
  pattern, async script tag); the page records `performance.now()` (0 = navigation start) in the
  first animation frame after the `shown` event in which the first rating button has a
  non-empty box. The baseline page adds a paragraph on `load` and times its first frame the same
  way. A new Chromium with an empty profile (cold HTTP and code caches) per load; one warm-up
  load of each page is discarded. Script time is the page's `ScriptDuration` from the DevTools
  `Performance.getMetrics`, read when the page reports: JavaScript and WebAssembly running on the
  renderer's main thread (parse, compile on the main thread, execution), not off-thread compile.
  Ask after idle: a page with a `data-earshot-ask` element (so the loader prefetches the glue,
  the compiled wasm, the config and the language file at idle) asks 2 s after `load`, once the
  wasm is among its resources; the figure is ask → the first frame with a rating button painted.
- Ingest: closed loop, 8 keep-alive connections from one process on the same 2 cores as the
  runtime; each scenario after untimed warm-up requests; every answer valid, unique id,
  `text/plain`, allowed origin. The no-op route is the same worker's `GET /health`. Two runtimes,
  one after the other, each on fresh state: **wrangler dev (inspector on)**, as developers and
  the e2e tests run it — requests pass its proxy worker, and its DevTools inspector proxy (which
  wrangler cannot turn off) forwards every inspector event of a subrequest (the worker → Durable
  Object call) to node; and **workerd without inspector** — the same built worker, bindings,
  compatibility date and SQLite Durable Objects in workerd through Miniflare
  (`tests/workerd.mjs`), with no inspector, proxy worker or request log, as in production. The
  ingest / no-op goal (≥ 0.5) is judged on the runs without inspector; the wrangler dev ratios
  are for reference. CPU/req is the CPU time (user + system) of the workerd processes and of the
  node processes that started them (wrangler, or the Miniflare script) during the timed run, per
  request. wrangler's own request log is off (`WRANGLER_LOG=warn`). Loopback on a shared 2-core
  machine: absolute figures are below production's. A request without an answer within 3 s has
  none; after the timed run it is sent once more, with the same answer id, as the widget sends
  what it could not deliver: acknowledged then, it is named beside its row (workerd has been
  seen to hold a request for good before any worker code ran); not acknowledged, it fails the
  row.
- Summary: one site per size, seeded through the real ingest route (same generator, one answer
  in five with a comment); default 30-day query; sequential requests taking the sizes in turns
  (after 5 untimed rounds), so that other load on the machine weighs on every size alike; each
  site's summary `responses` is checked against what was stored.
- Memory: the sum of `VmHWM` of the workerd processes under the wrangler dev the bench started,
  reset (`clear_refs` 5) just before its ingest runs.
- Goals (❌ missed goal) fail the command only with `--strict`; budgets and errors always do.
";

#[cfg(test)]
mod tests {
    /// The notes are a literal; the limit they name is `load::ANSWER_WITHIN`.
    #[test]
    fn the_notes_name_the_answer_limit() {
        let said = format!(
            "without an answer within {} s",
            super::load::ANSWER_WITHIN.as_secs()
        );
        assert!(super::NOTES.contains(&said), "{said}");
    }
}
