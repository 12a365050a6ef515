//! Raw HTTP/1.1 over a TCP socket, for requests a well-behaved client refuses to send (header
//! injection, conflicting framing, bytes outside the header grammar).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What came back: the status of the first response (if any), its head and everything after it.
#[derive(Debug, Clone)]
pub struct RawReply {
    pub status: Option<u16>,
    pub head: String,
    pub rest: Vec<u8>,
}

impl RawReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The first response's body, if it declared a length.
    pub fn body(&self) -> &[u8] {
        let n = self
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(self.rest.len());
        &self.rest[..n.min(self.rest.len())]
    }

    /// The status of every response the bytes hold (more than one: the server read a second
    /// request from what followed the first).
    pub fn statuses(&self) -> Vec<u16> {
        let all = [self.head.as_bytes(), &self.rest].concat();
        all.windows(12)
            .filter(|w| w.starts_with(b"HTTP/1.1 "))
            .filter_map(|w| std::str::from_utf8(&w[9..12]).ok()?.parse().ok())
            .collect()
    }
}

/// Sends `request` to 127.0.0.1:`port` and reads until the server closes the connection, or
/// half a second after a complete response when it keeps it open (a second response, to bytes
/// read as another request, arrives within that time), or 10 s in all.
pub fn send(port: u16, request: &[u8]) -> RawReply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer and close before reading everything: that is allowed.
    let _ = s.write_all(request);
    let mut bytes = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
        if parse(&bytes).complete() {
            s.set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
        }
    }
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> RawReply {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .strip_prefix("HTTP/1.1 ")
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok());
    RawReply {
        status,
        head,
        rest: bytes[split..].to_vec(),
    }
}

impl RawReply {
    fn complete(&self) -> bool {
        let want = self
            .header("content-length")
            .and_then(|v| v.parse::<usize>().ok());
        self.head.ends_with("\r\n\r\n") && want.is_some_and(|n| self.rest.len() >= n)
    }
}
