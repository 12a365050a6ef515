//! The public HTTP surface of API v1 as data.
//!
//! [`Route`] is the one route table: each route's method, path pattern and who may call it
//! ([`Access`]). The worker matches requests against it once ([`Route::find`]) and dispatches
//! with an exhaustive `match`, so a route without a handler does not compile; the end-to-end
//! tests read the same table (the access matrix, the OpenAPI check), so a route without a row
//! there does not compile or fails a test. No dependencies: cheap to share.

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No credentials.
    Anyone,
    /// A browser on one of the site's allowed origins (checked by `Origin`).
    AllowedOrigin,
    /// `Authorization: Bearer $ADMIN_TOKEN`.
    Admin,
    /// `Authorization: Bearer <the site's owner token>`.
    Owner,
    /// The owner or the admin.
    OwnerOrAdmin,
}

/// Declares [`Route`] and its table together, so a variant cannot miss a row.
macro_rules! routes {
    ($($(#[$doc:meta])* $name:ident = $method:literal $pattern:literal $access:ident;)*) => {
        /// Every public route of API v1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Route {
            $($(#[$doc])* $name,)*
        }

        impl Route {
            /// Every route, in table order.
            pub const ALL: &'static [Route] = &[$(Route::$name,)*];

            /// The HTTP method, upper case.
            pub const fn method(self) -> &'static str {
                match self { $(Route::$name => $method,)* }
            }

            /// The path pattern; `{name}` matches one path segment.
            pub const fn pattern(self) -> &'static str {
                match self { $(Route::$name => $pattern,)* }
            }

            pub const fn access(self) -> Access {
                match self { $(Route::$name => Access::$access,)* }
            }
        }
    };
}

routes! {
    /// `{"ok": true}`.
    Health = "GET" "/health" Anyone;
    /// Creates a site; the owner token is shown once.
    CreateSite = "POST" "/v1/sites" Admin;
    /// A site's settings (the owner's view, as `PATCH` answers it).
    Site = "GET" "/v1/sites/{site}" Owner;
    /// Changes a site's settings.
    PatchSite = "PATCH" "/v1/sites/{site}" Owner;
    /// The public widget config.
    Config = "GET" "/v1/sites/{site}/config" Anyone;
    /// Ingests one answer.
    Ingest = "POST" "/v1/sites/{site}/responses" AllowedOrigin;
    /// Counts one prompt shown or dismissed (reach, response rate).
    Displays = "POST" "/v1/sites/{site}/displays" AllowedOrigin;
    /// Exports raw answers (NDJSON or CSV, cursor pages).
    Export = "GET" "/v1/sites/{site}/responses" Owner;
    /// Erases one answer.
    Erase = "DELETE" "/v1/sites/{site}/responses/{id}" Owner;
    /// Aggregates.
    Summary = "GET" "/v1/sites/{site}/summary" Owner;
    /// Rotates the owner token.
    RotateToken = "POST" "/v1/sites/{site}/token" OwnerOrAdmin;
    /// Imports exported records (history, restores).
    Import = "POST" "/v1/sites/{site}/import" Owner;
    /// Lists cases (negative answers to follow up), newest first, a page at a time.
    Cases = "GET" "/v1/sites/{site}/cases" Owner;
    /// Sets a case's status (with an optional note).
    PatchCase = "PATCH" "/v1/sites/{site}/cases/{id}" Owner;
    /// Which of a browser's negative answers are resolved and due a follow-up question.
    FollowUps = "POST" "/v1/sites/{site}/follow-ups" AllowedOrigin;
    /// The digest of the last day or week now (what the 08:00 webhook sends today).
    Digest = "GET" "/v1/sites/{site}/digest" Owner;
}

/// A request matched to a route, with the values of its `{…}` segments in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    pub route: Route,
    pub params: Vec<&'a str>,
}

