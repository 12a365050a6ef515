//! A site's settings: what the owner may change (`PATCH /v1/sites/{site}`), what the widget may
//! read (`GET /v1/sites/{site}/config`), and their validation.

use crate::error::{Code, Fault};
use crate::ingest::{canonical_locale, decode_object, validate_touchpoint};
use crate::kind::Kind;
use crate::limits::{
    DEFAULT_CONTACT_RETENTION_DAYS, DEFAULT_SLA_HOURS, MAX_ALLOWED_ORIGINS,
    MAX_CONTACT_RETENTION_DAYS, MAX_DELAY_MS, MAX_PAGE_PREFIX_CHARS, MAX_PROMPTS,
    MAX_QUESTION_CHARS, MAX_RATE_LIMIT_PER_MINUTE, MAX_RETENTION_DAYS, MAX_SHARDS, MAX_SLA_HOURS,
    MAX_THROTTLE_DAYS,
};
use crate::site::{normalize_origin, validate_webhook_url};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::limits::{
    DEFAULT_RATE_LIMIT_PER_MINUTE, DEFAULT_SAMPLE_RATE, DEFAULT_THROTTLE_DAYS,
};

/// The prompt configured for one touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptConfig {
    pub kind: String,
    /// Question text overrides by BCP 47 locale (`"en"`, `"pt-BR"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, String>,
    /// Ask automatically on pages whose path starts with this prefix, after `delay_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u32>,
}

/// Text overrides: BCP 47 locale (canonical) → widget text key → text.
pub type Texts = BTreeMap<String, BTreeMap<String, String>>;

/// The locale keys of a setting (a prompt's `questions`, the `texts`) that apply to a page in
/// `tag`, most specific first: the tag itself (`pt-BR`), then its language alone (`pt`) when
/// the tag has more. The widget takes the first key that is set, or lays them broadest first.
pub fn locale_keys(tag: &str) -> Vec<&str> {
    match tag.split_once('-') {
        Some((language, _)) => vec![tag, language],
        None => vec![tag],
    }
}

/// The widget's words an owner may change per locale (the scale's accessible point names keep
/// their placeholders and the questions are per prompt, so neither is here).
pub const TEXT_KEYS: [&str; 13] = [
    "follow_up_negative",
    "follow_up_positive",
    "send",
    "sending",
    "close",
    "thanks",
    "queued",
    "unsaved",
    "rejected",
    "dialog",
    "contact_offer",
    "contact_label",
    "followed_up",
];

/// Whether the widget may offer customers to leave a contact (setting `contact`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactMode {
    /// Never: an answer carrying a contact is refused (400, field `contact`).
    Off,
    /// After a negative score (the default).
    #[default]
    Negative,
}

impl ContactMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ContactMode::Off => "off",
            ContactMode::Negative => "negative",
        }
    }
}

/// Whether and how often the alarm sends the owner a digest (setting `digest`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestMode {
    /// No digest (the default).
    #[default]
    Off,
    /// Every day at 08:00 UTC, about the day before.
    Daily,
    /// Every Monday at 08:00 UTC, about the seven days before.
    Weekly,
}

