//! The prompt's container: holds its state ([`crate::state`]), builds and checks the answer,
//! hands it to [`crate::api`] for delivery, counts the display dismissed, offers the
//! contact opt-in after a negative score where the site allows it, remembers negative answers
//! for a follow-up ([`crate::recall`]), tells the host page what happened and applies the focus
//! rules ([`crate::focus`]). What it draws is [`crate::components::prompt`].

use crate::api::{self, Delivery};
use crate::components::prompt::{self, Card};
use crate::focus;
use crate::recall::{self, Remembered};
use crate::state::{Action, Ask, Phase, Prompt};
use crate::Runtime;
use domain::display::DisplayEvent;
use domain::wire::IngestRequest;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// How long the thank-you stays before the prompt closes itself.
const THANKS_MS: u32 = 4_000;

#[derive(Properties, Clone)]
pub struct PromptProps {
    pub rt: Rc<Runtime>,
    pub ask: Ask,
    /// In the page's flow (`data-position="inline:…"`): a labelled region, not a dialog.
    pub inline: bool,
    /// Set while the prompt is asking (for `mount::is_busy`).
    pub busy: Rc<Cell<bool>>,
    /// This display's id (counted as shown by `mount`), which the answer names.
    pub display_id: String,
    pub on_close: Callback<()>,
}

impl PartialEq for PromptProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rt, &other.rt) && self.ask == other.ask && self.inline == other.inline
    }
}

type State = UseReducerHandle<Prompt>;

#[component(PromptApp)]
pub fn prompt_app(props: &PromptProps) -> Html {
    let state = use_reducer(|| Prompt::new(props.ask.kind));
    // One id per prompt, made once: a retry of this answer is the same answer.
    let id = use_memo((), |_| api::new_id());
    let card = use_node_ref();
    let group = use_node_ref();
    use_focus_rules(props, &state, card.clone(), group.clone());

    let on_dismiss = {
        let (state, props) = (state.clone(), props.clone());
        Callback::from(move |_: ()| dismiss(&props, &state))
    };
    let on_send = {
        let (state, props) = (state.clone(), props.clone());
        Callback::from(move |_: ()| send(&props, &state, &id))
    };
    let texts = props.rt.texts;
    // A follow-up asks in its own words; otherwise the owner's question, or the kind's own.
    let question = match (&props.ask.follow_up_of, &props.ask.question) {
        (Some(_), _) => texts.followed_up.to_string(),
        (None, Some(q)) => q.clone(),
        (None, None) => texts.kind(props.ask.kind)[0].to_string(),
    };
    prompt::view(Card {
        texts,
        prompt: &state,
        question,
        offer_contact: state.offers_contact(props.rt.config.offer_contact),
        lang: &props.rt.lang,
        rtl: props.rt.rtl,
        inline: props.inline,
        card,
        group,
        on_pick: dispatch(&state, Action::Pick),
        on_step: dispatch(&state, Action::Step),
        on_comment: dispatch(&state, Action::Comment),
        on_want_contact: dispatch(&state, Action::WantContact),
        on_contact: dispatch(&state, Action::Contact),
        on_send,
        on_dismiss,
    })
}

/// A callback that feeds its value to the state machine as one action.
fn dispatch<T: 'static>(state: &State, to: fn(T) -> Action) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |v| state.dispatch(to(v)))
}

