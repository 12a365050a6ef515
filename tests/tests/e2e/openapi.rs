//! `edge/openapi.yaml` says what the code does: every route the router serves is documented,
//! and every limit, enum and key list in it equals the `domain` constant it states (a limit
//! changed on one side only fails here). The patterns are checked against the `domain`
//! validators in `openapi_patterns`, the whole document against the worker in `contract`; and
//! it is valid OpenAPI 3.0.3 (openapi-spec-validator), what client generators expect.

use api::Route;

#[test]
fn every_route_is_in_the_openapi_document() {
    let doc = std::fs::read_to_string(harness::repo_root().join("edge/openapi.yaml"))
        .expect("edge/openapi.yaml");
    // Collect (method, path) pairs from the `paths:` section: path keys at two spaces, methods at four.
    let mut documented = Vec::new();
    let mut current: Option<String> = None;
    let mut in_paths = false;
    for line in doc.lines() {
        if line.starts_with("paths:") {
            in_paths = true;
            continue;
        }
        if in_paths && !line.starts_with(' ') && !line.trim().is_empty() {
            in_paths = false;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /").and_then(|p| p.strip_suffix(':')) {
            current = Some(format!("/{p}"));
        } else if let (Some(path), Some(m)) = (
            &current,
            line.strip_prefix("    ").and_then(|m| m.strip_suffix(':')),
        ) {
            if ["get", "post", "patch", "delete", "put", "options"].contains(&m) {
                documented.push((m.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(!documented.is_empty(), "no paths found in openapi.yaml");
    for route in Route::ALL {
        let (method, path) = (route.method(), route.pattern());
        assert!(
            documented.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is served but not in openapi.yaml"
        );
    }
    for (m, p) in &documented {
        if m != "OPTIONS" {
            assert!(
                Route::ALL
                    .iter()
                    .any(|r| r.method() == m && r.pattern() == p),
                "{m} {p} is documented but not served"
            );
        }
    }
}

/// The document as JSON.
pub fn document() -> serde_json::Value {
    let text = std::fs::read_to_string(harness::repo_root().join("edge/openapi.yaml"))
        .expect("edge/openapi.yaml");
    serde_yaml::from_str(&text).expect("edge/openapi.yaml is YAML")
}

/// `#/components/schemas/{name}`.
pub fn schema<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let s = &doc["components"]["schemas"][name];
    assert!(s.is_object(), "no schema {name}");
    s
}

/// The operation with `operationId` `id`.
fn operation<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(|item| item.as_object())
        .flat_map(|item| item.values())
        .find(|op| op["operationId"] == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn property<'a>(
    doc: &'a serde_json::Value,
    schema_name: &str,
    name: &str,
) -> &'a serde_json::Value {
    let p = &schema(doc, schema_name)["properties"][name];
    assert!(p.is_object(), "{schema_name} has no property {name}");
    p
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: impl IntoIterator<Item = impl ToString>) -> Vec<String> {
    let mut v: Vec<String> = names.into_iter().map(|n| n.to_string()).collect();
    v.sort();
    v
}

#[track_caller]
fn same(what: &str, in_document: &serde_json::Value, in_domain: impl Into<serde_json::Value>) {
    let in_domain = in_domain.into();
    assert_eq!(
        in_document, &in_domain,
        "edge/openapi.yaml {what} is {in_document}, domain says {in_domain}"
    );
}

#[test]
fn the_documents_limits_are_the_domains() {
    use domain::limits::*;
    use domain::settings::MAX_TEXT_LOCALES;
    let doc = document();
    let s = |n: &str| schema(&doc, n).clone();
    same(
        "Comment.maxLength",
        &s("Comment")["maxLength"],
        MAX_COMMENT_CHARS,
    );
    same(
        "Touchpoint.maxLength",
        &s("Touchpoint")["maxLength"],
        MAX_TOUCHPOINT_CHARS,
    );
    same(
        "Touchpoint.pattern",
        &s("Touchpoint")["pattern"],
        format!("^[a-z0-9._-]{{1,{MAX_TOUCHPOINT_CHARS}}}$"),
    );
    same("Page.maxLength", &s("Page")["maxLength"], MAX_PAGE_CHARS);
    same(
        "WebhookUrl.maxLength",
        &s("WebhookUrl")["maxLength"],
        MAX_PAGE_CHARS,
    );
    same(
        "Locale.maxLength",
        &s("Locale")["maxLength"],
        MAX_LOCALE_CHARS,
    );
    same(
        "CanonicalLocale.maxLength",
        &s("CanonicalLocale")["maxLength"],
        MAX_LOCALE_CHARS,
    );
    same(
        "Attributes.maxProperties",
        &s("Attributes")["maxProperties"],
        MAX_ATTRIBUTES,
    );
    let key = &s("Attributes")["x-propertyNames"];
    same(
        "attribute key maxLength",
        &key["maxLength"],
        MAX_ATTRIBUTE_KEY_CHARS,
    );
    same(
        "attribute key pattern",
        &key["pattern"],
        format!("^[A-Za-z0-9._-]{{1,{MAX_ATTRIBUTE_KEY_CHARS}}}$"),
    );
    same(
        "AttributeValue.maxLength",
        &s("AttributeValue")["maxLength"],
        MAX_ATTRIBUTE_VALUE_CHARS,
    );
    same(
        "PlainSiteId.maxLength",
        &s("PlainSiteId")["maxLength"],
        MAX_SITE_ID_CHARS,
    );
    let plain = format!("[a-z0-9][a-z0-9-]{{0,{}}}", MAX_SITE_ID_CHARS - 1);
    same(
        "PlainSiteId.pattern",
        &s("PlainSiteId")["pattern"],
        format!("^{plain}$"),
    );
    // A site id is a plain one behind its data location, if any: every place the domain knows.
    let places: Vec<&str> = domain::site::JURISDICTIONS
        .iter()
        .chain(&domain::site::LOCATION_HINTS)
        .copied()
        .collect();
    same(
        "SiteId.pattern",
        &s("SiteId")["pattern"],
        format!("^(?:(?:{})\\.)?{plain}$", places.join("|")),
    );
    let longest = places.iter().map(|p| p.len()).max().unwrap_or(0);
    same(
        "SiteId.maxLength",
        &s("SiteId")["maxLength"],
        MAX_SITE_ID_CHARS + longest + 1,
    );
    same(
        "DataLocation.jurisdiction",
        &s("DataLocation")["properties"]["jurisdiction"]["enum"],
        domain::site::JURISDICTIONS.to_vec(),
    );
    same(
        "DataLocation.location_hint",
        &s("DataLocation")["properties"]["location_hint"]["enum"],
        domain::site::LOCATION_HINTS.to_vec(),
    );
    same(
        "CreateSite.jurisdiction",
        &s("CreateSite")["properties"]["jurisdiction"]["enum"],
        domain::site::JURISDICTIONS.to_vec(),
    );
    same(
        "CreateSite.location_hint",
        &s("CreateSite")["properties"]["location_hint"]["enum"],
        domain::site::LOCATION_HINTS.to_vec(),
    );
    // Trimmed, 1–100 characters: a first and a last one with at most 98 between them.
    let name = s("Name")["pattern"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let between = format!("{{0,{}}}", MAX_SITE_NAME_CHARS - 2);
    assert!(name.contains(&between), "Name.pattern {name} does not allow {between} inner characters (domain: at most {MAX_SITE_NAME_CHARS})");
    for body in ["CreateSite", "SettingsPatch"] {
        let origins = property(&doc, body, "allowed_origins");
        same(
            &format!("{body}.allowed_origins.maxItems"),
            &origins["maxItems"],
            MAX_ALLOWED_ORIGINS,
        );
    }
    same(
        "Prompts.maxProperties",
        &s("Prompts")["maxProperties"],
        MAX_PROMPTS,
    );
    same(
        "Line.maxLength",
        &s("Line")["maxLength"],
        MAX_QUESTION_CHARS,
    );
    same(
        "Texts.maxProperties",
        &s("Texts")["maxProperties"],
        MAX_TEXT_LOCALES,
    );
    same(
        "Texts keys",
        &serde_json::json!(keys(&s("Texts")["additionalProperties"]["properties"])),
        sorted(domain::settings::TEXT_KEYS),
    );
    let prompt = |n: &str| property(&doc, "Prompt", n).clone();
    same(
        "Prompt.page_prefix.maxLength",
        &prompt("page_prefix")["maxLength"],
        MAX_PAGE_PREFIX_CHARS,
    );
    same(
        "Prompt.delay_ms.maximum",
        &prompt("delay_ms")["maximum"],
        MAX_DELAY_MS,
    );
    let setting = |n: &str| property(&doc, "SettingsPatch", n).clone();
    same(
        "throttle_days.maximum",
        &setting("throttle_days")["maximum"],
        MAX_THROTTLE_DAYS,
    );
    same(
        "retention_days.maximum",
        &setting("retention_days")["maximum"],
        MAX_RETENTION_DAYS,
    );
    same("shards.maximum", &setting("shards")["maximum"], MAX_SHARDS);
    same(
        "rate_limit_per_minute.maximum",
        &setting("rate_limit_per_minute")["maximum"],
        MAX_RATE_LIMIT_PER_MINUTE,
    );

    let export = operation(&doc, "exportResponses");
    let limit = export["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "limit"))
        .expect("export limit parameter");
    same(
        "export limit maximum",
        &limit["schema"]["maximum"],
        MAX_EXPORT_PAGE,
    );
    same(
        "export limit default",
        &limit["schema"]["default"],
        EXPORT_PAGE,
    );
    let range = &operation(&doc, "getSummary")["x-date-range"];
    same(
        "summary x-date-range max-days",
        &range["max-days"],
        MAX_SUMMARY_DAYS,
    );
    same(
        "summary x-date-range default-days",
        &range["default-days"],
        DEFAULT_SUMMARY_DAYS,
    );
    for id in ["ingest", "createSite", "updateSettings"] {
        same(
            &format!("{id} x-max-body-bytes"),
            &operation(&doc, id)["x-max-body-bytes"],
            MAX_BODY_BYTES,
        );
    }
    // Cases, contact and follow-ups.
    same(
        "Contact.maxLength",
        &s("Contact")["maxLength"],
        MAX_CONTACT_CHARS,
    );
    same(
        "CasePatch.note.maxLength",
        &property(&doc, "CasePatch", "note")["maxLength"],
        MAX_CASE_NOTE_CHARS,
    );
    same(
        "FollowUpsRequest.ids.maxItems",
        &property(&doc, "FollowUpsRequest", "ids")["maxItems"],
        MAX_FOLLOW_UP_IDS,
    );
    same(
        "followUps x-max-body-bytes",
        &operation(&doc, "followUps")["x-max-body-bytes"],
        MAX_FOLLOW_UP_BODY_BYTES,
    );
    same(
        "updateCase x-max-body-bytes",
        &operation(&doc, "updateCase")["x-max-body-bytes"],
        MAX_BODY_BYTES,
    );
    same(
        "sla_hours.maximum",
        &setting("sla_hours")["maximum"],
        MAX_SLA_HOURS,
    );
    same(
        "contact_retention_days.maximum",
        &setting("contact_retention_days")["maximum"],
        MAX_CONTACT_RETENTION_DAYS,
    );
    let cases_limit = operation(&doc, "listCases")["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "limit"))
        .expect("cases limit parameter")
        .clone();
    same(
        "cases limit maximum",
        &cases_limit["schema"]["maximum"],
        MAX_CASES_PAGE,
    );
    same(
        "cases limit default",
        &cases_limit["schema"]["default"],
        CASES_PAGE,
    );
    let import = operation(&doc, "importResponses");
    same(
        "import x-max-body-bytes",
        &import["x-max-body-bytes"],
        MAX_IMPORT_BYTES,
    );
    same(
        "import x-max-records",
        &import["x-max-records"],
        MAX_IMPORT_LINES,
    );
}

#[test]
fn the_documents_scales_kinds_codes_and_keys_are_the_domains() {
    use domain::{Code, Kind};
    let doc = document();
    same(
        "Kind enum",
        &schema(&doc, "Kind")["enum"],
        Kind::ALL.map(Kind::as_str).to_vec(),
    );
    same(
        "error codes",
        &schema(&doc, "Error")["properties"]["error"]["properties"]["code"]["enum"],
        Code::ALL.map(Code::as_str).to_vec(),
    );
    for (union, extra) in [
        ("Ingest", &[][..]),
        (
            "ImportRecord",
            &["country", "negative", "received_at", "scale_version"][..],
        ),
    ] {
        let mapping = &schema(&doc, union)["discriminator"]["mapping"];
        same(
            &format!("{union} kinds"),
            &serde_json::json!(keys(mapping)),
            sorted(Kind::ALL.map(Kind::as_str)),
        );
        for kind in Kind::ALL {
            let variant = mapping[kind.as_str()].as_str().expect("a mapping");
            let variant = schema(&doc, variant.rsplit('/').next().unwrap_or_default());
            let score = &variant["properties"]["score"];
            let scale = kind.scale();
            same(
                &format!("{union} {kind} score minimum"),
                &score["minimum"],
                scale.min,
            );
            same(
                &format!("{union} {kind} score maximum"),
                &score["maximum"],
                scale.max,
            );
            same(
                &format!("{union} {kind} kind"),
                &variant["properties"]["kind"]["enum"],
                vec![kind.as_str()],
            );
            same(
                &format!("{union} {kind} fields"),
                &serde_json::json!(keys(&variant["properties"])),
                sorted(domain::ingest::FIELDS.iter().chain(extra)),
            );
        }
    }
    same(
        "SettingsPatch keys",
        &serde_json::json!(keys(&schema(&doc, "SettingsPatch")["properties"])),
        sorted(domain::settings::PATCH_FIELDS),
    );
    let create = domain::wire::CreateSite {
        name: String::new(),
        allowed_origins: Vec::new(),
        webhook_url: Some(String::new()),
        site_id: Some(String::new()),
        jurisdiction: Some(String::new()),
        location_hint: Some(String::new()),
    };
    same(
        "CreateSite keys",
        &serde_json::json!(keys(&schema(&doc, "CreateSite")["properties"])),
        keys(&serde_json::to_value(create).expect("json")),
    );
}

#[test]
fn the_document_is_valid_openapi_3_0_3() {
    let validator = harness::repo_root().join("target/venv/bin/openapi-spec-validator");
    assert!(
        validator.exists(),
        "{} is missing: run `cargo xtask setup`",
        validator.display()
    );
    assert_eq!(document()["openapi"], "3.0.3");
    let out = std::process::Command::new(&validator)
        .arg(harness::repo_root().join("edge/openapi.yaml"))
        .output()
        .expect("run openapi-spec-validator");
    assert!(
        out.status.success(),
        "edge/openapi.yaml is not valid OpenAPI 3.0.3:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
