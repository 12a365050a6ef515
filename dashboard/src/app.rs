//! The page: the sign-in form, or the filters and every view of the summary. The callbacks
//! here start the network work ([`crate::api`]) and feed its outcome to the state machine.

use crate::api;
use crate::components::{
    cards::Cards,
    cases::Cases,
    comments::Comments,
    distribution::Distributions,
    export::ExportButtons,
    filters::Filters,
    recovery::RecoveryCard,
    settings::SettingsPage,
    sign_in::SignIn,
    themes::Themes,
    touchpoints::TouchpointTable,
    trend::{ReachTrend, Trend},
};
use crate::download;
use crate::query::Format;
use crate::session::{self, Session};
use crate::state::{Action, Dashboard, Page};
use domain::calendar::Day;
use domain::recovery::StatusFilter;
use domain::wire::{CasePatch, Summary};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

fn today() -> Day {
    Day::from_unix_ms(js_sys::Date::now() as i64)
}

type State = UseReducerHandle<Dashboard>;

#[component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| Dashboard::new(today(), session::load()));
    use_summary(&state);
    use_cases(&state);
    use_settings(&state);

    let on_sign_in = {
        let state = state.clone();
        Callback::from(move |s: Session| {
            session::save(&s);
            state.dispatch(Action::SignIn(s));
        })
    };
    let on_sign_out = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            session::clear();
            state.dispatch(Action::SignOut);
        })
    };
    let status = state
        .busy
        .clone()
        .or_else(|| state.loading.then(|| "Loading the summary…".to_string()))
        .or_else(|| state.notice.clone());
    let body = if state.session.is_none() {
        html! { <SignIn site={state.last_site.clone()} error={state.sign_in_error.clone()} {on_sign_in} /> }
    } else {
        signed_in(&state)
    };
    html! {
        <>
            { header(&state, on_sign_out) }
            <main id="main" aria-busy={if state.loading { "true" } else { "false" }}>
                <h1>{ "Owner dashboard" }</h1>
                <p class="status" role="status" aria-live="polite">{ status.unwrap_or_default() }</p>
                { body }
            </main>
        </>
    }
}

/// Every new generation with a session and a valid range loads the summary once.
#[hook]
fn use_summary(state: &State) {
    let state = state.clone();
    use_effect_with(state.generation, move |&generation| {
        if let (true, Some(session)) = (state.wants_summary(), state.session.clone()) {
            let (query, dispatcher) = (state.query.clone(), state.dispatcher());
            spawn_local(async move {
                let result = api::summary(&session, &query).await.map(Rc::new);
                if matches!(&result, Err(e) if e.ends_session()) {
                    session::clear();
                }
                dispatcher.dispatch(Action::Loaded { generation, result });
            });
        }
    });
}

/// Every new inbox generation loads a page of cases (the next one when asked for more).
#[hook]
fn use_cases(state: &State) {
    let state = state.clone();
    use_effect_with(state.inbox.generation, move |&generation| {
        if let (true, Some(session)) = (state.inbox.loading, state.session.clone()) {
            let inbox = &state.inbox;
            let (query, dispatcher) = (inbox.query.clone(), state.dispatcher());
            let cursor = inbox.next.clone().filter(|_| inbox.more);
            spawn_local(async move {
                let result = api::cases(&session, &query, cursor.as_deref()).await;
                dispatcher.dispatch(Action::CasesLoaded { generation, result });
            });
        }
    });
}

/// Opening the settings page loads the settings in force.
#[hook]
fn use_settings(state: &State) {
    let state = state.clone();
    use_effect_with(state.setup.generation, move |&generation| {
        if let (true, Some(session)) = (state.setup.loading, state.session.clone()) {
            let dispatcher = state.dispatcher();
            spawn_local(async move {
                let result = api::settings(&session).await;
                dispatcher.dispatch(Action::SettingsLoaded { generation, result });
            });
        }
    });
}

fn header(state: &Dashboard, on_sign_out: Callback<MouseEvent>) -> Html {
    html! {
        <header class="top">
            <p class="brand">{ "Earshot" }</p>
            if let Some(s) = &state.session {
                <p class="who">{ "Site " }<strong class="site-id">{ s.site.clone() }</strong></p>
                <button type="button" class="secondary sign-out" onclick={on_sign_out}>{ "Sign out" }</button>
            }
        </header>
    }
}