impl Found<'_> {
    /// The `{site}` segment, when the route has one.
    pub fn site(&self) -> Option<&str> {
        self.route
            .pattern()
            .contains("{site}")
            .then(|| self.params.first().copied())
            .flatten()
    }

    /// The segment after `{site}` (e.g. `{id}`).
    pub fn id(&self) -> Option<&str> {
        self.params.get(1).copied()
    }
}

/// Why a request matched no route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// No pattern matches the path.
    NotFound,
    /// The path exists, with other methods: the value of the `Allow` header (RFC 9110 §15.5.6).
    MethodNotAllowed { allow: String },
}

impl Route {
    /// The route for `method` and `path`, matched once against the table.
    pub fn find<'a>(method: &str, path: &'a str) -> Result<Found<'a>, Miss> {
        let mut allow: Vec<&str> = Vec::new();
        for &route in Route::ALL {
            if let Some(params) = match_path(route.pattern(), path) {
                if route.method().eq_ignore_ascii_case(method) {
                    return Ok(Found { route, params });
                }
                if !allow.contains(&route.method()) {
                    allow.push(route.method());
                }
            }
        }
        if allow.is_empty() {
            return Err(Miss::NotFound);
        }
        if path.starts_with("/v1/") {
            allow.push("OPTIONS");
        }
        Err(Miss::MethodNotAllowed {
            allow: allow.join(", "),
        })
    }

    /// The path of this route for concrete segment values, e.g. `("shop", "…id…")`.
    pub fn path(self, params: &[&str]) -> String {
        let mut values = params.iter();
        self.pattern()
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    values.next().copied().unwrap_or_default()
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The values of the `{…}` segments when `path` matches `pattern`.
pub fn match_path<'a>(pattern: &str, path: &'a str) -> Option<Vec<&'a str>> {
    let mut want = pattern.trim_matches('/').split('/');
    let mut have = path.trim_matches('/').split('/');
    let mut params = Vec::new();
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(h)) if w.starts_with('{') && !h.is_empty() => params.push(h),
            (Some(w), Some(h)) if w == h => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_and_pattern_is_one_route() {
        for (i, a) in Route::ALL.iter().enumerate() {
            for b in &Route::ALL[i + 1..] {
                assert!(
                    (a.method(), a.pattern()) != (b.method(), b.pattern()),
                    "{a:?} and {b:?} share a row"
                );
            }
        }
    }

    #[test]
    fn every_route_finds_itself() {
        for &r in Route::ALL {
            let path = r.path(&["shop", "0b6e1e32-3c3a-4d6e-8f5a-1c2d3e4f5a6b"]);
            let found = Route::find(r.method(), &path).expect("found");
            assert_eq!(found.route, r, "{path}");
            if r.pattern().contains("{site}") {
                assert_eq!(found.site(), Some("shop"));
            }
        }
    }

    #[test]
    fn misses_say_why() {
        let check = |method: &str, path: &str, want: Result<Route, Miss>| {
            assert_eq!(
                Route::find(method, path).map(|f| f.route),
                want,
                "{method} {path}"
            );
        };
        check("GET", "/v1/sites/shop/summary", Ok(Route::Summary));
        check("get", "/v1/sites/shop/summary/", Ok(Route::Summary));
        check("GET", "/v1/sites/shop/nothing", Err(Miss::NotFound));
        check("GET", "/v1/sites//summary", Err(Miss::NotFound));
        check(
            "PUT",
            "/v1/sites/shop/responses",
            Err(Miss::MethodNotAllowed {
                allow: "POST, GET, OPTIONS".into(),
            }),
        );
        check(
            "DELETE",
            "/v1/sites",
            Err(Miss::MethodNotAllowed {
                allow: "POST, OPTIONS".into(),
            }),
        );
        check(
            "POST",
            "/health",
            Err(Miss::MethodNotAllowed {
                allow: "GET".into(),
            }),
        );
        assert!(match_path("/v1/sites/{site}", "/v1/sites/shop/summary").is_none());
    }
}
