//! Site settings: ids, names, allowed origins and webhook URLs.

use crate::error::{Code, Fault};
use crate::limits::{MAX_ALLOWED_ORIGINS, MAX_SITE_ID_CHARS, MAX_SITE_NAME_CHARS};
use crate::wire::CreateSite;

/// A validated site to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSite {
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub webhook_url: Option<String>,
    pub site_id: Option<String>,
}

impl TryFrom<CreateSite> for NewSite {
    type Error = Fault;
    fn try_from(c: CreateSite) -> Result<Self, Fault> {
        let name = c.name.trim().to_string();
        if name.is_empty() || name.chars().count() > MAX_SITE_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(Fault::at(Code::InvalidName, "name", format!("name must be 1–{MAX_SITE_NAME_CHARS} characters")));
        }
        if c.allowed_origins.len() > MAX_ALLOWED_ORIGINS {
            return Err(Fault::at(
                Code::InvalidOrigin,
                "allowed_origins",
                format!("at most {MAX_ALLOWED_ORIGINS} allowed origins"),
            ));
        }
        let allowed_origins = c.allowed_origins.iter().map(|o| normalize_origin(o)).collect::<Result<Vec<_>, _>>()?;
        let webhook_url = c.webhook_url.map(|u| validate_webhook_url(&u)).transpose()?;
        let site_id = c.site_id.map(|s| validate_site_id(&s).map(|_| s)).transpose()?;
        Ok(NewSite { name, allowed_origins, webhook_url, site_id })
    }
}

/// 1–40 characters of `a-z 0-9 -`, not starting with `-`.
pub fn validate_site_id(s: &str) -> Result<(), Fault> {
    let ok = !s.is_empty()
        && s.len() <= MAX_SITE_ID_CHARS
        && !s.starts_with('-')
        && s.bytes().all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Fault::at(Code::InvalidSiteId, "site_id", format!("a site id is 1–{MAX_SITE_ID_CHARS} characters of a-z 0-9 -")))
    }
}

/// `scheme://host[:port]` exactly as browsers send it in the `Origin` header (lowercase, no
/// path, no default-port rewriting).
pub fn normalize_origin(s: &str) -> Result<String, Fault> {
    let bad = || {
        Fault::at(Code::InvalidOrigin, "allowed_origins", "an origin looks like https://shop.example or http://127.0.0.1:8787")
    };
    let lower = s.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or_else(bad)?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || rest.starts_with('[') => (h, Some(p)),
        _ => (rest, None),
    };
    let host_ok = !host.is_empty() && host.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'[' | b']' | b':'));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n > 0 && n < 65536));
    if host_ok && port_ok {
        Ok(lower)
    } else {
        Err(bad())
    }
}

pub fn validate_webhook_url(s: &str) -> Result<String, Fault> {
    crate::ingest::normalize_page(s)
        .ok()
        .filter(|u| u.len() == s.len())
        .ok_or_else(|| Fault::at(Code::InvalidWebhookUrl, "webhook_url", "webhook_url must be an absolute http(s) URL"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(normalize_origin("HTTPS://Shop.Example").unwrap(), "https://shop.example");
        assert_eq!(normalize_origin("http://127.0.0.1:8787").unwrap(), "http://127.0.0.1:8787");
        for bad in ["shop.example", "https://shop.example/", "ftp://x", "https://", "http://a:0", "http://a:99999", "https://a b"] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn site_ids() {
        assert!(validate_site_id("demo").is_ok());
        for bad in ["", "Demo", "-x", "a/b", "../x", "x'; drop table", &"a".repeat(41)] {
            assert!(validate_site_id(bad).is_err(), "{bad}");
        }
    }
}
