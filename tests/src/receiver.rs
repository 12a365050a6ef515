//! A local webhook receiver: answers with scripted statuses and records what it was sent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Delivery {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Delivery {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Listens on 127.0.0.1:`port` in a background thread until the process ends or [`stop`].
pub struct Receiver {
    pub port: u16,
    seen: Arc<Mutex<Vec<Delivery>>>,
    stop: Arc<Mutex<bool>>,
}

impl Receiver {
    /// The first `failures` requests get a 500, the rest a 200.
    pub fn start(port: u16, failures: usize) -> Receiver {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind receiver");
        listener.set_nonblocking(true).expect("nonblocking");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(Mutex::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(600);
            while Instant::now() < deadline && !*stop2.lock().unwrap() {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(stream);
                let mut headers = Vec::new();
                let mut line = String::new();
                let _ = reader.read_line(&mut line); // request line
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.trim_end().split_once(':') {
                        headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                let len = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; len];
                let _ = reader.read_exact(&mut body);
                let mut seen = seen2.lock().unwrap();
                let status = if seen.len() < failures { 500 } else { 200 };
                seen.push(Delivery {
                    status,
                    headers,
                    body,
                });
                drop(seen);
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
            }
        });
        Receiver { port, seen, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits until at least `n` deliveries were answered with 200.
    pub fn wait_for_ok(&self, n: usize, limit: Duration) -> Vec<Delivery> {
        let start = Instant::now();
        loop {
            let all = self.deliveries();
            if all.iter().filter(|d| d.status == 200).count() >= n || start.elapsed() > limit {
                return all;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn stop(&self) {
        *self.stop.lock().unwrap() = true;
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop();
    }
}
