//! The ledger stage (issue 6), after the link stage: candidate positions are extracted on
//! the reading threads (after normalization, so a transcription's inferred date is the
//! position's date), merged into the stored ledger by the writer with
//! [`chancery_ledger::Ledger::propose`] (new candidates added, untouched candidates updated,
//! what a person decided left alone), and the issues and parties of each document's positions
//! that are not rejected become the `issue` and `party` search facets.
//!
//! A document that is another witness of one held (the seed transcription of FRUS d52) gets
//! no candidates of its own: its primary states the same positions, and listing them twice
//! would count one memorandum twice. Earlier untouched candidates of a document that turns
//! out to be a witness are rejected by rule, with the change recorded.
//!
//! Curation (accept, reject, edit, add) goes through the same `Ledger` rules, records who and
//! when, and refreshes the document's facets in the index.

use std::sync::OnceLock;

use chancery_ledger::{Change, Extractor, Issue, Ledger, Origin, PassageQuery, Position, Status};
use chancery_model::Document;
use chancery_store::{LedgerFilter, Store};

use crate::{Archive, Error, Result};

/// The built-in issues.
pub(crate) fn issues() -> &'static [Issue] {
    static ISSUES: OnceLock<Vec<Issue>> = OnceLock::new();
    ISSUES.get_or_init(chancery_ledger::builtin_issues)
}

/// The extractor for the built-in issues (compiled once).
pub(crate) fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(issues()))
}

/// Now, UTC, RFC 3339 with milliseconds (`2026-11-26T03:04:05.678Z`).
pub(crate) fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The part of the stored ledger a curation step on position `id` works on: the position
/// (if held) and its history.
fn ledger_part(store: &Store, id: &str) -> Result<Ledger> {
    Ok(match store.ledger_position(id)? {
        Some(p) => Ledger::from_parts(vec![p], store.ledger_history(Some(id))?),
        None => Ledger::new(),
    })
}

/// Whether a party id is a `party` facet value: the "unknown" party (whose stance the rules
/// found but not whose it is) is not a party.
pub(crate) fn is_facet_party(party: &str) -> bool {
    party != chancery_ledger::UNKNOWN_PARTY
}

/// The issues and parties of a document's positions that are not rejected, for the facets
/// (see [`is_facet_party`]).
pub(crate) fn facet_values<'a>(positions: impl Iterator<Item = &'a Position>) -> (Vec<String>, Vec<String>) {
    let mut issues: Vec<String> = Vec::new();
    let mut parties: Vec<String> = Vec::new();
    for p in positions.filter(|p| p.status != Status::Rejected) {
        if !issues.contains(&p.issue) {
            issues.push(p.issue.clone());
        }
        if is_facet_party(&p.party) && !parties.contains(&p.party) {
            parties.push(p.party.clone());
        }
    }
    (issues, parties)
}

/// Merge the candidates of a batch (`candidates[i]` extracted from `docs[i]`) into the stored
/// ledger; `witnesses` are the documents now known to be another witness of a primary. Returns
/// each document's (issues, parties) facet values.
///
/// Each document is merged against its own part of the ledger (its positions and their
/// histories, read through the store's index by document), so the cost of a batch grows with
/// its own positions, never with the whole ledger's.
pub(crate) fn propose(
    store: &mut Store,
    docs: &[Document],
    candidates: Vec<Vec<Position>>,
    witnesses: &[String],
) -> Result<Vec<(Vec<String>, Vec<String>)>> {
    let at = now();
    let mut changes: Vec<Change> = Vec::new();
    let mut facets = Vec::with_capacity(docs.len());
    for (doc, found) in docs.iter().zip(candidates) {
        let found = if witnesses.contains(&doc.id) { Vec::new() } else { found };
        let mut ledger = store.ledger_of_documents(&[doc.id.as_str()])?;
        if !found.is_empty() || ledger.positions().next().is_some() {
            changes.extend(ledger.propose(&doc.id, found, &at));
        }
        facets.push(facet_values(ledger.positions()));
    }
    for w in witnesses.iter().filter(|w| !docs.iter().any(|d| &d.id == *w)) {
        let mut ledger = store.ledger_of_documents(&[w.as_str()])?;
        changes.extend(ledger.propose(w, Vec::new(), &at));
    }
    store.apply_ledger_changes(&changes)?;
    Ok(facets)
}

