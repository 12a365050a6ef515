//! The hostile ingest corpus: malformed and malicious requests, each with the documented error
//! it must get. Generated from tables so that adding a case is one line.

use crate::util::{uuid, ORIGIN};
use serde_json::{json, Map, Value};

/// One request and the error it must get.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub method: &'static str,
    /// Path and query.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub status: u16,
    pub code: &'static str,
    /// The `field` the error must name (`None`: it must have none).
    pub field: Option<String>,
}

pub const SITE_PATH: &str = "/v1/sites/shop/responses";

/// The HTTP status of each error code (the documented table).
pub fn status_of(code: &str) -> u16 {
    match code {
        "body_too_large" => 413,
        "unsupported_media_type" => 415,
        "unauthorized" => 401,
        "origin_not_allowed" => 403,
        "site_not_found" | "not_found" => 404,
        "method_not_allowed" => 405,
        _ => 400,
    }
}

/// Builds the corpus. Every body carries a fresh valid id, so a case that were wrongly accepted
/// would be stored and change the site's state.
pub struct Corpus {
    cases: Vec<Case>,
    next_id: u32,
}

impl Corpus {
    fn id(&mut self) -> String {
        self.next_id += 1;
        uuid(50_000 + self.next_id)
    }

    /// A valid answer as a JSON object.
    fn valid(&mut self) -> Map<String, Value> {
        let v = json!({"id": self.id(), "touchpoint": "checkout", "kind": "csat", "score": 4, "comment": "fine"});
        v.as_object().cloned().unwrap_or_default()
    }

    fn valid_text(&mut self) -> String {
        Value::Object(self.valid()).to_string()
    }

