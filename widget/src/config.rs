//! The site's public config (`GET /v1/sites/{site}/config`, `domain::settings::PublicView`), as
//! handed over by the loader.
//!
//! Read from the loader's JS object rather than into `domain::settings::PublicConfig`: that
//! type is filled by serde_json, which the wasm leaves out (ARCHITECTURE: no JSON library in
//! the widget), and the widget keeps what it reads already decided — the kind parsed, the
//! throttle as `domain::throttle::AskRules`, the text overrides as the object the string reader
//! overlays, and whether the config arrived at all. A test reads a `PublicConfig` as the server
//! encodes it, so the two cannot drift apart.

use crate::js;
use crate::text::{self, Texts};
use domain::settings::{locale_keys, ContactMode};
use domain::Kind;
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SiteConfig {
    /// `{touchpoint: {kind, questions: {tag: text}}}` as the server sent it: read when a
    /// touchpoint is asked, not copied into maps at boot (which would bring a map type and its
    /// code into the wasm for a lookup or two per page).
    prompts: JsValue,
    pub rules: domain::throttle::AskRules,
    /// The owner's text overrides: `{locale: {key: text}}` as the server sent them.
    pub texts: JsValue,
    /// The loader could not get the config: which kind a touchpoint asks is unknown.
    pub unavailable: bool,
    /// The site's setting `contact` is `negative`: "May we contact you?" after a negative
    /// score. Not offered where the setting is unknown (an answer with a contact a site refuses
    /// would be refused whole).
    pub offer_contact: bool,
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
        c.prompts = js::get(v, "prompts");
        c.offer_contact =
            js::string(v, "contact").as_deref() == Some(ContactMode::Negative.as_str());
        c
    }

    /// The owner's settings for `touchpoint` (`undefined` when there are none). Only its
    /// own properties: a touchpoint named like an `Object.prototype` member finds nothing.
    fn prompt(&self, touchpoint: &str) -> JsValue {
        js::own(&self.prompts, touchpoint)
    }

    /// The kind the owner set for `touchpoint`, if any (and if it is a kind).
    pub fn kind(&self, touchpoint: &str) -> Option<Kind> {
        js::string(&self.prompt(touchpoint), "kind").and_then(|k| Kind::parse(&k).ok())
    }

    /// The owner's question for `touchpoint` in `lang` (exact tag, then its language).
    pub fn question(&self, touchpoint: &str, lang: &str) -> Option<String> {
        let q = js::get(&self.prompt(touchpoint), "questions");
        locale_keys(lang)
            .into_iter()
            .find_map(|tag| js::own(&q, tag).as_string())
    }

    /// `base` with the owner's text overrides for `lang` laid over it, broadest first: those
    /// for its language (`pt`), then those for the exact tag (`pt-BR`).
    pub fn texts_over(&self, lang: &str, base: &'static Texts) -> &'static Texts {
        locale_keys(lang)
            .into_iter()
            .rev()
            .map(|tag| js::get(&self.texts, tag))
            .filter(JsValue::is_object)
            .fold(base, |base, o| text::over(&o, base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::settings::{PromptConfig as Prompt, PublicConfig, PublicView};
    use std::collections::BTreeMap;

    /// What the server sends (`PublicConfig` through serde_json) is what the widget reads.
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn reads_the_public_config_as_the_server_encodes_it() {
        let mut questions = BTreeMap::new();
        questions.insert("pt".to_string(), "Gostou?".to_string());
        questions.insert("pt-BR".to_string(), "Curtiu?".to_string());
        let mut prompts = BTreeMap::new();
        let prompt = Prompt {
            kind: "nps".into(),
            questions,
            page_prefix: Some("/account".into()),
            delay_ms: Some(500),
        };
        prompts.insert("account".to_string(), prompt);
        let mut send = BTreeMap::new();
        send.insert("send".to_string(), "Mandar".to_string());
        let mut texts = BTreeMap::new();
        texts.insert("pt".to_string(), send);
        let public = PublicView {
            config: PublicConfig {
                site: "shop".into(),
                prompts,
                texts,
                throttle_days: 7,
                sample_rate: 0.25,
            },
            contact: ContactMode::Negative,
            data_location: domain::site::DataLocation::of_site("eu.shop"),
        };
        let json = serde_json::to_string(&public).unwrap();
        let c = SiteConfig::from_js(&js::parse(&json).unwrap());
        assert!(!c.unavailable);
        assert!(c.offer_contact);
        let off = PublicView {
            contact: ContactMode::Off,
            ..public
        };
        let json = serde_json::to_string(&off).unwrap();
        assert!(!SiteConfig::from_js(&js::parse(&json).unwrap()).offer_contact);
        assert_eq!((c.rules.throttle_days, c.rules.sample_rate), (7, 0.25));
        assert_eq!(c.kind("account"), Some(Kind::Nps));
        assert_eq!((c.kind("checkout"), c.kind("constructor")), (None, None));
        assert_eq!(c.question("toString", "en"), None);
        assert_eq!(c.question("account", "pt-BR").as_deref(), Some("Curtiu?"));
        assert_eq!(c.question("account", "pt-PT").as_deref(), Some("Gostou?"));
        assert_eq!(c.question("account", "en"), None);
        let english = text::english();
        let laid = c.texts_over("pt-BR", english);
        assert_eq!((laid.send(), laid.thanks()), ("Mandar", english.thanks()));
    }
}
