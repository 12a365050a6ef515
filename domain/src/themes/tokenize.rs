//! Comment text → terms, by an approximation of Unicode word boundaries (UAX #29) over `char`
//! classes, without tables beyond `std`'s.
//!
//! - A word is a run of letters, digits and combining marks; an apostrophe (`'`, `’`, `ʼ`),
//!   Hebrew geresh/gershayim (and `"` between Hebrew letters), ZWNJ and ZWJ join only between
//!   letters, so `don't`, `צה"ל` and Persian `می‌خواهم` stay one word (the ZWNJ is kept).
//! - Whitespace-separated chunks holding `://`, starting with `www.` or looking like an e-mail
//!   address are dropped whole: links and addresses are not themes (and may be personal).
//! - Words are lowercased (`to_lowercase`); Russian `ё` becomes `е`; Arabic tashkeel
//!   (U+064B–U+065F, U+0670), tatweel (U+0640) and Hebrew points are removed; for Persian
//!   (`fa` locale) Arabic yeh/kaf/alef maksura become Persian `ی`/`ک`. French elisions (`l'`,
//!   `d'`, `qu'`, …) and an English possessive `'s` are cut off.
//! - Words without a letter (numbers), shorter than 2 or longer than [`MAX_TERM_CHARS`]
//!   characters, and stop words of any widget language are dropped.
//! - Han, Hiragana and Katakana runs (by script, whatever the locale) are split at one-character
//!   stop words — a Han one always, a kana particle only next to Han or Katakana, so `かわいい`
//!   is not cut at `か` — and each piece gives its character bigrams; a lone Han character is
//!   kept as a unigram.

use super::stopwords;
use crate::limits::MAX_TERM_CHARS;

/// What the scanner produced: a kept term, or something that ends a two-word phrase (a removed
/// word, punctuation, a link, a CJK term).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Word(String),
    Break,
}

/// The terms of `text` in order (repeats kept), for `locale` (a BCP 47 tag, may be absent).
pub fn tokenize(text: &str, locale: Option<&str>) -> Vec<String> {
    pieces(text, locale)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Word(w) => Some(w),
            Piece::Break => None,
        })
        .collect()
}

/// Whether `word` (already lowercased and normalised) is a stop word of any widget language.
pub fn is_stop_word(word: &str) -> bool {
    stopwords::ALL
        .iter()
        .any(|list| list.binary_search(&word).is_ok())
}

pub(crate) fn pieces(text: &str, locale: Option<&str>) -> Vec<Piece> {
    let persian = locale
        .and_then(|l| l.split(['-', '_']).next())
        .is_some_and(|lang| lang.eq_ignore_ascii_case("fa"));
    let mut out = Vec::new();
    // Whitespace separates chunks without breaking a phrase; anything else inside one does.
    for chunk in text.split(char::is_whitespace).filter(|c| !c.is_empty()) {
        if is_link_or_address(chunk) {
            out.push(Piece::Break);
        } else {
            scan_chunk(chunk, persian, &mut out);
        }
    }
    out
}

fn is_link_or_address(chunk: &str) -> bool {
    let lower = chunk
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || lower
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

fn scan_chunk(chunk: &str, persian: bool, out: &mut Vec<Piece>) {
    let chars: Vec<char> = chunk
        .chars()
        .filter(|&c| !is_removed_mark(c))
        .map(|c| normalise(c, persian))
        .collect();
    let mut word = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            finish(&mut word, out, true);
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            cjk_run(&chars[start..i], out);
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        if is_word_char(c) {
            word.push(c);
        } else if is_mark(c) {
            if !word.is_empty() {
                word.push(c);
            }
        } else if joins(c, prev, next) && !word.is_empty() {
            word.push(c);
        } else if !matches!(c, '\u{200C}' | '\u{200D}') {
            finish(&mut word, out, true); // punctuation and symbols end the word and the phrase
        }
        i += 1;
    }
    finish(&mut word, out, false);
}