    /// A POST of `body` to the shop's ingest endpoint from its own origin.
    fn push(
        &mut self,
        name: impl Into<String>,
        body: impl Into<Vec<u8>>,
        code: &'static str,
        field: Option<&str>,
    ) {
        // Alternate the two accepted content types.
        let ct = if self.cases.len().is_multiple_of(2) {
            "text/plain;charset=UTF-8"
        } else {
            "application/json"
        };
        self.request(
            name,
            "POST",
            SITE_PATH,
            &[("content-type", ct), ("origin", ORIGIN)],
            body.into(),
            code,
            field,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn request(
        &mut self,
        name: impl Into<String>,
        method: &'static str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        code: &'static str,
        field: Option<&str>,
    ) {
        self.cases.push(Case {
            name: name.into(),
            method,
            path: path.to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body,
            status: status_of(code),
            code,
            field: field.map(str::to_string),
        });
    }

    /// A valid answer with `key` set to `value` (raw JSON text), checked for `code` at `field`.
    fn with_raw(
        &mut self,
        name: &str,
        key: &str,
        value: &str,
        code: &'static str,
        field: Option<&str>,
    ) {
        let mut m = self.valid();
        m.remove(key);
        let mut text = Value::Object(m).to_string();
        text.pop();
        text.push_str(&format!(",{}:{value}}}", json!(key)));
        self.push(format!("{name}: {key}={value:.60}"), text, code, field);
    }

    fn with(&mut self, name: &str, key: &str, value: Value, code: &'static str) {
        let field = if code == "malformed_json" {
            None
        } else {
            Some(key)
        };
        self.with_raw(name, key, &value.to_string(), code, field);
    }
}

/// The owner's reads and erase with hostile query strings and ids: (method, path after
/// `/v1/sites/shop`, code, field).
pub const OWNER_QUERIES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "GET",
        "/summary?from=2026-02-30",
        "invalid_query",
        Some("from"),
    ),
    (
        "GET",
        "/summary?from=yesterday",
        "invalid_query",
        Some("from"),
    ),
    ("GET", "/summary?to=2026-13-01", "invalid_query", Some("to")),
    (
        "GET",
        "/summary?from=1969-12-31",
        "invalid_query",
        Some("from"),
    ),
    (
        "GET",
        "/summary?from=2026-11-30&to=2026-11-01",
        "invalid_query",
        Some("from"),
    ),
    (
        "GET",
        "/summary?from=2020-01-01&to=2026-11-01",
        "invalid_query",
        Some("from"),
    ),
    (
        "GET",
        "/summary?from=%EF%BC%92026-11-01",
        "invalid_query",
        Some("from"),
    ),
    ("GET", "/summary?kind=CSAT", "invalid_query", Some("kind")),
    ("GET", "/summary?kind=", "invalid_query", Some("kind")),
    (
        "GET",
        "/summary?touchpoint=Check%20Out",
        "invalid_query",
        Some("touchpoint"),
    ),
    (
        "GET",
        "/summary?touchpoint=%FF",
        "invalid_query",
        Some("touchpoint"),
    ),
    (
        "GET",
        "/summary?touchpoint=x%27%20OR%201%3D1--",
        "invalid_query",
        Some("touchpoint"),
    ),
    (
        "GET",
        "/summary?touchpoint=a%00",
        "invalid_query",
        Some("touchpoint"),
    ),
    ("GET", "/summary?limit=5", "invalid_query", Some("limit")),
    (
        "GET",
        "/summary?%3Cscript%3E=1",
        "invalid_query",
        Some("<script>"),
    ),
    (
        "GET",
        "/responses?format=xml",
        "invalid_query",
        Some("format"),
    ),
    (
        "GET",
        "/responses?format=NDJSON",
        "invalid_query",
        Some("format"),
    ),
    ("GET", "/responses?limit=0", "invalid_query", Some("limit")),
    (
        "GET",
        "/responses?limit=5001",
        "invalid_query",
        Some("limit"),
    ),
    ("GET", "/responses?limit=-1", "invalid_query", Some("limit")),
    (
        "GET",
        "/responses?limit=1e3",
        "invalid_query",
        Some("limit"),
    ),
    (
        "GET",
        "/responses?limit=99999999999999999999999",
        "invalid_query",
        Some("limit"),
    ),
    (
        "GET",
        "/responses?cursor=x",
        "invalid_query",
        Some("cursor"),
    ),
    (
        "GET",
        "/responses?cursor=-1.00000001-0000-4000-8000-000000000000",
        "invalid_query",
        Some("cursor"),
    ),
    (
        "GET",
        "/responses?cursor=1.not-a-uuid",
        "invalid_query",
        Some("cursor"),
    ),
    (
        "GET",
        "/responses?from=2026-02-30",
        "invalid_query",
        Some("from"),
    ),
    (
        "GET",
        "/responses?from=2026-11-30&to=2026-11-01",
        "invalid_query",
        Some("from"),
    ),
    ("GET", "/responses?page=2", "invalid_query", Some("page")),
    ("DELETE", "/responses/not-a-uuid", "invalid_id", Some("id")),
    (
        "DELETE",
        "/responses/6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "invalid_id",
        Some("id"),
    ),
    (
        "DELETE",
        "/responses/%27%20OR%20%271%27%3D%271",
        "invalid_id",
        Some("id"),
    ),
    (
        "DELETE",
        "/responses/00000001-0000-4000-8000-00000000000%00",
        "invalid_id",
        Some("id"),
    ),
    (
        "DELETE",
        "/responses/00000001-0000-4000-8000-000000000099",
        "not_found",
        None,
    ),
];

pub fn corpus() -> Vec<Case> {
    let mut c = Corpus {
        cases: Vec::new(),
        next_id: 0,
    };
    broken_json(&mut c);
    wrong_shapes(&mut c);
    scores(&mut c);
    strings(&mut c);
    attributes_and_keys(&mut c);
    transport(&mut c);
    c.cases
}

