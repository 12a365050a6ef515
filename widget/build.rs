//! What the wasm embeds, without the bytes nothing needs: the stylesheet `src/style.css` without
//! its comments and spare whitespace (so the comments that explain it cost the widget nothing),
//! and the built-in English strings `i18n/en.json` without the whitespace between its tokens.

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    println!("cargo::rerun-if-changed=i18n/en.json");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css");
    std::fs::write(out.join("style.css"), minify(&css)).expect("write the minified stylesheet");
    let en = std::fs::read_to_string("i18n/en.json").expect("i18n/en.json");
    std::fs::write(out.join("en.json"), squeeze_json(&en)).expect("write the English strings");
}

/// JSON without whitespace outside its strings (strings, escapes included, kept as they are).
fn squeeze_json(json: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::with_capacity(json.len()), false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if !c.is_whitespace() {
            out.push(c);
            in_string = c == '"';
        }
    }
    out
}

/// Drops `/* … */` comments, turns each run of whitespace into one space and drops it next to
/// `{ } ; ,` and after `:` (never elsewhere: a space before `:is(…)` or around `-` in `calc()`
/// means something).
/// Quoted strings are kept as they are.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            _ => {
                let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
                let after = |c: char| tight(c) || c == ':';
                if space && !out.is_empty() && !tight(c) && !out.ends_with(after) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                if c == '"' || c == '\'' {
                    for q in chars.by_ref() {
                        out.push(q);
                        if q == c {
                            break;
                        }
                    }
                }
            }
        }
    }
    out
}
