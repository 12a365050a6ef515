//! API v1 data transfer types: the one JSON encoding of everything that crosses a boundary.
//!
//! These are plain serde structs. Input is never trusted as these types directly: the ingest
//! body is decoded and validated by [`crate::ingest::decode_ingest`] into a [`crate::Response`].

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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
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
    pub by_touchpoint: BTreeMap<String, TouchpointSummary>,
    pub daily: Vec<DailyPoint>,
    pub recent_comments: Vec<RecentComment>,
}
