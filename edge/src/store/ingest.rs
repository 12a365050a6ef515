//! Storing one answer: per-visitor rate limit, then the response, its rollup increment and (for
//! a negative answer on a site with a webhook) its alert, all in one transaction.

use super::cases::{open_case, record_follow_up};
use super::display::{bump_reach, ReachColumn};
use super::SiteStore;
use crate::atomic::transaction;
use crate::failure::{Failure, Reply};
use crate::http::json;
use crate::rpc::{self, header, KnownIds, Records, StoreBatch};
use domain::calendar::Day;
use domain::export::{
    decode_import_record, DisplayRecord, ExportRecord, ImportLine, ImportReport, ImportedDisplay,
};
use domain::rate::Window;
use domain::settings::DEFAULT_RATE_LIMIT_PER_MINUTE;
use domain::wire::IngestAck;
use domain::Code;
use std::collections::{BTreeMap, HashSet};
use worker::{Request, Result, SqlStorage, SqlStorageValue as V};

/// Beyond this many remembered visitors, expired windows are dropped.
const MAX_VISITORS: usize = 10_000;

#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

impl SiteStore {
    /// How many responses this object stores.
    pub(super) fn stored_responses(&self) -> Result<i64> {
        let rows: Vec<Count> = self
            .sql()
            .exec("SELECT COUNT(*) AS n FROM responses", None)?
            .to_array()?;
        Ok(rows.first().map_or(0, |c| c.n))
    }

