//! How numbers look on the dashboard. The server already rounds (shares and NPS to 0.1, means
//! to 0.01), so the page shows exactly those digits: what the owner reads is what the JSON says.

/// Shown where a metric has no answers.
pub const NONE: &str = "—";

/// A share or NPS with one decimal (`82.4`, `-12.5`).
pub fn one_decimal(x: Option<f64>) -> String {
    x.map_or_else(|| NONE.to_string(), |v| format!("{v:.1}"))
}

/// A mean with two decimals (`5.60`).
pub fn two_decimals(x: Option<f64>) -> String {
    x.map_or_else(|| NONE.to_string(), |v| format!("{v:.2}"))
}

/// A change with its sign and `decimals` digits: `+4.5`, `-0.25`, `0.0`.
pub fn signed(x: f64, decimals: usize) -> String {
    if x > 0.0 {
        format!("+{x:.decimals$}")
    } else {
        format!("{x:.decimals$}")
    }
}

/// A 95% interval as its two ends, each with `decimals` digits.
pub fn interval(ci: Option<[f64; 2]>, decimals: usize) -> Option<(String, String)> {
    ci.map(|[lo, hi]| (format!("{lo:.decimals$}"), format!("{hi:.decimals$}")))
}

/// `12 answers`, `1 answer`.
pub fn answers(n: u64) -> String {
    if n == 1 {
        "1 answer".to_string()
    } else {
        format!("{n} answers")
    }
}

/// The day of an RFC 3339 timestamp and its time to the minute: `2026-11-25 22:42 UTC`.
pub fn timestamp(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn numbers_keep_the_servers_digits() {
        assert_eq!(one_decimal(Some(82.4)), "82.4");
        assert_eq!(one_decimal(Some(100.0)), "100.0");
        assert_eq!(one_decimal(Some(-12.5)), "-12.5");
        assert_eq!(one_decimal(None), NONE);
        assert_eq!(two_decimals(Some(5.6)), "5.60");
        assert_eq!(two_decimals(Some(4.25)), "4.25");
        assert_eq!(two_decimals(None), NONE);
        assert_eq!(signed(4.5, 1), "+4.5");
        assert_eq!(signed(-0.25, 2), "-0.25");
        assert_eq!(signed(0.0, 1), "0.0");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn intervals_and_counts() {
        assert_eq!(
            interval(Some([78.9, 85.5]), 1),
            Some(("78.9".into(), "85.5".into()))
        );
        assert_eq!(
            interval(Some([-100.0, -40.0]), 1),
            Some(("-100.0".into(), "-40.0".into()))
        );
        assert_eq!(
            interval(Some([4.1, 5.0]), 2),
            Some(("4.10".into(), "5.00".into()))
        );
        assert_eq!(interval(None, 1), None);
        assert_eq!(answers(1), "1 answer");
        assert_eq!(answers(0), "0 answers");
        assert_eq!(
            timestamp("2026-11-25T22:42:33.120Z"),
            "2026-11-25 22:42 UTC"
        );
        assert_eq!(timestamp("odd"), "odd");
    }
}
