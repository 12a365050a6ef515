//! The object's SQLite schema and its migrations, applied in order at start-up.

use super::terms::StoredAnswer;
use worker::Storage;

/// Each step runs once, in order; the number of applied steps is kept in `meta`.
const STEPS: &[&str] = &[
    // 1: settings, responses, rollups, alert outbox.
    "
    CREATE TABLE settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      json TEXT NOT NULL,
      token_hash TEXT NOT NULL,
      webhook_secret TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE responses (
      id TEXT PRIMARY KEY,
      received_at INTEGER NOT NULL,
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      scale_version INTEGER NOT NULL,
      score INTEGER NOT NULL,
      comment TEXT,
      page TEXT,
      locale TEXT,
      attributes TEXT,
      country TEXT
    ) WITHOUT ROWID;
    CREATE INDEX responses_by_time ON responses (received_at, id);
    CREATE INDEX responses_comments ON responses (received_at) WHERE comment IS NOT NULL;
    CREATE INDEX responses_by_day ON responses (day);
    CREATE TABLE rollup (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      score INTEGER NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (day, touchpoint, kind, score)
    ) WITHOUT ROWID;
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      response_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at);
    ",
    // 2: displays (prompts shown or dismissed, once per id and event), the answer's display id,
    // and the reach rollup the summary reads (shown, dismissed, answered per day × touchpoint × kind).
    "
    ALTER TABLE responses ADD COLUMN display_id TEXT;
    CREATE TABLE displays (
      id TEXT NOT NULL,
      event TEXT NOT NULL,
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      PRIMARY KEY (id, event)
    ) WITHOUT ROWID;
    CREATE INDEX displays_by_day ON displays (day);
    CREATE TABLE reach (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      shown INTEGER NOT NULL DEFAULT 0,
      dismissed INTEGER NOT NULL DEFAULT 0,
      answered INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, touchpoint, kind)
    ) WITHOUT ROWID;
    ",
    // 3: cases (one per negative answer, id = the answer's id), their status history, the
    // contact a customer left (apart from the answer: personal data, deleted on its own
    // schedule), and the case an answer follows up on.
    "
    ALTER TABLE responses ADD COLUMN follow_up_of TEXT;
    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      opened_at INTEGER NOT NULL,
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      score INTEGER NOT NULL,
      status TEXT NOT NULL,
      status_since INTEGER NOT NULL,
      contacted_at INTEGER,
      resolved_at INTEGER,
      with_contact INTEGER NOT NULL DEFAULT 0,
      follow_up_id TEXT,
      follow_up_score INTEGER,
      follow_up_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX cases_by_opened ON cases (opened_at, id);
    CREATE INDEX cases_by_status ON cases (status, opened_at, id);
    CREATE INDEX cases_by_day ON cases (day);
    CREATE INDEX cases_by_follow_up ON cases (follow_up_id) WHERE follow_up_id IS NOT NULL;
    CREATE TABLE case_history (
      case_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      status TEXT NOT NULL,
      note TEXT
    );
    CREATE INDEX case_history_by_case ON case_history (case_id, at);
    CREATE TABLE contacts (
      case_id TEXT PRIMARY KEY,
      contact TEXT NOT NULL,
      resolved_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX contacts_resolved ON contacts (resolved_at) WHERE resolved_at IS NOT NULL;
    ",
    // 4: themes (comments containing each term, and all comments, per day × touchpoint × kind),
    // answers per touchpoint per hour (the spike rule), and the once-only alerts already sent
    // (`spike:{touchpoint}:{day}`, `digest:{period}:{last day}`). Filled from the stored
    // answers right after (see `backfill`).
    "
    CREATE TABLE terms (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      term TEXT NOT NULL,
      negative INTEGER NOT NULL DEFAULT 0,
      other INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, touchpoint, kind, term)
    ) WITHOUT ROWID;
    CREATE TABLE comment_totals (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      negative INTEGER NOT NULL DEFAULT 0,
      other INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, touchpoint, kind)
    ) WITHOUT ROWID;
    CREATE TABLE hourly (
      touchpoint TEXT NOT NULL,
      hour INTEGER NOT NULL,
      answers INTEGER NOT NULL DEFAULT 0,
      negative INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (touchpoint, hour)
    ) WITHOUT ROWID;
    CREATE TABLE sent (
      key TEXT PRIMARY KEY,
      at INTEGER NOT NULL
    ) WITHOUT ROWID;
    ",
    // 5: the case rollup the summary's recovery block reads (see `case_tally`): counts per
    // opening day × touchpoint × kind, duration histograms, and an index on the unresolved cases
    // whose status changed (the exact count near the SLA cutoff). Filled from the stored cases
    // right after, in one pass.
    "
    CREATE TABLE case_rollup (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      cases INTEGER NOT NULL DEFAULT 0,
      with_contact INTEGER NOT NULL DEFAULT 0,
      open INTEGER NOT NULL DEFAULT 0,
      contacted INTEGER NOT NULL DEFAULT 0,
      resolved INTEGER NOT NULL DEFAULT 0,
      unanswered INTEGER NOT NULL DEFAULT 0,
      followed_up INTEGER NOT NULL DEFAULT 0,
      recovered INTEGER NOT NULL DEFAULT 0,
      lift_sum INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, touchpoint, kind)
    ) WITHOUT ROWID;
    CREATE TABLE case_spread (
      day INTEGER NOT NULL,
      touchpoint TEXT NOT NULL,
      kind TEXT NOT NULL,
      measure TEXT NOT NULL,
      bucket INTEGER NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (day, touchpoint, kind, measure, bucket)
    ) WITHOUT ROWID;
    CREATE INDEX cases_moved ON cases (status_since)
      WHERE status != 'resolved' AND status_since > opened_at;
    ",
];

