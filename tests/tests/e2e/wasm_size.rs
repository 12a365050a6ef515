//! What the widget's wasm must not carry (ARCHITECTURE.md, "Architecture invariants"): the
//! formatting machinery and sort routines cost kilobytes a customer downloads. Read from the
//! function names wasm-bindgen keeps before `wasm-opt` strips them, as `cargo xtask build` left it.

#[test]
fn the_widget_wasm_has_no_formatting_or_sorting() {
    let path = harness::repo_root().join("target/bindgen/earshot/earshot_bg.wasm");
    let wasm = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask build`)", path.display()));
    let names = String::from_utf8_lossy(&wasm);
    assert!(
        names.contains("]::api::outbox"),
        "the function names are there to check"
    );
    for forbidden in [
        "]::fmt::write",
        "::fmt::Formatter>::pad",
        "]::slice::sort::",
    ] {
        let hit = names
            .match_indices(forbidden)
            .next()
            .map(|(i, _)| &names[i.saturating_sub(120)..(i + 40).min(names.len())]);
        assert!(
            hit.is_none(),
            "`{forbidden}` is in the widget's wasm: …{}…",
            hit.unwrap_or_default()
        );
    }
}
