//! The rating scale as an ARIA radio group: one tab stop, arrow keys move the choice.

use crate::text;
use domain::Kind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScaleProps {
    pub kind: Kind,
    pub value: Option<u8>,
    /// Id of the element naming the group (the question).
    pub labelled_by: AttrValue,
    pub on_pick: Callback<u8>,
    /// Arrow keys: -1 or +1 point.
    pub on_step: Callback<i8>,
}

#[component(ScaleView)]
pub fn scale_view(props: &ScaleProps) -> Html {
    let scale = props.kind.scale();
    let group = use_node_ref();
    // After the choice changes by keyboard, focus follows it.
    {
        let group = group.clone();
        use_effect_with(props.value, move |value| {
            if value.is_some() {
                if let Some(el) = group.cast::<web_sys::Element>() {
                    let focused_inside = el
                        .get_root_node()
                        .dyn_into::<web_sys::ShadowRoot>()
                        .ok()
                        .and_then(|r| r.active_element())
                        .is_some_and(|a| el.contains(Some(&a)));
                    if focused_inside {
                        if let Ok(Some(checked)) = el.query_selector("[aria-checked=true]") {
                            if let Some(b) = checked.dyn_ref::<web_sys::HtmlElement>() {
                                let _ = b.focus();
                            }
                        }
                    }
                }
            }
        });
    }
    let onkeydown = {
        let on_step = props.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let delta = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => 1,
                "ArrowLeft" | "ArrowUp" => -1,
                _ => return,
            };
            e.prevent_default();
            on_step.emit(delta);
        })
    };
    let first_tab_stop = props.value.unwrap_or(scale.min);
    let points = scale.points().map(|p| {
        let checked = props.value == Some(p);
        let onclick = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |_| on_pick.emit(p))
        };
        html! {
            <button type="button" role="radio" class="es-point"
                aria-checked={if checked { "true" } else { "false" }}
                aria-label={text::point_label(props.kind, p)}
                data-score={p.to_string()}
                tabindex={if p == first_tab_stop { "0" } else { "-1" }}
                {onclick}>
                { text::point_face(props.kind, p) }
            </button>
        }
    });
    html! {
        <div class={classes!("es-scale", format!("es-{}", props.kind))} role="radiogroup"
             aria-labelledby={props.labelled_by.clone()} ref={group} {onkeydown}>
            { for points }
        </div>
    }
}

use wasm_bindgen::JsCast;
