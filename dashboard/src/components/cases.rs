//! The cases inbox: a tab per status, the newest case first, each with its age, its SLA state,
//! the customer's words and contact (the only place a contact is shown), and a form to move it
//! on with a note. Paged with "More cases".

use crate::figures::case_clock;
use crate::format::timestamp;
use crate::state::Inbox;
use domain::recovery::{CaseStatus, StatusFilter};
use domain::wire::{CasePatch, CaseView};
use yew::prelude::*;

/// The tabs, in the order a case moves.
pub const TABS: [(StatusFilter, &str); 4] = [
    (StatusFilter::Only(CaseStatus::Open), "Open"),
    (StatusFilter::Only(CaseStatus::Contacted), "Contacted"),
    (StatusFilter::Only(CaseStatus::Resolved), "Resolved"),
    (StatusFilter::All, "All"),
];

#[derive(Properties, PartialEq)]
pub struct CasesProps {
    pub inbox: Inbox,
    /// Now, in Unix ms (ages and SLA states are measured from it).
    pub now_ms: i64,
    pub on_tab: Callback<StatusFilter>,
    pub on_more: Callback<()>,
    /// Set a case's status: its id and the change.
    pub on_save: Callback<(String, CasePatch)>,
}

#[component(Cases)]
pub fn cases(props: &CasesProps) -> Html {
    let inbox = &props.inbox;
    let tabs = TABS.iter().map(|&(filter, label)| {
        let selected = inbox.query.status == filter;
        let on_tab = props.on_tab.clone();
        html! {
            <button type="button" role="tab" class="tab" aria-selected={if selected { "true" } else { "false" }}
                data-status={status_name(filter)} onclick={Callback::from(move |_: MouseEvent| on_tab.emit(filter))}>{ label }</button>
        }
    });
    let list = if inbox.cases.is_empty() {
        html! { <p class="empty">{ if inbox.loading { "Loading cases…" } else { "No cases here." } }</p> }
    } else {
        html! {
            <ul class="cases">
                { for inbox.cases.iter().map(|c| html! {
                    <CaseItem key={c.id.clone()} case={c.clone()} now_ms={props.now_ms} sla_hours={inbox.sla_hours} on_save={props.on_save.clone()} />
                }) }
            </ul>
        }
    };
    let on_more = props.on_more.clone();
    html! {
        <div class="inbox">
            <div class="tabs" role="tablist" aria-label="Cases by status">{ for tabs }</div>
            <div role="tabpanel" aria-busy={if inbox.loading { "true" } else { "false" }}>
                { list }
                if inbox.next.is_some() {
                    <button type="button" class="secondary more-cases" disabled={inbox.loading}
                        onclick={Callback::from(move |_: MouseEvent| on_more.emit(()))}>{ "More cases" }</button>
                }
            </div>
        </div>
    }
}

fn status_name(f: StatusFilter) -> &'static str {
    match f {
        StatusFilter::All => "all",
        StatusFilter::Only(s) => s.as_str(),
    }
}

#[derive(Properties, PartialEq)]
pub struct CaseProps {
    pub case: CaseView,
    pub now_ms: i64,
    pub sla_hours: u32,
    pub on_save: Callback<(String, CasePatch)>,
}

#[component(CaseItem)]
pub fn case_item(props: &CaseProps) -> Html {
    let c = &props.case;
    let clock = case_clock(c, props.now_ms, props.sla_hours);
    let status = use_state(|| c.status.clone());
    let note = use_state(String::new);
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            status.set(select.value());
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            note.set(area.value());
        })
    };
    let on_submit = {
        let (status, note, on_save, id) = (
            status.clone(),
            note.clone(),
            props.on_save.clone(),
            c.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = note.trim().to_string();
            on_save.emit((
                id.clone(),
                CasePatch {
                    status: (*status).clone(),
                    note: (!text.is_empty()).then_some(text),
                },
            ));
            note.set(String::new());
        })
    };
    let (title_id, select_id, note_id) = (
        format!("case-{}", c.id),
        format!("case-status-{}", c.id),
        format!("case-note-{}", c.id),
    );
    html! {
        <li class={classes!("case", clock.past_sla.then_some("past-sla"))} data-id={c.id.clone()} data-status={c.status.clone()} aria-labelledby={title_id.clone()}>
            <p class="meta" id={title_id}>
                <span class={classes!("badge", format!("status-{}", c.status))}>{ c.status.clone() }</span>
                <span class="where">{ c.touchpoint.clone() }</span>
                <span class="score">{ format!("{} {}", c.kind.to_uppercase(), c.score) }</span>
                <time datetime={c.received_at.clone()}>{ timestamp(&c.received_at) }</time>
                <span class="age">{ clock.age }</span>
                <span class="sla">{ clock.sla }</span>
            </p>
            if let Some(text) = &c.comment {
                <p class="text">{ text.clone() }</p>
            }
            if let Some(contact) = &c.contact {
                <p class="contact"><span class="label">{ "Contact: " }</span><span class="contact-value">{ contact.clone() }</span></p>
            }
            if let Some(f) = &c.follow_up {
                <p class="follow-up">{ format!("Followed up {}: {} {}", timestamp(&f.received_at), c.kind.to_uppercase(), f.score) }</p>
            }
            <ol class="history">
                { for c.history.iter().map(|e| html! {
                    <li>
                        <time datetime={e.at.clone()}>{ timestamp(&e.at) }</time>{ " " }<strong>{ e.status.clone() }</strong>
                        if let Some(n) = &e.note { { " — " }<span class="note">{ n.clone() }</span> }
                    </li>
                }) }
            </ol>
            <form class="case-form" onsubmit={on_submit}>
                <label for={select_id.clone()}>{ "Status" }</label>
                <select id={select_id} class="case-status" onchange={on_status}>
                    { for CaseStatus::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*status == s.as_str()}>{ s.as_str() }</option>
                    }) }
                </select>
                <label for={note_id.clone()}>{ "Note (optional)" }</label>
                <textarea id={note_id} class="case-note" maxlength="1000" rows="2" value={(*note).clone()} oninput={on_note} />
                <button type="submit" class="save-case">{ "Save" }</button>
            </form>
        </li>
    }
}
