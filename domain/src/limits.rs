//! Every size limit and default of API v1, in one place.

/// Largest accepted ingest body, in bytes (larger: 413).
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// Longest comment, in Unicode scalar values (not bytes).
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Touchpoint length bounds, in characters of `a-z 0-9 - _ .`.
pub const MAX_TOUCHPOINT_CHARS: usize = 64;
/// Longest stored page URL (after the query and fragment are dropped).
pub const MAX_PAGE_CHARS: usize = 2048;
/// Longest BCP 47 locale tag accepted.
pub const MAX_LOCALE_CHARS: usize = 35;
/// Most attribute pairs on one response.
pub const MAX_ATTRIBUTES: usize = 16;
/// Longest attribute key.
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 32;
/// Longest attribute value.
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 200;
/// Below this many responses a metric carries `low_sample: true`.
pub const LOW_SAMPLE_N: u64 = 30;
/// How many recent comments a summary carries.
pub const RECENT_COMMENTS: usize = 20;
/// Longest date range a summary may cover, in days.
pub const MAX_SUMMARY_DAYS: i64 = 400;
/// Default summary range when `from` is not given, in days ending at `to`.
pub const DEFAULT_SUMMARY_DAYS: i64 = 30;
/// Site name and site id bounds.
pub const MAX_SITE_NAME_CHARS: usize = 100;
pub const MAX_SITE_ID_CHARS: usize = 40;
/// Most allowed origins per site.
pub const MAX_ALLOWED_ORIGINS: usize = 32;
/// Default days before the same browser is asked again at the same touchpoint.
pub const DEFAULT_THROTTLE_DAYS: u32 = 30;
/// Default share of eligible moments that show a prompt (1.0: every one).
pub const DEFAULT_SAMPLE_RATE: f64 = 1.0;
/// Longest `page_prefix` of a prompt, in characters.
pub const MAX_PAGE_PREFIX_CHARS: usize = 200;
/// Longest `delay_ms` of a prompt's page rule.
pub const MAX_DELAY_MS: u32 = 600_000;
/// Largest `rate_limit_per_minute` a site may set.
pub const MAX_RATE_LIMIT_PER_MINUTE: u32 = 100_000;
/// Most touchpoints with a configured prompt.
pub const MAX_PROMPTS: usize = 64;
/// Longest question text override.
pub const MAX_QUESTION_CHARS: usize = 200;
/// Longest throttle window and retention, in days.
pub const MAX_THROTTLE_DAYS: u32 = 3650;
pub const MAX_RETENTION_DAYS: u32 = 36_500;
/// Most Durable Objects one site's ingest may be spread over.
pub const MAX_SHARDS: u32 = 64;
/// Export page size: default and largest.
pub const EXPORT_PAGE: usize = 1000;
pub const MAX_EXPORT_PAGE: usize = 5000;
/// Default answers per minute accepted from one visitor.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 60;
/// Largest import body (NDJSON) and most records in one import.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
pub const MAX_IMPORT_LINES: usize = 1000;
/// Largest accepted display body (`POST …/displays`), in bytes (larger: 413).
pub const MAX_DISPLAY_BODY_BYTES: usize = 1024;
/// Themes: longest term kept (characters), most distinct terms counted per comment.
pub const MAX_TERM_CHARS: usize = 40;
pub const MAX_TERMS_PER_COMMENT: usize = 64;
/// Themes: negative comments a term needs to be a candidate, the BH q-value it must stay
/// under, and how many themes a summary shows.
pub const THEME_MIN_NEGATIVE: u64 = 3;
pub const THEME_MAX_Q: f64 = 0.05;
pub const MAX_THEMES: usize = 10;
/// `touchpoint.spike`: one-sided z the last 24 h must exceed, negatives it needs, and the
/// baseline length before those 24 h, in days.
pub const SPIKE_MIN_Z: f64 = 3.0;
pub const SPIKE_MIN_NEGATIVE: u64 = 5;
pub const SPIKE_BASELINE_DAYS: i64 = 28;
/// Default hours a case may stay open or contacted before it is past its SLA.
pub const DEFAULT_SLA_HOURS: u32 = 48;
/// Longest note on a case status change, and the contact a customer may leave, in characters.
pub const MAX_CASE_NOTE_CHARS: usize = 1000;
pub const MAX_CONTACT_CHARS: usize = 200;
/// Default days a contact is kept after its case is resolved, and the bounds of that setting.
pub const DEFAULT_CONTACT_RETENTION_DAYS: u32 = 30;
pub const MAX_CONTACT_RETENTION_DAYS: u32 = 3650;
/// Longest `sla_hours` setting (a year).
pub const MAX_SLA_HOURS: u32 = 8760;
/// Cases per page of `GET …/cases`: default and largest.
pub const CASES_PAGE: usize = 50;
pub const MAX_CASES_PAGE: usize = 100;
/// Most ids in one `POST …/follow-ups`, and the largest body of it, in bytes (larger: 413).
pub const MAX_FOLLOW_UP_IDS: usize = 20;
/// How long a browser remembers its own negative answers to ask about them again, in days.
pub const FOLLOW_UP_MEMORY_DAYS: u32 = 90;
pub const MAX_FOLLOW_UP_BODY_BYTES: usize = 2 * 1024;
