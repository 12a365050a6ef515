//! The rollups behind `themes` and `touchpoint.spike`, written in the answer's transaction and
//! undone by erasure and retention, so they always equal a recount of the stored answers:
//!
//! - `terms` (day × touchpoint × kind × term → negative / other comments containing the term,
//!   at most `MAX_TERMS_PER_COMMENT` terms a comment, from `domain::themes::comment_terms`) and
//!   `comment_totals` (day × touchpoint × kind → negative / other comments). The summary reads
//!   these summed over its days, never the comments.
//! - `hourly` (touchpoint × hour → answers, negative): the spike rule's two windows; rows older
//!   than the baseline are pruned when a touchpoint is checked.

use super::SiteStore;
use crate::rpc::TermRows;
use domain::summary::SummaryQuery;
use domain::themes::comment_terms;
use worker::{Result, SqlStorage, SqlStorageValue as V};

/// Bound parameters one statement may carry in the Durable Object's SQLite; the terms upsert
/// binds five plus one per term.
const MAX_BOUND_PARAMETERS: usize = 100;
const _: () = assert!(domain::limits::MAX_TERMS_PER_COMMENT + 5 <= MAX_BOUND_PARAMETERS);

/// One answer as the term and hourly rollups see it.
pub(super) struct Counted<'a> {
    pub received_at: i64,
    pub day: i64,
    pub touchpoint: &'a str,
    pub kind: &'a str,
    pub negative: bool,
    pub comment: Option<&'a str>,
    pub locale: Option<&'a str>,
}

/// The columns of a stored answer that the term and hourly rollups read: a row of
/// `SELECT {COLUMNS} FROM responses` (erasure and the rollups' backfill both read these).
#[derive(serde::Deserialize)]
pub(super) struct StoredAnswer {
    pub received_at: i64,
    pub day: i64,
    pub touchpoint: String,
    pub kind: String,
    pub score: i64,
    pub comment: Option<String>,
    pub locale: Option<String>,
}

impl StoredAnswer {
    pub const COLUMNS: &'static str = "received_at, day, touchpoint, kind, score, comment, locale";

    pub fn counted(&self) -> Counted<'_> {
        let negative = domain::Kind::parse(&self.kind)
            .is_ok_and(|k| u8::try_from(self.score).is_ok_and(|s| k.is_negative(s)));
        Counted {
            received_at: self.received_at,
            day: self.day,
            touchpoint: &self.touchpoint,
            kind: &self.kind,
            negative,
            comment: self.comment.as_deref(),
            locale: self.locale.as_deref(),
        }
    }
}

/// Adds (`sign` 1) or removes (`sign` −1) one answer in the term, comment and hourly rollups;
/// rows left at zero go. Runs inside the caller's transaction.
pub(super) fn count(sql: &SqlStorage, a: &Counted, sign: i64) -> std::result::Result<(), String> {
    count_hour(sql, a, sign)?;
    count_terms(sql, a, sign)
}

fn count_hour(sql: &SqlStorage, a: &Counted, sign: i64) -> std::result::Result<(), String> {
    let err = |e: worker::Error| e.to_string();
    let neg = if a.negative { sign } else { 0 };
    let hour = domain::spike::hour_of(a.received_at);
    sql.exec(
        "INSERT INTO hourly (touchpoint, hour, answers, negative) VALUES (?, ?, ?, ?) \
         ON CONFLICT (touchpoint, hour) DO UPDATE SET answers = answers + excluded.answers, \
         negative = negative + excluded.negative",
        vec![
            a.touchpoint.into(),
            V::Integer(hour),
            V::Integer(sign),
            V::Integer(neg),
        ],
    )
    .map_err(err)?;
    if sign < 0 {
        sql.exec(
            "DELETE FROM hourly WHERE touchpoint = ? AND hour = ? AND answers <= 0",
            vec![a.touchpoint.into(), V::Integer(hour)],
        )
        .map_err(err)?;
    }
    Ok(())
}

