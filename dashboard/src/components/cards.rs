//! The headline cards: each score (and the response rate) with its n, 95% interval, a
//! low-sample warning and, with a comparison, the change against the previous period.

use crate::figures::{headlines, low_sample_warning, Headline};
use domain::wire::Summary;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CardsProps {
    pub summary: Rc<Summary>,
}

#[component(Cards)]
pub fn cards(props: &CardsProps) -> Html {
    html! {
        <div class="cards">
            { for headlines(&props.summary).into_iter().map(|h| html! { <Card headline={h} /> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub headline: Headline,
}

#[component(Card)]
pub fn card(props: &CardProps) -> Html {
    let h = &props.headline;
    let id = format!("card-{}", h.key);
    let interval = match &h.ci {
        Some((lo, hi)) => html! {
            <p class="interval">{ "95% interval " }<span class="ci-low">{ lo.clone() }</span>{ " – " }<span class="ci-high">{ hi.clone() }</span></p>
        },
        None => {
            html! { <p class="interval">{ if h.key == "reach" { "No prompts shown in this range." } else { "No answers in this range." } }</p> }
        }
    };
    html! {
        <article class={classes!("card", (h.low_sample && h.n > 0).then_some("is-low"))} data-kind={h.key} aria-labelledby={id.clone()}>
            <h3 {id}>{ h.title }</h3>
            <p class="meaning">{ h.meaning }</p>
            <p class="figure"><span class="value">{ h.value.clone() }</span>
                if !h.unit.is_empty() { <span class="unit">{ h.unit }</span> }
            </p>
            { interval }
            <p class="n">{ "n = " }<span class="n-value">{ h.n }</span></p>
            { for h.details.iter().map(|d| html! { <p class="detail">{ d.clone() }</p> }) }
            if let Some(c) = &h.change {
                <p class={classes!("change", match c.significant { Some(true) => "significant", Some(false) => "not-significant", None => "no-data" })}>
                    if c.significant == Some(true) {
                        <span class="marker" aria-hidden="true">{ if c.up { "▲ " } else { "▼ " } }</span>
                    }
                    { c.text.clone() }
                </p>
            }
            if h.low_sample && h.n > 0 {
                <p class="low-sample"><span aria-hidden="true">{ "⚠ " }</span>{ low_sample_warning() }</p>
            }
        </article>
    }
}
