//! The settings page: every `PATCH` setting as a form, one group saved at a time, the server's
//! own message next to the field it names; the install snippet with copy buttons and a check
//! of an origin; where the data lives; and the owner token's rotation (the new one shown once).

use crate::settings_form::{
    ask_examples, origin_allowed, preview_message, script_tag, Draft, Group, PromptRow, QUEUE_STUB,
};
use crate::state::Setup;
use domain::settings::{Settings, TEXT_KEYS};
use domain::Kind;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: Rc<Settings>,
    pub setup: Setup,
    /// The worker's origin (the dashboard is served by it).
    pub origin: String,
    /// Save a group: its title and the patch.
    pub on_save: Callback<(&'static str, Value)>,
    pub on_rotate: Callback<()>,
}

type DraftHandle = UseStateHandle<Draft>;

/// A text field of the draft, with its label and, when the server refused it, its message.
fn field(
    draft: &DraftHandle,
    refused: &Option<(Option<String>, String)>,
    key: &'static str,
    label: &str,
    kind: &str,
    hint: &str,
) -> Html {
    let id = format!("set-{key}");
    let error = refused
        .as_ref()
        .filter(|(f, _)| {
            f.as_deref().is_some_and(|f| {
                f == key || f.starts_with(&format!("{key}.")) || f.starts_with(&format!("{key}["))
            })
        })
        .map(|(_, m)| m.clone());
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let mut d = (*draft).clone();
            d.set(key, v);
            draft.set(d);
        })
    };
    let described = format!("{id}-hint {id}-error");
    let input = if kind == "textarea" {
        let oninput = {
            let draft = draft.clone();
            Callback::from(move |e: InputEvent| {
                let v = e
                    .target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value();
                let mut d = (*draft).clone();
                d.set(key, v);
                draft.set(d);
            })
        };
        html! { <textarea id={id.clone()} name={key} rows="3" value={draft.value(key)} {oninput} aria-invalid={error.is_some().to_string()} aria-describedby={described} /> }
    } else {
        html! { <input id={id.clone()} name={key} type={kind.to_string()} value={draft.value(key)} {oninput} aria-invalid={error.is_some().to_string()} aria-describedby={described} /> }
    };
    html! {
        <div class="field setting">
            <label for={id.clone()}>{ label }</label>
            { input }
            <p class="hint" id={format!("{id}-hint")}>{ hint }</p>
            <p class="field-error" id={format!("{id}-error")} role="alert">{ error.unwrap_or_default() }</p>
        </div>
    }
}

/// A choice of the draft among `options` (value, label).
fn choice(draft: &DraftHandle, key: &'static str, label: &str, options: &[(&str, &str)]) -> Html {
    let id = format!("set-{key}");
    let onchange = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let mut d = (*draft).clone();
            d.set(key, v);
            draft.set(d);
        })
    };
    let now = draft.value(key);
    html! {
        <div class="field setting">
            <label for={id.clone()}>{ label }</label>
            <select {id} name={key} {onchange}>
                { for options.iter().map(|(v, l)| html! { <option value={v.to_string()} selected={now == *v}>{ *l }</option> }) }
            </select>
        </div>
    }
}

fn copy_button(text: String, what: &str) -> Html {
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
        }
    });
    html! { <button type="button" class="secondary copy" {onclick} aria-label={format!("Copy {what}")}>{ "Copy" }</button> }
}

