//! Time to prompt: a host page that asks on load, against an empty baseline page, each opened
//! in a new headless Chromium with a fresh profile.
//!
//! The page measures itself: from navigation start (`performance.now()` is 0 there) to the
//! first animation frame, after the widget's `shown` event, in which the prompt's first rating
//! button has a non-empty box (the frame that paints it). The baseline page adds one paragraph
//! on load and times the first frame in which it has a box, the same way. The page hands its figures to a DevTools binding;
//! right then the bench reads `Performance.getMetrics` for the page's main-thread
//! `ScriptDuration` (JavaScript and WebAssembly run on the main thread since the renderer
//! started; compilation on background threads is not in it).

use super::cdp::Chrome;
use super::stats::Sample;
use crate::Result;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

/// Between starting Chromium and navigating.
const SETTLE: Duration = Duration::from_millis(1000);

/// Where the pages live inside the served static assets.
pub const DIR: &str = "bench";

/// Writes the two pages into `site/bench/`.
pub fn write_pages(site: &Path, site_id: &str) -> Result {
    let dir = site.join(DIR);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let prompt = PROMPT_PAGE.replace("__SITE__", site_id);
    std::fs::write(dir.join("prompt.html"), prompt).map_err(|e| e.to_string())?;
    let idle = IDLE_PAGE.replace("__SITE__", site_id);
    std::fs::write(dir.join("idle.html"), idle).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("baseline.html"), BASELINE_PAGE).map_err(|e| e.to_string())
}

/// One page load's figures, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub visible_ms: f64,
    pub script_ms: f64,
}

/// The pages `runs` times each, alternating, after one discarded warm-up load of each.
pub struct TimeToPrompt {
    pub prompt: Vec<Load>,
    pub baseline: Vec<Load>,
    /// The page that asks after idle, the widget prefetched: `visible_ms` is ask → visible.
    pub after_idle: Vec<Load>,
}

impl TimeToPrompt {
    pub fn visible(&self, baseline: bool) -> Sample {
        Sample::new(self.pick(baseline).iter().map(|l| l.visible_ms).collect())
    }
    pub fn script(&self, baseline: bool) -> Sample {
        Sample::new(self.pick(baseline).iter().map(|l| l.script_ms).collect())
    }
    /// Ask → prompt visible on the page that asks after idle (the widget prefetched).
    pub fn ask_after_idle(&self) -> Sample {
        Sample::new(self.after_idle.iter().map(|l| l.visible_ms).collect())
    }
    fn pick(&self, baseline: bool) -> &[Load] {
        if baseline {
            &self.baseline
        } else {
            &self.prompt
        }
    }
}

pub fn measure(base: &str, profiles: &Path, runs: usize) -> Result<TimeToPrompt> {
    let prompt_url = format!("{base}/{DIR}/prompt");
    let baseline_url = format!("{base}/{DIR}/baseline");
    let idle_url = format!("{base}/{DIR}/idle");
    let mut out = TimeToPrompt {
        prompt: Vec::new(),
        baseline: Vec::new(),
        after_idle: Vec::new(),
    };
    for run in 0..=runs {
        let b = load(&baseline_url, &profiles.join(format!("baseline-{run}")))?;
        let p = load(&prompt_url, &profiles.join(format!("prompt-{run}")))?;
        let i = load(&idle_url, &profiles.join(format!("idle-{run}")))?;
        eprintln!(
            "  run {run}{}: prompt {:.1} ms (script {:.1} ms), baseline {:.1} ms, ask after idle → visible {:.1} ms",
            if run == 0 { " (warm-up)" } else { "" },
            p.visible_ms,
            p.script_ms,
            b.visible_ms,
            i.visible_ms
        );
        if run > 0 {
            out.baseline.push(b);
            out.prompt.push(p);
            out.after_idle.push(i);
        }
    }
    Ok(out)
}