    /// Which of `ids` this object stores.
    pub(super) fn known(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            let seen: Vec<serde_json::Value> = self
                .sql()
                .exec(
                    "SELECT 1 AS seen FROM responses WHERE id = ?",
                    vec![id.clone().into()],
                )?
                .to_array()?;
            if !seen.is_empty() {
                out.push(id.clone());
            }
        }
        Ok(out)
    }

    /// The per-visitor limit the front door passed on (visitor and limit headers), counting
    /// this request at `now`: `Failure::Wait` when the visitor is over it.
    pub(super) fn admit_visitor(
        &self,
        req: &Request,
        now: i64,
    ) -> std::result::Result<(), Failure> {
        let h = req.headers();
        let visitor = h.get(header::VISITOR)?.unwrap_or_default();
        let limit = h
            .get(header::RATE)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
        match self.rate_limited(&visitor, limit, now) {
            Some(wait) => Err(Failure::Wait(wait)),
            None => Ok(()),
        }
    }

    /// Counts one request of `visitor` under `limit` a minute ([`Window`]).
    pub(super) fn rate_limited(&self, visitor: &str, limit: u32, now: i64) -> Option<i64> {
        let mut visitors = self.visitors.borrow_mut();
        if visitors.len() > MAX_VISITORS {
            visitors.retain(|_, w| !w.expired(now));
        }
        visitors
            .entry(visitor.to_string())
            .or_insert_with(|| Window::new(now))
            .hit(now, limit)
    }

    pub(super) async fn ingest(&self, req: &mut Request) -> Reply {
        let h = req.headers();
        let site = h.get(header::SITE)?.unwrap_or_default();
        let alerts = h.get(header::ALERTS)?.is_some();
        let contact_off = h.get(header::CONTACT_OFF)?.is_some();
        let alert_contact = h.get(header::ALERT_CONTACT)?.is_some();
        let country = h
            .get(header::COUNTRY)?
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
        let now = Self::now_ms();
        // Validated here (the front door decodes only to pick a shard): nothing reaches
        // storage without passing `domain`, and an invalid body never counts as a visit.
        let response = domain::decode_ingest(&req.bytes().await?)?;
        self.admit_visitor(req, now)?;
        if contact_off && response.contact.is_some() {
            return Err(domain::settings::contact_refused().into());
        }
        let mut record = ExportRecord::new(&response, now, country);
        record.contact = response.contact.clone();
        let alert = (alerts && record.negative).then_some(AlertOf {
            site,
            contact: alert_contact,
        });
        let queued = alert.is_some();
        let touchpoint = record.touchpoint.clone();
        let sql = self.sql();
        let duplicate = transaction(&self.state.storage(), move || {
            store(&sql, &record, now, alert.as_ref())
        })?;
        if queued && !duplicate {
            self.state.storage().set_alarm(10).await?;
            // The answer is stored whatever happens here: a failed check is only logged.
            if let Err(e) = self.after_negative(&touchpoint).await {
                worker::console_warn!("spike check failed: {e}");
            }
        }
        let ack = IngestAck {
            id: response.id,
            duplicate,
        };
        Ok(json(if duplicate { 200 } else { 201 }, &ack)?)
    }

    /// `POST /v1/sites/{site}/import` in the primary: every line is validated first (one bad
    /// line rejects the whole import, naming it), then each shard stores its answers and
    /// displays in one transaction. Imported history raises no alerts.
    pub(super) async fn import(&self, req: &mut Request) -> Reply {
        let settings = self.owner(req)?.settings;
        let body = req.bytes().await?;
        let text = std::str::from_utf8(&body)
            .map_err(|_| Failure::new(Code::MalformedJson, "the body is not UTF-8"))?;
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        domain::export::check_import_lines(lines.len())?;
        let shards = settings.shards.max(1) as usize;
        let mut batches: Vec<StoreBatch> = (0..shards)
            .map(|_| StoreBatch {
                records: Vec::new(),
                displays: Vec::new(),
            })
            .collect();
        for (n, line) in lines.iter().enumerate() {
            let parsed = decode_import_record(line).map_err(|mut f| {
                f.message = format!("line {}: {}", n + 1, f.message);
                f
            })?;
            match parsed {
                ImportLine::Response(i) => {
                    let r = &i.response;
                    let mut record = ExportRecord::new(r, i.received_at_ms, i.country);
                    record.contact = r.contact.clone();
                    let k = domain::site::shard_for(record.shard_key(), settings.shards);
                    batches[k as usize].records.push((i.received_at_ms, record));
                }
                // A display counts where its id maps, as on `POST …/displays`.
                ImportLine::Display(d) => {
                    let k = domain::site::shard_for(&d.display.id, settings.shards);
                    batches[k as usize].displays.push(d.record());
                }
            }
        }
        // Ids stored where they mapped under an earlier shard count are duplicates, not new.
        let counts = settings.shard_counts();
        let mut ask: BTreeMap<u32, KnownIds> = BTreeMap::new();
        for batch in &batches {
            for (_, record) in &batch.records {
                for k in domain::site::earlier_shards(record.shard_key(), settings.shards, &counts)
                {
                    ask.entry(k).or_default().ids.push(record.id.clone());
                }
            }
            for d in &batch.displays {
                for k in domain::site::earlier_shards(&d.id, settings.shards, &counts) {
                    let key = (d.id.clone(), d.event.clone());
                    ask.entry(k).or_default().displays.push(key);
                }
            }
        }
        let mut elsewhere = KnownIds::default();
        for (k, known) in ask {
            let found = if k == 0 {
                KnownIds {
                    ids: self.known(&known.ids)?,
                    displays: self.known_displays(&known.displays)?,
                }
            } else {
                let name = domain::site::shard_name(&settings.site, k);
                rpc::ask(&self.env, &name, &known).await?
            };
            elsewhere.ids.extend(found.ids);
            elsewhere.displays.extend(found.displays);
        }
        let ids: HashSet<String> = elsewhere.ids.into_iter().collect();
        let displays: HashSet<(String, String)> = elsewhere.displays.into_iter().collect();
        let mut report = ImportReport::default();
        for batch in &mut batches {
            let before = batch.records.len() + batch.displays.len();
            batch.records.retain(|(_, r)| !ids.contains(&r.id));
            batch
                .displays
                .retain(|d| !displays.contains(&(d.id.clone(), d.event.clone())));
            report.duplicates += (before - batch.records.len() - batch.displays.len()) as u64;
        }
        for (k, batch) in batches.into_iter().enumerate() {
            if batch.records.is_empty() && batch.displays.is_empty() {
                continue;
            }
            report.add(if k == 0 {
                self.store_local(batch.records, batch.displays)?
            } else {
                let name = domain::site::shard_name(&settings.site, k as u32);
                rpc::ask(&self.env, &name, &batch).await?
            });
        }
        Ok(json(200, &report)?)
    }

    /// Stores imported answers and displays in this object, in one transaction. Displays are
    /// checked again here (they are counted as if posted on their day).
    pub(super) fn store_local(
        &self,
        batch: Records,
        displays: Vec<DisplayRecord>,
    ) -> Result<ImportReport> {
        let displays = displays
            .iter()
            .map(ImportedDisplay::try_from)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|f| worker::Error::RustError(f.to_string()))?;
        let sql = self.sql();
        transaction(&self.state.storage(), move || {
            let mut duplicates = 0;
            for (at, record) in &batch {
                if store(&sql, record, *at, None)? {
                    duplicates += 1;
                }
            }
            for d in &displays {
                if super::display::store(&sql, &d.display, d.day.0)? {
                    duplicates += 1;
                }
            }
            let all = (batch.len() + displays.len()) as u64;
            Ok(ImportReport {
                imported: all - duplicates,
                duplicates,
            })
        })
    }
}

