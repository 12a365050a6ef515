//! The whole prompt: question, scale, follow-up comment, send, and the honest outcome.

use crate::api::{self, Delivery};
use crate::ask::Ask;
use crate::components::scale::{self, Scale};
use crate::state::{Action, Phase, Prompt};
use crate::Runtime;
use domain::wire::IngestRequest;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
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
    pub on_close: Callback<()>,
}

impl PartialEq for PromptProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rt, &other.rt) && self.ask == other.ask && self.inline == other.inline
    }
}

/// The page URL without query and fragment (they may carry personal data).
fn page() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    domain::ingest::normalize_page(&href).ok()
}

/// Builds the answer and checks it with the server's own rules; never sends what it would refuse.
fn answer(
    props: &PromptProps,
    id: &str,
    score: u8,
    comment: &str,
) -> Result<IngestRequest, domain::Fault> {
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
    };
    domain::Response::try_from(req).map(|valid| IngestRequest::from(&valid))
}

#[component(PromptView)]
pub fn prompt_view(props: &PromptProps) -> Html {
    let kind = props.ask.kind;
    let state = use_reducer(|| Prompt::new(kind));
    // One id per prompt, made once: a retry of this answer is the same answer.
    let id = use_memo((), |_| api::new_id());
    let card = use_node_ref();
    let group = use_node_ref();
    let texts = props.rt.texts;
    let [default_question, low, high] = texts.kind(kind);
    let question = props
        .ask
        .question
        .clone()
        .unwrap_or_else(|| default_question.to_string());

    // Focus moves into the prompt (onto the scale's tab stop) if the customer just acted.
    {
        let (card, take_focus) = (card.clone(), props.ask.take_focus);
        use_effect_with((), move |_| {
            if !take_focus {
                return;
            }
            if let Some(el) = card.cast::<web_sys::Element>() {
                if let Ok(Some(stop)) = el.query_selector("[role=radio][tabindex='0']") {
                    if let Some(b) = stop.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        });
    }
    // Picking by keyboard: focus follows the choice.
    {
        let group = group.clone();
        use_effect_with(state.score, move |score| {
            if let (Some(_), Some(el)) = (score, group.cast::<web_sys::Element>()) {
                scale::focus_follows_choice(&el);
            }
        });
    }
    // Leaving the question: no longer busy; the outcome takes the focus the form had (read out
    // by screen readers as it is focused); the thank-you closes itself.
    {
        let (on_close, busy, card) = (props.on_close.clone(), props.busy.clone(), card.clone());
        use_effect_with(state.phase, move |phase| {
            busy.set(*phase == Phase::Asking);
            if matches!(phase, Phase::Thanks | Phase::Queued | Phase::Rejected)
                && crate::mount::focus_is_ours_or_nowhere()
            {
                let outcome = card
                    .cast::<web_sys::Element>()
                    .and_then(|c| c.query_selector(".es-outcome").ok().flatten());
                if let Some(o) = outcome.and_then(|o| o.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = o.focus();
                }
            }
            let timer = (*phase == Phase::Thanks).then(|| {
                gloo::timers::callback::Timeout::new(THANKS_MS, move || on_close.emit(()))
            });
            move || drop(timer)
        });
    }

    let on_pick = {
        let state = state.clone();
        Callback::from(move |s| state.dispatch(Action::Pick(s)))
    };
    let on_step = {
        let state = state.clone();
        Callback::from(move |d| state.dispatch(Action::Step(d)))
    };
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Comment(area.value()));
        })
    };
    let dismiss = {
        let (state, on_close, rt, detail) = (
            state.clone(),
            props.on_close.clone(),
            props.rt.clone(),
            props.ask.detail(),
        );
        Callback::from(move |_: ()| {
            if state.phase == Phase::Asking {
                rt.emit("dismissed", &detail);
            }
            state.dispatch(Action::Dismiss);
            on_close.emit(());
        })
    };
    let onkeydown = {
        let dismiss = dismiss.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Not while an input method is composing: there Escape cancels the composition.
            if e.key() == "Escape" && !e.is_composing() {
                e.stop_propagation();
                dismiss.emit(());
            }
        })
    };
    let onsubmit = {
        let (state, props, id) = (state.clone(), props.clone(), id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(score) = state.score else { return };
            let req = match answer(&props, &id, score, &state.comment) {
                Ok(r) => r,
                Err(f) => {
                    props.rt.emit("error", &JsValue::from_str(&f.message));
                    state.dispatch(Action::Rejected);
                    return;
                }
            };
            state.dispatch(Action::Submit);
            let (state, rt) = (state.clone(), props.rt.clone());
            let detail = api::to_js(&req);
            api::deliver(props.rt.clone(), req, move |outcome, kept| match outcome {
                Delivery::Acknowledged => {
                    state.dispatch(Action::Delivered);
                    rt.emit("submitted", &detail);
                }
                Delivery::Failed => state.dispatch(Action::Queued(kept)),
                Delivery::Rejected(status) => {
                    state.dispatch(Action::Rejected);
                    rt.emit(
                        "error",
                        &JsValue::from_str(
                            &[
                                "the server refused the answer (",
                                &crate::text::number(status),
                                ")",
                            ]
                            .concat(),
                        ),
                    );
                }
            });
        })
    };

    let close_button = {
        let dismiss = dismiss.clone();
        html! { <button type="button" class="es-close" aria-label={texts.close} onclick={move |_| dismiss.emit(())}>{"×"}</button> }
    };
    let body = match state.phase {
        Phase::Asking | Phase::Sending => {
            let follow_up = state.score.map(|_| {
                let label = if state.is_negative() {
                    texts.follow_up_negative
                } else {
                    texts.follow_up_positive
                };
                html! {
                    <>
                        <label class="es-label" for="es-comment">{ label }</label>
                        <textarea id="es-comment" class="es-comment" rows="3" maxlength="2000"
                            value={state.comment.clone()} oninput={oninput.clone()} />
                    </>
                }
            });
            let sending = state.phase == Phase::Sending;
            html! {
                <form class="es-form" {onsubmit}>
                    <p id="es-question" class="es-question">{ question }</p>
                    { scale::view(Scale { kind, value: state.score, labelled_by: "es-question", texts, rtl: props.rt.rtl, on_pick, on_step }, group) }
                    <div class="es-anchors" aria-hidden="true"><span>{ low }</span><span>{ high }</span></div>
                    // A stable wrapper: Yew diffs unkeyed children by position, and a changing
                    // child count here would re-create the scale and lose keyboard focus.
                    <div class="es-follow">{ for follow_up }</div>
                    <button type="submit" class="es-send" disabled={state.score.is_none() || sending}>
                        { if sending { texts.sending } else { texts.send } }
                    </button>
                </form>
            }
        }
        Phase::Thanks => {
            html! { <p class="es-outcome es-thanks" role="status" tabindex="-1">{ texts.thanks }</p> }
        }
        Phase::Queued => {
            // Honest: "saved on this device" only when it is.
            let words = if state.kept {
                texts.queued
            } else {
                texts.unsaved
            };
            html! { <p class="es-outcome es-queued" role="status" tabindex="-1">{ words }</p> }
        }
        Phase::Rejected => {
            html! { <p class="es-outcome es-rejected" role="alert" tabindex="-1">{ texts.rejected }</p> }
        }
        Phase::Dismissed => html! {},
    };
    html! {
        <section class="es-card" role={if props.inline { "region" } else { "dialog" }} aria-labelledby="es-question" aria-label={texts.dialog} ref={card} {onkeydown}>
            { close_button }
            { body }
        </section>
    }
}
