//! `cargo xtask screenshots [--no-build] [--answers N]`: the README's pictures, taken from the
//! real thing — the built worker and assets on a local workerd with fresh state, the demo site
//! with seeded answers and displays over 180 days (so reach and the comparison have data), headless Chromium through chromedriver. Writes `docs/screenshots/`:
//! `dashboard.png`, `settings.png` (with the live preview) and the widget on the demo shop in light, dark and Persian (right-to-left),
//! and on a phone (`widget-phone.png`: 360 × 640 CSS px with touch, NPS in its two rows).

use crate::{build, root, setup, Result};
use fantoccini::{Client, Locator};
use harness::browser::Browser;
use harness::local::{Bundle, LocalWorker, Log};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// Enough answers for every kind to have a stable score.
const DEFAULT_ANSWERS: usize = 1500;

/// (file, demo page query, kind asked, score picked)
const WIDGET_SHOTS: &[(&str, &str, &str, u8)] = &[
    ("widget-light.png", "?theme=light", "csat", 4),
    ("widget-dark.png", "?theme=dark", "nps", 9),
    ("widget-rtl.png", "?lang=fa", "csat", 2),
];

pub fn run(args: &[String]) -> Result {
    let answers: usize = crate::number(
        args,
        "--answers",
        DEFAULT_ANSWERS,
        "cargo xtask screenshots [--answers N] [--no-build]",
    )?;
    if !args.iter().any(|a| a == "--no-build") {
        setup::run()?;
        build::run()?;
    }
    let state = root().join("target/screenshots");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    eprintln!("starting the worker (state and log in {})", state.display());
    let log = Log::File(state.join("wrangler.log"));
    // A copy of what was built, so that a rebuild meanwhile cannot change the pictures.
    let bundle = Bundle::snapshot(&state.join("bundle"))
        .map_err(|e| format!("the built worker and assets: {e}"))?;
    let worker = LocalWorker::start_bundle(
        &state,
        harness::free_port(),
        &harness::random_token(),
        log,
        &bundle,
    )
    .map_err(|e| e.to_string())?;
    let token = harness::demo::create(&worker)?;
    let seeded = harness::seed::demo(&worker, "demo", &token, answers)?;
    eprintln!("seeded {seeded} records: {answers} answers over the last 90 days, the 90 days before, their displays");
    let out = root().join("docs/screenshots");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let browser = Browser::start(&state.join("profile")).await;
        let result = shoot_all(&browser, &worker, &token, &out).await;
        browser.close().await;
        result
    })?;
    eprintln!("screenshots written to {}", out.display());
    Ok(())
}

async fn shoot_all(browser: &Browser, worker: &LocalWorker, token: &str, out: &Path) -> Result {
    dashboard(&browser.client, worker, token, &out.join("dashboard.png")).await?;
    settings(&browser.client, &out.join("settings.png")).await?;
    for (file, query, kind, score) in WIDGET_SHOTS {
        widget(browser, worker, query, kind, *score, &out.join(file)).await?;
    }
    browser.phone(360, 640).await;
    let phone = widget(browser, worker, "", "nps", 9, &out.join("widget-phone.png")).await;
    let desktop = serde_json::json!({});
    browser
        .cdp("Emulation.clearDeviceMetricsOverride", desktop.clone())
        .await;
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            serde_json::json!({"enabled": false}),
        )
        .await;
    phone
}

async fn js(c: &Client, script: &str) -> Result<Value> {
    c.execute(script, vec![])
        .await
        .map_err(|e| format!("{script}: {e}"))
}

