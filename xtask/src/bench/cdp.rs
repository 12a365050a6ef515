//! Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
//! Chromium reads commands on fd 3 and writes answers and events on fd 4, each a JSON message
//! ended by a NUL byte). No WebDriver, no WebSocket, no async runtime: std and serde_json.

use crate::Result;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

extern "C" {
    fn fcntl(fd: i32, cmd: i32, ...) -> i32;
    fn dup2(old: i32, new: i32) -> i32;
}
const F_DUPFD: i32 = 0;

/// One Chromium process (its own process group) with a fresh profile.
pub struct Chrome {
    child: Child,
    to: std::io::PipeWriter,
    from: Receiver<Value>,
    next_id: u64,
    /// Events that arrived while waiting for an answer.
    events: Vec<Value>,
}

impl Chrome {
    pub fn launch(profile: &Path) -> Result<Chrome> {
        let (cmd_read, cmd_write) = std::io::pipe().map_err(|e| e.to_string())?;
        let (out_read, out_write) = std::io::pipe().map_err(|e| e.to_string())?;
        let (r, w) = (cmd_read.as_raw_fd(), out_write.as_raw_fd());
        let mut cmd = Command::new(harness::chromium::chromium_bin());
        cmd.args(harness::chromium::CHROMIUM_ARGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--remote-debugging-pipe")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        // SAFETY: only async-signal-safe calls between fork and exec. The pipe ends are first
        // copied above fd 10 (a plain dup2 onto the same number would keep close-on-exec).
        unsafe {
            cmd.pre_exec(move || {
                let (r2, w2) = (fcntl(r, F_DUPFD, 10), fcntl(w, F_DUPFD, 10));
                if r2 < 0 || w2 < 0 || dup2(r2, 3) < 0 || dup2(w2, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("start {}: {e}", harness::chromium::chromium_bin()))?;
        drop((cmd_read, out_write));
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(out_read);
            let mut buf = Vec::new();
            while reader.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                buf.pop_if(|b| *b == 0);
                if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
                buf.clear();
            }
        });
        Ok(Chrome {
            child,
            to: cmd_write,
            from: rx,
            next_id: 0,
            events: Vec::new(),
        })
    }

    /// Sends `method` (to the page `session`, or to the browser) and waits for its answer.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        self.to
            .write_all(&bytes)
            .map_err(|e| format!("DevTools pipe: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let m = self.recv(deadline, method)?;
            if m["id"].as_u64() == Some(id) {
                if let Some(e) = m.get("error") {
                    return Err(format!("{method}: {e}"));
                }
                return Ok(m["result"].clone());
            }
            if m.get("method").is_some() {
                self.events.push(m);
            }
        }
    }

    /// Waits for the first event named `method`.
    pub fn event(&mut self, method: &str, limit: Duration) -> Result<Value> {
        if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
            return Ok(self.events.remove(i)["params"].clone());
        }
        let deadline = Instant::now() + limit;
        loop {
            let m = self.recv(deadline, method)?;
            if m["method"] == method {
                return Ok(m["params"].clone());
            }
        }
    }

    fn recv(&mut self, deadline: Instant, what: &str) -> Result<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.from.recv_timeout(left).map_err(|e| match e {
            RecvTimeoutError::Timeout => format!("Chromium: no `{what}` in time"),
            RecvTimeoutError::Disconnected => "Chromium closed the DevTools pipe".to_string(),
        })
    }

    /// A new tab, attached; returns its session id.
    pub fn new_page(&mut self) -> Result<String> {
        let target = self.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )?;
        attached["sessionId"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| "Target.attachToTarget gave no session".into())
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.call(None, "Browser.close", json!({}));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Its helpers (renderer, zygote) are in the same process group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}