/// A position a person enters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPosition {
    pub issue: String,
    pub party: String,
    /// The document that states it.
    pub document: String,
    /// Where in the document (a quotation, a printed paragraph number, a note number).
    pub passage: PassageQuery,
    /// The stance in the source's words; the passage when not given.
    pub stance: Option<String>,
    /// The conditions, one item each, in the source's words.
    pub conditions: Vec<String>,
    /// Who stated it (a person or office as printed); the party when not given.
    pub stated_by: Option<String>,
    /// Whose record the document is; found from the document as extraction does when not
    /// given.
    pub reported_by: Option<String>,
}

/// Changes a person makes to a position. Fields left `None` stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionEdit {
    pub issue: Option<String>,
    pub party: Option<String>,
    pub stance: Option<String>,
    /// The whole list of conditions, replacing the old one (empty: no condition).
    pub conditions: Option<Vec<String>>,
    pub stated_by: Option<String>,
    pub reported_by: Option<String>,
    /// Another passage of the same document.
    pub passage: Option<PassageQuery>,
}

fn check_issue_party(issue: &str, party: &str) -> Result<()> {
    let Some(i) = issues().iter().find(|i| i.id == issue) else {
        let known: Vec<&str> = issues().iter().map(|i| i.id.as_str()).collect();
        return Err(Error::Invalid(format!("no issue {issue:?} (issues: {})", known.join(", "))));
    };
    if i.party(party).is_none() && party != chancery_ledger::UNKNOWN_PARTY {
        let known: Vec<&str> = i.parties.iter().map(|p| p.id.as_str()).collect();
        return Err(Error::Invalid(format!("{party:?} is not a party to {issue:?} (parties: {})", known.join(", "))));
    }
    Ok(())
}

fn non_empty(field: &str, s: &str) -> Result<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(Error::Invalid(format!("{field} must not be empty")));
    }
    Ok(s)
}

