//! The only network I/O of the dashboard: the owner routes of API v1, same origin, with the
//! owner token as a bearer token. Every failure becomes an [`ApiError`] the page can explain.

use crate::query::{encode, Format, Query};
use crate::session::Session;
use domain::recovery::CasesQuery;
use domain::settings::Settings;
use domain::wire::{CasePatch, CaseView, CasesPage, ErrorBody, Summary};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit};

/// Why a request did not give what was asked, in terms the owner can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the token is wrong, or was rotated.
    Unauthorized,
    /// 404 `site_not_found`.
    SiteNotFound,
    /// Another client error, with the server's own explanation.
    Refused {
        status: u16,
        message: String,
        /// The field the server named (a setting's key), to show the message next to it.
        field: Option<String>,
    },
    /// 5xx.
    Server(u16),
    /// No answer at all (offline, server down, blocked).
    Network,
    /// An answer that is not what API v1 promises.
    Unreadable,
}

impl ApiError {
    /// From a non-2xx status and its `{"error": {…}}` body.
    pub fn from_reply(status: u16, body: &str) -> ApiError {
        let detail = serde_json::from_str::<ErrorBody>(body)
            .ok()
            .map(|b| b.error);
        match (status, detail) {
            (401, _) => ApiError::Unauthorized,
            (404, Some(d)) if d.code == "site_not_found" => ApiError::SiteNotFound,
            (400..=499, Some(d)) => ApiError::Refused {
                status,
                message: d.message,
                field: d.field,
            },
            (400..=499, None) => ApiError::Refused {
                status,
                field: None,
                message: format!("The request was refused (HTTP {status})."),
            },
            _ => ApiError::Server(status),
        }
    }

    /// Whether the owner has to sign in again (wrong token or site id).
    pub fn ends_session(&self) -> bool {
        matches!(self, ApiError::Unauthorized | ApiError::SiteNotFound)
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => {
                "This owner token is not accepted for this site (HTTP 401). Check the token — it may have been rotated — and sign in again.".into()
            }
            ApiError::SiteNotFound => "There is no site with this id (HTTP 404). Check the site id and sign in again.".into(),
            ApiError::Refused {
                status, message, ..
            } => format!("{message} (HTTP {status})"),
            ApiError::Server(status) => format!("The server had a problem (HTTP {status}). Try again in a moment."),
            ApiError::Network => "Could not reach the Earshot server. Check your connection and try again.".into(),
            ApiError::Unreadable => "The server's answer could not be read. Reload the page and try again.".into(),
        }
    }
}

/// One answer: status, the next export cursor if any, and the body text.
struct Reply {
    status: u16,
    next_cursor: Option<String>,
    body: String,
}

fn site_path(session: &Session, rest: &str) -> String {
    format!("/v1/sites/{}{rest}", encode(&session.site))
}

async fn send(method: &str, url: &str, session: &Session) -> Result<Reply, ApiError> {
    send_body(method, url, session, None).await
}

async fn send_body(
    method: &str,
    url: &str,
    session: &Session,
    body: Option<&str>,
) -> Result<Reply, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let headers = Headers::new().map_err(|_| ApiError::Network)?;
    headers
        .set("authorization", &format!("Bearer {}", session.token))
        .map_err(|_| ApiError::Unauthorized)?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        headers
            .set("content-type", "application/json")
            .map_err(|_| ApiError::Network)?;
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| ApiError::Network)?;
    let next_cursor = resp.headers().get("x-earshot-next-cursor").ok().flatten();
    let text = resp.text().map_err(|_| ApiError::Network)?;
    let body = JsFuture::from(text)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status: resp.status(),
        next_cursor,
        body,
    })
}

fn expect_ok(reply: Reply) -> Result<Reply, ApiError> {
    if (200..300).contains(&reply.status) {
        Ok(reply)
    } else {
        Err(ApiError::from_reply(reply.status, &reply.body))
    }
}

/// `GET /v1/sites/{site}/summary`.
pub async fn summary(session: &Session, query: &Query) -> Result<Summary, ApiError> {
    let url = site_path(session, &format!("/summary{}", query.summary_params()));
    let reply = expect_ok(send("GET", &url, session).await?)?;
    serde_json::from_str(&reply.body).map_err(|_| ApiError::Unreadable)
}

