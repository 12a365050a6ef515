//! Themes: tokenisation tables per language, candidate terms, the Fisher test and BH q-values
//! worked by hand, and properties of the maths.

use domain::limits::MAX_TERMS_PER_COMMENT;
use domain::stats::{benjamini_hochberg, fisher_greater};
use domain::themes::{comment_terms, themes, tokenize, TermCounts};
use domain::wire::Theme;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn check(locale: Option<&str>, text: &str, expect: &[&str]) {
    assert_eq!(tokenize(text, locale), expect, "{locale:?}: {text}");
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}

#[test]
fn english_words_are_lowercased_without_stop_words_numbers_or_links() {
    let en = Some("en");
    check(
        en,
        "The delivery was LATE, and the courier didn't call!",
        &["delivery", "late", "courier", "call"],
    );
    check(
        en,
        "Order 12345 (see https://x.example/a?b=1 or www.shop.example) mail bob@example.com 24h",
        &["order", "see", "mail", "24h"],
    );
    check(en, "The driver's van ‘wasn’t’ there", &["driver", "van"]);
    check(en, "check-out", &["check"]);
    check(en, "a 1 22 x", &[]);
}

#[test]
fn russian_and_bulgarian() {
    check(
        Some("ru"),
        "Доставка ОЧЕНЬ медленная, курьер не позвонил. Ещё раз!",
        &["доставка", "медленная", "курьер", "позвонил", "раз"],
    );
    // ё is folded to е both in the text and the stop list: "всё" is "все", a stop word.
    check(Some("ru"), "Всё плохо", &["плохо"]);
    check(
        Some("bg"),
        "Доставката беше много бавна и куриерът не се обади",
        &["доставката", "бавна", "куриерът", "обади"],
    );
}

#[test]
fn persian_keeps_zwnj_words_whole_and_normalises_arabic_letters() {
    let want = ["می\u{200C}خواهم", "سفارش", "لغو"];
    check(Some("fa"), "می\u{200C}خواهم سفارش را لغو کنم", &want);
    // Typed on an Arabic keyboard: ي and ك become ی and ک for Persian, so "كنم" is a stop word.
    check(Some("fa-IR"), "مي\u{200C}خواهم سفارش را لغو كنم", &want);
    // A ZWNJ that joins nothing is dropped without splitting anything.
    check(Some("fa"), "\u{200C}سفارش\u{200C}", &["سفارش"]);
}

#[test]
fn arabic_diacritics_and_tatweel_are_removed() {
    let ar = Some("ar");
    check(ar, "التوصيلُ بطيءٌ جداً", &["التوصيل", "بطيء"]);
    check(ar, "بطـــيء", &["بطيء"]);
    // Arabic yeh stays Arabic outside Persian.
    check(ar, "شيء", &["شيء"]);
}

#[test]
fn hebrew_german_french_spanish_portuguese() {
    check(Some("he"), "המשלוח היה איטי מאוד", &["המשלוח", "איטי"]);
    check(Some("he"), "צה\"ל וצה״ל", &["צה\"ל", "וצה״ל"]);
    check(Some("he"), "שָׁלוֹם", &["שלום"]);
    check(
        Some("de"),
        "Die Lieferung war sehr langsam, Straße gesperrt",
        &["lieferung", "langsam", "straße", "gesperrt"],
    );
    check(
        Some("fr"),
        "L'attente était trop longue",
        &["attente", "longue"],
    );
    check(
        Some("es"),
        "El envío llegó tarde",
        &["envío", "llegó", "tarde"],
    );
    check(
        Some("pt-BR"),
        "A entrega não chegou",
        &["entrega", "chegou"],
    );
}

#[test]
fn chinese_runs_give_bigrams_split_at_function_characters() {
    // 很 splits the run: 配送 | 慢 (a lone Han character is kept); ， ends the run.
    check(
        Some("zh"),
        "配送很慢，客服态度不好",
        &["配送", "慢", "客服", "服态", "态度", "度不", "不好"],
    );
    // By script, whatever the locale: mixed text works.
    check(Some("en"), "iPhone 配送很慢", &["iphone", "配送", "慢"]);
    check(None, "我们的客服", &["客服"]);
}

#[test]
fn japanese_runs_split_at_particles_next_to_kanji_or_katakana() {
    check(Some("ja"), "配達が遅い。", &["配達", "遅い"]);
    check(
        Some("ja"),
        "カスタマーサポートの対応",
        &[
            "カス", "スタ", "タマ", "マー", "ーサ", "サポ", "ポー", "ート", "対応",
        ],
    );
    // か inside an all-hiragana word does not split it.
    check(Some("ja"), "かわいい", &["かわ", "わい", "いい"]);
    // です is a stop bigram.
    check(Some("ja"), "遅いです", &["遅い", "いで"]);
}