/// Focus moves into the prompt (onto the scale's tab stop) if the customer just acted; while
/// picking by keyboard it follows the choice; on leaving the question the outcome takes the
/// focus the form had (read out by screen readers as it is focused). Also: no longer busy once
/// the question is left, and the thank-you closes itself.
#[hook]
fn use_focus_rules(props: &PromptProps, state: &State, card: NodeRef, group: NodeRef) {
    {
        let (card, take_focus) = (card.clone(), props.ask.take_focus);
        use_effect_with((), move |_| {
            if take_focus {
                focus::move_to(card.cast(), "[role=radio][tabindex='0']");
            }
        });
    }
    use_effect_with(state.score, move |score| {
        if let (Some(_), Some(el)) = (score, group.cast::<web_sys::Element>()) {
            focus::follow_choice(&el);
        }
    });
    let (on_close, busy) = (props.on_close.clone(), props.busy.clone());
    use_effect_with(state.phase, move |phase| {
        busy.set(*phase == Phase::Asking);
        if matches!(phase, Phase::Thanks | Phase::Queued | Phase::Rejected)
            && focus::is_ours_or_nowhere()
        {
            focus::move_to(card.cast(), ".es-outcome");
        }
        let timer = (*phase == Phase::Thanks)
            .then(|| gloo::timers::callback::Timeout::new(THANKS_MS, move || on_close.emit(())));
        move || drop(timer)
    });
}

/// The close button or Escape: the page hears `dismissed`, and the display counts as
/// dismissed, if the question was still open.
fn dismiss(props: &PromptProps, state: &State) {
    if state.phase == Phase::Asking {
        props.rt.emit("dismissed", &props.ask.detail());
        let display = props
            .ask
            .display(&props.display_id, DisplayEvent::Dismissed);
        api::display(props.rt.clone(), &display);
    }
    state.dispatch(Action::Dismiss);
    props.on_close.emit(());
}

/// Checks the answer and hands it to the outbox; the outcome moves the state along. A negative
/// answer (not itself a follow-up) is remembered, to ask again once its case is resolved.
fn send(props: &PromptProps, state: &State, id: &str) {
    let Some(score) = state.score else { return };
    let req = match answer(props, state, id, score) {
        Ok(r) => r,
        Err(f) => {
            props.rt.emit("error", &JsValue::from_str(&f.message));
            state.dispatch(Action::Rejected);
            return;
        }
    };
    state.dispatch(Action::Submit);
    if state.is_negative() && req.follow_up_of.is_none() {
        let answer = Remembered {
            id: req.id.clone(),
            kind: props.ask.kind,
            touchpoint: req.touchpoint.clone(),
            at: js_sys::Date::now(),
        };
        recall::remember(&props.rt.site, answer);
    }
    let (state, rt) = (state.clone(), props.rt.clone());
    let (detail, id) = (api::to_js(&req), req.id.clone());
    api::deliver(props.rt.clone(), req, move |outcome, kept| match outcome {
        Delivery::Acknowledged => {
            state.dispatch(Action::Delivered);
            rt.emit("submitted", &detail);
        }
        Delivery::Failed => state.dispatch(Action::Queued(kept)),
        Delivery::Rejected(status) => {
            state.dispatch(Action::Rejected);
            // Refused: there is no case to follow up.
            recall::forget(&rt.site, &id, js_sys::Date::now());
            let why = [
                "the server refused the answer (",
                &crate::text::number(status),
                ")",
            ];
            rt.emit("error", &JsValue::from_str(&why.concat()));
        }
    });
}

/// The page URL without query and fragment (they may carry personal data).
fn page() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    domain::ingest::normalize_page(&href).ok()
}

/// Builds the answer and checks it with the server's own rules; never sends what it would refuse.
fn answer(
    props: &PromptProps,
    state: &Prompt,
    id: &str,
    score: u8,
) -> Result<IngestRequest, domain::Fault> {
    let comment = &state.comment;
    let req = IngestRequest {
        id: id.to_string(),
        touchpoint: props.ask.touchpoint.clone(),
        kind: props.ask.kind.as_str().to_string(),
        score: score as i64,
        comment: Some(comment.to_string()).filter(|c| !c.trim().is_empty()),
        page: page(),
        // The runtime's tag is canonical already when valid; an unreadable one is left out.
        locale: domain::ingest::canonical_locale(&props.rt.lang).ok(),
        attributes: props.ask.attributes.clone(),
        display_id: Some(props.display_id.clone()),
        contact: state.contact_to_send(props.rt.config.offer_contact),
        follow_up_of: props.ask.follow_up_of.clone(),
    };
    domain::Response::try_from(req).map(|valid| IngestRequest::from(&valid))
}
