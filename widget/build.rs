//! The stylesheet as the wasm embeds it: `src/style.css` without its comments and the
//! whitespace nothing needs, so the comments that explain it cost the widget no bytes.

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("style.css");
    std::fs::write(out, minify(&css)).expect("write the minified stylesheet");
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
