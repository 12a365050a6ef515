//! The dashboard's state machine: who is signed in, what range and touchpoint are shown, the
//! last summary, and what the page tells the owner. Every change that needs new data bumps
//! `generation`; an answer for an older generation is ignored, so a slow reply can never
//! overwrite a newer one.

use crate::api::ApiError;
use crate::query::Query;
use crate::session::Session;
use domain::calendar::Day;
use domain::recovery::{CasesQuery, StatusFilter};
use domain::settings::Settings;
use domain::wire::{CaseView, CasesPage, Summary};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub session: Option<Session>,
    /// The site id last used, to prefill the sign-in form (never the token).
    pub last_site: String,
    pub query: Query,
    /// Touchpoints seen in this session's summaries: the filter's options.
    pub touchpoints: Vec<String>,
    pub summary: Option<Rc<Summary>>,
    pub loading: bool,
    /// Why the last load, export or erase failed (the data shown may be older).
    pub error: Option<ApiError>,
    /// Why the owner is back at the sign-in form.
    pub sign_in_error: Option<String>,
    /// What an export is doing right now; buttons wait while it runs.
    pub busy: Option<String>,
    /// The outcome of the last action, announced politely.
    pub notice: Option<String>,
    pub generation: u32,
    /// The cases inbox (loaded on its own: a status tab or "More cases" reloads only it).
    pub inbox: Inbox,
    pub page: Page,
    /// The settings page's state.
    pub setup: Setup,
}

/// What the signed-in owner looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    #[default]
    Overview,
    Settings,
}

/// The settings page: the settings in force, and what the last save said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Setup {
    pub settings: Option<Rc<Settings>>,
    pub loading: bool,
    pub generation: u32,
    /// The server's refusal of the last save: the field it named and its message.
    pub refused: Option<(Option<String>, String)>,
    /// What the last save or rotation did.
    pub saved: Option<String>,
    /// A rotated owner token, shown this once.
    pub new_token: Option<String>,
}

/// The cases inbox: which tab and touchpoint, the cases loaded so far and the next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbox {
    /// Status and touchpoint; no cursor (the next page's is `next`).
    pub query: CasesQuery,
    pub cases: Vec<CaseView>,
    /// `X-Earshot-Next-Cursor` of the last page.
    pub next: Option<String>,
    pub sla_hours: u32,
    pub loading: bool,
    /// Bumped by every change that needs cases; the load asks for the next page when `more`.
    pub generation: u32,
    pub more: bool,
}

impl Inbox {
    fn new() -> Inbox {
        Inbox {
            query: CasesQuery {
                limit: CASES_PER_PAGE,
                ..CasesQuery::default()
            },
            cases: Vec::new(),
            next: None,
            sla_hours: domain::limits::DEFAULT_SLA_HOURS,
            loading: false,
            generation: 0,
            more: false,
        }
    }

    fn reload(&mut self, more: bool) {
        self.generation = self.generation.wrapping_add(1);
        self.loading = true;
        self.more = more;
        if !more {
            self.cases.clear();
            self.next = None;
        }
    }
}

/// Cases per page of the inbox.
pub const CASES_PER_PAGE: usize = 25;

