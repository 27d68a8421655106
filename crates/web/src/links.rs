//! A document's links, gathered once per request for the document page and for
//! `/api/doc/{id}/links`: its witnesses (or its primary), the people it names resolved
//! against the authority, the gazetteer places it names, its Central Decimal File numbers
//! decoded, its references to other documents, and the documents related to it.
//!
//! Everything here comes from `chancery_link` and the archive; nothing is asserted without
//! the passage it came from (field, note number, offset) or the rule that produced it. The
//! wording ("the source's tag names somebody else") is shared by the page and the API.

use std::collections::HashMap;

use chancery_core::{Archive, Document, Resolution, SearchRequest, Sort};
use chancery_link::crossref::{self, CrossRef, RefKind};
use chancery_link::filing::{self, FileNumber};
use chancery_link::people::{Evidence, Field, Flag, Method};
use chancery_link::places::PlaceMatch;
use chancery_link::related::Related;

use crate::{classify, Failure};

/// Related documents shown on a document page.
pub const RELATED_SHOWN: usize = 5;

/// Documents looked at per day when looking for a cited telegram among the held documents.
const TELEGRAM_CANDIDATES: usize = 100;

/// One copy of the document.
#[derive(Debug, Clone)]
pub struct Copy {
    pub id: String,
    pub title: String,
    /// The file it was read from, as given to the ingest.
    pub path: String,
    /// The reader that read it ("frus-tei", "plain-text").
    pub format: String,
    /// The copy being shown.
    pub this: bool,
    /// The edition kept (the others are its witnesses).
    pub primary: bool,
    /// How alike it is to the primary (0..=1); `None` for the primary itself.
    pub score: Option<f64>,
    /// Why it is the same document, in words.
    pub reasons: Vec<String>,
}

/// A file number of the document, decoded, and where it was found.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub number: FileNumber,
    /// "archival reference", "source note", "note 1".
    pub found_in: String,
}

/// A reference with the title of the held document it resolved to.
#[derive(Debug, Clone)]
pub struct Reference {
    pub r: CrossRef,
    pub resolved_title: Option<String>,
}

