//! A bounded load generator: `threads` clients send `count` deterministic answers to the
//! ingest endpoint, each retried with the same id until it is acknowledged (201, or 200
//! `duplicate`) or refused for good (another 4xx), or until `give_up_after`.
//!
//! Used by the fault and concurrency tests and by `cargo xtask soak`; [`with_restarts`] stops
//! and restarts the worker (same state, same port) while the load runs. Plain threads and a
//! blocking client: no browser, no async runtime.

use crate::local::LocalWorker;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// SplitMix64: a small, seedable generator (test data and fault timing, not secrets).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.next_u64() % (hi - lo)
        }
    }
}

/// A seed that differs between runs (printed by callers so a run can be repeated).
pub fn seed_from_clock() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (t.as_nanos() as u64) ^ ((std::process::id() as u64) << 32)
}

/// One answer of a run: which site it goes to, its id and its JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub site: String,
    pub id: String,
    pub body: String,
}

const TOUCHPOINTS: [&str; 4] = ["checkout", "support-chat", "onboarding", "billing.v2"];

/// Answer `n` of the run `seed` (the same inputs always give the same answer).
pub fn answer(seed: u64, n: u64, sites: &[String]) -> Answer {
    let mut r = Rng::new(seed ^ n.wrapping_mul(0xa076_1d64_78bd_642f));
    let (a, b) = (r.next_u64(), r.next_u64());
    let id = format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    );
    let kind = domain::Kind::ALL[r.range(0, 5) as usize];
    let (lo, hi) = (kind.scale().min, kind.scale().max);
    let mut v = serde_json::json!({
        "id": id,
        "touchpoint": TOUCHPOINTS[r.range(0, 4) as usize],
        "kind": kind.as_str(),
        "score": r.range(lo as u64, hi as u64 + 1),
    });
    if r.range(0, 4) == 0 {
        v["comment"] = serde_json::json!(format!("réponse n° {n} — “quoted”, <b>bold</b> ✓"));
    }
    if r.range(0, 3) == 0 {
        let plan = ["free", "pro", "team"][r.range(0, 3) as usize];
        v["attributes"] = serde_json::json!({ "plan": plan });
        v["locale"] = serde_json::json!("pt-BR");
    }
    let site = sites
        .get((n % sites.len().max(1) as u64) as usize)
        .cloned()
        .unwrap_or_default();
    Answer {
        site,
        id,
        body: v.to_string(),
    }
}

/// What to send.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `http://127.0.0.1:PORT`; stays the same across restarts.
    pub base: String,
    /// Sent as `Origin`: must be allowed by every site.
    pub origin: String,
    /// Answer `n` goes to `sites[n % sites.len()]`.
    pub sites: Vec<String>,
    pub count: u64,
    pub threads: usize,
    pub seed: u64,
    /// An answer not acknowledged this long after its first attempt is given up.
    pub give_up_after: Duration,
}

/// The end of one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// 201: stored by this attempt.
    Created,
    /// 200 `duplicate: true`: an earlier attempt had stored it (its answer was lost).
    Replayed,
    /// A 4xx other than 429: refused for good.
    Rejected { status: u16, body: String },
    /// Still failing when the time was up.
    GaveUp { last: String },
}

#[derive(Debug, Clone)]
pub struct Sent {
    pub answer: Answer,
    pub fate: Fate,
    pub attempts: u32,
}

impl Sent {
    pub fn acknowledged(&self) -> bool {
        matches!(self.fate, Fate::Created | Fate::Replayed)
    }
}

/// Everything a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sent: Vec<Sent>,
    pub attempts: u64,
    /// Connection refused or reset, timeouts: the worker was down.
    pub transport_errors: u64,
    /// 5xx answers, by status.
    pub server_errors: BTreeMap<u16, u64>,
    pub rate_limited: u64,
    pub restarts: u32,
    pub elapsed: Duration,
}

