//! What a person enters by hand: a condition from its wording, and the passage of a document
//! that a quotation, a printed paragraph number or a note number points at.

use chancery_model::Document;

use crate::data::Rules;
use crate::model::{Condition, SourceRef, Span};
use crate::text::{self, Norm};

/// A condition from its wording: the key of the first built-in key rule that matches it
/// ("peace treaty signed" → `peace-treaty-signed`), else a slug of its first content words.
pub fn condition_from_text(text: &str) -> Condition {
    let text = text::collapse(text);
    let norm = Norm::new(&text).s;
    let key = Rules::builtin()
        .keys
        .iter()
        .find(|k| k.re.is_match(&norm))
        .map(|k| k.key.clone())
        .unwrap_or_else(|| crate::extract::slug(&norm));
    Condition { text, key }
}

/// Where in a document a passage is, as a person names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassageQuery {
    /// Words quoted from the passage (whitespace and case are not significant).
    pub quote: Option<String>,
    /// The paragraph's printed label ("3", "3."), when it has one.
    pub paragraph: Option<String>,
    /// A note number.
    pub note: Option<String>,
}

/// The passage of `doc` that `q` points at: the first paragraph, item or note that has the
/// printed label or note number asked for and contains the quotation. With a quotation the
/// source is the quoted words themselves (their span when the document text locates them);
/// without one, the whole passage. `None` when nothing fits.
pub fn locate(doc: &Document, q: &PassageQuery) -> Option<SourceRef> {
    let label = q.paragraph.as_deref().map(|l| l.trim().trim_end_matches('.').to_string());
    let note = q.note.as_deref().map(|n| n.trim().to_string());
    let quote = q.quote.as_deref().map(text::collapse).filter(|s| !s.is_empty());
    for unit in text::units(doc) {
        if let Some(l) = &label {
            if unit.label.as_deref().map(|x| x.trim().trim_end_matches('.')) != Some(l.as_str()) {
                continue;
            }
        }
        if let Some(n) = &note {
            if unit.note.as_deref() != Some(n.as_str()) {
                continue;
            }
        }
        let range = match &quote {
            Some(qt) => match find_loose(&unit.text, qt) {
                Some(r) => r,
                None => continue,
            },
            None => 0..unit.text.len(),
        };
        let passage = unit.text[range.clone()].to_string();
        let span = unit.char_start.map(|c| {
            let start = c + unit.text[..range.start].chars().count();
            Span { start, end: start + passage.chars().count() }
        });
        return Some(SourceRef {
            document: doc.id.clone(),
            block: unit.block.clone(),
            label: unit.label.clone(),
            part: None,
            clause: None,
            note: unit.note.clone(),
            span,
            text: passage,
        });
    }
    None
}

/// The byte range of `needle` in `hay`, ignoring case (case folding that keeps byte lengths;
/// otherwise exact).
fn find_loose(hay: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    if let Some(at) = hay.find(needle) {
        return Some(at..at + needle.len());
    }
    let (h, n) = (hay.to_lowercase(), needle.to_lowercase());
    if h.len() != hay.len() || n.len() != needle.len() {
        return None;
    }
    h.find(&n).map(|at| at..at + needle.len())
}
