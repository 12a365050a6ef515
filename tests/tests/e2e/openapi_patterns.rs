//! The patterns and lengths of `edge/openapi.yaml` accept exactly what the `domain` validators
//! accept: hand-picked edge cases, then random strings near the rules (property tests). Where
//! the document is deliberately narrower (a whole-string length where the server counts only a
//! part), everything it accepts must still be accepted by `domain`.

use crate::openapi::{document, schema};
use domain::calendar::{parse_rfc3339_ms, Day};
use domain::export::ExportQuery;
use domain::ingest::{
    canonical_locale, normalize_page, validate_attribute, validate_comment, validate_touchpoint,
    validate_uuid_v4,
};
use domain::site::{
    normalize_origin, validate_name, validate_plain_site_id, validate_site_id, validate_webhook_url,
};
use proptest::prelude::*;
use regex::Regex;

/// What a string schema of the document accepts: its pattern and its lengths in characters.
struct Rule {
    name: String,
    pattern: Regex,
    min: usize,
    max: usize,
}

impl Rule {
    fn of(doc: &serde_json::Value, name: &str) -> Rule {
        Rule::from(name, schema(doc, name))
    }

    fn from(name: &str, s: &serde_json::Value) -> Rule {
        let pattern = s["pattern"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} has no pattern"));
        Rule {
            name: name.to_string(),
            pattern: Regex::new(pattern).unwrap_or_else(|e| panic!("{name}: {e}")),
            min: s["minLength"].as_u64().unwrap_or(0) as usize,
            max: s["maxLength"].as_u64().map_or(usize::MAX, |m| m as usize),
        }
    }

    fn accepts(&self, s: &str) -> bool {
        let n = s.chars().count();
        n >= self.min && n <= self.max && self.pattern.is_match(s)
    }

    /// The document and `domain` agree on `s`.
    #[track_caller]
    fn agrees(&self, s: &str, domain: bool) {
        assert_eq!(
            self.accepts(s),
            domain,
            "{} {}: {s:?} (document vs domain)",
            self.name,
            if domain { "refuses" } else { "accepts" }
        );
    }

    /// What the document accepts, `domain` accepts; and where `strict`, also the converse.
    #[track_caller]
    fn within(&self, s: &str, domain: bool, strict: bool) {
        if self.accepts(s) {
            assert!(domain, "{} accepts {s:?}, domain refuses it", self.name);
        } else if strict {
            assert!(!domain, "{} refuses {s:?}, domain accepts it", self.name);
        }
    }
}

type Rules = Vec<(Rule, fn(&str) -> bool)>;
type NarrowerRules = Vec<(Rule, fn(&str) -> bool, fn(&str) -> bool)>;

fn rules() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(exact_rules)
}

fn narrower() -> &'static NarrowerRules {
    static RULES: std::sync::OnceLock<NarrowerRules> = std::sync::OnceLock::new();
    RULES.get_or_init(narrower_rules)
}

fn exact_rules() -> Rules {
    let doc = document();
    let attributes = schema(&doc, "Attributes");
    vec![
        (Rule::of(&doc, "Uuid4"), |s| validate_uuid_v4(s).is_ok()),
        (Rule::of(&doc, "Touchpoint"), |s| {
            validate_touchpoint(s).is_ok()
        }),
        (Rule::of(&doc, "SiteId"), |s| validate_site_id(s).is_ok()),
        (Rule::of(&doc, "PlainSiteId"), |s| {
            validate_plain_site_id(s).is_ok()
        }),
        (Rule::of(&doc, "Date"), |s| Day::parse(s, "from").is_ok()),
        (Rule::of(&doc, "ReceivedAt"), |s| {
            parse_rfc3339_ms(s).is_some()
        }),
        (Rule::of(&doc, "Locale"), |s| canonical_locale(s).is_ok()),
        (Rule::of(&doc, "CanonicalLocale"), |s| {
            canonical_locale(s).as_deref() == Ok(s)
        }),
        (Rule::of(&doc, "Comment"), |s| validate_comment(s).is_ok()),
        (Rule::of(&doc, "WebhookUrl"), |s| {
            validate_webhook_url(s).is_ok()
        }),
        (Rule::of(&doc, "Name"), |s| validate_name(s.trim()).is_ok()),
        (Rule::of(&doc, "Origin"), |s| normalize_origin(s).is_ok()),
        (Rule::of(&doc, "AttributeValue"), |s| {
            validate_attribute("k", s).is_ok()
        }),
        (
            Rule::from("attribute key", &attributes["x-propertyNames"]),
            |s| validate_attribute(s, "v").is_ok(),
        ),
        (Rule::of(&doc, "Line"), |s| {
            let body = serde_json::json!({"texts": {"en": {"send": s}}}).to_string();
            domain::settings::decode_patch(body.as_bytes()).is_ok()
        }),
        (Rule::of(&doc, "Contact"), |s| {
            domain::recovery::validate_contact(s).is_ok()
        }),
        (Rule::of(&doc, "FollowUpOf"), |s| {
            validate_uuid_v4(s).is_ok()
        }),
        (
            Rule::from(
                "case note",
                &schema(&doc, "CasePatch")["properties"]["note"],
            ),
            |s| domain::recovery::validate_note(s).is_ok(),
        ),
    ]
}