impl DigestMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            DigestMode::Off => "off",
            DigestMode::Daily => "daily",
            DigestMode::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<DigestMode> {
        [DigestMode::Off, DigestMode::Daily, DigestMode::Weekly]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// The fault for an answer carrying a contact on a site whose `contact` setting is `off`.
pub fn contact_refused() -> Fault {
    Fault::at(
        Code::InvalidContact,
        "contact",
        "this site does not accept a contact (setting contact is off)",
    )
}

fn default_sla_hours() -> u32 {
    DEFAULT_SLA_HOURS
}

fn default_contact_retention_days() -> u32 {
    DEFAULT_CONTACT_RETENTION_DAYS
}

/// Most locales with text overrides.
pub const MAX_TEXT_LOCALES: usize = 32;

/// Everything the owner controls (stored in the site's Durable Object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub site: String,
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub webhook_url: Option<String>,
    pub prompts: BTreeMap<String, PromptConfig>,
    /// The widget's words, changed by the owner: locale → [`TEXT_KEYS`] key → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: Texts,
    pub throttle_days: u32,
    pub sample_rate: f64,
    pub retention_days: Option<u32>,
    pub shards: u32,
    /// The most shards ever used: summaries and exports read all of them.
    #[serde(default = "one")]
    pub max_shards: u32,
    /// Every shard count used while the site held responses, oldest first (empty: unknown, read
    /// as 1..=max_shards). A replayed id may be stored where it mapped under any of them.
    #[serde(default)]
    pub shard_history: Vec<u32>,
    pub rate_limit_per_minute: u32,
    /// Whether customers may leave a contact with a negative answer.
    #[serde(default)]
    pub contact: ContactMode,
    /// Hours a case may stay open or contacted before it is past its SLA.
    #[serde(default = "default_sla_hours")]
    pub sla_hours: u32,
    /// Days a contact is kept after its case is resolved.
    #[serde(default = "default_contact_retention_days")]
    pub contact_retention_days: u32,
    /// Whether `response.negative` alerts carry the customer's contact.
    #[serde(default)]
    pub alert_contact: bool,
    /// Where the site's data lives (from its id; fixed at creation).
    #[serde(default)]
    pub data_location: crate::site::DataLocation,
    /// The digest the alarm sends through the webhook.
    #[serde(default)]
    pub digest: DigestMode,
}

fn one() -> u32 {
    1
}

impl Settings {
    pub fn new(
        site: String,
        name: String,
        allowed_origins: Vec<String>,
        webhook_url: Option<String>,
    ) -> Self {
        Settings {
            name,
            allowed_origins,
            webhook_url,
            prompts: BTreeMap::new(),
            texts: BTreeMap::new(),
            throttle_days: DEFAULT_THROTTLE_DAYS,
            sample_rate: DEFAULT_SAMPLE_RATE,
            retention_days: None,
            shards: 1,
            max_shards: 1,
            shard_history: vec![1],
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            contact: ContactMode::Negative,
            sla_hours: DEFAULT_SLA_HOURS,
            contact_retention_days: DEFAULT_CONTACT_RETENTION_DAYS,
            alert_contact: false,
            digest: DigestMode::Off,
            data_location: crate::site::DataLocation::of_site(&site),
            site,
        }
    }

    /// What `GET /v1/sites/{site}/config` answers: the public config and the contact setting.
    pub fn public_view(&self) -> PublicView {
        PublicView {
            config: self.public(),
            contact: self.contact,
            data_location: self.data_location.clone(),
        }
    }

    /// The shard counts an id may have been stored under (see [`Settings::shard_history`]).
    pub fn shard_counts(&self) -> Vec<u32> {
        if self.shard_history.is_empty() {
            (1..=self.max_shards).collect()
        } else {
            self.shard_history.clone()
        }
    }

    /// What anyone (the widget) may read.
    pub fn public(&self) -> PublicConfig {
        PublicConfig {
            site: self.site.clone(),
            prompts: self.prompts.clone(),
            texts: self.texts.clone(),
            throttle_days: self.throttle_days,
            sample_rate: self.sample_rate,
        }
    }

    /// Applies a validated patch.
    pub fn apply(&mut self, p: SitePatch) {
        if let Some(v) = p.name {
            self.name = v;
        }
        if let Some(v) = p.allowed_origins {
            self.allowed_origins = v;
        }
        if let Some(v) = p.webhook_url {
            self.webhook_url = v;
        }
        if let Some(v) = p.prompts {
            self.prompts = v;
        }
        if let Some(v) = p.texts {
            self.texts = v;
        }
        if let Some(v) = p.throttle_days {
            self.throttle_days = v;
        }
        if let Some(v) = p.sample_rate {
            self.sample_rate = v;
        }
        if let Some(v) = p.retention_days {
            self.retention_days = v;
        }
        if let Some(v) = p.shards {
            self.shards = v;
            self.max_shards = self.max_shards.max(v);
            if !self.shard_history.is_empty() && !self.shard_history.contains(&v) {
                self.shard_history.push(v);
            }
        }
        if let Some(v) = p.rate_limit_per_minute {
            self.rate_limit_per_minute = v;
        }
        if let Some(v) = p.contact {
            self.contact = v;
        }
        if let Some(v) = p.sla_hours {
            self.sla_hours = v;
        }
        if let Some(v) = p.contact_retention_days {
            self.contact_retention_days = v;
        }
        if let Some(v) = p.alert_contact {
            self.alert_contact = v;
        }
        if let Some(v) = p.digest {
            self.digest = v;
        }
    }
}

