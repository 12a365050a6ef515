//! The words of the prompt, per language. Strings are data: one JSON file per language in
//! `widget/i18n/`. English is built in; the loader fetches the page language's file (in
//! parallel with the module) and [`Texts::read`] lays it over English, so a missing file or key
//! falls back to English instead of leaving a hole. Right-to-left languages also mirror the
//! layout and the scale.

use crate::js;
use domain::Kind;
use wasm_bindgen::prelude::*;

/// The built-in language, also the fallback for every missing key (`i18n/en.json`, its spaces
/// between tokens taken out by `build.rs`).
pub const ENGLISH_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/en.json"));

/// Declares the strings once: the list of keys and an accessor for each line.
macro_rules! texts {
    (kinds: $($kind:ident),*; lines: $($line:ident),*;) => {
        /// Every key a language file has: the kinds' first, in [`Kind::ALL`]'s order (a test
        /// checks), then the lines.
        pub const KEYS: &[&str] = &[$(stringify!($kind),)* $(stringify!($line),)*];

        /// A line's place in [`Texts`].
        #[allow(non_camel_case_types)]
        enum Line {
            $($line,)*
        }

        const LINES: usize = [$(Line::$line,)*].len();

        impl Texts {
            $(pub fn $line(&self) -> &'static str {
                self.lines[Line::$line as usize]
            })*
        }
    };
}

/// Question, low anchor and high anchor of one kind.
pub type KindTexts = [&'static str; 3];

/// The strings of one language. Arrays, read in one loop over [`KEYS`]: a field per string
/// would make [`Texts::read`] one copy of the reading code per string (1.6 KB of wasm).
pub struct Texts {
    kinds: [KindTexts; Kind::COUNT],
    lines: [&'static str; LINES],
}

texts! {
    kinds: csat, nps, ces, stars, thumbs;
    lines: follow_up_negative, follow_up_positive, send, sending, close, thanks, queued,
        // Not sent, and this browser would not keep it (storage off or full).
        unsaved, rejected, dialog,
        // Accessible name of a point: `{n}` and `{max}` are filled in.
        point,
        // The opt-in after a negative score, and the contact field it reveals.
        contact_offer, contact_label,
        // The question of a follow-up, asked once the owner resolved an earlier answer's case.
        followed_up;
}

impl Texts {
    /// The strings in `lang` (a language file as parsed by the browser), any missing or
    /// malformed key taken from `base`. Read once per page, so they are kept for good.
    pub fn read(lang: &JsValue, base: &Texts) -> Texts {
        let mut t = Texts {
            kinds: base.kinds,
            lines: base.lines,
        };
        for (i, key) in KEYS.iter().enumerate() {
            let v = js::get(lang, key);
            match i.checked_sub(Kind::COUNT) {
                None => t.kinds[i] = triple(&v).unwrap_or(t.kinds[i]),
                Some(l) => t.lines[l] = v.as_string().map(leak).unwrap_or(t.lines[l]),
            }
        }
        t
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn triple(v: &JsValue) -> Option<KindTexts> {
    let a: &js_sys::Array = wasm_bindgen::JsCast::dyn_ref(v)?;
    let s = |i| a.get(i).as_string().map(leak);
    Some([s(0)?, s(1)?, s(2)?])
}

thread_local! {
    static ENGLISH: &'static Texts = Box::leak(Box::new(english_from_json()));
}

fn english_from_json() -> Texts {
    // Every string of the fallback must exist: a placeholder shows a broken file at once.
    const MISSING: Texts = Texts {
        kinds: [["?"; 3]; Kind::COUNT],
        lines: ["?"; LINES],
    };
    Texts::read(
        &js::parse(ENGLISH_JSON).unwrap_or(JsValue::UNDEFINED),
        &MISSING,
    )
}

/// The built-in English strings.
pub fn english() -> &'static Texts {
    ENGLISH.with(|t| *t)
}

/// The strings of a language file (as parsed by the browser) over English.
pub fn from_js(lang: &JsValue) -> &'static Texts {
    if lang.is_object() {
        over(lang, english())
    } else {
        english()
    }
}

/// `overrides` (some keys of a language file: a site's own words) over `base`.
pub fn over(overrides: &JsValue, base: &'static Texts) -> &'static Texts {
    Box::leak(Box::new(Texts::read(overrides, base)))
}

fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Right-to-left scripts: the layout and the scale are mirrored.
pub fn is_rtl(tag: &str) -> bool {
    matches!(
        primary(tag).as_str(),
        "ar" | "fa" | "he" | "ur" | "ps" | "yi"
    )
}

/// `n` in decimal, without bringing the formatting machinery into the wasm (one copy: not
/// generic over the integer types).
pub fn number(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| d as char).collect()
}

#[wasm_bindgen]
extern "C" {
    /// A JS number, to be written in a language's own digits.
    type LocalNumber;
    /// `Number.prototype.toLocaleString(lang)`: Intl decides the digits (a tag it cannot read
    /// throws, hence `catch`).
    #[wasm_bindgen(method, catch, js_name = toLocaleString)]
    fn to_locale_string(this: &LocalNumber, lang: &str) -> Result<String, JsValue>;

    /// `Intl.Locale`: a language tag as the browser's locale data reads it.
    #[wasm_bindgen(js_namespace = Intl, js_name = Locale)]
    type IntlLocale;
    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = Locale)]
    fn new(tag: &str) -> Result<IntlLocale, JsValue>;
    /// The tag with its likely script and region added (`fa` → `fa-Arab-IR`).
    #[wasm_bindgen(method)]
    fn maximize(this: &IntlLocale) -> IntlLocale;

    /// A JS regular expression, tested against a locale's tag.
    #[wasm_bindgen(js_name = RegExp)]
    type TagPattern;
    #[wasm_bindgen(constructor, js_class = RegExp)]
    fn new(source: &str) -> TagPattern;
    #[wasm_bindgen(method)]
    fn test(this: &TagPattern, locale: &IntlLocale) -> bool;
}

