//! The owner dashboard in real Chromium against the real worker, with a seeded history plus
//! today's answers: sign-in errors, headline numbers equal to the summary JSON, a hostile
//! comment shown as text, negative comments highlighted, the touchpoint filter and date range,
//! exports (every page), erase with confirmation, sign out — and a screenshot.

use crate::util::*;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use harness::browser::Browser;
use harness::local::{Bundle, LocalWorker, Log};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const XSS: &str = "<img src=x onerror=alert(1)>";
const SITE: &str = "shop";

async fn wait_for(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("`{css}` did not appear: {e}"))
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Clicks the element `css` names.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("`{css}`: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
}

/// Waits until `script` returns true.
async fn wait_until(c: &Client, script: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while js(c, script).await != Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the summary for the current filters is on the page.
async fn loaded(c: &Client) {
    wait_until(c, "const m = document.querySelector('main'); return !!m && m.getAttribute('aria-busy') === 'false' && !!document.querySelector('.cards');", "the summary").await;
}

async fn sign_in(c: &Client, site: &str, token: &str) {
    let field = wait_for(c, "#site").await;
    field.clear().await.unwrap();
    field.send_keys(site).await.unwrap();
    c.find(Locator::Css("#token"))
        .await
        .unwrap()
        .send_keys(token)
        .await
        .unwrap();
    click(c, ".sign-in-form button[type=submit]").await;
}

/// Records CSP violations and alerts from now on (a fresh page forgets them).
async fn watch(c: &Client) {
    js(c, "window.cspViolations = []; window.alerted = false; window.alert = () => { window.alerted = true; };
           document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));").await;
}

/// The query string of what the page shows.
async fn shown_range(c: &Client) -> String {
    let r = js(
        c,
        "return [document.getElementById('from').value, document.getElementById('to').value];",
    )
    .await;
    format!(
        "?from={}&to={}",
        r[0].as_str().unwrap(),
        r[1].as_str().unwrap()
    )
}

/// Every headline card on the page equals the summary JSON: score, n, interval, low sample.
async fn check_cards(c: &Client, s: &Value) {
    let cards = js(
        c,
        "return ['csat', 'nps', 'ces', 'stars', 'thumbs'].map(k => {
             const q = css => { const e = document.querySelector(`.card[data-kind=${k}] ${css}`); return e ? e.textContent : null; };
             return {value: q('.value'), n: q('.n-value'), lo: q('.ci-low'), hi: q('.ci-high'), warned: q('.low-sample') !== null};
         });",
    )
    .await;
    for (card, (kind, field)) in cards.as_array().unwrap().iter().zip([
        ("csat", "score"),
        ("nps", "score"),
        ("ces", "mean"),
        ("stars", "mean"),
        ("thumbs", "up_pct"),
    ]) {
        let m = &s[kind];
        let number = |v: &Value| v.as_str().and_then(|t| t.parse::<f64>().ok());
        assert_eq!(
            number(&card["value"]),
            m[field].as_f64(),
            "{kind} headline: {card} vs {m}"
        );
        assert_eq!(
            card["n"].as_str().and_then(|n| n.parse::<u64>().ok()),
            m["n"].as_u64(),
            "{kind} n: {card}"
        );
        assert_eq!(
            number(&card["lo"]),
            m["ci95"][0].as_f64(),
            "{kind} interval: {card} vs {m}"
        );
        assert_eq!(
            number(&card["hi"]),
            m["ci95"][1].as_f64(),
            "{kind} interval: {card} vs {m}"
        );
        let low = m["low_sample"].as_bool().unwrap() && m["n"].as_u64().unwrap() > 0;
        assert_eq!(
            card["warned"].as_bool(),
            Some(low),
            "{kind} low-sample warning: {card} vs {m}"
        );
    }
}

/// The worker with the seeded site plus today's answers, and a browser on the dashboard.
struct Shop {
    dir: PathBuf,
    worker: LocalWorker,
    token: String,
    browser: Browser,
    _bundle: Bundle,
}

