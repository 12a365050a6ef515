//! The prompt card as drawn: question, scale, follow-up comment, send, and the outcome. It
//! reads [`Prompt`] and reports what the customer does through callbacks; the container
//! ([`crate::app`]) decides what happens.
//!
//! View functions rather than components, like the scale: they have no state of their own, and
//! each component type costs the wasm about a kilobyte of Yew machinery.

use crate::components::scale::{self, Scale};
use crate::state::{comment_problem, contact_problem, Phase, Prompt};
use crate::text::Texts;
use yew::prelude::*;

/// The comment field's `maxlength`, in UTF-16 code units (what browsers count): twice
/// `domain::limits::MAX_COMMENT_CHARS`, so a comment the server accepts (counted in characters,
/// at most two units each) is never cut; a longer one is held back by the server's own rule
/// ([`comment_problem`], as the field's validity message). A test ties the two numbers.
pub const COMMENT_MAXLENGTH: &str = "4000";
/// The contact field's `maxlength`, likewise: twice `domain::limits::MAX_CONTACT_CHARS`.
pub const CONTACT_MAXLENGTH: &str = "400";

pub struct Card<'a> {
    pub texts: &'static Texts,
    pub prompt: &'a Prompt,
    /// The owner's question, the kind's own, or a follow-up's.
    pub question: String,
    /// Show "May we contact you?" (the container decides: a negative score, the site allows it).
    pub offer_contact: bool,
    /// The page's language (the scale's digits) and whether it is written right to left.
    pub lang: &'a str,
    pub rtl: bool,
    /// In the page's flow (`data-position="inline:…"`): a labelled region, not a dialog.
    pub inline: bool,
    /// The card and the scale's radio group, for the container's focus rules.
    pub card: NodeRef,
    pub group: NodeRef,
    pub on_pick: Callback<u8>,
    pub on_step: Callback<i8>,
    pub on_comment: Callback<String>,
    pub on_want_contact: Callback<bool>,
    pub on_contact: Callback<String>,
    pub on_send: Callback<()>,
    pub on_dismiss: Callback<()>,
}

pub fn view(c: Card) -> Html {
    let onkeydown = {
        let on_dismiss = c.on_dismiss.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Not while an input method is composing: there Escape cancels the composition.
            if e.key() == "Escape" && !e.is_composing() {
                e.stop_propagation();
                on_dismiss.emit(());
            }
        })
    };
    let close_button = {
        let on_dismiss = c.on_dismiss.clone();
        html! { <button type="button" class="es-close" aria-label={c.texts.close()} onclick={move |_| on_dismiss.emit(())}>{"×"}</button> }
    };
    let (texts, card, inline) = (c.texts, c.card.clone(), c.inline);
    let body = match c.prompt.phase {
        Phase::Asking | Phase::Sending => form(c),
        // What the prompt ended with; focusable, so the container can move focus onto it.
        // Literal classes: a class built at run time brings Yew's class set into the wasm.
        Phase::Thanks => {
            html! { <p class="es-outcome es-thanks" role="status" tabindex="-1">{ texts.thanks() }</p> }
        }
        // Honest: "saved on this device" only when it is.
        Phase::Queued => {
            let words = if c.prompt.kept {
                texts.queued()
            } else {
                texts.unsaved()
            };
            html! { <p class="es-outcome es-queued" role="status" tabindex="-1">{ words }</p> }
        }
        Phase::Rejected => {
            html! { <p class="es-outcome es-rejected" role="alert" tabindex="-1">{ texts.rejected() }</p> }
        }
        Phase::Dismissed => html! {},
    };
    html! {
        <section class="es-card" role={if inline { "region" } else { "dialog" }} aria-labelledby="es-question" aria-label={texts.dialog()} ref={card} {onkeydown}>
            { close_button }
            { body }
        </section>
    }
}

