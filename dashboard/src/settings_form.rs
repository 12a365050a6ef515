//! The settings page's model: the owner's draft of every `PATCH /v1/sites/{site}` setting as
//! the text of its field, grouped as the page shows them, and the patch each group's "Save"
//! sends. Pure, so what is sent can be checked without a browser.
//!
//! A field that does not read as the number it should is sent as the text it holds: the server
//! then refuses it with its own message and names the field, which the page shows next to it.

use domain::settings::{PromptConfig, Settings, Texts};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The page's groups, each saved on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    General,
    Prompts,
    Words,
    Alerts,
    Cases,
    Data,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::General,
        Group::Prompts,
        Group::Words,
        Group::Alerts,
        Group::Cases,
        Group::Data,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::General => "Site and allowed origins",
            Group::Prompts => "Prompts & page rules",
            Group::Words => "Words (per language)",
            Group::Alerts => "Alerts",
            Group::Cases => "Cases",
            Group::Data => "Data",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Group::General => "general",
            Group::Prompts => "prompts",
            Group::Words => "words",
            Group::Alerts => "alerts",
            Group::Cases => "cases",
            Group::Data => "data",
        }
    }

    /// The settings this group changes.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Group::General => &["name", "allowed_origins"],
            Group::Prompts => &["prompts"],
            Group::Words => &["texts"],
            Group::Alerts => &["webhook_url", "alert_contact", "digest"],
            Group::Cases => &["contact", "sla_hours", "contact_retention_days"],
            Group::Data => &[
                "throttle_days",
                "sample_rate",
                "retention_days",
                "shards",
                "rate_limit_per_minute",
            ],
        }
    }

    /// The group a setting the server named belongs to.
    pub fn of(field: &str) -> Option<Group> {
        let key = field.split(['.', '[']).next().unwrap_or(field);
        Group::ALL.into_iter().find(|g| g.keys().contains(&key))
    }
}

/// One prompt as the page edits it: the question in the locale being edited; the other
/// locales' questions are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromptRow {
    pub touchpoint: String,
    pub kind: String,
    pub question: String,
    pub page_prefix: String,
    pub delay_ms: String,
    pub questions: BTreeMap<String, String>,
}

/// Every setting as the text of its field.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Plain settings by key (`allowed_origins`: one per line; booleans `true`/`false`).
    pub values: BTreeMap<&'static str, String>,
    pub prompts: Vec<PromptRow>,
    /// The locale whose questions and words are edited.
    pub locale: String,
    pub texts: Texts,
}

const PLAIN: [&str; 13] = [
    "name",
    "allowed_origins",
    "webhook_url",
    "alert_contact",
    "digest",
    "contact",
    "sla_hours",
    "contact_retention_days",
    "throttle_days",
    "sample_rate",
    "retention_days",
    "shards",
    "rate_limit_per_minute",
];

