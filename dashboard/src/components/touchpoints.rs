//! The per-touchpoint table.

use crate::figures::touchpoint_rows;
use domain::wire::Summary;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub summary: Rc<Summary>,
}

#[component(TouchpointTable)]
pub fn touchpoint_table(props: &TableProps) -> Html {
    let rows = touchpoint_rows(&props.summary);
    if rows.is_empty() {
        return html! { <p class="empty">{ "No answers in this range." }</p> };
    }
    html! {
        <div class="table-wrap">
            <table class="touchpoints">
                <caption class="sr-only">{ "Answers and scores per touchpoint; n is the number of answers behind each score; the response rate is answered of shown prompts." }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Touchpoint" }</th>
                        <th scope="col" class="num">{ "Responses" }</th>
                        <th scope="col" class="num">{ "Negative" }</th>
                        <th scope="col" class="num">{ "CSAT" }</th>
                        <th scope="col" class="num">{ "NPS" }</th>
                        <th scope="col" class="num">{ "CES mean" }</th>
                        <th scope="col" class="num">{ "Stars" }</th>
                        <th scope="col" class="num">{ "Thumbs up" }</th>
                        <th scope="col" class="num">{ "Response rate" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for rows.into_iter().map(|r| html! {
                        <tr data-touchpoint={r.touchpoint.clone()}>
                            <th scope="row">{ r.touchpoint }</th>
                            <td class="num">{ r.responses }</td>
                            <td class="num">{ r.negative }</td>
                            { for r.cells.into_iter().map(|c| html! { <td class="num">{ c }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
