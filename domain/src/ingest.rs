//! Decoding and validating the ingest body into a [`Response`].
//!
//! Decoding is strict: the body must be one JSON object, with no duplicate keys at any depth and
//! no unknown fields; each field must have its documented type. Each fault is reported with a
//! stable [`Code`] and the `field` to blame. Nothing here can panic on any input.

use crate::attributes::Attributes;
use crate::error::{Code, Fault};
use crate::kind::Kind;
use crate::limits::*;
use crate::wire::IngestRequest;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A validated response, ready to store. Only [`decode_ingest`] and `TryFrom<IngestRequest>`
/// make one, so holding a `Response` means every rule has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Lowercase UUID v4, the idempotency key.
    pub id: String,
    pub touchpoint: String,
    pub kind: Kind,
    pub score: u8,
    /// Trimmed; `None` when empty.
    pub comment: Option<String>,
    /// Absolute http(s) URL with query and fragment dropped.
    pub page: Option<String>,
    /// Well-formed BCP 47 tag in canonical case (`pt-BR`, `zh-Hant-TW`).
    pub locale: Option<String>,
    pub attributes: Attributes,
    /// The display (prompt shown) this answers, when the widget sent one: counts as answered
    /// in the reach figures.
    pub display_id: Option<String>,
    /// How the customer may be contacted about this answer (opt-in, negative answers only;
    /// trimmed, 1–200 characters). Personal data: stored apart from the answer.
    pub contact: Option<String>,
    /// The case (a resolved negative answer's id) this answer follows up on.
    pub follow_up_of: Option<String>,
}

impl Response {
    pub fn is_negative(&self) -> bool {
        self.kind.is_negative(self.score)
    }

    /// The id that decides where the answer is stored: a follow-up lives with its case (so the
    /// answer and the case's update are one transaction in one object), any other answer by
    /// its own id.
    pub fn shard_key(&self) -> &str {
        self.follow_up_of.as_deref().unwrap_or(&self.id)
    }
}

// The rules in words. Plain literals, not `format!`: the widget's wasm runs these checks too,
// and formatting machinery would cost it kilobytes. A test keeps the numbers equal to the limits.
const TOUCHPOINT_RULE: &str = "touchpoint must be 1–64 characters of a-z 0-9 - _ .";
const COMMENT_TOO_LONG: &str = "comment must be at most 2000 characters";
pub const TOO_MANY_ATTRIBUTES: &str = "at most 16 attributes";
const ATTRIBUTE_KEY_RULE: &str = "attribute keys must be 1–32 characters of A-Z a-z 0-9 - _ .";
const ATTRIBUTE_VALUE_RULE: &str =
    "attribute values must be at most 200 characters, without control characters";

/// The keys an ingest body may have.
pub const FIELDS: [&str; 11] = [
    "id",
    "display_id",
    "contact",
    "follow_up_of",
    "touchpoint",
    "kind",
    "score",
    "comment",
    "page",
    "locale",
    "attributes",
];

