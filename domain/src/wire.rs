//! API v1 data transfer types: the one JSON encoding of everything that crosses a boundary.
//!
//! These are plain serde structs. Input is never trusted as these types directly: the ingest
//! body is decoded and validated by [`crate::ingest::decode_ingest`] into a [`crate::Response`].

use crate::attributes::Attributes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Ingest body as sent by the widget (`POST /v1/sites/{site}/responses`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestRequest {
    pub id: String,
    pub touchpoint: String,
    pub kind: String,
    pub score: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// The display (prompt shown) this answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_id: Option<String>,
    /// How the customer may be contacted (opt-in, negative answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The case (an earlier negative answer's id) this answer follows up on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<String>,
}

/// Ingest acknowledgement: 201 for a new response, 200 with `duplicate: true` for a replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestAck {
    pub id: String,
    pub duplicate: bool,
}

/// `{"error": {"code", "message", "field"?}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /v1/sites` body (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSite {
    pub name: String,
    pub allowed_origins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// Optional wished-for id (e.g. `demo`); generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// `eu` or `fedramp`: the site's data never leaves that jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Where the site's objects are first created (`weur`, `enam`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_hint: Option<String>,
}

/// `POST /v1/sites` answer: the owner token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCreated {
    pub site_id: String,
    pub owner_token: String,
}

/// Scores by point of the scale, in scale order (`{"1": 10, "2": 12, …}`).
pub type Distribution = BTreeMap<u8, u64>;

/// A share metric (CSAT %, thumbs % up) or NPS: `score` is the headline number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsatMetric {
    pub n: u64,
    pub score: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    pub distribution: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsMetric {
    pub n: u64,
    pub score: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    pub distribution: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CesMetric {
    pub n: u64,
    pub mean: Option<f64>,
    pub agree_pct: Option<f64>,
    /// Interval of the mean.
    pub ci95: Option<[f64; 2]>,
    /// Wilson interval of `agree_pct`.
    pub agree_ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    pub distribution: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarsMetric {
    pub n: u64,
    pub mean: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    pub distribution: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThumbsMetric {
    pub n: u64,
    pub up_pct: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub low_sample: bool,
    pub up: u64,
    pub down: u64,
}

/// Per-touchpoint block of a summary: only kinds with answers appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchpointSummary {
    pub responses: u64,
    pub negative: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<CsatMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<NpsMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces: Option<CesMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stars: Option<StarsMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbs: Option<ThumbsMetric>,
    /// Displays at this touchpoint, when there were any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<Reach>,
}

/// One day of the daily series (every day of the range is present).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyPoint {
    pub date: String,
    pub responses: u64,
    pub csat: Option<f64>,
    pub nps: Option<f64>,
    pub ces_mean: Option<f64>,
    pub negative: u64,
    /// Answers behind `csat` and `nps` that day (for weighting and rolling averages).
    #[serde(default)]
    pub csat_n: u64,
    #[serde(default)]
    pub nps_n: u64,
    /// Prompts shown and dismissed that day, and answers to a shown prompt.
    #[serde(default)]
    pub shown: u64,
    #[serde(default)]
    pub dismissed: u64,
    #[serde(default)]
    pub answered: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentComment {
    pub id: String,
    pub received_at: String,
    pub touchpoint: String,
    pub kind: String,
    pub score: u8,
    pub comment: String,
    pub negative: bool,
}

/// `GET /v1/sites/{site}/summary`. Fields may be added, none renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub site: String,
    pub from: String,
    pub to: String,
    pub responses: u64,
    pub negative: u64,
    pub csat: CsatMetric,
    pub nps: NpsMetric,
    pub ces: CesMetric,
    pub stars: StarsMetric,
    pub thumbs: ThumbsMetric,
    /// Prompts shown, answered and dismissed, with the response and dismiss rates.
    #[serde(default)]
    pub reach: Reach,
    /// With `compare=previous`: the previous period and each headline's significance-tested change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<Compare>,
    pub by_touchpoint: BTreeMap<String, TouchpointSummary>,
    pub daily: Vec<DailyPoint>,
    pub recent_comments: Vec<RecentComment>,
    /// Cases opened in the period: how they were handled and whether customers came back
    /// happier. Filled in by the edge from every object's cases; never holds a contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Recovery>,
    /// Words and two-word phrases over-represented in the period's negative comments (best
    /// first, at most [`crate::limits::MAX_THEMES`]), from the per-term comment rollups.
    #[serde(default)]
    pub themes: Vec<Theme>,
}

/// Display body as sent by the widget (`POST /v1/sites/{site}/displays`); validated into a
/// [`crate::display::Display`] by [`crate::display::decode_display`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayRequest {
    /// Body version, always 1.
    pub v: i64,
    pub id: String,
    pub touchpoint: String,
    pub kind: String,
    /// `shown` or `dismissed`.
    pub event: String,
}

/// Display acknowledgement: 201 for a new (id, event), 200 with `duplicate: true` for a replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayAck {
    pub id: String,
    pub event: String,
    pub duplicate: bool,
}

/// `reach` of a summary: how many prompts were shown, answered and dismissed; rates are % of
/// `shown` with Wilson 95 % intervals, `null` when nothing was shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    pub shown: u64,
    pub answered: u64,
    pub dismissed: u64,
    pub response_rate: Option<f64>,
    pub response_rate_ci95: Option<[f64; 2]>,
    pub dismiss_rate: Option<f64>,
    pub dismiss_rate_ci95: Option<[f64; 2]>,
}

