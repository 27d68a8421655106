//! The issue ledger's tables: positions as they stand, and the history of every change.
//!
//! `ledger_positions` holds one row per position (its current state as JSON, with the issue,
//! party, document, status and start date as columns to select and order by);
//! `ledger_changes` holds every [`Change`] in the order made. A change and the state it leads
//! to are written in one transaction, so the table of positions is always the last `after` of
//! each position's history.

use std::collections::HashMap;

use chancery_ledger::{Change, Ledger, Position, Status};
use rusqlite::{params, OptionalExtension};

use crate::{enqueue, Result, Store};

/// The distinct issue ids and party ids of a document's positions.
pub type IssuesAndParties = (Vec<String>, Vec<String>);

/// The `WHERE` clause of the columns a filter sets, and their values in order.
fn where_clause(filter: &LedgerFilter) -> (String, Vec<String>) {
    let mut terms = Vec::new();
    let mut values = Vec::new();
    for (column, value) in [
        ("issue", filter.issue.clone()),
        ("party", filter.party.clone()),
        ("document", filter.document.clone()),
        ("status", filter.status.map(|s| s.as_str().to_string())),
    ] {
        if let Some(v) = value {
            terms.push(format!("{column} = ?"));
            values.push(v);
        }
    }
    let clause = if terms.is_empty() { String::new() } else { format!(" WHERE {}", terms.join(" AND ")) };
    (clause, values)
}

/// Which positions to list. Empty fields select everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub issue: Option<String>,
    pub party: Option<String>,
    pub document: Option<String>,
    pub status: Option<Status>,
}

