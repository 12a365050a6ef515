//! The end-to-end harness: runs the real worker locally (wrangler dev → workerd, fresh SQLite
//! state), talks HTTP to it, and drives real Chromium through chromedriver.
//!
//! Used by the tests in `tests/tests/` and by `cargo xtask dev` (which needs only
//! [`local`] and [`http`], so the browser parts sit behind the `browser` feature). [`load`] is the
//! bounded load generator (with worker restarts) and [`audit`] checks a site's stored state
//! against what was acknowledged; both serve the fault tests and `cargo xtask soak`.

pub mod audit;
#[cfg(feature = "browser")]
pub mod browser;
pub mod chromium;
pub mod demo;
pub mod http;
pub mod load;
pub mod local;
pub mod receiver;
pub mod seed;

use std::path::PathBuf;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A port that was free a moment ago on 127.0.0.1, drawn from below the OS's ephemeral range.
///
/// Outgoing connections take their local ports from the ephemeral range, so a port from there
/// (what binding port 0 gives) can be taken by any client connection before the server binds it
/// ("Address already in use"), and a worker that is stopped and restarted on its port could find
/// it handed to another test meanwhile. Below that range only explicit binds compete.
pub fn free_port() -> u16 {
    let low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    let (from, to) = (10_000u16, low.max(10_100));
    for _ in 0..200 {
        let n = u16::from_str_radix(&random_token()[..4], 16).unwrap_or(0);
        let port = from + n % (to - from);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// 32 random bytes as hex, from the OS.
pub fn random_token() -> String {
    use std::io::Read;
    let mut buf = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("/dev/urandom");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh, empty folder under `target/e2e/` for one test's state and logs.
pub fn fresh_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = repo_root().join("target/e2e").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}
