//! What citations, exports, OAI-PMH and citation lookup read from the archive (issue 17). The
//! formats themselves are `chancery-cite`'s; the queries the store's. Nothing here speaks
//! HTTP.

use crate::{Archive, Result, SearchRequest};
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

/// How a citation found its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matched {
    /// The citation names the document (its id, address, volume and number).
    Exact,
    /// A FRUS volume and a page within the document's printed pages.
    ByPage,
    /// The words of an archival reference.
    ByArchivalReference,
    /// The words of a decimal file number.
    ByFileNumber,
    /// The words of a telegram's place, number and date.
    ByTelegram,
    /// The citation's words, in one document only.
    Fuzzy,
}

/// A document a citation may name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LookupHit {
    pub id: String,
    pub title: String,
}

/// What a pasted citation names: the document and how it matched, or none and the documents
/// nearest to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lookup {
    pub citation: String,
    /// `None`: no match (see `candidates`).
    pub matched: Option<Matched>,
    /// The document found (one), or none.
    pub document: Option<LookupHit>,
    /// Other documents that fit, or the nearest ones when nothing matched.
    pub candidates: Vec<LookupHit>,
}

/// Candidates listed at most.
const LOOKUP_CANDIDATES: usize = 5;

/// Stored documents read at most to find an archival reference (they are not indexed).
pub const ARCHIVAL_SCAN: usize = 50_000;