/// Rules where the document is narrower than the server, with the part where they must agree.
fn narrower_rules() -> NarrowerRules {
    let doc = document();
    vec![
        // The server limits the URL before `?`/`#` to 2048 characters; the document all of it.
        (
            Rule::of(&doc, "Page"),
            |s| normalize_page(s).is_ok(),
            |s| s.chars().count() <= 2048,
        ),
        // At most 15 digits of milliseconds in the document (year 33658), 18 on the server.
        (
            Rule::of(&doc, "Cursor"),
            |s| ExportQuery::parse([("cursor", s)]).is_ok(),
            |s| {
                s.split('.')
                    .next()
                    .is_some_and(|ms| ms.len() <= 15 && !ms.starts_with('+'))
            },
        ),
    ]
}

/// Edge cases, plus strings at and just over each length limit.
fn cases() -> Vec<String> {
    let long = [
        32, 33, 35, 36, 40, 41, 64, 65, 100, 101, 200, 201, 1000, 1001, 2000, 2001, 2048, 2049,
    ];
    let long = long.into_iter().flat_map(|n| {
        [
            "a".repeat(n),
            format!("https://{}", "a".repeat(n - 8)),
            format!(" {} ", "a".repeat(n)),
        ]
    });
    CASES.iter().map(|s| s.to_string()).chain(long).collect()
}

const CASES: &[&str] = &[
    "",
    " ",
    "a",
    "A",
    "-",
    "x",
    "0",
    "é",
    "\t",
    "\n",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "checkout",
    "Check Out",
    "a/b",
    "../x",
    "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    "0B6F6C9E-3C1A-4D2E-BF10-2A3B4C5D6E7F",
    "e3e70682-c209-1cac-a29f-6fbed82c07cd",
    "0b6f6c9e-3c1a-4d2e-7f10-2a3b4c5d6e7f",
    "2026-11-30",
    "1970-01-01",
    "1969-12-31",
    "9999-12-31",
    "2026-02-29",
    "2024-02-29",
    "2000-02-29",
    "2100-02-29",
    "2026-04-31",
    "2026-13-01",
    "26-11-30",
    "2026-11-30T10:00:00Z",
    "2026-11-30t10:00:00.123456789z",
    "2026-11-30T10:00:00.+00:00",
    "2026-11-30T24:00:00Z",
    "2026-11-30T10:00:00.1234567890Z",
    "2026-11-30T10:00:00+01:00",
    "en",
    "EN",
    "pt-BR",
    "pt-br",
    "zh-Hant-TW",
    "zh-hant-tw",
    "x-private",
    "X-Private",
    "i-klingon",
    "de-1996",
    "en-US-abcd",
    "en-a-bbb-x-foo",
    "en-a",
    "sl-rozaj-biske",
    "es-419",
    "en--US",
    "en-US-",
    "toolongtag",
    "zh-cmn-Hans-CN",
    "https://shop.example",
    "HTTPS://Shop.Example",
    "http://127.0.0.1:8787",
    "http://[::1]:8080",
    "http://[::1]",
    "https://a:0",
    "https://a:65535",
    "https://a:65536",
    "https://a:00080",
    "https://shop.example/",
    " https://shop.example",
    "ftp://x",
    "https://",
    "https://a b",
    "https://shop.example/path?q=1#x",
    "https://shop.example/a b?q",
    "https://shop.example/?q= x\u{0}",
    "https://user@host/",
    "https://h/\u{2028}",
    "http://a]:80",
    "http://a]:",
    "http://]:x",
    "http://[a]:",
    "http://a::80",
    "http://[::1]:080",
    "http://a:000080",
    "\thttps://shop.example\n",
    "https://shop.example\u{85}",
    "1700000000000.0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    "+5.0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    ".0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
    " Shop ",
    "\tShop\n",
    "Shop\u{0}",
    "demo",
    "-demo",
    "Demo",
    "fine\ttext\n",
    "a\u{1}b",
    "Key_1.x-y",
    "key with space",
];

#[test]
fn patterns_agree_with_domain_on_edge_cases() {
    let cases = cases();
    for (rule, domain) in rules() {
        for s in &cases {
            rule.agrees(s, domain(s));
        }
    }
    for (rule, domain, strict) in narrower() {
        for s in &cases {
            rule.within(s, domain(s), strict(s));
        }
    }
}

/// Strings built from pieces the rules care about, so random cases land near the boundaries.
fn near_the_rules() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("https://".to_string()),
        Just("HTTP://".to_string()),
        Just("0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f".to_string()),
        Just("2024-02-29".to_string()),
        Just("T10:00:00".to_string()),
        Just("en".to_string()),
        Just("-".to_string()),
        Just("x".to_string()),
        "[a-zA-Z]{1,9}",
        "[0-9]{1,5}",
        "[-._:/?#@\\[\\] ]",
        "[\\t\\n\\x00\\x7f\\u{85}\\u{a0}\\u{2028}éß]",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn patterns_agree_with_domain_on_random_strings(s in near_the_rules()) {
        for (rule, domain) in rules() {
            rule.agrees(&s, domain(&s));
        }
        for (rule, domain, strict) in narrower() {
            rule.within(&s, domain(&s), strict(&s));
        }
    }
}
