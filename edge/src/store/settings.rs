//! Site settings in the primary object: creation, the routing and public config reads, owner
//! changes, token rotation, and what shards ask of their primary.

use super::SiteStore;
use crate::failure::{Failure, Reply};
use crate::http::json;
use crate::rpc::{self, header, CreateSite, Empty, Hook, HookOf, RotateToken, Routing, Wake};
use crate::token::constant_time_eq;
use domain::settings::Settings;
use domain::Code;
use serde::Deserialize;
use worker::{Headers, Request, Response, Result, SqlStorageValue as V};

#[derive(Deserialize)]
struct SettingsRow {
    json: String,
    token_hash: String,
    webhook_secret: String,
}

pub(super) struct Stored {
    pub settings: Settings,
    pub token_hash: String,
    pub webhook_secret: String,
}

impl Stored {
    fn hook(self) -> Hook {
        Hook {
            webhook_url: self.settings.webhook_url,
            webhook_secret: self.webhook_secret,
            retention_days: self.settings.retention_days,
            contact_retention_days: self.settings.contact_retention_days,
        }
    }
}

fn no_site() -> Failure {
    Failure::new(Code::SiteNotFound, "no such site")
}

impl SiteStore {
    pub(super) fn stored(&self) -> std::result::Result<Option<Stored>, Failure> {
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
        Ok(Some(Stored {
            settings: serde_json::from_str(&row.json)?,
            token_hash: row.token_hash,
            webhook_secret: row.webhook_secret,
        }))
    }

    /// The stored site, which must exist (404 otherwise).
    fn site(&self) -> std::result::Result<Stored, Failure> {
        self.stored()?.ok_or_else(no_site)
    }

    /// The stored settings if the request carries the owner token's hash (404 unknown site,
    /// 401 wrong token).
    pub(super) fn owner(&self, req: &Request) -> std::result::Result<Stored, Failure> {
        let stored = self.site()?;
        let given = req.headers().get(header::TOKEN_HASH)?.unwrap_or_default();
        if !constant_time_eq(&given, &stored.token_hash) {
            return Err(Failure::new(
                Code::Unauthorized,
                "this token does not give access to this site",
            ));
        }
        Ok(stored)
    }

    fn save(&self, settings: &Settings) -> Result<()> {
        let text =
            serde_json::to_string(settings).map_err(|e| worker::Error::RustError(e.to_string()))?;
        self.sql().exec(
            "UPDATE settings SET json = ? WHERE id = 1",
            vec![text.into()],
        )?;
        Ok(())
    }

    pub(super) fn create(&self, cmd: CreateSite) -> Reply {
        if self.stored()?.is_some() {
            return Err(Failure::new(
                Code::SiteExists,
                "a site with this id exists already",
            ));
        }
        let text = serde_json::to_string(&cmd.settings)?;
        self.sql().exec(
            "INSERT INTO settings (id, json, token_hash, webhook_secret, created_at) VALUES (1, ?, ?, ?, ?)",
            vec![text.into(), cmd.token_hash.into(), cmd.webhook_secret.into(), V::Integer(Self::now_ms())],
        )?;
        rpc::reply::<CreateSite>(201, &Empty {})
    }

    pub(super) fn routing(&self) -> std::result::Result<Routing, Failure> {
        let s = self.site()?.settings;
        Ok(Routing {
            shard_counts: s.shard_counts(),
            allowed_origins: s.allowed_origins,
            shards: s.shards,
            rate_limit_per_minute: s.rate_limit_per_minute,
            alerts: s.webhook_url.is_some(),
            contact_off: s.contact == domain::settings::ContactMode::Off,
            alert_contact: s.alert_contact,
        })
    }

    /// Public widget config: cacheable, with an ETag so an unchanged config costs a 304.
    pub(super) fn config(&self, req: &Request) -> Reply {
        let s = self.site()?.settings;
        let body = serde_json::to_string(&s.public_view())?;
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

    /// `GET /v1/sites/{site}`: the owner's settings, as `PATCH` answers them.
    pub(super) fn settings_view(&self, req: &Request) -> Reply {
        Ok(json(200, &self.owner(req)?.settings)?)
    }

    pub(super) async fn patch(&self, req: &mut Request) -> Reply {
        let mut stored = self.owner(req)?;
        let patch = domain::settings::decode_patch(&req.bytes().await?)?;
        // What the objects' alarms depend on: only a change to it wakes every object.
        let alarm_inputs = |s: &domain::settings::Settings| {
            (
                s.retention_days,
                s.retention_days.map(|_| s.max_shards),
                s.webhook_url.clone(),
                s.contact_retention_days,
                s.digest,
            )
        };
        let before = alarm_inputs(&stored.settings);
        // While nothing is stored, the old shard count leaves nothing behind to look up.
        let nothing_stored = patch.shards.is_some()
            && stored.settings.shard_counts() == [1]
            && self.stored_responses()? == 0;
        stored.settings.apply(patch);
        if nothing_stored {
            stored.settings.shard_history = vec![stored.settings.shards];
        }
        self.save(&stored.settings)?;
        if alarm_inputs(&stored.settings) != before {
            // Every object of the site re-arms its alarm; a new retention applies at once.
            self.arm(stored.settings.retention_days).await?;
            self.arm_contact_purge(stored.settings.contact_retention_days)
                .await?;
            self.fan_out(&stored.settings.site, stored.settings.max_shards, &Wake {})
                .await?;
        }
        Ok(json(200, &stored.settings)?)
    }

    pub(super) fn rotate(&self, cmd: RotateToken) -> Reply {
        let stored = self.site()?;
        if !cmd.admin && !constant_time_eq(&cmd.presented_hash, &stored.token_hash) {
            return Err(Failure::new(
                Code::Unauthorized,
                "this token may not rotate this site's token",
            ));
        }
        if cmd.new_hash.len() != 64 {
            return Err(Failure::Internal(
                "rotation without a new token hash".into(),
            ));
        }
        self.sql().exec(
            "UPDATE settings SET token_hash = ? WHERE id = 1",
            vec![cmd.new_hash.into()],
        )?;
        rpc::reply::<RotateToken>(200, &Empty {})
    }

    /// For shards: where alerts go and how long data is kept.
    pub(super) fn hook(&self) -> Reply {
        rpc::reply::<HookOf>(200, &self.site()?.hook())
    }

    /// The hook settings of this site, asked of the primary when this object is a shard.
    pub(super) async fn current_hook(&self) -> std::result::Result<Option<Hook>, Failure> {
        let Some((site, primary)) = self.site_and_role() else {
            return Ok(None);
        };
        if primary {
            return Ok(self.stored()?.map(Stored::hook));
        }
        match rpc::ask(&self.env, &site, &HookOf {}).await {
            Ok(hook) => Ok(Some(hook)),
            Err(Failure::Refused(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    pub(super) async fn wake(&self) -> Reply {
        let hook = self.current_hook().await?;
        let contact_days = hook.as_ref().map(|h| h.contact_retention_days);
        self.arm(hook.and_then(|h| h.retention_days)).await?;
        if let Some(days) = contact_days {
            // A changed `contact_retention_days` applies to contacts already due.
            self.arm_contact_purge(days).await?;
        }
        rpc::reply::<Wake>(200, &Empty {})
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