/// Where a negative answer's alert goes: the site, and whether it may carry the contact.
struct AlertOf {
    site: String,
    contact: bool,
}

/// Stores one response, bumps its rollup, opens its case (or records it as its case's
/// follow-up) and queues its alert; `true` when the id was already stored (then nothing is
/// written). Runs inside one transaction.
fn store(
    sql: &SqlStorage,
    r: &ExportRecord,
    received_at: i64,
    alert: Option<&AlertOf>,
) -> std::result::Result<bool, String> {
    let err = |e: worker::Error| e.to_string();
    let day = Day::from_unix_ms(received_at).0;
    let attributes = if r.attributes.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&r.attributes).map_err(|e| e.to_string())?)
    };
    // The id check and the insert in one statement: a stored id writes nothing.
    let written = sql.exec(
        "INSERT INTO responses (id, received_at, day, touchpoint, kind, scale_version, score, comment, page, locale, attributes, country, display_id, follow_up_of) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        vec![
            r.id.clone().into(),
            V::Integer(received_at),
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.clone().into(),
            V::Integer(r.scale_version as i64),
            V::Integer(r.score as i64),
            r.comment.clone().into(),
            r.page.clone().into(),
            r.locale.clone().into(),
            attributes.into(),
            r.country.clone().into(),
            r.display_id.clone().into(),
            r.follow_up_of.clone().into(),
        ],
    )
    .map_err(err)?
    .rows_written();
    if written == 0 {
        return Ok(true);
    }
    if r.display_id.is_some() {
        bump_reach(sql, day, &r.touchpoint, &r.kind, ReachColumn::Answered, 1)?;
    }
    sql.exec(
        "INSERT INTO rollup (day, touchpoint, kind, score, n) VALUES (?, ?, ?, ?, 1) \
         ON CONFLICT (day, touchpoint, kind, score) DO UPDATE SET n = n + 1",
        vec![
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.clone().into(),
            V::Integer(r.score as i64),
        ],
    )
    .map_err(err)?;
    super::terms::count(
        sql,
        &super::terms::Counted {
            received_at,
            day,
            touchpoint: &r.touchpoint,
            kind: &r.kind,
            negative: r.negative,
            comment: r.comment.as_deref(),
            locale: r.locale.as_deref(),
        },
        1,
    )?;
    let followed = record_follow_up(sql, r, received_at)?;
    if r.negative && !followed {
        open_case(sql, r, received_at)?;
    }
    if let Some(a) = alert.filter(|_| r.negative) {
        let case_id = match (&r.follow_up_of, followed) {
            (Some(case), true) => case.as_str(),
            _ => r.id.as_str(),
        };
        let mut shown = r.clone();
        if !a.contact {
            shown.contact = None;
        }
        let payload = domain::alert::payload(&a.site, &shown, case_id).to_string();
        sql.exec(
            "INSERT INTO outbox (response_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)",
            vec![r.id.clone().into(), payload.into(), V::Integer(received_at)],
        )
        .map_err(err)?;
    }
    Ok(false)
}
