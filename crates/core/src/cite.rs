//! What citations, exports, OAI-PMH and citation lookup read from the archive (issue 17). The
//! formats themselves are `chancery-cite`'s; the queries the store's. Nothing here speaks
//! HTTP.

use crate::{Archive, Result};
pub use chancery_store::{OaiHeader, OaiQuery, OaiSet};

impl Archive {
    /// One page of OAI-PMH record headers in (datestamp, id) order, after `q.after`.
    pub fn oai_headers(&self, q: &OaiQuery, limit: usize) -> Result<Vec<OaiHeader>> {
        Ok(self.store().oai_headers(q, limit)?)
    }

    /// How many records a harvest selects.
    pub fn oai_count(&self, q: &OaiQuery) -> Result<u64> {
        Ok(self.store().oai_count(q)?)
    }

    /// One record's header (a document held, or the tombstone of a deleted one).
    pub fn oai_header(&self, id: &str) -> Result<Option<OaiHeader>> {
        Ok(self.store().oai_header(id)?)
    }

    /// The earliest datestamp of the repository.
    pub fn oai_earliest(&self) -> Result<Option<String>> {
        Ok(self.store().oai_earliest()?)
    }

    /// Ledger issues with the number of documents holding positions on them.
    pub fn oai_issue_sets(&self) -> Result<Vec<(String, u64)>> {
        Ok(self.store().oai_issue_sets()?)
    }

    /// The ledger issues each document holds positions on.
    pub fn oai_issues_of(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, Vec<String>>> {
        Ok(self.store().oai_issues_of(ids)?)
    }

    /// Delete documents (their links go with them; a tombstone stays for OAI-PMH harvesters)
    /// and bring the index up to date. Returns the ids that were held. Needs the writer.
    pub fn delete(&mut self, ids: &[String]) -> Result<Vec<String>> {
        self.require_writer("delete")?;
        let store = self.store.get_mut().unwrap_or_else(|e| e.into_inner());
        let deleted = store.transaction(|s| -> Result<Vec<String>> {
            let mut out = Vec::new();
            for id in ids {
                if s.delete(id)? {
                    out.push(id.clone());
                }
            }
            Ok(out)
        })?;
        self.update_index()?;
        Ok(deleted)
    }
}