pub enum Action {
    SignIn(Session),
    SignOut,
    Range {
        from: Day,
        to: Day,
    },
    Touchpoint(Option<String>),
    Refresh,
    Loaded {
        generation: u32,
        result: Result<Rc<Summary>, ApiError>,
    },
    Busy(String),
    Done(String),
    /// An export or erase failed.
    Failed(ApiError),
    /// Show the cases of this status.
    CasesTab(StatusFilter),
    /// Load the next page of cases.
    MoreCases,
    CasesLoaded {
        generation: u32,
        result: Result<(CasesPage, Option<String>), ApiError>,
    },
    /// A case's new state, as the server returned it.
    CaseSaved(CaseView),
    ShowPage(Page),
    SettingsLoaded {
        generation: u32,
        result: Result<Settings, ApiError>,
    },
    /// A group was saved: the settings now in force and which group.
    SettingsSaved(Settings, &'static str),
    /// A save or rotation was refused or failed.
    SettingsRefused(ApiError),
    /// The owner token was rotated: the session goes on with the new one.
    TokenRotated(String),
}

impl Dashboard {
    pub fn new(today: Day, session: Option<Session>) -> Dashboard {
        Dashboard {
            last_site: session.as_ref().map(|s| s.site.clone()).unwrap_or_default(),
            loading: session.is_some(),
            session,
            query: Query::recent(today),
            touchpoints: Vec::new(),
            summary: None,
            error: None,
            sign_in_error: None,
            busy: None,
            notice: None,
            generation: 0,
            inbox: Inbox::new(),
            page: Page::Overview,
            setup: Setup::default(),
        }
    }

    /// Whether a summary should be fetched for the current generation.
    pub fn wants_summary(&self) -> bool {
        self.session.is_some() && self.query.problem().is_none()
    }

    fn reload(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.loading = self.wants_summary();
    }

    /// The summary and the cases, both again (sign-in, touchpoint, refresh).
    fn reload_all(&mut self) {
        self.reload();
        self.inbox.query.touchpoint = self.query.touchpoint.clone();
        if self.session.is_some() {
            self.inbox.reload(false);
        } else {
            self.inbox = Inbox::new();
        }
    }