/// The whole export of the range: every page of `GET /v1/sites/{site}/responses`, following
/// `X-Earshot-Next-Cursor`. `progress` hears the number of records so far after each page.
pub async fn export(
    session: &Session,
    query: &Query,
    format: Format,
    progress: impl Fn(usize),
) -> Result<(String, usize), ApiError> {
    let (mut text, mut records, mut cursor) = (String::new(), 0, None::<String>);
    loop {
        let url = site_path(
            session,
            &format!(
                "/responses{}",
                query.export_params(format, cursor.as_deref())
            ),
        );
        let reply = expect_ok(send("GET", &url, session).await?)?;
        records += format.records(&reply.body, cursor.is_none());
        text.push_str(&reply.body);
        progress(records);
        match reply.next_cursor {
            // A cursor that does not move would loop forever.
            Some(next) if cursor.as_deref() != Some(next.as_str()) => cursor = Some(next),
            Some(_) => return Err(ApiError::Unreadable),
            None => return Ok((text, records)),
        }
    }
}

/// One page of `GET /v1/sites/{site}/cases` and the next page's cursor.
pub async fn cases(
    session: &Session,
    query: &CasesQuery,
    cursor: Option<&str>,
) -> Result<(CasesPage, Option<String>), ApiError> {
    let mut q = query.to_query();
    if let Some(c) = cursor {
        q.push_str("&cursor=");
        q.push_str(&encode(c));
    }
    let reply = expect_ok(send("GET", &site_path(session, &format!("/cases{q}")), session).await?)?;
    let page = serde_json::from_str(&reply.body).map_err(|_| ApiError::Unreadable)?;
    Ok((page, reply.next_cursor))
}

/// `PATCH /v1/sites/{site}/cases/{id}`: the case as it is now.
pub async fn patch_case(
    session: &Session,
    id: &str,
    patch: &CasePatch,
) -> Result<CaseView, ApiError> {
    let url = site_path(session, &format!("/cases/{}", encode(id)));
    let body = serde_json::to_string(patch).map_err(|_| ApiError::Unreadable)?;
    let reply = expect_ok(send_body("PATCH", &url, session, Some(&body)).await?)?;
    serde_json::from_str(&reply.body).map_err(|_| ApiError::Unreadable)
}

/// `GET /v1/sites/{site}`: the settings now in force.
pub async fn settings(session: &Session) -> Result<Settings, ApiError> {
    let reply = expect_ok(send("GET", &site_path(session, ""), session).await?)?;
    serde_json::from_str(&reply.body).map_err(|_| ApiError::Unreadable)
}

/// `PATCH /v1/sites/{site}` with the changed keys: the settings now in force.
pub async fn patch_settings(
    session: &Session,
    patch: &serde_json::Value,
) -> Result<Settings, ApiError> {
    let body = patch.to_string();
    let reply =
        expect_ok(send_body("PATCH", &site_path(session, ""), session, Some(&body)).await?)?;
    serde_json::from_str(&reply.body).map_err(|_| ApiError::Unreadable)
}

/// `POST /v1/sites/{site}/token`: the new owner token (shown once).
pub async fn rotate_token(session: &Session) -> Result<String, ApiError> {
    let reply = expect_ok(send("POST", &site_path(session, "/token"), session).await?)?;
    serde_json::from_str::<serde_json::Value>(&reply.body)
        .ok()
        .and_then(|v| v["owner_token"].as_str().map(String::from))
        .ok_or(ApiError::Unreadable)
}

/// `DELETE /v1/sites/{site}/responses/{id}`.
pub async fn erase(session: &Session, id: &str) -> Result<(), ApiError> {
    let url = site_path(session, &format!("/responses/{}", encode(id)));
    expect_ok(send("DELETE", &url, session).await?).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn replies_become_errors_the_owner_can_act_on() {
        let body =
            |code: &str, msg: &str| format!(r#"{{"error":{{"code":"{code}","message":"{msg}"}}}}"#);
        assert_eq!(
            ApiError::from_reply(401, &body("unauthorized", "no")),
            ApiError::Unauthorized
        );
        assert_eq!(
            ApiError::from_reply(404, &body("site_not_found", "no such site")),
            ApiError::SiteNotFound
        );
        // An erased response is a 404 too, but the session is fine.
        let gone = ApiError::from_reply(404, &body("not_found", "no such response"));
        assert_eq!(
            gone,
            ApiError::Refused {
                status: 404,
                message: "no such response".into(),
                field: None
            }
        );
        assert!(!gone.ends_session());
        assert!(ApiError::Unauthorized.ends_session() && ApiError::SiteNotFound.ends_session());
        let bad = ApiError::from_reply(
            400,
            &body("invalid_query", "to must be a date like 2026-11-30"),
        );
        assert_eq!(
            bad.message(),
            "to must be a date like 2026-11-30 (HTTP 400)"
        );
        assert_eq!(ApiError::from_reply(502, "<html>"), ApiError::Server(502));
        assert!(ApiError::from_reply(429, "").message().contains("429"));
        assert!(ApiError::Unauthorized.message().contains("401"));
        assert!(ApiError::SiteNotFound.message().contains("404"));
        assert!(ApiError::Network.message().contains("reach"));
    }
}
