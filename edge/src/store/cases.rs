//! Cases: every negative answer opens one (in the answer's transaction), the owner moves it
//! through its statuses, a follow-up answer (stored in the case's object) records how the
//! customer feels now and reopens the case when still negative. The contact a customer left
//! is kept apart (`contacts`) and deleted `contact_retention_days` after the case is resolved.

use super::case_tally::{opened, tracked, untally, RollupKey};
use super::{pairs, param, SiteStore};
use crate::atomic::transaction;
use crate::failure::{Failure, Reply};
use crate::http::json;
use crate::rpc::{self, CaseSet, CasesOf, DueOf, SetCase};
use domain::calendar::{rfc3339_ms, Day};
use domain::export::ExportRecord;
use domain::recovery::{after_follow_up, CaseFacts, CaseStatus, CasesQuery};
use domain::wire::{CaseEvent, CaseView, CasesPage, FollowUp, FollowUpsDue};
use domain::{Code, Kind};
use serde::Deserialize;
use worker::{Headers, Request, Result, SqlStorage, SqlStorageValue as V};

const MS_PER_DAY: i64 = 86_400_000;

/// The note on the history row of a reopening by a negative follow-up.
const REOPENED: &str = "reopened: the follow-up answer was negative";

fn err(e: worker::Error) -> String {
    e.to_string()
}

/// Opens the case of a negative answer (and keeps its contact apart), and counts it into the
/// case rollup from what was written: the answer was just stored, so its case is new. Inside
/// the answer's transaction.
pub(super) fn open_case(
    sql: &SqlStorage,
    r: &ExportRecord,
    at: i64,
) -> std::result::Result<(), String> {
    let day = Day::from_unix_ms(at).0;
    let (status, with_contact) = (CaseStatus::Open, r.contact.is_some());
    sql.exec(
        "INSERT INTO cases (id, opened_at, day, touchpoint, kind, score, status, status_since, with_contact) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            r.id.clone().into(),
            V::Integer(at),
            V::Integer(day),
            r.touchpoint.clone().into(),
            r.kind.clone().into(),
            V::Integer(r.score as i64),
            status.as_str().into(),
            V::Integer(at),
            V::Integer(with_contact as i64),
        ],
    )
    .map_err(err)?;
    history(sql, &r.id, at, status, None)?;
    if let Some(contact) = &r.contact {
        sql.exec(
            "INSERT OR REPLACE INTO contacts (case_id, contact, resolved_at) VALUES (?, ?, NULL)",
            vec![r.id.clone().into(), contact.clone().into()],
        )
        .map_err(err)?;
    }
    // A case of an unknown kind is in no rollup (as `tracked` leaves it out).
    let Ok(kind) = Kind::parse(&r.kind) else {
        return Ok(());
    };
    let facts = CaseFacts {
        opened_at_ms: at,
        contacted_at_ms: None,
        resolved_at_ms: None,
        status,
        status_since_ms: at,
        has_contact: with_contact,
        kind,
        first_score: r.score,
        follow_up_score: None,
    };
    let key = RollupKey {
        day,
        touchpoint: &r.touchpoint,
        kind: &r.kind,
    };
    opened(sql, &key, &facts)
}

fn history(
    sql: &SqlStorage,
    id: &str,
    at: i64,
    status: CaseStatus,
    note: Option<&str>,
) -> std::result::Result<(), String> {
    sql.exec(
        "INSERT INTO case_history (case_id, at, status, note) VALUES (?, ?, ?, ?)",
        vec![
            id.into(),
            V::Integer(at),
            status.as_str().into(),
            note.map(str::to_string).into(),
        ],
    )
    .map_err(err)?;
    Ok(())
}

#[derive(Deserialize)]
struct FollowUpTarget {
    status: String,
    kind: String,
    follow_up_id: Option<String>,
}