impl Report {
    pub fn acknowledged(&self) -> usize {
        self.sent.iter().filter(|s| s.acknowledged()).count()
    }
    pub fn replayed(&self) -> usize {
        self.sent
            .iter()
            .filter(|s| s.fate == Fate::Replayed)
            .count()
    }
    pub fn not_acknowledged(&self) -> Vec<&Sent> {
        self.sent.iter().filter(|s| !s.acknowledged()).collect()
    }
    /// Acknowledged ids per site.
    pub fn acknowledged_ids(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in self.sent.iter().filter(|s| s.acknowledged()) {
            out.entry(s.answer.site.clone())
                .or_default()
                .push(s.answer.id.clone());
        }
        out
    }
    /// Every id sent at least once, per site (whether acknowledged or not).
    pub fn sent_ids(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in &self.sent {
            out.entry(s.answer.site.clone())
                .or_default()
                .push(s.answer.id.clone());
        }
        out
    }
}

#[derive(Default)]
struct Counters {
    next: AtomicU64,
    acknowledged: AtomicU64,
    attempts: AtomicU64,
    transport_errors: AtomicU64,
    rate_limited: AtomicU64,
    finished_threads: AtomicU64,
    stop: AtomicBool,
}

/// What one client thread did: its answers and its 5xx counts by status.
type ClientLog = (Vec<Sent>, BTreeMap<u16, u64>);

/// A run in progress.
pub struct Load {
    counters: Arc<Counters>,
    threads: Vec<JoinHandle<ClientLog>>,
    started: Instant,
}

impl Load {
    pub fn start(plan: Plan) -> Load {
        let counters = Arc::new(Counters::default());
        let threads = (0..plan.threads.max(1))
            .map(|_| {
                let (plan, counters) = (plan.clone(), counters.clone());
                std::thread::spawn(move || {
                    let out = client(&plan, &counters);
                    counters.finished_threads.fetch_add(1, Ordering::SeqCst);
                    out
                })
            })
            .collect();
        Load {
            counters,
            threads,
            started: Instant::now(),
        }
    }

    pub fn acknowledged(&self) -> u64 {
        self.counters.acknowledged.load(Ordering::SeqCst)
    }

    fn done(&self) -> bool {
        self.counters.finished_threads.load(Ordering::SeqCst) as usize == self.threads.len()
    }