/// Reports, on the dashboard, the first animation frame after the one that painted the
/// sign-in form: the wasm fetched, compiled and rendered.
const DASHBOARD_PAINT: &str = "(function () {
  if (location.pathname.indexOf('/dashboard') !== 0) return;
  function f() {
    if (document.querySelector('.sign-in-form')) requestAnimationFrame(function () { earshotBench(JSON.stringify({ visible: performance.now() })); });
    else requestAnimationFrame(f);
  }
  requestAnimationFrame(f);
})();";

/// The owner dashboard's first paint (navigation start → the sign-in form painted), `runs`
/// times after one discarded warm-up, each in a fresh Chromium profile.
pub fn dashboard_paint(base: &str, profiles: &Path, runs: usize) -> Result<Sample> {
    let url = format!("{base}/dashboard/");
    let mut out = Vec::new();
    for run in 0..=runs {
        let profile = profiles.join(format!("dashboard-{run}"));
        let ms = in_fresh_chromium(&profile, |chrome, page| {
            let s = Some(page);
            chrome.call(s, "Page.enable", json!({}))?;
            chrome.call(
                s,
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": DASHBOARD_PAINT}),
            )?;
            chrome.call(s, "Page.navigate", json!({"url": url}))?;
            let called = chrome.event("Runtime.bindingCalled", Duration::from_secs(30))?;
            let report: Value =
                serde_json::from_str(called["payload"].as_str().unwrap_or_default())
                    .map_err(|e| e.to_string())?;
            report["visible"]
                .as_f64()
                .ok_or_else(|| "the dashboard reported no time".to_string())
        })?;
        eprintln!(
            "  run {run}{}: dashboard painted at {ms:.1} ms",
            if run == 0 { " (warm-up)" } else { "" }
        );
        if run > 0 {
            out.push(ms);
        }
    }
    Ok(Sample::new(out))
}

/// Opens `url` in a new Chromium with an empty profile in `profile` and waits for the page's report.
fn load(url: &str, profile: &Path) -> Result<Load> {
    in_fresh_chromium(profile, |chrome, page| {
        let s = Some(page);
        chrome.call(s, "Performance.enable", json!({}))?;
        chrome.call(s, "Page.navigate", json!({"url": url}))?;
        let called = chrome.event("Runtime.bindingCalled", Duration::from_secs(30))?;
        let metrics = chrome.call(s, "Performance.getMetrics", json!({}))?;
        let report: Value = serde_json::from_str(called["payload"].as_str().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        if let Some(e) = report["error"].as_str() {
            return Err(format!("{url}: {e}"));
        }
        let metric = |name: &str| {
            metrics["metrics"]
                .as_array()
                .and_then(|m| m.iter().find(|x| x["name"] == name))
                .and_then(|x| x["value"].as_f64())
        };
        // Where the ask after idle spends its time: the widget's work, then the frame.
        if let Some(ms) = report["shown_after_ask"].as_f64() {
            eprintln!("    ask → `shown` event {ms:.1} ms");
        }
        if let Some(shown) = report["shown"].as_f64() {
            eprintln!(
                "    load event {:.0} ms, downloads ended [{}], shown {shown:.0} ms",
                report["loaded"].as_f64().unwrap_or(f64::NAN),
                report["fetched"].as_str().unwrap_or_default()
            );
        }
        Ok(Load {
            visible_ms: report["visible"]
                .as_f64()
                .ok_or("the page reported no time")?,
            script_ms: metric("ScriptDuration").ok_or("no ScriptDuration metric")? * 1000.0,
        })
    })
}

/// Runs `measure` on a new page of a new Chromium with an empty profile in `profile` (removed
/// after), once start-up has settled and the page has the `earshotBench` binding it reports to.
fn in_fresh_chromium<T>(
    profile: &Path,
    measure: impl FnOnce(&mut Chrome, &str) -> Result<T>,
) -> Result<T> {
    let _ = std::fs::remove_dir_all(profile);
    std::fs::create_dir_all(profile).map_err(|e| e.to_string())?;
    let result = (|| {
        let mut chrome = Chrome::launch(profile)?;
        let page = chrome.new_page()?;
        // A browser a visitor already has open is not starting up: let start-up work settle.
        std::thread::sleep(SETTLE);
        let s = Some(page.as_str());
        chrome.call(s, "Runtime.enable", json!({}))?;
        chrome.call(s, "Runtime.addBinding", json!({"name": "earshotBench"}))?;
        measure(&mut chrome, &page)
    })();
    let _ = std::fs::remove_dir_all(profile);
    result
}

/// Asks on `load` exactly as a site owner would (queue pattern, async script tag).
const PROMPT_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Earshot bench: time to prompt</title><link rel="icon" href="data:,">
<script>
window.earshot = window.earshot || function () { (earshot.q = earshot.q || []).push(arguments) };
function report(x) { window.earshotBench(JSON.stringify(x)); }
var shown, loaded;
// When each download of the widget ended (ms after navigation start), for the log.
function fetched() {
  return performance.getEntriesByType('resource').map(function (e) {
    return e.name.replace(location.origin, '').replace(/\/widget\/earshot-\w+/, '/widget/earshot') + ' ' + Math.round(e.responseEnd);
  }).join(', ');
}
earshot('on', 'shown', function () {
  shown = performance.now();
  requestAnimationFrame(function check() {
    var host = document.querySelector('earshot-widget');
    var button = host && host.shadowRoot && host.shadowRoot.querySelector('[role=radio]');
    var box = button && button.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) report({ visible: performance.now(), shown: shown, loaded: loaded, fetched: fetched() });
    else requestAnimationFrame(check);
  });
});
earshot('on', 'error', function (e) { report({ error: String(e) }); });
addEventListener('load', function () { loaded = performance.now(); earshot('ask', { touchpoint: 'bench', kind: 'csat' }); });
setTimeout(function () { report({ error: 'no prompt within 20 s' }); }, 20000);
</script>
<script src="/widget.js" data-site="__SITE__" async></script>
</head><body><h1>Thanks for your order</h1></body></html>
"#;

