//! The auth matrix: every owner and admin route × every wrong credential → 401 with the
//! documented body and no effect; the right credential works; rotation retires the old token at
//! once; and no token or token hash ever shows up in a response after it was issued, or in the
//! worker's log.

use crate::hostile::documented_error;
use crate::util::*;
use api::{Access, Route};
use harness::http::{request, Reply};
use harness::local::LocalWorker;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Who may call each route, said here again on purpose (independently of `api`'s table, which
/// a test below compares with it): a new route does not compile until it has a row.
fn expected_access(route: Route) -> Access {
    match route {
        Route::Health | Route::Config => Access::Anyone,
        Route::Ingest | Route::Displays | Route::FollowUps => Access::AllowedOrigin,
        Route::CreateSite => Access::Admin,
        Route::Site
        | Route::PatchSite
        | Route::Export
        | Route::Erase
        | Route::Summary
        | Route::Import
        | Route::Cases
        | Route::PatchCase
        | Route::Digest => Access::Owner,
        Route::RotateToken => Access::OwnerOrAdmin,
    }
}

/// One exported record: what `import` takes. Letting it through would add a response.
fn import_line() -> String {
    json!({"id": uuid(77), "received_at": "2026-01-01T00:00:00Z", "touchpoint": "checkout", "kind": "csat", "score": 5}).to_string()
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A worker whose site `shop` has three answers and a rotated owner token, and every reply it
/// gave, so that the leak check can look at all of them.
struct Fixture {
    dir: std::path::PathBuf,
    w: LocalWorker,
    /// `shop`'s first owner token, retired by the rotation.
    first: String,
    /// `shop`'s owner token now.
    owner: String,
    /// `other`'s owner token.
    other: String,
    admin: String,
    /// Every token known, and where each issued one was issued (the reply's index in `seen`).
    tokens: Vec<String>,
    issued: Vec<(usize, String)>,
    seen: Vec<(String, Reply)>,
    /// The summary range, and the summary and export over it before any wrong credential.
    range: String,
    before: (String, String),
}

/// A credential: the request headers that carry it.
type Headers = Vec<(String, String)>;

fn authorization(value: String) -> Headers {
    vec![("authorization".into(), value)]
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = harness::fresh_dir(name);
        let w = start_in(&dir, harness::free_port());
        let first = w.create_site("shop", &[ORIGIN]);
        let other = w.create_site("other", &["https://other.example"]);
        for n in 0..3 {
            ingest_ok(
                &w,
                "shop",
                &answer(&uuid(n), "csat", 2 + n as i64, Some("kept")),
            );
        }
        let admin = w.admin_token.clone();
        let mut fx = Fixture {
            dir,
            w,
            tokens: vec![first.clone(), other.clone(), admin.clone()],
            first,
            owner: String::new(),
            other,
            admin,
            issued: Vec::new(),
            seen: Vec::new(),
            range: String::new(),
            before: (String::new(), String::new()),
        };
        // Rotate once: `first` is now a retired token.
        fx.owner = fx.rotate(&fx.first.clone());
        let s = summary(&fx.w, "shop", &fx.owner, "").json();
        fx.range = format!(
            "?from={}&to={}",
            s["from"].as_str().unwrap(),
            s["to"].as_str().unwrap()
        );
        fx.before = fx.state();
        fx
    }

    /// Calls route `(method, pattern)` on site `shop` with `headers`; each route gets a request
    /// that would change something if it were let through.
    fn call(&mut self, method: &str, pattern: &str, headers: &[(&str, &str)]) -> Reply {
        let path = pattern.replace("{site}", "shop").replace("{id}", &uuid(1));
        let route = Route::find(method, pattern)
            .expect("a route of the table")
            .route;
        let body: Option<Vec<u8>> = match route {
            Route::Import => Some(import_line().into()),
            Route::CreateSite => Some(json!({"name": "Evil", "allowed_origins": ["https://evil.example"], "site_id": "evil"}).to_string().into()),
            Route::PatchSite => Some(json!({"allowed_origins": ["https://evil.example"], "webhook_url": "https://evil.example/hook"}).to_string().into()),
            Route::PatchCase => Some(json!({"status": "resolved", "note": "evil"}).to_string().into()),
            Route::Ingest | Route::Displays | Route::FollowUps | Route::RotateToken => {
                Some(Vec::new())
            }
            Route::Health
            | Route::Config
            | Route::Site
            | Route::Export
            | Route::Erase
            | Route::Summary
            | Route::Cases
            | Route::Digest => None,
        };
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        let r = request(method, &self.w.url(&path), &all, body.as_deref()).expect("request");
        self.seen
            .push((format!("{method} {path} {headers:?}"), r.clone()));
        r
    }

    /// Calls `(method, pattern)` with `token` as the bearer and insists on `want`.
    fn ok(&mut self, method: &str, pattern: &str, token: &str, want: u16) -> Reply {
        let r = self.call(
            method,
            pattern,
            &[("authorization", &format!("Bearer {token}"))],
        );
        assert_eq!(r.status, want, "{}", r.body);
        r
    }

    /// Records the owner token the last reply issued, and returns it.
    fn issued_by_last(&mut self) -> String {
        let (_, r) = self.seen.last().expect("a reply");
        let token = r.json()["owner_token"].as_str().unwrap().to_string();
        self.issued.push((self.seen.len() - 1, token.clone()));
        self.tokens.push(token.clone());
        token
    }

    /// Rotates `shop`'s owner token with `token`; returns the new one.
    fn rotate(&mut self, token: &str) -> String {
        self.ok("POST", "/v1/sites/{site}/token", token, 200);
        self.issued_by_last()
    }

    fn state(&self) -> (String, String) {
        (
            summary(&self.w, "shop", &self.owner, &self.range).body,
            owner_get(&self.w, "/v1/sites/shop/responses", &self.owner).body,
        )
    }

    /// Calls every owner and admin route with each credential `wrong` gives for it (from the
    /// route's access and its right token), insists on the documented 401 for each, and returns
    /// how many were checked.
    fn refuse(
        &mut self,
        wrong: impl Fn(&Fixture, Access, &str) -> Vec<(&'static str, Headers)>,
    ) -> usize {
        let mut failures = Vec::new();
        let mut checked = 0;
        let protected: Vec<(&str, &str, Access)> = Route::ALL
            .iter()
            .map(|&r| (r.method(), r.pattern(), expected_access(r)))
            .filter(|(_, _, a)| !matches!(a, Access::Anyone | Access::AllowedOrigin))
            .collect();
        assert!(protected.len() >= 10, "{protected:?}");
        for (method, pattern, access) in protected {
            let right = if access == Access::Admin {
                self.admin.clone()
            } else {
                self.owner.clone()
            };
            for (name, headers) in wrong(self, access, &right) {
                let headers: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let r = self.call(method, pattern, &headers);
                checked += 1;
                if let Err(why) = documented_error(&r, 401, "unauthorized", None) {
                    failures.push(format!("{method} {pattern} with {name}: {why}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {checked} wrong credentials were not refused:\n{}",
            failures.len(),
            failures.join("\n")
        );
        checked
    }

    /// Nothing changed: no site created, no settings changed, nothing erased, token not rotated.
    fn assert_unchanged(&self) {
        assert_eq!(get_status(&self.w, "/v1/sites/evil/config"), 404);
        let (summary_now, export_now) = self.state();
        assert_eq!(summary_now, self.before.0);
        assert_eq!(export_now, self.before.1);
        assert_eq!(self.before.1.lines().count(), 3);
        expect_error(
            &ingest(
                &self.w,
                "shop",
                Some("https://evil.example"),
                "text/plain",
                &answer(&uuid(9), "csat", 5, None),
            ),
            403,
            "origin_not_allowed",
            None,
        );
    }

    /// Tokens never come back after they were issued, in any body or header; hashes never; nor
    /// in what `current` (a working owner token of `shop`) reads, nor in the worker's log.
    fn assert_no_token_leaked(self, current: &str) {
        for (i, (what, r)) in self.seen.iter().enumerate() {
            let text = format!("{} {:?}", r.body, r.headers);
            for t in &self.tokens {
                let allowed = self.issued.iter().any(|(at, tok)| *at == i && tok == t);
                assert!(
                    allowed || !text.contains(t.as_str()),
                    "{what} returned a token: {text}"
                );
                assert!(
                    !text.contains(&sha256_hex(t)),
                    "{what} returned a token hash: {text}"
                );
            }
        }
        for path in [
            "/v1/sites/shop/summary",
            "/v1/sites/shop/responses",
            "/v1/sites/shop/responses?format=csv",
            "/v1/sites/shop/config",
        ] {
            let r = owner_get(&self.w, path, current);
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            for t in &self.tokens {
                assert!(
                    !r.body.contains(t.as_str()) && !r.body.contains(&sha256_hex(t)),
                    "{path} leaks a token"
                );
            }
        }
        let Fixture { dir, w, tokens, .. } = self;
        drop(w);
        let log = std::fs::read_to_string(dir.join("wrangler.log")).expect("wrangler.log");
        assert!(
            log.contains("/v1/sites/shop/summary"),
            "the log has the requests"
        );
        for t in &tokens {
            assert!(!log.contains(t.as_str()), "the worker's log holds a token");
            assert!(
                !log.contains(&sha256_hex(t)),
                "the worker's log holds a token hash"
            );
        }
    }

    /// Refuses every wrong credential `wrong` gives (at least `least` of them), checks nothing
    /// changed and nothing leaked.
    fn refuse_all(
        mut self,
        least: usize,
        wrong: impl Fn(&Fixture, Access, &str) -> Vec<(&'static str, Headers)>,
    ) {
        let checked = self.refuse(wrong);
        assert!(checked >= least, "{checked}");
        self.assert_unchanged();
        let owner = self.owner.clone();
        self.assert_no_token_leaked(&owner);
    }
}

#[test]
fn the_served_access_table_says_what_these_rows_say() {
    for &route in Route::ALL {
        assert_eq!(route.access(), expected_access(route), "{route:?}");
    }
}

#[test]
fn every_protected_route_refuses_a_missing_or_malformed_authorization() {
    Fixture::new("auth-malformed").refuse_all(120, |_, _, right| {
        vec![
            ("no token", vec![]),
            ("empty bearer", authorization("Bearer".into())),
            ("blank bearer", authorization("Bearer    ".into())),
            ("Basic scheme", authorization(format!("Basic {right}"))),
            ("Token scheme", authorization(format!("Token {right}"))),
            ("no scheme", authorization(right.to_string())),
            (
                "tab after the scheme",
                authorization(format!("Bearer\t{right}")),
            ),
            (
                "token with a suffix",
                authorization(format!("Bearer {right}x")),
            ),
            (
                "truncated token",
                authorization(format!("Bearer {}", &right[..right.len() - 1])),
            ),
            (
                "uppercased token",
                authorization(format!("Bearer {}", right.to_uppercase())),
            ),
            (
                "the token's hash",
                authorization(format!("Bearer {}", sha256_hex(right))),
            ),
            (
                "a list of tokens",
                authorization(format!("Bearer eso_wrong, Bearer {right}")),
            ),
        ]
    });
}

#[test]
fn every_protected_route_refuses_another_sites_a_rotated_or_the_wrong_roles_token() {
    Fixture::new("auth-someone-else").refuse_all(29, |fx, access, _| {
        let mut wrong = vec![
            (
                "other site's token",
                authorization(format!("Bearer {}", fx.other)),
            ),
            (
                "rotated token",
                authorization(format!("Bearer {}", fx.first)),
            ),
        ];
        let wrong_role = match access {
            Access::Admin => Some(&fx.owner),
            Access::Owner => Some(&fx.admin),
            _ => None,
        };
        if let Some(t) = wrong_role {
            wrong.push(("wrong role", authorization(format!("Bearer {t}"))));
        }
        wrong
    });
}

#[test]
fn every_protected_route_refuses_spoofed_internal_headers() {
    Fixture::new("auth-spoofed").refuse_all(20, |_, _, right| {
        let spoofed = |extra: Headers| {
            let mut h = extra;
            h.push(("x-earshot-admin".into(), "1".into()));
            h.push(("x-earshot-token-hash".into(), sha256_hex(right)));
            h
        };
        let mut alone = spoofed(vec![]);
        alone.push(("x-earshot-site".into(), "shop".into()));
        vec![
            ("spoofed internal headers", alone),
            (
                "spoofed internal headers and a wrong token",
                spoofed(authorization("Bearer eso_wrong".into())),
            ),
        ]
    });
}

#[test]
fn the_right_credential_works_on_every_route() {
    let mut fx = Fixture::new("auth-right");
    let (owner, admin) = (fx.owner.clone(), fx.admin.clone());
    fx.ok("GET", "/v1/sites/{site}/summary", &owner, 200);
    fx.ok("GET", "/v1/sites/{site}/responses", &owner, 200);
    let patched = fx.ok("PATCH", "/v1/sites/{site}", &owner, 200);
    assert_eq!(
        patched.json()["allowed_origins"],
        json!(["https://evil.example"])
    );
    fx.ok("DELETE", "/v1/sites/{site}/responses/{id}", &owner, 200);
    fx.ok("POST", "/v1/sites/{site}/import", &owner, 200);
    fx.ok("POST", "/v1/sites", &admin, 201);
    fx.issued_by_last();
    fx.assert_no_token_leaked(&owner);
}

#[test]
fn rotation_by_the_owner_then_the_admin_retires_each_token_before_it() {
    let mut fx = Fixture::new("auth-rotation");
    let owner = fx.owner.clone();
    let second = fx.rotate(&owner);
    let third = fx.rotate(&fx.admin.clone());
    for retired in [&fx.first, &owner, &second] {
        expect_error(
            &summary(&fx.w, "shop", retired, ""),
            401,
            "unauthorized",
            None,
        );
    }
    let r = summary(&fx.w, "shop", &third, "");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = summary(&fx.w, "other", &fx.other, "");
    assert_eq!(r.status, 200, "{}", r.body);
    fx.assert_no_token_leaked(&third);
}

fn get_status(w: &LocalWorker, path: &str) -> u16 {
    harness::http::get(&w.url(path), &[]).status
}
