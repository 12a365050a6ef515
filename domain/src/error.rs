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
    /// Every code, in declaration order (the exhaustive match in `index` keeps it complete).
    pub const ALL: [Code; 33] = [
        Code::MalformedJson,
        Code::NotAnObject,
        Code::UnknownField,
        Code::DuplicateField,
        Code::MissingField,
        Code::InvalidType,
        Code::InvalidId,
        Code::InvalidTouchpoint,
        Code::InvalidKind,
        Code::InvalidScore,
        Code::ScoreOutOfRange,
        Code::CommentTooLong,
        Code::InvalidComment,
        Code::InvalidPage,
        Code::InvalidLocale,
        Code::TooManyAttributes,
        Code::InvalidAttribute,
        Code::InvalidSiteId,
        Code::InvalidName,
        Code::InvalidOrigin,
        Code::InvalidWebhookUrl,
        Code::InvalidQuery,
        Code::InvalidSetting,
        Code::BodyTooLarge,
        Code::UnsupportedMediaType,
        Code::Unauthorized,
        Code::OriginNotAllowed,
        Code::SiteNotFound,
        Code::SiteExists,
        Code::NotFound,
        Code::MethodNotAllowed,
        Code::RateLimited,
        Code::Internal,
    ];

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

impl Code {
    /// Position in [`Code::ALL`]: a new code fails to compile here until it is listed.
    pub const fn index(self) -> usize {
        match self {
            Code::MalformedJson => 0,
            Code::NotAnObject => 1,
            Code::UnknownField => 2,
            Code::DuplicateField => 3,
            Code::MissingField => 4,
            Code::InvalidType => 5,
            Code::InvalidId => 6,
            Code::InvalidTouchpoint => 7,
            Code::InvalidKind => 8,
            Code::InvalidScore => 9,
            Code::ScoreOutOfRange => 10,
            Code::CommentTooLong => 11,
            Code::InvalidComment => 12,
            Code::InvalidPage => 13,
            Code::InvalidLocale => 14,
            Code::TooManyAttributes => 15,
            Code::InvalidAttribute => 16,
            Code::InvalidSiteId => 17,
            Code::InvalidName => 18,
            Code::InvalidOrigin => 19,
            Code::InvalidWebhookUrl => 20,
            Code::InvalidQuery => 21,
            Code::InvalidSetting => 22,
            Code::BodyTooLarge => 23,
            Code::UnsupportedMediaType => 24,
            Code::Unauthorized => 25,
            Code::OriginNotAllowed => 26,
            Code::SiteNotFound => 27,
            Code::SiteExists => 28,
            Code::NotFound => 29,
            Code::MethodNotAllowed => 30,
            Code::RateLimited => 31,
            Code::Internal => 32,
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

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn all_lists_every_code_once() {
        for (i, code) in Code::ALL.into_iter().enumerate() {
            assert_eq!(code.index(), i, "{code}");
        }
    }
}
