//! The rating scale as an ARIA radio group: one tab stop; arrow keys move the choice in the
//! direction they point (mirrored in right-to-left languages); Home and End jump to the ends.
//! Focus following the choice is [`crate::focus::follow_choice`], called by the container.
//!
//! A view function of the prompt rather than a component of its own: it has no state, and a
//! second component type would cost the wasm about a kilobyte of Yew machinery.

use crate::text::{number, point_face, Texts};
use domain::Kind;
use yew::prelude::*;

pub struct Scale<'a> {
    pub kind: Kind,
    pub value: Option<u8>,
    /// Id of the element naming the group (the question).
    pub labelled_by: &'static str,
    pub texts: &'a Texts,
    /// The page's language: the points' numbers are written in its digits.
    pub lang: &'a str,
    pub rtl: bool,
    pub on_pick: Callback<u8>,
    /// Arrow keys: points to move (±1, or ±(scale length) for Home/End).
    pub on_step: Callback<i8>,
}

pub fn view(s: Scale, group: NodeRef) -> Html {
    let scale = s.kind.scale();
    let onkeydown = {
        let (on_step, rtl, span) = (s.on_step.clone(), s.rtl, scale.len() as i8);
        Callback::from(move |e: KeyboardEvent| {
            let forward = if rtl { -1 } else { 1 };
            let delta = match e.key().as_str() {
                "ArrowRight" => forward,
                "ArrowLeft" => -forward,
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                "Home" => -span,
                "End" => span,
                _ => return,
            };
            e.prevent_default();
            on_step.emit(delta);
        })
    };
    let tab_stop = s.value.unwrap_or(scale.min);
    let points = scale.points().map(|p| {
        let checked = s.value == Some(p);
        let onclick = {
            let on_pick = s.on_pick.clone();
            Callback::from(move |_| on_pick.emit(p))
        };
        html! {
            <button type="button" role="radio" class="es-point"
                aria-checked={if checked { "true" } else { "false" }}
                aria-label={s.texts.point_label(s.kind, p, s.lang)}
                data-score={number(p.into())}
                tabindex={if p == tab_stop { "0" } else { "-1" }}
                {onclick}>
                { point_face(s.kind, p, s.lang) }
            </button>
        }
    });
    html! {
        // The kind as `data-kind`, not a class: a class built at run time brings Yew's class
        // set (an index map) into the wasm.
        <div class="es-scale" data-kind={s.kind.as_str()} role="radiogroup"
             aria-labelledby={s.labelled_by} ref={group} {onkeydown}>
            { for points }
        </div>
    }
}