/// Decodes and validates an ingest body (raw bytes, any content type).
pub fn decode_ingest(body: &[u8]) -> Result<Response, Fault> {
    let mut object = decode_object(body)?;
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(Fault::at(
            Code::UnknownField,
            unknown.clone(),
            format!("unknown field `{}`", truncate(unknown, 64)),
        ));
    }
    let mut take = |name: &str| object.remove(name).filter(|v| !v.is_null());
    let display_id = optional_string(take("display_id"), "display_id")?
        .map(|d| crate::display::validate_display_id(&d))
        .transpose()?;
    let contact = optional_string(take("contact"), "contact")?;
    let follow_up_of = optional_string(take("follow_up_of"), "follow_up_of")?
        .map(|f| validate_follow_up_of(&f))
        .transpose()?;
    let id = required_string(take("id"), "id")?;
    let touchpoint = required_string(take("touchpoint"), "touchpoint")?;
    let kind = required_string(take("kind"), "kind")?;
    let score = match take("score") {
        None => return Err(Fault::at(Code::MissingField, "score", "score is required")),
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| {
            Fault::at(
                Code::InvalidScore,
                "score",
                "score must be a whole number on the kind's scale",
            )
        })?,
        Some(_) => {
            return Err(Fault::at(
                Code::InvalidType,
                "score",
                "score must be a number",
            ))
        }
    };
    let comment = optional_string(take("comment"), "comment")?;
    let page = optional_string(take("page"), "page")?;
    let locale = optional_string(take("locale"), "locale")?;
    let attributes = match take("attributes") {
        None => Attributes::default(),
        Some(Value::Object(map)) => {
            if map.len() > MAX_ATTRIBUTES {
                return Err(Fault::at(
                    Code::TooManyAttributes,
                    "attributes",
                    TOO_MANY_ATTRIBUTES,
                ));
            }
            let mut out = Attributes::default();
            for (k, v) in map {
                match v {
                    Value::String(s) => out.insert(k, s),
                    _ => {
                        return Err(Fault::at(
                            Code::InvalidAttribute,
                            "attributes",
                            "attribute values must be strings",
                        ))
                    }
                };
            }
            out
        }
        Some(_) => {
            return Err(Fault::at(
                Code::InvalidType,
                "attributes",
                "attributes must be an object of strings",
            ))
        }
    };
    // The ids were checked above already (so their faults come first, as documented);
    // checking them again is cheap and keeps one constructor of `Response`.
    Response::try_from(IngestRequest {
        id,
        touchpoint,
        kind,
        score,
        comment,
        page,
        locale,
        attributes,
        display_id,
        contact,
        follow_up_of,
    })
}

/// Checks `follow_up_of`: the UUID v4 of an earlier answer, returned lowercase.
fn validate_follow_up_of(s: &str) -> Result<String, Fault> {
    validate_uuid_v4(s).map_err(|_| {
        Fault::at(
            Code::InvalidId,
            "follow_up_of",
            "follow_up_of must be the UUID v4 of an earlier answer",
        )
    })
}

impl TryFrom<IngestRequest> for Response {
    type Error = Fault;

    fn try_from(r: IngestRequest) -> Result<Self, Fault> {
        let display_id = r
            .display_id
            .as_deref()
            .map(crate::display::validate_display_id)
            .transpose()?;
        let follow_up_of = r
            .follow_up_of
            .as_deref()
            .map(validate_follow_up_of)
            .transpose()?;
        let id = validate_uuid_v4(&r.id)?;
        validate_touchpoint(&r.touchpoint)?;
        let kind = Kind::parse(&r.kind)?;
        let scale = kind.scale();
        if !scale.contains(r.score) {
            return Err(Fault::at(Code::ScoreOutOfRange, "score", kind.score_rule()));
        }
        let comment = r
            .comment
            .as_deref()
            .map(validate_comment)
            .transpose()?
            .flatten();
        let page = r.page.as_deref().map(normalize_page).transpose()?;
        let locale = r.locale.as_deref().map(canonical_locale).transpose()?;
        for (k, v) in &r.attributes {
            validate_attribute(k, v)?;
        }
        if r.attributes.len() > MAX_ATTRIBUTES {
            return Err(Fault::at(
                Code::TooManyAttributes,
                "attributes",
                TOO_MANY_ATTRIBUTES,
            ));
        }
        let contact = r
            .contact
            .as_deref()
            .map(|c| crate::recovery::check_contact(c, kind.is_negative(r.score as u8)))
            .transpose()?;
        Ok(Response {
            id,
            touchpoint: r.touchpoint,
            kind,
            score: r.score as u8,
            comment,
            page,
            locale,
            attributes: r.attributes,
            display_id,
            contact,
            follow_up_of,
        })
    }
}

impl From<&Response> for IngestRequest {
    fn from(r: &Response) -> Self {
        IngestRequest {
            id: r.id.clone(),
            touchpoint: r.touchpoint.clone(),
            kind: r.kind.as_str().to_string(),
            score: r.score as i64,
            comment: r.comment.clone(),
            page: r.page.clone(),
            locale: r.locale.clone(),
            attributes: r.attributes.clone(),
            display_id: r.display_id.clone(),
            contact: r.contact.clone(),
            follow_up_of: r.follow_up_of.clone(),
        }
    }
}