/// A page that may ask (an element with `data-earshot-ask`), so the loader prefetches the
/// widget at idle (`data-prefetch` is `auto` by default); it asks 2 s after `load` and reports
/// ask → the first frame with the prompt's first rating button painted.
const IDLE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Earshot bench: ask after idle</title><link rel="icon" href="data:,">
<script>
window.earshot = window.earshot || function () { (earshot.q = earshot.q || []).push(arguments) };
function report(x) { window.earshotBench(JSON.stringify(x)); }
var asked, shown;
earshot('on', 'shown', function () {
  shown = performance.now() - asked;
  requestAnimationFrame(function check() {
    var host = document.querySelector('earshot-widget');
    var button = host && host.shadowRoot && host.shadowRoot.querySelector('[role=radio]');
    var box = button && button.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) report({ visible: performance.now() - asked, shown_after_ask: shown });
    else requestAnimationFrame(check);
  });
});
earshot('on', 'error', function (e) { report({ error: String(e) }); });
addEventListener('load', function () {
  setTimeout(function () {
    var wasm = performance.getEntriesByType('resource').some(function (e) { return /\.wasm$/.test(e.name); });
    if (!wasm) return report({ error: 'the widget was not prefetched 2 s after load' });
    asked = performance.now();
    earshot('ask', { touchpoint: 'bench', kind: 'csat' });
  }, 2000);
});
setTimeout(function () { report({ error: 'no prompt within 20 s' }); }, 20000);
</script>
<script src="/widget.js" data-site="__SITE__" async></script>
</head><body><h1>Thanks for your order</h1><button data-earshot-ask="bench" data-earshot-kind="csat">Feedback</button></body></html>
"#;

/// The same page without the widget: one paragraph added on load.
const BASELINE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Earshot bench: baseline</title><link rel="icon" href="data:,">
<script>
addEventListener('load', function () {
  var p = document.createElement('p');
  p.textContent = 'How was it?';
  document.body.appendChild(p);
  requestAnimationFrame(function check() {
    var box = p.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) window.earshotBench(JSON.stringify({ visible: performance.now() }));
    else requestAnimationFrame(check);
  });
});
</script>
</head><body><h1>Thanks for your order</h1></body></html>
"#;
