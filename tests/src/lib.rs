//! The end-to-end harness: runs the real worker locally (wrangler dev → workerd, fresh SQLite
//! state), talks HTTP to it, and drives real Chromium through chromedriver.
//!
//! Used by the tests in `tests/tests/` and by `cargo xtask dev` (which needs only
//! [`local`] and [`http`], so the browser parts sit behind the `browser` feature). [`load`] is the
//! bounded load generator (with worker restarts) and [`audit`] checks a site's stored state
//! against what was acknowledged; both serve the fault tests and `cargo xtask soak`.

pub mod audit;
pub mod chromium;
pub mod demo;
pub mod http;
pub mod load;
pub mod local;
pub mod receiver;
pub mod seed;
#[cfg(feature = "browser")]
pub mod browser;

use std::path::PathBuf;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// 32 random bytes as hex, from the OS.
pub fn random_token() -> String {
    use std::io::Read;
    let mut buf = [0u8; 32];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).expect("/dev/urandom");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh, empty folder under `target/e2e/` for one test's state and logs.
pub fn fresh_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = repo_root()
        .join("target/e2e")
        .join(format!("{name}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test dir");
    dir
}
