//! The prompt's container: holds its state ([`crate::state`]), builds and checks the answer,
//! hands it to [`crate::api`] for delivery, counts the display dismissed, offers the
//! contact opt-in after a negative score where the site allows it, remembers negative answers
//! for a follow-up ([`crate::recall`]), tells the host page what happened and applies the focus
//! rules ([`crate::focus`]). What it draws is [`crate::components::prompt`].

use crate::api::{self, Delivery};
use crate::components::prompt::{self, Card};
use crate::focus;
use crate::recall::{self, Remembered};
use crate::state::{Action, Ask, Phase, Prompt};
use crate::Runtime;
use domain::display::DisplayEvent;
use domain::wire::IngestRequest;
use gloo::timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;
use yew::Reducible;

/// How long the thank-you stays before the prompt closes itself.
const THANKS_MS: u32 = 4_000;

#[derive(Properties, Clone)]
pub struct PromptProps {
    pub rt: Rc<Runtime>,
    pub ask: Ask,
    /// In the page's flow (`data-position="inline:…"`): a labelled region, not a dialog.
    pub inline: bool,
    /// Set while the prompt is asking (for `mount::is_busy`).
    pub busy: Rc<Cell<bool>>,
    /// This display's id (counted as shown by `mount`), which the answer names.
    pub display_id: String,
    pub on_close: Callback<()>,
}

impl PartialEq for PromptProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rt, &other.rt) && self.ask == other.ask && self.inline == other.inline
    }
}

/// What the prompt's parts report, and what a delivery's outcome feeds back.
pub enum Msg {
    /// One step of the state machine ([`Prompt`]'s reducer).
    Act(Action),
    Send,
    Dismiss,
}

/// A struct component rather than a function component with hooks: the same behaviour, without
/// Yew's hook machinery in the wasm (about 2 KB brotli). Its state is [`Prompt`], moved along by
/// the same reducer; the focus rules run after each render ([`PromptApp::rendered`]).
pub struct PromptApp {
    state: Rc<Prompt>,
    /// One id per prompt, made once: a retry of this answer is the same answer.
    id: String,
    card: NodeRef,
    group: NodeRef,
    /// What the last render's focus rules saw (`None`: nothing rendered yet).
    seen: Option<(Option<u8>, Phase)>,
    /// The thank-you closes the prompt after a while; dropped (cancelled) on any other phase.
    closing: Option<Timeout>,
}

impl Component for PromptApp {
    type Message = Msg;
    type Properties = PromptProps;

