//! Real headless Chromium through chromedriver, driven with fantoccini.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use crate::chromium::{chromium_bin, CHROMIUM_ARGS};

pub fn chromedriver_bin() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// A chromedriver process and one browser session with a fresh profile.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start(profile: &Path) -> Browser {
        let port = crate::free_port();
        let mut cmd = Command::new(chromedriver_bin());
        cmd.arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Its own process group, so the browsers it starts go with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let driver = cmd
            .spawn()
            .expect("start chromedriver (run `cargo xtask setup`)");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({"args": args, "binary": chromium_bin()}),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => return Browser { client, driver },
                Err(e) if Instant::now() > deadline => {
                    panic!("cannot start a browser session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    /// Waits until `css` matches inside the open shadow root of the first `host` element.
    pub async fn in_shadow(&self, host: &str, css: &str) -> fantoccini::elements::Element {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(h) = self.client.find(Locator::Css(host)).await {
                if let Ok(root) = h.shadow_root().await {
                    if let Ok(el) = root.find(Locator::Css(css)).await {
                        return el;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "`{css}` did not appear inside <{host}>'s shadow root"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses keys on whatever has focus (WebDriver key actions; no element is focused first,
    /// so this works inside shadow roots). Special keys: [`TAB`], [`ENTER`], [`RIGHT`], ….
    pub async fn press(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for c in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("key actions");
    }

    /// In the prompt on screen: picks `score`, writes `comment` if any, and presses Send (the
    /// outcome — thanks, queued — is the caller's to wait for).
    pub async fn answer(&self, score: u8, comment: Option<&str>) {
        let radio = format!("[role=radio][data-score='{score}']");
        self.in_shadow("earshot-widget", &radio)
            .await
            .click()
            .await
            .expect("pick a score");
        if let Some(text) = comment {
            self.in_shadow("earshot-widget", "textarea")
                .await
                .send_keys(text)
                .await
                .expect("type the comment");
        }
        self.in_shadow("earshot-widget", ".es-send")
            .await
            .click()
            .await
            .expect("press Send");
    }

    /// The text of `css` inside the widget, once it is there. Read as `textContent`: WebDriver's
    /// visible text is empty while the prompt fades in.
    pub async fn widget_text(&self, css: &str) -> String {
        self.in_shadow("earshot-widget", css).await;
        let sel = serde_json::to_string(css).unwrap_or_default();
        let v = self
            .in_widget(&format!("return root.querySelector({sel}).textContent;"))
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Runs `script` with `root` bound to the widget's shadow root (null when absent).
    pub async fn in_widget(&self, script: &str) -> serde_json::Value {
        let js = format!("const host = document.querySelector('earshot-widget'); const root = host && host.shadowRoot; {script}");
        self.client.execute(&js, vec![]).await.expect("script")
    }

    /// Runs a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`), e.g.
    /// `Emulation.setDeviceMetricsOverride`; gives back its result.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let call = Cdp(serde_json::json!({"cmd": cmd, "params": params}));
        self.client
            .issue_cmd(call)
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Turns the page into a phone's: `width` × `height` CSS px, touch input (a coarse
    /// pointer), a mobile viewport. Call again to change the size, as a keyboard would.
    pub async fn phone(&self, width: u32, height: u32) {
        let metrics = serde_json::json!({"width": width, "height": height,
            "deviceScaleFactor": 2, "mobile": true});
        self.cdp("Emulation.setDeviceMetricsOverride", metrics)
            .await;
        let touch = serde_json::json!({"enabled": true, "maxTouchPoints": 5});
        self.cdp("Emulation.setTouchEmulationEnabled", touch).await;
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &pgid])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.wait();
    }
}

#[derive(Debug)]
struct Cdp(serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// WebDriver key codes for [`Browser::press`].
pub const TAB: char = '\u{e004}';
pub const ENTER: char = '\u{e007}';
pub const ESCAPE: char = '\u{e00c}';
pub const LEFT: char = '\u{e012}';
pub const RIGHT: char = '\u{e014}';
