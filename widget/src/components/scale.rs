//! The rating scale as an ARIA radio group: one tab stop; arrow keys move the choice in the
//! direction they point (mirrored in right-to-left languages); Home and End jump to the ends.

use crate::text::{point_face, Texts};
use domain::Kind;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties)]
pub struct ScaleProps {
    pub kind: Kind,
    pub value: Option<u8>,
    /// Id of the element naming the group (the question).
    pub labelled_by: AttrValue,
    pub texts: &'static Texts,
    pub rtl: bool,
    pub on_pick: Callback<u8>,
    /// Arrow keys: points to move (±1, or ±(scale length) for Home/End).
    pub on_step: Callback<i8>,
}

impl PartialEq for ScaleProps {
    fn eq(&self, o: &Self) -> bool {
        self.kind == o.kind
            && self.value == o.value
            && self.labelled_by == o.labelled_by
            && std::ptr::eq(self.texts, o.texts)
            && self.rtl == o.rtl
            && self.on_pick == o.on_pick
            && self.on_step == o.on_step
    }
}

#[component(ScaleView)]
pub fn scale_view(props: &ScaleProps) -> Html {
    let scale = props.kind.scale();
    let group = use_node_ref();
    // When the choice changes while focus is in the group, focus follows the choice.
    {
        let group = group.clone();
        use_effect_with(props.value, move |value| {
            let Some(el) = group.cast::<web_sys::Element>() else {
                return;
            };
            let root = el.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok();
            let focused_inside = root
                .and_then(|r| r.active_element())
                .is_some_and(|a| el.contains(Some(&a)));
            if value.is_some() && focused_inside {
                if let Ok(Some(checked)) = el.query_selector("[aria-checked=true]") {
                    if let Some(b) = checked.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        });
    }
    let onkeydown = {
        let (on_step, rtl, span) = (props.on_step.clone(), props.rtl, scale.len() as i8);
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
    let tab_stop = props.value.unwrap_or(scale.min);
    let points = scale.points().map(|p| {
        let checked = props.value == Some(p);
        let onclick = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |_| on_pick.emit(p))
        };
        html! {
            <button type="button" role="radio" class="es-point"
                aria-checked={if checked { "true" } else { "false" }}
                aria-label={props.texts.point_label(props.kind, p)}
                data-score={p.to_string()}
                tabindex={if p == tab_stop { "0" } else { "-1" }}
                {onclick}>
                { point_face(props.kind, p) }
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
