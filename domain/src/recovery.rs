//! Closing the loop: case statuses and their changes, the contact a customer may leave, and the
//! `recovery` block of a summary (how cases were handled and whether customers came back happier).
//!
//! Statuses: `open` → `contacted` → `resolved` is the usual path, but any status may be set
//! from any other — `resolved` straight from `open`, `open` again to undo a `contacted`, and a
//! reopen (`resolved` → `open` or `contacted`), which a negative follow-up does by itself
//! ([`after_follow_up`]). Setting the status a case already has is accepted and changes nothing
//! (a retried PATCH is harmless); [`CaseStatus::changes_to`] tells the two apart.
//!
//! SLA (`sla_hours`): each stage must move on within it. A case is *past SLA* when it is `open`
//! or `contacted` and has been in that status longer than `sla_hours` (a reopened case gets a
//! fresh `sla_hours`). `within_sla_pct` measures the first stage: the share of cases whose first
//! response — contacted or resolved, whichever came first — came within `sla_hours` of opening,
//! among the cases where that is decided: answered ones, plus unanswered ones already older than
//! `sla_hours` (certain misses; leaving them out would reward ignoring cases).

use crate::error::{Code, Fault};
use crate::ingest::decode_object;
use crate::kind::Kind;
use crate::limits::{
    CASES_PAGE, MAX_CASES_PAGE, MAX_CASE_NOTE_CHARS, MAX_CONTACT_CHARS, MAX_FOLLOW_UP_IDS,
};
use crate::metrics::wilson95;
use crate::wire::{CasePatch, CaseView, HoursSpread, Recovery};
use serde_json::Value;

const MS_PER_HOUR: i64 = 3_600_000;

// error.rs has no case codes yet (proposed: invalid_status, invalid_note, invalid_contact); these
// are the one place to change when it does.
const STATUS_CODE: Code = Code::InvalidStatus;
const NOTE_CODE: Code = Code::InvalidNote;
const CONTACT_CODE: Code = Code::InvalidContact;

// Literal messages (the widget runs the contact check); a test ties the numbers to the limits.
pub const STATUS_RULE: &str = "status must be one of open, contacted, resolved";
pub const NOTE_RULE: &str = "note must be at most 1000 characters, without control characters";
pub const CONTACT_RULE: &str = "contact must be 1–200 characters, without control characters";
pub const CONTACT_ONLY_NEGATIVE: &str = "contact is accepted only with a negative score";

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseStatus {
    Open,
    Contacted,
    Resolved,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [
        CaseStatus::Open,
        CaseStatus::Contacted,
        CaseStatus::Resolved,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Contacted => "contacted",
            CaseStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Result<CaseStatus, Fault> {
        CaseStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Fault::at(STATUS_CODE, "status", STATUS_RULE))
    }

    /// Whether setting `to` is a change (every change is allowed; the same status is a no-op).
    pub fn changes_to(self, to: CaseStatus) -> bool {
        self != to
    }
}

impl std::fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status a resolved case moves to when its follow-up answer arrives: a negative answer
/// reopens it; otherwise it stays resolved (`None`).
pub fn after_follow_up(kind: Kind, score: u8) -> Option<CaseStatus> {
    kind.is_negative(score).then_some(CaseStatus::Open)
}

/// A validated case PATCH: the status to set and an optional note (trimmed, never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseUpdate {
    pub status: CaseStatus,
    pub note: Option<String>,
}

impl TryFrom<CasePatch> for CaseUpdate {
    type Error = Fault;

    fn try_from(p: CasePatch) -> Result<Self, Fault> {
        Ok(CaseUpdate {
            status: CaseStatus::parse(&p.status)?,
            note: p.note.as_deref().map(validate_note).transpose()?.flatten(),
        })
    }
}