/// The filters, the export buttons and every view of the summary.
fn signed_in(state: &State) -> Html {
    let on_range = {
        let state = state.clone();
        Callback::from(move |(from, to): (Day, Day)| state.dispatch(Action::Range { from, to }))
    };
    let on_touchpoint = {
        let state = state.clone();
        Callback::from(move |t: Option<String>| state.dispatch(Action::Touchpoint(t)))
    };
    let on_refresh = {
        let state = state.clone();
        Callback::from(move |_: ()| state.dispatch(Action::Refresh))
    };
    let on_export = {
        let state = state.clone();
        Callback::from(move |format: Format| export(&state, format))
    };
    let on_erase = {
        let state = state.clone();
        Callback::from(move |id: String| erase(&state, id))
    };
    let nav = page_nav(state);
    if state.page == Page::Settings {
        return html! { <>{ nav }{ settings_view(state) }</> };
    }
    let views = state.summary.clone().map(|s| summary_views(&s, on_erase));
    let cases = cases_view(state);
    html! {
        <>
            { nav }
            <Filters query={state.query.clone()} touchpoints={state.touchpoints.clone()} {on_range} {on_touchpoint} {on_refresh} />
            <ExportButtons busy={state.busy.is_some()} {on_export} />
            if let Some(e) = &state.error {
                <p class="error" role="alert">{ e.message() }</p>
            }
            { for views }
            { cases }
        </>
    }
}

/// Overview or settings.
fn page_nav(state: &State) -> Html {
    let link = |page: Page, label: &str| {
        let state = state.clone();
        let current = state.page == page;
        html! {
            <button type="button" class={classes!("page-link", current.then_some("current"))} aria-current={current.then_some("page")}
                onclick={Callback::from(move |_: MouseEvent| state.dispatch(Action::ShowPage(page)))}>{ label }</button>
        }
    };
    html! {
        <nav class="pages" aria-label="Dashboard pages">
            { link(Page::Overview, "Overview") }
            { link(Page::Settings, "Settings") }
        </nav>
    }
}

/// The settings page, once the settings are loaded.
fn settings_view(state: &State) -> Html {
    let Some(settings) = state.setup.settings.clone() else {
        return html! { <p class="status">{ if state.setup.loading { "Loading the settings…" } else { "" } }</p> };
    };
    let on_save = {
        let state = state.clone();
        Callback::from(move |(group, patch): (&'static str, serde_json::Value)| {
            save_settings(&state, group, patch)
        })
    };
    let on_rotate = {
        let state = state.clone();
        Callback::from(move |_: ()| rotate_token(&state))
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    html! {
        <section aria-labelledby="h-settings">
            <h2 id="h-settings">{ "Settings" }</h2>
            <SettingsPage {settings} setup={state.setup.clone()} {origin} {on_save} {on_rotate} />
        </section>
    }
}

fn save_settings(state: &State, group: &'static str, patch: serde_json::Value) {
    let Some(session) = state.session.clone() else {
        return;
    };
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        match api::patch_settings(&session, &patch).await {
            Ok(s) => dispatcher.dispatch(Action::SettingsSaved(s, group)),
            Err(e) => dispatcher.dispatch(Action::SettingsRefused(e)),
        }
    });
}

fn rotate_token(state: &State) {
    let Some(session) = state.session.clone() else {
        return;
    };
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        match api::rotate_token(&session).await {
            Ok(token) => {
                session::save(&Session {
                    token: token.clone(),
                    ..session
                });
                dispatcher.dispatch(Action::TokenRotated(token));
            }
            Err(e) => dispatcher.dispatch(Action::SettingsRefused(e)),
        }
    });
}

/// The cases inbox, with its tabs, paging and status changes.
fn cases_view(state: &State) -> Html {
    let on_tab = {
        let state = state.clone();
        Callback::from(move |f: StatusFilter| state.dispatch(Action::CasesTab(f)))
    };
    let on_more = {
        let state = state.clone();
        Callback::from(move |_: ()| state.dispatch(Action::MoreCases))
    };
    let on_save = {
        let state = state.clone();
        Callback::from(move |(id, patch): (String, CasePatch)| save_case(&state, id, patch))
    };
    html! {
        <section aria-labelledby="h-cases">
            <h2 id="h-cases">{ "Cases" }</h2>
            <p class="hint">{ "Every negative answer opens a case. Contact details are shown only here." }</p>
            <Cases inbox={state.inbox.clone()} now_ms={js_sys::Date::now() as i64} {on_tab} {on_more} {on_save} />
        </section>
    }
}

