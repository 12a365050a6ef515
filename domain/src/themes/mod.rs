//! Themes: words and two-word phrases over-represented in negative comments.
//!
//! Per comment, [`comment_terms`] gives the set of candidate terms: every kept word
//! ([`tokenize`]) and every two-word phrase of words that stood next to each other in the text,
//! separated by whitespace only. A phrase never spans a removed word, punctuation or a link, so
//! it is always something a customer wrote: "late delivery!" gives `late delivery`, while "the
//! delivery was late" gives no `delivery late` (the stop word `was` stood between). CJK terms
//! are character bigrams already and form no phrases.
//!
//! A term's evidence is a 2×2 table of comments (negative / other × with / without the term),
//! tested with a one-sided Fisher exact test ([`crate::stats::fisher_greater`]); candidates
//! (≥ [`THEME_MIN_NEGATIVE`] negative comments) get Benjamini–Hochberg q-values over all
//! candidates, and those with q < [`THEME_MAX_Q`] are themes, best p first.
//!
//! # Rollups
//!
//! The edge keeps, in the ingest transaction, one row per (day, term) with the number of
//! negative and other comments containing the term, and per day the number of negative and
//! other comments (responses with a comment; "other" = not negative). A period's themes read
//! those rows summed over its days ([`TermCounts`], merged by plain addition, so shards and days
//! combine in any order), so the cost follows the vocabulary, not the number of responses.
//! Erasing a comment subtracts its `comment_terms` again — deterministic for a given
//! [`THEMES_VERSION`], which the edge should store with its rows and rebuild on change.
//!
//! All terms of a day are kept, with no cap on distinct terms: BH must see every candidate, and
//! a per-day cap cannot know which terms reach [`THEME_MIN_NEGATIVE`] over a period. The growth
//! is bounded by [`MAX_TERMS_PER_COMMENT`] per comment and, in practice, by the vocabulary
//! (Zipf: new distinct terms per comment fall fast); a reader may filter `SUM(negative) >= 3`
//! in SQL, which drops only non-candidates. Retention deletes old days' rows.

mod stopwords;
mod tokenize;

pub use tokenize::{is_stop_word, tokenize};

use crate::limits::{MAX_TERMS_PER_COMMENT, MAX_THEMES, THEME_MAX_Q, THEME_MIN_NEGATIVE};
use crate::stats::{benjamini_hochberg, fisher_greater};
use crate::wire::Theme;
use std::collections::{BTreeMap, BTreeSet};
use tokenize::Piece;

/// Version of the tokenisation rules; stored with term rollups so a change can rebuild them.
pub const THEMES_VERSION: u32 = 1;

/// The candidate terms of one comment, each once: words and adjacent two-word phrases, the
/// first [`MAX_TERMS_PER_COMMENT`] distinct ones in text order.
pub fn comment_terms(text: &str, locale: Option<&str>) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    let mut prev: Option<String> = None;
    for piece in tokenize::pieces(text, locale) {
        let Piece::Word(word) = piece else {
            prev = None;
            continue;
        };
        for term in [Some(word.clone()), prev.map(|p| p + " " + &word)]
            .into_iter()
            .flatten()
        {
            if terms.len() == MAX_TERMS_PER_COMMENT {
                return terms;
            }
            terms.insert(term);
        }
        prev = Some(word);
    }
    terms
}

/// Comments containing one term, by group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCount {
    pub negative: u64,
    pub other: u64,
}

/// Term counts and comment totals over some days (and shards): the input of [`themes`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCounts {
    pub terms: BTreeMap<String, TermCount>,
    /// Negative and other comments counted (with or without any term).
    pub negative_comments: u64,
    pub other_comments: u64,
}

impl TermCounts {
    /// Counts one comment's terms (from [`comment_terms`]).
    pub fn add_comment(&mut self, terms: &BTreeSet<String>, negative: bool) {
        for term in terms {
            self.add_row(term, u64::from(negative), u64::from(!negative));
        }
        self.add_totals(u64::from(negative), u64::from(!negative));
    }

    /// Adds one rollup row.
    pub fn add_row(&mut self, term: &str, negative: u64, other: u64) {
        let c = self.terms.entry(term.to_string()).or_default();
        c.negative += negative;
        c.other += other;
    }

    /// Adds one day's comment totals.
    pub fn add_totals(&mut self, negative: u64, other: u64) {
        self.negative_comments += negative;
        self.other_comments += other;
    }

    /// Plain addition: associative and commutative, like every rollup.
    pub fn merge(&mut self, other: &TermCounts) {
        for (term, c) in &other.terms {
            self.add_row(term, c.negative, c.other);
        }
        self.add_totals(other.negative_comments, other.other_comments);
    }

    pub fn themes(&self) -> Vec<Theme> {
        let rows: Vec<(String, u64, u64)> = self
            .terms
            .iter()
            .map(|(t, c)| (t.clone(), c.negative, c.other))
            .collect();
        themes(&rows, self.negative_comments, self.other_comments)
    }
}

/// A candidate with its test result.
struct Scored<'a> {
    term: &'a str,
    negative: u64,
    other: u64,
    p: f64,
}

