//! Every public route of API v1: the router matches against this table, and a test checks that
//! each entry is documented in `edge/openapi.yaml`. No dependencies, so tests can include it.

/// (method, path pattern); `{name}` matches one path segment.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("POST", "/v1/sites"),
    ("PATCH", "/v1/sites/{site}"),
    ("GET", "/v1/sites/{site}/config"),
    ("POST", "/v1/sites/{site}/responses"),
    ("GET", "/v1/sites/{site}/responses"),
    ("DELETE", "/v1/sites/{site}/responses/{id}"),
    ("GET", "/v1/sites/{site}/summary"),
    ("POST", "/v1/sites/{site}/token"),
    ("POST", "/v1/sites/{site}/import"),
];

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
