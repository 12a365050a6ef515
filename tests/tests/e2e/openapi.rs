//! Every route the router serves is documented in `edge/openapi.yaml`.

use api::Route;

#[test]
fn every_route_is_in_the_openapi_document() {
    let doc = std::fs::read_to_string(harness::repo_root().join("edge/openapi.yaml"))
        .expect("edge/openapi.yaml");
    // Collect (method, path) pairs from the `paths:` section: path keys at two spaces, methods at four.
    let mut documented = Vec::new();
    let mut current: Option<String> = None;
    let mut in_paths = false;
    for line in doc.lines() {
        if line.starts_with("paths:") {
            in_paths = true;
            continue;
        }
        if in_paths && !line.starts_with(' ') && !line.trim().is_empty() {
            in_paths = false;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /").and_then(|p| p.strip_suffix(':')) {
            current = Some(format!("/{p}"));
        } else if let (Some(path), Some(m)) = (
            &current,
            line.strip_prefix("    ").and_then(|m| m.strip_suffix(':')),
        ) {
            if ["get", "post", "patch", "delete", "put", "options"].contains(&m) {
                documented.push((m.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(!documented.is_empty(), "no paths found in openapi.yaml");
    for route in Route::ALL {
        let (method, path) = (route.method(), route.pattern());
        assert!(
            documented.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is served but not in openapi.yaml"
        );
    }
    for (m, p) in &documented {
        if m != "OPTIONS" {
            assert!(
                Route::ALL
                    .iter()
                    .any(|r| r.method() == m && r.pattern() == p),
                "{m} {p} is documented but not served"
            );
        }
    }
}
