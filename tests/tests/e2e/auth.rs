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
        Route::PatchSite
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

/// Every reply, so that the leak check can look at all of them.
struct Client<'a> {
    w: &'a LocalWorker,
    seen: Vec<(String, Reply)>,
}

impl Client<'_> {
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
}

#[test]
fn every_protected_route_refuses_every_wrong_credential() {
    // The served table says the same as this test's rows.
    for &route in Route::ALL {
        assert_eq!(route.access(), expected_access(route), "{route:?}");
    }

    let dir = harness::fresh_dir("auth");
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
    let mut c = Client {
        w: &w,
        seen: Vec::new(),
    };
    // Rotate once: `first` is now a retired token.
    let r = c.call(
        "POST",
        "/v1/sites/{site}/token",
        &[("authorization", &format!("Bearer {first}"))],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let owner = r.json()["owner_token"].as_str().unwrap().to_string();
    let issued_by_rotation = c.seen.len();
    let admin = w.admin_token.clone();
    let s = summary(&w, "shop", &owner, "").json();
    let range = format!(
        "?from={}&to={}",
        s["from"].as_str().unwrap(),
        s["to"].as_str().unwrap()
    );
    let before = (
        summary(&w, "shop", &owner, &range).body,
        owner_get(&w, "/v1/sites/shop/responses", &owner).body,
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, pattern, access) in Route::ALL
        .iter()
        .map(|&r| (r.method(), r.pattern(), expected_access(r)))
        .filter(|(_, _, a)| !matches!(a, Access::Anyone | Access::AllowedOrigin))
    {
        let right = if access == Access::Admin {
            admin.clone()
        } else {
            owner.clone()
        };
        let wrong_role = match access {
            Access::Admin => Some(owner.clone()),
            Access::Owner => Some(admin.clone()),
            _ => None,
        };
        let mut cases: Vec<(String, Vec<(String, String)>)> = vec![
            ("no token".into(), vec![]),
            (
                "empty bearer".into(),
                vec![("authorization".into(), "Bearer".into())],
            ),
            (
                "blank bearer".into(),
                vec![("authorization".into(), "Bearer    ".into())],
            ),
            (
                "Basic scheme".into(),
                vec![("authorization".into(), format!("Basic {right}"))],
            ),
            (
                "Token scheme".into(),
                vec![("authorization".into(), format!("Token {right}"))],
            ),
            (
                "no scheme".into(),
                vec![("authorization".into(), right.clone())],
            ),
            (
                "tab after the scheme".into(),
                vec![("authorization".into(), format!("Bearer\t{right}"))],
            ),
            (
                "token with a suffix".into(),
                vec![("authorization".into(), format!("Bearer {right}x"))],
            ),
            (
                "truncated token".into(),
                vec![(
                    "authorization".into(),
                    format!("Bearer {}", &right[..right.len() - 1]),
                )],
            ),
            (
                "uppercased token".into(),
                vec![(
                    "authorization".into(),
                    format!("Bearer {}", right.to_uppercase()),
                )],
            ),
            (
                "the token's hash".into(),
                vec![(
                    "authorization".into(),
                    format!("Bearer {}", sha256_hex(&right)),
                )],
            ),
            (
                "a list of tokens".into(),
                vec![(
                    "authorization".into(),
                    format!("Bearer eso_wrong, Bearer {right}"),
                )],
            ),
            (
                "other site's token".into(),
                vec![("authorization".into(), format!("Bearer {other}"))],
            ),
            (
                "rotated token".into(),
                vec![("authorization".into(), format!("Bearer {first}"))],
            ),
            (
                "spoofed internal headers".into(),
                vec![
                    ("x-earshot-admin".into(), "1".into()),
                    ("x-earshot-token-hash".into(), sha256_hex(&right)),
                    ("x-earshot-site".into(), "shop".into()),
                ],
            ),
            (
                "spoofed internal headers and a wrong token".into(),
                vec![
                    ("authorization".into(), "Bearer eso_wrong".into()),
                    ("x-earshot-admin".into(), "1".into()),
                    ("x-earshot-token-hash".into(), sha256_hex(&right)),
                ],
            ),
        ];
        if let Some(t) = wrong_role {
            cases.push((
                "wrong role".into(),
                vec![("authorization".into(), format!("Bearer {t}"))],
            ));
        }
        for (name, headers) in cases {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let r = c.call(method, pattern, &headers);
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
    assert!(checked >= 90, "{checked}");

    // Nothing changed: no site created, no settings changed, nothing erased, token not rotated.
    assert_eq!(get_status(&w, "/v1/sites/evil/config"), 404);
    assert_eq!(summary(&w, "shop", &owner, &range).body, before.0);
    assert_eq!(
        owner_get(&w, "/v1/sites/shop/responses", &owner).body,
        before.1
    );
    assert_eq!(before.1.lines().count(), 3);
    expect_error(
        &ingest(
            &w,
            "shop",
            Some("https://evil.example"),
            "text/plain",
            &answer(&uuid(9), "csat", 5, None),
        ),
        403,
        "origin_not_allowed",
        None,
    );

    // The right credential works on every route (so the 401s above were about the credential).
    let bearer = |t: &str| format!("Bearer {t}");
    let ok = |r: &Reply, want: u16| assert_eq!(r.status, want, "{}", r.body);
    ok(
        &c.call(
            "GET",
            "/v1/sites/{site}/summary",
            &[("authorization", &bearer(&owner))],
        ),
        200,
    );
    ok(
        &c.call(
            "GET",
            "/v1/sites/{site}/responses",
            &[("authorization", &bearer(&owner))],
        ),
        200,
    );
    let patched = c.call(
        "PATCH",
        "/v1/sites/{site}",
        &[("authorization", &bearer(&owner))],
    );
    ok(&patched, 200);
    assert_eq!(
        patched.json()["allowed_origins"],
        json!(["https://evil.example"])
    );
    ok(
        &c.call(
            "DELETE",
            "/v1/sites/{site}/responses/{id}",
            &[("authorization", &bearer(&owner))],
        ),
        200,
    );
    ok(
        &c.call(
            "POST",
            "/v1/sites/{site}/import",
            &[("authorization", &bearer(&owner))],
        ),
        200,
    );
    let issued_before_create = c.seen.len();
    let created = c.call("POST", "/v1/sites", &[("authorization", &bearer(&admin))]);
    ok(&created, 201);
    let evil = created.json()["owner_token"].as_str().unwrap().to_string();
    // Rotation by the owner, then by the admin: each retires the token before it.
    let by_owner = c.call(
        "POST",
        "/v1/sites/{site}/token",
        &[("authorization", &bearer(&owner))],
    );
    ok(&by_owner, 200);
    let second = by_owner.json()["owner_token"].as_str().unwrap().to_string();
    let by_admin = c.call(
        "POST",
        "/v1/sites/{site}/token",
        &[("authorization", &bearer(&admin))],
    );
    ok(&by_admin, 200);
    let third = by_admin.json()["owner_token"].as_str().unwrap().to_string();
    for retired in [&first, &owner, &second] {
        expect_error(&summary(&w, "shop", retired, ""), 401, "unauthorized", None);
    }
    ok(&summary(&w, "shop", &third, ""), 200);
    ok(&summary(&w, "other", &other, ""), 200);

    // Tokens never come back after they were issued, in any body or header; hashes never.
    let tokens = [&first, &owner, &second, &third, &other, &admin, &evil];
    let issued: Vec<(usize, &String)> = vec![
        (issued_by_rotation - 1, &owner),
        (issued_before_create, &evil),
        (c.seen.len() - 2, &second),
        (c.seen.len() - 1, &third),
    ];
    for (i, (what, r)) in c.seen.iter().enumerate() {
        let text = format!("{} {:?}", r.body, r.headers);
        for t in tokens {
            let allowed = issued.iter().any(|(at, tok)| *at == i && *tok == t);
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
        let r = owner_get(&w, path, &third);
        for t in tokens {
            assert!(
                !r.body.contains(t.as_str()) && !r.body.contains(&sha256_hex(t)),
                "{path} leaks a token"
            );
        }
    }
    drop(c);
    drop(w);
    let log = std::fs::read_to_string(dir.join("wrangler.log")).expect("wrangler.log");
    assert!(
        log.contains("/v1/sites/shop/summary"),
        "the log has the requests"
    );
    for t in tokens {
        assert!(!log.contains(t.as_str()), "the worker's log holds a token");
        assert!(
            !log.contains(&sha256_hex(t)),
            "the worker's log holds a token hash"
        );
    }
}

fn get_status(w: &LocalWorker, path: &str) -> u16 {
    harness::http::get(&w.url(path), &[]).status
}