impl Archive {
    /// Look a pasted citation up (one citation; see [`Archive::lookup_all`] for many).
    pub fn lookup(&self, citation: &str) -> Result<Lookup> {
        use chancery_cite::lookup::{parse, Cited, TextKind};
        let hit = |d: &chancery_model::Document| LookupHit { id: d.id.clone(), title: d.title.clone() };
        let answer = |matched: Option<Matched>, document: Option<LookupHit>, candidates: Vec<LookupHit>| Lookup {
            citation: citation.trim().to_string(),
            matched,
            document,
            candidates,
        };
        let cited = parse(citation);
        let words = match &cited {
            Cited::Id(id) => {
                if let Some(d) = self.get(id)? {
                    return Ok(answer(Some(Matched::Exact), Some(hit(&d)), Vec::new()));
                }
                id.replace(['/', '-'], " ")
            }
            Cited::Frus { volume, document, page } => {
                if let Some(n) = document {
                    if let Some(d) = self.get(&format!("{volume}/d{n}"))? {
                        return Ok(answer(Some(Matched::Exact), Some(hit(&d)), Vec::new()));
                    }
                }
                if let Some(p) = page.as_deref().and_then(|p| p.parse::<u32>().ok()) {
                    let found = self.documents_on_page(volume, p)?;
                    if let Some((first, rest)) = found.split_first() {
                        return Ok(answer(Some(Matched::ByPage), Some(first.clone()), rest.to_vec()));
                    }
                }
                citation.to_string()
            }
            Cited::Text { text, .. } => text.clone(),
        };
        if let Cited::Text { kind: TextKind::ArchivalReference, text } = &cited {
            let found = self.documents_with_archival_ref(text)?;
            if let Some((first, rest)) = found.split_first() {
                let rest = rest.iter().take(LOOKUP_CANDIDATES).cloned().collect();
                return Ok(answer(Some(Matched::ByArchivalReference), Some(first.clone()), rest));
            }
        }
        let how = match &cited {
            Cited::Text { kind: TextKind::ArchivalReference, .. } => Matched::ByArchivalReference,
            Cited::Text { kind: TextKind::FileNumber, .. } => Matched::ByFileNumber,
            Cited::Text { kind: TextKind::Telegram, .. } => Matched::ByTelegram,
            _ => Matched::Fuzzy,
        };
        // the citation's words, every one required; one document found is the match
        let query: String = words
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            // one letter ("f.", "d.") is an abbreviation the index may not hold as a word
            .filter(|w| w.chars().count() > 1)
            .filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "and" | "or" | "not" | "to" | "vol" | "doc" | "pp"))
            .collect::<Vec<_>>()
            .join(" ");
        if query.is_empty() {
            return Ok(answer(None, None, Vec::new()));
        }
        let search = |q: &str| -> Result<Vec<LookupHit>> {
            let req = SearchRequest {
                query: q.to_string(),
                from: None,
                to: None,
                collection: None,
                filters: Vec::new(),
                sort: crate::Sort::Relevance,
                limit: LOOKUP_CANDIDATES + 1,
                offset: 0,
                facet_limit: 0,
            };
            Ok(self.search(&req)?.hits.into_iter().map(|h| LookupHit { id: h.id, title: h.title }).collect())
        };
        let all = search(&query)?;
        if all.len() == 1 {
            return Ok(answer(Some(how), all.into_iter().next(), Vec::new()));
        }
        if !all.is_empty() {
            return Ok(answer(None, None, all.into_iter().take(LOOKUP_CANDIDATES).collect()));
        }
        // nothing has every word: the nearest documents, any word
        let near = search(&query.split(' ').collect::<Vec<_>>().join(" OR "))?;
        Ok(answer(None, None, near.into_iter().take(LOOKUP_CANDIDATES).collect()))
    }

    /// Look up each citation of a footnote apparatus or bibliography: one a note when the
    /// lines are numbered notes, else one a line (blank lines skipped); see
    /// [`chancery_cite::lookup::split_citations`].
    pub fn lookup_all(&self, text: &str) -> Result<Vec<Lookup>> {
        chancery_cite::lookup::split_citations(text).iter().map(|c| self.lookup(c)).collect()
    }

    /// The documents whose archival reference is the one `text` gives: the same repository and
    /// the same fond, opis, delo (or series and file) as far as `text` names them; the folios
    /// are not compared (a citation names the page it quotes). The archival references are not
    /// indexed, so the stored documents are read in turn, at most [`ARCHIVAL_SCAN`] of them.
    fn documents_with_archival_ref(&self, text: &str) -> Result<Vec<LookupHit>> {
        let Some(wanted) = chancery_model::archival::parse_archival_refs(text).into_iter().next() else {
            return Ok(Vec::new());
        };
        let Some(repository) = wanted.repository.as_deref().map(str::to_lowercase) else { return Ok(Vec::new()) };
        let units: Vec<_> = wanted.units.iter().filter(|u| u.level != "folios").collect();
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let fits = |r: &chancery_model::ArchivalRef| {
            r.repository.as_deref().map(str::to_lowercase).as_deref() == Some(repository.as_str())
                && units.iter().all(|u| r.units.iter().any(|v| v.level == u.level && v.value == u.value))
        };
        let mut out = Vec::new();
        let mut q = chancery_store::OaiQuery::default();
        let mut read = 0;
        while read < ARCHIVAL_SCAN {
            let headers = self.oai_headers(&q, 500)?;
            let Some(last) = headers.last() else { break };
            q.after = Some((last.stamp.clone(), last.id.clone()));
            read += headers.len();
            for h in headers.iter().filter(|h| !h.deleted) {
                if let Some(d) = self.get(&h.id)? {
                    if d.archival_refs.iter().any(fits) {
                        out.push(LookupHit { id: d.id.clone(), title: d.title.clone() });
                    }
                }
            }
            if headers.len() < 500 {
                break;
            }
        }
        Ok(out)
    }

    /// The documents of FRUS volume `volume` printed on page `page` (by their page breaks).
    fn documents_on_page(&self, volume: &str, page: u32) -> Result<Vec<LookupHit>> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let req = SearchRequest {
                query: String::new(),
                from: None,
                to: None,
                collection: Some(volume.to_string()),
                filters: Vec::new(),
                sort: crate::Sort::DateAsc,
                limit: 1000,
                offset,
                facet_limit: 0,
            };
            let r = self.search(&req)?;
            for h in &r.hits {
                let Some(d) = self.get(&h.id)? else { continue };
                let Some(p) = chancery_cite::record::pages(&d.body) else { continue };
                let (Ok(first), Ok(last)) = (p.first.parse::<u32>(), p.last.parse::<u32>()) else { continue };
                if (first..=last).contains(&page) {
                    out.push(LookupHit { id: d.id.clone(), title: d.title.clone() });
                }
            }
            offset += r.hits.len();
            if r.hits.is_empty() || offset >= r.total {
                break;
            }
        }
        Ok(out)
    }
}