async fn wait_until(c: &Client, script: &str, what: &str) -> Result {
    let deadline = Instant::now() + Duration::from_secs(30);
    while js(c, script).await? != Value::Bool(true) {
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn save(c: &Client, file: &Path) -> Result {
    // Let fonts, transitions and the last render settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let png = c
        .screenshot()
        .await
        .map_err(|e| format!("screenshot: {e}"))?;
    std::fs::write(file, png).map_err(|e| format!("{}: {e}", file.display()))?;
    eprintln!("  {}", file.display());
    Ok(())
}

/// The dashboard over the last 90 days, from the top down to the first recent comments.
async fn dashboard(c: &Client, worker: &LocalWorker, token: &str, file: &Path) -> Result {
    let cmd = |e: fantoccini::error::CmdError| e.to_string();
    c.set_window_size(1280, 900).await.map_err(cmd)?;
    c.goto(&worker.url("/dashboard/")).await.map_err(cmd)?;
    let site = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#site"))
        .await
        .map_err(cmd)?;
    site.clear().await.map_err(cmd)?;
    site.send_keys("demo").await.map_err(cmd)?;
    c.find(Locator::Css("#token"))
        .await
        .map_err(cmd)?
        .send_keys(token)
        .await
        .map_err(cmd)?;
    c.find(Locator::Css(".sign-in-form button[type=submit]"))
        .await
        .map_err(cmd)?
        .click()
        .await
        .map_err(cmd)?;
    wait_until(
        c,
        "return !!document.querySelector('.cards');",
        "the dashboard",
    )
    .await?;
    js(c, "const f = document.getElementById('from'); f.value = new Date(Date.now() - 89 * 86400000).toISOString().slice(0, 10);
           f.dispatchEvent(new Event('change', {bubbles: true})); document.activeElement.blur();")
    .await?;
    wait_until(c, "return document.querySelector('main').getAttribute('aria-busy') === 'false' && document.querySelectorAll('.trend rect.bar').length === 90;", "90 days of data").await?;
    let bottom = js(c, "const h = document.getElementById('h-comments'); return Math.ceil(h.getBoundingClientRect().bottom + window.scrollY + 420);").await?;
    let height = bottom.as_u64().unwrap_or(2000).clamp(900, 3200) as u32;
    c.set_window_size(1280, height).await.map_err(cmd)?;
    save(c, file).await?;
    c.set_window_size(1200, 900).await.map_err(cmd)
}

/// The settings page of the signed-in dashboard, its live preview in Persian (right to left).
async fn settings(c: &Client, file: &Path) -> Result {
    let cmd = |e: fantoccini::error::CmdError| e.to_string();
    js(
        c,
        "document.querySelector('.page-link:nth-child(2)').click();",
    )
    .await?;
    wait_until(
        c,
        "return !!document.querySelector('.preview-frame');",
        "the settings page",
    )
    .await?;
    js(c, "const l = document.getElementById('edit-locale'); l.value = 'fa'; l.dispatchEvent(new Event('change', {bubbles: true}));").await?;
    // The frame boots the real widget (modules, strings) before it shows the prompt.
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.set_window_size(1280, 1400).await.map_err(cmd)?;
    save(c, file).await?;
    js(c, "document.querySelector('.page-link').click();").await?;
    c.set_window_size(1200, 900).await.map_err(cmd)
}

/// The demo shop with the widget asking (`force` skips the throttle) and a score picked.
async fn widget(
    browser: &Browser,
    worker: &LocalWorker,
    query: &str,
    kind: &str,
    score: u8,
    file: &Path,
) -> Result {
    let c = &browser.client;
    // (Under a phone's emulated metrics the window's size does not matter.)
    c.set_window_size(1100, 760)
        .await
        .map_err(|e| e.to_string())?;
    c.goto(&worker.url(&format!("/demo/{query}")))
        .await
        .map_err(|e| e.to_string())?;
    wait_until(
        c,
        "return document.readyState === 'complete';",
        "the demo page",
    )
    .await?;
    js(
        c,
        &format!("earshot('ask', {{touchpoint: 'checkout', kind: '{kind}', force: true}});"),
    )
    .await?;
    browser
        .in_shadow(
            "earshot-widget",
            &format!("[role=radio][data-score='{score}']"),
        )
        .await
        .click()
        .await
        .map_err(|e| e.to_string())?;
    browser.in_shadow("earshot-widget", "textarea").await;
    js(
        c,
        "document.activeElement && document.activeElement.blur();",
    )
    .await?;
    save(c, file).await
}