fn form(c: Card) -> Html {
    let (texts, p) = (c.texts, c.prompt);
    let [_, low, high] = texts.kind(p.kind);
    let onsubmit = {
        let on_send = c.on_send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_send.emit(());
        })
    };
    let follow_up = p.score.map(|_| follow_up(&c));
    let sending = p.phase == Phase::Sending;
    let scale = Scale {
        kind: p.kind,
        value: p.score,
        labelled_by: "es-question",
        texts,
        lang: c.lang,
        rtl: c.rtl,
        on_pick: c.on_pick,
        on_step: c.on_step,
    };
    html! {
        <form class="es-form" {onsubmit}>
            <p id="es-question" class="es-question">{ c.question }</p>
            { scale::view(scale, c.group) }
            <div class="es-anchors" aria-hidden="true"><span>{ low }</span><span>{ high }</span></div>
            // A stable wrapper: Yew diffs unkeyed children by position, and a changing
            // child count here would re-create the scale and lose keyboard focus.
            <div class="es-follow">{ for follow_up }</div>
            <button type="submit" class="es-send" disabled={!p.can_send()}>
                { if sending { texts.sending() } else { texts.send() } }
            </button>
        </form>
    }
}

/// A text field's input: the server's rule for it (`problem`) becomes the field's validity
/// message — the browser's own validation shows the server's words and holds the form back —
/// and the text goes to `on`. One closure for both fields.
fn checked_input(
    on: &Callback<String>,
    problem: fn(&str) -> Option<String>,
) -> Callback<InputEvent> {
    let on = on.clone();
    Callback::from(move |e: InputEvent| {
        let field: crate::js::Field = e.target_unchecked_into();
        let text = field.value();
        field.set_custom_validity(&problem(&text).unwrap_or_default());
        on.emit(text);
    })
}

/// The follow-up question and comment field, once a score is picked.
fn follow_up(c: &Card) -> Html {
    let (texts, p) = (c.texts, c.prompt);
    let label = if p.is_negative() {
        texts.follow_up_negative()
    } else {
        texts.follow_up_positive()
    };
    let oninput = checked_input(&c.on_comment, comment_problem);
    html! {
        <>
            <label class="es-label" for="es-comment">{ label }</label>
            <textarea id="es-comment" class="es-comment" rows="3" maxlength={COMMENT_MAXLENGTH}
                value={p.comment.clone()} {oninput} />
            if c.offer_contact { { contact(c) } }
        </>
    }
}

/// The opt-in "May we contact you?", unticked, and the one field it reveals. The box says what
/// it opens (`aria-expanded`, `aria-controls`); the field stays in the DOM, hidden, so that the
/// reference always resolves — and disabled, so that what it holds cannot block the form.
fn contact(c: &Card) -> Html {
    let (texts, p) = (c.texts, c.prompt);
    let onchange = {
        let on_want = c.on_want_contact.clone();
        Callback::from(move |e: Event| {
            let tick: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_want.emit(tick.checked());
        })
    };
    let oninput = checked_input(&c.on_contact, contact_problem);
    let open = p.wants_contact;
    html! {
        <>
            <label class="es-opt">
                <input type="checkbox" id="es-contact-opt" checked={open}
                    aria-expanded={if open { "true" } else { "false" }} aria-controls="es-contact-box"
                    {onchange} />
                { texts.contact_offer() }
            </label>
            <div id="es-contact-box" hidden={!open}>
                <label class="es-label" for="es-contact">{ texts.contact_label() }</label>
                <input type="text" id="es-contact" class="es-contact" maxlength={CONTACT_MAXLENGTH}
                    disabled={!open} value={p.contact.clone()} {oninput} />
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_comment_field_never_cuts_what_the_server_accepts() {
        let units: usize = super::COMMENT_MAXLENGTH.parse().unwrap();
        assert_eq!(units, 2 * domain::limits::MAX_COMMENT_CHARS);
        let units: usize = super::CONTACT_MAXLENGTH.parse().unwrap();
        assert_eq!(units, 2 * domain::limits::MAX_CONTACT_CHARS);
    }
}