/// The term and comment rollups of one answer (nothing without a comment).
pub(super) fn count_terms(
    sql: &SqlStorage,
    a: &Counted,
    sign: i64,
) -> std::result::Result<(), String> {
    let err = |e: worker::Error| e.to_string();
    let (neg, other) = if a.negative { (sign, 0) } else { (0, sign) };
    let Some(comment) = a.comment else {
        return Ok(());
    };
    let key = || vec![V::Integer(a.day), a.touchpoint.into(), a.kind.into()];
    let mut binds = key();
    binds.extend([V::Integer(neg), V::Integer(other)]);
    sql.exec(
        "INSERT INTO comment_totals (day, touchpoint, kind, negative, other) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (day, touchpoint, kind) DO UPDATE SET negative = negative + excluded.negative, \
         other = other + excluded.other",
        binds,
    )
    .map_err(err)?;
    // One statement for all of the comment's terms (each exec crosses into the runtime):
    // ?1–?5 are the key and the counts, ?6… the terms (see MAX_BOUND_PARAMETERS).
    let terms = comment_terms(comment, a.locale);
    if !terms.is_empty() {
        let rows: Vec<String> = (0..terms.len())
            .map(|i| format!("(?1, ?2, ?3, ?{}, ?4, ?5)", i + 6))
            .collect();
        let mut binds = key();
        binds.extend([V::Integer(neg), V::Integer(other)]);
        binds.extend(terms.into_iter().map(V::from));
        sql.exec(
            &format!(
                "INSERT INTO terms (day, touchpoint, kind, term, negative, other) VALUES {} \
                 ON CONFLICT (day, touchpoint, kind, term) DO UPDATE SET negative = negative + excluded.negative, \
                 other = other + excluded.other",
                rows.join(", ")
            ),
            binds,
        )
        .map_err(err)?;
    }
    if sign < 0 {
        sql.exec(
            "DELETE FROM terms WHERE day = ? AND touchpoint = ? AND kind = ? AND negative <= 0 AND other <= 0",
            key(),
        )
        .map_err(err)?;
        sql.exec(
            "DELETE FROM comment_totals WHERE day = ? AND touchpoint = ? AND kind = ? AND negative <= 0 AND other <= 0",
            key(),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// Retention: the term and comment rollups of days whose answers are all gone, and the hourly
/// rows of those hours (same rule as the score rollup). Inside the caller's transaction.
pub(super) fn retain(sql: &SqlStorage, cutoff: i64) -> std::result::Result<(), String> {
    let err = |e: worker::Error| e.to_string();
    for table in ["terms", "comment_totals"] {
        sql.exec(
            &format!("DELETE FROM {table} WHERE day < ? AND day < COALESCE((SELECT MIN(day) FROM responses), ?)"),
            vec![V::Integer(cutoff), V::Integer(cutoff)],
        )
        .map_err(err)?;
    }
    sql.exec(
        "DELETE FROM hourly WHERE hour < ? * 24 AND hour < COALESCE((SELECT MIN(day) FROM responses), ?) * 24",
        vec![V::Integer(cutoff), V::Integer(cutoff)],
    )
    .map_err(err)?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct TermDto {
    term: String,
    negative: i64,
    other: i64,
}

#[derive(serde::Deserialize)]
struct TotalsDto {
    negative: Option<i64>,
    other: Option<i64>,
}

#[derive(serde::Deserialize)]
struct HourDto {
    hour: i64,
    answers: i64,
    negative: i64,
}

impl SiteStore {
    /// This object's term counts for `q`. `candidates_only` (a single-object site) leaves out
    /// terms in fewer than `THEME_MIN_NEGATIVE` negative comments; the objects of a sharded
    /// site send every term, since a term's counts add up across them.
    pub(super) fn term_rows(&self, q: &SummaryQuery, candidates_only: bool) -> Result<TermRows> {
        let (filter, binds) = super::period_filter(q, q.from);
        let having = if candidates_only {
            format!(
                " HAVING SUM(negative) >= {}",
                domain::limits::THEME_MIN_NEGATIVE
            )
        } else {
            String::new()
        };
        let terms: Vec<TermDto> = self
            .sql()
            .exec(
                &format!("SELECT term, SUM(negative) AS negative, SUM(other) AS other FROM terms WHERE day BETWEEN ? AND ?{filter} GROUP BY term{having}"),
                binds.clone(),
            )?
            .to_array()?;
        let totals: Vec<TotalsDto> = self
            .sql()
            .exec(
                &format!("SELECT SUM(negative) AS negative, SUM(other) AS other FROM comment_totals WHERE day BETWEEN ? AND ?{filter}"),
                binds,
            )?
            .to_array()?;
        let totals = totals
            .into_iter()
            .next()
            .map_or((0, 0), |t| (t.negative.unwrap_or(0), t.other.unwrap_or(0)));
        Ok(TermRows {
            terms: terms
                .into_iter()
                .map(|t| (t.term, t.negative, t.other))
                .collect(),
            totals,
        })
    }

    /// This object's hourly counts of `touchpoint` from hour `from` on; older rows are pruned
    /// (nothing reads them).
    pub(super) fn hour_rows(&self, touchpoint: &str, from: i64) -> Result<Vec<(i64, i64, i64)>> {
        self.sql().exec(
            "DELETE FROM hourly WHERE touchpoint = ? AND hour < ?",
            vec![touchpoint.into(), V::Integer(from)],
        )?;
        let rows: Vec<HourDto> = self
            .sql()
            .exec(
                "SELECT hour, answers, negative FROM hourly WHERE touchpoint = ? AND hour >= ?",
                vec![touchpoint.into(), V::Integer(from)],
            )?
            .to_array()?;
        Ok(rows
            .into_iter()
            .map(|r| (r.hour, r.answers, r.negative))
            .collect())
    }
}

/// The themes from every object's [`TermRows`]: counts merged before testing.
pub(super) fn themes(parts: impl IntoIterator<Item = TermRows>) -> Vec<domain::wire::Theme> {
    let mut counts = domain::themes::TermCounts::default();
    let n = |x: i64| u64::try_from(x).unwrap_or_default();
    for part in parts {
        for (term, neg, other) in &part.terms {
            counts.add_row(term, n(*neg), n(*other));
        }
        counts.add_totals(n(part.totals.0), n(part.totals.1));
    }
    counts.themes()
}
