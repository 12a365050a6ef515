//! `touchpoint.spike`: checked when a negative answer arrives, by the site's primary, which
//! merges every shard's hourly counts of the touchpoint (so a sharded site is judged on all its
//! answers) and remembers the day of the last alert per touchpoint in `sent`, in the same
//! transaction as the alert it queues: at most one a touchpoint per UTC day, across restarts.

use super::SiteStore;
use crate::atomic::transaction;
use crate::failure::Failure;
use crate::rpc::{self, HoursOf, SpikeCheck};
use domain::calendar::Day;
use domain::spike::{hour_windows, should_send, spike_at, HourCount};
use worker::{SqlStorage, SqlStorageValue as V};

#[derive(serde::Deserialize)]
struct SentAt {
    at: i64,
}

impl SiteStore {
    /// After a negative answer at `touchpoint` is stored here: the primary checks it; a shard
    /// asks the primary to.
    pub(super) async fn after_negative(&self, touchpoint: &str) -> Result<(), Failure> {
        let Some((site, primary)) = self.site_and_role() else {
            return Ok(());
        };
        if primary {
            return self.check_spike(touchpoint).await;
        }
        let ask = SpikeCheck {
            touchpoint: touchpoint.to_string(),
        };
        rpc::ask(&self.env, &site, &ask).await.map(|_| ())
    }

    /// The primary's check: every object's hourly counts, the domain's decision, and the day's
    /// one alert queued in this object's outbox.
    pub(super) async fn check_spike(&self, touchpoint: &str) -> Result<(), Failure> {
        let Some(stored) = self.stored()? else {
            return Ok(());
        };
        let settings = stored.settings;
        if settings.webhook_url.is_none() {
            return Ok(());
        }
        let now = Self::now_ms();
        let from = hour_windows(now).baseline_from;
        let mut rows = self.hour_rows(touchpoint, from)?;
        let ask = HoursOf {
            touchpoint: touchpoint.to_string(),
            from,
        };
        for part in self
            .fan_out(&settings.site, settings.max_shards, &ask)
            .await?
        {
            rows.extend(part);
        }
        let counts: Vec<HourCount> = rows
            .into_iter()
            .map(|(hour, answers, negative)| HourCount {
                hour,
                answers: u64::try_from(answers).unwrap_or_default(),
                negative: u64::try_from(negative).unwrap_or_default(),
            })
            .collect();
        let Some(spike) = spike_at(&counts, now) else {
            return Ok(());
        };
        let today = Day::from_unix_ms(now);
        let payload =
            domain::alert::spike_payload(&settings.site, touchpoint, &spike, today).to_string();
        let key = format!("spike:{touchpoint}");
        let sql = self.sql();
        let queued = transaction(&self.state.storage(), move || {
            queue_spike(&sql, &key, today, &payload, now)
        })?;
        if queued {
            self.state.storage().set_alarm(10).await?;
        }
        Ok(())
    }

    pub(super) fn hours(&self, ask: HoursOf) -> crate::failure::Reply {
        rpc::reply::<HoursOf>(200, &self.hour_rows(&ask.touchpoint, ask.from)?)
    }
}

/// Queues the alert unless one for this touchpoint went out today; inside one transaction.
fn queue_spike(
    sql: &SqlStorage,
    key: &str,
    today: Day,
    payload: &str,
    now: i64,
) -> Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let last: Vec<SentAt> = sql
        .exec("SELECT at FROM sent WHERE key = ?", vec![key.into()])
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    if !should_send(last.first().map(|s| Day(s.at)), today) {
        return Ok(false);
    }
    sql.exec(
        "INSERT INTO sent (key, at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET at = excluded.at",
        vec![key.into(), V::Integer(today.0)],
    )
    .map_err(err)?;
    super::alerts::enqueue(sql, key, payload, now)?;
    Ok(true)
}