/// Themes from `(term, negative comments with it, other comments with it)` rows and the
/// comment totals. Repeated terms are added up; counts above the totals are clamped to them.
pub fn themes(term_counts: &[(String, u64, u64)], neg_total: u64, other_total: u64) -> Vec<Theme> {
    let mut merged: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (term, neg, other) in term_counts {
        let e = merged.entry(term.as_str()).or_default();
        e.0 += neg;
        e.1 += other;
    }
    let candidates: Vec<Scored> = merged
        .into_iter()
        .map(|(term, (neg, other))| (term, neg.min(neg_total), other.min(other_total)))
        .filter(|&(_, neg, _)| neg >= THEME_MIN_NEGATIVE)
        .map(|(term, a, c)| Scored {
            term,
            negative: a,
            other: c,
            p: fisher_greater(a, neg_total - a, c, other_total - c),
        })
        .collect();
    let q = benjamini_hochberg(&candidates.iter().map(|s| s.p).collect::<Vec<_>>());
    let mut kept: Vec<(Scored, f64)> = candidates
        .into_iter()
        .zip(q)
        .filter(|(_, q)| *q < THEME_MAX_Q)
        .collect();
    kept.sort_by(|(x, _), (y, _)| {
        x.p.total_cmp(&y.p)
            .then(y.negative.cmp(&x.negative))
            .then(x.term.cmp(y.term))
    });
    kept.into_iter()
        .take(MAX_THEMES)
        .map(|(s, q)| Theme {
            term: s.term.to_string(),
            negative: s.negative,
            other: s.other,
            q_value: significant3(q),
        })
        .collect()
}

/// Rounds to three significant digits, so tiny q-values stay readable instead of becoming 0.
fn significant3(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x;
    }
    let exp = x.log10().floor() as i32;
    if exp < -20 {
        return x; // 10^(2−exp) would no longer be exact
    }
    let scale = 10f64.powi(2 - exp);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_lists_are_sorted_lowercase_and_normalised() {
        for list in stopwords::ALL {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.first());
            for w in list.iter() {
                assert_eq!(w.to_lowercase(), *w);
                assert!(
                    !w.contains(['ё', 'ي', 'ك']) || stopwords::AR.contains(w),
                    "{w}"
                );
            }
        }
        for w in stopwords::ZH.iter().chain(stopwords::JA) {
            assert!(
                w.chars().count() <= 2,
                "{w}: longer CJK entries would never match"
            );
        }
    }

    #[test]
    fn content_words_of_one_language_are_not_stop_words_of_another() {
        for w in ["car", "fast", "plus", "delivery", "app", "gift"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn tokenisation_table() {
        let check = |text: &str, locale: &str, want: &[&str]| {
            assert_eq!(tokenize(text, Some(locale)), want, "{locale}: {text}");
        };
        check(
            "Late delivery, again! The parcel's box was broken.",
            "en",
            &["late", "delivery", "parcel", "box", "broken"],
        );
        // ё folds to е.
        check(
            "Доставка опоздала, ёлка сломана",
            "ru",
            &["доставка", "опоздала", "елка", "сломана"],
        );
        check("Доставката закъсня", "bg", &["доставката", "закъсня"]);
        // The zero-width non-joiner stays inside the Persian word.
        check(
            "ارسال دیر رسید و می\u{200c}خواهم پول را پس بگیرم",
            "fa",
            &["ارسال", "دیر", "رسید", "می\u{200c}خواهم", "پول", "بگیرم"],
        );
        // Tashkeel is removed.
        check("التوصيلُ متأخرٌ جداً", "ar", &["التوصيل", "متأخر"]);
        check(
            "Die Lieferung kam zu spät",
            "de",
            &["lieferung", "kam", "spät"],
        );
        // Character bigrams, split at particles.
        check("配送が遅れました", "ja", &["配送", "遅れ", "れま", "まし"]);
        check("快递太慢了", "zh", &["快递", "递太", "太慢"]);
        // Links, addresses and numbers are dropped.
        check(
            "see https://x.example/a and mail me@x.example 12345",
            "en",
            &["see", "mail"],
        );
    }

    #[test]
    fn a_small_corpus_by_hand() {
        // Four negative comments say "late delivery", four others "great": each of `late`,
        // `delivery`, `late delivery` is in 4/4 negative and 0/4 other comments, so
        // p = C(4,4)·C(4,0)/C(8,4) = 1/70, and BH over the three tied candidates keeps q = 1/70.
        let mut counts = TermCounts::default();
        for _ in 0..4 {
            counts.add_comment(&comment_terms("Late delivery", Some("en")), true);
            counts.add_comment(&comment_terms("Great", Some("en")), false);
        }
        let got = counts.themes();
        let terms: Vec<&str> = got.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["delivery", "late", "late delivery"]);
        for t in &got {
            assert_eq!((t.negative, t.other, t.q_value), (4, 0, 0.0143), "{t:?}");
        }
        // Merged halves (two shards) give the same themes.
        let (mut a, mut b) = (TermCounts::default(), TermCounts::default());
        for i in 0..4 {
            let half = if i % 2 == 0 { &mut a } else { &mut b };
            half.add_comment(&comment_terms("Late delivery", Some("en")), true);
            half.add_comment(&comment_terms("Great", Some("en")), false);
        }
        a.merge(&b);
        assert_eq!(a.themes(), got);
        // Two negative comments make no candidate.
        let mut few = TermCounts::default();
        for _ in 0..2 {
            few.add_comment(&comment_terms("Late delivery", Some("en")), true);
        }
        assert!(few.themes().is_empty());
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(significant3(0.012_345), 0.0123);
        assert_eq!(significant3(1.0), 1.0);
        assert_eq!(significant3(3.456_7e-9), 3.46e-9);
        assert_eq!(significant3(0.0), 0.0);
    }
}
