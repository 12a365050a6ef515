//! Site settings in the primary object: creation, the routing and public config reads, owner
//! changes, token rotation, and what shards ask of their primary.

use super::{internal, Empty, SiteStore};
use crate::http::{error, fault, json};
use crate::routes::{H_ADMIN, H_NEW_TOKEN_HASH, H_TOKEN_HASH};
use crate::token::constant_time_eq;
use domain::settings::Settings;
use domain::Code;
use serde::{Deserialize, Serialize};
use worker::{Headers, Request, Response, Result, SqlStorageValue as V};

/// What the front door needs to route an answer; cached briefly in each isolate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Routing {
    pub allowed_origins: Vec<String>,
    pub shards: u32,
    pub rate_limit_per_minute: u32,
    /// Whether a webhook is set (negative answers queue an alert).
    pub alerts: bool,
    /// Shard counts an id may have been stored under ([`Settings::shard_counts`]).
    #[serde(default)]
    pub shard_counts: Vec<u32>,
}

/// What a shard asks its primary before delivering alerts or enforcing retention.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hook {
    pub webhook_url: Option<String>,
    pub webhook_secret: String,
    pub retention_days: Option<u32>,
}

#[derive(Deserialize)]
struct SettingsRow {
    json: String,
    token_hash: String,
    webhook_secret: String,
}

#[derive(Deserialize)]
struct CreateCommand {
    settings: Settings,
    token_hash: String,
    webhook_secret: String,
}

pub(super) struct Stored {
    pub settings: Settings,
    pub token_hash: String,
    pub webhook_secret: String,
}

impl SiteStore {
    pub(super) fn stored(&self) -> Result<Option<Stored>> {
        let rows: Vec<SettingsRow> = self
            .sql()
            .exec(
                "SELECT json, token_hash, webhook_secret FROM settings WHERE id = 1",
                None,
            )?
            .to_array()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let settings = serde_json::from_str(&row.json).map_err(internal)?;
        Ok(Some(Stored {
            settings,
            token_hash: row.token_hash,
            webhook_secret: row.webhook_secret,
        }))
    }

    /// The stored settings if the request carries the owner token's hash; otherwise the error
    /// response to send (404 unknown site, 401 wrong token).
    pub(super) fn owner(&self, req: &Request) -> Result<std::result::Result<Stored, Response>> {
        let Some(stored) = self.stored()? else {
            return Ok(Err(error(Code::SiteNotFound, "no such site")?));
        };
        let given = req.headers().get(H_TOKEN_HASH)?.unwrap_or_default();
        if !constant_time_eq(&given, &stored.token_hash) {
            return Ok(Err(error(
                Code::Unauthorized,
                "this token does not give access to this site",
            )?));
        }
        Ok(Ok(stored))
    }

    fn save(&self, settings: &Settings) -> Result<()> {
        let text = serde_json::to_string(settings).map_err(internal)?;
        self.sql().exec(
            "UPDATE settings SET json = ? WHERE id = 1",
            vec![text.into()],
        )?;
        Ok(())
    }

    pub(super) async fn create(&self, req: &mut Request) -> Result<Response> {
        let cmd: CreateCommand = req.json().await?;
        if self.stored()?.is_some() {
            return error(Code::SiteExists, "a site with this id exists already");
        }
        let text = serde_json::to_string(&cmd.settings).map_err(internal)?;
        self.sql().exec(
            "INSERT INTO settings (id, json, token_hash, webhook_secret, created_at) VALUES (1, ?, ?, ?, ?)",
            vec![text.into(), cmd.token_hash.into(), cmd.webhook_secret.into(), V::Integer(Self::now_ms())],
        )?;
        json(201, &Empty {})
    }

    pub(super) fn routing(&self) -> Result<Response> {
        let Some(s) = self.stored()?.map(|s| s.settings) else {
            return error(Code::SiteNotFound, "no such site");
        };
        let shard_counts = s.shard_counts();
        json(
            200,
            &Routing {
                allowed_origins: s.allowed_origins,
                shards: s.shards,
                rate_limit_per_minute: s.rate_limit_per_minute,
                alerts: s.webhook_url.is_some(),
                shard_counts,
            },
        )
    }