    fn create(ctx: &Context<Self>) -> Self {
        PromptApp {
            state: Rc::new(Prompt::new(ctx.props().ask.kind)),
            id: api::new_id(),
            card: NodeRef::default(),
            group: NodeRef::default(),
            seen: None,
            closing: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Act(action) => self.act(action),
            Msg::Send => send(ctx, self),
            Msg::Dismiss => {
                dismiss(ctx.props(), &self.state);
                self.act(Action::Dismiss);
                ctx.props().on_close.emit(());
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let (props, link) = (ctx.props(), ctx.link());
        let texts = props.rt.texts;
        // A follow-up asks in its own words; otherwise the owner's question, or the kind's own.
        let question = match (&props.ask.follow_up_of, &props.ask.question) {
            (Some(_), _) => texts.followed_up().to_string(),
            (None, Some(q)) => q.clone(),
            (None, None) => texts.kind(props.ask.kind)[0].to_string(),
        };
        prompt::view(Card {
            texts,
            prompt: &self.state,
            question,
            offer_contact: self.state.offers_contact(props.rt.config.offer_contact),
            lang: &props.rt.lang,
            rtl: props.rt.rtl,
            inline: props.inline,
            card: self.card.clone(),
            group: self.group.clone(),
            on_pick: link.callback(|v| Msg::Act(Action::Pick(v))),
            on_step: link.callback(|v| Msg::Act(Action::Step(v))),
            on_comment: link.callback(|v| Msg::Act(Action::Comment(v))),
            on_want_contact: link.callback(|v| Msg::Act(Action::WantContact(v))),
            on_contact: link.callback(|v| Msg::Act(Action::Contact(v))),
            on_send: link.callback(|()| Msg::Send),
            on_dismiss: link.callback(|()| Msg::Dismiss),
        })
    }

    /// The focus rules. Focus moves into the prompt (onto the scale's tab stop) if the customer
    /// just acted; while picking by keyboard it follows the choice; on leaving the question the
    /// outcome takes the focus the form had (read out by screen readers as it is focused).
    /// Also: no longer busy once the question is left, and the thank-you closes itself.
    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        let props = ctx.props();
        let (score, phase) = (self.state.score, self.state.phase);
        if first_render && props.ask.take_focus {
            focus::move_to(self.card.cast(), "[role=radio][tabindex='0']");
        }
        let seen = self.seen.replace((score, phase));
        if seen.is_some_and(|(s, _)| s != score) && score.is_some() {
            if let Some(el) = self.group.cast::<web_sys::Element>() {
                focus::follow_choice(&el);
            }
        }
        if seen.is_some_and(|(_, p)| p == phase) {
            return;
        }
        props.busy.set(phase == Phase::Asking);
        if matches!(phase, Phase::Thanks | Phase::Queued | Phase::Rejected)
            && focus::is_ours_or_nowhere()
        {
            focus::move_to(self.card.cast(), ".es-outcome");
        }
        let on_close = props.on_close.clone();
        self.closing =
            (phase == Phase::Thanks).then(|| Timeout::new(THANKS_MS, move || on_close.emit(())));
    }
}

impl PromptApp {
    fn act(&mut self, action: Action) {
        self.state = self.state.clone().reduce(action);
    }
}

/// The close button or Escape: the page hears `dismissed`, and the display counts as
/// dismissed, if the question was still open.
fn dismiss(props: &PromptProps, state: &Prompt) {
    if state.phase == Phase::Asking {
        props.rt.emit("dismissed", &props.ask.detail());
        let display = props
            .ask
            .display(&props.display_id, DisplayEvent::Dismissed);
        api::display(props.rt.clone(), &display);
    }
}

/// Checks the answer and hands it to the outbox; the outcome moves the state along. A negative
/// answer (not itself a follow-up) is remembered, to ask again once its case is resolved.
fn send(ctx: &Context<PromptApp>, app: &mut PromptApp) {
    let (props, state) = (ctx.props(), &app.state);
    let Some(score) = state.score else { return };
    let req = match answer(props, state, &app.id, score) {
        Ok(r) => r,
        Err(f) => {
            props.rt.error(&[&f.message]);
            return app.act(Action::Rejected);
        }
    };
    let remember = state.is_negative() && req.follow_up_of.is_none();
    app.act(Action::Submit);
    if remember {
        let answer = Remembered {
            id: req.id.clone(),
            kind: props.ask.kind,
            touchpoint: req.touchpoint.clone(),
            at: js_sys::Date::now(),
        };
        recall::remember(&props.rt.site, answer);
    }
    let (link, rt) = (ctx.link().clone(), props.rt.clone());
    let (detail, id) = (api::to_js(&req), req.id.clone());
    let outcome = move |outcome: Delivery, kept: bool| match outcome {
        Delivery::Acknowledged => {
            link.send_message(Msg::Act(Action::Delivered));
            rt.emit("submitted", &detail);
        }
        Delivery::Failed => link.send_message(Msg::Act(Action::Queued(kept))),
        Delivery::Rejected(status) => {
            link.send_message(Msg::Act(Action::Rejected));
            // Refused: there is no case to follow up.
            recall::forget(&rt.site, &id, js_sys::Date::now());
            rt.error(&[
                "the server refused the answer (",
                &crate::text::number(status.into()),
                ")",
            ]);
        }
    };
    api::deliver(props.rt.clone(), req, Box::new(outcome));
}

/// The page URL without query and fragment (they may carry personal data).
fn page() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    domain::ingest::normalize_page(&href).ok()
}

/// Builds the answer and checks it with the server's own rules; never sends what it would refuse.
fn answer(
    props: &PromptProps,
    state: &Prompt,
    id: &str,
    score: u8,
) -> Result<IngestRequest, domain::Fault> {
    let comment = &state.comment;
    let req = IngestRequest {
        id: id.to_string(),
        touchpoint: props.ask.touchpoint.clone(),
        kind: props.ask.kind.as_str().to_string(),
        score: score as i64,
        comment: Some(comment.to_string()).filter(|c| !c.trim().is_empty()),
        page: page(),
        // The runtime's tag is canonical already when valid; an unreadable one is left out.
        locale: domain::ingest::canonical_locale(&props.rt.lang).ok(),
        attributes: props.ask.attributes.clone(),
        display_id: Some(props.display_id.clone()),
        contact: state.contact_to_send(props.rt.config.offer_contact),
        follow_up_of: props.ask.follow_up_of.clone(),
    };
    domain::Response::try_from(req).map(|valid| IngestRequest::from(&valid))
}