    fn signed_out(&mut self, why: Option<String>) {
        self.page = Page::Overview;
        self.setup = Setup::default();
        self.session = None;
        self.summary = None;
        self.touchpoints.clear();
        self.error = None;
        self.busy = None;
        self.sign_in_error = why;
        self.reload_all();
    }
}

impl Reducible for Dashboard {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SignIn(session) => {
                next.last_site = session.site.clone();
                next.session = Some(session);
                next.summary = None;
                next.touchpoints.clear();
                next.query.touchpoint = None;
                next.error = None;
                next.sign_in_error = None;
                next.notice = None;
                next.inbox = Inbox::new();
                next.page = Page::Overview;
                next.setup = Setup::default();
                next.reload_all();
            }
            Action::SignOut => {
                next.signed_out(None);
                next.notice = Some("Signed out: the token is gone from this tab.".into());
            }
            Action::Range { from, to } => {
                next.query.from = from;
                next.query.to = to;
                next.reload();
            }
            Action::Touchpoint(t) => {
                next.query.touchpoint = t;
                next.reload_all();
            }
            Action::Refresh => next.reload_all(),
            Action::Loaded { generation, .. } if generation != self.generation => return self,
            Action::Loaded {
                result: Ok(summary),
                ..
            } => {
                for t in summary.by_touchpoint.keys() {
                    if !next.touchpoints.contains(t) {
                        next.touchpoints.push(t.clone());
                    }
                }
                next.touchpoints.sort();
                next.summary = Some(summary);
                next.loading = false;
                next.error = None;
            }
            Action::Loaded { result: Err(e), .. } | Action::Failed(e) if e.ends_session() => {
                next.signed_out(Some(e.message()))
            }
            Action::Loaded { result: Err(e), .. } => {
                next.loading = false;
                next.error = Some(e);
            }
            Action::Failed(e) => {
                next.busy = None;
                next.error = Some(e);
            }
            Action::CasesTab(status) => {
                next.inbox.query.status = status;
                next.inbox.reload(false);
            }
            Action::MoreCases if self.inbox.next.is_some() && !self.inbox.loading => {
                next.inbox.reload(true)
            }
            Action::MoreCases => return self,
            Action::CasesLoaded { generation, .. } if generation != self.inbox.generation => {
                return self
            }
            Action::CasesLoaded {
                result: Ok((page, cursor)),
                ..
            } => {
                let inbox = &mut next.inbox;
                for c in page.cases {
                    if !inbox.cases.iter().any(|have| have.id == c.id) {
                        inbox.cases.push(c);
                    }
                }
                inbox.next = cursor;
                inbox.sla_hours = page.sla_hours;
                inbox.loading = false;
            }
            Action::CasesLoaded { result: Err(e), .. } if e.ends_session() => {
                next.signed_out(Some(e.message()))
            }
            Action::CasesLoaded { result: Err(e), .. } => {
                next.inbox.loading = false;
                next.error = Some(e);
            }
            Action::CaseSaved(case) => {
                next.notice = Some(format!("The case is now {}.", case.status));
                if let Some(c) = next.inbox.cases.iter_mut().find(|c| c.id == case.id) {
                    *c = case;
                }
                // The recovery figures move with the case.
                next.reload();
            }
            Action::ShowPage(page) => {
                next.page = page;
                if page == Page::Settings {
                    next.setup.generation = next.setup.generation.wrapping_add(1);
                    next.setup.loading = true;
                    next.setup.refused = None;
                    next.setup.saved = None;
                }
            }
            Action::SettingsLoaded { generation, .. } if generation != self.setup.generation => {
                return self
            }
            Action::SettingsLoaded { result: Ok(s), .. } => {
                next.setup.settings = Some(Rc::new(s));
                next.setup.loading = false;
            }
            Action::SettingsLoaded { result: Err(e), .. } | Action::SettingsRefused(e)
                if e.ends_session() =>
            {
                next.signed_out(Some(e.message()))
            }
            Action::SettingsLoaded { result: Err(e), .. } => {
                next.setup.loading = false;
                next.error = Some(e);
            }
            Action::SettingsSaved(s, group) => {
                next.setup.settings = Some(Rc::new(s));
                next.setup.refused = None;
                next.setup.saved = Some(format!("Saved: {group}."));
                next.notice = next.setup.saved.clone();
            }
            Action::SettingsRefused(e) => {
                next.setup.saved = None;
                next.setup.refused = Some(match &e {
                    ApiError::Refused { field, message, .. } => (field.clone(), message.clone()),
                    other => (None, other.message()),
                });
            }
            Action::TokenRotated(token) => {
                if let Some(s) = &mut next.session {
                    s.token = token.clone();
                }
                next.setup.new_token = Some(token);
                next.setup.saved =
                    Some("A new owner token is in force; the old one no longer works.".into());
                next.notice = next.setup.saved.clone();
            }
            Action::Busy(what) => next.busy = Some(what),
            Action::Done(what) => {
                next.busy = None;
                next.error = None;
                next.notice = Some(what);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn today() -> Day {
        Day::parse("2026-11-30", "today").unwrap()
    }

    fn session() -> Session {
        Session {
            site: "demo".into(),
            token: "eso_1".into(),
        }
    }

    fn summary(touchpoints: &[&str]) -> Rc<Summary> {
        let mut s: Summary = serde_json::from_str(include_str!("../tests/summary.json")).unwrap();
        s.by_touchpoint = touchpoints
            .iter()
            .map(|t| (t.to_string(), s.by_touchpoint["checkout"].clone()))
            .collect::<BTreeMap<_, _>>();
        Rc::new(s)
    }

    fn run(start: Dashboard, actions: Vec<Action>) -> Dashboard {
        let mut d = Rc::new(start);
        for a in actions {
            d = d.reduce(a);
        }
        (*d).clone()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn signing_in_loads_and_a_stale_answer_is_ignored() {
        let out = Dashboard::new(today(), None);
        assert!(!out.wants_summary() && !out.loading);
        let d = run(out, vec![Action::SignIn(session())]);
        assert!(d.loading && d.wants_summary());
        let g = d.generation;
        // The owner changes the touchpoint before the first answer arrives.
        let d = run(d, vec![Action::Touchpoint(Some("checkout".into()))]);
        let d = run(
            d,
            vec![Action::Loaded {
                generation: g,
                result: Ok(summary(&["a"])),
            }],
        );
        assert!(
            d.summary.is_none() && d.loading,
            "the older answer is dropped"
        );
        let d = run(
            d,
            vec![Action::Loaded {
                generation: g + 1,
                result: Ok(summary(&["checkout", "support"])),
            }],
        );
        assert!(!d.loading && d.summary.is_some());
        assert_eq!(d.touchpoints, vec!["checkout", "support"]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn touchpoint_options_accumulate() {
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![
                Action::Loaded {
                    generation: 0,
                    result: Ok(summary(&["support", "checkout"])),
                },
                Action::Touchpoint(Some("checkout".into())),
                Action::Loaded {
                    generation: 1,
                    result: Ok(summary(&["checkout"])),
                },
            ],
        );
        assert_eq!(d.touchpoints, vec!["checkout", "support"]);
        assert_eq!(d.query.touchpoint.as_deref(), Some("checkout"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_refused_token_sends_the_owner_back_to_sign_in() {
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![Action::Loaded {
                generation: 0,
                result: Err(ApiError::Unauthorized),
            }],
        );
        assert_eq!(d.session, None);
        assert_eq!(d.last_site, "demo");
        assert!(d.sign_in_error.as_deref().unwrap().contains("401"));
        assert!(!d.loading);
        // A server error keeps the session and the data shown so far.
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![
                Action::Loaded {
                    generation: 0,
                    result: Ok(summary(&["x"])),
                },
                Action::Refresh,
                Action::Loaded {
                    generation: 1,
                    result: Err(ApiError::Server(500)),
                },
            ],
        );
        assert!(d.session.is_some() && d.summary.is_some());
        assert_eq!(d.error, Some(ApiError::Server(500)));
    }

    fn case(n: u8, status: &str) -> CaseView {
        serde_json::from_value(serde_json::json!({
            "id": format!("0000000{n}-0000-4000-8000-000000000000"),
            "received_at": "2026-11-28T08:00:00.000Z", "touchpoint": "checkout", "kind": "csat",
            "score": 1, "comment": null, "status": status,
            "history": [{"status": "open", "at": "2026-11-28T08:00:00.000Z"}]
        }))
        .unwrap()
    }

    fn page(
        cases: Vec<CaseView>,
        next: Option<&str>,
    ) -> Result<(CasesPage, Option<String>), ApiError> {
        Ok((
            CasesPage {
                cases,
                sla_hours: 24,
            },
            next.map(String::from),
        ))
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_inbox_pages_switches_tabs_and_ignores_stale_pages() {
        let d = run(
            Dashboard::new(today(), None),
            vec![Action::SignIn(session())],
        );
        assert!(d.inbox.loading);
        let g = d.inbox.generation;
        let d = run(
            d,
            vec![Action::CasesLoaded {
                generation: g,
                result: page(vec![case(1, "open"), case(2, "open")], Some("c1")),
            }],
        );
        assert_eq!((d.inbox.cases.len(), d.inbox.sla_hours), (2, 24));
        assert_eq!(d.inbox.next.as_deref(), Some("c1"));
        // The next page is appended (a case seen twice is shown once).
        let d = run(d, vec![Action::MoreCases]);
        assert!(d.inbox.more && d.inbox.loading && d.inbox.cases.len() == 2);
        let d = run(
            d,
            vec![Action::CasesLoaded {
                generation: g + 1,
                result: page(vec![case(2, "open"), case(3, "open")], None),
            }],
        );
        assert_eq!(d.inbox.cases.len(), 3);
        assert_eq!(d.inbox.next, None);
        // No next page: "more" does nothing.
        let same = run(d.clone(), vec![Action::MoreCases]);
        assert_eq!(same.inbox.generation, d.inbox.generation);
        // A tab starts over; the old tab's late page is dropped.
        let g = d.inbox.generation;
        let d = run(
            d,
            vec![
                Action::CasesTab(StatusFilter::All),
                Action::CasesLoaded {
                    generation: g,
                    result: page(vec![case(9, "open")], None),
                },
            ],
        );
        assert!(d.inbox.cases.is_empty() && d.inbox.loading);
        assert_eq!(d.inbox.query.status, StatusFilter::All);
        // The touchpoint filter applies to the cases too.
        let d = run(d, vec![Action::Touchpoint(Some("checkout".into()))]);
        assert_eq!(d.inbox.query.touchpoint.as_deref(), Some("checkout"));
        // A saved case is replaced in place and the figures reload.
        let g = d.inbox.generation;
        let d = run(
            d,
            vec![Action::CasesLoaded {
                generation: g,
                result: page(vec![case(1, "open")], None),
            }],
        );
        let summary_generation = d.generation;
        let d = run(d, vec![Action::CaseSaved(case(1, "resolved"))]);
        assert_eq!(d.inbox.cases[0].status, "resolved");
        assert_eq!(d.generation, summary_generation + 1);
        assert_eq!(d.notice.as_deref(), Some("The case is now resolved."));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_settings_page_loads_saves_and_rotates() {
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![Action::ShowPage(Page::Settings)],
        );
        assert!(d.setup.loading && d.page == Page::Settings);
        let settings = Settings::new("demo".into(), "Demo".into(), Vec::new(), None);
        let g = d.setup.generation;
        let d = run(
            d,
            vec![
                Action::SettingsLoaded {
                    generation: g.wrapping_sub(1),
                    result: Err(ApiError::Network),
                },
                Action::SettingsLoaded {
                    generation: g,
                    result: Ok(settings.clone()),
                },
            ],
        );
        assert!(!d.setup.loading && d.setup.settings.is_some() && d.error.is_none());
        let refused = ApiError::from_reply(
            400,
            r#"{"error":{"code":"invalid_setting","message":"sla_hours is 1 to 8760","field":"sla_hours"}}"#,
        );
        let d = run(d, vec![Action::SettingsRefused(refused)]);
        assert_eq!(
            d.setup.refused,
            Some((Some("sla_hours".into()), "sla_hours is 1 to 8760".into()))
        );
        let d = run(d, vec![Action::SettingsSaved(settings, "Cases")]);
        assert_eq!(
            (d.setup.refused.clone(), d.setup.saved.as_deref()),
            (None, Some("Saved: Cases."))
        );
        let d = run(d, vec![Action::TokenRotated("eso_2".into())]);
        assert_eq!(d.session.as_ref().unwrap().token, "eso_2");
        assert_eq!(d.setup.new_token.as_deref(), Some("eso_2"));
        // A refused session on the settings page ends it like anywhere else.
        let d = run(d, vec![Action::SettingsRefused(ApiError::Unauthorized)]);
        assert!(d.session.is_none() && d.page == Page::Overview && d.setup.new_token.is_none());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_backwards_range_is_not_fetched() {
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![Action::Range {
                from: today(),
                to: Day(today().0 - 3),
            }],
        );
        assert!(!d.wants_summary() && !d.loading);
        assert!(d.query.problem().is_some());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn exports_and_sign_out() {
        let d = run(
            Dashboard::new(today(), Some(session())),
            vec![Action::Busy("Exporting…".into())],
        );
        assert!(d.busy.is_some());
        let d = run(d, vec![Action::Done("Exported 3 records".into())]);
        assert_eq!(
            (d.busy.clone(), d.notice.as_deref()),
            (None, Some("Exported 3 records"))
        );
        let d = run(
            d,
            vec![
                Action::Busy("Exporting…".into()),
                Action::Failed(ApiError::Network),
            ],
        );
        assert_eq!(
            (d.busy.clone(), d.error.clone()),
            (None, Some(ApiError::Network))
        );
        let d = run(d, vec![Action::SignOut]);
        assert!(d.session.is_none() && d.summary.is_none() && d.sign_in_error.is_none());
    }
}
