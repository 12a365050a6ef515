//! The site's public config (`GET /v1/sites/{site}/config`), as handed over by the loader.

use crate::js;
use domain::Kind;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PromptConfig {
    pub kind: Option<Kind>,
    /// Question overrides by locale tag.
    pub questions: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteConfig {
    pub prompts: BTreeMap<String, PromptConfig>,
    pub rules: domain::throttle::AskRules,
}

impl SiteConfig {
    /// Reads what the server sent; anything missing or malformed keeps its default.
    pub fn from_js(v: &JsValue) -> Self {
        let mut c = SiteConfig::default();
        if let Some(days) = js::number(v, "throttle_days").filter(|d| *d >= 0.0) {
            c.rules.throttle_days = days as u32;
        }
        if let Some(rate) = js::number(v, "sample_rate") {
            c.rules.sample_rate = rate;
        }
        for (touchpoint, p) in js::entries(&js::get(v, "prompts")) {
            let prompt = PromptConfig {
                kind: js::string(&p, "kind").and_then(|k| Kind::parse(&k).ok()),
                questions: js::string_map(&js::get(&p, "questions")),
            };
            c.prompts.insert(touchpoint, prompt);
        }
        c
    }

    /// The owner's question for `touchpoint` in `lang` (exact tag, then its language).
    pub fn question(&self, touchpoint: &str, lang: &str) -> Option<String> {
        let q = &self.prompts.get(touchpoint)?.questions;
        let primary = lang.split('-').next().unwrap_or(lang);
        q.get(lang).or_else(|| q.get(primary)).cloned()
    }
}