/// A required string field of a decoded body (missing → `missing_field`, other type →
/// `invalid_type`).
pub(crate) fn required_string(v: Option<Value>, field: &str) -> Result<String, Fault> {
    match v {
        None => Err(Fault::at(
            Code::MissingField,
            field,
            format!("{field} is required"),
        )),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Fault::at(
            Code::InvalidType,
            field,
            format!("{field} must be a string"),
        )),
    }
}

fn optional_string(v: Option<Value>, field: &str) -> Result<Option<String>, Fault> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Fault::at(
            Code::InvalidType,
            field,
            format!("{field} must be a string"),
        )),
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Parses one JSON object, rejecting duplicate keys at any depth.
pub fn decode_object(body: &[u8]) -> Result<Map<String, Value>, Fault> {
    match serde_json::from_slice::<Strict>(body) {
        Ok(Strict(Value::Object(map))) => Ok(map),
        Ok(_) => Err(Fault::new(
            Code::NotAnObject,
            "the body must be a JSON object",
        )),
        Err(e) => {
            let text = e.to_string();
            match text
                .strip_prefix(DUPLICATE)
                .and_then(|rest| rest.split('`').next())
            {
                Some(key) => Err(Fault::at(
                    Code::DuplicateField,
                    key,
                    format!("field `{key}` appears more than once"),
                )),
                None if e.is_eof() && body.iter().all(u8::is_ascii_whitespace) => {
                    Err(Fault::new(Code::MalformedJson, "the body is empty"))
                }
                None => Err(Fault::new(
                    Code::MalformedJson,
                    format!("the body is not valid JSON: {text}"),
                )),
            }
        }
    }
}

const DUPLICATE: &str = "duplicate key `";

/// A JSON value whose objects (at any depth) have no repeated keys.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "{DUPLICATE}{}`",
                    truncate(&key, 64).replace('`', "'")
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Accepts a UUID v4 in any case; returns it lowercase.
pub fn validate_uuid_v4(s: &str) -> Result<String, Fault> {
    let b = s.as_bytes();
    let ok = b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B');
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(Fault::at(
            Code::InvalidId,
            "id",
            "id must be a UUID v4 like 0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
        ))
    }
}

/// 1–64 characters of `a-z 0-9 - _ .`.
pub fn validate_touchpoint(s: &str) -> Result<(), Fault> {
    let ok = !s.is_empty()
        && s.len() <= MAX_TOUCHPOINT_CHARS
        && s.bytes()
            .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Fault::at(
            Code::InvalidTouchpoint,
            "touchpoint",
            TOUCHPOINT_RULE,
        ))
    }
}

/// Trims; `None` when empty. Counts characters, not bytes; only newline and tab may be control.
pub fn validate_comment(s: &str) -> Result<Option<String>, Fault> {
    if s.chars().count() > MAX_COMMENT_CHARS {
        return Err(Fault::at(Code::CommentTooLong, "comment", COMMENT_TOO_LONG));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Fault::at(
            Code::InvalidComment,
            "comment",
            "comment must not contain control characters",
        ));
    }
    let t = s.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// An absolute http(s) URL with a host; the query and fragment are dropped.
pub fn normalize_page(s: &str) -> Result<String, Fault> {
    let bad = || {
        Fault::at(
            Code::InvalidPage,
            "page",
            "page must be an absolute http(s) URL",
        )
    };
    let cut = s.find(['?', '#']).unwrap_or(s.len());
    let url = &s[..cut];
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(bad());
    };
    let host = rest.split('/').next().unwrap_or("");
    let host_ok = !host.is_empty()
        && !host.contains('@')
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']'));
    if !host_ok
        || url.chars().count() > MAX_PAGE_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(url.to_string())
}