impl Draft {
    pub fn new(s: &Settings, locale: &str) -> Draft {
        let v = serde_json::to_value(s).unwrap_or(Value::Null);
        let values = PLAIN
            .into_iter()
            .map(|k| {
                let text = match &v[k] {
                    Value::Null => String::new(),
                    Value::String(x) => x.clone(),
                    Value::Array(items) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        let mut d = Draft {
            values,
            prompts: Vec::new(),
            locale: locale.to_string(),
            texts: s.texts.clone(),
        };
        d.prompts = s
            .prompts
            .iter()
            .map(|(tp, p)| PromptRow {
                touchpoint: tp.clone(),
                kind: p.kind.clone(),
                question: p.questions.get(locale).cloned().unwrap_or_default(),
                page_prefix: p.page_prefix.clone().unwrap_or_default(),
                delay_ms: p.delay_ms.map(|d| d.to_string()).unwrap_or_default(),
                questions: p.questions.clone(),
            })
            .collect();
        d
    }

    pub fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    pub fn set(&mut self, key: &'static str, text: String) {
        self.values.insert(key, text);
    }

    /// Edits another locale: the prompts' question fields show that locale's questions.
    pub fn switch_locale(&mut self, locale: String) {
        for p in &mut self.prompts {
            keep_question(p, &self.locale);
            p.question = p.questions.get(&locale).cloned().unwrap_or_default();
        }
        self.locale = locale;
    }

    /// One word of the widget in the edited locale (empty: the widget's own).
    pub fn word(&self, key: &str) -> String {
        self.texts
            .get(&self.locale)
            .and_then(|t| t.get(key))
            .cloned()
            .unwrap_or_default()
    }

    pub fn set_word(&mut self, key: &str, text: String) {
        let words = self.texts.entry(self.locale.clone()).or_default();
        if text.is_empty() {
            words.remove(key);
        } else {
            words.insert(key.to_string(), text);
        }
        if words.is_empty() {
            self.texts.remove(&self.locale);
        }
    }

    /// What "Save" of `group` sends.
    pub fn patch(&self, group: Group) -> Value {
        let mut out = Map::new();
        for &key in group.keys() {
            out.insert(key.to_string(), self.json_of(key));
        }
        Value::Object(out)
    }

    fn json_of(&self, key: &str) -> Value {
        let text = self.value(key);
        let t = text.trim();
        match key {
            "name" | "contact" | "digest" => json!(t),
            "allowed_origins" => json!(t
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()),
            "webhook_url" | "retention_days" if t.is_empty() => Value::Null,
            "webhook_url" => json!(t),
            "alert_contact" => json!(t == "true"),
            "sample_rate" => t.parse::<f64>().map_or_else(|_| json!(t), |x| json!(x)),
            "prompts" => self.prompts_json(),
            "texts" => json!(self.texts),
            _ => t.parse::<u64>().map_or_else(|_| json!(t), |x| json!(x)),
        }
    }

    fn prompts_json(&self) -> Value {
        let mut out = Map::new();
        for row in &self.prompts {
            let mut p = row.clone();
            keep_question(&mut p, &self.locale);
            let delay = p.delay_ms.trim();
            let config = PromptConfig {
                kind: p.kind.clone(),
                questions: p.questions,
                page_prefix: Some(p.page_prefix.trim().to_string()).filter(|x| !x.is_empty()),
                delay_ms: None,
            };
            let mut v = serde_json::to_value(config).unwrap_or(Value::Null);
            if !delay.is_empty() {
                v["delay_ms"] = delay
                    .parse::<u64>()
                    .map_or_else(|_| json!(delay), |x| json!(x));
            }
            out.insert(p.touchpoint.trim().to_string(), v);
        }
        Value::Object(out)
    }
}

/// The question field's text, back into the prompt's questions of `locale`.
fn keep_question(p: &mut PromptRow, locale: &str) {
    let q = p.question.trim();
    if q.is_empty() {
        p.questions.remove(locale);
    } else {
        p.questions.insert(locale.to_string(), q.to_string());
    }
}

/// What the live preview frame is told (JSON): the site, the prompt to ask, the language and
/// theme, and the public config as it would be with the draft saved — throttle and sampling off,
/// so the preview always asks.
pub fn preview_message(d: &Draft, site: &str, prompt: usize, theme: &str) -> Option<String> {
    let p = d.prompts.get(prompt)?;
    let prompts = d.prompts_json();
    let config = json!({
        "site": site,
        "prompts": prompts,
        "texts": d.texts,
        "throttle_days": 0,
        "sample_rate": 1.0,
        "contact": d.value("contact"),
    });
    Some(
        json!({
            "site": site,
            "touchpoint": p.touchpoint.trim(),
            "kind": p.kind,
            "lang": d.locale,
            "theme": theme,
            "config": config,
        })
        .to_string(),
    )
}

/// The install snippet: the script tag for this site on the worker at `origin`.
pub fn script_tag(origin: &str, site: &str) -> String {
    format!("<script src=\"{origin}/widget.js\" data-site=\"{site}\" async></script>")
}

/// The queue stub, so `earshot(…)` works before the script has loaded.
pub const QUEUE_STUB: &str =
    "window.earshot = window.earshot || function(){ (earshot.q = earshot.q || []).push(arguments) };";

/// One `ask` per configured touchpoint.
pub fn ask_examples(s: &Settings) -> Vec<String> {
    s.prompts
        .iter()
        .map(|(tp, p)| {
            format!(
                "earshot('ask', {{ touchpoint: '{tp}', kind: '{}' }});",
                p.kind
            )
        })
        .collect()
}

/// Whether the widget may send from `origin`: `Ok(true)` allowed, `Ok(false)` not (yet),
/// `Err` when it is not an origin at all (with the server's rule).
pub fn origin_allowed(s: &Settings, origin: &str) -> Result<bool, String> {
    domain::site::normalize_origin(origin.trim())
        .map(|o| s.allowed_origins.contains(&o))
        .map_err(|f| f.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn settings() -> Settings {
        let mut s = Settings::new(
            "eu.shop".into(),
            "Shop".into(),
            vec!["https://shop.example".into()],
            None,
        );
        s.prompts.insert(
            "checkout".into(),
            PromptConfig {
                kind: "csat".into(),
                questions: [
                    ("en".to_string(), "How was checkout?".to_string()),
                    ("fa".into(), "چطور بود؟".into()),
                ]
                .into(),
                page_prefix: Some("/thanks".into()),
                delay_ms: Some(1500),
            },
        );
        s
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn each_group_sends_only_its_settings_as_the_server_takes_them() {
        let mut d = Draft::new(&settings(), "en");
        assert_eq!(d.value("allowed_origins"), "https://shop.example");
        assert_eq!(d.value("retention_days"), "");
        d.set(
            "allowed_origins",
            "https://shop.example\n\n https://www.shop.example ".into(),
        );
        assert_eq!(
            d.patch(Group::General),
            json!({"name": "Shop", "allowed_origins": ["https://shop.example", "https://www.shop.example"]})
        );
        d.set("retention_days", "".into());
        d.set("throttle_days", "7".into());
        d.set("sample_rate", "0.25".into());
        let data = d.patch(Group::Data);
        assert_eq!(data["retention_days"], Value::Null);
        assert_eq!(
            (data["throttle_days"].clone(), data["sample_rate"].clone()),
            (json!(7), json!(0.25))
        );
        // Not a number: sent as typed, for the server to refuse with its own words.
        d.set("sla_hours", "two days".into());
        assert_eq!(d.patch(Group::Cases)["sla_hours"], json!("two days"));
        d.set("webhook_url", " ".into());
        d.set("alert_contact", "true".into());
        assert_eq!(
            d.patch(Group::Alerts),
            json!({"webhook_url": null, "alert_contact": true, "digest": "off"})
        );
        assert_eq!(Group::of("prompts.checkout.kind"), Some(Group::Prompts));
        assert_eq!(Group::of("sla_hours"), Some(Group::Cases));
        assert_eq!(Group::of("owner_token"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn prompts_and_words_keep_the_other_languages() {
        let mut d = Draft::new(&settings(), "en");
        assert_eq!(d.prompts[0].question, "How was checkout?");
        d.prompts[0].question = "Was checkout easy?".into();
        d.prompts[0].delay_ms = "".into();
        d.switch_locale("fa".into());
        assert_eq!(d.prompts[0].question, "چطور بود؟");
        d.set_word("send", "ارسال".into());
        let p = d.patch(Group::Prompts);
        assert_eq!(
            p["prompts"]["checkout"],
            json!({"kind": "csat", "questions": {"en": "Was checkout easy?", "fa": "چطور بود؟"}, "page_prefix": "/thanks"})
        );
        assert_eq!(
            d.patch(Group::Words),
            json!({"texts": {"fa": {"send": "ارسال"}}})
        );
        d.set_word("send", "".into());
        assert_eq!(d.patch(Group::Words), json!({"texts": {}}));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_preview_is_told_the_draft_not_the_saved_settings() {
        let mut d = Draft::new(&settings(), "fa");
        d.prompts[0].question = "خرید آسان بود؟".into();
        d.set_word("send", "بفرست".into());
        let m: Value =
            serde_json::from_str(&preview_message(&d, "eu.shop", 0, "dark").unwrap()).unwrap();
        assert_eq!(
            (
                m["touchpoint"].clone(),
                m["kind"].clone(),
                m["lang"].clone(),
                m["theme"].clone()
            ),
            (json!("checkout"), json!("csat"), json!("fa"), json!("dark"))
        );
        assert_eq!(
            m["config"]["prompts"]["checkout"]["questions"]["fa"],
            json!("خرید آسان بود؟")
        );
        assert_eq!(m["config"]["texts"]["fa"]["send"], json!("بفرست"));
        assert_eq!(
            (
                m["config"]["throttle_days"].clone(),
                m["config"]["sample_rate"].clone()
            ),
            (json!(0), json!(1.0))
        );
        assert_eq!(preview_message(&d, "eu.shop", 5, "dark"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_install_snippet_and_the_origin_check() {
        let s = settings();
        assert_eq!(
            script_tag("https://feedback.example", &s.site),
            r#"<script src="https://feedback.example/widget.js" data-site="eu.shop" async></script>"#
        );
        assert_eq!(
            ask_examples(&s),
            ["earshot('ask', { touchpoint: 'checkout', kind: 'csat' });"]
        );
        assert_eq!(origin_allowed(&s, "HTTPS://Shop.Example"), Ok(true));
        assert_eq!(origin_allowed(&s, "https://evil.example"), Ok(false));
        assert!(origin_allowed(&s, "shop.example/path").is_err());
    }
}
