//! Site settings: ids, names, allowed origins and webhook URLs, and where a site's data lives.

use crate::error::{Code, Fault};
use crate::limits::{MAX_ALLOWED_ORIGINS, MAX_SITE_ID_CHARS, MAX_SITE_NAME_CHARS};
use crate::wire::CreateSite;
use serde::{Deserialize, Serialize};

/// A validated site to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSite {
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub webhook_url: Option<String>,
    /// The wished-for id, without its location.
    pub site_id: Option<String>,
    pub location: Option<Location>,
}

impl NewSite {
    /// The id the site gets: `id` (the wished-for one or a fresh one) behind its location.
    pub fn located_id(&self, id: &str) -> String {
        match self.location {
            Some(l) => format!("{}.{id}", l.as_str()),
            None => id.to_string(),
        }
    }
}

/// Cloudflare Durable Object jurisdictions: the object runs and stores its data only inside.
pub const JURISDICTIONS: [&str; 2] = ["eu", "fedramp"];
/// Cloudflare location hints: where the object is first created.
pub const LOCATION_HINTS: [&str; 9] = [
    "wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me",
];

/// Where a site's Durable Objects live, fixed at creation. It is part of the site id
/// (`eu.shop`, `weur.shop`), so the front door picks the namespace from the id alone, with no
/// lookup per request, and every shard (`eu.shop#2`) follows the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Jurisdiction(&'static str),
    Hint(&'static str),
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Jurisdiction(s) | Location::Hint(s) => s,
        }
    }

    fn parse(s: &str) -> Option<Location> {
        JURISDICTIONS
            .iter()
            .find(|j| **j == s)
            .map(|j| Location::Jurisdiction(j))
            .or_else(|| {
                LOCATION_HINTS
                    .iter()
                    .find(|h| **h == s)
                    .map(|h| Location::Hint(h))
            })
    }

    /// The location in a site id or Durable Object name (`eu.shop#2` → the EU jurisdiction);
    /// `None` for a site placed near its first request.
    pub fn of(site_or_object: &str) -> Option<Location> {
        site_or_object
            .split_once('.')
            .and_then(|(place, _)| Location::parse(place))
    }
}

/// `data_location` of the settings and the public config: the jurisdiction or the location
/// hint the site was created with (both `null`: placed near its first request).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataLocation {
    pub jurisdiction: Option<String>,
    pub location_hint: Option<String>,
}

impl DataLocation {
    pub fn of_site(site: &str) -> DataLocation {
        match Location::of(site) {
            Some(Location::Jurisdiction(j)) => DataLocation {
                jurisdiction: Some(j.to_string()),
                location_hint: None,
            },
            Some(Location::Hint(h)) => DataLocation {
                jurisdiction: None,
                location_hint: Some(h.to_string()),
            },
            None => DataLocation::default(),
        }
    }
}

pub const JURISDICTION_RULE: &str = "jurisdiction is eu or fedramp";
pub const LOCATION_HINT_RULE: &str =
    "location_hint is one of wnam, enam, sam, weur, eeur, apac, oc, afr, me";

/// The location asked for at creation: a jurisdiction or a location hint, not both.
fn decode_location(
    jurisdiction: Option<&str>,
    hint: Option<&str>,
) -> Result<Option<Location>, Fault> {
    let bad = |field: &str, rule: &str| Fault::at(Code::InvalidSetting, field, rule);
    match (jurisdiction, hint) {
        (Some(_), Some(_)) => Err(bad(
            "location_hint",
            "give a jurisdiction or a location_hint, not both",
        )),
        (Some(j), None) => JURISDICTIONS
            .iter()
            .find(|x| **x == j)
            .map(|x| Some(Location::Jurisdiction(x)))
            .ok_or_else(|| bad("jurisdiction", JURISDICTION_RULE)),
        (None, Some(h)) => LOCATION_HINTS
            .iter()
            .find(|x| **x == h)
            .map(|x| Some(Location::Hint(x)))
            .ok_or_else(|| bad("location_hint", LOCATION_HINT_RULE)),
        (None, None) => Ok(None),
    }
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
            .map(|s| validate_plain_site_id(&s).map(|_| s))
            .transpose()?;
        let location = decode_location(c.jurisdiction.as_deref(), c.location_hint.as_deref())?;
        Ok(NewSite {
            name,
            allowed_origins,
            webhook_url,
            site_id,
            location,
        })
    }
}

