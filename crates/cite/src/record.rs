//! A document as a bibliographic record: what every citation format and export is made from.
//!
//! [`Record::of`] reads a [`Document`] once (its kind, people with their roles, the volume a FRUS
//! document is printed in and its pages, the archive and archival location of a record, the
//! canonical URL) and every format — CSL-JSON, BibTeX, RIS, meta tags, OAI-PMH records — is
//! written from the record, so they cannot disagree.

use chancery_model::text::language_name;
use chancery_model::{Block, BlockKind, Document, Inline};
use serde::Serialize;

/// What kind of publication a document is, as reference managers type it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A document printed in an edition volume (FRUS): CSL `chapter`, Zotero `bookSection`.
    BookSection,
    /// A letter of a letter edition: CSL `letter`, Zotero `letter`.
    Letter,
    /// An archival record (Wilson Center Digital Archive, other archives): CSL `manuscript`,
    /// Zotero `manuscript`.
    Manuscript,
}

/// A person's or body's name as citations need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub family: String,
    /// `None` for a single-word name or a body ("Department of State"): then `family` is the
    /// whole name, used literally.
    pub given: Option<String>,
    /// A body or a name that must not be split ("Secretary of State").
    pub literal: bool,
}

impl Name {
    /// "Robertson, Walter S." → family and given; "Sergey Radchenko" → last word as family;
    /// "Department of State" (words like "of", "the") → literal.
    pub fn parse(name: &str) -> Option<Name> {
        let name = collapse(name);
        let name = name.trim().trim_end_matches([',', ';']).trim();
        if name.is_empty() {
            return None;
        }
        if let Some((family, given)) = name.split_once(", ") {
            let given = given.split(", ").next().unwrap_or("").trim();
            return Some(Name {
                family: family.trim().to_string(),
                given: (!given.is_empty()).then(|| given.to_string()),
                literal: false,
            });
        }
        let words: Vec<&str> = name.split(' ').collect();
        let body = words.iter().any(|w| {
            matches!(*w, "of" | "the" | "The" | "for" | "and" | "Department" | "Embassy" | "Ministry" | "Office")
        });
        if body || words.len() == 1 {
            return Some(Name { family: name.to_string(), given: None, literal: body });
        }
        let (family, given) = words.split_last()?;
        Some(Name { family: family.to_string(), given: Some(given.join(" ")), literal: false })
    }

    /// "Walter S. Robertson".
    pub fn display(&self) -> String {
        match &self.given {
            Some(g) => format!("{g} {}", self.family),
            None => self.family.clone(),
        }
    }

    /// "Robertson, Walter S." (the inverted form BibTeX, RIS and meta tags take).
    pub fn inverted(&self) -> String {
        match &self.given {
            Some(g) => format!("{}, {g}", self.family),
            None => self.family.clone(),
        }
    }
}

/// A calendar date of some precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ymd {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Ymd {
    /// ISO form of the known parts: "1955-09-18", "1955-09", "1955".
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// The first and last printed page of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pages {
    pub first: String,
    pub last: String,
}

impl Pages {
    /// "122–123", or "122" for one page.
    pub fn range(&self) -> String {
        if self.first == self.last {
            self.first.clone()
        } else {
            format!("{}–{}", self.first, self.last)
        }
    }
}

/// One document as a reference: every field a citation format may need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The document's id in this archive.
    pub id: String,
    /// A citation key for BibTeX and CSL-JSON (`frus1955-57v23p1-d52`): the id with every
    /// character other than a letter, digit, `-`, `_`, `.` or `:` replaced by `-`.
    pub key: String,
    pub kind: Kind,
    pub title: String,
    /// The authors (a FRUS document's sender, a letter's writer).
    pub authors: Vec<Name>,
    pub recipients: Vec<Name>,
    pub editors: Vec<Name>,
    pub translators: Vec<Name>,
    /// Who contributed a record to its archive ("Contributed by Sergey Radchenko").
    pub contributors: Vec<Name>,
    /// The document's date.
    pub date: Option<Ymd>,
    /// The date as the source words it ("September 18, 1955").
    pub date_text: Option<String>,
    /// Where it was written ("Washington").
    pub place: Option<String>,
    /// The volume a document is printed in, without its volume number ("Foreign Relations of
    /// the United States, 1955–1957, Japan").
    pub container_title: Option<String>,
    /// The series ("Foreign Relations of the United States").
    pub series: Option<String>,
    /// The volume number ("XXIII, Part 1").
    pub volume: Option<String>,
    /// The document number in its volume ("52").
    pub number: Option<String>,
    pub pages: Option<Pages>,
    pub publisher: Option<String>,
    pub publisher_place: Option<String>,
    /// The year the volume was published.
    pub published: Option<i32>,
    /// The archive holding the original ("RGANI", "Archivio di Stato di Mantova").
    pub archive: Option<String>,
    /// The place in that archive ("f. 52, op. 1, d. 598, ll. 61").
    pub archive_location: Option<String>,
    /// The online archive or edition it was taken from ("Wilson Center Digital Archive").
    pub source_database: Option<String>,
    /// The collection in this archive (id, title).
    pub collection: Option<(String, String)>,
    /// ISO code of the language of the text.
    pub language: Option<String>,
    /// ISO code of the original's language where the text is a translation.
    pub original_language: Option<String>,
    /// The canonical URL of the document at its source (history.state.gov, the Wilson Center).
    pub url: Option<String>,
    pub summary: Option<String>,
    /// "memorandum", "telegram", "letter"…
    pub doc_type: Option<String>,
    pub rights: Option<String>,
    pub source_note: Option<String>,
}

