//! A closed-loop HTTP load generator: a fixed number of threads, each with one keep-alive
//! connection, sending numbered requests until all are sent or the time is up. Loopback only.

use super::stats::Sample;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

/// What one run did.
#[derive(Debug, Default)]
pub struct Run {
    pub ok: usize,
    /// Requests answered with an unexpected status (0: no answer), by status.
    pub failed: BTreeMap<u16, usize>,
    /// The numbers of the requests that failed, to send again.
    pub failed_ids: Vec<usize>,
    /// Why the first requests without an answer (status 0) failed.
    pub errors: Vec<String>,
    pub seconds: f64,
    /// Latency of every answered request, in milliseconds.
    pub latency_ms: Sample,
}

impl Run {
    /// Successful requests per second of wall time.
    pub fn rps(&self) -> f64 {
        self.ok as f64 / self.seconds.max(1e-9)
    }
    pub fn failures(&self) -> usize {
        self.failed.values().sum()
    }
}

/// Sends requests `ids` (made by `make`) from `threads` threads until all are sent or `limit`
/// has passed; `ok` says which statuses count as success.
pub fn drive(
    threads: usize,
    ids: &[usize],
    limit: Duration,
    make: &(dyn Fn(usize) -> Request + Sync),
    ok: &(dyn Fn(u16) -> bool + Sync),
) -> Run {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(ids.len()));
    let errors = Mutex::new(Vec::new());
    let start = Instant::now();
    let deadline = start + limit;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .max_idle_connections_per_host(1)
                    .build();
                let mut mine = Vec::new();
                while Instant::now() < deadline {
                    let Some(&id) = ids.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let r = make(id);
                    let mut req = agent.request(r.method, &r.url);
                    for (k, v) in &r.headers {
                        req = req.set(k, v);
                    }
                    let sent = Instant::now();
                    let result = match &r.body {
                        Some(b) => req.send_string(b),
                        None => req.call(),
                    };
                    let status = match result {
                        Ok(resp) | Err(ureq::Error::Status(_, resp)) => {
                            let status = resp.status();
                            // Read the whole answer, so the connection can be used again.
                            let _ = resp.into_string();
                            status
                        }
                        Err(e) => {
                            let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
                            if errors.len() < 3 {
                                errors.push(format!(
                                    "{e} after {:.0?}, sent {:.1} s into the run",
                                    sent.elapsed(),
                                    (sent - start).as_secs_f64()
                                ));
                            }
                            0
                        }
                    };
                    mine.push((id, status, sent.elapsed().as_secs_f64() * 1000.0));
                }
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut run = Run {
        seconds,
        errors: errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        ..Run::default()
    };
    let mut latencies = Vec::new();
    for (id, status, ms) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if status != 0 {
            latencies.push(ms);
        }
        if ok(status) {
            run.ok += 1;
        } else {
            *run.failed.entry(status).or_default() += 1;
            run.failed_ids.push(id);
        }
    }
    run.latency_ms = Sample::new(latencies);
    run
}

const TOUCHPOINTS: [&str; 4] = ["checkout", "support-chat", "onboarding", "returns"];

/// Answer number `n` of a run tagged `tag` (8 hex digits): a UUID v4 unique to both, a mix of
/// kinds, scores and touchpoints, a comment on every fifth, page, locale and one attribute.
pub fn answer(tag: &str, n: usize) -> String {
    let kind = domain::Kind::ALL[n % domain::Kind::ALL.len()];
    let score = kind.scale().min as usize + (n * 7 / 3) % kind.scale().len();
    let mut v = serde_json::json!({
        "id": format!("{tag}-0000-4000-8000-{n:012x}"),
        "touchpoint": TOUCHPOINTS[(n / 5) % TOUCHPOINTS.len()],
        "kind": kind.as_str(),
        "score": score,
        "page": "https://shop.example/checkout/done?order=42",
        "locale": "en-GB",
        "attributes": {"plan": if n.is_multiple_of(3) { "pro" } else { "free" }},
    });
    if n.is_multiple_of(5) {
        v["comment"] = serde_json::json!(format!(
            "Answer {n}: the delivery options were confusing, otherwise fine."
        ));
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_answer_is_valid_and_unique() {
        let ids: std::collections::BTreeSet<String> = (0..500)
            .map(|n| {
                let body = super::answer("0badcafe", n);
                let r = domain::decode_ingest(body.as_bytes())
                    .unwrap_or_else(|f| panic!("{body}: {f:?}"));
                r.id
            })
            .collect();
        assert_eq!(ids.len(), 500);
    }
}