#[component(SettingsPage)]
pub fn settings_page(props: &SettingsProps) -> Html {
    let s = &props.settings;
    let draft = {
        let s = s.clone();
        use_state(move || Draft::new(&s, "en"))
    };
    // The settings in force changed (loaded or saved): the draft starts from them again.
    {
        let (draft, s) = (draft.clone(), s.clone());
        use_effect_with(s, move |s| {
            draft.set(Draft::new(s, &draft.locale));
        });
    }
    let refused = &props.setup.refused;
    let save = |group: Group| {
        let (draft, on_save) = (draft.clone(), props.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_save.emit((group.title(), draft.patch(group)));
        })
    };
    let group_error = |group: Group| {
        refused
            .as_ref()
            .filter(|(f, _)| f.as_deref().and_then(Group::of) == Some(group))
            .map(|(_, m)| m.clone())
    };
    let form = |group: Group, body: Html| {
        html! {
            <form class="settings-group" id={format!("group-{}", group.id())} aria-labelledby={format!("h-group-{}", group.id())} onsubmit={save(group)} novalidate=true>
                <h3 id={format!("h-group-{}", group.id())}>{ group.title() }</h3>
                { body }
                if let Some(m) = group_error(group).filter(|_| matches!(group, Group::Prompts | Group::Words)) {
                    <p class="field-error" role="alert">{ m }</p>
                }
                <button type="submit" class="save-group">{ format!("Save {}", group.title().to_lowercase()) }</button>
            </form>
        }
    };
    let kinds: Vec<(&str, &str)> = Kind::ALL.iter().map(|k| (k.as_str(), k.as_str())).collect();

    // Install.
    let tag = script_tag(&props.origin, &s.site);
    let asks = ask_examples(s);
    let check = use_state(|| None::<Result<bool, String>>);
    let check_input = use_node_ref();
    let on_check = {
        let (check, input, s) = (check.clone(), check_input.clone(), s.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                check.set(Some(origin_allowed(&s, &i.value())));
            }
        })
    };
    let install = html! {
        <section class="settings-group install" aria-labelledby="h-install">
            <h3 id="h-install">{ "Install" }</h3>
            <p>{ "Paste this tag into every page that may ask:" }</p>
            <div class="snippet"><pre><code class="script-tag">{ tag.clone() }</code></pre>{ copy_button(tag, "the script tag") }</div>
            <p>{ "To ask from your own code before the script has loaded, add the queue stub first:" }</p>
            <div class="snippet"><pre><code>{ QUEUE_STUB }</code></pre>{ copy_button(QUEUE_STUB.to_string(), "the queue stub") }</div>
            if asks.is_empty() {
                <p class="hint">{ "Add a prompt below to get an ask example for it." }</p>
            } else {
                <p>{ "Ask right after the interaction:" }</p>
                { for asks.into_iter().map(|a| html! { <div class="snippet"><pre><code class="ask-example">{ a.clone() }</code></pre>{ copy_button(a, "the ask example") }</div> }) }
            }
            <form class="check-origin" onsubmit={on_check}>
                <label for="check-origin">{ "Check my site (origin)" }</label>
                <input id="check-origin" type="url" placeholder="https://shop.example" ref={check_input} />
                <button type="submit" class="secondary">{ "Check" }</button>
            </form>
            <p class="check-result" role="status">{ match &*check {
                Some(Ok(true)) => "Allowed: the widget on this origin can send answers.".to_string(),
                Some(Ok(false)) => "Not allowed yet: add it to the allowed origins below and save.".to_string(),
                Some(Err(m)) => format!("That is not an origin: {m}"),
                None => String::new(),
            } }</p>
        </section>
    };

    // Prompts: one row per touchpoint.
    let set_prompt = |i: usize, edit: fn(&mut PromptRow, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            // An input or a select: either has a `value`.
            let v = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let mut d = (*draft).clone();
            if let Some(p) = d.prompts.get_mut(i) {
                edit(p, v);
            }
            draft.set(d);
        })
    };
    let add_prompt = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut d = (*draft).clone();
            d.prompts.push(PromptRow {
                kind: "csat".into(),
                ..PromptRow::default()
            });
            draft.set(d);
        })
    };
    let rows = draft.prompts.iter().enumerate().map(|(i, p)| {
        let remove = {
            let draft = draft.clone();
            Callback::from(move |_: MouseEvent| {
                let mut d = (*draft).clone();
                d.prompts.remove(i);
                draft.set(d);
            })
        };
        let id = |what: &str| format!("prompt-{i}-{what}");
        html! {
            <fieldset class="prompt-row">
                <legend>{ if p.touchpoint.is_empty() { "New prompt".to_string() } else { p.touchpoint.clone() } }</legend>
                <div class="pf">
                    <label for={id("touchpoint")}>{ "Touchpoint" }</label>
                    <input id={id("touchpoint")} class="prompt-touchpoint" value={p.touchpoint.clone()} onchange={set_prompt(i, |p, v| p.touchpoint = v)} />
                </div>
                <div class="pf">
                    <label for={id("kind")}>{ "Kind" }</label>
                    <select id={id("kind")} class="prompt-kind" onchange={set_prompt(i, |p, v| p.kind = v)}>
                        { for kinds.iter().map(|(v, l)| html! { <option value={v.to_string()} selected={p.kind == *v}>{ *l }</option> }) }
                    </select>
                </div>
                <div class="pf">
                    <label for={id("question")}>{ format!("Question ({})", draft.locale) }</label>
                    <input id={id("question")} class="prompt-question" value={p.question.clone()} onchange={set_prompt(i, |p, v| p.question = v)} />
                </div>
                <div class="pf">
                    <label for={id("page")}>{ "Ask on pages starting with" }</label>
                    <input id={id("page")} class="prompt-page" placeholder="/thanks" value={p.page_prefix.clone()} onchange={set_prompt(i, |p, v| p.page_prefix = v)} />
                </div>
                <div class="pf">
                    <label for={id("delay")}>{ "after (ms)" }</label>
                    <input id={id("delay")} class="prompt-delay" inputmode="numeric" value={p.delay_ms.clone()} onchange={set_prompt(i, |p, v| p.delay_ms = v)} />
                </div>
                <button type="button" class="secondary remove-prompt" onclick={remove}>{ "Remove" }</button>
            </fieldset>
        }
    });
    let on_locale = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let mut d = (*draft).clone();
            d.switch_locale(v.trim().to_string());
            draft.set(d);
        })
    };
    let words = TEXT_KEYS.iter().map(|&key| {
        let draft = draft.clone();
        let oninput = {
            let draft = draft.clone();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                let mut d = (*draft).clone();
                d.set_word(key, v);
                draft.set(d);
            })
        };
        let id = format!("word-{key}");
        html! {
            <div class="field setting">
                <label for={id.clone()}>{ key }</label>
                <input {id} class="word" value={draft.word(key)} placeholder="(the widget's own)" {oninput} />
            </div>
        }
    });
    let location = match (
        &s.data_location.jurisdiction,
        &s.data_location.location_hint,
    ) {
        (Some(j), _) => format!("Jurisdiction {j}: the data is stored and processed only there."),
        (None, Some(h)) => format!("Location hint {h}: first created there (best effort)."),
        _ => "Placed near its first request (no jurisdiction or hint was chosen at creation)."
            .to_string(),
    };
    let rotate = {
        let on_rotate = props.on_rotate.clone();
        Callback::from(move |_: MouseEvent| on_rotate.emit(()))
    };
    let preview = preview_section(&draft, &s.site);
    html! {
        <div class="settings">
            if let Some(m) = &props.setup.saved {
                <p class="saved" role="status">{ m.clone() }</p>
            }
            if let Some((None, m)) = refused {
                <p class="error" role="alert">{ m.clone() }</p>
            }
            { preview }
            { install }
            { form(Group::General, html! { <>
                { field(&draft, refused, "name", "Site name", "text", "Shown to you only.") }
                { field(&draft, refused, "allowed_origins", "Allowed origins", "textarea", "One per line, e.g. https://shop.example: only these pages may send answers.") }
            </> }) }
            { form(Group::Prompts, html! { <>
                <div class="field setting">
                    <label for="edit-locale">{ "Language of the questions and words" }</label>
                    <input id="edit-locale" class="edit-locale" value={draft.locale.clone()} onchange={on_locale} />
                </div>
                { for rows }
                <button type="button" class="secondary add-prompt" onclick={add_prompt}>{ "Add a prompt" }</button>
            </> }) }
            { form(Group::Words, html! { <>
                <p class="hint">{ format!("The widget's words in {}; empty keeps the widget's own.", draft.locale) }</p>
                { for words }
            </> }) }
            { form(Group::Alerts, html! { <>
                { field(&draft, refused, "webhook_url", "Webhook URL", "url", "Negative answers (signed) are posted here; empty: no alerts.") }
                { choice(&draft, "alert_contact", "Contact in alerts", &[("false", "No: contact only in the Cases inbox"), ("true", "Yes: alerts carry the contact")]) }
                { choice(&draft, "digest", "Digest (08:00 UTC, to the webhook)", &[("off", "Off"), ("daily", "Daily: the day before"), ("weekly", "Weekly: Mondays, the week before")]) }
            </> }) }
            { form(Group::Cases, html! { <>
                { choice(&draft, "contact", "Offer customers to leave a contact", &[("negative", "After a negative score"), ("off", "Never")]) }
                { field(&draft, refused, "sla_hours", "SLA (hours)", "text", "A case open or contacted longer is past SLA.") }
                { field(&draft, refused, "contact_retention_days", "Keep contacts (days after resolution)", "text", "Then the contact is deleted.") }
            </> }) }
            { form(Group::Data, html! { <>
                <p class="data-location">{ location }</p>
                { field(&draft, refused, "throttle_days", "Ask the same browser at most every (days)", "text", "") }
                { field(&draft, refused, "sample_rate", "Sampling (0–1)", "text", "Share of eligible visitors who are asked.") }
                { field(&draft, refused, "retention_days", "Keep answers (days)", "text", "Empty: keep them.") }
                { field(&draft, refused, "shards", "Shards", "text", "Spread a busy site over this many objects.") }
                { field(&draft, refused, "rate_limit_per_minute", "Answers per visitor per minute", "text", "") }
            </> }) }
            <section class="settings-group tokens" aria-labelledby="h-tokens">
                <h3 id="h-tokens">{ "Owner token" }</h3>
                <p>{ "Rotating makes a new token and retires this one at once (this tab goes on with the new one)." }</p>
                <button type="button" class="danger rotate-token" onclick={rotate}>{ "Rotate the owner token" }</button>
                if let Some(t) = &props.setup.new_token {
                    <p class="new-token">{ "The new token, shown this once: " }<code>{ t.clone() }</code>{ copy_button(t.clone(), "the new token") }</p>
                }
            </section>
        </div>
    }
}