async fn shop(name: &str) -> Shop {
    let dir = harness::fresh_dir(name);
    // A copy of the built worker and assets: a rebuild elsewhere cannot pull the page away.
    let bundle =
        Bundle::snapshot(&dir.join("bundle")).expect("built worker and assets (cargo xtask build)");
    let log = Log::File(dir.join("wrangler.log"));
    let worker = LocalWorker::start_bundle(
        &dir,
        harness::free_port(),
        &harness::random_token(),
        log,
        &bundle,
    )
    .expect("wrangler dev");
    let token = worker.create_site(SITE, &[ORIGIN]);
    let seeded = harness::seed::seed(&worker, SITE, &token, 600).expect("seed");
    assert!(seeded > 500, "seeded {seeded}");
    // Today's answers: a hostile comment, negatives of several kinds, several touchpoints.
    let today = [
        (1, "support-chat", "ces", 2, Some(XSS)),
        (2, "checkout", "csat", 1, Some("Card declined three times.")),
        (
            3,
            "account",
            "nps",
            3,
            Some("Too expensive for what it does."),
        ),
        (4, "checkout", "csat", 5, Some("Erase me, please.")),
        (5, "onboarding", "thumbs", 0, None),
        (
            6,
            "delivery",
            "stars",
            4,
            Some("Quick & tidy <b>delivery</b>"),
        ),
    ];
    for (n, touchpoint, kind, score, comment) in today {
        let mut body =
            json!({"id": uuid(n), "touchpoint": touchpoint, "kind": kind, "score": score});
        if let Some(c) = comment {
            body["comment"] = json!(c);
        }
        ingest_ok(&worker, SITE, &body.to_string());
    }

    let browser = Browser::start(&dir.join("profile")).await;
    let c = &browser.client;
    c.goto(&worker.url("/dashboard/")).await.unwrap();
    watch(c).await;
    Shop {
        dir,
        worker,
        token,
        browser,
        _bundle: bundle,
    }
}

/// [`shop`], signed in as the owner, with the default range's summary on the page.
async fn signed_in(name: &str) -> Shop {
    let shop = shop(name).await;
    let c = &shop.browser.client;
    sign_in(c, SITE, &shop.token).await;
    loaded(c).await;
    shop
}

