//! The alarm: delivers queued alerts (signed webhook, redelivered with backoff until a 2xx) and
//! enforces the site's retention; then schedules itself for the next due item.

use super::SiteStore;
use crate::failure::Failure;
use crate::rpc::Hook;
use crate::token::signature;
use domain::alert::retry_delay_ms;
use domain::calendar::Day;
use serde::Deserialize;
use worker::{Fetch, Headers, Method, Request, RequestInit, Result, SqlStorageValue as V};

/// Alerts sent per alarm run (the rest wait for the next run, moments later).
const BATCH: i64 = 25;
/// Retention runs this often while it is set.
const RETENTION_EVERY_MS: i64 = 6 * 3_600_000;
/// Responses erased per retention run (the rest on the next run).
const RETENTION_BATCH: i64 = 5_000;

#[derive(Deserialize)]
struct OutboxRow {
    id: i64,
    payload: String,
    attempts: i64,
}

#[derive(Deserialize)]
struct Due {
    at: Option<i64>,
}

impl SiteStore {
    pub(super) async fn run_alarm(&self) -> std::result::Result<(), Failure> {
        let hook = self.current_hook().await?;
        let now = Self::now_ms();
        if let Some(h) = &hook {
            // The primary queues the digest due (if any) first, so this run delivers it.
            if let Err(e) = self.digest_step(now).await {
                worker::console_error!("digest not queued: {e}");
            }
            self.deliver(h, now).await?;
            if let Some(days) = h.retention_days {
                self.retain(days, now)?;
            }
            self.purge_contacts(h.contact_retention_days, now)?;
        }
        let contact_days = hook.as_ref().map(|h| h.contact_retention_days);
        self.schedule_alarm(hook.map(|h| h.retention_days)).await?;
        if let Some(days) = contact_days {
            self.arm_contact_purge(days).await?;
        }
        Ok(())
    }

    /// Pending alerts always have an alarm, even if one was lost (checked once per instance).
    pub(super) async fn ensure_alarm(&self) -> Result<()> {
        let due: Vec<Due> = self
            .sql()
            .exec("SELECT MIN(next_attempt_at) AS at FROM outbox", None)?
            .to_array()?;
        let digest = self.digest_alarm_at(Self::now_ms()).ok().flatten();
        if (due.first().is_some_and(|d| d.at.is_some()) || digest.is_some())
            && self.state.storage().get_alarm().await?.is_none()
        {
            self.schedule_alarm(None).await?;
        }
        Ok(())
    }

    /// Sets the alarm for the earliest due alert, the next retention run or the next digest.
    pub(super) async fn schedule_alarm(&self, retention: Option<Option<u32>>) -> Result<()> {
        let now = Self::now_ms();
        let due: Vec<Due> = self
            .sql()
            .exec("SELECT MIN(next_attempt_at) AS at FROM outbox", None)?
            .to_array()?;
        let mut next = due.into_iter().next().and_then(|d| d.at);
        if retention.flatten().is_some() {
            next = Some(next.map_or(now + RETENTION_EVERY_MS, |n| {
                n.min(now + RETENTION_EVERY_MS)
            }));
        }
        if let Some(at) = self.digest_alarm_at(now).ok().flatten() {
            // A digest due now that failed to go out is retried in a minute, not in a loop.
            let at = if at <= now { now + 60_000 } else { at };
            next = Some(next.map_or(at, |n| n.min(at)));
        }
        match next {
            Some(at) => self.state.storage().set_alarm((at - now).max(10)).await,
            None => Ok(()),
        }
    }

    async fn deliver(&self, hook: &Hook, now: i64) -> Result<()> {
        let rows: Vec<OutboxRow> = self
            .sql()
            .exec(
                "SELECT id, payload, attempts FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                vec![V::Integer(now), V::Integer(BATCH)],
            )?
            .to_array()?;
        let Some(url) = &hook.webhook_url else {
            // No webhook any more: nothing can be delivered.
            self.sql().exec("DELETE FROM outbox", None)?;
            return Ok(());
        };
        for row in rows {
            let delivered = post(url, &hook.webhook_secret, &row)
                .await
                .unwrap_or_else(|e| {
                    worker::console_warn!("alert {} not delivered: {e}", row.id);
                    false
                });
            if delivered {
                self.sql()
                    .exec("DELETE FROM outbox WHERE id = ?", vec![V::Integer(row.id)])?;
            } else {
                let attempts = row.attempts + 1;
                let next = Self::now_ms()
                    + retry_delay_ms(u32::try_from(row.attempts).unwrap_or(u32::MAX));
                self.sql().exec(
                    "UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                    vec![V::Integer(attempts), V::Integer(next), V::Integer(row.id)],
                )?;
            }
        }
        Ok(())
    }

    /// Erases responses older than `days` whole days, with their rollups: rollup rows are per
    /// day, so cutting at a day boundary keeps rollups equal to a recount.
    fn retain(&self, days: u32, now: i64) -> Result<()> {
        let cutoff = Day::from_unix_ms(now).0 - days as i64;
        let sql = self.sql();
        crate::atomic::transaction(&self.state.storage(), move || {
            let err = |e: worker::Error| e.to_string();
            sql.exec(
                "DELETE FROM responses WHERE id IN (SELECT id FROM responses WHERE day < ? LIMIT ?)",
                vec![V::Integer(cutoff), V::Integer(RETENTION_BATCH)],
            )
            .map_err(err)?;
            sql.exec(
                "DELETE FROM displays WHERE (id, event) IN (SELECT id, event FROM displays WHERE day < ? LIMIT ?)",
                vec![V::Integer(cutoff), V::Integer(RETENTION_BATCH)],
            )
            .map_err(err)?;
            // Rollup rows go only for days whose responses (and, for reach, displays) are all gone.
            sql.exec(
                "DELETE FROM rollup WHERE day < ? AND day < COALESCE((SELECT MIN(day) FROM responses), ?)",
                vec![V::Integer(cutoff), V::Integer(cutoff)],
            )
            .map_err(err)?;
            sql.exec(
                "DELETE FROM reach WHERE day < ? AND day < COALESCE((SELECT MIN(day) FROM responses), ?) \
                 AND day < COALESCE((SELECT MIN(day) FROM displays), ?)",
                vec![V::Integer(cutoff), V::Integer(cutoff), V::Integer(cutoff)],
            )
            .map_err(err)?;
            super::terms::retain(&sql, cutoff)?;
            super::cases::retain_cases(&sql, cutoff)?;
            Ok(())
        })
    }
}

/// Queues one alert (`key`: the answer's id, or a spike's or digest's key) for delivery at
/// `now`. Inside the caller's transaction.
pub(super) fn enqueue(
    sql: &worker::SqlStorage,
    key: &str,
    payload: &str,
    now: i64,
) -> std::result::Result<(), String> {
    sql.exec(
        "INSERT INTO outbox (response_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)",
        vec![key.into(), payload.into(), V::Integer(now)],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// One signed POST; `true` on a 2xx.
async fn post(url: &str, secret: &str, row: &OutboxRow) -> Result<bool> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("user-agent", "Earshot-Webhook/1")?;
    headers.set(
        "x-earshot-signature",
        &signature(secret, row.payload.as_bytes())?,
    )?;
    headers.set("x-earshot-delivery", &row.id.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(row.payload.clone().into()));
    let resp = Fetch::Request(Request::new_with_init(url, &init)?)
        .send()
        .await?;
    Ok((200..300).contains(&resp.status_code()))
}