    /// Public widget config: cacheable, with an ETag so an unchanged config costs a 304.
    pub(super) fn config(&self, req: &Request) -> Result<Response> {
        let Some(s) = self.stored()?.map(|s| s.settings) else {
            return error(Code::SiteNotFound, "no such site");
        };
        let body = serde_json::to_string(&s.public()).map_err(internal)?;
        let tag = format!("\"{}\"", &crate::token::sha256_hex(&body)[..16]);
        let headers = Headers::new();
        headers.set("etag", &tag)?;
        headers.set(
            "cache-control",
            "public, max-age=60, stale-while-revalidate=600",
        )?;
        if req
            .headers()
            .get("if-none-match")?
            .is_some_and(|t| t.split(',').any(|t| t.trim() == tag))
        {
            return Ok(Response::empty()?.with_status(304).with_headers(headers));
        }
        headers.set("content-type", "application/json; charset=utf-8")?;
        Ok(Response::ok(body)?.with_headers(headers))
    }

    pub(super) async fn patch(&self, req: &mut Request) -> Result<Response> {
        let mut stored = match self.owner(req)? {
            Ok(s) => s,
            Err(resp) => return Ok(resp),
        };
        let body = req.bytes().await?;
        let patch = match domain::settings::decode_patch(&body) {
            Ok(p) => p,
            Err(f) => return fault(&f),
        };
        let wake =
            patch.retention_days.is_some() || patch.shards.is_some() || patch.webhook_url.is_some();
        // While nothing is stored, the old shard count leaves nothing behind to look up.
        let nothing_stored = patch.shards.is_some()
            && stored.settings.shard_counts() == [1]
            && self.stored_responses()? == 0;
        stored.settings.apply(patch);
        if nothing_stored {
            stored.settings.shard_history = vec![stored.settings.shards];
        }
        self.save(&stored.settings)?;
        if wake {
            // Every object of the site re-arms its alarm; a new retention applies at once.
            self.arm(stored.settings.retention_days).await?;
            let _: Vec<Empty> = self
                .fan_out(&stored.settings.site, stored.settings.max_shards, "wake")
                .await?;
        }
        json(200, &stored.settings)
    }

    pub(super) fn rotate(&self, req: &Request) -> Result<Response> {
        let Some(stored) = self.stored()? else {
            return error(Code::SiteNotFound, "no such site");
        };
        let given = req.headers().get(H_TOKEN_HASH)?.unwrap_or_default();
        let admin = req.headers().get(H_ADMIN)?.is_some_and(|v| v == "1");
        if !admin && !constant_time_eq(&given, &stored.token_hash) {
            return error(
                Code::Unauthorized,
                "this token may not rotate this site's token",
            );
        }
        let new_hash = req.headers().get(H_NEW_TOKEN_HASH)?.unwrap_or_default();
        if new_hash.len() != 64 {
            return error(Code::Internal, "no new token");
        }
        self.sql().exec(
            "UPDATE settings SET token_hash = ? WHERE id = 1",
            vec![new_hash.into()],
        )?;
        json(200, &Empty {})
    }

    /// For shards: where alerts go and how long data is kept.
    pub(super) fn hook(&self) -> Result<Response> {
        let Some(stored) = self.stored()? else {
            return error(Code::SiteNotFound, "no such site");
        };
        json(
            200,
            &Hook {
                webhook_url: stored.settings.webhook_url,
                webhook_secret: stored.webhook_secret,
                retention_days: stored.settings.retention_days,
            },
        )
    }

    /// The hook settings of this site, asked of the primary when this object is a shard.
    pub(super) async fn current_hook(&self) -> Result<Option<Hook>> {
        let Some((site, primary)) = self.site_and_role() else {
            return Ok(None);
        };
        if primary {
            return Ok(self.stored()?.map(|s| Hook {
                webhook_url: s.settings.webhook_url,
                webhook_secret: s.webhook_secret,
                retention_days: s.settings.retention_days,
            }));
        }
        let mut resp = crate::routes::call(&self.env, &site, "hook", Headers::new(), None).await?;
        if resp.status_code() != 200 {
            return Ok(None);
        }
        Ok(Some(resp.json().await?))
    }

    pub(super) async fn wake(&self) -> Result<Response> {
        let hook = self.current_hook().await?;
        self.arm(hook.and_then(|h| h.retention_days)).await?;
        json(200, &Empty {})
    }

    /// Schedules the alarm after a settings change: right away when data is to be retained for a
    /// limited time (so a new retention is enforced now), else for the next due alert.
    async fn arm(&self, retention_days: Option<u32>) -> Result<()> {
        match retention_days {
            Some(_) => self.state.storage().set_alarm(10).await,
            None => self.schedule_alarm(Some(None)).await,
        }
    }
}
