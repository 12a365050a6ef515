//! Alerts about negative answers: the webhook payload (Slack-compatible: it has `text`) and the
//! redelivery schedule.

use crate::calendar::Day;
use crate::export::ExportRecord;
use crate::kind::Kind;
use crate::spike::Spike;
use serde_json::{json, Value};

/// First redelivery after this long; doubling up to [`MAX_RETRY_MS`].
pub const FIRST_RETRY_MS: i64 = 5_000;
pub const MAX_RETRY_MS: i64 = 3_600_000;

/// Delay before the next attempt when `attempts` earlier ones failed (the one that just failed
/// not counted): 5 s, 10 s, 20 s, … up to an hour.
pub fn retry_delay_ms(attempts: u32) -> i64 {
    FIRST_RETRY_MS
        .saturating_mul(1i64 << attempts.min(20))
        .min(MAX_RETRY_MS)
}

/// The JSON body posted to the site's webhook for one negative answer: `case_id` is the case it
/// opened (the answer's id) or, for a follow-up, the case it reopened. The record carries a contact only when the site has
/// `alert_contact` (the caller decides; by default alerts never hold one).
pub fn payload(site: &str, r: &ExportRecord, case_id: &str) -> Value {
    let max = Kind::parse(&r.kind)
        .map(|k| k.scale().max)
        .unwrap_or(r.score);
    let mut text = format!(
        "Negative {} answer on {site} at {}: {}/{max}",
        r.kind.to_uppercase(),
        r.touchpoint,
        r.score
    );
    if let Some(c) = &r.comment {
        let short: String = c.chars().take(280).collect();
        text.push_str(&format!(" — “{short}”"));
    }
    json!({"text": text, "event": "response.negative", "site": site, "case_id": case_id, "response": r})
}

/// The JSON body of a `touchpoint.spike` alert (Slack-compatible: it has `text`); `day` is the
/// UTC day it is the one alert of.
pub fn spike_payload(site: &str, touchpoint: &str, s: &Spike, day: Day) -> Value {
    let pct = |x: f64| (x * 10.0).round() / 10.0;
    let text = format!(
        "Spike in negative answers on {site} at {touchpoint}: {}% of the last 24 h ({} of {}) vs {}% over the previous 28 days ({} of {}), z = {:.1}",
        pct(s.recent_pct),
        s.recent_negative,
        s.recent_n,
        pct(s.baseline_pct),
        s.baseline_negative,
        s.baseline_n,
        s.z
    );
    json!({
        "text": text,
        "event": "touchpoint.spike",
        "site": site,
        "touchpoint": touchpoint,
        "day": day.to_string(),
        "recent": {"negative": s.recent_negative, "answers": s.recent_n, "negative_pct": pct(s.recent_pct)},
        "baseline": {"negative": s.baseline_negative, "answers": s.baseline_n, "negative_pct": pct(s.baseline_pct)},
        "z": (s.z * 100.0).round() / 100.0,
        "p_value": s.p_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spike_payload_names_both_windows() {
        let s = crate::spike::spike(6, 8, 28, 280).unwrap();
        let p = spike_payload("shop", "checkout", &s, Day(20_787));
        assert_eq!(p["event"], "touchpoint.spike");
        assert_eq!(p["recent"]["negative_pct"], 75.0);
        assert_eq!(p["baseline"]["answers"], 280);
        assert_eq!(p["day"], "2026-11-30");
        assert!(p["text"]
            .as_str()
            .unwrap()
            .starts_with("Spike in negative answers on shop at checkout: 75% of the last 24 h (6 of 8) vs 10% over the previous 28 days (28 of 280)"));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let got: Vec<i64> = (0..4).map(retry_delay_ms).collect();
        assert_eq!(got, vec![5_000, 10_000, 20_000, 40_000]);
        assert_eq!(retry_delay_ms(30), MAX_RETRY_MS);
        assert_eq!(retry_delay_ms(u32::MAX), MAX_RETRY_MS);
    }

    #[test]
    fn payload_is_slack_compatible_and_complete() {
        let r = ExportRecord {
            id: "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f".into(),
            received_at: "2026-11-25T10:00:00.000Z".into(),
            touchpoint: "support-chat".into(),
            kind: "csat".into(),
            scale_version: 1,
            score: 1,
            negative: true,
            comment: Some("Waited 40 minutes".into()),
            page: None,
            locale: Some("en".into()),
            country: None,
            attributes: Default::default(),
            display_id: None,
            follow_up_of: None,
            contact: None,
        };
        let p = payload("shop", &r, &r.id);
        assert_eq!(
            p["text"],
            "Negative CSAT answer on shop at support-chat: 1/5 — “Waited 40 minutes”"
        );
        assert_eq!(p["response"]["id"], r.id);
        assert_eq!(p["response"]["comment"], "Waited 40 minutes");
        assert_eq!(p["case_id"], r.id);
        assert!(p["response"].get("contact").is_none());
    }
}