/// The step after which the term and hourly rollups are filled from the answers stored before
/// they existed (in that step's transaction, so they start equal to a recount).
const TERMS_STEP: usize = 4;

/// The step after which the case rollup is filled from the stored cases (in that step's
/// transaction, in one pass: a site's cases are at most its negative answers within retention).
const CASES_STEP: usize = 5;

/// Counts every stored answer into the term rollups (and, with `hours`, the hourly ones).
fn backfill(sql: &worker::SqlStorage, hours: bool) -> Result<(), String> {
    let err = |e: worker::Error| e.to_string();
    let filter = if hours {
        ""
    } else {
        " WHERE comment IS NOT NULL"
    };
    let rows: Vec<StoredAnswer> = sql
        .exec(
            &format!("SELECT {} FROM responses{filter}", StoredAnswer::COLUMNS),
            None,
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    for r in &rows {
        let counted = r.counted();
        if hours {
            super::terms::count(sql, &counted, 1)?;
        } else {
            super::terms::count_terms(sql, &counted, 1)?;
        }
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct Version {
    v: String,
}

pub fn migrate(storage: &Storage) -> worker::Result<()> {
    let sql = storage.sql();
    sql.exec(
        "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
        None,
    )?;
    let rows: Vec<Version> = sql
        .exec("SELECT v FROM meta WHERE k = 'schema'", None)?
        .to_array()?;
    let applied: usize = rows.first().and_then(|r| r.v.parse().ok()).unwrap_or(0);
    for (i, step) in STEPS.iter().enumerate().skip(applied) {
        let sql = storage.sql();
        let step = step.to_string();
        crate::atomic::transaction(storage, move || {
            sql.exec(&step, None).map_err(|e| e.to_string())?;
            if i + 1 == TERMS_STEP {
                backfill(&sql, true)?;
                set_themes_version(&sql)?;
            }
            if i + 1 == CASES_STEP {
                super::case_tally::backfill(&sql)?;
            }
            sql.exec(
                "INSERT OR REPLACE INTO meta (k, v) VALUES ('schema', ?)",
                vec![(i + 1).to_string().into()],
            )
            .map_err(|e| e.to_string())?;
            Ok(())
        })?;
    }
    // New tokenisation rules: the term rollups are counted again from the stored comments.
    let version: Vec<Version> = sql
        .exec("SELECT v FROM meta WHERE k = 'themes_version'", None)?
        .to_array()?;
    let current = domain::themes::THEMES_VERSION.to_string();
    if STEPS.len() >= TERMS_STEP && version.first().is_none_or(|v| v.v != current) {
        let sql = storage.sql();
        crate::atomic::transaction(storage, move || {
            for table in ["terms", "comment_totals"] {
                sql.exec(&format!("DELETE FROM {table}"), None)
                    .map_err(|e| e.to_string())?;
            }
            backfill(&sql, false)?;
            set_themes_version(&sql)
        })?;
    }
    Ok(())
}

fn set_themes_version(sql: &worker::SqlStorage) -> Result<(), String> {
    sql.exec(
        "INSERT OR REPLACE INTO meta (k, v) VALUES ('themes_version', ?)",
        vec![domain::themes::THEMES_VERSION.to_string().into()],
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}