/// The collection id of FRUS volumes starts with this.
const FRUS: &str = "frus";

impl Record {
    /// The record of a document.
    pub fn of(doc: &Document) -> Record {
        let is_frus = doc.collection.as_ref().is_some_and(|c| c.id.starts_with(FRUS)) || doc.id.starts_with(FRUS);
        let is_wilson = doc.id.starts_with("wilson-center/") || doc.source.format.starts_with("wilson-center");
        let is_letter = !is_frus
            && (doc.source.format == "tei-letter" || doc.doc_type.as_deref() == Some("letter"))
            && doc.contributors.iter().any(|c| matches!(c.role.as_str(), "sender" | "author" | "from"));
        let kind = if is_frus {
            Kind::BookSection
        } else if is_letter {
            Kind::Letter
        } else {
            Kind::Manuscript
        };
        let names = |roles: &[&str]| -> Vec<Name> {
            doc.contributors
                .iter()
                .filter(|c| roles.contains(&c.role.as_str()))
                .filter_map(|c| full_name(doc, &c.name, c.reference.as_deref()))
                .collect()
        };
        let authors = names(&["author", "sender", "from"]);
        let mut record = Record {
            id: doc.id.clone(),
            key: citation_key(&doc.id),
            kind,
            title: collapse(doc.title.trim()),
            authors,
            recipients: names(&["recipient", "to", "addressee"]),
            editors: names(&["editor"]),
            translators: names(&["translator"]),
            contributors: names(&["contributor"]),
            date: doc.date.as_ref().and_then(ymd),
            date_text: doc.date.as_ref().map(|d| d.text.trim().to_string()).filter(|t| !t.is_empty()),
            place: doc.place.clone().filter(|p| !p.trim().is_empty()),
            container_title: None,
            series: None,
            volume: None,
            number: doc.number.clone(),
            pages: pages(&doc.body),
            publisher: None,
            publisher_place: None,
            published: None,
            archive: None,
            archive_location: None,
            source_database: None,
            collection: doc.collection.as_ref().map(|c| (c.id.clone(), c.title.clone())),
            language: doc.language.clone(),
            original_language: doc.original_language.clone(),
            url: doc.url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            summary: doc.summary.clone(),
            doc_type: doc.doc_type.clone(),
            rights: doc.rights.clone(),
            source_note: doc.source_note.clone(),
        };
        if let Some(p) = &doc.publication {
            record.publisher = p.publisher.clone();
            record.publisher_place = p.place.clone();
            record.published = p.year;
        }
        if is_frus {
            let title = doc.collection.as_ref().map(|c| c.title.as_str()).unwrap_or("");
            let (container, volume) = match title.split_once(", Volume ") {
                Some((c, v)) => (c.to_string(), Some(v.to_string())),
                None => (title.to_string(), None),
            };
            record.container_title = Some(container).filter(|c| !c.is_empty());
            record.volume = volume;
            record.series = Some("Foreign Relations of the United States".to_string());
            if record.url.is_none() {
                record.url = frus_url(doc);
            }
        } else {
            let first = doc.archival_refs.first();
            record.archive = doc
                .archive
                .clone()
                .or_else(|| first.and_then(|r| r.repository.clone()))
                .filter(|a| !a.trim().is_empty());
            record.archive_location = first.map(|r| archive_location(&r.text, record.archive.as_deref()));
            if is_wilson {
                record.source_database = Some("Wilson Center Digital Archive".to_string());
            } else if let Some(c) = &doc.collection {
                // a letter's collection is its fonds in the archive
                if record.archive_location.is_none() {
                    record.archive_location = Some(c.title.clone());
                }
            }
        }
        record
    }

    /// "Contributed by Sergey Radchenko and translated from Russian by Allison Smith." (`None`
    /// when neither is known).
    pub fn credit(&self) -> Option<String> {
        let join = |names: &[Name]| names.iter().map(Name::display).collect::<Vec<_>>().join(" and ");
        let mut parts = Vec::new();
        if !self.contributors.is_empty() {
            parts.push(format!("contributed by {}", join(&self.contributors)));
        }
        if !self.translators.is_empty() {
            let from = self.original_language.as_deref().and_then(language_name).map(|l| format!(" from {l}"));
            parts.push(format!("translated{} by {}", from.unwrap_or_default(), join(&self.translators)));
        }
        let s = parts.join(" and ");
        let mut c = s.chars();
        let first = c.next()?;
        Some(format!("{}{}.", first.to_uppercase(), c.as_str()))
    }

