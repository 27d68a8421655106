//! The fidelity report: per collection, what was read of its documents and what was not.
//!
//! After an ingest (`IngestReport::fidelity`, `chancery ingest --json`) and on a collection's
//! page (`Archive::fidelity`), an archivist sees at once how many documents are dated and from
//! which part of the source, placed, with an archival reference, with a language declared or
//! detected, how many notes are anchored at their word, how many documents are described but
//! not transcribed, and how many were stored with a warning. What it counts of a document is
//! the store's [`Tally`], kept beside the document when it is stored, so a collection's
//! report sums small rows and reads no document.

use std::collections::BTreeMap;

use chancery_model::Document;
use chancery_store::Tally;
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
    /// Records of a correspondence index (CMIF) joined to a letter the archive holds in full:
    /// kept as that letter's witness, not a second document (not searched or listed apart).
    pub joined: usize,
    /// Documents stored with a warning (another id than their own).
    pub warnings: usize,
}

impl Fidelity {
    /// Count one document.
    pub fn add(&mut self, d: &Document) {
        self.add_tally(&Tally::of(d));
    }

    /// Count one document by what the store keeps of it ([`Tally`]).
    pub fn add_tally(&mut self, t: &Tally) {
        self.documents += 1;
        if let Some(basis) = &t.dated_by {
            self.dated += 1;
            *self.dated_by.entry(basis.clone()).or_default() += 1;
        }
        self.placed += usize::from(t.placed);
        self.with_archival_ref += usize::from(t.archival_ref);
        if let Some(how) = t.language.as_deref() {
            self.with_language += 1;
            match how {
                "detected" => self.language_detected += 1,
                _ => self.language_declared += 1,
            }
        }
        self.notes += t.notes;
        self.notes_anchored += t.notes_anchored;
        self.metadata_only += usize::from(t.metadata_only);
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