/// A maximized tag in Latin script that names no numbering system: the loader's test too (a
/// regex literal there; `the_scale_s_digits_follow_the_language` checks the two are one).
pub const LATIN_DIGITS: &str = "-Latn(?!.*-nu-)";

/// Whether `lang` is written in Latin script (its likely script, from the browser's locale
/// data) and names no numbering system (`-u-nu-…`): such a language writes numbers in ASCII
/// digits — every Latin-script locale in the ICU data browsers ship does by default (all 289:
/// `Intl` in Node, checked when this was written). Reading the tag costs no number-formatting
/// data, which is 10–20 ms of the renderer's main thread the first time a page formats a
/// number (the loader skips its warm-up by the same test).
pub fn latin_digits(lang: &str) -> bool {
    IntlLocale::new(lang).is_ok_and(|l| TagPattern::new(LATIN_DIGITS).test(&l.maximize()))
}

/// `n` in the digits `lang` writes numbers with (Persian ۰–۹ for `fa`), as the browser's `Intl`
/// has it; plain decimal for a Latin-script language ([`latin_digits`]) and where it cannot tell.
pub fn local_number(n: u8, lang: &str) -> String {
    if latin_digits(lang) {
        return number(n.into());
    }
    JsValue::from(n)
        .unchecked_into::<LocalNumber>()
        .to_locale_string(lang)
        .unwrap_or_else(|_| number(n.into()))
}

impl Texts {
    pub fn kind(&self, kind: Kind) -> KindTexts {
        self.kinds[kind.index()]
    }

    /// Accessible name of one scale point; the ends also say what they mean ("1 of 5, Very
    /// unsatisfied"), since the visible anchors are not read out separately.
    /// Numbers in `lang`'s digits.
    pub fn point_label(&self, kind: Kind, score: u8, lang: &str) -> String {
        let [_, low, high] = self.kind(kind);
        let scale = kind.scale();
        if kind == Kind::Thumbs {
            return if score == 1 { high } else { low }.into();
        }
        let label = fill(
            self.point(),
            &local_number(score, lang),
            &local_number(scale.max, lang),
        );
        match score {
            s if s == scale.min => [&label, ", ", low].concat(),
            s if s == scale.max => [&label, ", ", high].concat(),
            _ => label,
        }
    }
}

/// `template` with `{n}` and `{max}` filled in; any other brace stays as it is. By hand:
/// `str::replace` would bring a substring search into the wasm (0.3 KB) for two placeholders.
pub fn fill(template: &str, n: &str, max: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (value, len) = if rest.starts_with("{n}") {
            (n, 3)
        } else if rest.starts_with("{max}") {
            (max, 5)
        } else {
            ("{", 1)
        };
        out.push_str(value);
        rest = &rest[len..];
    }
    out + rest
}

/// What a scale button shows (numbers in `lang`'s digits).
pub fn point_face(kind: Kind, score: u8, lang: &str) -> String {
    match (kind, score) {
        (Kind::Thumbs, 1) => "👍".into(),
        (Kind::Thumbs, _) => "👎".into(),
        (Kind::Stars, _) => "★".into(),
        _ => local_number(score, lang),
    }
}