fn broken_json(c: &mut Corpus) {
    let valid = c.valid_text();
    // Every proper prefix of a valid body is broken JSON.
    let step = (valid.len() / 24).max(1);
    for cut in (0..valid.len()).step_by(step) {
        c.push(
            format!("prefix of {cut} bytes"),
            valid[..cut].to_string(),
            "malformed_json",
            None,
        );
    }
    let v = c.valid_text();
    for (name, text) in [
        ("whitespace only", " \n\t ".to_string()),
        ("trailing garbage", format!("{v}x")),
        ("two objects", format!("{v}{v}")),
        ("trailing comma after the object", format!("{v},")),
        ("stray bracket", format!("{v}]")),
        ("single quotes", v.replace('"', "'")),
        ("unquoted keys", v.replace("\"id\"", "id")),
        ("trailing comma inside", format!("{},}}", &v[..v.len() - 1])),
        ("missing colon", v.replacen("\":", "\" ", 1)),
        ("missing comma", v.replacen(",\"", " \"", 1)),
        ("block comment", format!("/* hi */{v}")),
        ("line comment", format!("// hi\n{v}")),
        ("byte order mark", format!("\u{feff}{v}")),
        ("JSONP wrapper", format!("callback({v})")),
        ("form encoding", "id=1&score=4".to_string()),
        ("XML", "<answer><score>4</score></answer>".to_string()),
        ("HTML", "<script>alert(1)</script>".to_string()),
        ("SQL", "'; DROP TABLE responses; --".to_string()),
        (
            "deep arrays",
            format!("{}{}", "[".repeat(3000), "]".repeat(3000)),
        ),
        (
            "deep objects",
            format!("{}1{}", "{\"a\":".repeat(1000), "}".repeat(1000)),
        ),
        ("unclosed deep arrays", "[".repeat(8000)),
    ] {
        c.push(name, text, "malformed_json", None);
    }
    // Literals JSON does not have, and numbers it cannot hold.
    for lit in [
        "NaN",
        "Infinity",
        "-Infinity",
        "+4",
        "04",
        ".5",
        "4.",
        "0x10",
        "1e400",
        "-1e400",
        "undefined",
        "True",
        "nul",
        "4_0",
        "--4",
    ] {
        c.with_raw("bad literal", "score", lit, "malformed_json", None);
    }
    c.with_raw(
        "deep nesting in attributes",
        "attributes",
        &format!("{}\"x\"{}", "{\"a\":".repeat(200), "}".repeat(200)),
        "malformed_json",
        None,
    );
    // Bytes that are not UTF-8, and strings JSON forbids.
    let template = c.valid_text().replace("\"fine\"", "\"@@\"");
    for (name, bytes) in [
        ("byte 0xff", &b"\xff"[..]),
        ("byte 0xfe", b"\xfe"),
        ("overlong slash", b"\xc0\xaf"),
        ("lone continuation byte", b"\x80"),
        ("UTF-8 encoded surrogate", b"\xed\xa0\x80"),
        ("truncated sequence", b"\xe2\x82"),
        ("five-byte sequence", b"\xf8\x88\x80\x80\x80"),
        ("beyond U+10FFFF", b"\xf4\x90\x80\x80"),
        ("raw NUL", b"\x00"),
        ("raw newline", b"a\nb"),
        ("raw tab", b"a\tb"),
        ("raw escape", b"\x1b[31m"),
        ("bad escape \\x", b"\\x41"),
        ("short unicode escape", b"\\u12"),
        ("non-hex unicode escape", b"\\u12G4"),
        ("lone high surrogate", b"\\ud800"),
        ("lone low surrogate", b"\\udc00"),
        ("reversed surrogates", b"\\udc00\\ud800"),
    ] {
        let (head, tail) = template.split_once("@@").unwrap_or_default();
        c.push(
            format!("comment with {name}"),
            [head.as_bytes(), bytes, tail.as_bytes()].concat(),
            "malformed_json",
            None,
        );
    }
    let utf16: Vec<u8> = c
        .valid_text()
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    c.push("UTF-16 body", utf16, "malformed_json", None);
}

fn wrong_shapes(c: &mut Corpus) {
    let v = c.valid_text();
    for (name, text) in [
        ("array", "[]".to_string()),
        ("null", "null".into()),
        ("number", "4".into()),
        ("string", "\"csat\"".into()),
        ("boolean", "true".into()),
        ("array holding an answer", format!("[{v}]")),
        ("answer as a JSON string", json!(v).to_string()),
    ] {
        c.push(
            format!("not an object: {name}"),
            text,
            "not_an_object",
            None,
        );
    }
    c.push("empty object", "{}", "missing_field", Some("id"));
    for key in ["id", "touchpoint", "kind", "score"] {
        let mut m = c.valid();
        m.remove(key);
        c.push(
            format!("without {key}"),
            Value::Object(m).to_string(),
            "missing_field",
            Some(key),
        );
        c.with(&format!("null {key}"), key, Value::Null, "missing_field");
    }
    for (key, values) in [
        (
            "id",
            vec![json!(123), json!(true), json!([]), json!({}), json!(1.5)],
        ),
        (
            "touchpoint",
            vec![json!(7), json!(["checkout"]), json!({"name": "checkout"})],
        ),
        ("kind", vec![json!(1), json!(["csat"]), json!(false)]),
        (
            "score",
            vec![
                json!("4"),
                json!("four"),
                json!(true),
                json!([4]),
                json!({"value": 4}),
            ],
        ),
        (
            "comment",
            vec![json!(5), json!(["x"]), json!({}), json!(true)],
        ),
        ("page", vec![json!(1), json!([]), json!({})]),
        ("locale", vec![json!(1), json!(["en"]), json!(true)]),
        (
            "attributes",
            vec![json!([]), json!("plan=pro"), json!(3), json!(true)],
        ),
    ] {
        for value in values {
            c.with("wrong type", key, value, "invalid_type");
        }
    }
}