/// Decodes a `PATCH …/cases/{id}` body strictly: one object, `status` required, `note` a
/// string or null, nothing else.
pub fn decode_case_patch(body: &[u8]) -> Result<CaseUpdate, Fault> {
    let mut object = decode_object(body)?;
    if let Some(unknown) = object.keys().find(|k| *k != "status" && *k != "note") {
        let shown: String = unknown.chars().take(64).collect();
        return Err(Fault::at(
            Code::UnknownField,
            shown.clone(),
            format!("unknown field `{shown}` (known: status, note)"),
        ));
    }
    let status = match object.remove("status") {
        None | Some(Value::Null) => {
            return Err(Fault::at(
                Code::MissingField,
                "status",
                "status is required",
            ))
        }
        Some(Value::String(s)) => s,
        Some(_) => return Err(Fault::at(Code::InvalidType, "status", STATUS_RULE)),
    };
    let note = match object.remove("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            return Err(Fault::at(
                Code::InvalidType,
                "note",
                "note must be a string",
            ))
        }
    };
    CaseUpdate::try_from(CasePatch { status, note })
}

/// A note: at most [`MAX_CASE_NOTE_CHARS`], line breaks and tabs allowed; `None` when blank.
pub fn validate_note(s: &str) -> Result<Option<String>, Fault> {
    let bad = s.chars().count() > MAX_CASE_NOTE_CHARS
        || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    if bad {
        return Err(Fault::at(NOTE_CODE, "note", NOTE_RULE));
    }
    let t = s.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// The contact a customer left: at most [`MAX_CONTACT_CHARS`] characters on one line (no
/// control characters), not blank; stored trimmed. The length counts the characters sent, as
/// for comments, so the rule is one pattern and one length in the API document.
pub fn validate_contact(s: &str) -> Result<String, Fault> {
    let t = s.trim();
    if t.is_empty() || s.chars().count() > MAX_CONTACT_CHARS || s.chars().any(char::is_control) {
        return Err(Fault::at(CONTACT_CODE, "contact", CONTACT_RULE));
    }
    Ok(t.to_string())
}

/// [`validate_contact`], and the rule that a contact comes only with a negative answer.
pub fn check_contact(s: &str, negative: bool) -> Result<String, Fault> {
    if !negative {
        return Err(Fault::at(CONTACT_CODE, "contact", CONTACT_ONLY_NEGATIVE));
    }
    validate_contact(s)
}

/// Decodes a `POST …/follow-ups` body strictly: `{"ids": [...]}` with 0–20 UUID v4 ids
/// (lowercased, repeats dropped, order kept), nothing else.
pub fn decode_follow_ups(body: &[u8]) -> Result<Vec<String>, Fault> {
    let mut object = decode_object(body)?;
    if let Some(unknown) = object.keys().find(|k| *k != "ids") {
        let shown: String = unknown.chars().take(64).collect();
        return Err(Fault::at(
            Code::UnknownField,
            shown.clone(),
            format!("unknown field `{shown}` (known: ids)"),
        ));
    }
    let list = match object.remove("ids") {
        None | Some(Value::Null) => {
            return Err(Fault::at(Code::MissingField, "ids", "ids is required"))
        }
        Some(Value::Array(list)) => list,
        Some(_) => return Err(Fault::at(Code::InvalidType, "ids", IDS_RULE)),
    };
    if list.len() > MAX_FOLLOW_UP_IDS {
        return Err(Fault::at(Code::InvalidId, "ids", IDS_RULE));
    }
    let mut ids: Vec<String> = Vec::with_capacity(list.len());
    for v in list {
        let id = v
            .as_str()
            .and_then(|s| crate::ingest::validate_uuid_v4(s).ok())
            .ok_or_else(|| Fault::at(Code::InvalidId, "ids", IDS_RULE))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub const IDS_RULE: &str = "ids must be a list of at most 20 UUID v4 answer ids";

/// Which cases a `GET …/cases` page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Only(CaseStatus),
    All,
}

/// A validated `GET …/cases` query: newest first by (opened at, id); `after` is the last case
/// of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasesQuery {
    pub status: StatusFilter,
    pub touchpoint: Option<String>,
    pub limit: usize,
    pub after: Option<(i64, String)>,
}

impl Default for CasesQuery {
    fn default() -> Self {
        CasesQuery {
            status: StatusFilter::Only(CaseStatus::Open),
            touchpoint: None,
            limit: CASES_PAGE,
            after: None,
        }
    }
}

impl CasesQuery {
    pub fn parse<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Fault> {
        let bad = |field: &str, m: &str| Fault::at(Code::InvalidQuery, field, m);
        let mut q = CasesQuery::default();
        for (k, v) in params {
            match k {
                "status" if v == "all" => q.status = StatusFilter::All,
                "status" => {
                    q.status =
                        StatusFilter::Only(CaseStatus::parse(v).map_err(|_| {
                            bad("status", "status is open, contacted, resolved or all")
                        })?)
                }
                "touchpoint" => {
                    crate::ingest::validate_touchpoint(v)
                        .map_err(|f| Fault::at(Code::InvalidQuery, "touchpoint", f.message))?;
                    q.touchpoint = Some(v.to_string());
                }
                "limit" => {
                    q.limit = v
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_CASES_PAGE).contains(n))
                        .ok_or_else(|| bad("limit", "limit is 1 to 100"))?
                }
                "cursor" => q.after = Some(crate::export::cursor_param(v)?),
                other => {
                    return Err(Fault::at(
                        Code::InvalidQuery,
                        other.chars().take(64).collect::<String>(),
                        "unknown query parameter (allowed: status, touchpoint, limit, cursor)",
                    ))
                }
            }
        }
        Ok(q)
    }

    /// The query string that [`CasesQuery::parse`] reads back into this query (every value is
    /// validated and URL-safe).
    pub fn to_query(&self) -> String {
        let status = match self.status {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.as_str(),
        };
        let mut q = format!("?status={status}&limit={}", self.limit);
        if let Some(tp) = &self.touchpoint {
            q.push_str("&touchpoint=");
            q.push_str(tp);
        }
        if let Some((ms, id)) = &self.after {
            q.push_str("&cursor=");
            q.push_str(&crate::export::cursor(*ms, id));
        }
        q
    }

    /// The status to match, `None` for all.
    pub fn status(&self) -> Option<CaseStatus> {
        match self.status {
            StatusFilter::All => None,
            StatusFilter::Only(s) => Some(s),
        }
    }

    /// Whether a case opened at `opened_at_ms` with `id` comes after the cursor (newest first).
    pub fn is_after_cursor(&self, opened_at_ms: i64, id: &str) -> bool {
        self.after
            .as_ref()
            .is_none_or(|(ms, last)| (opened_at_ms, id) < (*ms, last.as_str()))
    }
}