fn summary_views(s: &Rc<Summary>, on_erase: Callback<String>) -> Html {
    html! {
        <>
            <section aria-labelledby="h-headlines">
                <h2 id="h-headlines">{ "Headline scores" }<span class="range">{ format!(" {} to {}", s.from, s.to) }</span></h2>
                <p class="total">{ format!("{} responses, {} negative", s.responses, s.negative) }</p>
                <Cards summary={s.clone()} />
            </section>
            <section aria-labelledby="h-trend">
                <h2 id="h-trend">{ "Daily trend" }</h2>
                <Trend summary={s.clone()} />
                <h3 class="sub">{ "Prompts shown and answered" }</h3>
                <ReachTrend summary={s.clone()} />
            </section>
            <section aria-labelledby="h-distribution">
                <h2 id="h-distribution">{ "Score distribution" }</h2>
                <Distributions summary={s.clone()} />
            </section>
            <section aria-labelledby="h-touchpoints">
                <h2 id="h-touchpoints">{ "By touchpoint" }</h2>
                <TouchpointTable summary={s.clone()} />
            </section>
            <section aria-labelledby="h-recovery">
                <h2 id="h-recovery">{ "Recovery" }</h2>
                <RecoveryCard recovery={s.recovery.clone()} />
            </section>
            <section aria-labelledby="h-themes">
                <h2 id="h-themes">{ "Themes in unhappy comments" }</h2>
                <Themes themes={s.themes.clone()} comments={s.recent_comments.clone()} />
            </section>
            <section aria-labelledby="h-comments">
                <h2 id="h-comments">{ "Recent comments" }</h2>
                <Comments comments={s.recent_comments.clone()} {on_erase} />
            </section>
        </>
    }
}

/// A failed export or erase: a refused session is forgotten.
fn failed(dispatcher: &UseReducerDispatcher<Dashboard>, e: api::ApiError) {
    if e.ends_session() {
        session::clear();
    }
    dispatcher.dispatch(Action::Failed(e));
}

/// Downloads every page of the export of the range, then hands it to the browser as a file.
fn export(state: &State, format: Format) {
    let Some(session) = state.session.clone() else {
        return;
    };
    let (query, dispatcher) = (state.query.clone(), state.dispatcher());
    dispatcher.dispatch(Action::Busy(format!(
        "Exporting {}…",
        format.param().to_uppercase()
    )));
    spawn_local(async move {
        let progress = {
            let dispatcher = dispatcher.clone();
            move |n: usize| {
                dispatcher.dispatch(Action::Busy(format!(
                    "Exporting {}… {n} records so far",
                    format.param().to_uppercase()
                )))
            }
        };
        match api::export(&session, &query, format, progress).await {
            Ok((text, records)) => {
                let name = query.file_name(&session.site, format);
                match download::save(&name, format.mime(), &text) {
                    Ok(()) => dispatcher.dispatch(Action::Done(format!(
                        "Exported {records} records to {name}."
                    ))),
                    Err(_) => dispatcher.dispatch(Action::Done(
                        "The browser refused to save the export.".into(),
                    )),
                }
            }
            Err(e) => failed(&dispatcher, e),
        }
    });
}

/// Sets a case's status, then shows it as the server has it.
fn save_case(state: &State, id: String, patch: CasePatch) {
    let Some(session) = state.session.clone() else {
        return;
    };
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        match api::patch_case(&session, &id, &patch).await {
            Ok(case) => dispatcher.dispatch(Action::CaseSaved(case)),
            Err(e) => failed(&dispatcher, e),
        }
    });
}

/// Erases one response, then reloads the figures.
fn erase(state: &State, id: String) {
    let Some(session) = state.session.clone() else {
        return;
    };
    let dispatcher = state.dispatcher();
    spawn_local(async move {
        match api::erase(&session, &id).await {
            Ok(()) => {
                dispatcher.dispatch(Action::Done(
                    "The response was erased; the figures are updated.".into(),
                ));
                dispatcher.dispatch(Action::Refresh);
            }
            Err(e) => failed(&dispatcher, e),
        }
    });
}