fn scores(c: &mut Corpus) {
    for lit in [
        "4.5",
        "4.0",
        "1e2",
        "-0.0",
        "0.1e1",
        "18446744073709551615",
        "9223372036854775808",
        "-9223372036854775809",
        "1e308",
        &"9".repeat(100),
    ] {
        c.with_raw(
            "not a whole number",
            "score",
            lit,
            "invalid_score",
            Some("score"),
        );
    }
    for (kind, score) in [
        ("csat", 0),
        ("csat", 6),
        ("csat", -1),
        ("nps", -1),
        ("nps", 11),
        ("ces", 0),
        ("ces", 8),
        ("stars", 0),
        ("stars", 6),
        ("thumbs", -1),
        ("thumbs", 2),
        ("csat", 256 + 4),
        ("thumbs", 257),
        ("nps", i64::MAX),
        ("nps", i64::MIN),
    ] {
        let mut m = c.valid();
        m.insert("kind".into(), json!(kind));
        m.insert("score".into(), json!(score));
        c.push(
            format!("{kind} score {score}"),
            Value::Object(m).to_string(),
            "score_out_of_range",
            Some("score"),
        );
    }
}

fn strings(c: &mut Corpus) {
    let table: [(&str, &'static str, Vec<String>); 5] = [
        (
            "id",
            "invalid_id",
            [
                "",
                "not-a-uuid",
                "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                "0b6f6c9e-3c1a-4d2e-cf10-2a3b4c5d6e7f",
                "00000000-0000-0000-0000-000000000000",
                "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7",
                "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f0",
                "{0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f}",
                "urn:uuid:0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
                " 0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
                "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f\n",
                "' OR '1'='1",
                "<script>alert(1)</script>",
                "../../etc/passwd",
                "a\r\nSet-Cookie: x=1",
                "０b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f",
                "------------------------------------",
                "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7\u{0}",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "touchpoint",
            "invalid_touchpoint",
            [
                "",
                "Checkout",
                "check out",
                "../etc/passwd",
                "a/b",
                "x'; DROP TABLE responses; --",
                "<img src=x onerror=alert(1)>",
                "a\r\nSet-Cookie: x=1",
                "café",
                "a\u{0}",
                "%2e%2e",
                "checkout\n",
                "\u{202e}checkout",
                "checkout\u{200b}",
            ]
            .map(String::from)
            .into_iter()
            .chain(["a".repeat(65)])
            .collect(),
        ),
        (
            "kind",
            "invalid_kind",
            [
                "",
                "CSAT",
                "ratings",
                "csat ",
                "nps\u{0}",
                "1 OR 1=1",
                "<script>",
                "__proto__",
                "csаt",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "page",
            "invalid_page",
            [
                "javascript:alert(1)",
                "JaVaScRiPt:alert(document.cookie)",
                "data:text/html,<script>alert(1)</script>",
                "file:///etc/passwd",
                "//evil.example/x",
                "/cart",
                "https://user:pass@evil.example/",
                "https://evil.example/a b",
                "https://evil.example/\r\nx",
                "https://",
                "http://<script>/",
                "ftp://shop.example/",
                "vbscript:msgbox(1)",
                "https://evil.example\u{0}/",
            ]
            .map(String::from)
            .into_iter()
            .chain([format!("https://shop.example/{}", "a".repeat(2100))])
            .collect(),
        ),
        (
            "locale",
            "invalid_locale",
            [
                "",
                "en_US",
                "en-",
                "-en",
                "x",
                "123",
                "e",
                "toolonglang",
                "en-a",
                "en-US-<script>",
                "en US",
                "en\u{0}",
                "de-DE-1901-x",
            ]
            .map(String::from)
            .into_iter()
            .chain([format!("en-{}", "a".repeat(33))])
            .collect(),
        ),
    ];
    for (key, code, values) in table {
        for value in values {
            c.with("bad string", key, json!(value), code);
        }
    }
    for (name, comment, code) in [
        ("2001 characters", "é".repeat(2001), "comment_too_long"),
        ("2001 emoji", "😀".repeat(2001), "comment_too_long"),
        ("NUL", "a\u{0}b".to_string(), "invalid_comment"),
        ("bell", "ding\u{7}".to_string(), "invalid_comment"),
        (
            "ANSI colours",
            "\u{1b}[31mred\u{1b}[0m".to_string(),
            "invalid_comment",
        ),
        (
            "carriage return",
            "line\rline".to_string(),
            "invalid_comment",
        ),
        (
            "header injection",
            "ok\r\nSet-Cookie: session=evil".to_string(),
            "invalid_comment",
        ),
        ("DEL", "a\u{7f}".to_string(), "invalid_comment"),
        ("C1 NEL", "a\u{85}b".to_string(), "invalid_comment"),
        ("C1 CSI", "\u{9b}31m".to_string(), "invalid_comment"),
        (
            "XSS and a NUL",
            "<script>alert(1)</script>\u{0}".to_string(),
            "invalid_comment",
        ),
    ] {
        let mut m = c.valid();
        m.insert("comment".into(), json!(comment));
        c.push(
            format!("comment: {name}"),
            Value::Object(m).to_string(),
            code,
            Some("comment"),
        );
    }
}

fn attributes_and_keys(c: &mut Corpus) {
    let many: Map<String, Value> = (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
    c.with(
        "17 attributes",
        "attributes",
        Value::Object(many),
        "too_many_attributes",
    );
    for value in [
        json!({"plan": 1}),
        json!({"plan": null}),
        json!({"plan": {"tier": "pro"}}),
        json!({"plan": ["pro"]}),
        json!({"bad key": "x"}),
        json!({"": "x"}),
        json!({"k".repeat(33): "x"}),
        json!({"<script>": "x"}),
        json!({"a;DROP TABLE responses": "x"}),
        json!({"plan": "p".repeat(201)}),
        json!({"plan": "a\u{0}"}),
        json!({"plan": "line\nline"}),
        json!({"plan": "\u{1b}[2J"}),
    ] {
        c.with("bad attribute", "attributes", value, "invalid_attribute");
    }
    let v = c.valid_text();
    let body = |extra: &str| format!("{},{extra}}}", &v[..v.len() - 1]);
    for (key, extra) in [
        ("id", format!("\"id\":\"{}\"", uuid(1))),
        ("score", "\"score\":1".to_string()),
        ("kind", "\"kind\":\"nps\"".to_string()),
        ("comment", "\"comment\":\"again\"".to_string()),
    ] {
        c.push(
            format!("duplicate {key}"),
            body(&extra),
            "duplicate_field",
            Some(key),
        );
    }
    c.push(
        "duplicate attribute",
        body("\"attributes\":{\"plan\":\"a\",\"plan\":\"b\"}"),
        "duplicate_field",
        Some("plan"),
    );
    c.push(
        "duplicate key deep inside",
        body("\"attributes\":{\"x\":{\"b\":1,\"b\":2}}"),
        "duplicate_field",
        Some("b"),
    );
    c.push(
        "duplicate __proto__",
        body("\"__proto__\":{},\"__proto__\":{}"),
        "duplicate_field",
        Some("__proto__"),
    );
    let long = "u".repeat(100);
    for key in [
        "received_at",
        "country",
        "ip",
        "negative",
        "scale_version",
        "site",
        "token",
        "owner_token",
        "__proto__",
        "constructor",
        "ID",
        "id ",
        "",
        "ïd",
        &long,
    ] {
        c.with_raw("unknown field", key, "\"x\"", "unknown_field", Some(key));
    }
}

fn transport(c: &mut Corpus) {
    let v = c.valid_text();
    for ct in [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/html",
        "application/xml",
        "text/xml",
        "image/png",
        "application/octet-stream",
        "application/javascript",
        "text/plain, application/json",
        "*/*",
        "application/json-patch+json",
        "text/json",
        "application/jsonx",
        "text/plain-evil",
    ] {
        let v = c.valid_text();
        c.request(
            format!("content type {ct}"),
            "POST",
            SITE_PATH,
            &[("content-type", ct), ("origin", ORIGIN)],
            v.into_bytes(),
            "unsupported_media_type",
            None,
        );
    }
    for size in [8 * 1024 + 1, 64 * 1024, 1024 * 1024, 10 * 1024 * 1024] {
        let mut body = v.clone().into_bytes();
        body.resize(size, b' ');
        c.push(format!("{size}-byte body"), body, "body_too_large", None);
    }
    let mut long = c.valid();
    long.insert("comment".into(), json!("x".repeat(9000)));
    c.push(
        "oversized comment",
        Value::Object(long).to_string(),
        "body_too_large",
        None,
    );
    let site_paths: [(&str, &'static str); 13] = [
        ("/v1/sites/SHOP/responses", "site_not_found"),
        ("/v1/sites/-shop/responses", "site_not_found"),
        ("/v1/sites/shop%00/responses", "site_not_found"),
        (
            "/v1/sites/shop%0d%0aSet-Cookie:%20x=1/responses",
            "site_not_found",
        ),
        (
            "/v1/sites/%3Cscript%3Ealert(1)%3C%2Fscript%3E/responses",
            "site_not_found",
        ),
        ("/v1/sites/shop'%20OR%20'1'='1/responses", "site_not_found"),
        (
            "/v1/sites/..%2F..%2Fetc%2Fpasswd/responses",
            "site_not_found",
        ),
        ("/v1/sites/shop%231/responses", "site_not_found"),
        ("/v1/sites/%E2%80%AEshop/responses", "site_not_found"),
        ("/v1/sites/nosuch/responses", "site_not_found"),
        ("/v1/sites//responses", "not_found"),
        ("/v1/sites/shop/../../admin", "not_found"),
        ("/v1/sites/shop/responses/extra", "method_not_allowed"),
    ];
    for (path, code) in site_paths {
        let v = c.valid_text();
        c.request(
            format!("path {path}"),
            "POST",
            path,
            &[("content-type", "text/plain"), ("origin", ORIGIN)],
            v.into_bytes(),
            code,
            None,
        );
    }
    let long_site = format!("/v1/sites/{}/responses", "a".repeat(41));
    let v = c.valid_text();
    c.request(
        "41-character site id",
        "POST",
        &long_site,
        &[("content-type", "text/plain"), ("origin", ORIGIN)],
        v.into_bytes(),
        "site_not_found",
        None,
    );
    for origin in [
        None,
        Some("null"),
        Some("https://evil.example"),
        Some("https://shop.example.evil.example"),
        Some("https://evil.example/?https://shop.example"),
        Some("https://shop.example/"),
        Some("https://SHOP.example"),
        Some("http://shop.example"),
        Some("https://shop.example:443"),
        Some("https://shop.example, https://evil.example"),
        Some("*"),
        Some("https://other.example"),
        Some("https://xn--shp-qla.example"),
    ] {
        let v = c.valid_text();
        let mut headers = vec![("content-type", "text/plain")];
        headers.extend(origin.map(|o| ("origin", o)));
        c.request(
            format!("origin {origin:?}"),
            "POST",
            SITE_PATH,
            &headers,
            v.into_bytes(),
            "origin_not_allowed",
            None,
        );
    }
    // The shop's own origin may not write into another site.
    let v = c.valid_text();
    c.request(
        "cross-site write",
        "POST",
        "/v1/sites/other/responses",
        &[("content-type", "text/plain"), ("origin", ORIGIN)],
        v.into_bytes(),
        "origin_not_allowed",
        None,
    );
    for method in ["PUT", "PATCH", "DELETE"] {
        let v = c.valid_text();
        c.request(
            format!("method {method}"),
            method,
            SITE_PATH,
            &[("content-type", "text/plain"), ("origin", ORIGIN)],
            v.into_bytes(),
            "method_not_allowed",
            None,
        );
    }
    // Internal headers of the front door are not taken from clients.
    let v = c.valid_text();
    c.request(
        "spoofed internal headers",
        "POST",
        SITE_PATH,
        &[
            ("content-type", "text/plain"),
            ("origin", "https://evil.example"),
            ("x-earshot-site", "shop"),
            ("x-earshot-object", "shop"),
            ("x-earshot-admin", "1"),
        ],
        v.into_bytes(),
        "origin_not_allowed",
        None,
    );
}
