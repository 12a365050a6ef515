//! The one list of stable error codes of API v1, and the fault value carried with them.
//!
//! Codes are part of the public API: never rename one. The HTTP status for each is chosen by
//! the edge (this crate knows nothing about HTTP).

use std::fmt;

/// Declares [`Code`] with its wire names, [`Code::ALL`] and [`Code::index`] together, so a new
/// code is in every list at once.
macro_rules! codes {
    ($($name:ident = $wire:literal,)*) => {
        /// A stable, machine-readable error code (serialized in `snake_case`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($name,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: [Code; [$($wire,)*].len()] = [$(Code::$name,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $wire,)*
                }
            }

            /// Position in [`Code::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }
        }
    };
}

codes! {
    MalformedJson = "malformed_json",
    NotAnObject = "not_an_object",
    UnknownField = "unknown_field",
    DuplicateField = "duplicate_field",
    MissingField = "missing_field",
    InvalidType = "invalid_type",
    InvalidId = "invalid_id",
    InvalidTouchpoint = "invalid_touchpoint",
    InvalidKind = "invalid_kind",
    InvalidScore = "invalid_score",
    ScoreOutOfRange = "score_out_of_range",
    CommentTooLong = "comment_too_long",
    InvalidComment = "invalid_comment",
    InvalidPage = "invalid_page",
    InvalidLocale = "invalid_locale",
    TooManyAttributes = "too_many_attributes",
    InvalidAttribute = "invalid_attribute",
    InvalidEvent = "invalid_event",
    InvalidVersion = "invalid_version",
    InvalidStatus = "invalid_status",
    InvalidNote = "invalid_note",
    InvalidContact = "invalid_contact",
    InvalidSiteId = "invalid_site_id",
    InvalidName = "invalid_name",
    InvalidOrigin = "invalid_origin",
    InvalidWebhookUrl = "invalid_webhook_url",
    InvalidQuery = "invalid_query",
    InvalidSetting = "invalid_setting",
    BodyTooLarge = "body_too_large",
    UnsupportedMediaType = "unsupported_media_type",
    Unauthorized = "unauthorized",
    OriginNotAllowed = "origin_not_allowed",
    SiteNotFound = "site_not_found",
    SiteExists = "site_exists",
    NotFound = "not_found",
    MethodNotAllowed = "method_not_allowed",
    RateLimited = "rate_limited",
    Internal = "internal",
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
