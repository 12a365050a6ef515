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
    /// The owner's text overrides: `{locale: {key: text}}` as the server sent them.
    pub texts: JsValue,
    /// The loader could not get the config: which kind a touchpoint asks is unknown.
    pub unavailable: bool,
}

impl SiteConfig {
    /// Reads what the server sent; anything missing or malformed keeps its default.
    pub fn from_js(v: &JsValue) -> Self {
        let mut c = SiteConfig {
            unavailable: !v.is_object(),
            ..SiteConfig::default()
        };
        if let Some(days) = js::number(v, "throttle_days").filter(|d| *d >= 0.0) {
            c.rules.throttle_days = days as u32;
        }
        if let Some(rate) = js::number(v, "sample_rate") {
            c.rules.sample_rate = rate;
        }
        c.texts = js::get(v, "texts");
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
        by_locale(lang, |tag| q.get(tag).cloned())
    }

    /// The owner's text overrides that apply to `lang`, broadest first: those for its language
    /// (`pt`), then those for the exact tag (`pt-BR`).
    pub fn texts_for(&self, lang: &str) -> Vec<JsValue> {
        let primary = lang.split('-').next().unwrap_or(lang);
        let tags = if primary == lang {
            vec![lang]
        } else {
            vec![primary, lang]
        };
        tags.into_iter()
            .map(|tag| js::get(&self.texts, tag))
            .filter(JsValue::is_object)
            .collect()
    }
}

/// Looks `lang` up as given (`pt-BR`), then by its language alone (`pt`).
fn by_locale<T>(lang: &str, find: impl Fn(&str) -> Option<T>) -> Option<T> {
    find(lang).or_else(|| find(lang.split('-').next().unwrap_or(lang)))
}