/// Shows the last 90 days (the whole seeded history); their query string and summary.
async fn last_90_days(shop: &Shop) -> (String, Value) {
    let c = &shop.browser.client;
    js(c, "const f = document.getElementById('from'); const d = new Date(Date.now() - 89 * 86400000);
           f.value = d.toISOString().slice(0, 10); f.dispatchEvent(new Event('change', {bubbles: true}));").await;
    wait_until(c, "return document.querySelector('main').getAttribute('aria-busy') === 'false' && document.querySelectorAll('.trend rect.bar').length === 90;", "90 days").await;
    let range = shown_range(c).await;
    let s = summary(&shop.worker, SITE, &shop.token, &range).json();
    (range, s)
}

async fn no_csp_violations(c: &Client) {
    assert_eq!(
        js(c, "return window.cspViolations;").await,
        json!([]),
        "no CSP violations"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn sign_in_errors_keep_the_owner_at_the_form() {
    let shop = shop("dashboard-sign-in").await;
    let c = &shop.browser.client;
    // Clear errors: a wrong token (401) and an unknown site (404) keep the owner at the form.
    sign_in(c, SITE, "eso_wrong").await;
    let error = wait_for(c, "#sign-in-error").await.text().await.unwrap();
    assert!(error.contains("401") && error.contains("token"), "{error}");
    sign_in(c, "nosuch", &shop.token).await;
    wait_until(c, "const e = document.getElementById('sign-in-error'); return !!e && e.textContent.includes('404');", "the 404 message").await;
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn headline_cards_equal_the_summary() {
    let shop = signed_in("dashboard-cards").await;
    let c = &shop.browser.client;
    let range = shown_range(c).await;
    let s = summary(&shop.worker, SITE, &shop.token, &range).json();
    assert!(s["responses"].as_u64().unwrap() > 100, "{s}");
    check_cards(c, &s).await;
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_comments_are_text_and_negative_ones_stand_out() {
    let shop = signed_in("dashboard-comments").await;
    let c = &shop.browser.client;
    // The hostile comment is text; no element came from it and nothing ran.
    let comments = js(
        c,
        "const area = document.querySelector('section[aria-labelledby=h-comments]');
         return {images: area.querySelectorAll('img, b').length, all_images: document.images.length,
                 texts: [...area.querySelectorAll('.comment .text')].map(e => e.textContent), alerted: window.alerted};",
    )
    .await;
    assert_eq!(
        (comments["images"].as_u64(), comments["all_images"].as_u64()),
        (Some(0), Some(0)),
        "{comments}"
    );
    let texts: Vec<&str> = comments["texts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        texts.contains(&XSS),
        "the payload is shown as text: {texts:?}"
    );
    assert!(texts.contains(&"Quick & tidy <b>delivery</b>"), "{texts:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(js(c, "return window.alerted;").await, Value::Bool(false));

    // Negative comments are highlighted (class, badge, colour); positive ones are not.
    let look = js(
        c,
        &format!(
            "const li = id => document.querySelector(`.comment[data-id='${{id}}']`);
             const show = e => ({{negative: e.classList.contains('negative'), badge: !!e.querySelector('.badge'),
                                  border: getComputedStyle(e).borderLeftColor}});
             return [show(li('{}')), show(li('{}')), show(li('{}'))];",
            uuid(1),
            uuid(2),
            uuid(4)
        ),
    )
    .await;
    for (i, negative) in [true, true, false].into_iter().enumerate() {
        assert_eq!(look[i]["negative"].as_bool(), Some(negative), "{look}");
        assert_eq!(look[i]["badge"].as_bool(), Some(negative), "{look}");
    }
    assert_ne!(
        look[0]["border"], look[2]["border"],
        "highlighted by colour too: {look}"
    );
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_touchpoint_filter_follows_the_summary() {
    let shop = signed_in("dashboard-filter").await;
    let (c, worker, token) = (&shop.browser.client, &shop.worker, &shop.token);
    let range = shown_range(c).await;
    let s = summary(worker, SITE, token, &range).json();
    // The touchpoint filter: options from by_touchpoint; the cards follow the filtered summary.
    let options = js(
        c,
        "return [...document.querySelectorAll('#touchpoint option')].map(o => o.value);",
    )
    .await;
    for t in s["by_touchpoint"].as_object().unwrap().keys() {
        assert!(
            options.as_array().unwrap().contains(&json!(t)),
            "{t} in {options}"
        );
    }
    c.find(Locator::Css("#touchpoint"))
        .await
        .unwrap()
        .select_by_value("support-chat")
        .await
        .unwrap();
    wait_until(c, "return document.querySelector('main').getAttribute('aria-busy') === 'false' && document.querySelector('.card[data-kind=csat] .n-value').textContent === '0';", "the filtered summary").await;
    check_cards(
        c,
        &summary(
            worker,
            SITE,
            token,
            &format!("{range}&touchpoint=support-chat"),
        )
        .json(),
    )
    .await;
    c.find(Locator::Css("#touchpoint"))
        .await
        .unwrap()
        .select_by_value("")
        .await
        .unwrap();
    wait_until(c, "return document.querySelector('main').getAttribute('aria-busy') === 'false' && document.querySelector('.card[data-kind=csat] .n-value').textContent !== '0';", "all touchpoints again").await;
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn ninety_days_show_the_whole_history() {
    let shop = signed_in("dashboard-90-days").await;
    let c = &shop.browser.client;
    // The last 90 days: the whole seeded history.
    let (_, s) = last_90_days(&shop).await;
    check_cards(c, &s).await;
    let rows = js(c, "return [...document.querySelectorAll('table.touchpoints tbody tr')].map(r => [r.dataset.touchpoint, r.cells[1].textContent]);").await;
    for row in rows.as_array().unwrap() {
        let t = row[0].as_str().unwrap();
        assert_eq!(
            row[1].as_str().unwrap(),
            s["by_touchpoint"][t]["responses"].to_string(),
            "{t}: {row}"
        );
    }

    // The picture, before anything is erased.
    let height = js(c, "return document.documentElement.scrollHeight;")
        .await
        .as_u64()
        .unwrap_or(900);
    c.set_window_size(1280, height.clamp(900, 6000) as u32)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(shop.dir.join("dashboard.png"), &png).unwrap();
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn exports_hold_every_answer_of_the_range() {
    let shop = signed_in("dashboard-export").await;
    let c = &shop.browser.client;
    let (range, s) = last_90_days(&shop).await;
    // Exports: every page, handed to the browser as a file (the click is intercepted here).
    js(c, "window.downloads = []; window.blobs = []; const create = URL.createObjectURL;
           URL.createObjectURL = b => { window.blobs.push(b); return create.call(URL, b); };
           HTMLAnchorElement.prototype.click = function () { window.downloads.push({name: this.download, href: this.href}); };").await;
    let (from, to) = (range[6..16].to_string(), range[20..30].to_string());
    for (button, format) in [(".export-csv", "csv"), (".export-ndjson", "ndjson")] {
        click(c, button).await;
        wait_until(
            c,
            "return document.querySelector('.status').textContent.startsWith('Exported');",
            "the export",
        )
        .await;
        let file = js(c, "return window.downloads[window.downloads.length - 1];").await;
        assert_eq!(
            file["name"],
            format!("earshot-{SITE}-{from}-{to}.{format}"),
            "{file}"
        );
        // The file's content, read from the Blob itself (the page's CSP allows no fetch of blob: URLs).
        let text = c.execute_async("const done = arguments[arguments.length - 1]; window.blobs[window.blobs.length - 1].text().then(done);", vec![]).await.unwrap();
        let text = text.as_str().unwrap();
        let records = match format {
            "csv" => domain::export::parse_csv(text).len() - 1,
            _ => text.lines().count(),
        };
        assert_eq!(
            records as u64,
            s["responses"].as_u64().unwrap(),
            "{format}: every answer of the range"
        );
        let status = c
            .find(Locator::Css(".status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            status.contains(&format!("Exported {records} records")),
            "{status}"
        );
    }
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn erase_asks_first_and_updates_the_figures() {
    let shop = signed_in("dashboard-erase").await;
    let c = &shop.browser.client;
    let (range, s) = last_90_days(&shop).await;
    // Erase one response: asked first, then gone from the page and from the figures.
    let item = format!(".comment[data-id='{}']", uuid(4));
    click(c, &format!("{item} .erase")).await;
    wait_for(c, &format!("{item} .confirm-erase"))
        .await
        .click()
        .await
        .unwrap();
    wait_until(c, &format!("return !document.querySelector(\"{item}\") && document.querySelector('main').getAttribute('aria-busy') === 'false';"), "the erased comment to go").await;
    let after = summary(&shop.worker, SITE, &shop.token, &range).json();
    assert_eq!(
        after["responses"].as_u64().unwrap(),
        s["responses"].as_u64().unwrap() - 1
    );
    check_cards(c, &after).await;
    no_csp_violations(c).await;
    shop.browser.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_session_lives_in_this_tab_only() {
    let shop = signed_in("dashboard-session").await;
    let (c, token) = (&shop.browser.client, &shop.token);
    // The session lives in this tab only: it survives a reload, never reaches localStorage,
    // and signing out forgets it.
    c.refresh().await.unwrap();
    watch(c).await;
    loaded(c).await;
    assert_eq!(
        js(
            c,
            &format!("return JSON.stringify(localStorage).includes('{token}');")
        )
        .await,
        Value::Bool(false)
    );
    click(c, ".sign-out").await;
    wait_for(c, "#token").await;
    assert_eq!(
        js(
            c,
            "return sessionStorage.getItem('earshot-dashboard:token');"
        )
        .await,
        Value::Null
    );
    no_csp_violations(c).await;
    shop.browser.close().await;
}

/// The response rate and every "vs previous period" line are on the cards, equal to the
/// summary; the cases inbox lists a negative answer with its contact, and the owner resolves
/// it with a note — the server has it, and the Resolved tab shows it.
#[tokio::test(flavor = "current_thread")]
async fn reach_compare_and_the_cases_inbox() {
    let shop = shop("dashboard-cases").await;
    let (w, c) = (&shop.worker, &shop.browser.client);
    // Three prompts shown at checkout: one answered (negative, with a contact), one dismissed.
    let displays = [uuid(9001), uuid(9002), uuid(9003)];
    for d in &displays {
        assert_eq!(display(w, SITE, d, "shown").status, 201);
    }
    assert_eq!(display(w, SITE, &displays[2], "dismissed").status, 201);
    let case_id = uuid(9100);
    ingest_ok(
        w,
        SITE,
        &json!({"id": case_id, "touchpoint": "checkout", "kind": "csat", "score": 1,
                "comment": "The parcel never came.", "contact": "ana@example.com",
                "display_id": displays[0]})
        .to_string(),
    );
    sign_in(c, SITE, &shop.token).await;
    loaded(c).await;
    let range = shown_range(c).await;
    let s = summary(w, SITE, &shop.token, &format!("{range}&compare=previous")).json();
    assert_eq!(
        (
            s["reach"]["shown"].as_u64(),
            s["reach"]["answered"].as_u64()
        ),
        (Some(3), Some(1)),
        "{s}"
    );
    let reach = js(c, "const q = css => document.querySelector(`.card[data-kind=reach] ${css}`).textContent; return [q('.value'), q('.n-value'), q('.ci-low'), q('.ci-high')];").await;
    let number = |v: &Value| v.as_str().and_then(|t| t.parse::<f64>().ok());
    assert_eq!(number(&reach[0]), s["reach"]["response_rate"].as_f64());
    assert_eq!(reach[1], json!("3"));
    assert_eq!(
        number(&reach[2]),
        s["reach"]["response_rate_ci95"][0].as_f64()
    );
    assert_eq!(
        number(&reach[3]),
        s["reach"]["response_rate_ci95"][1].as_f64()
    );
    // Every card compares with the previous period, saying plainly whether it is significant.
    let changes = js(c, "return [...document.querySelectorAll('.card')].map(e => { const l = e.querySelector('.change'); return [e.dataset.kind, l ? l.className : null, l ? l.textContent : null]; });").await;
    let prev = format!(
        "vs {} to {}",
        s["compare"]["from"].as_str().unwrap(),
        s["compare"]["to"].as_str().unwrap()
    );
    for card in changes.as_array().unwrap() {
        let text = card[2]
            .as_str()
            .unwrap_or_else(|| panic!("no change line: {card}"));
        assert!(text.starts_with(&prev), "{card} vs {prev}");
        let key = if card[0] == "reach" {
            "response_rate"
        } else {
            card[0].as_str().unwrap()
        };
        let sig = &s["compare"][key]["significant"];
        let want = match sig.as_bool() {
            Some(true) => "significant",
            Some(false) => "not-significant",
            None => "no-data",
        };
        assert!(
            card[1].as_str().unwrap().split(' ').any(|c| c == want),
            "{card}: {sig}"
        );
    }

    // The inbox opens on the open cases, newest first; the contact is shown there.
    let item = format!(".case[data-id='{case_id}']");
    wait_for(c, &item).await;
    assert_eq!(
        js(
            c,
            "return document.querySelector('.tab[aria-selected=true]').dataset.status;"
        )
        .await,
        json!("open")
    );
    let first = js(
        c,
        "return document.querySelector('.cases .case').dataset.id;",
    )
    .await;
    assert_eq!(first, json!(case_id), "the newest case first");
    let contact = wait_for(c, &format!("{item} .contact-value"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(contact, "ana@example.com");
    // Resolve it with a note.
    js(c, &format!("const s = document.querySelector(\"{item} .case-status\"); s.value = 'resolved'; s.dispatchEvent(new Event('change', {{bubbles: true}}));")).await;
    c.find(Locator::Css(&format!("{item} .case-note")))
        .await
        .unwrap()
        .send_keys("Refunded and apologised.")
        .await
        .unwrap();
    click(c, &format!("{item} .save-case")).await;
    wait_until(
        c,
        "return document.querySelector('.status').textContent === 'The case is now resolved.';",
        "the saved case",
    )
    .await;
    let cases = owner_get(
        w,
        &format!("/v1/sites/{SITE}/cases?status=resolved"),
        &shop.token,
    )
    .json();
    let saved = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == json!(case_id))
        .unwrap_or_else(|| panic!("{cases}"));
    let last = saved["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["status"], &last["note"]),
        (&json!("resolved"), &json!("Refunded and apologised."))
    );
    // The Resolved tab lists it; the recovery card counts it.
    click(c, ".tab[data-status=resolved]").await;
    wait_until(c, &format!("return document.querySelector('.tab[aria-selected=true]').dataset.status === 'resolved' && !!document.querySelector(\"{item}[data-status=resolved]\");"), "the resolved tab").await;
    wait_until(c, "const d = document.querySelector('.recovery'); return !!d && d.textContent.includes('resolved');", "the recovery card").await;
    no_csp_violations(c).await;
    shop.browser.close().await;
}

/// Sets an input's value as a person typing would (an `input` event, then `change`).
async fn type_into(c: &Client, css: &str, text: &str) {
    let script = format!(
        "const e = document.querySelector({css:?}); e.value = {text:?};
         e.dispatchEvent(new InputEvent('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}}));"
    );
    js(c, &script).await;
}

/// The settings page: the install snippet and the origin check, an origin added, a refused
/// value explained next to its field by the server's own message, a prompt added (the public
/// config has it), and the owner token rotated (shown once; the old one stops working, this
/// tab goes on).
#[tokio::test(flavor = "current_thread")]
async fn the_settings_page_changes_what_the_widget_reads() {
    let shop = signed_in("dashboard-settings").await;
    let (w, c) = (&shop.worker, &shop.browser.client);
    click(c, ".page-link:nth-child(2)").await;
    let tag = wait_for(c, ".script-tag").await.text().await.unwrap();
    assert_eq!(
        tag,
        format!(
            "<script src=\"{}/widget.js\" data-site=\"{SITE}\" async></script>",
            w.url("").trim_end_matches('/')
        )
    );
    // Check an origin: not allowed yet.
    type_into(c, "#check-origin", "https://www.shop.example").await;
    js(c, "document.querySelector('.check-origin button').click();").await;
    wait_until(
        c,
        "return document.querySelector('.check-result').textContent.startsWith('Not allowed');",
        "the origin check",
    )
    .await;
    // Add it and save.
    let origins = js(
        c,
        "return document.getElementById('set-allowed_origins').value;",
    )
    .await;
    type_into(
        c,
        "#set-allowed_origins",
        &format!("{}\nhttps://www.shop.example", origins.as_str().unwrap()),
    )
    .await;
    js(
        c,
        "document.querySelector('#group-general .save-group').click();",
    )
    .await;
    wait_until(c, "return (document.querySelector('.saved') || {}).textContent === 'Saved: Site and allowed origins.';", "the saved origins").await;
    let s = owner_get(w, &format!("/v1/sites/{SITE}"), &shop.token).json();
    assert!(
        s["allowed_origins"]
            .as_array()
            .unwrap()
            .contains(&json!("https://www.shop.example")),
        "{s}"
    );
    js(c, "document.querySelector('.check-origin button').click();").await;
    wait_until(
        c,
        "return document.querySelector('.check-result').textContent.startsWith('Allowed');",
        "the origin allowed",
    )
    .await;
    // A value the server refuses: its message at the field, nothing changed.
    type_into(c, "#set-sla_hours", "two days").await;
    js(
        c,
        "document.querySelector('#group-cases .save-group').click();",
    )
    .await;
    wait_until(
        c,
        "return document.getElementById('set-sla_hours').getAttribute('aria-invalid') === 'true';",
        "the refused field",
    )
    .await;
    let message = js(
        c,
        "return document.getElementById('set-sla_hours-error').textContent;",
    )
    .await;
    assert!(message.as_str().unwrap().contains("sla_hours"), "{message}");
    assert_eq!(
        owner_get(w, &format!("/v1/sites/{SITE}"), &shop.token).json()["sla_hours"],
        json!(48)
    );
    // A new prompt with a page rule.
    let n = add_prompt(c).await;
    type_into(c, &format!("#prompt-{n}-touchpoint"), "returns").await;
    js(c, &format!("const s = document.getElementById('prompt-{n}-kind'); s.value = 'nps'; s.dispatchEvent(new Event('change', {{bubbles: true}}));")).await;
    type_into(
        c,
        &format!("#prompt-{n}-question"),
        "Would you recommend our returns?",
    )
    .await;
    type_into(c, &format!("#prompt-{n}-page"), "/returns/done").await;
    type_into(c, &format!("#prompt-{n}-delay"), "800").await;
    js(
        c,
        "document.querySelector('#group-prompts .save-group').click();",
    )
    .await;
    wait_until(c, "return (document.querySelector('.saved') || {}).textContent === 'Saved: Prompts & page rules.';", "the saved prompt").await;
    let config = harness::http::get(&w.url(&format!("/v1/sites/{SITE}/config")), &[]).json();
    assert_eq!(
        config["prompts"]["returns"],
        json!({"kind": "nps", "questions": {"en": "Would you recommend our returns?"}, "page_prefix": "/returns/done", "delay_ms": 800})
    );
    wait_until(c, "return [...document.querySelectorAll('.ask-example')].some(e => e.textContent.includes(\"touchpoint: 'returns', kind: 'nps'\"));", "the ask example").await;
    // Rotate: the new token is shown once, the old one is refused, this tab goes on.
    js(c, "document.querySelector('.rotate-token').click();").await;
    let token = wait_for(c, ".new-token code").await.text().await.unwrap();
    assert!(token.starts_with("eso_") && token != shop.token);
    assert_eq!(
        owner_get(w, &format!("/v1/sites/{SITE}"), &shop.token).status,
        401
    );
    assert_eq!(
        owner_get(w, &format!("/v1/sites/{SITE}"), &token).status,
        200
    );
    js(c, "document.querySelector('.page-link').click();").await;
    loaded(c).await;
    assert!(js(c, "return !document.querySelector('.error');")
        .await
        .as_bool()
        .unwrap());
    no_csp_violations(c).await;
    shop.browser.close().await;
}

/// Adds a prompt row on the settings page: its index.
async fn add_prompt(c: &Client) -> usize {
    js(c, "document.querySelector('.add-prompt').click();").await;
    wait_for(c, "#prompt-0-touchpoint").await;
    let rows = js(c, "return document.querySelectorAll('.prompt-row').length;").await;
    rows.as_u64().unwrap() as usize - 1
}

/// The widget's question and its direction, polled until `want` is asked (in the preview
/// frame when `framed`), or what was there after 30 s.
async fn question_shown(c: &Client, want: &str, framed: bool) -> Value {
    let script = "const h = document.querySelector('earshot-widget'); const q = h && h.shadowRoot && h.shadowRoot.querySelector('.es-question');
                  return q ? [q.textContent, getComputedStyle(q).direction] : null;";
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if framed {
            c.enter_frame(0).await.expect("the preview frame");
        }
        let v = js(c, script).await;
        if framed {
            c.enter_parent_frame().await.unwrap();
        }
        if v[0] == json!(want) || Instant::now() > deadline {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The live preview is the real widget: a prompt added in Persian shows its draft question in
/// the frame, mirrored, before anything is saved; it follows the draft; and an answer given in
/// the preview is never stored or counted.
#[tokio::test(flavor = "current_thread")]
async fn the_preview_is_the_real_widget_with_the_draft() {
    let shop = signed_in("dashboard-preview").await;
    let (w, c) = (&shop.worker, &shop.browser.client);
    click(c, ".page-link:nth-child(2)").await;
    wait_for(c, ".script-tag").await;
    type_into(c, "#edit-locale", "fa").await;
    let n = add_prompt(c).await;
    type_into(c, &format!("#prompt-{n}-touchpoint"), "returns").await;
    type_into(c, &format!("#prompt-{n}-question"), "بازگشت کالا آسان بود؟").await;
    js(c, &format!("const s = document.getElementById('preview-prompt'); s.value = '{n}'; s.dispatchEvent(new Event('change', {{bubbles: true}}));")).await;
    // Inside the frame: the real widget, the draft's words, right to left.
    let seen = question_shown(c, "بازگشت کالا آسان بود؟", true).await;
    assert_eq!(
        seen,
        json!(["بازگشت کالا آسان بود؟", "rtl"]),
        "the preview shows the draft"
    );
    // An answer in the preview is refused by the server: nothing stored, nothing counted.
    let before = summary(w, SITE, &shop.token, "").json()["responses"].clone();
    c.enter_frame(0).await.expect("the preview frame");
    js(c, "const r = document.querySelector('earshot-widget').shadowRoot; r.querySelector('[role=radio]').click();
           setTimeout(() => r.querySelector('.es-send').click(), 100);").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    c.enter_parent_frame().await.unwrap();
    assert_eq!(
        summary(w, SITE, &shop.token, "").json()["responses"],
        before
    );
    // Nothing was saved: the site's config has no such prompt.
    let config = harness::http::get(&w.url(&format!("/v1/sites/{SITE}/config")), &[]).json();
    assert!(config["prompts"]["returns"].is_null(), "{config}");
    // The draft changes: a new frame with the new words.
    type_into(c, &format!("#prompt-{n}-question"), "راضی بودید؟").await;
    let v = question_shown(c, "راضی بودید؟", true).await;
    assert_eq!(
        v[0],
        json!("راضی بودید؟"),
        "the preview did not follow the draft: {v}"
    );
    no_csp_violations(c).await;
    // Saved with a page rule, the prompt asks on that page, in Persian, mirrored.
    type_into(c, &format!("#prompt-{n}-page"), "/demo/lab/prefetch").await;
    js(
        c,
        "document.querySelector('#group-prompts .save-group').click();",
    )
    .await;
    wait_until(c, "return (document.querySelector('.saved') || {}).textContent === 'Saved: Prompts & page rules.';", "the saved prompt").await;
    c.goto(&w.url(&format!("/demo/lab/prefetch?site={SITE}&lang=fa")))
        .await
        .unwrap();
    let v = question_shown(c, "راضی بودید؟", false).await;
    assert_eq!(
        v,
        json!(["راضی بودید؟", "rtl"]),
        "the page rule asks in Persian"
    );
    shop.browser.close().await;
}
