//! The displays decoder (one row per rule), the `display_id` check, the wire shapes, and
//! properties of reach counting.

use domain::display::*;
use domain::limits::MAX_DISPLAY_BODY_BYTES;
use domain::wire::{DisplayAck, DisplayRequest};
use domain::{Code, Kind};
use proptest::prelude::*;

const ID: &str = "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";

fn body(v: &str, id: &str, event: &str) -> String {
    format!(r#"{{"v":{v},"id":{id},"touchpoint":"checkout","kind":"csat","event":{event}}}"#)
}

fn good() -> String {
    body("1", &format!("\"{ID}\""), "\"shown\"")
}

#[test]
fn accepts_a_display_and_normalizes_the_id() {
    let upper = good().replace(ID, &ID.to_uppercase());
    let d = decode_display(upper.as_bytes()).unwrap();
    assert_eq!(
        d,
        Display {
            id: ID.into(),
            touchpoint: "checkout".into(),
            kind: Kind::Csat,
            event: DisplayEvent::Shown,
        }
    );
    let dismissed = body("1", &format!("\"{ID}\""), "\"dismissed\"");
    assert_eq!(
        decode_display(dismissed.as_bytes()).unwrap().event,
        DisplayEvent::Dismissed
    );
}

#[test]
fn rejects_each_fault_with_its_field() {
    let id = format!("\"{ID}\"");
    let shown = "\"shown\"";
    let too_big = format!(
        r#"{{"v":1,"id":"{ID}","touchpoint":"{}","kind":"csat","event":"shown"}}"#,
        "a".repeat(MAX_DISPLAY_BODY_BYTES)
    );
    let table: Vec<(String, Code, Option<&str>)> = vec![
        ("".into(), Code::MalformedJson, None),
        ("{\"v\":1".into(), Code::MalformedJson, None),
        ("[1]".into(), Code::NotAnObject, None),
        ("\"shown\"".into(), Code::NotAnObject, None),
        (too_big, Code::BodyTooLarge, None),
        (
            good().replace("}", ",\"page\":\"x\"}"),
            Code::UnknownField,
            Some("page"),
        ),
        (
            good().replace("}", ",\"event\":\"shown\"}"),
            Code::DuplicateField,
            Some("event"),
        ),
        (
            good().replace("\"v\":1,", ""),
            Code::MissingField,
            Some("v"),
        ),
        (body("null", &id, shown), Code::MissingField, Some("v")),
        (body("\"1\"", &id, shown), Code::InvalidType, Some("v")),
        (body("2", &id, shown), Code::InvalidVersion, Some("v")),
        (body("1.0", &id, shown), Code::InvalidVersion, Some("v")),
        (body("-1", &id, shown), Code::InvalidVersion, Some("v")),
        (body("1e400", &id, shown), Code::MalformedJson, None),
        (body("1", "null", shown), Code::MissingField, Some("id")),
        (body("1", "7", shown), Code::InvalidType, Some("id")),
        (body("1", "\"nope\"", shown), Code::InvalidId, Some("id")),
        (
            body("1", "\"0b6f6c9e-3c1a-1d2e-9f10-2a3b4c5d6e7f\"", shown),
            Code::InvalidId,
            Some("id"),
        ),
        (
            good().replace("checkout", "Check Out"),
            Code::InvalidTouchpoint,
            Some("touchpoint"),
        ),
        (
            good().replace("\"checkout\"", "\"\""),
            Code::InvalidTouchpoint,
            Some("touchpoint"),
        ),
        (
            good().replace("\"checkout\"", "[]"),
            Code::InvalidType,
            Some("touchpoint"),
        ),
        (
            good().replace("\"csat\"", "\"CSAT\""),
            Code::InvalidKind,
            Some("kind"),
        ),
        (
            good().replace(",\"kind\":\"csat\"", ""),
            Code::MissingField,
            Some("kind"),
        ),
        (
            body("1", &id, "\"clicked\""),
            Code::InvalidEvent,
            Some("event"),
        ),
        (
            body("1", &id, "\"Shown\""),
            Code::InvalidEvent,
            Some("event"),
        ),
        (body("1", &id, "true"), Code::InvalidType, Some("event")),
        (body("1", &id, "null"), Code::MissingField, Some("event")),
    ];
    for (input, code, field) in table {
        let fault = decode_display(input.as_bytes()).expect_err(&input);
        assert_eq!(
            (fault.code, fault.field.as_deref()),
            (code, field),
            "{input}: {}",
            fault.message
        );
        assert!(!fault.message.is_empty());
    }
}

#[test]
fn display_id_is_a_uuid_v4_blamed_on_display_id() {
    assert_eq!(validate_display_id(&ID.to_uppercase()), Ok(ID.to_string()));
    let f = validate_display_id("0b6f6c9e").unwrap_err();
    assert_eq!(
        (f.code, f.field.as_deref()),
        (Code::InvalidId, Some("display_id"))
    );
}

#[test]
fn wire_shapes_match_the_product_spec() {
    let ack = DisplayAck {
        id: ID.into(),
        event: DisplayEvent::Dismissed.as_str().into(),
        duplicate: false,
    };
    assert_eq!(
        serde_json::to_value(&ack).unwrap(),
        serde_json::json!({"id": ID, "event": "dismissed", "duplicate": false})
    );
    let r = reach(&ReachTally::default());
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::json!({"shown": 0, "answered": 0, "dismissed": 0,
            "response_rate": null, "response_rate_ci95": null,
            "dismiss_rate": null, "dismiss_rate_ci95": null})
    );
}

