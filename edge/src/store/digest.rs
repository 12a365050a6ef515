//! The digest: `GET …/digest?period=` builds it now; the primary's alarm queues it at 08:00 UTC
//! through the outbox, remembering its key (`digest:daily:2026-11-29`) in `sent` in the same
//! transaction, so each period's digest goes out once even when the alarm runs twice or the
//! object restarts. The data is gathered like the summary's, from every object of the site.

use super::{pairs, SiteStore};
use crate::atomic::transaction;
use crate::failure::{Failure, Reply};
use crate::http::json;
use crate::rpc::{self, Tick, Ticked};
use domain::digest::{due, next_slot_ms, Period};
use domain::settings::Settings;
use domain::wire::Digest;
use domain::{Code, Fault};
use worker::{Request, SqlStorage, SqlStorageValue as V};

const MS_PER_HOUR: i64 = 3_600_000;

impl SiteStore {
    /// `GET /v1/sites/{site}/digest?period=daily|weekly`.
    pub(super) async fn digest(&self, req: &Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let mut period = None;
        for (k, v) in pairs(params) {
            match k {
                "period" => period = Some(Period::parse(v)?),
                other => {
                    return Err(Fault::at(
                        Code::InvalidQuery,
                        other.chars().take(64).collect::<String>(),
                        "unknown query parameter (allowed: period)",
                    )
                    .into())
                }
            }
        }
        let period = period.ok_or_else(|| {
            Fault::at(
                Code::InvalidQuery,
                "period",
                "period is required (daily or weekly)",
            )
        })?;
        Ok(json(
            200,
            &self.build_digest(&settings, period, Self::now_ms()).await?,
        )?)
    }

    async fn build_digest(
        &self,
        settings: &Settings,
        period: Period,
        now: i64,
    ) -> Result<Digest, Failure> {
        let sla_ms = i64::from(settings.sla_hours) * MS_PER_HOUR;
        let (summary, past_sla) = self
            .gather(settings, &period.query(now), Some(now - sla_ms))
            .await?;
        Ok(domain::digest::build(period, &summary, past_sla))
    }

    /// The alarm's digest step at `now` (in the primary): queues the digest due, once.
    pub(super) async fn digest_step(&self, now: i64) -> Result<bool, Failure> {
        let Some(stored) = self.stored()? else {
            return Ok(false);
        };
        let settings = stored.settings;
        let (Some(_), Some(d)) = (&settings.webhook_url, due(settings.digest, now)) else {
            return Ok(false);
        };
        let key = format!("digest:{}", d.key);
        if sent(&self.sql(), &key).map_err(Failure::Internal)? {
            return Ok(false);
        }
        let payload = serde_json::to_string(&self.build_digest(&settings, d.period, now).await?)?;
        let sql = self.sql();
        // Due at once by the real clock (`now` may be the test hook's).
        let queued_at = Self::now_ms();
        // Checked again inside the transaction: another run may have queued it meanwhile.
        Ok(transaction(&self.state.storage(), move || {
            if sent(&sql, &key)? {
                return Ok(false);
            }
            sql.exec(
                "INSERT INTO sent (key, at) VALUES (?, ?)",
                vec![key.clone().into(), V::Integer(queued_at)],
            )
            .map_err(|e| e.to_string())?;
            super::alerts::enqueue(&sql, &key, &payload, queued_at)?;
            Ok(true)
        })?)
    }

    /// When the primary's alarm must wake for the digest: the next 08:00 slot, or at once when
    /// today's is due and not sent (e.g. the alarm was lost in a restart).
    pub(super) fn digest_alarm_at(&self, now: i64) -> Result<Option<i64>, Failure> {
        let Some(stored) = self.stored()? else {
            return Ok(None);
        };
        let s = stored.settings;
        if s.webhook_url.is_none() {
            return Ok(None);
        }
        if let Some(d) = due(s.digest, now) {
            if !sent(&self.sql(), &format!("digest:{}", d.key)).map_err(Failure::Internal)? {
                return Ok(Some(now));
            }
        }
        Ok(next_slot_ms(s.digest, now))
    }

    /// The test hook: the digest step as at `now_ms` (then the real alarm delivers), and the
    /// contact deletion as at `now_ms`.
    pub(super) async fn tick(&self, t: Tick) -> Reply {
        let queued = self.digest_step(t.now_ms).await?;
        if queued {
            self.state.storage().set_alarm(10).await?;
        }
        // And the alarm's contact deletion, as at `now` (this object's contacts).
        if let Some(hook) = self.current_hook().await? {
            self.purge_contacts(hook.contact_retention_days, t.now_ms)?;
        }
        rpc::reply::<Tick>(200, &Ticked { queued })
    }
}

fn sent(sql: &SqlStorage, key: &str) -> Result<bool, String> {
    let rows: Vec<serde_json::Value> = sql
        .exec("SELECT 1 AS s FROM sent WHERE key = ?", vec![key.into()])
        .map_err(|e| e.to_string())?
        .to_array()
        .map_err(|e| e.to_string())?;
    Ok(!rows.is_empty())
}