/// Checks BCP 47 well-formedness (RFC 5646 "langtag" or private use) and returns the tag in
/// canonical case: language lowercase, script title case, region uppercase.
pub fn canonical_locale(s: &str) -> Result<String, Fault> {
    let bad = || {
        Fault::at(
            Code::InvalidLocale,
            "locale",
            "locale must be a BCP 47 tag like en, pt-BR or zh-Hant-TW",
        )
    };
    if s.is_empty()
        || s.len() > MAX_LOCALE_CHARS
        || !s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    {
        return Err(bad());
    }
    let parts: Vec<&str> = s.split('-').collect();
    if parts.iter().any(|p| p.is_empty() || p.len() > 8) {
        return Err(bad());
    }
    let alpha = |p: &str| p.bytes().all(|c| c.is_ascii_alphabetic());
    let digit = |p: &str| p.bytes().all(|c| c.is_ascii_digit());
    // The subtags, joined as they are added (a `Vec` joined at the end costs the widget's
    // wasm a join routine of its own).
    let mut out = String::with_capacity(s.len());
    let add = |out: &mut String, subtag: &str| {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(subtag);
    };
    let mut i = 0;
    // Private-use-only tag: x-foo
    if parts[0].eq_ignore_ascii_case("x") {
        if parts.len() < 2 {
            return Err(bad());
        }
        return Ok(s.to_ascii_lowercase());
    }
    let lang = parts[0];
    // 5–8 letter languages are reserved for registration and none exist: accept ISO 639 (2–3).
    if !alpha(lang) || !(2..=3).contains(&lang.len()) {
        return Err(bad());
    }
    add(&mut out, &lang.to_ascii_lowercase());
    i += 1;
    // extlang: up to three 3-letter subtags after a 2–3 letter language
    let mut ext = 0;
    while ext < 3 && i < parts.len() && parts[i].len() == 3 && alpha(parts[i]) {
        add(&mut out, &parts[i].to_ascii_lowercase());
        i += 1;
        ext += 1;
    }
    if i < parts.len() && parts[i].len() == 4 && alpha(parts[i]) {
        let p = parts[i].to_ascii_lowercase();
        add(&mut out, &(p[..1].to_ascii_uppercase() + &p[1..]));
        i += 1;
    }
    if i < parts.len()
        && ((parts[i].len() == 2 && alpha(parts[i])) || (parts[i].len() == 3 && digit(parts[i])))
    {
        add(&mut out, &parts[i].to_ascii_uppercase());
        i += 1;
    }
    // variants
    while i < parts.len() {
        let p = parts[i];
        let variant =
            (5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        add(&mut out, &p.to_ascii_lowercase());
        i += 1;
    }
    // extensions and private use
    while i < parts.len() {
        let singleton = parts[i];
        if singleton.len() != 1 {
            return Err(bad());
        }
        let private = singleton.eq_ignore_ascii_case("x");
        add(&mut out, &singleton.to_ascii_lowercase());
        i += 1;
        let start = i;
        while i < parts.len() && (private || parts[i].len() >= 2) {
            if !private && parts[i].len() < 2 {
                break;
            }
            add(&mut out, &parts[i].to_ascii_lowercase());
            i += 1;
        }
        if i == start {
            return Err(bad());
        }
    }
    Ok(out)
}

/// One `attributes` pair: key 1–32 characters of `A-Z a-z 0-9 - _ .`, value at most 200 characters,
/// no control characters.
pub fn validate_attribute(k: &str, v: &str) -> Result<(), Fault> {
    let key_ok = !k.is_empty()
        && k.len() <= MAX_ATTRIBUTE_KEY_CHARS
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    if !key_ok {
        return Err(Fault::at(
            Code::InvalidAttribute,
            "attributes",
            ATTRIBUTE_KEY_RULE,
        ));
    }
    if v.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS || v.chars().any(char::is_control) {
        return Err(Fault::at(
            Code::InvalidAttribute,
            "attributes",
            ATTRIBUTE_VALUE_RULE,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_messages_name_the_limits() {
        let limits = [
            (TOUCHPOINT_RULE, MAX_TOUCHPOINT_CHARS),
            (COMMENT_TOO_LONG, MAX_COMMENT_CHARS),
            (TOO_MANY_ATTRIBUTES, MAX_ATTRIBUTES),
            (ATTRIBUTE_KEY_RULE, MAX_ATTRIBUTE_KEY_CHARS),
            (ATTRIBUTE_VALUE_RULE, MAX_ATTRIBUTE_VALUE_CHARS),
        ];
        for (message, limit) in limits {
            let numbers: Vec<usize> = message
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .filter(|n| *n > 9)
                .collect();
            assert_eq!(numbers, vec![limit], "{message}");
        }
    }
}
