//! Date range and touchpoint: what the summary covers.

use crate::query::Query;
use domain::calendar::Day;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    pub query: Query,
    pub touchpoints: Vec<String>,
    pub on_range: Callback<(Day, Day)>,
    pub on_touchpoint: Callback<Option<String>>,
    pub on_refresh: Callback<()>,
}

#[component(Filters)]
pub fn filters(props: &FiltersProps) -> Html {
    let (from, to) = (props.query.from, props.query.to);
    let date_change = |set_from: bool| {
        let on_range = props.on_range.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            // An emptied or half-typed date changes nothing.
            if let Ok(day) = Day::parse(&input.value(), "date") {
                on_range.emit(if set_from { (day, to) } else { (from, day) });
            }
        })
    };
    let on_touchpoint = {
        let cb = props.on_touchpoint.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            cb.emit((!v.is_empty()).then_some(v));
        })
    };
    let onsubmit = {
        let cb = props.on_refresh.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(());
        })
    };
    let selected = props.query.touchpoint.clone().unwrap_or_default();
    let options = props.touchpoints.iter().map(|t| {
        html! { <option value={t.clone()} selected={*t == selected}>{ t.clone() }</option> }
    });
    html! {
        <>
            <form class="filters" aria-label="What to show" {onsubmit}>
                <div class="field">
                    <label for="from">{ "From" }</label>
                    <input id="from" type="date" value={from.to_string()} max={to.to_string()} onchange={date_change(true)} />
                </div>
                <div class="field">
                    <label for="to">{ "To" }</label>
                    <input id="to" type="date" value={to.to_string()} min={from.to_string()} onchange={date_change(false)} />
                </div>
                <div class="field">
                    <label for="touchpoint">{ "Touchpoint" }</label>
                    <select id="touchpoint" onchange={on_touchpoint}>
                        <option value="" selected={selected.is_empty()}>{ "All touchpoints" }</option>
                        { for options }
                    </select>
                </div>
                <button type="submit">{ "Refresh" }</button>
            </form>
            if let Some(problem) = props.query.problem() {
                <p class="error" role="alert">{ problem }</p>
            }
        </>
    }
}
