//! The one list of stable error codes of API v1, and the fault value carried with them.
//!
//! Codes are part of the public API: never rename one. The HTTP status for each is chosen by
//! the edge (this crate knows nothing about HTTP).

use std::fmt;

/// A stable, machine-readable error code (serialized in `snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    MalformedJson,
    NotAnObject,
    UnknownField,
    DuplicateField,
    MissingField,
    InvalidType,
    InvalidId,
    InvalidTouchpoint,
    InvalidKind,
    InvalidScore,
    ScoreOutOfRange,
    CommentTooLong,
    InvalidComment,
    InvalidPage,
    InvalidLocale,
    TooManyAttributes,
    InvalidAttribute,
    InvalidEvent,
    InvalidVersion,
    InvalidStatus,
    InvalidNote,
    InvalidContact,
    InvalidSiteId,
    InvalidName,
    InvalidOrigin,
    InvalidWebhookUrl,
    InvalidQuery,
    InvalidSetting,
    BodyTooLarge,
    UnsupportedMediaType,
    Unauthorized,
    OriginNotAllowed,
    SiteNotFound,
    SiteExists,
    NotFound,
    MethodNotAllowed,
    RateLimited,
    Internal,
}

impl Code {
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::MalformedJson => "malformed_json",
            Code::NotAnObject => "not_an_object",
            Code::UnknownField => "unknown_field",
            Code::DuplicateField => "duplicate_field",
            Code::MissingField => "missing_field",
            Code::InvalidType => "invalid_type",
            Code::InvalidId => "invalid_id",
            Code::InvalidTouchpoint => "invalid_touchpoint",
            Code::InvalidKind => "invalid_kind",
            Code::InvalidScore => "invalid_score",
            Code::ScoreOutOfRange => "score_out_of_range",
            Code::CommentTooLong => "comment_too_long",
            Code::InvalidComment => "invalid_comment",
            Code::InvalidPage => "invalid_page",
            Code::InvalidLocale => "invalid_locale",
            Code::TooManyAttributes => "too_many_attributes",
            Code::InvalidAttribute => "invalid_attribute",
            Code::InvalidEvent => "invalid_event",
            Code::InvalidVersion => "invalid_version",
            Code::InvalidStatus => "invalid_status",
            Code::InvalidNote => "invalid_note",
            Code::InvalidContact => "invalid_contact",
            Code::InvalidSiteId => "invalid_site_id",
            Code::InvalidName => "invalid_name",
            Code::InvalidOrigin => "invalid_origin",
            Code::InvalidWebhookUrl => "invalid_webhook_url",
            Code::InvalidQuery => "invalid_query",
            Code::InvalidSetting => "invalid_setting",
            Code::BodyTooLarge => "body_too_large",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::Unauthorized => "unauthorized",
            Code::OriginNotAllowed => "origin_not_allowed",
            Code::SiteNotFound => "site_not_found",
            Code::SiteExists => "site_exists",
            Code::NotFound => "not_found",
            Code::MethodNotAllowed => "method_not_allowed",
            Code::RateLimited => "rate_limited",
            Code::Internal => "internal",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fault: what is wrong, in words for a human, and which field (if one is to blame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: Code,
    pub message: String,
    pub field: Option<String>,
}

impl Fault {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn at(code: Code, field: impl Into<String>, message: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The v1 JSON error body for this fault.
    pub fn to_body(&self) -> crate::wire::ErrorBody {
        crate::wire::ErrorBody {
            error: crate::wire::ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message.clone(),
                field: self.field.clone(),
            },
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({}): {}", self.code, field, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}
