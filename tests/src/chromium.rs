//! Where Chromium is and the flags it needs here. Shared by the WebDriver tests ([`crate::browser`])
//! and by `cargo xtask bench`, which drives Chromium itself and so needs no `browser` feature.

/// Flags that work here as root on a machine without a network.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
];

pub fn chromium_bin() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}
