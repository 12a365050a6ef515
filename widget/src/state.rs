//! Plain data: what one prompt asks ([`Ask`]) and the prompt's state machine ([`Prompt`]):
//! pick a score, optionally comment, send, and learn honestly whether the answer arrived.

use crate::js;
use domain::display::{DisplayEvent, DISPLAY_VERSION};
use domain::wire::DisplayRequest;
use domain::{Attributes, Kind};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::Reducible;

/// What one prompt asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub touchpoint: String,
    pub kind: Kind,
    /// The owner's question for this touchpoint and language, if set.
    pub question: Option<String>,
    pub attributes: Attributes,
    /// Move keyboard focus into the prompt: only when the customer just did something (a click,
    /// a key), never for a page rule firing on its own while they type elsewhere.
    pub take_focus: bool,
    /// A follow-up: the id of this browser's earlier answer whose case the owner resolved.
    pub follow_up_of: Option<String>,
}

impl Ask {
    /// The display body for `event` of this prompt, shown as display `id`: counts only, nothing
    /// about the person.
    pub fn display(&self, id: &str, event: DisplayEvent) -> DisplayRequest {
        DisplayRequest {
            v: DISPLAY_VERSION,
            id: id.into(),
            touchpoint: self.touchpoint.clone(),
            kind: self.kind.as_str().into(),
            event: event.as_str().into(),
        }
    }

    /// What the `shown` and `dismissed` events tell the page: `{touchpoint, kind}`.
    pub fn detail(&self) -> JsValue {
        let o = js_sys::Object::new();
        js::set(&o, "touchpoint", self.touchpoint.as_str());
        js::set(&o, "kind", self.kind.as_str());
        o.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Asking,
    Sending,
    /// The server acknowledged the answer.
    Thanks,
    /// Not acknowledged yet: kept in the outbox and retried.
    Queued,
    /// The server refused it for good (4xx); nothing to retry.
    Rejected,
    Dismissed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: Kind,
    pub score: Option<u8>,
    pub comment: String,
    /// The customer ticked "May we contact you?" (offered after a negative score only).
    pub wants_contact: bool,
    pub contact: String,
    pub phase: Phase,
    /// Queued: whether this browser keeps the answer for a later page (storage may be off).
    pub kept: bool,
}

pub enum Action {
    Pick(u8),
    /// Arrow keys: move the choice by `delta` points (clamped to the scale).
    Step(i8),
    Comment(String),
    /// The contact opt-in ticked or not.
    WantContact(bool),
    Contact(String),
    Submit,
    Delivered,
    /// Not delivered yet; `true` when the outbox keeps it.
    Queued(bool),
    Rejected,
    Dismiss,
}

impl Prompt {
    pub fn new(kind: Kind) -> Self {
        Prompt {
            kind,
            score: None,
            comment: String::new(),
            wants_contact: false,
            contact: String::new(),
            phase: Phase::Asking,
            kept: true,
        }
    }

    pub fn is_negative(&self) -> bool {
        self.score.is_some_and(|s| self.kind.is_negative(s))
    }

    /// Whether "May we contact you?" is offered: after a negative score (the domain's rule for
    /// the kind), on a site whose setting `contact` allows it.
    pub fn offers_contact(&self, site_allows: bool) -> bool {
        site_allows && self.is_negative()
    }

    /// The contact the answer carries: only where offered, ticked and filled in.
    pub fn contact_to_send(&self, site_allows: bool) -> Option<String> {
        let wanted = self.offers_contact(site_allows) && self.wants_contact;
        Some(self.contact.clone()).filter(|c| wanted && !c.trim().is_empty())
    }