/// Records `r` as the follow-up of its case when that case is here, resolved, of the same kind
/// and not yet followed up; a negative follow-up reopens the case. `true` when recorded (the
/// answer then opens no case of its own). Inside the answer's transaction.
pub(super) fn record_follow_up(
    sql: &SqlStorage,
    r: &ExportRecord,
    at: i64,
) -> std::result::Result<bool, String> {
    let Some(case) = &r.follow_up_of else {
        return Ok(false);
    };
    let rows: Vec<FollowUpTarget> = sql
        .exec(
            "SELECT status, kind, follow_up_id FROM cases WHERE id = ?",
            vec![case.clone().into()],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    let Some(target) = rows.into_iter().next() else {
        return Ok(false);
    };
    let (Ok(kind), true, None) = (
        Kind::parse(&r.kind),
        target.status == CaseStatus::Resolved.as_str() && target.kind == r.kind,
        target.follow_up_id,
    ) else {
        return Ok(false);
    };
    tracked(sql, case, || follow_up(sql, r, at, case, kind))?;
    Ok(true)
}

/// Records the follow-up `r` on `case` (checked) and reopens the case when it is negative.
fn follow_up(
    sql: &SqlStorage,
    r: &ExportRecord,
    at: i64,
    case: &str,
    kind: Kind,
) -> std::result::Result<(), String> {
    sql.exec(
        "UPDATE cases SET follow_up_id = ?, follow_up_score = ?, follow_up_at = ? WHERE id = ?",
        vec![
            r.id.clone().into(),
            V::Integer(r.score as i64),
            V::Integer(at),
            case.into(),
        ],
    )
    .map_err(err)?;
    if let Some(status) = after_follow_up(kind, r.score) {
        sql.exec(
            "UPDATE cases SET status = ?, status_since = ? WHERE id = ?",
            vec![status.as_str().into(), V::Integer(at), case.into()],
        )
        .map_err(err)?;
        history(sql, case, at, status, Some(REOPENED))?;
        // The contact is needed again: no longer on its way out.
        sql.exec(
            "UPDATE contacts SET resolved_at = NULL WHERE case_id = ?",
            vec![case.into()],
        )
        .map_err(err)?;
        if let Some(contact) = &r.contact {
            sql.exec(
                "INSERT OR REPLACE INTO contacts (case_id, contact, resolved_at) VALUES (?, ?, NULL)",
                vec![case.into(), contact.clone().into()],
            )
            .map_err(err)?;
            sql.exec(
                "UPDATE cases SET with_contact = 1 WHERE id = ?",
                vec![case.into()],
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// Erases what the answer `id` left in cases: its own case (history and contact included), and
/// its mark as another case's follow-up. Inside the erasure's transaction.
pub(super) fn erase_case(sql: &SqlStorage, id: &str) -> std::result::Result<(), String> {
    tracked(sql, id, || {
        for statement in [
            "DELETE FROM case_history WHERE case_id = ?",
            "DELETE FROM contacts WHERE case_id = ?",
            "DELETE FROM cases WHERE id = ?",
        ] {
            sql.exec(statement, vec![id.into()]).map_err(err)?;
        }
        Ok(())
    })?;
    let followed: Vec<IdDto> = sql
        .exec(
            "SELECT id FROM cases WHERE follow_up_id = ?",
            vec![id.into()],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    for case in followed {
        tracked(sql, &case.id, || {
            sql.exec(
                "UPDATE cases SET follow_up_id = NULL, follow_up_score = NULL, follow_up_at = NULL WHERE id = ?",
                vec![case.id.clone().into()],
            )
            .map_err(err)?;
            Ok(())
        })?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct IdDto {
    id: String,
}

/// Retention: the cases (history, contacts) of answers already deleted before `cutoff_day`.
/// Inside the retention run's transaction.
pub(super) fn retain_cases(sql: &SqlStorage, cutoff_day: i64) -> std::result::Result<(), String> {
    let gone = "SELECT id FROM cases WHERE day < ? AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = cases.id)";
    untally(
        sql,
        &format!("WHERE id IN ({gone})"),
        vec![V::Integer(cutoff_day)],
    )?;
    for statement in [
        format!("DELETE FROM case_history WHERE case_id IN ({gone})"),
        format!("DELETE FROM contacts WHERE case_id IN ({gone})"),
        format!("DELETE FROM cases WHERE id IN ({gone})"),
    ] {
        sql.exec(&statement, vec![V::Integer(cutoff_day)])
            .map_err(err)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct CaseDto {
    id: String,
    opened_at: i64,
    touchpoint: String,
    kind: String,
    score: i64,
    status: String,
    follow_up_id: Option<String>,
    follow_up_score: Option<i64>,
    follow_up_at: Option<i64>,
    comment: Option<String>,
    contact: Option<String>,
}

#[derive(Deserialize)]
struct EventDto {
    at: i64,
    status: String,
    note: Option<String>,
}

#[derive(Deserialize)]
struct StatusDto {
    status: String,
}

#[derive(Deserialize)]
struct MinDto {
    at: Option<i64>,
}

const CASE_COLUMNS: &str = "SELECT c.id, c.opened_at, c.touchpoint, c.kind, c.score, c.status, \
     c.follow_up_id, c.follow_up_score, c.follow_up_at, r.comment, k.contact \
     FROM cases c LEFT JOIN responses r ON r.id = c.id LEFT JOIN contacts k ON k.case_id = c.id";

impl SiteStore {
    fn view(&self, c: CaseDto) -> Result<(i64, CaseView)> {
        let events: Vec<EventDto> = self
            .sql()
            .exec(
                "SELECT at, status, note FROM case_history WHERE case_id = ? ORDER BY at, rowid",
                vec![c.id.clone().into()],
            )?
            .to_array()?;
        let follow_up = match (c.follow_up_id, c.follow_up_score, c.follow_up_at) {
            (Some(id), Some(score), Some(at)) => Some(FollowUp {
                id,
                score: u8::try_from(score).unwrap_or_default(),
                received_at: rfc3339_ms(at),
            }),
            _ => None,
        };
        let view = CaseView {
            id: c.id,
            received_at: rfc3339_ms(c.opened_at),
            touchpoint: c.touchpoint,
            kind: c.kind,
            score: u8::try_from(c.score).unwrap_or_default(),
            comment: c.comment,
            contact: c.contact,
            status: c.status,
            history: events
                .into_iter()
                .map(|e| CaseEvent {
                    status: e.status,
                    at: rfc3339_ms(e.at),
                    note: e.note,
                })
                .collect(),
            follow_up,
        };
        Ok((c.opened_at, view))
    }

    fn case_here(&self, id: &str) -> Result<Option<CaseView>> {
        let rows: Vec<CaseDto> = self
            .sql()
            .exec(&format!("{CASE_COLUMNS} WHERE c.id = ?"), vec![id.into()])?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(|c| self.view(c).map(|(_, v)| v))
            .transpose()
    }

    /// This object's cases under `q`: newest first, up to `limit + 1` after the cursor.
    fn local_cases(&self, q: &CasesQuery) -> Result<Vec<(i64, CaseView)>> {
        let (ms, id) = q
            .after
            .clone()
            .unwrap_or((domain::export::OPEN_MS.1, String::new()));
        let mut filter = String::new();
        let mut binds: Vec<V> = if q.after.is_some() {
            vec![V::Integer(ms), V::Integer(ms), id.into()]
        } else {
            vec![V::Integer(ms), V::Integer(ms), "~".into()]
        };
        if let Some(s) = q.status() {
            filter.push_str(" AND c.status = ?");
            binds.push(s.as_str().into());
        }
        if let Some(tp) = &q.touchpoint {
            filter.push_str(" AND c.touchpoint = ?");
            binds.push(tp.clone().into());
        }
        binds.push(V::Integer(q.limit as i64 + 1));
        let rows: Vec<CaseDto> = self
            .sql()
            .exec(
                &format!(
                    "{CASE_COLUMNS} WHERE (c.opened_at < ? OR (c.opened_at = ? AND c.id < ?)){filter} \
                     ORDER BY c.opened_at DESC, c.id DESC LIMIT ?"
                ),
                binds,
            )?
            .to_array()?;
        rows.into_iter().map(|c| self.view(c)).collect()
    }

    /// For the primary: this shard's page of cases.
    pub(super) fn cases_page(&self, params: &[(String, String)]) -> Reply {
        let q = CasesQuery::parse(pairs(params))?;
        rpc::reply::<CasesOf>(200, &self.local_cases(&q)?)
    }

    /// `GET …/cases` in the primary: every object's page, merged newest first.
    pub(super) async fn cases(&self, req: &Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let query = CasesQuery::parse(pairs(params))?;
        let mut parts = vec![self.local_cases(&query)?];
        parts.extend(
            self.fan_out(
                &settings.site,
                settings.max_shards,
                &CasesOf { query: &query },
            )
            .await?,
        );
        let (cases, next) = domain::recovery::merge_cases(parts, query.limit);
        let mut resp = json(
            200,
            &CasesPage {
                cases,
                sla_hours: settings.sla_hours,
            },
        )?;
        if let Some(cursor) = next {
            let headers = Headers::new();
            for (k, v) in resp.headers().entries() {
                headers.set(&k, &v)?;
            }
            headers.set("x-earshot-next-cursor", &cursor)?;
            resp = resp.with_headers(headers);
        }
        Ok(resp)
    }

    /// `PATCH …/cases/{id}` in the primary: the case's object (where its id maps now first,
    /// then any other the site used) sets the status.
    pub(super) async fn patch_case(&self, req: &mut Request, params: &[(String, String)]) -> Reply {
        let settings = self.owner(req)?.settings;
        let id = domain::ingest::validate_uuid_v4(param(params, "id").unwrap_or_default())?;
        let update = domain::recovery::decode_case_patch(&req.bytes().await?)?;
        let msg = SetCase {
            id: id.clone(),
            status: update.status.as_str().to_string(),
            note: update.note,
            contact_retention_days: settings.contact_retention_days,
        };
        let first = domain::site::shard_for(&id, settings.shards);
        let order = std::iter::once(first).chain((0..settings.max_shards).filter(|k| *k != first));
        for k in order {
            let case = if k == 0 {
                self.set_case_here(&msg).await?
            } else {
                let name = domain::site::shard_name(&settings.site, k);
                rpc::ask(&self.env, &name, &msg)
                    .await
                    .map_err(super::unexpected)?
                    .case
            };
            if let Some(case) = case {
                return Ok(json(200, &case)?);
            }
        }
        Err(Failure::new(Code::NotFound, "no case with this id"))
    }

    /// Sets a case's status in this object: the case after it, or `None` when it is not here.
    /// The same status again changes nothing (a retried PATCH is harmless).
    pub(super) async fn set_case_here(
        &self,
        msg: &SetCase,
    ) -> std::result::Result<Option<CaseView>, Failure> {
        let to = CaseStatus::parse(&msg.status)?;
        let now = Self::now_ms();
        let sql = self.sql();
        let (id, note) = (msg.id.clone(), msg.note.clone());
        let found = transaction(&self.state.storage(), move || {
            let rows: Vec<StatusDto> = sql
                .exec(
                    "SELECT status FROM cases WHERE id = ?",
                    vec![id.clone().into()],
                )
                .map_err(err)?
                .to_array()
                .map_err(err)?;
            let Some(current) = rows.into_iter().next() else {
                return Ok(false);
            };
            let from = CaseStatus::parse(&current.status).map_err(|f| f.message)?;
            if !from.changes_to(to) {
                return Ok(true);
            }
            tracked(&sql, &id, || {
                sql.exec(
                    "UPDATE cases SET status = ?, status_since = ? WHERE id = ?",
                    vec![to.as_str().into(), V::Integer(now), id.clone().into()],
                )
                .map_err(err)?;
                // The first time a case is contacted or resolved is what the recovery block measures.
                let first = match to {
                    CaseStatus::Contacted => Some("contacted_at"),
                    CaseStatus::Resolved => Some("resolved_at"),
                    CaseStatus::Open => None,
                };
                if let Some(column) = first {
                    sql.exec(
                        &format!("UPDATE cases SET {column} = COALESCE({column}, ?) WHERE id = ?"),
                        vec![V::Integer(now), id.clone().into()],
                    )
                    .map_err(err)?;
                }
                Ok(())
            })?;
            history(&sql, &id, now, to, note.as_deref())?;
            // A resolved case's contact is deleted `contact_retention_days` later; any other
            // status keeps it.
            let resolved_at = if to == CaseStatus::Resolved {
                V::Integer(now)
            } else {
                V::Null
            };
            sql.exec(
                "UPDATE contacts SET resolved_at = ? WHERE case_id = ?",
                vec![resolved_at, id.clone().into()],
            )
            .map_err(err)?;
            Ok(true)
        })?;
        if !found {
            return Ok(None);
        }
        if to == CaseStatus::Resolved {
            self.arm_contact_purge(msg.contact_retention_days).await?;
        }
        Ok(self.case_here(&msg.id)?)
    }

    /// Which of `ids` are cases here that are resolved and not yet followed up.
    pub(super) fn due_here(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut due = Vec::new();
        for id in ids {
            let rows: Vec<serde_json::Value> = self
                .sql()
                .exec(
                    "SELECT 1 AS due FROM cases WHERE id = ? AND status = 'resolved' AND follow_up_id IS NULL",
                    vec![id.clone().into()],
                )?
                .to_array()?;
            if !rows.is_empty() {
                due.push(id.clone());
            }
        }
        Ok(due)
    }

    /// `POST …/follow-ups` in the primary: rate-limited like answers; every object is asked.
    pub(super) async fn follow_ups(&self, req: &mut Request) -> Reply {
        self.admit_visitor(req, Self::now_ms())?;
        let settings = self
            .stored()?
            .ok_or_else(|| Failure::new(Code::SiteNotFound, "no such site"))?
            .settings;
        let ids = domain::recovery::decode_follow_ups(&req.bytes().await?)?;
        let mut due = self.due_here(&ids)?;
        if !ids.is_empty() {
            let ask = DueOf { ids: ids.clone() };
            for part in self
                .fan_out(&settings.site, settings.max_shards, &ask)
                .await?
            {
                due.extend(part.due);
            }
        }
        // In the order asked.
        let due = ids.into_iter().filter(|id| due.contains(id)).collect();
        Ok(json(200, &FollowUpsDue { due })?)
    }

    /// For the primary: which of the ids are due here.
    pub(super) fn due(&self, ask: DueOf) -> Reply {
        let due = self.due_here(&ask.ids)?;
        rpc::reply::<DueOf>(200, &FollowUpsDue { due })
    }

    /// For the primary: a case's new status, if the case is here.
    pub(super) async fn set_case(&self, msg: SetCase) -> Reply {
        let case = self.set_case_here(&msg).await?;
        rpc::reply::<SetCase>(200, &CaseSet { case })
    }

    /// How many cases (opened at any time) are still open or contacted since before `before`.
    pub(super) fn past_sla(&self, before: i64) -> Result<u64> {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        let rows: Vec<N> = self
            .sql()
            .exec(
                "SELECT COUNT(*) AS n FROM cases WHERE status != 'resolved' AND status_since < ?",
                vec![V::Integer(before)],
            )?
            .to_array()?;
        Ok(rows
            .first()
            .map_or(0, |r| u64::try_from(r.n).unwrap_or_default()))
    }

    /// Deletes contacts whose case was resolved more than `days` ago.
    pub(super) fn purge_contacts(&self, days: u32, now: i64) -> Result<()> {
        self.sql().exec(
            "DELETE FROM contacts WHERE resolved_at IS NOT NULL AND resolved_at <= ?",
            vec![V::Integer(now - i64::from(days) * MS_PER_DAY)],
        )?;
        Ok(())
    }

    /// Makes sure the alarm runs when the next resolved case's contact is due for deletion.
    pub(super) async fn arm_contact_purge(&self, days: u32) -> Result<()> {
        let rows: Vec<MinDto> = self
            .sql()
            .exec(
                "SELECT MIN(resolved_at) AS at FROM contacts WHERE resolved_at IS NOT NULL",
                None,
            )?
            .to_array()?;
        let Some(resolved) = rows.into_iter().next().and_then(|r| r.at) else {
            return Ok(());
        };
        let now = Self::now_ms();
        let at = resolved + i64::from(days) * MS_PER_DAY;
        let current = self.state.storage().get_alarm().await?;
        if current.is_none_or(|c| c > at) {
            self.state.storage().set_alarm((at - now).max(10)).await?;
        }
        Ok(())
    }
}
