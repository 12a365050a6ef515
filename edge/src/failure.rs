//! The edge's one error type: every handler returns `Result<Response, Failure>`, so `?` turns
//! a rule's [`Fault`], a runtime error or an object's refusal into the v1 error response.

use crate::http;
use domain::{Code, Fault};
use worker::Response;

/// Why a request did not get its normal answer.
pub enum Failure {
    /// A broken rule: its status comes from the code ([`http::status`]).
    Fault(Fault),
    /// Over the per-visitor rate limit: 429 with `Retry-After` (seconds).
    Wait(i64),
    /// A Durable Object already answered with an error response: passed on unchanged.
    Refused(Response),
    /// Anything unexpected: logged, answered with a bare 500, never echoed.
    Internal(String),
}

/// What every handler returns.
pub type Reply = Result<Response, Failure>;

impl Failure {
    /// A fault without a field.
    pub fn new(code: Code, message: &str) -> Self {
        Failure::Fault(Fault::new(code, message))
    }

    /// The HTTP response for this failure.
    pub fn into_response(self) -> worker::Result<Response> {
        match self {
            Failure::Fault(f) => http::fault(&f),
            Failure::Wait(seconds) => {
                let mut resp = http::fault(&Fault::new(
                    Code::RateLimited,
                    "too many answers from this visitor; try again later",
                ))?;
                resp.headers_mut()
                    .set("retry-after", &seconds.to_string())?;
                Ok(resp)
            }
            Failure::Refused(resp) => Ok(resp),
            Failure::Internal(why) => {
                worker::console_error!("internal error: {why}");
                http::fault(&Fault::new(Code::Internal, "internal error"))
            }
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Fault(fault) => write!(f, "{}: {}", fault.code, fault.message),
            Failure::Wait(s) => write!(f, "rate limited for {s} s"),
            Failure::Refused(resp) => write!(f, "refused with status {}", resp.status_code()),
            Failure::Internal(why) => f.write_str(why),
        }
    }
}

impl From<Fault> for Failure {
    fn from(f: Fault) -> Self {
        Failure::Fault(f)
    }
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        Failure::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Internal(e.to_string())
    }
}

/// Ends a handler: the normal response, or the failure's response.
pub fn respond(reply: Reply) -> worker::Result<Response> {
    reply.or_else(Failure::into_response)
}