impl Archive {
    /// The issues the ledger knows (built in, see `chancery-ledger`'s `data/issues.toml`).
    pub fn ledger_issues(&self) -> &'static [Issue] {
        issues()
    }

    /// One issue by id.
    pub fn ledger_issue(&self, id: &str) -> Option<&'static Issue> {
        issues().iter().find(|i| i.id == id)
    }

    /// A party's display name ("Soviet Union") by id.
    pub fn ledger_party_name(&self, id: &str) -> Option<String> {
        issues().iter().flat_map(|i| &i.parties).find(|p| p.id == id).map(|p| p.name.clone())
    }

    /// The positions selected, by issue, party, date and id.
    pub fn ledger_positions(&self, filter: &LedgerFilter) -> Result<Vec<Position>> {
        Ok(self.store().ledger_positions(filter)?)
    }

    /// [`Archive::ledger_positions`] from the `offset`-th, at most `limit` of them, with how
    /// many the filter selects in all (the store reads only the page).
    pub fn ledger_positions_page(
        &self,
        filter: &LedgerFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, Vec<Position>)> {
        let store = self.store();
        Ok((store.ledger_count(filter)?, store.ledger_positions_page(filter, offset, limit)?))
    }

    pub fn ledger_position(&self, id: &str) -> Result<Option<Position>> {
        Ok(self.store().ledger_position(id)?)
    }

    /// The history of one position (or of the whole ledger), oldest first.
    pub fn ledger_history(&self, id: Option<&str>) -> Result<Vec<Change>> {
        Ok(self.store().ledger_history(id)?)
    }

    /// Number of positions by status.
    pub fn ledger_counts(&self) -> Result<Vec<(String, u64)>> {
        Ok(self.store().ledger_counts()?)
    }

    /// Number of positions of each issue by status (`(issue, status, count)`), counted by
    /// the store. A status the store holds that this version does not know is an error.
    pub fn ledger_counts_by_issue(&self) -> Result<Vec<(String, Status, u64)>> {
        self.store()
            .ledger_counts_by_issue()?
            .into_iter()
            .map(|(issue, status, n)| {
                let status = status
                    .parse::<Status>()
                    .map_err(|_| Error::Invalid(format!("the ledger holds an unknown status {status:?}")))?;
                Ok((issue, status, n))
            })
            .collect()
    }

    /// An issue's ledger: parties × years, with the positions of the statuses asked for
    /// (empty: all but the rejected) and each party's condition changes.
    pub fn issue_ledger(&self, id: &str, statuses: &[Status]) -> Result<Option<chancery_ledger::IssueLedger>> {
        let Some(issue) = self.ledger_issue(id) else { return Ok(None) };
        let filter = LedgerFilter { issue: Some(id.to_string()), ..Default::default() };
        let positions: Vec<Position> = self
            .ledger_positions(&filter)?
            .into_iter()
            .filter(|p| if statuses.is_empty() { p.status != Status::Rejected } else { statuses.contains(&p.status) })
            .collect();
        Ok(Some(chancery_ledger::issue_ledger(issue, &positions)))
    }

    /// A person accepts a proposed (or rejected) position.
    pub fn ledger_accept(&self, id: &str, by: &str) -> Result<Change> {
        self.decide_one(id, Status::Accepted, by)
    }

    /// A person rejects a position (it stays in the ledger, marked rejected).
    pub fn ledger_reject(&self, id: &str, by: &str) -> Result<Change> {
        self.decide_one(id, Status::Rejected, by)
    }

    /// [`Archive::ledger_decide`] for one position.
    fn decide_one(&self, id: &str, to: Status, by: &str) -> Result<Change> {
        self.ledger_decide(&[id.to_string()], to, by)?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("no position {id:?}")))
    }

    /// A person edits a position.
    pub fn ledger_edit(&self, id: &str, edit: &PositionEdit, by: &str) -> Result<Change> {
        let by = non_empty("the curator's name", by)?;
        let before = self.ledger_position(id)?.ok_or_else(|| Error::NotFound(format!("no position {id:?}")))?;
        let mut p = before.clone();
        if let Some(i) = &edit.issue {
            p.issue = non_empty("issue", i)?;
        }
        if let Some(party) = &edit.party {
            p.party = non_empty("party", party)?;
        }
        check_issue_party(&p.issue, &p.party)?;
        if let Some(s) = &edit.stance {
            p.stance = non_empty("stance", s)?;
        }
        if let Some(cs) = &edit.conditions {
            p.conditions =
                cs.iter().filter(|c| !c.trim().is_empty()).map(|c| chancery_ledger::condition_from_text(c)).collect();
        }
        if let Some(s) = &edit.stated_by {
            p.stated_by = non_empty("stated by", s)?;
        }
        if let Some(s) = &edit.reported_by {
            p.reported_by = non_empty("reported by", s)?;
        }
        if let Some(q) = &edit.passage {
            let doc = self.get(&p.source.document)?.ok_or_else(|| {
                Error::NotFound(format!("the position's document {:?} is not held", p.source.document))
            })?;
            p.source = chancery_ledger::locate(&doc, q)
                .ok_or_else(|| Error::Invalid(format!("no passage of {} fits {q:?}", doc.id)))?;
        }
        self.curate(id, |ledger, at| ledger.edit(p, at, &by))
    }

    /// A person enters a position; it is accepted (a person stated it) with a person origin.
    pub fn ledger_add(&self, entry: &NewPosition, by: &str) -> Result<Change> {
        let by = non_empty("the curator's name", by)?;
        check_issue_party(&entry.issue, &entry.party)?;
        let doc =
            self.get(&entry.document)?.ok_or_else(|| Error::NotFound(format!("no document {:?}", entry.document)))?;
        let source = chancery_ledger::locate(&doc, &entry.passage)
            .ok_or_else(|| Error::Invalid(format!("no passage of {} fits {:?}", doc.id, entry.passage)))?;
        let stance = match &entry.stance {
            Some(s) => non_empty("stance", s)?,
            None => source.text.clone(),
        };
        let p = Position {
            id: format!("{}#{}/{}/{}", doc.id, source.unit(), entry.issue, entry.party),
            issue: entry.issue.clone(),
            party: entry.party.clone(),
            date: doc.date.clone(),
            stance,
            conditions: entry
                .conditions
                .iter()
                .filter(|c| !c.trim().is_empty())
                .map(|c| chancery_ledger::condition_from_text(c))
                .collect(),
            stated_by: entry.stated_by.clone().unwrap_or_else(|| entry.party.clone()),
            reported_by: entry.reported_by.clone().unwrap_or_else(|| extractor().reporter(&doc)),
            source,
            origin: Origin::Person { name: by.clone() },
            status: Status::Accepted,
        };
        let id = p.id.clone();
        self.curate(&id, |ledger, at| ledger.add(p, at, &by))
    }

    /// Apply one curation step to the position `id`'s part of the ledger, store it with its
    /// change, and refresh the facets of the position's document (before and after).
    fn curate(
        &self,
        id: &str,
        step: impl FnOnce(&mut Ledger, &str) -> Result<Change, chancery_ledger::LedgerError>,
    ) -> Result<Change> {
        // The write connection's lock serializes curation (and the index writer it opens).
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let mut ledger = ledger_part(&store, id)?;
        let change = step(&mut ledger, &now())?;
        self.write_changes(&mut store, std::slice::from_ref(&change))?;
        Ok(change)
    }

    /// A person accepts (`to` accepted) or rejects (`to` rejected) several positions at once.
    /// Every step is checked before anything is written; then the changes are stored in one
    /// transaction and the documents' facets refreshed in one index commit. One refused step
    /// (an unknown id, a position already so) writes nothing. Repeated ids count once.
    pub fn ledger_decide(&self, ids: &[String], to: Status, by: &str) -> Result<Vec<Change>> {
        let by = non_empty("the curator's name", by)?;
        if to == Status::Proposed {
            return Err(Error::Invalid("a person accepts or rejects a position; rules propose them".into()));
        }
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let at = now();
        let mut changes: Vec<Change> = Vec::with_capacity(ids.len());
        for id in ids {
            if changes.iter().any(|c| c.position == *id) {
                continue;
            }
            let mut ledger = ledger_part(&store, id)?;
            let change = match to {
                Status::Rejected => ledger.reject(id, &at, &by),
                _ => ledger.accept(id, &at, &by),
            }?;
            changes.push(change);
        }
        self.write_changes(&mut store, &changes)?;
        Ok(changes)
    }

    /// Store `changes` (one transaction, with the change feed's rows for the documents they
    /// touch) and bring the index up to date with them.
    fn write_changes(&self, store: &mut Store, changes: &[Change]) -> Result<()> {
        store.apply_ledger_changes(changes)?;
        self.sync_index(store)
    }

    /// Bring the index up to the store's change feed after a curation: at once when this
    /// archive holds the writer lock or can take it for a moment; else the process writing
    /// now applies the change at its next commit (a few seconds).
    fn sync_index(&self, store: &mut Store) -> Result<()> {
        let _lock = match self.lock {
            Some(_) => None,
            None => match crate::lock::WriterLock::try_acquire(&self.dir, "curation")? {
                Some(lock) => Some(lock),
                None => return Ok(()),
            },
        };
        let Some(seq) = self.index.committed_seq()? else {
            tracing::warn!("the index does not say which changes it holds; run `chancery reindex`");
            return Ok(());
        };
        let mut writer = self.index.writer()?;
        crate::ingest::apply_changes(store, &mut writer, seq, &[])?;
        Ok(())
    }
}
