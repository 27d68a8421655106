//! The fidelity report: per collection, what was read of its documents and what was not.
//!
//! After an ingest (`IngestReport::fidelity`, `chancery ingest --json`) and on a collection's
//! page (`Archive::fidelity`), an archivist sees at once how many documents are dated and from
//! which part of the source, placed, with an archival reference, with a language declared or
//! detected, how many notes are anchored at their word, how many documents are described but
//! not transcribed, and how many were stored with a warning.

use std::collections::BTreeMap;

use chancery_model::Document;
use serde::Serialize;

/// What was read of one collection's documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Fidelity {
    /// Collection id ("" for documents of no collection).
    pub collection: String,
    pub title: String,
    pub documents: usize,
    /// Documents with a date.
    pub dated: usize,
    /// Dated documents by where the date comes from: "dateline", "correspDesc", "origDate",
    /// "creation", "publication", "inferred" (from a file number), "source" (the reader's own
    /// rule: a FRUS document's date, a record's date field).
    pub dated_by: BTreeMap<String, usize>,
    /// Documents with a place of writing or sending.
    pub placed: usize,
    /// Documents with at least one archival reference.
    pub with_archival_ref: usize,
    /// Documents with a language, and of these how many were declared by the source and how
    /// many detected from the text.
    pub with_language: usize,
    pub language_declared: usize,
    pub language_detected: usize,
    /// Notes, and the notes anchored at a place of the text.
    pub notes: usize,
    pub notes_anchored: usize,
    /// Documents described but not transcribed.
    pub metadata_only: usize,
    /// Documents stored with a warning (another id than their own).
    pub warnings: usize,
}

impl Fidelity {
    /// Count one document.
    pub fn add(&mut self, d: &Document) {
        self.documents += 1;
        if let Some(date) = &d.date {
            self.dated += 1;
            let basis = if date.inferred { "inferred" } else { date.basis.as_deref().unwrap_or("source") };
            *self.dated_by.entry(basis.to_string()).or_default() += 1;
        }
        self.placed += usize::from(d.place.as_deref().is_some_and(|p| !p.trim().is_empty()));
        self.with_archival_ref += usize::from(!d.archival_refs.is_empty());
        if d.language.is_some() {
            self.with_language += 1;
            match d.language_basis.as_deref() {
                Some("detected") => self.language_detected += 1,
                _ => self.language_declared += 1,
            }
        }
        self.notes += d.notes.len();
        self.notes_anchored += d.notes.iter().filter(|n| n.anchor.is_some()).count();
        self.metadata_only += usize::from(d.metadata_only);
    }
}

/// The report of a set of documents, per collection, in order of collection id.
pub fn of_documents<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Vec<Fidelity> {
    let mut by: BTreeMap<String, Fidelity> = BTreeMap::new();
    for d in docs {
        let (id, title) = d.collection.as_ref().map(|c| (c.id.clone(), c.title.clone())).unwrap_or_default();
        by.entry(id.clone()).or_insert_with(|| Fidelity { collection: id, title, ..Default::default() }).add(d);
    }
    by.into_values().collect()
}