/// The live preview: the real widget in a sandboxed frame, told the draft (prompt, language,
/// words, theme). A new frame for each change; its answers are refused by the server (a
/// sandboxed frame's origin is never allowed), so nothing is stored or counted.
fn preview_section(draft: &UseStateHandle<Draft>, site: &str) -> Html {
    html! { <Preview draft={(**draft).clone()} site={site.to_string()} /> }
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub draft: Draft,
    pub site: String,
}

#[component(Preview)]
pub fn preview(props: &PreviewProps) -> Html {
    let prompt = use_state(|| 0usize);
    let theme = use_state(|| "light".to_string());
    let d = &props.draft;
    let message = preview_message(d, &props.site, *prompt, &theme);
    let on_prompt = {
        let prompt = prompt.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            prompt.set(v.parse().unwrap_or(0));
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            theme.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        })
    };
    let frame = message.map(|m| {
        let onload = {
            let m = m.clone();
            Callback::from(move |e: Event| {
                let frame: web_sys::HtmlIFrameElement = e.target_unchecked_into();
                if let (Some(w), Ok(v)) = (frame.content_window(), js_sys::JSON::parse(&m)) {
                    let _ = w.post_message(&v, "*");
                }
            })
        };
        html! {
            <iframe key={m} class="preview-frame" title="Preview of the prompt" sandbox="allow-scripts" src="preview.html" {onload} />
        }
    });
    html! {
        <section class="settings-group preview" aria-labelledby="h-preview">
            <h3 id="h-preview">{ "Preview" }</h3>
            if d.prompts.is_empty() {
                <p class="hint">{ "Add a prompt to preview it." }</p>
            } else {
                <div class="preview-controls">
                    <label for="preview-prompt">{ "Prompt" }</label>
                    <select id="preview-prompt" onchange={on_prompt}>
                        { for d.prompts.iter().enumerate().map(|(i, p)| html! { <option value={i.to_string()} selected={i == *prompt}>{ p.touchpoint.clone() }</option> }) }
                    </select>
                    <label for="preview-theme">{ "Theme" }</label>
                    <select id="preview-theme" onchange={on_theme}>
                        { for ["light", "dark"].iter().map(|t| html! { <option value={*t} selected={*theme == *t}>{ *t }</option> }) }
                    </select>
                    <span class="hint">{ format!("Language: {} (chosen above the prompts). Answers given here are never stored.", d.locale) }</span>
                </div>
                { for frame }
            }
        </section>
    }
}