#[test]
fn phrases_are_adjacent_kept_words() {
    let terms = |t: &str| comment_terms(t, Some("en"));
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        terms("Late delivery again!!"),
        set(&["late", "delivery", "late delivery"])
    );
    // A stop word between two words makes no phrase; nor does punctuation.
    assert_eq!(terms("the delivery was late"), set(&["delivery", "late"]));
    assert_eq!(terms("late. Delivery"), set(&["late", "delivery"]));
    // Each term once per comment.
    assert_eq!(
        terms("late delivery, late delivery"),
        set(&["late", "delivery", "late delivery"])
    );
    // CJK bigrams make no phrases.
    assert_eq!(comment_terms("配送很慢", Some("zh")), set(&["配送", "慢"]));
}

#[test]
fn a_long_comment_keeps_its_first_distinct_terms() {
    let word = |i: usize| {
        format!(
            "q{}{}",
            (b'a' + (i / 26) as u8) as char,
            (b'a' + (i % 26) as u8) as char
        )
    };
    let text: String = (0..200).map(|i| word(i) + " ").collect();
    let terms = comment_terms(&text, None);
    assert_eq!(terms.len(), MAX_TERMS_PER_COMMENT);
    assert!(terms.contains("qaa") && terms.contains("qaa qab"));
    assert!(!terms.contains(&word(199)));
}

// Fisher by hand: N = a+b+c+d comments, K = a+c with the term, n = a+b negative;
// p = Σ_{k ≥ a} C(K,k)·C(N−K,n−k) / C(N,n).
#[test]
fn fisher_p_values_by_hand() {
    // a=5 b=1 c=0 d=6: N=12 K=5 n=6; only k=5: C(5,5)·C(7,1)/C(12,6) = 7/924.
    close(fisher_greater(5, 1, 0, 6), 7.0 / 924.0);
    // a=3 b=3 c=1 d=5: K=4: [C(4,3)C(8,3) + C(4,4)C(8,2)]/924 = (4·56 + 28)/924 = 252/924.
    close(fisher_greater(3, 3, 1, 5), 252.0 / 924.0);
    // a=3 b=3 c=3 d=3: K=6: [C(6,3)² + C(6,4)C(6,2) + C(6,5)C(6,1) + 1]/924 = 662/924.
    close(fisher_greater(3, 3, 3, 3), 662.0 / 924.0);
    // a=2 b=2 c=2 d=2: N=8 K=4 n=4: (36 + 16 + 1)/C(8,4) = 53/70.
    close(fisher_greater(2, 2, 2, 2), 53.0 / 70.0);
    // Nothing observed beyond what must be: p = 1.
    close(fisher_greater(0, 4, 3, 1), 1.0);
    close(fisher_greater(0, 0, 0, 0), 1.0);
}

#[test]
fn fisher_on_large_tables_matches_exact_rationals() {
    // Reference values: Python's exact integers (math.comb) and Fraction, then float.
    let check = |t: (u64, u64, u64, u64), want: f64| {
        let got = fisher_greater(t.0, t.1, t.2, t.3);
        assert!((got - want).abs() <= want * 1e-9, "{t:?}: {got} vs {want}");
    };
    check((60, 940, 40, 960), 0.025_380_064_935_374_192);
    check((40, 960, 60, 940), 0.984_634_394_495_985_1);
    check((30, 20, 100, 900), 1.537_485_937_407_844_4e-16);
    check((7, 3000, 2, 9000), 0.001_350_718_463_641_309_3);
    // Far below its expectation (500): the first upper-tail term underflows, p is still 1.
    check((100, 900, 900, 100), 1.0);
}

#[test]
fn benjamini_hochberg_by_hand() {
    // Sorted 0.01, 0.03, 0.04, 0.5 with m=4 scale to 0.04, 0.06, 0.0533…, 0.5; the step-up
    // minimum from the top gives 0.04, 0.0533…, 0.0533…, 0.5 (back in the given order).
    let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.5]);
    let want = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.5];
    for (g, w) in q.iter().zip(want) {
        close(*g, w);
    }
    assert_eq!(benjamini_hochberg(&[0.9, 0.8]), vec![0.9, 0.9]);
    assert!(benjamini_hochberg(&[]).is_empty());
}