fn finish(word: &mut String, out: &mut Vec<Piece>, then_break: bool) {
    if !word.is_empty() {
        out.push(match term(word) {
            Some(t) => Piece::Word(t),
            None => Piece::Break,
        });
        word.clear();
    }
    if then_break && out.last() != Some(&Piece::Break) {
        out.push(Piece::Break);
    }
}

/// A scanned word as a term, or `None` when it is dropped.
fn term(raw: &str) -> Option<String> {
    let mut w = raw.to_lowercase().replace('ё', "е");
    if is_stop_word(&w) {
        return None;
    }
    const ELISIONS: [&str; 9] = ["qu'", "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'"];
    if let Some(rest) = ELISIONS.iter().find_map(|p| w.strip_prefix(p)) {
        w = rest.to_string();
    }
    if let Some(stem) = w.strip_suffix("'s") {
        w = stem.to_string();
    }
    let n = w.chars().count();
    let keep = w.chars().any(|c| c.is_alphabetic() && !c.is_numeric())
        && (2..=MAX_TERM_CHARS).contains(&n)
        && !is_stop_word(&w);
    keep.then_some(w)
}

/// Splits a Han/kana run at one-character stop words and emits each piece's bigrams.
fn cjk_run(run: &[char], out: &mut Vec<Piece>) {
    let mut start = 0;
    for i in 0..=run.len() {
        if i == run.len() || splits_run(run, i) {
            let seg = &run[start..i];
            if seg.len() == 1 && is_han(seg[0]) && !is_stop_word(&seg[0].to_string()) {
                out.push(Piece::Word(seg[0].to_string()));
                out.push(Piece::Break);
            }
            for pair in seg.windows(2) {
                let bigram: String = pair.iter().collect();
                if !is_stop_word(&bigram) {
                    out.push(Piece::Word(bigram));
                    out.push(Piece::Break);
                }
            }
            start = i + 1;
        }
    }
}

fn splits_run(run: &[char], i: usize) -> bool {
    let c = run[i];
    let stop = stopwords::ZH
        .iter()
        .chain(stopwords::JA)
        .any(|w| w.chars().eq(std::iter::once(c)));
    if !stop {
        return false;
    }
    if is_han(c) {
        return true;
    }
    let strong = |j: Option<usize>| j.and_then(|j| run.get(j)).is_some_and(|&n| !is_hiragana(n));
    strong(i.checked_sub(1)) || strong(Some(i + 1))
}

/// Letters and digits (CJK handled apart).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `c` joins the letters around it into one word.
fn joins(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let letter = |x: Option<char>| x.is_some_and(|x| x.is_alphabetic() && !is_cjk(x));
    let hebrew = |x: Option<char>| x.is_some_and(|x| ('\u{05D0}'..='\u{05EA}').contains(&x));
    match c {
        '\'' | '\u{05F3}' | '\u{05F4}' | '\u{200C}' | '\u{200D}' => letter(prev) && letter(next),
        '"' => hebrew(prev) && hebrew(next),
        _ => false,
    }
}

/// Marks removed without a trace: Arabic tashkeel and tatweel, Hebrew points.
fn is_removed_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'
        | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}'..='\u{05C2}'
        | '\u{05C4}'..='\u{05C5}' | '\u{05C7}')
}

/// Combining marks kept inside a word (std has no general category; these are the common
/// blocks — most other scripts' vowel signs are already `is_alphabetic`).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn normalise(c: char, persian: bool) -> char {
    match c {
        '\u{2019}' | '\u{02BC}' => '\'',
        'ي' | 'ى' if persian => 'ی',
        'ك' if persian => 'ک',
        _ => c,
    }
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3005}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

fn is_cjk(c: char) -> bool {
    is_han(c)
        || is_hiragana(c)
        // Katakana without ゠ (U+30A0) and the middle dot ・ (U+30FB), which separate words.
        || matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}