/// `summary.compare` (`?compare=previous`): the previous period and each headline's change.
/// Every value is `null` (never absent) when either period has no data for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compare {
    /// First and last day of the previous period (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    /// Responses in the previous period.
    pub responses: u64,
    pub csat: ScoreChange,
    pub nps: ScoreChange,
    pub ces: MeanChange,
    pub stars: MeanChange,
    pub thumbs: UpShareChange,
    pub response_rate: RateChange,
}

/// Change of CSAT % or NPS: `score` is the previous period's, `delta` = this − previous.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreChange {
    pub score: Option<f64>,
    pub delta: Option<f64>,
    pub p_value: Option<f64>,
    pub significant: Option<bool>,
}

/// Change of a mean (CES, stars): `mean` is the previous period's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeanChange {
    pub mean: Option<f64>,
    pub delta: Option<f64>,
    pub p_value: Option<f64>,
    pub significant: Option<bool>,
}

/// Change of the thumbs-up share: `up_pct` is the previous period's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpShareChange {
    pub up_pct: Option<f64>,
    pub delta: Option<f64>,
    pub p_value: Option<f64>,
    pub significant: Option<bool>,
}

/// Change of the response rate: `rate` is the previous period's (% of shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateChange {
    pub rate: Option<f64>,
    pub delta: Option<f64>,
    pub p_value: Option<f64>,
    pub significant: Option<bool>,
}

/// One entry of `summary.themes`: a word or two-word phrase over-represented in the period's
/// negative comments. `negative` / `other` = comments of each group containing it; `q_value`
/// is its Benjamini–Hochberg adjusted one-sided Fisher p-value (3 significant digits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub term: String,
    pub negative: u64,
    pub other: u64,
    pub q_value: f64,
}

/// `summary.recovery`: how the cases opened in the period were handled and whether the
/// customers came back happier. Every value is `null` where it has nothing to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    pub cases: u64,
    pub with_contact: u64,
    pub open: u64,
    pub contacted: u64,
    pub resolved: u64,
    pub past_sla: u64,
    pub time_to_contact_hours: HoursSpread,
    pub time_to_resolve_hours: HoursSpread,
    pub within_sla_pct: Option<f64>,
    pub followed_up: u64,
    pub recovered: u64,
    pub recovery_rate: Option<f64>,
    pub recovery_rate_ci95: Option<[f64; 2]>,
    pub lift: Option<f64>,
}

/// Median and 90th percentile of a duration, in hours (nearest rank, one decimal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HoursSpread {
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// `PATCH /v1/sites/{site}/cases/{id}` body; validated by [`crate::recovery::decode_case_patch`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePatch {
    /// `open`, `contacted` or `resolved`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One case of `GET /v1/sites/{site}/cases`: the negative answer that opened it (its id is the
/// answer's), where it stands, its history (oldest first) and the follow-up answer, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: String,
    pub received_at: String,
    pub touchpoint: String,
    pub kind: String,
    pub score: u8,
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    pub status: String,
    pub history: Vec<CaseEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
}

/// One status change of a case (the first is its opening), at the server's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub status: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The answer that followed a case up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: String,
    pub score: u8,
    pub received_at: String,
}

/// `GET /v1/sites/{site}/cases` body (the next page's cursor is in `X-Earshot-Next-Cursor`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesPage {
    pub cases: Vec<CaseView>,
    /// The site's `sla_hours`: a case open or contacted longer than this is past SLA.
    pub sla_hours: u32,
}

/// `POST /v1/sites/{site}/follow-ups` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpsRequest {
    pub ids: Vec<String>,
}

/// `POST /v1/sites/{site}/follow-ups` answer: the asked ids whose case is resolved and not yet
/// followed up (nothing else about them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpsDue {
    pub due: Vec<String>,
}

/// The digest (`GET /v1/sites/{site}/digest`, and the body of the `digest` webhook): the
/// period's headline scores with their intervals, reach, the significant changes against the
/// previous period, cases past their SLA and the top themes, with a Slack-friendly `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Always `digest`.
    pub event: String,
    pub site: String,
    /// `daily` or `weekly`.
    pub period: String,
    /// First and last day covered (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    pub text: String,
    pub responses: u64,
    pub negative: u64,
    pub csat: CsatMetric,
    pub nps: NpsMetric,
    pub ces: CesMetric,
    pub stars: StarsMetric,
    pub thumbs: ThumbsMetric,
    pub reach: Reach,
    /// Every headline against the previous period of the same length.
    pub compare: Compare,
    /// Only the changes with p < 0.05 (two-sided), in headline order.
    pub changes: Vec<DigestChange>,
    /// Cases open or contacted for longer than `sla_hours`, now.
    pub cases_past_sla: u64,
    pub themes: Vec<Theme>,
}

/// One significant change of a digest: `metric` is `csat`, `nps`, `ces`, `stars`, `thumbs` or
/// `response_rate`; `previous` the previous period's value, `current` this one's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestChange {
    pub metric: String,
    pub previous: f64,
    pub current: f64,
    pub delta: f64,
    pub p_value: f64,
}