impl Store {
    /// Record changes and the states they lead to, in one transaction: each change's `after`
    /// replaces the position's row, and the change is appended to the history.
    pub fn apply_ledger_changes(&mut self, changes: &[Change]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let tx = self.write_tx()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO ledger_positions (id, issue, party, document, status, date_from, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET issue = excluded.issue, party = excluded.party,
                    document = excluded.document, status = excluded.status,
                    date_from = excluded.date_from, json = excluded.json",
            )?;
            let mut log = tx.prepare_cached(
                "INSERT INTO ledger_changes (at, by, action, position, json) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for c in changes {
                if let Some(p) = &c.after {
                    put.execute(params![
                        p.id,
                        p.issue,
                        p.party,
                        p.source.document,
                        p.status.as_str(),
                        p.date.as_ref().map(|d| d.from.as_str()),
                        serde_json::to_string(p)?,
                    ])?;
                }
                log.execute(params![c.at, c.by, c.action.as_str(), c.position, serde_json::to_string(c)?])?;
            }
            // the documents whose issue and party facets may change, before and after
            let docs =
                changes.iter().flat_map(|c| c.before.iter().chain(c.after.iter())).map(|p| p.source.document.as_str());
            let mut seen: Vec<&str> = Vec::new();
            enqueue(
                &tx,
                docs.filter(|d| {
                    if seen.contains(d) {
                        false
                    } else {
                        seen.push(d);
                        true
                    }
                }),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The positions selected by `filter`, by issue, party, date (undated last) and id.
    pub fn ledger_positions(&self, filter: &LedgerFilter) -> Result<Vec<Position>> {
        self.ledger_positions_page(filter, 0, usize::MAX)
    }

    /// [`Store::ledger_positions`] from the `offset`-th, at most `limit` of them.
    ///
    /// The statement names only the columns the filter sets (one statement per combination,
    /// each prepared once): SQLite plans `?1 IS NULL OR document = ?1` as a scan of every
    /// position, which made a document's positions cost the whole ledger (issue 14: 245 s to
    /// ingest 5,000 documents with 52,526 positions).
    pub fn ledger_positions_page(&self, filter: &LedgerFilter, offset: usize, limit: usize) -> Result<Vec<Position>> {
        let (clause, values) = where_clause(filter);
        let sql = format!(
            "SELECT json FROM ledger_positions{clause}
             ORDER BY issue, party, COALESCE(date_from, '~'), id LIMIT ? OFFSET ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let mut bound: Vec<&dyn rusqlite::ToSql> = values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
        bound.push(&limit);
        bound.push(&offset);
        let rows = stmt.query_map(bound.as_slice(), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// How many positions `filter` selects, without reading them.
    pub fn ledger_count(&self, filter: &LedgerFilter) -> Result<u64> {
        let (clause, values) = where_clause(filter);
        let mut stmt = self.conn.prepare_cached(&format!("SELECT COUNT(*) FROM ledger_positions{clause}"))?;
        let bound: Vec<&dyn rusqlite::ToSql> = values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
        let n: i64 = stmt.query_row(bound.as_slice(), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The query plan SQLite chose for a filter (for tests: every lookup uses an index).
    pub fn ledger_query_plan(&self, filter: &LedgerFilter) -> Result<String> {
        let (clause, values) = where_clause(filter);
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT json FROM ledger_positions{clause}
             ORDER BY issue, party, COALESCE(date_from, '~'), id LIMIT -1 OFFSET 0"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let bound: Vec<&dyn rusqlite::ToSql> = values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
        let rows = stmt.query_map(bound.as_slice(), |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
    }

    /// One position as it stands.
    pub fn ledger_position(&self, id: &str) -> Result<Option<Position>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT json FROM ledger_positions WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// The history of one position, or of the whole ledger, oldest first.
    pub fn ledger_history(&self, position: Option<&str>) -> Result<Vec<Change>> {
        // two statements: `?1 IS NULL OR position = ?1` is planned as a scan of the whole history
        let mut stmt = match position {
            Some(_) => self.conn.prepare_cached("SELECT json FROM ledger_changes WHERE position = ?1 ORDER BY seq")?,
            None => self.conn.prepare_cached("SELECT json FROM ledger_changes ORDER BY seq")?,
        };
        let bound: Vec<&dyn rusqlite::ToSql> = position.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
        let rows = stmt.query_map(bound.as_slice(), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// The part of the ledger that concerns some documents: their positions and those
    /// positions' histories (what re-extraction needs to leave a person's decisions alone).
    pub fn ledger_of_documents(&self, documents: &[&str]) -> Result<Ledger> {
        let mut positions = Vec::new();
        let mut history = Vec::new();
        for doc in documents {
            let filter = LedgerFilter { document: Some(doc.to_string()), ..Default::default() };
            for p in self.ledger_positions(&filter)? {
                history.extend(self.ledger_history(Some(&p.id))?);
                positions.push(p);
            }
        }
        Ok(Ledger::from_parts(positions, history))
    }

    /// Distinct (issues, parties) of each document's positions that are not rejected, by
    /// document id (for rebuilding the index's issue and party facets).
    pub fn ledger_subjects_by_document(&self) -> Result<HashMap<String, IssuesAndParties>> {
        let mut stmt = self.conn.prepare(
            "SELECT document, issue, party FROM ledger_positions WHERE status <> 'rejected'
             ORDER BY document, issue, party",
        )?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        let mut out: HashMap<String, IssuesAndParties> = HashMap::new();
        for row in rows {
            let (doc, issue, party) = row?;
            let (issues, parties) = out.entry(doc).or_default();
            if !issues.contains(&issue) {
                issues.push(issue);
            }
            if !parties.contains(&party) {
                parties.push(party);
            }
        }
        Ok(out)
    }

    /// Positions counted by issue and status, `(issue, status, count)`, without reading
    /// the positions.
    pub fn ledger_counts_by_issue(&self) -> Result<Vec<(String, String, u64)>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT issue, status, COUNT(*) FROM ledger_positions GROUP BY issue, status")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (issue, status, n) = row?;
            out.push((issue, status, u64::try_from(n).unwrap_or(0)));
        }
        Ok(out)
    }

    /// Number of positions by status (proposed, accepted, rejected).
    pub fn ledger_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut by_status: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
        for (_, status, n) in self.ledger_counts_by_issue()? {
            *by_status.entry(status).or_default() += n;
        }
        Ok(by_status.into_iter().collect())
    }
}
