//! The words of the prompt. Strings are data: one table per language (English for now).

use domain::Kind;

pub struct Texts {
    pub question: &'static str,
    /// Words at the low and high end of the scale.
    pub low: &'static str,
    pub high: &'static str,
}

pub fn for_kind(kind: Kind) -> Texts {
    match kind {
        Kind::Csat => Texts { question: "How satisfied are you?", low: "Very unsatisfied", high: "Very satisfied" },
        Kind::Nps => Texts {
            question: "How likely are you to recommend us to a friend or colleague?",
            low: "Not likely",
            high: "Very likely",
        },
        Kind::Ces => Texts { question: "It was easy to get what I needed.", low: "Strongly disagree", high: "Strongly agree" },
        Kind::Stars => Texts { question: "How would you rate your experience?", low: "Poor", high: "Excellent" },
        Kind::Thumbs => Texts { question: "Was this helpful?", low: "No", high: "Yes" },
    }
}

/// Accessible name of one scale point.
pub fn point_label(kind: Kind, score: u8) -> String {
    let s = kind.scale();
    match kind {
        Kind::Thumbs => (if score == 1 { "Yes" } else { "No" }).to_string(),
        _ => format!("{score} of {}", s.max),
    }
}

/// What a scale button shows.
pub fn point_face(kind: Kind, score: u8) -> String {
    match (kind, score) {
        (Kind::Thumbs, 1) => "👍".into(),
        (Kind::Thumbs, _) => "👎".into(),
        (Kind::Stars, _) => "★".into(),
        _ => score.to_string(),
    }
}

pub const FOLLOW_UP_NEGATIVE: &str = "What went wrong?";
pub const FOLLOW_UP_POSITIVE: &str = "Anything we could do better? (optional)";
pub const SEND: &str = "Send";
pub const SENDING: &str = "Sending…";
pub const CLOSE: &str = "Close";
pub const THANKS: &str = "Thank you for your feedback!";
pub const QUEUED: &str = "We could not send your answer yet. It is saved on this device and will be sent automatically.";
pub const REJECTED: &str = "Sorry, your answer could not be accepted.";