/// The public config as served: [`PublicConfig`] and `contact` (whether the widget may offer
/// the contact field after a negative score).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicView {
    #[serde(flatten)]
    pub config: PublicConfig,
    pub contact: ContactMode,
    pub data_location: crate::site::DataLocation,
}

/// `GET /v1/sites/{site}/config`: public, cacheable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicConfig {
    pub site: String,
    pub prompts: BTreeMap<String, PromptConfig>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: Texts,
    pub throttle_days: u32,
    pub sample_rate: f64,
}

/// A validated `PATCH /v1/sites/{site}` body: `None` leaves a setting unchanged;
/// `Some(None)` clears an optional one (JSON `null`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SitePatch {
    pub name: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub webhook_url: Option<Option<String>>,
    pub prompts: Option<BTreeMap<String, PromptConfig>>,
    pub texts: Option<Texts>,
    pub throttle_days: Option<u32>,
    pub sample_rate: Option<f64>,
    pub retention_days: Option<Option<u32>>,
    pub shards: Option<u32>,
    pub rate_limit_per_minute: Option<u32>,
    pub contact: Option<ContactMode>,
    pub sla_hours: Option<u32>,
    pub contact_retention_days: Option<u32>,
    pub alert_contact: Option<bool>,
    pub digest: Option<DigestMode>,
}

/// The keys a `PATCH /v1/sites/{site}` body may have.
pub const PATCH_FIELDS: [&str; 15] = [
    "name",
    "allowed_origins",
    "webhook_url",
    "prompts",
    "texts",
    "throttle_days",
    "sample_rate",
    "retention_days",
    "shards",
    "rate_limit_per_minute",
    "contact",
    "sla_hours",
    "contact_retention_days",
    "alert_contact",
    "digest",
];

fn invalid(field: &str, message: impl Into<String>) -> Fault {
    Fault::at(Code::InvalidSetting, field, message)
}

fn whole(v: &serde_json::Value, field: &str, lo: u64, hi: u64) -> Result<u32, Fault> {
    v.as_u64()
        .filter(|n| (lo..=hi).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| {
            invalid(
                field,
                format!("{field} must be a whole number from {lo} to {hi}"),
            )
        })
}

