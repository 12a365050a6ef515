//! Export buttons: every answer of the range as CSV or NDJSON.

use crate::query::Format;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// An export is running: the buttons wait.
    pub busy: bool,
    pub on_export: Callback<Format>,
}

#[component(ExportButtons)]
pub fn export_buttons(props: &ExportProps) -> Html {
    let button = |format: Format, label: &'static str| {
        let cb = props.on_export.clone();
        html! {
            <button type="button" class={classes!("secondary", format!("export-{}", format.param()))}
                disabled={props.busy} onclick={move |_| cb.emit(format)}>{ label }</button>
        }
    };
    html! {
        <section class="export" aria-labelledby="h-export">
            <h2 id="h-export" class="inline">{ "Export" }</h2>
            <p class="hint">{ "Every answer in the date range, all touchpoints." }</p>
            { button(Format::Csv, "Download CSV") }
            { button(Format::Ndjson, "Download NDJSON") }
        </section>
    }
}