#[test]
fn themes_of_a_small_corpus_by_hand() {
    // 6 negative and 6 other comments.
    let rows = [
        ("late delivery", 5, 0), // p = 7/924 = 0.0075758
        ("courier", 3, 1),       // p = 252/924 = 0.27273
        ("app", 3, 3),           // p = 662/924 = 0.71645
        ("price", 2, 2),         // 2 negative: not a candidate
    ]
    .map(|(t, n, o)| (t.to_string(), n, o));
    // m = 3 candidates: q(late delivery) = min(3·0.0075758, 3/2·0.27273, 0.71645) = 0.022727.
    assert_eq!(
        themes(&rows, 6, 6),
        vec![Theme {
            term: "late delivery".into(),
            negative: 5,
            other: 0,
            q_value: 0.0227,
        }]
    );
}

#[test]
fn themes_are_ranked_by_p_then_negatives_then_term_and_capped() {
    let mut rows: Vec<(String, u64, u64)> =
        (0..12).map(|i| (format!("term{i:02}"), 20, 0)).collect();
    rows.push(("strongest".into(), 30, 0));
    rows.push(("everywhere".into(), 40, 40));
    let got = themes(&rows, 40, 40);
    assert_eq!(got.len(), 10);
    assert_eq!(got[0].term, "strongest");
    let names: Vec<&str> = got[1..].iter().map(|t| t.term.as_str()).collect();
    assert_eq!(
        names,
        (0..9).map(|i| format!("term{i:02}")).collect::<Vec<_>>()
    );
    assert!(got.iter().all(|t| t.q_value < 0.05));
    assert!(themes(&[], 0, 0).is_empty());
}

#[test]
fn term_counts_from_comments_merge_by_addition() {
    let comments = [
        ("Late delivery again", true),
        ("late delivery, courier rude", true),
        ("Great, fast delivery", false),
    ];
    let mut all = TermCounts::default();
    let mut parts = [TermCounts::default(), TermCounts::default()];
    for (i, (text, neg)) in comments.iter().enumerate() {
        let terms = comment_terms(text, Some("en"));
        all.add_comment(&terms, *neg);
        parts[i % 2].add_comment(&terms, *neg);
    }
    let mut merged = parts[1].clone();
    merged.merge(&parts[0]);
    assert_eq!(merged, all);
    assert_eq!((all.negative_comments, all.other_comments), (2, 1));
    let delivery = all.terms["delivery"];
    assert_eq!((delivery.negative, delivery.other), (2, 1));
    assert_eq!(all.terms["late delivery"].negative, 2);
}

/// C(n, k) exactly, for small n.
fn choose(n: u64, k: u64) -> u128 {
    if k > n {
        return 0;
    }
    (0..k).fold(1u128, |acc, i| acc * (n - i) as u128 / (i + 1) as u128)
}

proptest! {
    #[test]
    fn tokenize_never_panics_and_terms_are_clean(text in "\\PC{0,200}", locale in proptest::option::of("[a-zA-Z-]{0,12}")) {
        let terms = comment_terms(&text, locale.as_deref());
        prop_assert!(terms.len() <= MAX_TERMS_PER_COMMENT);
        for t in tokenize(&text, locale.as_deref()) {
            prop_assert!(!t.is_empty() && !t.contains(char::is_whitespace));
            prop_assert!(!t.chars().all(char::is_numeric));
        }
    }

    #[test]
    fn fisher_matches_exact_arithmetic(a in 0u64..25, b in 0u64..25, c in 0u64..25, d in 0u64..25) {
        let (big_k, n, total) = (a + c, a + b, a + b + c + d);
        let num: u128 = (a..=big_k.min(n)).map(|k| choose(big_k, k) * choose(total - big_k, n - k)).sum();
        let want = num as f64 / choose(total, n) as f64;
        let got = fisher_greater(a, b, c, d);
        prop_assert!((0.0..=1.0).contains(&got));
        prop_assert!((got - want).abs() <= 1e-9 * want.max(1e-300) + 1e-15, "{} vs {}", got, want);
    }

    #[test]
    fn q_values_bound_p_and_keep_its_order(p in prop::collection::vec(0.0f64..=1.0, 0..60)) {
        let q = benjamini_hochberg(&p);
        for i in 0..p.len() {
            prop_assert!(q[i] >= p[i] && q[i] <= 1.0);
            for j in 0..p.len() {
                if p[i] <= p[j] {
                    prop_assert!(q[i] <= q[j]);
                }
            }
        }
    }

    #[test]
    fn themes_have_valid_q_and_counts(rows in prop::collection::vec(("[a-z]{1,6}", 0u64..50, 0u64..50), 0..40), neg in 0u64..60, other in 0u64..60) {
        for t in themes(&rows, neg, other) {
            // q < 0.05 before rounding to three digits, so at most 0.05 after.
            prop_assert!(t.q_value >= 0.0 && t.q_value <= 0.05);
            prop_assert!(t.negative >= 3 && t.negative <= neg && t.other <= other);
        }
    }
}
