//! The recovery card: what was done about the period's cases and whether the customers came
//! back happier (`summary.recovery`).

use crate::figures::recovery_rows;
use domain::wire::Recovery;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RecoveryProps {
    pub recovery: Option<Recovery>,
}

#[component(RecoveryCard)]
pub fn recovery_card(props: &RecoveryProps) -> Html {
    match &props.recovery {
        Some(r) if r.cases > 0 => html! {
            <dl class="recovery">
                { for recovery_rows(r).into_iter().map(|(name, value)| html! {
                    <div class="row"><dt>{ name }</dt><dd>{ value }</dd></div>
                }) }
            </dl>
        },
        _ => html! { <p class="empty">{ "No cases were opened in this range." }</p> },
    }
}
