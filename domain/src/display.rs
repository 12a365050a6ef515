//! Prompt displays and reach: decoding the displays body into a [`Display`], counting displays
//! ([`ReachTally`]) and turning the counts into response and dismiss rates ([`reach`]).
//!
//! Decoding is as strict as [`crate::ingest::decode_ingest`]: one JSON object, no duplicate
//! keys, no unknown fields, each fault with its `field`. A display carries counts only: no
//! visitor id, no page, nothing about the person.

use crate::error::{Code, Fault};
use crate::ingest::{decode_object, required_string, validate_touchpoint, validate_uuid_v4};
use crate::kind::Kind;
use crate::limits::MAX_DISPLAY_BODY_BYTES;
use crate::metrics::{round1, wilson95};
use crate::wire::{DisplayRequest, Reach};
use serde_json::Value;

/// The only displays body version (`"v": 1`).
pub const DISPLAY_VERSION: i64 = 1;

// Literals, not `format!`: the widget runs these checks in wasm. A test ties them to the limits.
const BODY_TOO_LARGE: &str = "a display body must be at most 1024 bytes";
const VERSION_RULE: &str = "v must be 1";
const EVENT_RULE: &str = "event must be one of shown, dismissed";
const DISPLAY_ID_RULE: &str =
    "display_id must be a UUID v4 like 0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f";

const FIELDS: [&str; 5] = ["v", "id", "touchpoint", "kind", "event"];

/// What happened to a prompt: it became visible, or the customer closed it unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisplayEvent {
    Shown,
    Dismissed,
}

impl DisplayEvent {
    pub const ALL: [DisplayEvent; 2] = [DisplayEvent::Shown, DisplayEvent::Dismissed];

    pub const fn as_str(self) -> &'static str {
        match self {
            DisplayEvent::Shown => "shown",
            DisplayEvent::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Result<DisplayEvent, Fault> {
        DisplayEvent::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| Fault::at(Code::InvalidEvent, "event", EVENT_RULE))
    }
}

impl std::fmt::Display for DisplayEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated display. Only [`decode_display`] and `TryFrom<DisplayRequest>` make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Display {
    /// Lowercase UUID v4 of the display; (id, event) is the idempotency key.
    pub id: String,
    pub touchpoint: String,
    pub kind: Kind,
    pub event: DisplayEvent,
}

/// Decodes and validates a displays body (raw bytes, any content type).
pub fn decode_display(body: &[u8]) -> Result<Display, Fault> {
    if body.len() > MAX_DISPLAY_BODY_BYTES {
        return Err(Fault::new(Code::BodyTooLarge, BODY_TOO_LARGE));
    }
    let mut object = decode_object(body)?;
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        let name: String = unknown.chars().take(64).collect();
        return Err(Fault::at(
            Code::UnknownField,
            name.clone(),
            format!("unknown field `{name}`"),
        ));
    }
    // `null` means absent, as for responses.
    let mut take = |name: &str| object.remove(name).filter(|v| !v.is_null());
    let v = match take("v") {
        None => return Err(Fault::at(Code::MissingField, "v", "v is required")),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(_) => return Err(Fault::at(Code::InvalidType, "v", "v must be a number")),
    };
    if v != DISPLAY_VERSION {
        return Err(Fault::at(Code::InvalidVersion, "v", VERSION_RULE));
    }
    Display::try_from(DisplayRequest {
        v,
        id: required_string(take("id"), "id")?,
        touchpoint: required_string(take("touchpoint"), "touchpoint")?,
        kind: required_string(take("kind"), "kind")?,
        event: required_string(take("event"), "event")?,
    })
}

impl TryFrom<DisplayRequest> for Display {
    type Error = Fault;

    fn try_from(r: DisplayRequest) -> Result<Self, Fault> {
        if r.v != DISPLAY_VERSION {
            return Err(Fault::at(Code::InvalidVersion, "v", VERSION_RULE));
        }
        let id = validate_uuid_v4(&r.id)?;
        validate_touchpoint(&r.touchpoint)?;
        let kind = Kind::parse(&r.kind)?;
        let event = DisplayEvent::parse(&r.event)?;
        Ok(Display {
            id,
            touchpoint: r.touchpoint,
            kind,
            event,
        })
    }
}

impl From<&Display> for DisplayRequest {
    fn from(d: &Display) -> Self {
        DisplayRequest {
            v: DISPLAY_VERSION,
            id: d.id.clone(),
            touchpoint: d.touchpoint.clone(),
            kind: d.kind.as_str().to_string(),
            event: d.event.as_str().to_string(),
        }
    }
}