    /// A score is picked and nothing is on its way yet.
    pub fn can_send(&self) -> bool {
        self.phase == Phase::Asking && self.score.is_some()
    }
}

/// Why the server would refuse `comment` (its own rule and words), if it would.
pub fn comment_problem(comment: &str) -> Option<String> {
    domain::ingest::validate_comment(comment)
        .err()
        .map(|f| f.message)
}

/// Why the server would refuse `contact`, if it would; an empty field is not a problem (it is
/// simply not sent).
pub fn contact_problem(contact: &str) -> Option<String> {
    if contact.trim().is_empty() {
        return None;
    }
    domain::recovery::validate_contact(contact)
        .err()
        .map(|f| f.message)
}

impl Reducible for Prompt {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let scale = self.kind.scale();
        let mut next = (*self).clone();
        match (action, self.phase) {
            (Action::Pick(s), Phase::Asking) if scale.contains(s as i64) => next.score = Some(s),
            (Action::Step(d), Phase::Asking) => {
                let from = self.score.map(|s| s as i16).unwrap_or(if d > 0 {
                    scale.min as i16 - 1
                } else {
                    scale.max as i16 + 1
                });
                next.score =
                    Some((from + d as i16).clamp(scale.min as i16, scale.max as i16) as u8);
            }
            (Action::Comment(c), Phase::Asking) => next.comment = c,
            (Action::WantContact(on), Phase::Asking) => next.wants_contact = on,
            (Action::Contact(c), Phase::Asking) => next.contact = c,
            (Action::Submit, Phase::Asking) if self.score.is_some() => next.phase = Phase::Sending,
            (Action::Delivered, Phase::Sending | Phase::Queued) => next.phase = Phase::Thanks,
            (Action::Queued(kept), Phase::Sending) => {
                next.phase = Phase::Queued;
                next.kept = kept;
            }
            // From Asking too: an answer the widget itself finds unsendable is rejected at once.
            (Action::Rejected, Phase::Asking | Phase::Sending) => next.phase = Phase::Rejected,
            (Action::Dismiss, _) => next.phase = Phase::Dismissed,
            _ => return self,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: Kind, actions: Vec<Action>) -> Prompt {
        let mut p = Rc::new(Prompt::new(kind));
        for a in actions {
            p = p.reduce(a);
        }
        (*p).clone()
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn cannot_submit_without_a_score() {
        assert_eq!(run(Kind::Csat, vec![Action::Submit]).phase, Phase::Asking);
        assert_eq!(
            run(Kind::Csat, vec![Action::Pick(4), Action::Submit]).phase,
            Phase::Sending
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn out_of_scale_picks_are_ignored_and_steps_clamp() {
        assert_eq!(run(Kind::Csat, vec![Action::Pick(0)]).score, None);
        assert_eq!(run(Kind::Csat, vec![Action::Step(1)]).score, Some(1));
        assert_eq!(run(Kind::Csat, vec![Action::Step(-1)]).score, Some(5));
        assert_eq!(
            run(Kind::Nps, vec![Action::Pick(10), Action::Step(1)]).score,
            Some(10)
        );
        assert_eq!(
            run(Kind::Nps, vec![Action::Pick(0), Action::Step(-1)]).score,
            Some(0)
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_contact_goes_only_where_offered_ticked_and_filled_in() {
        let typed = |score, tick: bool, text: &str| {
            let mut actions = vec![Action::Pick(score), Action::Contact(text.into())];
            if tick {
                actions.push(Action::WantContact(true));
            }
            run(Kind::Csat, actions)
        };
        let negative = typed(2, true, "ann@example.com");
        assert!(negative.offers_contact(true) && !negative.offers_contact(false));
        assert_eq!(
            negative.contact_to_send(true).as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(negative.contact_to_send(false), None, "site setting off");
        assert_eq!(
            typed(2, false, "ann@example.com").contact_to_send(true),
            None
        );
        assert_eq!(typed(2, true, "  ").contact_to_send(true), None, "blank");
        let positive = typed(4, true, "ann@example.com");
        assert!(!positive.offers_contact(true));
        assert_eq!(positive.contact_to_send(true), None, "not negative");
        assert_eq!(contact_problem(""), None);
        assert!(contact_problem(&"x".repeat(201)).is_some());
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn delivery_outcomes() {
        let sent = vec![Action::Pick(2), Action::Submit];
        let queued = run(
            Kind::Csat,
            sent.into_iter().chain([Action::Queued(true)]).collect(),
        );
        assert_eq!(queued.phase, Phase::Queued);
        assert!(queued.is_negative());
        assert_eq!(
            run(
                Kind::Csat,
                vec![Action::Pick(5), Action::Submit, Action::Delivered]
            )
            .phase,
            Phase::Thanks
        );
        assert_eq!(
            run(
                Kind::Csat,
                vec![Action::Pick(5), Action::Submit, Action::Rejected]
            )
            .phase,
            Phase::Rejected
        );
        // A comment typed after sending changes nothing.
        assert_eq!(
            run(
                Kind::Csat,
                vec![Action::Pick(5), Action::Submit, Action::Comment("x".into())]
            )
            .comment,
            ""
        );
        // The widget's own check refusing the answer: rejected straight from asking.
        assert_eq!(
            run(Kind::Csat, vec![Action::Pick(5), Action::Rejected]).phase,
            Phase::Rejected
        );
    }
}
