//! What the link stage finds in a document's own text: the gazetteer places it names and the
//! references it makes to other documents. Finding them scans the whole text (the places
//! tokenize it, the references run a dozen patterns over it), so the ingest does it once on
//! its reading threads and the store keeps the result beside the document; a document page
//! reads it back instead of scanning again (issue 4: the two scans were 43% of a page at 1M).
//!
//! References are kept as found, unresolved: whether the archive holds what they point at
//! changes with every ingest, so that is looked up when they are shown.

use chancery_model::Document;
use serde::{Deserialize, Serialize};

use crate::crossref::{self, CrossRef};
use crate::places::{self, Gazetteer, PlaceMatch};

/// The version of what [`Found::of`] finds. Raise it whenever the built-in gazetteer or the
/// reference patterns change their results: a [`Found`] of another version was found by
/// another program and is found again rather than shown (`chancery relink` replaces them all).
pub const FOUND_VERSION: u32 = 1;

/// The places and references found in one document's text and notes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Found {
    /// [`FOUND_VERSION`] of the program that found them.
    pub version: u32,
    /// As [`places::find_places`] gives them, with the built-in gazetteer.
    pub places: Vec<PlaceMatch>,
    /// As [`crossref::extract`] gives them (`resolved` unset).
    pub references: Vec<CrossRef>,
}

impl Found {
    /// Find the places and references of `doc` (normalized: a reference's year may come from
    /// the document's date).
    pub fn of(doc: &Document) -> Found {
        Found {
            version: FOUND_VERSION,
            places: places::find_places(doc, Gazetteer::builtin()),
            references: crossref::extract(doc),
        }
    }

    /// Whether this program would find the same (it was found with this [`FOUND_VERSION`]).
    pub fn is_current(&self) -> bool {
        self.version == FOUND_VERSION
    }

    /// The distinct gazetteer ids of the places, in order of first mention.
    pub fn place_ids(&self) -> Vec<String> {
        places::distinct_ids(&self.places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_model::{Block, Inline, Note};

    #[test]
    fn finds_places_and_references_of_text_and_notes() {
        let mut d = Document {
            id: "frus1955-57v23p1/d52".into(),
            body: vec![Block {
                inlines: vec![
                    Inline::text("Return of Habomai and Shikotan to Japan; see Document 45 and Tokyo"),
                    Inline::NoteRef { n: "1".into() },
                ],
                ..Default::default()
            }],
            notes: vec![Note {
                n: "1".into(),
                kind: "footnote".into(),
                inlines: vec![Inline::text("Telegram 609 to Tokyo, September 18.")],
                ..Default::default()
            }],
            ..Default::default()
        };
        d.finalize();
        let f = Found::of(&d);
        assert!(f.is_current());
        assert_eq!(f.place_ids(), ["habomai", "shikotan", "japan", "tokyo"]);
        let refs: Vec<(crossref::RefKind, Option<&str>, Option<&str>)> =
            f.references.iter().map(|r| (r.kind, r.number.as_deref(), r.note.as_deref())).collect();
        assert_eq!(
            refs,
            [(crossref::RefKind::Document, Some("45"), None), (crossref::RefKind::Telegram, Some("609"), Some("1"))]
        );
        // kept as JSON and read back whole
        let back: Found = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        assert!(!Found { version: FOUND_VERSION + 1, ..back }.is_current());
    }
}