/// Decodes and validates a patch body.
pub fn decode_patch(body: &[u8]) -> Result<SitePatch, Fault> {
    let object = decode_object(body)?;
    let mut p = SitePatch::default();
    for (key, v) in object {
        let f = key.as_str();
        match f {
            "name" => {
                let name = v.as_str().map(str::trim).unwrap_or_default().to_string();
                crate::site::validate_name(&name)?;
                p.name = Some(name);
            }
            "allowed_origins" => {
                let list = v
                    .as_array()
                    .ok_or_else(|| invalid(f, "allowed_origins must be a list of origins"))?;
                if list.len() > MAX_ALLOWED_ORIGINS {
                    return Err(Fault::at(
                        Code::InvalidOrigin,
                        f,
                        format!("at most {MAX_ALLOWED_ORIGINS} allowed origins"),
                    ));
                }
                let origins = list
                    .iter()
                    .map(|o| {
                        o.as_str()
                            .ok_or_else(|| invalid(f, "origins are strings"))
                            .and_then(normalize_origin)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                p.allowed_origins = Some(origins);
            }
            "webhook_url" => {
                p.webhook_url = Some(match &v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(validate_webhook_url(s)?),
                    _ => {
                        return Err(Fault::at(
                            Code::InvalidWebhookUrl,
                            f,
                            "webhook_url must be a URL or null",
                        ))
                    }
                })
            }
            "prompts" => p.prompts = Some(validate_prompts(v)?),
            "texts" => p.texts = Some(validate_texts(v)?),
            "throttle_days" => p.throttle_days = Some(whole(&v, f, 0, MAX_THROTTLE_DAYS as u64)?),
            "sample_rate" => {
                let r = v.as_f64().filter(|r| (0.0..=1.0).contains(r));
                p.sample_rate =
                    Some(r.ok_or_else(|| invalid(f, "sample_rate must be a number from 0 to 1"))?);
            }
            "retention_days" => {
                p.retention_days = Some(if v.is_null() {
                    None
                } else {
                    Some(whole(&v, f, 1, MAX_RETENTION_DAYS as u64)?)
                })
            }
            "shards" => p.shards = Some(whole(&v, f, 1, MAX_SHARDS as u64)?),
            "rate_limit_per_minute" => {
                p.rate_limit_per_minute = Some(whole(&v, f, 1, MAX_RATE_LIMIT_PER_MINUTE as u64)?)
            }
            "contact" => {
                p.contact = Some(match v.as_str() {
                    Some("off") => ContactMode::Off,
                    Some("negative") => ContactMode::Negative,
                    _ => return Err(invalid(f, "contact must be off or negative")),
                })
            }
            "sla_hours" => p.sla_hours = Some(whole(&v, f, 1, MAX_SLA_HOURS as u64)?),
            "contact_retention_days" => {
                p.contact_retention_days = Some(whole(&v, f, 1, MAX_CONTACT_RETENTION_DAYS as u64)?)
            }
            "alert_contact" => {
                p.alert_contact = Some(
                    v.as_bool()
                        .ok_or_else(|| invalid(f, "alert_contact must be true or false"))?,
                )
            }
            "digest" => {
                p.digest = Some(
                    v.as_str()
                        .and_then(DigestMode::parse)
                        .ok_or_else(|| invalid(f, "digest must be off, daily or weekly"))?,
                )
            }
            _ => {
                let shown: String = f.chars().take(64).collect();
                return Err(Fault::at(
                    Code::UnknownField,
                    shown.clone(),
                    format!(
                        "unknown setting `{shown}` (known: {})",
                        PATCH_FIELDS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(p)
}

/// A locale key of the settings: must already be in canonical form (`pt-BR`, not `pt-br`), so
/// that the widget's lookup by the page's (canonicalised) tag finds it.
fn canonical_key(f: &str, locale: &str) -> Result<(), Fault> {
    if canonical_locale(locale).ok().as_deref() == Some(locale) {
        Ok(())
    } else {
        let shown: String = locale.chars().take(40).collect();
        Err(invalid(
            f,
            format!("`{shown}` is not a canonical BCP 47 tag"),
        ))
    }
}

/// One owner-written line: 1–200 characters, no control characters.
fn valid_line(text: &str) -> bool {
    let n = text.chars().count();
    n > 0 && n <= MAX_QUESTION_CHARS && !text.chars().any(char::is_control)
}

fn validate_texts(v: serde_json::Value) -> Result<Texts, Fault> {
    let f = "texts";
    let texts: Texts = serde_json::from_value(v).map_err(|_| {
        invalid(
            f,
            "texts must map locales to {key: text} (keys: ".to_string()
                + &TEXT_KEYS.join(", ")
                + ")",
        )
    })?;
    if texts.len() > MAX_TEXT_LOCALES {
        return Err(invalid(f, format!("at most {MAX_TEXT_LOCALES} locales")));
    }
    for (locale, lines) in &texts {
        canonical_key(f, locale)?;
        for (key, text) in lines {
            if !TEXT_KEYS.contains(&key.as_str()) {
                let shown: String = key.chars().take(40).collect();
                return Err(invalid(
                    f,
                    format!("unknown text `{shown}` (known: {})", TEXT_KEYS.join(", ")),
                ));
            }
            if !valid_line(text) {
                return Err(invalid(
                    f,
                    format!("texts are 1–{MAX_QUESTION_CHARS} characters"),
                ));
            }
        }
    }
    Ok(texts)
}

fn validate_prompts(v: serde_json::Value) -> Result<BTreeMap<String, PromptConfig>, Fault> {
    let f = "prompts";
    let prompts: BTreeMap<String, PromptConfig> =
        serde_json::from_value(v).map_err(|e| invalid(f, format!("prompts must map touchpoints to {{kind, questions?, page_prefix?, delay_ms?}}: {e}")))?;
    if prompts.len() > MAX_PROMPTS {
        return Err(invalid(f, format!("at most {MAX_PROMPTS} prompts")));
    }
    for (touchpoint, prompt) in &prompts {
        validate_touchpoint(touchpoint).map_err(|e| invalid(f, e.message))?;
        Kind::parse(&prompt.kind).map_err(|e| invalid(f, e.message))?;
        for (locale, question) in &prompt.questions {
            canonical_key(f, locale)?;
            if !valid_line(question) {
                return Err(invalid(
                    f,
                    format!("questions are 1–{MAX_QUESTION_CHARS} characters"),
                ));
            }
        }
        if prompt
            .page_prefix
            .as_deref()
            .is_some_and(|p| !p.starts_with('/') || p.chars().count() > MAX_PAGE_PREFIX_CHARS)
        {
            return Err(invalid(
                f,
                format!("page_prefix is a path starting with / of at most {MAX_PAGE_PREFIX_CHARS} characters"),
            ));
        }
        if prompt.delay_ms.is_some_and(|d| d > MAX_DELAY_MS) {
            return Err(invalid(f, format!("delay_ms is at most {MAX_DELAY_MS}")));
        }
    }
    Ok(prompts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_patch_applies() {
        let body = br#"{"allowed_origins":["https://A.example"],"webhook_url":"https://hooks.example/x","throttle_days":7,
            "sample_rate":0.5,"retention_days":90,"shards":4,"prompts":{"checkout":{"kind":"nps","questions":{"en":"Recommend us?"}}}}"#;
        let p = decode_patch(body).unwrap();
        let mut s = Settings::new("shop".into(), "Shop".into(), vec![], None);
        s.apply(p);
        assert_eq!(s.allowed_origins, vec!["https://a.example"]);
        assert_eq!(
            (s.throttle_days, s.sample_rate, s.retention_days, s.shards),
            (7, 0.5, Some(90), 4)
        );
        assert_eq!(s.shard_counts(), vec![1, 4]);
        assert_eq!(s.public().prompts["checkout"].kind, "nps");
        s.apply(decode_patch(br#"{"webhook_url":null,"retention_days":null}"#).unwrap());
        assert_eq!((s.webhook_url, s.retention_days), (None, None));
    }

    #[test]
    fn case_settings_default_patch_and_show_contact_publicly() {
        let mut s = Settings::new("shop".into(), "Shop".into(), vec![], None);
        assert_eq!(
            (
                s.contact,
                s.sla_hours,
                s.contact_retention_days,
                s.alert_contact
            ),
            (ContactMode::Negative, 48, 30, false)
        );
        // Settings stored before these existed read as the defaults.
        let mut old = serde_json::to_value(&s).unwrap();
        for k in [
            "contact",
            "sla_hours",
            "contact_retention_days",
            "alert_contact",
        ] {
            old.as_object_mut().unwrap().remove(k);
        }
        assert_eq!(serde_json::from_value::<Settings>(old).unwrap(), s);
        s.apply(
            decode_patch(
                br#"{"contact":"off","sla_hours":8760,"contact_retention_days":1,"alert_contact":true}"#,
            )
            .unwrap(),
        );
        assert_eq!(
            (
                s.contact,
                s.sla_hours,
                s.contact_retention_days,
                s.alert_contact
            ),
            (ContactMode::Off, 8760, 1, true)
        );
        let public = serde_json::to_value(s.public_view()).unwrap();
        assert_eq!(public["contact"], "off");
        assert_eq!(public["site"], "shop");
        assert!(public.get("sla_hours").is_none() && public.get("alert_contact").is_none());
    }

    #[test]
    fn digest_defaults_off_and_patches() {
        let mut s = Settings::new("shop".into(), "Shop".into(), vec![], None);
        assert_eq!(s.digest, DigestMode::Off);
        let mut old = serde_json::to_value(&s).unwrap();
        old.as_object_mut().unwrap().remove("digest");
        assert_eq!(serde_json::from_value::<Settings>(old).unwrap(), s);
        for (body, want) in [
            (r#"{"digest":"weekly"}"#, DigestMode::Weekly),
            (r#"{"digest":"daily"}"#, DigestMode::Daily),
            (r#"{"digest":"off"}"#, DigestMode::Off),
        ] {
            s.apply(decode_patch(body.as_bytes()).unwrap());
            assert_eq!(s.digest, want);
            assert_eq!(serde_json::to_value(&s).unwrap()["digest"], want.as_str());
        }
    }

    #[test]
    fn locale_keys_are_the_tag_then_its_language() {
        let keys = locale_keys;
        assert_eq!(keys("pt-BR"), ["pt-BR", "pt"]);
        assert_eq!(keys("zh-Hant-TW"), ["zh-Hant-TW", "zh"]);
        assert_eq!(keys("pt"), ["pt"]);
        assert_eq!(keys(""), [""]);
    }

    #[test]
    fn shard_counts_are_remembered_or_assumed() {
        let mut s = Settings::new("shop".into(), "Shop".into(), vec![], None);
        for n in [4, 2, 4, 1] {
            s.apply(SitePatch {
                shards: Some(n),
                ..SitePatch::default()
            });
        }
        assert_eq!(
            (s.shards, s.max_shards, s.shard_counts()),
            (1, 4, vec![1, 4, 2])
        );
        // Settings stored before the history was kept: every count up to the largest.
        let mut old = serde_json::to_value(&s).unwrap();
        old.as_object_mut().unwrap().remove("shard_history");
        let old: Settings = serde_json::from_value(old).unwrap();
        assert_eq!(old.shard_counts(), vec![1, 2, 3, 4]);
    }

    #[test]
    fn bad_patches_name_the_field() {
        let check = |body: &str, code: Code, field: &str| {
            let f = decode_patch(body.as_bytes()).unwrap_err();
            assert_eq!(
                (f.code, f.field.as_deref()),
                (code, Some(field)),
                "{body}: {}",
                f.message
            );
        };
        check(
            r#"{"sample_rate":1.5}"#,
            Code::InvalidSetting,
            "sample_rate",
        );
        check(
            r#"{"throttle_days":-1}"#,
            Code::InvalidSetting,
            "throttle_days",
        );
        check(r#"{"shards":0}"#, Code::InvalidSetting, "shards");
        check(r#"{"shards":2.5}"#, Code::InvalidSetting, "shards");
        check(
            r#"{"retention_days":0}"#,
            Code::InvalidSetting,
            "retention_days",
        );
        check(
            r#"{"allowed_origins":["nope"]}"#,
            Code::InvalidOrigin,
            "allowed_origins",
        );
        check(
            r#"{"webhook_url":"ftp://x"}"#,
            Code::InvalidWebhookUrl,
            "webhook_url",
        );
        check(
            r#"{"prompts":{"Check Out":{"kind":"csat"}}}"#,
            Code::InvalidSetting,
            "prompts",
        );
        check(
            r#"{"prompts":{"checkout":{"kind":"smiley"}}}"#,
            Code::InvalidSetting,
            "prompts",
        );
        check(
            r#"{"prompts":{"checkout":{"kind":"csat","questions":{"EN":"x"}}}}"#,
            Code::InvalidSetting,
            "prompts",
        );
        check(r#"{"owner_token":"x"}"#, Code::UnknownField, "owner_token");
        check(r#"{"contact":"always"}"#, Code::InvalidSetting, "contact");
        check(r#"{"sla_hours":0}"#, Code::InvalidSetting, "sla_hours");
        check(r#"{"sla_hours":8761}"#, Code::InvalidSetting, "sla_hours");
        check(
            r#"{"contact_retention_days":3651}"#,
            Code::InvalidSetting,
            "contact_retention_days",
        );
        check(
            r#"{"alert_contact":"yes"}"#,
            Code::InvalidSetting,
            "alert_contact",
        );
        check(r#"{"digest":"hourly"}"#, Code::InvalidSetting, "digest");
        check(r#"{"digest":true}"#, Code::InvalidSetting, "digest");
        check(r#"{"name":""}"#, Code::InvalidName, "name");
    }
}
