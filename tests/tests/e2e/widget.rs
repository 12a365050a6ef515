//! The widget in real Chromium against the real worker: every kind end to end, keyboard only,
//! throttling, right-to-left, hostile host CSS and a strict Content-Security-Policy.

use crate::util::*;
use harness::browser::{Browser, ENTER, ESCAPE, RIGHT, TAB};
use harness::fresh_dir;
use serde_json::Value;
use std::time::{Duration, Instant};

/// A worker with the `demo` site (its own origins allowed) and a browser with a fresh profile.
pub(crate) struct Lab {
    pub(crate) worker: harness::local::LocalWorker,
    pub(crate) browser: Browser,
    pub(crate) token: String,
}

pub(crate) async fn lab(name: &str) -> Lab {
    let dir = fresh_dir(name);
    let worker = start_in(&dir, harness::free_port());
    let origins = worker.own_origins();
    let token = worker.create_site(
        "demo",
        &origins.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let browser = Browser::start(&dir.join("profile")).await;
    Lab {
        worker,
        browser,
        token,
    }
}

impl Lab {
    pub(crate) async fn open(&self, path: &str) {
        self.browser
            .client
            .goto(&self.worker.url(path))
            .await
            .expect("open page");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.browser
            .client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css}"))
            .click()
            .await
            .unwrap();
    }

    pub(crate) async fn widget(&self, css: &str) -> fantoccini::elements::Element {
        self.browser.in_shadow("earshot-widget", css).await
    }

    /// Picks `score`, optionally comments, sends, and waits for the thank-you.
    pub(crate) async fn answer(&self, score: u8, comment: Option<&str>) {
        self.browser.answer(score, comment).await;
        self.widget(".es-thanks").await;
    }

    pub(crate) fn summary(&self) -> Value {
        summary(&self.worker, "demo", &self.token, "").json()
    }

    /// Runs `script` in the page (awaiting a promise it returns) and gives back its value.
    pub(crate) async fn js(&self, script: &str) -> Value {
        self.browser
            .client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    pub(crate) async fn prompt_shown(&self) -> bool {
        self.browser.in_widget("return !!root;").await == Value::Bool(true)
    }

    pub(crate) async fn close(self) {
        self.browser.close().await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn every_kind_keyboard_only_and_throttling() {
    let lab = lab("widget-kinds").await;
    lab.open("/demo/lab/").await;
    for (kind, score) in [
        ("csat", 5u8),
        ("nps", 9),
        ("ces", 6),
        ("stars", 4),
        ("thumbs", 1),
    ] {
        lab.click(&format!("#ask-{kind}")).await;
        lab.answer(score, (kind == "ces").then_some("Easy enough"))
            .await;
        lab.widget(".es-thanks").await;
        // The thank-you closes itself.
        let deadline = Instant::now() + Duration::from_secs(10);
        while lab.prompt_shown().await {
            assert!(
                Instant::now() < deadline,
                "the thank-you should close by itself"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let s = lab.summary();
    assert_eq!(s["responses"], 5, "{s}");
    for kind in ["csat", "nps", "ces", "stars", "thumbs"] {
        assert_eq!(s[kind]["n"], 1, "{kind}: {s}");
        assert_eq!(s["by_touchpoint"][format!("lab-{kind}")]["responses"], 1);
    }
    assert_eq!(s["nps"]["promoters"], 1);
    assert_eq!(s["recent_comments"][0]["comment"], "Easy enough");
    let events: Value = lab.js("return window.earshotLog.map(e => e.event)").await;
    let submitted = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| *e == "submitted")
        .count();
    assert_eq!(submitted, 5, "{events}");

    // Throttled: the same touchpoint is not asked again in this browser; others still are.
    lab.click("#ask-csat").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !lab.prompt_shown().await,
        "a second ask for the same touchpoint is not shown"
    );

    // Keyboard only, in a fresh page: Tab to a button, Enter, arrows, Tab to the comment, type,
    // Tab to Send, Enter.
    lab.js("localStorage.removeItem('earshot:asked:demo')")
        .await;
    lab.open("/demo/lab/").await;
    lab.browser.press(&TAB.to_string()).await;
    let focused: Value = lab.js("return document.activeElement.id").await;
    assert_eq!(focused, "ask-csat");
    lab.browser.press(&ENTER.to_string()).await;
    lab.widget("[role=radiogroup]").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    lab.browser
        .press(&[RIGHT; 3].iter().collect::<String>())
        .await;
    lab.browser
        .press(&format!("{TAB}Typed with the keyboard{TAB}{ENTER}"))
        .await;
    lab.widget(".es-thanks").await;
    let s = lab.summary();
    assert_eq!(s["csat"]["n"], 2);
    assert_eq!(
        s["csat"]["distribution"]["3"], 1,
        "three presses of → pick 3: {s}"
    );
    assert_eq!(
        s["recent_comments"][0]["comment"],
        "Typed with the keyboard"
    );

    // Escape dismisses and focus goes back to the button that asked.
    lab.click("#ask-nps").await;
    lab.widget("[role=radiogroup]").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    lab.browser.press(&ESCAPE.to_string()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!lab.prompt_shown().await);
    let focused: Value = lab.js("return document.activeElement.id").await;
    assert_eq!(focused, "ask-nps");
    lab.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn rtl_hostile_css_and_strict_csp_pages() {
    let lab = lab("widget-pages").await;

    // Persian: mirrored layout and scale, Persian words, locale stored.
    lab.open("/demo/lab/fa").await;
    lab.click("#ask-csat").await;
    lab.widget("[role=radiogroup]").await;
    let xs = lab
        .browser
        .in_widget("const x = s => root.querySelector(`[data-score='${s}']`).getBoundingClientRect().left; return [x(1), x(5)];")
        .await;
    let (x1, x5) = (xs[0].as_f64().unwrap(), xs[1].as_f64().unwrap());
    assert!(x1 > x5, "score 1 is on the right in RTL: {xs}");
    let question = lab.browser.widget_text("#es-question").await;
    assert_eq!(question, "چقدر راضی هستید؟");
    lab.answer(2, Some("خیلی کند بود")).await;
    let s = lab.summary();
    assert_eq!(s["csat"]["distribution"]["2"], 1);
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    assert!(export.contains("\"locale\":\"fa\""), "{export}");

    // Hostile host CSS: the widget is still visible, styled by itself, and works.
    lab.open("/demo/lab/hostile").await;
    lab.click("#ask-stars").await;
    lab.widget("[role=radiogroup]").await;
    let looks = lab
        .browser
        .in_widget(
            "const r = host.getBoundingClientRect(); const b = root.querySelector('[data-score=\"5\"]');
             return [r.width, r.height, getComputedStyle(b).display, getComputedStyle(root.querySelector('.es-question')).fontSize];",
        )
        .await;
    assert!(
        looks[0].as_f64().unwrap() > 200.0 && looks[1].as_f64().unwrap() > 80.0,
        "visible: {looks}"
    );
    assert_ne!(
        looks[2], "none",
        "host `button {{ display: none !important }}` does not reach the widget"
    );
    assert_ne!(looks[3], "40px", "host font sizes do not reach the widget");
    lab.answer(5, None).await;
    assert_eq!(lab.summary()["stars"]["n"], 1);

    // Strict CSP: no inline script or style, no eval — and no violation reported.
    let headers = harness::http::get(&lab.worker.url("/demo/lab/strict"), &[]);
    assert!(headers
        .header("content-security-policy")
        .unwrap_or_default()
        .contains("script-src 'self' 'wasm-unsafe-eval'"));
    lab.open("/demo/lab/strict").await;
    lab.click("#ask-thumbs").await;
    lab.answer(1, None).await;
    assert_eq!(lab.summary()["thumbs"]["up"], 1);
    let violations: Value = lab.js("return window.cspViolations").await;
    assert_eq!(
        violations,
        Value::Array(vec![]),
        "CSP violations: {violations}"
    );
    lab.close().await;
}

/// The loader picks the strings from the page's language tag and fetches only that language's
/// file (English is built in); the owner's own words (settings `texts`) win over both, by exact
/// tag, then by language; the tag itself, in canonical form, is what the answer stores.
#[tokio::test(flavor = "current_thread")]
async fn the_language_tag_picks_the_strings() {
    let lab = lab("widget-lang").await;
    let texts = serde_json::json!({"texts": {"pt": {"send": "Mandar resposta"}, "de-CH": {"thanks": "Merci vielmal!"}}});
    let r = patch(&lab.worker, "demo", &lab.token, texts);
    assert_eq!(r.status, 200, "{}", r.body);
    let i18n_fetches = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/i18n-')).map(e => e.name.split('/').pop())";
    for (tag, question, send, thanks, files) in [
        (
            "pt-BR",
            "Qual é o seu nível de satisfação?",
            "Mandar resposta",
            "Obrigado pelo seu feedback!",
            vec!["pt.json"],
        ),
        (
            "de_CH",
            "Wie zufrieden sind Sie?",
            "Senden",
            "Merci vielmal!",
            vec!["de.json"],
        ),
        (
            "xx",
            "How satisfied are you?",
            "Send",
            "Thank you for your feedback!",
            vec![],
        ),
    ] {
        lab.open("/demo/lab/").await;
        lab.js(&format!("document.documentElement.lang = '{tag}'"))
            .await;
        lab.click("#ask-csat").await;
        lab.widget("[role=radiogroup]").await;
        assert_eq!(
            lab.browser.widget_text("#es-question").await,
            question,
            "{tag}"
        );
        assert_eq!(lab.browser.widget_text(".es-send").await, send, "{tag}");
        let fetched: Value = lab.js(i18n_fetches).await;
        assert_eq!(fetched, serde_json::json!(files), "{tag}");
        lab.answer(4, None).await;
        assert_eq!(lab.browser.widget_text(".es-thanks").await, thanks, "{tag}");
        lab.js("localStorage.clear()").await;
    }
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    for locale in ["\"locale\":\"pt-BR\"", "\"locale\":\"de-CH\""] {
        assert!(export.contains(locale), "{locale} in {export}");
    }
    assert_eq!(
        export.lines().count(),
        3,
        "the answer with an unknown tag arrived too: {export}"
    );
    lab.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_inline_prompt_sits_in_the_page() {
    let lab = lab("widget-inline").await;
    lab.open("/demo/lab/inline").await;
    let after = "return document.getElementById('after').getBoundingClientRect().top";
    let before: Value = lab.js(after).await;
    lab.click("#ask-ces").await;
    lab.widget("[role=radiogroup]").await;
    let placed: Value = lab.js("const h = document.querySelector('earshot-widget');
             return [h.parentElement.id, getComputedStyle(h).position, h.shadowRoot.querySelector('.es-card').getAttribute('role')]").await;
    assert_eq!(placed, serde_json::json!(["feedback", "static", "region"]));
    let moved: Value = lab.js(after).await;
    assert!(
        moved.as_f64().unwrap() > before.as_f64().unwrap() + 100.0,
        "the page flows around it: {before} → {moved}"
    );
    lab.answer(6, Some("Clear steps")).await;
    assert_eq!(lab.summary()["ces"]["n"], 1);
    lab.close().await;
}

/// The loader survives a careless or hostile page: odd `on` names, attributes that are not
/// text, and the script tag included twice (a no-op: one click still asks once).
#[tokio::test(flavor = "current_thread")]
async fn the_loader_survives_a_careless_page() {
    let lab = lab("widget-loader").await;
    lab.open("/demo/lab/").await;
    let same: Value = lab.js("const before = window.earshot;
             earshot('on', '__proto__', () => {}); earshot('on', 'constructor', 1); earshot('on', 'error', 'nope');
             earshot('identify', {attributes: {weird: Symbol('x'), plan: 'pro'}});
             const s = document.createElement('script'); s.src = '/widget.js'; s.dataset.site = 'demo';
             await new Promise(r => { s.onload = r; document.head.appendChild(s); });
             return window.earshot === before;").await;
    assert_eq!(
        same,
        Value::Bool(true),
        "a second script tag leaves the first in charge"
    );
    lab.click("#ask-csat").await;
    lab.answer(5, None).await;
    let hosts: Value = lab
        .js("return document.querySelectorAll('earshot-widget').length")
        .await;
    assert_eq!(hosts, 1);
    let log: Value = lab.js("return window.earshotLog.map(e => e.event + ' ' + (typeof e.detail === 'string' ? e.detail : ''))").await;
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e == "error identify: attribute weird is not text"),
        "{log}"
    );
    let s = lab.summary();
    assert_eq!(s["csat"]["n"], 1, "asked and counted once: {s}");
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    assert!(
        export.contains("\"plan\":\"pro\""),
        "the good attribute went along: {export}"
    );
    lab.close().await;
}

/// Page rules follow a single-page app's navigation (the path changes without a load), and
/// match by path segment: `/demo/lab/spa-step` covers `/demo/lab/spa-step/2`, not `…/spa-steps`.
#[tokio::test(flavor = "current_thread")]
async fn page_rules_follow_in_page_navigation() {
    let lab = lab("widget-spa").await;
    let rule = serde_json::json!({"prompts": {"spa": {"kind": "thumbs", "page_prefix": "/demo/lab/spa-step", "delay_ms": 300}}});
    assert_eq!(patch(&lab.worker, "demo", &lab.token, rule).status, 200);
    lab.open("/demo/lab/").await;
    let go = |path: &str| format!("history.pushState({{}}, '', '{path}')");
    lab.js(&go("/demo/lab/spa-steps")).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        !lab.prompt_shown().await,
        "`spa-steps` is not under `spa-step`"
    );
    lab.js(&go("/demo/lab/spa-step/2")).await;
    let radios = lab.widget("[role=radiogroup]").await;
    assert_eq!(
        radios
            .find_all(fantoccini::Locator::Css("[role=radio]"))
            .await
            .unwrap()
            .len(),
        2,
        "the rule's thumbs prompt"
    );
    lab.answer(1, None).await;
    assert_eq!(lab.summary()["thumbs"]["up"], 1);
    lab.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_page_on_another_origin_embeds_the_widget() {
    let lab = lab("widget-cross").await;
    // The page comes from localhost; the widget, its modules and the API from 127.0.0.1.
    let page = format!("http://localhost:{}/demo/lab/cross", lab.worker.port);
    lab.browser.client.goto(&page).await.expect("open page");
    lab.click("#ask-nps").await;
    lab.answer(10, Some("Embedded elsewhere")).await;
    let s = lab.summary();
    assert_eq!(
        (s["nps"]["n"].as_u64(), s["nps"]["promoters"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    let from_widget_origin: Value = lab.js("const o = 'http://127.0.0.1:' + location.port; return [location.origin, \
             performance.getEntriesByType('resource').filter(e => e.name.startsWith(o) && /\\.(wasm|js)$/.test(e.name)).length]").await;
    assert_eq!(
        from_widget_origin[0],
        format!("http://localhost:{}", lab.worker.port)
    );
    assert!(
        from_widget_origin[1].as_u64().unwrap() >= 3,
        "loader, glue and wasm came from the other origin: {from_widget_origin}"
    );
    let export = owner_get(&lab.worker, "/v1/sites/demo/responses", &lab.token).body;
    assert!(
        export.contains(&format!(
            "\"page\":\"http://localhost:{}/demo/lab/cross\"",
            lab.worker.port
        )),
        "{export}"
    );
    lab.close().await;
}