    /// Waits until `n` answers are acknowledged; `false` if all clients ended first or `limit` passed.
    pub fn wait_acknowledged(&self, n: u64, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while self.acknowledged() < n {
            if self.done() || Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    /// Waits for every client to finish.
    pub fn finish(self) -> Report {
        let mut report = Report::default();
        for t in self.threads {
            // A client that panicked is a bug in the generator: let it show.
            let (sent, errors) = t.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            report.sent.extend(sent);
            for (status, n) in errors {
                *report.server_errors.entry(status).or_default() += n;
            }
        }
        report
            .sent
            .sort_by(|a, b| (&a.answer.site, &a.answer.id).cmp(&(&b.answer.site, &b.answer.id)));
        report.attempts = self.counters.attempts.load(Ordering::SeqCst);
        report.transport_errors = self.counters.transport_errors.load(Ordering::SeqCst);
        report.rate_limited = self.counters.rate_limited.load(Ordering::SeqCst);
        report.elapsed = self.started.elapsed();
        report
    }

    /// Asks the clients to stop: no new answers, no more retries.
    pub fn stop(&self) {
        self.counters.stop.store(true, Ordering::SeqCst);
    }
}

/// One client thread: takes the next answer number until `count` are taken.
fn client(plan: &Plan, c: &Counters) -> ClientLog {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(2))
        .timeout(Duration::from_secs(15))
        .build();
    let mut out = Vec::new();
    let mut server_errors: BTreeMap<u16, u64> = BTreeMap::new();
    while !c.stop.load(Ordering::SeqCst) {
        let n = c.next.fetch_add(1, Ordering::SeqCst);
        if n >= plan.count {
            break;
        }
        let answer = answer(plan.seed, n, &plan.sites);
        let url = format!("{}/v1/sites/{}/responses", plan.base, answer.site);
        let first = Instant::now();
        let mut attempts = 0;
        let mut backoff = Duration::from_millis(20);
        let fate = loop {
            attempts += 1;
            c.attempts.fetch_add(1, Ordering::SeqCst);
            let result = agent
                .post(&url)
                .set("content-type", "text/plain;charset=UTF-8")
                .set("origin", &plan.origin)
                .send_string(&answer.body);
            let last = match result {
                Ok(r) | Err(ureq::Error::Status(_, r)) => {
                    let status = r.status();
                    let body = r.into_string().unwrap_or_default();
                    match status {
                        201 => break Fate::Created,
                        200 if body.contains("\"duplicate\":true") => break Fate::Replayed,
                        429 => {
                            c.rate_limited.fetch_add(1, Ordering::SeqCst);
                            format!("429 {body}")
                        }
                        500.. => {
                            *server_errors.entry(status).or_default() += 1;
                            format!("{status} {body}")
                        }
                        _ => break Fate::Rejected { status, body },
                    }
                }
                Err(e) => {
                    c.transport_errors.fetch_add(1, Ordering::SeqCst);
                    e.to_string()
                }
            };
            if first.elapsed() > plan.give_up_after || c.stop.load(Ordering::SeqCst) {
                break Fate::GaveUp { last };
            }
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(Duration::from_millis(400));
        };
        if matches!(fate, Fate::Created | Fate::Replayed) {
            c.acknowledged.fetch_add(1, Ordering::SeqCst);
        }
        out.push(Sent {
            answer,
            fate,
            attempts,
        });
    }
    (out, server_errors)
}

/// When to restart and for how long the worker stays down.
#[derive(Debug, Clone)]
pub struct Faults {
    pub restarts: u32,
    /// Time the worker stays stopped, drawn uniformly in this range (milliseconds).
    pub downtime_ms: (u64, u64),
    pub seed: u64,
}

/// Runs `plan` and, while it runs, kills or stops `worker` (alternately) and starts it again
/// with `restart` (which must use the same state and port) `faults.restarts` times, at moments
/// spread over the run with a random offset. Restarts that fail to start are retried a few times.
pub fn with_restarts(
    plan: Plan,
    faults: &Faults,
    worker: &mut LocalWorker,
    mut restart: impl FnMut() -> std::io::Result<LocalWorker>,
) -> Result<Report, String> {
    let mut rng = Rng::new(faults.seed);
    let count = plan.count;
    let load = Load::start(plan);
    let slots = faults.restarts as u64 + 1;
    let mut restarts = 0;
    for k in 1..=faults.restarts as u64 {
        // Somewhere in the k-th of `restarts + 1` equal parts of the run, never at the very end.
        let width = count / slots;
        let at = (count * k / slots).saturating_sub(width / 2) + rng.range(0, width.max(1));
        load.wait_acknowledged(at.min(count.saturating_sub(1)), Duration::from_secs(600));
        // Alternate a crash (SIGKILL, writes possibly in flight) with an orderly stop (SIGTERM).
        if k % 2 == 1 {
            worker.kill();
        } else {
            worker.stop();
        }
        std::thread::sleep(Duration::from_millis(
            rng.range(faults.downtime_ms.0, faults.downtime_ms.1 + 1),
        ));
        let mut tries = 0;
        *worker = loop {
            tries += 1;
            match restart() {
                Ok(w) => break w,
                Err(e) if tries < 5 => eprintln!("restart {k}: {e}; trying again"),
                Err(e) => {
                    load.stop();
                    let _ = load.finish();
                    return Err(format!("restart {k} failed {tries} times: {e}"));
                }
            }
            std::thread::sleep(Duration::from_millis(500));
        };
        restarts += 1;
    }
    let mut report = load.finish();
    report.restarts = restarts;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_valid_distinct_and_repeatable() {
        let sites = vec!["a".to_string(), "b".to_string()];
        let mut ids = std::collections::BTreeSet::new();
        let mut kinds = std::collections::BTreeSet::new();
        for n in 0..2000 {
            let a = answer(7, n, &sites);
            assert_eq!(
                a,
                answer(7, n, &sites),
                "the same inputs give the same answer"
            );
            let r = domain::decode_ingest(a.body.as_bytes())
                .unwrap_or_else(|f| panic!("{f}: {}", a.body));
            assert_eq!(r.id, a.id);
            assert_eq!(a.site, sites[n as usize % 2]);
            kinds.insert(r.kind);
            assert!(ids.insert(a.id));
        }
        assert_eq!(kinds.len(), 5);
        assert_ne!(
            answer(7, 0, &sites).id,
            answer(8, 0, &sites).id,
            "another seed, other ids"
        );
    }
}