/// One page of cases from every object's page (each newest first, up to `limit + 1` after the
/// cursor): newest first by (opened at, id), at most `limit`, and the cursor of the next page
/// when any object had more than fits.
pub fn merge_cases(
    parts: impl IntoIterator<Item = Vec<(i64, CaseView)>>,
    limit: usize,
) -> (Vec<CaseView>, Option<String>) {
    let mut all: Vec<(i64, CaseView)> = parts.into_iter().flatten().collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.id.cmp(&a.1.id)));
    let more = all.len() > limit;
    all.truncate(limit);
    let next = more
        .then(|| all.last().map(|(ms, c)| crate::export::cursor(*ms, &c.id)))
        .flatten();
    (all.into_iter().map(|(_, c)| c).collect(), next)
}

/// What the recovery block needs to know about one case (times are Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub opened_at_ms: i64,
    /// The first time the case was set to `contacted`.
    pub contacted_at_ms: Option<i64>,
    /// The first time the case was set to `resolved`.
    pub resolved_at_ms: Option<i64>,
    pub status: CaseStatus,
    /// When the case entered its current status (its opening, if it never changed).
    pub status_since_ms: i64,
    pub has_contact: bool,
    pub kind: Kind,
    pub first_score: u8,
    pub follow_up_score: Option<u8>,
}

impl CaseFacts {
    /// When the case was first contacted or resolved, whichever came first.
    pub fn first_response_ms(&self) -> Option<i64> {
        match (self.contacted_at_ms, self.resolved_at_ms) {
            (Some(c), Some(r)) => Some(c.min(r)),
            (c, r) => c.or(r),
        }
    }
}