/// `POST /v1/sites` body → a validated site: strict JSON (no duplicate or unknown keys), then
/// the field rules.
pub fn decode_create(body: &[u8]) -> Result<NewSite, Fault> {
    let object = crate::ingest::decode_object(body)?;
    // A location is given or left out; `null` is neither.
    for (key, rule) in [
        ("jurisdiction", JURISDICTION_RULE),
        ("location_hint", LOCATION_HINT_RULE),
    ] {
        if object.get(key).is_some_and(serde_json::Value::is_null) {
            return Err(Fault::at(Code::InvalidSetting, key, rule));
        }
    }
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

/// A site id: 1–40 characters of `a-z 0-9 -`, not starting with `-`, behind its location and
/// a dot when it has one (`eu.shop`).
pub fn validate_site_id(s: &str) -> Result<(), Fault> {
    match s.split_once('.') {
        Some((place, id)) if Location::parse(place).is_some() => validate_plain_site_id(id),
        _ => validate_plain_site_id(s),
    }
}

/// 1–40 characters of `a-z 0-9 -`, not starting with `-` (a wished-for id: the location is
/// asked for on its own).
pub fn validate_plain_site_id(s: &str) -> Result<(), Fault> {
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

    fn create(extra: &str) -> Result<NewSite, Fault> {
        decode_create(
            format!(r#"{{"name": "Shop", "allowed_origins": [], "site_id": "shop"{extra}}}"#)
                .as_bytes(),
        )
    }

    #[test]
    fn a_data_location_is_part_of_the_site_id() {
        let eu = create(r#", "jurisdiction": "eu""#).unwrap();
        assert_eq!(eu.location, Some(Location::Jurisdiction("eu")));
        assert_eq!(eu.located_id("shop"), "eu.shop");
        let hint = create(r#", "location_hint": "weur""#).unwrap();
        assert_eq!(hint.located_id("shop"), "weur.shop");
        assert_eq!(create("").unwrap().located_id("shop"), "shop");
        // Read back from the id and from every shard's object name, with no lookup.
        assert_eq!(
            Location::of("eu.shop#3"),
            Some(Location::Jurisdiction("eu"))
        );
        assert_eq!(Location::of("weur.shop"), Some(Location::Hint("weur")));
        assert_eq!(Location::of("shop"), None);
        assert_eq!(
            parse_object_name("fedramp.shop#2"),
            Some(("fedramp.shop", 2))
        );
        assert_eq!(
            DataLocation::of_site("eu.shop"),
            DataLocation {
                jurisdiction: Some("eu".into()),
                location_hint: None
            }
        );
        assert_eq!(DataLocation::of_site("shop"), DataLocation::default());
        // Only known places, one of the two, and never spelled into the wished-for id.
        for (extra, field) in [
            (r#", "jurisdiction": "us""#, "jurisdiction"),
            (r#", "jurisdiction": "EU""#, "jurisdiction"),
            (r#", "location_hint": "mars""#, "location_hint"),
            (
                r#", "jurisdiction": "eu", "location_hint": null"#,
                "location_hint",
            ),
            (r#", "jurisdiction": null"#, "jurisdiction"),
            (
                r#", "jurisdiction": "eu", "location_hint": "weur""#,
                "location_hint",
            ),
        ] {
            assert_eq!(
                create(extra).unwrap_err().field.as_deref(),
                Some(field),
                "{extra}"
            );
        }
        let dotted =
            decode_create(br#"{"name": "Shop", "allowed_origins": [], "site_id": "eu.shop"}"#);
        assert_eq!(dotted.unwrap_err().field.as_deref(), Some("site_id"));
        for bad in ["xx.shop", "eu.", ".shop", "eu.eu.shop", "eu.-x"] {
            assert!(validate_site_id(bad).is_err(), "{bad}");
        }
        assert!(validate_site_id("eu.shop").is_ok() && validate_site_id("me.a").is_ok());
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

/// Whether every id maps to the site's own object (shard 0), now and under every earlier shard
/// count: then nothing about an answer but its site decides where it goes.
pub fn single_object(shards: u32, counts: &[u32]) -> bool {
    shards <= 1 && counts.iter().all(|n| *n <= 1)
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn a_single_object_site_maps_every_id_to_its_own_object() {
        let ids: Vec<String> = (0..200)
            .map(|i| format!("{i:08x}-0000-4000-8000-000000000000"))
            .collect();
        for (shards, counts) in [
            (1, vec![]),
            (1, vec![1]),
            (0, vec![1]),
            (1, vec![1, 2]),
            (2, vec![1]),
            (1, vec![4]),
        ] {
            let everywhere_zero = ids.iter().all(|id| {
                shard_for(id, shards) == 0 && earlier_shards(id, shards, &counts).is_empty()
            });
            assert_eq!(
                single_object(shards, &counts),
                everywhere_zero,
                "{shards} {counts:?}"
            );
        }
    }

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