    /// The short title used in shortened notes ("Memorandum From … to the Secretary of State").
    pub fn title_with_place_and_date(&self) -> String {
        let mut t = self.title.trim_end_matches(['.', ',']).to_string();
        if self.kind == Kind::BookSection {
            if let Some(p) = &self.place {
                t.push_str(", ");
                t.push_str(p);
            }
            if let Some(d) = &self.date_text {
                t.push_str(", ");
                t.push_str(d.trim_end_matches('.'));
            }
        }
        t
    }
}

/// `frus1955-57v23p1/d52` → `frus1955-57v23p1-d52`.
pub fn citation_key(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') { c } else { '-' }).collect()
}

/// The history.state.gov address of a FRUS document whose id is `volume/dN`.
fn frus_url(doc: &Document) -> Option<String> {
    let (volume, n) = doc.id.split_once('/')?;
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (volume.starts_with(FRUS) && ok(volume) && ok(n) && !n.contains('/'))
        .then(|| format!("https://history.state.gov/historicaldocuments/{volume}/{n}"))
}

/// A contributor's full name: the volume's List of Persons entry its reference resolves to
/// ("Robertson, Walter S., Assistant Secretary…" for "Robertson"), else the name as given.
fn full_name(doc: &Document, name: &str, reference: Option<&str>) -> Option<Name> {
    let short = Name::parse(name)?;
    if let Some(r) = reference {
        let resolved =
            doc.mentions.iter().find(|m| m.reference.as_deref() == Some(r)).and_then(|m| m.resolved.as_deref());
        if let Some(full) = resolved.and_then(Name::parse) {
            if full.family == short.family && full.given.is_some() {
                return Some(full);
            }
        }
    }
    Some(short)
}

fn ymd(d: &chancery_model::DateInterval) -> Option<Ymd> {
    use chancery_model::Precision;
    let (y, m, dd) = chancery_model::date::parse_ymd(&d.from)?;
    Some(match d.precision {
        Precision::Year => Ymd { year: y, month: None, day: None },
        Precision::Month => Ymd { year: y, month: Some(m), day: None },
        Precision::Day | Precision::Time => Ymd { year: y, month: Some(m), day: Some(dd) },
        // a span: what its two ends share
        Precision::Range => {
            let (y2, m2, _) = chancery_model::date::parse_ymd(&d.to)?;
            if y2 != y || m2 != m {
                Ymd { year: y, month: None, day: None }
            } else {
                Ymd { year: y, month: Some(m), day: None }
            }
        }
    })
}

/// An archival reference without the archive's name in front: "RGANI, f. 52, op. 1, d. 598,
/// ll. 61" → "f. 52, op. 1, d. 598, ll. 61".
fn archive_location(text: &str, archive: Option<&str>) -> String {
    let t = text.trim().trim_end_matches('.');
    if let Some(a) = archive {
        if let Some(rest) = t.strip_prefix(a) {
            let rest = rest.trim_start_matches([',', ' ']);
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    t.to_string()
}

/// The first and last page of the body: its first page break, and the last one followed by
/// any text (a break after the last words belongs to the next document).
pub fn pages(body: &[Block]) -> Option<Pages> {
    #[derive(Default)]
    struct Walk {
        first: Option<String>,
        last: Option<String>,
        pending: Option<String>,
    }
    impl Walk {
        fn page(&mut self, n: &str) {
            if self.first.is_none() {
                self.first = Some(n.to_string());
                self.last = Some(n.to_string());
            } else {
                self.pending = Some(n.to_string());
            }
        }
        fn text(&mut self) {
            if let Some(p) = self.pending.take() {
                self.last = Some(p);
            }
        }
        fn blocks(&mut self, blocks: &[Block]) {
            for b in blocks {
                if b.kind == BlockKind::PageBreak {
                    if let Some(n) = b.label.as_deref() {
                        self.page(n.trim());
                    }
                    continue;
                }
                if b.label.is_some() {
                    self.text();
                }
                for i in &b.inlines {
                    match i {
                        Inline::PageBreak { n } => self.page(n.trim()),
                        Inline::NoteRef { .. } | Inline::LineBreak => {}
                        _ => self.text(),
                    }
                }
                self.blocks(&b.children);
            }
        }
    }
    let mut w = Walk::default();
    w.blocks(body);
    Some(Pages { first: w.first.filter(|f| !f.is_empty())?, last: w.last? })
}

pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_as_citations_need_them() {
        let n = Name::parse("Robertson, Walter S., Assistant Secretary of State").unwrap();
        assert_eq!((n.family.as_str(), n.given.as_deref()), ("Robertson", Some("Walter S.")));
        let n = Name::parse("Sergey Radchenko").unwrap();
        assert_eq!(n.inverted(), "Radchenko, Sergey");
        let n = Name::parse("Secretary of State").unwrap();
        assert!(n.literal && n.given.is_none());
        assert_eq!(Name::parse("  "), None);
    }

    #[test]
    fn keys_keep_only_safe_characters() {
        assert_eq!(citation_key("frus1955-57v23p1/d52"), "frus1955-57v23p1-d52");
        assert_eq!(citation_key("a b{c}"), "a-b-c-");
    }
}