/// The `recovery` block for `cases` (those opened in the period) at `now_ms`.
pub fn recovery(cases: &[CaseFacts], now_ms: i64, sla_hours: u32) -> Recovery {
    let sla_ms = i64::from(sla_hours) * MS_PER_HOUR;
    let count = |f: &dyn Fn(&CaseFacts) -> bool| cases.iter().filter(|c| f(c)).count() as u64;
    let past_sla =
        count(&|c| c.status != CaseStatus::Resolved && now_ms - c.status_since_ms > sla_ms);
    let follow_ups: Vec<(&CaseFacts, u8)> = cases
        .iter()
        .filter_map(|c| c.follow_up_score.map(|s| (c, s)))
        .collect();
    let followed_up = follow_ups.len() as u64;
    let recovered = follow_ups
        .iter()
        .filter(|(c, s)| !c.kind.is_negative(*s))
        .count() as u64;
    let lift = (followed_up > 0).then(|| {
        let sum: f64 = follow_ups
            .iter()
            .map(|(c, s)| f64::from(*s) - f64::from(c.first_score))
            .sum();
        round(sum / followed_up as f64, 100.0)
    });
    Recovery {
        cases: cases.len() as u64,
        with_contact: count(&|c| c.has_contact),
        open: count(&|c| c.status == CaseStatus::Open),
        contacted: count(&|c| c.status == CaseStatus::Contacted),
        resolved: count(&|c| c.status == CaseStatus::Resolved),
        past_sla,
        time_to_contact_hours: spread(
            cases
                .iter()
                .filter_map(|c| Some(c.contacted_at_ms? - c.opened_at_ms)),
        ),
        time_to_resolve_hours: spread(
            cases
                .iter()
                .filter_map(|c| Some(c.resolved_at_ms? - c.opened_at_ms)),
        ),
        within_sla_pct: within_sla_pct(cases, now_ms, sla_ms),
        followed_up,
        recovered,
        recovery_rate: percent(recovered, followed_up),
        recovery_rate_ci95: wilson95(recovered, followed_up),
        lift,
    }
}

/// % of decided cases whose first response came within the SLA (see the module docs).
fn within_sla_pct(cases: &[CaseFacts], now_ms: i64, sla_ms: i64) -> Option<f64> {
    let (mut decided, mut within) = (0u64, 0u64);
    for c in cases {
        match c.first_response_ms() {
            Some(t) => {
                decided += 1;
                within += u64::from(t - c.opened_at_ms <= sla_ms);
            }
            // Unanswered and already older than the SLA: a certain miss.
            None if now_ms - c.opened_at_ms > sla_ms => decided += 1,
            None => {}
        }
    }
    percent(within, decided)
}

/// Median and p90 of durations by the nearest-rank method: the value at rank ⌈p·n⌉ of the
/// sorted list (so the median of an even count is the lower middle one, always a real value).
fn spread(durations_ms: impl Iterator<Item = i64>) -> HoursSpread {
    let mut hours: Vec<f64> = durations_ms
        .map(|ms| ms.max(0) as f64 / MS_PER_HOUR as f64)
        .collect();
    hours.sort_by(f64::total_cmp);
    HoursSpread {
        median: nearest_rank(&hours, 50),
        p90: nearest_rank(&hours, 90),
    }
}

/// The nearest-rank `pct`th percentile (1–100) of sorted values, rounded to one decimal. The
/// rank ⌈pct·n/100⌉ is computed in integers, so 90 % of 10 is exactly rank 9.
pub fn nearest_rank(sorted: &[f64], pct: usize) -> Option<f64> {
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).map(|&v| round(v, 10.0))
}

pub(crate) fn percent(x: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| round(x as f64 * 100.0 / n as f64, 10.0))
}

pub(crate) fn round(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_messages_name_the_limits() {
        assert!(NOTE_RULE.contains(&format!("at most {MAX_CASE_NOTE_CHARS} characters")));
        assert!(CONTACT_RULE.contains(&format!("1–{MAX_CONTACT_CHARS} characters")));
        for s in CaseStatus::ALL {
            assert!(STATUS_RULE.contains(s.as_str()));
        }
        assert!(IDS_RULE.contains(&format!("at most {MAX_FOLLOW_UP_IDS} ")));
    }
}