/// Checks the optional `display_id` of a response: a UUID v4 in any case, returned lowercase,
/// blamed on `display_id` (not `id`).
pub fn validate_display_id(s: &str) -> Result<String, Fault> {
    validate_uuid_v4(s).map_err(|_| Fault::at(Code::InvalidId, "display_id", DISPLAY_ID_RULE))
}

/// Display counts for one slice (a day, a touchpoint, a period). `answered` counts responses
/// that carry a `display_id`. Merging is addition: associative and commutative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReachTally {
    pub shown: u64,
    pub dismissed: u64,
    pub answered: u64,
}

impl ReachTally {
    /// Counts `n` display events (saturating: a count can never wrap around).
    pub fn add(&mut self, event: DisplayEvent, n: u64) {
        match event {
            DisplayEvent::Shown => self.shown = self.shown.saturating_add(n),
            DisplayEvent::Dismissed => self.dismissed = self.dismissed.saturating_add(n),
        }
    }

    /// Counts `n` responses that carry a `display_id`.
    pub fn add_answered(&mut self, n: u64) {
        self.answered = self.answered.saturating_add(n);
    }

    pub fn merge(&mut self, other: &ReachTally) {
        self.shown = self.shown.saturating_add(other.shown);
        self.dismissed = self.dismissed.saturating_add(other.dismissed);
        self.answered = self.answered.saturating_add(other.answered);
    }

    /// Displays that were answered, at most `shown`: a `shown` beacon can be lost (blocked,
    /// tab killed) while the answer arrives, and a rate above 100 % would be nonsense.
    pub fn answered_of_shown(&self) -> u64 {
        self.answered.min(self.shown)
    }

    /// Displays that were dismissed, at most `shown` (same reason as [`Self::answered_of_shown`]).
    pub fn dismissed_of_shown(&self) -> u64 {
        self.dismissed.min(self.shown)
    }
}

/// The `reach` block: raw counts, and rates as % of `shown` (one decimal, Wilson 95 %), `null`
/// when nothing was shown. Rates use the clamped counts, so they stay within 0–100.
pub fn reach(t: &ReachTally) -> Reach {
    let rate = |x: u64| (t.shown > 0).then(|| round1(x as f64 * 100.0 / t.shown as f64));
    Reach {
        shown: t.shown,
        answered: t.answered,
        dismissed: t.dismissed,
        response_rate: rate(t.answered_of_shown()),
        response_rate_ci95: wilson95(t.answered_of_shown(), t.shown),
        dismiss_rate: rate(t.dismissed_of_shown()),
        dismiss_rate_ci95: wilson95(t.dismissed_of_shown(), t.shown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_messages_name_the_limits() {
        assert!(BODY_TOO_LARGE.contains(&MAX_DISPLAY_BODY_BYTES.to_string()));
        assert!(VERSION_RULE.ends_with(&DISPLAY_VERSION.to_string()));
        for e in DisplayEvent::ALL {
            assert!(EVENT_RULE.contains(e.as_str()), "{e}");
        }
    }

    #[test]
    fn events_round_trip_and_unknown_is_rejected() {
        for e in DisplayEvent::ALL {
            assert_eq!(DisplayEvent::parse(e.as_str()), Ok(e));
        }
        let f = DisplayEvent::parse("Shown").unwrap_err();
        assert_eq!(
            (f.code, f.field.as_deref()),
            (Code::InvalidEvent, Some("event"))
        );
    }

    #[test]
    fn reach_rates_are_shares_of_shown_and_clamp() {
        let r = reach(&ReachTally {
            shown: 200,
            dismissed: 50,
            answered: 30,
        });
        assert_eq!((r.response_rate, r.dismiss_rate), (Some(15.0), Some(25.0)));
        // Wilson by hand: p=0.15, n=200 → centre 0.1566, half 0.0495 → [10.7, 20.6]
        assert_eq!(r.response_rate_ci95, Some([10.7, 20.6]));
        let over = reach(&ReachTally {
            shown: 10,
            dismissed: 0,
            answered: 12,
        });
        assert_eq!((over.answered, over.response_rate), (12, Some(100.0)));
        let none = reach(&ReachTally::default());
        assert_eq!((none.response_rate, none.response_rate_ci95), (None, None));
        assert_eq!((none.dismiss_rate, none.dismiss_rate_ci95), (None, None));
    }
}