/// A related document with its title.
#[derive(Debug, Clone)]
pub struct RelatedDoc {
    pub related: Related,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct DocLinks {
    /// When the document is another witness: the edition kept.
    pub primary: Option<Copy>,
    /// On a primary with other witnesses: every copy, this one first.
    pub copies: Vec<Copy>,
    /// Whether a person authority is held (without one nothing is resolved).
    pub authority: bool,
    pub people: Vec<Resolution>,
    /// Preferred names of the persons the resolutions name (resolved, tagged, candidates).
    pub names: HashMap<String, String>,
    pub places: Vec<PlaceMatch>,
    pub files: Vec<FoundFile>,
    pub references: Vec<Reference>,
    /// Filled by [`related`] for the API; the document page loads them from `/related/{id}`.
    pub related: Vec<RelatedDoc>,
}

impl DocLinks {
    /// The preferred name of a person id, or the id.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }
}

fn copy_of(a: &Archive, id: &str, this: &str) -> Result<Option<Copy>, Failure> {
    Ok(a.get(id).map_err(classify)?.map(|d| Copy {
        title: if d.title.trim().is_empty() { d.id.clone() } else { d.title.clone() },
        this: d.id == this,
        id: d.id,
        path: d.source.path,
        format: d.source.format,
        primary: false,
        score: None,
        reasons: Vec::new(),
    }))
}

/// Gather the links of `doc` (already read from the archive).
pub fn gather(a: &Archive, doc: &Document) -> Result<DocLinks, Failure> {
    let mut links = DocLinks::default();

    // Witnesses: a witness points to its primary; a primary lists every copy.
    if let Some(p) = a.primary_of(&doc.id).map_err(classify)? {
        let mut primary = copy_of(a, &p, &doc.id)?.unwrap_or_else(|| Copy {
            id: p.clone(),
            title: p.clone(),
            path: String::new(),
            format: String::new(),
            this: false,
            primary: true,
            score: None,
            reasons: Vec::new(),
        });
        primary.primary = true;
        // the evidence is kept with the primary
        if let Some(m) = a.witnesses_of(&p).map_err(classify)?.into_iter().find(|m| m.witness == doc.id) {
            primary.score = Some(m.score);
            primary.reasons = m.reasons;
        }
        links.primary = Some(primary);
    } else {
        let witnesses = a.witnesses_of(&doc.id).map_err(classify)?;
        if !witnesses.is_empty() {
            links.copies.push(Copy {
                id: doc.id.clone(),
                title: doc.title.clone(),
                path: doc.source.path.clone(),
                format: doc.source.format.clone(),
                this: true,
                primary: true,
                score: None,
                reasons: Vec::new(),
            });
            for m in witnesses {
                let mut c = copy_of(a, &m.witness, &doc.id)?.unwrap_or_else(|| Copy {
                    id: m.witness.clone(),
                    title: m.witness.clone(),
                    path: String::new(),
                    format: String::new(),
                    this: false,
                    primary: false,
                    score: None,
                    reasons: Vec::new(),
                });
                c.score = Some(m.score);
                c.reasons = m.reasons;
                links.copies.push(c);
            }
        }
    }

    // People.
    links.authority = a.has_authority().map_err(classify)?;
    links.people = a.person_mentions(&doc.id).map_err(classify)?;
    let mut ids: Vec<&str> = Vec::new();
    for r in &links.people {
        ids.extend(r.person.as_deref());
        match &r.flag {
            Some(Flag::TagContradictsText { tagged, .. }) => ids.push(tagged),
            Some(Flag::Ambiguous { candidates }) => ids.extend(candidates.iter().map(String::as_str)),
            _ => {}
        }
    }
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        if let Some(name) = a.person_name(id).map_err(classify)? {
            links.names.insert(id.to_string(), name);
        }
    }

    // places and references as the ingest found them (not scanned again per request)
    let found = a.found(doc).map_err(classify)?;
    links.places = found.places;
    links.files = file_numbers(doc);
    links.references = references(a, doc, found.references)?;

    Ok(links)
}

/// The documents most related to `id`, with their titles. Not part of [`gather`]: the
/// document page loads them separately (`/related/{id}`), because finding them is a search
/// and reads a dozen candidates, several times the cost of the page itself.
pub fn related(a: &Archive, id: &str) -> Result<Vec<RelatedDoc>, Failure> {
    let mut out = Vec::new();
    for related in a.related(id, RELATED_SHOWN).map_err(classify)? {
        let title = a.title(&related.id).map_err(classify)?.filter(|t| !t.trim().is_empty());
        out.push(RelatedDoc { title: title.unwrap_or_else(|| related.id.clone()), related });
    }
    Ok(out)
}

/// The document's own file numbers: those of its archival references, then those its source
/// note and source notes cite, each once.
pub fn file_numbers(doc: &Document) -> Vec<FoundFile> {
    let year = doc.date.as_ref().and_then(|d| d.year_from());
    let mut out: Vec<FoundFile> = Vec::new();
    let mut push = |number: FileNumber, found_in: String| {
        if !out.iter().any(|f| f.number.text == number.text) {
            out.push(FoundFile { number, found_in });
        }
    };
    for r in &doc.archival_refs {
        let Some(text) = r.file_number.as_deref() else { continue };
        let decoded = match year {
            Some(y) => filing::decode_in_year(text, y),
            None => filing::decode(text),
        };
        if let Some(n) = decoded {
            push(n, "archival reference".to_string());
        }
    }
    if let Some(note) = &doc.source_note {
        for n in filing::find_all(note) {
            push(n, "source note".to_string());
        }
    }
    for note in doc.notes.iter().filter(|n| n.kind == "source") {
        for n in filing::find_all(&note.text) {
            push(n, format!("note {}", note.n));
        }
    }
    out
}

