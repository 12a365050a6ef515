//! The dashboard's state machine: who is signed in, what range and touchpoint are shown, the
//! last summary, and what the page tells the owner. Every change that needs new data bumps
//! `generation`; an answer for an older generation is ignored, so a slow reply can never
//! overwrite a newer one.

use crate::api::ApiError;
use crate::query::Query;
use crate::session::Session;
use domain::calendar::Day;
use domain::wire::Summary;
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
}

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

    fn signed_out(&mut self, why: Option<String>) {
        self.session = None;
        self.summary = None;
        self.touchpoints.clear();
        self.error = None;
        self.busy = None;
        self.sign_in_error = why;
        self.reload();
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
                next.reload();
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
                next.reload();
            }
            Action::Refresh => next.reload(),
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
