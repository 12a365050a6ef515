//! Data-driven tests of the ingest decoder: one row per rule.

use domain::{decode_ingest, Code, Kind};

const ID: &str = "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";

fn body(extra: &str) -> String {
    format!(r#"{{"id":"{ID}","touchpoint":"checkout","kind":"csat","score":4{extra}}}"#)
}

#[track_caller]
fn rejects(input: &str, code: Code, field: Option<&str>) {
    let fault = decode_ingest(input.as_bytes()).expect_err(input);
    assert_eq!(
        (fault.code, fault.field.as_deref()),
        (code, field),
        "{input}: {}",
        fault.message
    );
    assert!(!fault.message.is_empty());
}

#[test]
fn accepts_a_minimal_and_a_full_response() {
    let r = decode_ingest(body("").as_bytes()).unwrap();
    assert_eq!(
        (r.id.as_str(), r.touchpoint.as_str(), r.kind, r.score),
        (ID, "checkout", Kind::Csat, 4)
    );
    assert_eq!((r.comment, r.page, r.locale), (None, None, None));

    let full = body(
        r#","comment":"  Ça va 👍\n","page":"https://shop.example/cart?coupon=X#top","locale":"pt-br","attributes":{"plan":"pro"}"#,
    );
    let r = decode_ingest(full.as_bytes()).unwrap();
    assert_eq!(r.comment.as_deref(), Some("Ça va 👍"));
    assert_eq!(r.page.as_deref(), Some("https://shop.example/cart"));
    assert_eq!(r.locale.as_deref(), Some("pt-BR"));
    assert_eq!(r.attributes.get("plan"), Some("pro"));
    assert!(!r.is_negative());
}

#[test]
fn uppercase_ids_are_normalized_and_nulls_mean_absent() {
    let upper = body(r#","comment":null"#).replace(ID, &ID.to_uppercase());
    let r = decode_ingest(upper.as_bytes()).unwrap();
    assert_eq!((r.id.as_str(), r.comment), (ID, None));
}

#[test]
fn every_kind_accepts_exactly_its_scale() {
    for kind in Kind::ALL {
        let s = kind.scale();
        for score in -2..=12i64 {
            let b = format!(r#"{{"id":"{ID}","touchpoint":"t","kind":"{kind}","score":{score}}}"#);
            match decode_ingest(b.as_bytes()) {
                Ok(r) => assert!(
                    s.contains(score) && r.score as i64 == score,
                    "{kind} {score}"
                ),
                Err(f) => assert!(
                    !s.contains(score) && f.code == Code::ScoreOutOfRange,
                    "{kind} {score}"
                ),
            }
        }
    }
}

#[test]
fn malformed_bodies() {
    rejects("", Code::MalformedJson, None);
    rejects("{", Code::MalformedJson, None);
    rejects("{\"id\":}", Code::MalformedJson, None);
    rejects(&(body("") + "x"), Code::MalformedJson, None);
    rejects("[1,2]", Code::NotAnObject, None);
    rejects("\"hi\"", Code::NotAnObject, None);
    rejects("null", Code::NotAnObject, None);
    rejects(&"[".repeat(10_000), Code::MalformedJson, None);
    rejects(&body(r#","score":5"#), Code::DuplicateField, Some("score"));
    rejects(
        &body(r#","attributes":{"a":"1","a":"2"}"#),
        Code::DuplicateField,
        Some("a"),
    );
    rejects(&body(r#","rating":5"#), Code::UnknownField, Some("rating"));
    rejects(
        &body(r#","__proto__":{}"#),
        Code::UnknownField,
        Some("__proto__"),
    );
}

#[test]
fn field_rules() {
    let without = |field: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&body("")).unwrap();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    for f in ["id", "touchpoint", "kind", "score"] {
        rejects(&without(f), Code::MissingField, Some(f));
    }
    let with = |field: &str, json: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&body("")).unwrap();
        v[field] = serde_json::from_str(json).unwrap();
        v.to_string()
    };
    let table: &[(&str, &str, Code)] = &[
        ("id", r#""not-a-uuid""#, Code::InvalidId),
        (
            "id",
            r#""0b6f6c9e-3c1a-1d2e-9f10-2a3b4c5d6e7f""#,
            Code::InvalidId,
        ), // v1, not v4
        (
            "id",
            r#""0b6f6c9e-3c1a-4d2e-cf10-2a3b4c5d6e7f""#,
            Code::InvalidId,
        ), // bad variant
        ("id", "42", Code::InvalidType),
        ("touchpoint", r#""""#, Code::InvalidTouchpoint),
        ("touchpoint", r#""Check Out""#, Code::InvalidTouchpoint),
        ("touchpoint", r#""../../etc""#, Code::InvalidTouchpoint),
        (
            "touchpoint",
            r#""x'; DROP TABLE responses; --""#,
            Code::InvalidTouchpoint,
        ),
        ("kind", r#""rating""#, Code::InvalidKind),
        ("kind", r#""CSAT""#, Code::InvalidKind),
        ("score", "4.5", Code::InvalidScore),
        ("score", "1e300", Code::InvalidScore),
        ("score", "99999999999999999999", Code::InvalidScore),
        ("score", "-1", Code::ScoreOutOfRange),
        ("score", "6", Code::ScoreOutOfRange),
        ("score", r#""4""#, Code::InvalidType),
        ("score", "true", Code::InvalidType),
        ("comment", "5", Code::InvalidType),
        ("comment", r#""bell\u0007""#, Code::InvalidComment),
        ("comment", r#""nul\u0000""#, Code::InvalidComment),
        ("page", r#""/relative/path""#, Code::InvalidPage),
        ("page", r#""javascript:alert(1)""#, Code::InvalidPage),
        ("page", r#""https://""#, Code::InvalidPage),
        ("page", r#""https://user@evil.example/""#, Code::InvalidPage),
        ("locale", r#""english""#, Code::InvalidLocale),
        ("locale", r#""en_US""#, Code::InvalidLocale),
        ("locale", r#""e""#, Code::InvalidLocale),
        ("locale", r#""en--us""#, Code::InvalidLocale),
        ("attributes", r#""plan=pro""#, Code::InvalidType),
        ("attributes", r#"{"plan":1}"#, Code::InvalidAttribute),
        ("attributes", r#"{"bad key":"x"}"#, Code::InvalidAttribute),
        (
            "attributes",
            r#"{"k":"line\nbreak"}"#,
            Code::InvalidAttribute,
        ),
    ];
    for (field, json, code) in table {
        rejects(
            &with(field, json),
            *code,
            Some(if *code == Code::InvalidAttribute {
                "attributes"
            } else {
                field
            }),
        );
    }
}

#[test]
fn comment_length_counts_characters_not_bytes() {
    let at_limit = "ж".repeat(2000); // 4000 bytes, 2000 characters
    let ok = body(&format!(r#","comment":"{at_limit}""#));
    assert_eq!(
        decode_ingest(ok.as_bytes())
            .unwrap()
            .comment
            .unwrap()
            .chars()
            .count(),
        2000
    );
    rejects(
        &body(&format!(r#","comment":"{at_limit}ж""#)),
        Code::CommentTooLong,
        Some("comment"),
    );
}

#[test]
fn attribute_count_is_bounded() {
    let pairs = |n: usize| {
        (0..n)
            .map(|i| format!(r#""k{i}":"v""#))
            .collect::<Vec<_>>()
            .join(",")
    };
    assert!(decode_ingest(body(&format!(r#","attributes":{{{}}}"#, pairs(16))).as_bytes()).is_ok());
    rejects(
        &body(&format!(r#","attributes":{{{}}}"#, pairs(17))),
        Code::TooManyAttributes,
        Some("attributes"),
    );
}

#[test]
fn locales_are_canonicalized() {
    let check = |input: &str, want: &str| {
        assert_eq!(
            domain::ingest::canonical_locale(input).as_deref(),
            Ok(want),
            "{input}"
        );
    };
    check("en", "en");
    check("EN-us", "en-US");
    check("zh-hant-tw", "zh-Hant-TW");
    check("es-419", "es-419");
    check("de-CH-1996", "de-CH-1996");
    check("sr-Latn-RS-u-nu-latn", "sr-Latn-RS-u-nu-latn");
    check("x-private", "x-private");
    check("fa", "fa");
}

mod cases {
    use domain::{decode_ingest, Code};

    const ID: &str = "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";
    const CASE: &str = "1b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";

    fn body(score: i64, extra: &str) -> String {
        format!(r#"{{"id":"{ID}","touchpoint":"checkout","kind":"csat","score":{score}{extra}}}"#)
    }

    #[test]
    fn contact_comes_only_with_a_negative_score() {
        let r = decode_ingest(body(1, r#","contact":"  ann@example.com ""#).as_bytes()).unwrap();
        assert_eq!(r.contact.as_deref(), Some("ann@example.com"));
        assert_eq!(r.shard_key(), ID);
        for (score, extra) in [
            (4, r#","contact":"ann@example.com""#),
            (1, r#","contact":"   ""#),
            (1, r#","contact":"a\u0007b""#),
        ] {
            let f = decode_ingest(body(score, extra).as_bytes()).unwrap_err();
            assert_eq!(
                (f.code, f.field.as_deref()),
                (Code::InvalidContact, Some("contact"))
            );
        }
        let long = format!(r#","contact":"{}""#, "x".repeat(201));
        let f = decode_ingest(body(1, &long).as_bytes()).unwrap_err();
        assert_eq!(f.field.as_deref(), Some("contact"));
        let f = decode_ingest(body(1, r#","contact":5"#).as_bytes()).unwrap_err();
        assert_eq!(
            (f.code, f.field.as_deref()),
            (Code::InvalidType, Some("contact"))
        );
    }

    #[test]
    fn a_follow_up_is_stored_with_its_case() {
        let r = decode_ingest(
            body(5, &format!(r#","follow_up_of":"{}""#, CASE.to_uppercase())).as_bytes(),
        )
        .unwrap();
        assert_eq!(r.follow_up_of.as_deref(), Some(CASE));
        assert_eq!(r.shard_key(), CASE);
        let f = decode_ingest(body(5, r#","follow_up_of":"nope""#).as_bytes()).unwrap_err();
        assert_eq!(
            (f.code, f.field.as_deref()),
            (Code::InvalidId, Some("follow_up_of"))
        );
    }
}