/// The references found in `doc` (`refs`), resolved where it is cheap: a FRUS document by
/// its id, a volume by whether a collection of that id is held, a telegram by comparing its
/// key with the telegrams held for the same day.
fn references(a: &Archive, doc: &Document, refs: Vec<CrossRef>) -> Result<Vec<Reference>, Failure> {
    let mut telegrams: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(refs.len());
    for mut r in refs {
        r.resolved = match r.kind {
            RefKind::Document => match r.target.as_deref() {
                Some(t) if t != doc.id => a.contains(t).map_err(classify)?.then(|| t.to_string()),
                _ => None,
            },
            RefKind::Volume => match r.target.as_deref() {
                Some(t) => a.collection(t).map_err(classify)?.map(|c| c.id),
                None => None,
            },
            RefKind::Telegram => match crossref::telegram_key_of_reference(&r) {
                Some(key) => {
                    if !telegrams.contains_key(&key) {
                        let found = held_telegram(a, &r, &key, &doc.id)?;
                        telegrams.insert(key.clone(), found);
                    }
                    telegrams[&key].clone()
                }
                None => None,
            },
            _ => None,
        };
        let resolved_title = match &r.resolved {
            Some(id) if r.kind == RefKind::Volume => a.collection(id).map_err(classify)?.map(|c| c.title),
            Some(id) => a.title(id).map_err(classify)?,
            None => None,
        };
        out.push(Reference { r, resolved_title });
    }
    Ok(out)
}

/// The held document that is the telegram `key` names: among the documents dated on the
/// reference's day whose title says "telegram".
fn held_telegram(a: &Archive, r: &CrossRef, key: &str, citing: &str) -> Result<Option<String>, Failure> {
    let Some(date) = &r.date else { return Ok(None) };
    let req = SearchRequest {
        query: String::new(),
        from: Some(date.from.clone()),
        to: Some(date.to.clone()),
        collection: None,
        filters: Vec::new(),
        sort: Sort::DateAsc,
        limit: TELEGRAM_CANDIDATES,
        offset: 0,
        facet_limit: 1,
    };
    let hits = match a.search(&req) {
        Ok(r) => r.hits,
        // a date the index cannot take is no reason to fail the page
        Err(_) => return Ok(None),
    };
    for h in hits.iter().filter(|h| h.id != citing && h.title.to_lowercase().contains("telegram")) {
        if let Some(d) = a.get(&h.id).map_err(classify)? {
            if crossref::telegram_key_of_document(&d).as_deref() == Some(key) {
                return Ok(Some(d.id));
            }
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------
// Words

/// Where a passage is: "in the text", "note 4", "in the summary".
pub fn field_words(field: Field, note: Option<&str>) -> String {
    match (field, note) {
        (Field::Note, Some(n)) => format!("note {n}"),
        (Field::Note, None) => "a note".to_string(),
        (Field::Text, _) => "in the text".to_string(),
        (Field::Summary, _) => "in the summary".to_string(),
        (Field::Contributor, _) => "among its authors and addressees".to_string(),
    }
}

pub fn method_words(m: Method) -> &'static str {
    match m {
        Method::FrusRef => "the source's tag, confirmed by the name",
        Method::Name => "a tagged name, matched by name",
        Method::Spotted => "a name found in the text",
    }
}

pub fn evidence_words(e: &Evidence) -> String {
    match e {
        Evidence::Tag { reference } => format!("tagged {reference}"),
        Evidence::Title { word } => format!("title “{word}” before the name"),
        Evidence::Initials => "initials fit".to_string(),
        Evidence::GivenName => "given name fits".to_string(),
        Evidence::Distinctive => "distinctive surname".to_string(),
        Evidence::VolumeList => "in the volume's list of persons".to_string(),
        Evidence::Coreference => "the same name elsewhere in the document".to_string(),
        Evidence::Date => "the document's date fits the person's years".to_string(),
        Evidence::Context => "the person's remarks share words with the document".to_string(),
        Evidence::Unique => "the only person of that name".to_string(),
    }
}

/// A flag in words; person ids are given as preferred names.
pub fn flag_words(flag: &Flag, links: &DocLinks) -> String {
    match flag {
        Flag::TagContradictsText { tagged, text } => {
            format!("the source's tag names somebody else ({}), not “{text}”", links.name(tagged))
        }
        Flag::TagNotInAuthority { reference } => format!("the source's tag {reference} is not in the authority"),
        Flag::Ambiguous { candidates } => {
            let names: Vec<&str> = candidates.iter().map(|c| links.name(c)).collect();
            format!("ambiguous: {}", names.join(" or "))
        }
        Flag::NoCandidate => "not in the authority".to_string(),
    }
}

/// The machine name of a flag ("tag_contradicts_text").
pub fn flag_kind(flag: &Flag) -> &'static str {
    match flag {
        Flag::TagContradictsText { .. } => "tag_contradicts_text",
        Flag::TagNotInAuthority { .. } => "tag_not_in_authority",
        Flag::Ambiguous { .. } => "ambiguous",
        Flag::NoCandidate => "no_candidate",
    }
}

pub fn ref_kind_words(k: RefKind) -> &'static str {
    match k {
        RefKind::Telegram => "telegram",
        RefKind::Despatch => "despatch",
        RefKind::Airgram => "airgram",
        RefKind::Instruction => "instruction",
        RefKind::Document => "document",
        RefKind::Volume => "volume",
        RefKind::Note => "note",
        RefKind::File => "file",
    }
}

