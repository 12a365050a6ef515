//! The whole prompt: question, scale, follow-up comment, send, and the honest outcome.

use crate::api::{self, Delivery};
use crate::components::scale::ScaleView;
use crate::state::{Action, Phase, Prompt};
use crate::{text, Runtime};
use domain::wire::IngestRequest;
use domain::Kind;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct PromptProps {
    pub rt: Rc<Runtime>,
    pub touchpoint: String,
    pub kind: Kind,
    pub attributes: BTreeMap<String, String>,
    pub on_close: Callback<()>,
}

impl PartialEq for PromptProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rt, &other.rt)
            && self.touchpoint == other.touchpoint
            && self.kind == other.kind
            && self.attributes == other.attributes
    }
}

/// A fresh UUID v4 (the idempotency key), from the browser's CSPRNG.
fn new_id() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// The page URL without query and fragment (they may carry personal data).
fn page() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    domain::ingest::normalize_page(&href).ok()
}

#[component(PromptView)]
pub fn prompt_view(props: &PromptProps) -> Html {
    let state = use_reducer(|| Prompt::new(props.kind));
    // One id per prompt, made once: a retry of this answer is the same answer.
    let id = use_memo((), |_| new_id());
    let texts = text::for_kind(props.kind);

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
        let (state, on_close, rt) = (state.clone(), props.on_close.clone(), props.rt.clone());
        let touchpoint = props.touchpoint.clone();
        Callback::from(move |_: ()| {
            if state.phase == Phase::Asking {
                rt.emit("dismissed", &JsValue::from_str(&touchpoint));
            }
            state.dispatch(Action::Dismiss);
            on_close.emit(());
        })
    };
    let onkeydown = {
        let dismiss = dismiss.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
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
            let req = IngestRequest {
                id: (*id).clone(),
                touchpoint: props.touchpoint.clone(),
                kind: props.kind.as_str().to_string(),
                score: score as i64,
                comment: Some(state.comment.clone()).filter(|c| !c.trim().is_empty()),
                page: page(),
                locale: domain::ingest::canonical_locale(&props.rt.lang).ok(),
                attributes: props.attributes.clone(),
            };
            // Validate with the same rules as the server; never send what it would refuse.
            let req = match domain::Response::try_from(req) {
                Ok(valid) => IngestRequest::from(&valid),
                Err(f) => {
                    props.rt.emit("error", &JsValue::from_str(&f.to_string()));
                    state.dispatch(Action::Rejected);
                    return;
                }
            };
            state.dispatch(Action::Submit);
            let (state, rt) = (state.clone(), props.rt.clone());
            let detail = serde_json::to_string(&req).unwrap_or_default();
            api::deliver(props.rt.clone(), req, move |outcome| match outcome {
                Delivery::Acknowledged => {
                    state.dispatch(Action::Delivered);
                    rt.emit("submitted", &js_sys::JSON::parse(&detail).unwrap_or(JsValue::NULL));
                }
                Delivery::Failed => state.dispatch(Action::Queued),
                Delivery::Rejected(status) => {
                    state.dispatch(Action::Rejected);
                    rt.emit("error", &JsValue::from_str(&format!("the server refused the answer ({status})")));
                }
            });
        })
    };

    let close_button = {
        let dismiss = dismiss.clone();
        html! { <button type="button" class="es-close" aria-label={text::CLOSE} onclick={move |_| dismiss.emit(())}>{"×"}</button> }
    };
    let body = match state.phase {
        Phase::Asking | Phase::Sending => {
            let follow_up = state.score.map(|_| {
                let label = if state.is_negative() { text::FOLLOW_UP_NEGATIVE } else { text::FOLLOW_UP_POSITIVE };
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
                    <p id="es-question" class="es-question">{ texts.question }</p>
                    <ScaleView kind={props.kind} value={state.score} labelled_by="es-question" on_pick={on_pick} on_step={on_step} />
                    <div class="es-anchors" aria-hidden="true"><span>{ texts.low }</span><span>{ texts.high }</span></div>
                    { for follow_up }
                    <button type="submit" class="es-send" disabled={state.score.is_none() || sending}>
                        { if sending { text::SENDING } else { text::SEND } }
                    </button>
                </form>
            }
        }
        Phase::Thanks => html! { <p class="es-outcome es-thanks" role="status">{ text::THANKS }</p> },
        Phase::Queued => html! { <p class="es-outcome es-queued" role="status">{ text::QUEUED }</p> },
        Phase::Rejected => html! { <p class="es-outcome es-rejected" role="alert">{ text::REJECTED }</p> },
        Phase::Dismissed => html! {},
    };
    html! {
        <section class="es-card" role="dialog" aria-labelledby="es-question" aria-label="Feedback" {onkeydown}>
            { close_button }
            { body }
        </section>
    }
}
