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
    /// The numbers of the requests without an answer (status 0; also in `failed_ids`).
    pub unanswered_ids: Vec<usize>,
    /// Requests without an answer that [`resend_unanswered`] sent again and had acknowledged.
    pub resent: usize,
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

/// A request still without an answer after this long has none (status 0). On loopback every
/// answer comes in well under a second (p99 below 0.1 s), but the local runtime has been seen
/// to hold a request for good before any worker code saw it (README, Performance): waiting for
/// the end of the run would idle one connection for the rest of it.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(3);

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
                    .timeout(ANSWER_WITHIN)
                    .max_idle_connections_per_host(1)
                    .build();
                let mut mine = Vec::new();
                while Instant::now() < deadline {
                    let Some(&id) = ids.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let sent = Instant::now();
                    let status = match send(&agent, &make(id)) {
                        Ok(status) => status,
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
            if status == 0 {
                run.unanswered_ids.push(id);
            }
        }
    }
    run.latency_ms = Sample::new(latencies);
    run
}

/// One request: its status (the whole answer read, so the connection can be used again), or
/// why there was none.
fn send(agent: &ureq::Agent, r: &Request) -> Result<u16, String> {
    let mut req = agent.request(r.method, &r.url);
    for (k, v) in &r.headers {
        req = req.set(k, v);
    }
    let result = match &r.body {
        Some(b) => req.send_string(b),
        None => req.call(),
    };
    match result {
        Ok(resp) | Err(ureq::Error::Status(_, resp)) => {
            let status = resp.status();
            let _ = resp.into_string();
            Ok(status)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Sends each request of `run` that got no answer once more, one at a time on a new
/// connection, as a client that keeps what it could not send does (an answer carries its id, so
/// a second copy is stored once). One `acknowledged` now no longer counts as failed but as
/// `resent`; one that fails again stays failed.
pub fn resend_unanswered(
    run: &mut Run,
    make: &(dyn Fn(usize) -> Request + Sync),
    acknowledged: &(dyn Fn(u16) -> bool + Sync),
) {
    let agent = ureq::AgentBuilder::new().timeout(ANSWER_WITHIN).build();
    for id in std::mem::take(&mut run.unanswered_ids) {
        match send(&agent, &make(id)) {
            Ok(status) if acknowledged(status) => {
                run.resent += 1;
                run.failed_ids.retain(|&f| f != id);
                if let Some(n) = run.failed.get_mut(&0) {
                    *n -= 1;
                    if *n == 0 {
                        run.failed.remove(&0);
                    }
                }
            }
            _ => run.unanswered_ids.push(id),
        }
    }
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

    /// A server that answers `201` to every request but the first for `/n/1`, which it holds
    /// without an answer (as workerd was seen to).
    fn holding_server() -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let held = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let held = held.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut out = stream;
                    loop {
                        let mut head = String::new();
                        let mut line = String::new();
                        while reader.read_line(&mut line).unwrap_or(0) > 2 {
                            head += &line;
                            line.clear();
                        }
                        if head.is_empty() {
                            return;
                        }
                        if head.starts_with("GET /n/1 ")
                            && !held.swap(true, std::sync::atomic::Ordering::SeqCst)
                        {
                            std::thread::sleep(std::time::Duration::from_secs(30));
                            return;
                        }
                        let answer = b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n";
                        if out.write_all(answer).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn a_request_without_an_answer_is_sent_again_and_counted_apart() {
        use super::*;
        let base = holding_server();
        let make = |n: usize| Request {
            method: "GET",
            url: format!("{base}/n/{n}"),
            headers: vec![],
            body: None,
        };
        let created = |s: u16| s == 201;
        let ids: Vec<usize> = (0..6).collect();
        let mut run = drive(2, &ids, Duration::from_secs(60), &make, &created);
        assert_eq!((run.ok, run.failures()), (5, 1), "{run:?}");
        assert_eq!(
            (run.unanswered_ids.clone(), run.failed_ids.clone()),
            (vec![1], vec![1])
        );
        resend_unanswered(&mut run, &make, &created);
        assert_eq!((run.failures(), run.resent), (0, 1), "{run:?}");
        assert!(run.failed_ids.is_empty() && run.unanswered_ids.is_empty());
    }
}