/// The characters `start..start+len` of `text` with up to `around` characters either side,
/// cut at word boundaries: (before, passage, after).
pub fn context(text: &str, start: usize, len: usize, around: usize) -> Option<(String, String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let end = start.checked_add(len)?;
    if end > chars.len() {
        return None;
    }
    let mut from = start.saturating_sub(around);
    while from > 0 && from < start && !chars[from - 1].is_whitespace() {
        from += 1;
    }
    let mut to = (end + around).min(chars.len());
    while to < chars.len() && to > end && !chars[to].is_whitespace() {
        to -= 1;
    }
    let squash = |s: &[char]| s.iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut before = squash(&chars[from..start]);
    let mut after = squash(&chars[end..to]);
    if from > 0 {
        before.insert_str(0, "… ");
    }
    if !before.is_empty() && chars[start - 1].is_whitespace() {
        before.push(' ');
    }
    if to < chars.len() {
        after.push_str(" …");
    }
    if !after.is_empty() && end < chars.len() && chars[end].is_whitespace() {
        after.insert(0, ' ');
    }
    Some((before, squash(&chars[start..end]), after))
}

/// The passage of a reference in the document: its note's text or the body text.
pub fn passage_text<'d>(doc: &'d Document, note: Option<&str>) -> Option<&'d str> {
    match note {
        Some(n) => doc.note(n).map(|n| n.text.as_str()),
        None => Some(doc.text.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_cuts_at_words() {
        let t = "As modified by Dulles, in telegram 609 to Tokyo, September 18.";
        let start = t.find("telegram").unwrap();
        let (b, m, a) = context(t, start, "telegram 609".len(), 12).unwrap();
        assert_eq!(m, "telegram 609");
        assert_eq!(b, "… Dulles, in ");
        assert_eq!(a, " to Tokyo, …");
        assert!(context(t, 60, 10, 5).is_none());
        let (b, m, a) = context("Hatoyama", 0, 8, 10).unwrap();
        assert_eq!((b.as_str(), m.as_str(), a.as_str()), ("", "Hatoyama", ""));
    }
}