fn display() -> impl Strategy<Value = Display> {
    (
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "[a-z0-9._-]{1,64}",
        prop::sample::select(Kind::ALL.to_vec()),
        prop::sample::select(DisplayEvent::ALL.to_vec()),
    )
        .prop_map(|(id, touchpoint, kind, event)| Display {
            id,
            touchpoint,
            kind,
            event,
        })
}

fn reach_tally() -> impl Strategy<Value = ReachTally> {
    (0u64..1 << 40, 0u64..1 << 40, 0u64..1 << 40).prop_map(|(shown, dismissed, answered)| {
        ReachTally {
            shown,
            dismissed,
            answered,
        }
    })
}

/// One display event or one answer, as the store would count them.
#[derive(Debug, Clone, Copy)]
enum Event {
    Display(DisplayEvent),
    Answer,
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(
        prop_oneof![
            Just(Event::Display(DisplayEvent::Shown)),
            Just(Event::Display(DisplayEvent::Dismissed)),
            Just(Event::Answer),
        ],
        0..40,
    )
}

fn count(events: &[Event]) -> ReachTally {
    let mut t = ReachTally::default();
    for e in events {
        match *e {
            Event::Display(d) => t.add(d, 1),
            Event::Answer => t.add_answered(1),
        }
    }
    t
}

proptest! {
    #[test]
    fn decoder_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1100)) {
        let _ = decode_display(&bytes);
    }

    #[test]
    fn decoder_never_panics_on_json_like_text(text in r#"[{}\[\]":,0-9a-z.\-eE \\u]{0,200}"#) {
        let _ = decode_display(text.as_bytes());
    }

    #[test]
    fn valid_displays_round_trip(d in display()) {
        let bytes = serde_json::to_vec(&DisplayRequest::from(&d)).unwrap();
        prop_assert!(bytes.len() <= MAX_DISPLAY_BODY_BYTES);
        prop_assert_eq!(decode_display(&bytes), Ok(d));
    }

    #[test]
    fn merge_is_commutative_associative_and_counts_the_concatenation(
        a in events(), b in events(), c in events()
    ) {
        let (ta, tb, tc) = (count(&a), count(&b), count(&c));
        let mut ab = ta;
        ab.merge(&tb);
        let mut ba = tb;
        ba.merge(&ta);
        prop_assert_eq!(ab, ba);
        let mut ab_c = ab;
        ab_c.merge(&tc);
        let mut bc = tb;
        bc.merge(&tc);
        let mut a_bc = ta;
        a_bc.merge(&bc);
        prop_assert_eq!(ab_c, a_bc);
        prop_assert_eq!(ab_c, count(&[a, b, c].concat()));
    }

    #[test]
    fn rates_stay_within_0_and_100(t in reach_tally()) {
        let r = reach(&t);
        prop_assert_eq!(r.response_rate.is_some(), t.shown > 0);
        for (rate, ci) in [
            (r.response_rate, r.response_rate_ci95),
            (r.dismiss_rate, r.dismiss_rate_ci95),
        ] {
            if let (Some(rate), Some([lo, hi])) = (rate, ci) {
                prop_assert!((0.0..=100.0).contains(&rate));
                prop_assert!(0.0 <= lo && lo <= hi && hi <= 100.0);
            }
        }
    }
}
