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
        validate_name(&name)?;
        if c.allowed_origins.len() > MAX_ALLOWED_ORIGINS {
            return Err(Fault::at(
                Code::InvalidOrigin,
                "allowed_origins",
                format!("at most {MAX_ALLOWED_ORIGINS} allowed origins"),
            ));
        }
        let allowed_origins = c
            .allowed_origins
            .iter()
            .map(|o| normalize_origin(o))
            .collect::<Result<Vec<_>, _>>()?;
        let webhook_url = c
            .webhook_url
            .map(|u| validate_webhook_url(&u))
            .transpose()?;
        let site_id = c
            .site_id
            .map(|s| validate_site_id(&s).map(|_| s))
            .transpose()?;
        Ok(NewSite {
            name,
            allowed_origins,
            webhook_url,
            site_id,
        })
    }
}

/// `POST /v1/sites` body → a validated site: strict JSON (no duplicate or unknown keys), then
/// the field rules.
pub fn decode_create(body: &[u8]) -> Result<NewSite, Fault> {
    let object = crate::ingest::decode_object(body)?;
    let create: CreateSite = serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| Fault::new(Code::InvalidSetting, format!("invalid site: {e}")))?;
    NewSite::try_from(create)
}

/// A site's display name: 1–100 characters, no control characters.
pub fn validate_name(name: &str) -> Result<(), Fault> {
    if name.is_empty()
        || name.chars().count() > MAX_SITE_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Fault::at(
            Code::InvalidName,
            "name",
            format!("name must be 1–{MAX_SITE_NAME_CHARS} characters"),
        ));
    }
    Ok(())
}

/// 1–40 characters of `a-z 0-9 -`, not starting with `-`.
pub fn validate_site_id(s: &str) -> Result<(), Fault> {
    let ok = !s.is_empty()
        && s.len() <= MAX_SITE_ID_CHARS
        && !s.starts_with('-')
        && s.bytes()
            .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Fault::at(
            Code::InvalidSiteId,
            "site_id",
            format!("a site id is 1–{MAX_SITE_ID_CHARS} characters of a-z 0-9 -"),
        ))
    }
}

/// `scheme://host[:port]` exactly as browsers send it in the `Origin` header (lowercase, no
/// path, no default-port rewriting).
pub fn normalize_origin(s: &str) -> Result<String, Fault> {
    let bad = || {
        Fault::at(
            Code::InvalidOrigin,
            "allowed_origins",
            "an origin looks like https://shop.example or http://127.0.0.1:8787",
        )
    };
    let lower = s.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || rest.starts_with('[') => (h, Some(p)),
        _ => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'[' | b']' | b':'));
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n > 0 && n < 65536)
    });
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
        .ok_or_else(|| {
            Fault::at(
                Code::InvalidWebhookUrl,
                "webhook_url",
                "webhook_url must be an absolute http(s) URL",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            normalize_origin("HTTPS://Shop.Example").unwrap(),
            "https://shop.example"
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:8787").unwrap(),
            "http://127.0.0.1:8787"
        );
        for bad in [
            "shop.example",
            "https://shop.example/",
            "ftp://x",
            "https://",
            "http://a:0",
            "http://a:99999",
            "https://a b",
        ] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn site_ids() {
        assert!(validate_site_id("demo").is_ok());
        for bad in [
            "",
            "Demo",
            "-x",
            "a/b",
            "../x",
            "x'; drop table",
            &"a".repeat(41),
        ] {
            assert!(validate_site_id(bad).is_err(), "{bad}");
        }
    }
}

/// Which of a site's `shards` Durable Objects stores the response `id` (FNV-1a of the id), so a
/// replay of the same id always lands on the same shard.
pub fn shard_for(id: &str, shards: u32) -> u32 {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    (h % shards.max(1) as u64) as u32
}

/// The Durable Object name of shard `k` of `site`: shard 0 is the site's own object, which also
/// keeps the settings.
pub fn shard_name(site: &str, k: u32) -> String {
    if k == 0 {
        site.to_string()
    } else {
        format!("{site}#{k}")
    }
}

/// The inverse of [`shard_name`]: the site and shard number of a Durable Object's name
/// (`None` for a name [`shard_name`] cannot have made).
pub fn parse_object_name(name: &str) -> Option<(&str, u32)> {
    match name.split_once('#') {
        None => validate_site_id(name).ok().map(|_| (name, 0)),
        Some((site, k)) => {
            let k: u32 = k.parse().ok().filter(|k| *k > 0)?;
            (validate_site_id(site).is_ok() && k.to_string().len() == name.len() - site.len() - 1)
                .then_some((site, k))
        }
    }
}

/// The other shards that may already hold `id`: where it mapped under the earlier shard
/// `counts` of the site, without the shard it maps to now. A replay must be checked there, or an
/// answer stored before the owner changed the shard count would be stored (and counted) twice.
pub fn earlier_shards(id: &str, shards: u32, counts: &[u32]) -> Vec<u32> {
    let now = shard_for(id, shards);
    let mut out: Vec<u32> = counts
        .iter()
        .map(|n| shard_for(id, *n))
        .filter(|k| *k != now)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn shards_spread_and_are_stable() {
        let ids: Vec<String> = (0..400)
            .map(|i| format!("{i:08x}-0000-4000-8000-000000000000"))
            .collect();
        let mut seen = [0u32; 4];
        for id in &ids {
            let k = shard_for(id, 4);
            assert_eq!(k, shard_for(id, 4));
            seen[k as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 60), "{seen:?}");
        assert_eq!(shard_for("x", 1), 0);
        assert_eq!(shard_for("x", 0), 0);
        assert_eq!(shard_name("shop", 0), "shop");
        assert_eq!(shard_name("shop", 3), "shop#3");
    }

    #[test]
    fn object_names_parse_back() {
        for (site, k) in [("shop", 0), ("shop", 1), ("a-b-c", 63), ("demo", 4_000_000)] {
            assert_eq!(parse_object_name(&shard_name(site, k)), Some((site, k)));
        }
        for bad in [
            "", "shop#", "shop#0", "shop#01", "shop#-1", "#1", "shop#1#2", "Sh op",
        ] {
            assert_eq!(parse_object_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn earlier_shards_are_where_an_id_mapped_before() {
        for id in ["a", "b", "c", "0b6f6c9e-3c1a-4d2e-9f10-2a3b4c5d6e7f"] {
            assert!(
                earlier_shards(id, 4, &[4]).is_empty(),
                "a count that never changed needs no look-up"
            );
            let before = earlier_shards(id, 4, &[1, 4]);
            let now = shard_for(id, 4);
            assert_eq!(before, if now == 0 { vec![] } else { vec![0] }, "{id}");
            let many = earlier_shards(id, 2, &[1, 4, 2, 8]);
            assert!(!many.contains(&shard_for(id, 2)));
            assert!([1, 4, 8].iter().all(
                |n| shard_for(id, *n) == shard_for(id, 2) || many.contains(&shard_for(id, *n))
            ));
        }
    }
}
