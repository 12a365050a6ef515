//! Short names between a wasm module and its wasm-bindgen glue.
//!
//! wasm-bindgen names every import after the JS it calls plus a 16-digit hash
//! (`__wbg_setAttribute_2b6a…`), and the closures' exports after their Rust types: about 150
//! names that appear once in the wasm and once in the glue, whose hashes no compressor can
//! shrink. binaryen's `--minify-imports-and-exports-and-modules` renames them all to one or two
//! characters (one module, `a`) and prints the mapping; [`glue`] renames the glue's side to
//! match. Measured on the widget: 2.3 KB brotli less wasm, and less glue.

use crate::Result;
use serde_json::Value;

/// What binaryen renamed: `(module, old, new)` per import and `(old, new)` per export.
#[derive(Debug, Default, PartialEq)]
pub struct Renames {
    pub imports: Vec<(String, String, String)>,
    pub exports: Vec<(String, String)>,
}

/// Reads the mapping binaryen prints (a JSON object; with `--converge` it would print one per
/// round, so the pass runs on its own and exactly one is expected).
pub fn parse_mapping(printed: &str) -> Result<Renames> {
    let v: Value = serde_json::from_str(printed.trim())
        .map_err(|e| format!("binaryen's import/export mapping: {e}"))?;
    let strings = |row: &Value| -> Option<Vec<String>> {
        row.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let rows = |key: &str| -> Result<Vec<Vec<String>>> {
        v[key]
            .as_array()
            .ok_or_else(|| format!("binaryen's mapping has no `{key}`"))?
            .iter()
            .map(|r| strings(r).ok_or_else(|| format!("binaryen's mapping: bad row {r}")))
            .collect()
    };
    let mut renames = Renames::default();
    for r in rows("imports")? {
        let [module, old, new] = <[String; 3]>::try_from(r)
            .map_err(|r| format!("binaryen's mapping: bad import {r:?}"))?;
        renames.imports.push((module, old, new));
    }
    for r in rows("exports")? {
        let [old, new] = <[String; 2]>::try_from(r)
            .map_err(|r| format!("binaryen's mapping: bad export {r:?}"))?;
        renames.exports.push((old, new));
    }
    Ok(renames)
}

/// The glue (unminified wasm-bindgen output for `--target web`) with the renames applied: the
/// imports object's keys, its module key, and every `wasm.<export>`. Fails if an import is not
/// where it is expected: the glue's shape changed.
pub fn glue(text: &str, renames: &Renames, new_module: &str) -> Result<String> {
    let mut out = text.to_string();
    let mut modules: Vec<&str> = renames.imports.iter().map(|(m, _, _)| m.as_str()).collect();
    modules.dedup();
    for module in modules {
        let key = format!("\"{module}\":");
        if !out.contains(&key) {
            return Err(format!("glue: no imports object for module `{module}`"));
        }
        out = out.replace(&key, &format!("\"{new_module}\":"));
    }
    for (_, old, new) in &renames.imports {
        let (replaced, n) = replace_token(&out, &format!("{old}:"), &format!("{new}:"));
        if n != 1 {
            return Err(format!(
                "glue: import `{old}` found {n} times as a key, not once"
            ));
        }
        out = replaced;
    }
    for (old, new) in &renames.exports {
        out = replace_token(&out, &format!("wasm.{old}"), &format!("wasm.{new}")).0;
    }
    Ok(out)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// `text` with each `from` that stands alone (no identifier character right before or after)
/// replaced, and how many were.
fn replace_token(text: &str, from: &str, to: &str) -> (String, usize) {
    let (mut out, mut rest, mut n) = (String::with_capacity(text.len()), text, 0);
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back().or(out.chars().next_back());
        let after = rest[i + from.len()..].chars().next();
        let joined_after = from.ends_with(is_ident) && after.is_some_and(is_ident);
        let alone = !(before.is_some_and(is_ident) || joined_after);
        out.push_str(&rest[..i]);
        out.push_str(if alone { to } else { from });
        n += usize::from(alone);
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    (out, n)
}

/// The module names a wasm binary imports from, in order of first use.
pub fn import_modules(wasm: &[u8]) -> Result<Vec<String>> {
    let bad = || "wasm: cannot read the import section".to_string();
    let mut r = Reader { bytes: wasm, at: 8 };
    if wasm.get(..4) != Some(b"\0asm") {
        return Err("not a wasm binary".into());
    }
    while r.at < wasm.len() {
        let id = r.byte().ok_or_else(bad)?;
        let size = r.leb().ok_or_else(bad)? as usize;
        if id != 2 {
            r.at += size;
            continue;
        }
        let mut modules: Vec<String> = Vec::new();
        for _ in 0..r.leb().ok_or_else(bad)? {
            let module = r.name().ok_or_else(bad)?;
            r.name().ok_or_else(bad)?;
            r.import_desc().ok_or_else(bad)?;
            if !modules.contains(&module) {
                modules.push(module);
            }
        }
        return Ok(modules);
    }
    Ok(Vec::new())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn leb(&mut self) -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }

    fn name(&mut self) -> Option<String> {
        let len = self.leb()? as usize;
        let s = self.bytes.get(self.at..self.at + len)?;
        self.at += len;
        String::from_utf8(s.to_vec()).ok()
    }

    fn limits(&mut self) -> Option<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Some(())
    }

    /// Skips one import's description (function, table, memory, global or tag).
    fn import_desc(&mut self) -> Option<()> {
        match self.byte()? {
            0 => self.leb().map(drop),
            1 => {
                self.byte()?;
                self.limits()
            }
            2 => self.limits(),
            3 => {
                self.byte()?;
                self.byte().map(drop)
            }
            4 => {
                self.byte()?;
                self.leb().map(drop)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = r#"function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_get_0123456789abcdef: function(arg0, arg1) {
            return arg0[arg1];
        },
        __wbg_get_0123456789abcdef_1: function(arg0) { return arg0; },
    };
    return { __proto__: null, "./earshot_bg.js": import0 };
}
export function boot(a) { wasm.boot(a); wasm.__wbindgen_malloc(1); wasm.__wbindgen_malloc_x(2); }
"#;

    fn renames() -> Renames {
        parse_mapping(
            r#"{
 "imports": [
  ["./earshot_bg.js", "__wbg_get_0123456789abcdef", "a"],
  ["./earshot_bg.js", "__wbg_get_0123456789abcdef_1", "b"]
 ],
 "exports": [
  ["boot", "c"],
  ["__wbindgen_malloc", "d"],
  ["__wbindgen_malloc_x", "e"]
 ]
}"#,
        )
        .unwrap()
    }

    #[test]
    fn renames_keys_the_module_and_export_uses_but_not_the_glue_s_own_names() {
        let out = glue(GLUE, &renames(), "a").unwrap();
        assert!(out.contains("        a: function(arg0, arg1)"), "{out}");
        assert!(out.contains("        b: function(arg0)"), "{out}");
        assert!(out.contains(r#""a": import0"#), "{out}");
        // The glue's exported function keeps its name; the wasm export it calls is renamed,
        // and a name that merely starts like another is not cut.
        assert!(
            out.contains("export function boot(a) { wasm.c(a); wasm.d(1); wasm.e(2); }"),
            "{out}"
        );
    }

    #[test]
    fn a_glue_of_another_shape_is_refused() {
        let missing = GLUE.replace("__wbg_get_0123456789abcdef_1:", "x:");
        assert!(glue(&missing, &renames(), "a").is_err());
        let elsewhere = GLUE.replace("\"./earshot_bg.js\"", "\"./other.js\"");
        assert!(glue(&elsewhere, &renames(), "a").is_err());
        assert!(parse_mapping("{\"imports\": []}").is_err());
        assert!(parse_mapping("{\"imports\": [[\"m\", \"x\"]], \"exports\": []}").is_err());
    }

    #[test]
    fn reads_the_modules_of_an_import_section() {
        // Type section (one `() -> ()`), then imports: a function, a memory with a maximum, a
        // global, a table — from two modules.
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend([1, 4, 1, 0x60, 0, 0]);
        let mut imports = vec![4];
        for (module, field, desc) in [
            ("a", "f", vec![0u8, 0]),
            ("a", "m", vec![2, 1, 1, 2]),
            ("b", "g", vec![3, 0x7f, 0]),
            ("a", "t", vec![1, 0x70, 0, 1]),
        ] {
            for s in [module, field] {
                imports.push(s.len() as u8);
                imports.extend(s.as_bytes());
            }
            imports.extend(desc);
        }
        wasm.push(2);
        wasm.push(imports.len() as u8);
        wasm.extend(imports);
        assert_eq!(import_modules(&wasm).unwrap(), ["a", "b"]);
        assert!(import_modules(b"nope").is_err());
        assert!(import_modules(&wasm[..wasm.len() - 2]).is_err());
    }
}
