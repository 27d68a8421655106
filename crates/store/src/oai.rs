//! What an OAI-PMH harvest reads (schema version 8): every document and every deleted one,
//! ordered by its datestamp — when it was last stored, or deleted — and id, through indexes,
//! one page at a time after the last `(datestamp, id)` served. A harvest that goes on while
//! documents are ingested therefore skips nothing and repeats nothing: a document stored
//! meanwhile gets a later datestamp than everything stored before (the store's stamps only
//! grow, [`Store::put_batch`]), so it comes after the position reached.
//!
//! Deleted documents are kept as tombstones (`deleted_documents`: id, collection, time of
//! deletion), so a harvester learns of a deletion (OAI-PMH `deletedRecord` "persistent"); a
//! document stored again under the same id loses its tombstone.

use rusqlite::{params_from_iter, types::Value};

use crate::{Result, Store};

/// Which records a harvest selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OaiQuery {
    /// Stamps at or after this (`YYYY-MM-DDTHH:MM:SS`, compared as text with the stored
    /// `YYYY-MM-DDTHH:MM:SS.sssZ`).
    pub from: Option<String>,
    /// Stamps at or before this (give it with `.999Z` for a whole second).
    pub until: Option<String>,
    pub set: Option<OaiSet>,
    /// The last record served: the page starts after this `(stamp, id)`.
    pub after: Option<(String, String)>,
}

/// An OAI-PMH set: a collection, or the documents stating positions on a ledger issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiSet {
    /// `Some(id)`: one collection; `None`: every document that has a collection.
    Collection(Option<String>),
    /// `Some(id)`: the documents with a position (not rejected) on that issue; `None`: on any.
    Issue(Option<String>),
}

/// One record's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiHeader {
    pub id: String,
    /// When it was stored or deleted, `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC).
    pub stamp: String,
    pub deleted: bool,
    pub collection_id: Option<String>,
}

impl Store {
    /// The headers of the records `q` selects, in (stamp, id) order, at most `limit`.
    pub fn oai_headers(&self, q: &OaiQuery, limit: usize) -> Result<Vec<OaiHeader>> {
        let (sql, args) = oai_sql(q, Some(limit));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(OaiHeader {
                id: r.get(0)?,
                stamp: r.get(1)?,
                deleted: r.get::<_, i64>(2)? != 0,
                collection_id: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// SQLite's plan for a page of `q` (for tests: each half reads its (stamp, id) index).
    pub fn oai_query_plan(&self, q: &OaiQuery) -> Result<String> {
        let (sql, args) = oai_sql(q, Some(100));
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
    }

    /// How many records `q` selects (its `after` ignored).
    pub fn oai_count(&self, q: &OaiQuery) -> Result<u64> {
        let q = OaiQuery { after: None, ..q.clone() };
        let (sql, args) = oai_sql(&q, None);
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM ({sql})"))?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One record's header: the document, or its tombstone.
    pub fn oai_header(&self, id: &str) -> Result<Option<OaiHeader>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, ingested_at, 0, collection_id FROM documents WHERE id = ?1
                 UNION ALL SELECT id, deleted_at, 1, collection_id FROM deleted_documents WHERE id = ?1
                 LIMIT 1",
            )?
            .query_row([id], |r| {
                Ok(OaiHeader {
                    id: r.get(0)?,
                    stamp: r.get(1)?,
                    deleted: r.get::<_, i64>(2)? != 0,
                    collection_id: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// The earliest stamp of any record (stored or deleted).
    pub fn oai_earliest(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT MIN(s) FROM (SELECT MIN(ingested_at) AS s FROM documents
                 UNION ALL SELECT MIN(deleted_at) FROM deleted_documents)",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// The ledger issues documents hold positions on (rejected ones not counted), each with
    /// how many documents, by issue id.
    pub fn oai_issue_sets(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT issue, COUNT(DISTINCT document) FROM ledger_positions WHERE status <> 'rejected'
             GROUP BY issue ORDER BY issue",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0))))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The issues each of `ids` holds positions on (not rejected), for the records' setSpecs.
    pub fn oai_issues_of(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, Vec<String>>> {
        let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT issue FROM ledger_positions WHERE document = ?1 AND status <> 'rejected' ORDER BY issue",
        )?;
        for id in ids {
            let issues = stmt.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            if !issues.is_empty() {
                out.insert(id.to_string(), issues);
            }
        }
        Ok(out)
    }

    /// Whether a tombstone is held for `id` (its deletion time).
    pub fn deleted_at(&self, id: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT deleted_at FROM deleted_documents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
}

/// The UNION of documents and tombstones `q` selects, ordered by (stamp, id), with its
/// arguments. Each half reads its own (stamp, id) index.
fn oai_sql(q: &OaiQuery, limit: Option<usize>) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::new();
    let mut half = |table: &str, stamp: &str| {
        let mut conds: Vec<String> = Vec::new();
        if let Some(f) = &q.from {
            args.push(Value::Text(f.clone()));
            conds.push(format!("{stamp} >= ?{}", args.len()));
        }
        if let Some(u) = &q.until {
            args.push(Value::Text(u.clone()));
            conds.push(format!("{stamp} <= ?{}", args.len()));
        }
        if let Some((s, id)) = &q.after {
            args.push(Value::Text(s.clone()));
            args.push(Value::Text(id.clone()));
            conds.push(format!("({stamp}, id) > (?{}, ?{})", args.len() - 1, args.len()));
        }
        match &q.set {
            None => {}
            Some(OaiSet::Collection(None)) => conds.push("collection_id IS NOT NULL".into()),
            Some(OaiSet::Collection(Some(c))) => {
                args.push(Value::Text(c.clone()));
                conds.push(format!("collection_id = ?{}", args.len()));
            }
            Some(OaiSet::Issue(issue)) => {
                let issue_cond = match issue {
                    Some(i) => {
                        args.push(Value::Text(i.clone()));
                        format!(" AND issue = ?{}", args.len())
                    }
                    None => String::new(),
                };
                conds.push(format!(
                    "id IN (SELECT document FROM ledger_positions WHERE status <> 'rejected'{issue_cond})"
                ));
            }
        }
        let deleted = i64::from(table == "deleted_documents");
        let wheres = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
        format!("SELECT id, {stamp} AS stamp, {deleted} AS deleted, collection_id FROM {table}{wheres}")
    };
    let docs = half("documents", "ingested_at");
    let gone = half("deleted_documents", "deleted_at");
    let mut sql = format!("{docs} UNION ALL {gone} ORDER BY stamp, id");
    if let Some(n) = limit {
        sql.push_str(&format!(" LIMIT {}", n.min(i64::MAX as usize)));
    }
    (sql, args)
}
