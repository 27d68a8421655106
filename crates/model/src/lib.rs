//! The one document model every reader produces and every later stage consumes.
//!
//! A [`Document`] carries everything a historian needs to read and cite a source:
//! identifiers, dates as intervals *with their original wording*, archival references,
//! structured body blocks with page breaks and note anchors, footnotes and mentions.
//!
//! This crate must never do I/O, know a file format, speak SQL or HTTP. Readers build
//! the [`Block`] tree; [`Document::finalize`] derives the plain `text`, the note anchors and
//! the mention list from it, so the derived fields can never disagree with the body.

pub mod archival;
pub mod date;
pub mod text;

use serde::{Deserialize, Serialize};

pub use archival::{parse_archival_refs, ArchivalRef};
pub use date::{DateInterval, Precision};

/// One document: a FRUS `div type="document"`, a TEI letter, a Wilson Center record,
/// or a plain-text transcription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id from the source's own identifiers (`frus1955-57v23p1/d52`,
    /// `wilson-center/300264`, a TEI `xml:id`), never a database row number.
    pub id: String,
    /// Where this copy came from: file, format, reader.
    pub source: Source,
    pub title: String,
    /// The document number in its edition ("52"), if it has one.
    pub number: Option<String>,
    /// Kind of document as the source states or implies it: "memorandum", "telegram",
    /// "letter", "note", "despatch"…
    pub doc_type: Option<String>,
    /// The date of the document as an interval, with the wording it was derived from.
    pub date: Option<DateInterval>,
    /// Other dates the source gives for the same document that disagree with or refine
    /// `date` (e.g. a translation's heading dated a day later than the record). Kept, never
    /// silently dropped.
    pub other_dates: Vec<DateInterval>,
    /// Place of writing or sending ("Washington", "Moscow").
    pub place: Option<String>,
    /// The edition volume or archive collection holding the document.
    pub collection: Option<Collection>,
    /// Enclosing divisions inside the collection, outermost first (FRUS compilation,
    /// chapter).
    pub context: Vec<Division>,
    /// Repository / archive holding the original ("RGANI", "Department of State").
    pub archive: Option<String>,
    /// Security classification as printed ("Secret", "Top Secret").
    pub classification: Option<String>,
    /// ISO 639-1 (or 639-3) code of the language of `text`.
    pub language: Option<String>,
    /// How `language` is known: "declared" (the source says so) or "detected" (from the
    /// text, when the source does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_basis: Option<String>,
    /// Languages of passages that differ from `language` (a Latin quotation in an Italian
    /// letter), as the source marks them or detection finds them, normalized, each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_languages: Vec<String>,
    /// True when the source describes the document without transcribing it (a TEI
    /// header-only record, an edition's placeholder, a CMIF entry): stored and searchable by
    /// its metadata, and marked as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub metadata_only: bool,
    /// True for an entry of a correspondence index (a CMIF `correspDesc`): a record that
    /// describes a letter, which the archive may also hold in full. Such a record is joined to
    /// the letter it describes (same senders, recipients and date, or the same URL) as its
    /// witness, never counted as a second document.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correspondence_record: bool,
    /// Other forms of words of the text, searchable but not shown: the abbreviations,
    /// uncorrected and original spellings beside the expansions, corrections and
    /// regularisations the text shows (TEI `choice`), and words broken at line ends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// Passages in another language than the document's (a Latin quotation in an Italian
    /// letter, a Greek address on a German card): as the source marks them (`xml:lang`), or as
    /// detection finds a paragraph to be. Searchable with their own language's analysis (its
    /// stemming), beside the document's; shown where they stand in the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<Passage>,
    /// Language of the original where `text` is a translation (ISO code).
    pub original_language: Option<String>,
    /// People and bodies with a role: author, sender, recipient, translator, contributor,
    /// editor.
    pub contributors: Vec<Contributor>,
    pub summary: Option<String>,
    /// Rights statement and credits ("made possible with support from …").
    pub rights: Option<String>,
    /// The source note exactly as printed (FRUS footnote 1, a Wilson Center citation).
    pub source_note: Option<String>,
    /// Archival references parsed from the source note or metadata.
    pub archival_refs: Vec<ArchivalRef>,
    /// A canonical URL of the source record, when the source gives one.
    pub url: Option<String>,
    /// The printed edition a document was published in (a FRUS volume's publisher, place and
    /// year, from its `teiHeader`), for citations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
    /// The body in document order.
    pub body: Vec<Block>,
    /// Footnotes and editorial notes, in order of first occurrence.
    pub notes: Vec<Note>,
    /// Person, place, organisation and gloss mentions, derived from body and notes.
    pub mentions: Vec<Mention>,
    /// Plain text rendering of `body` (notes excluded), derived by [`Document::finalize`].
    pub text: String,
}

/// A passage in another language than its document's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Its language, normalized ("la", "el").
    pub language: String,
    /// Its text, whitespace collapsed, with the reading the body shows.
    pub text: String,
    /// True when detected from the text, false when the source marks it (`xml:lang`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub detected: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Path relative to the ingest root (or as given).
    pub path: String,
    /// Name of the reader that produced the document ("frus-tei", "tei-letter",
    /// "wilson-center-json", "wilson-center-text", "plain-text").
    pub format: String,
}

/// Where and when the edition holding a document was published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// "United States Government Printing Office".
    pub publisher: Option<String>,
    /// "Washington".
    pub place: Option<String>,
    /// The year of publication (1991).
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub id: String,
    pub title: String,
}

/// An enclosing division (FRUS compilation or chapter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Division {
    pub id: Option<String>,
    /// "compilation", "chapter", …
    pub kind: String,
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// "author", "sender", "recipient", "translator", "contributor", "editor", "from", "to".
    pub role: String,
    pub name: String,
    /// The source's reference for the agent (`#p_RWS1`, a VIAF URI), unresolved.
    pub reference: Option<String>,
}

/// A structural block of the body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// A printed label: "1.", "(a)", "Tab A".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Running text of this block (empty for pure containers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inlines: Vec<Inline>,
    /// What the block is in the source beyond its kind, when it is not running text:
    /// "address", "endorsement", "docket", "metamark", "fw", "front", "back"… (shown as a
    /// label by the reading room, not part of the text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Nested blocks: list items, table rows and cells, attachment contents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Block>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Head,
    #[default]
    Paragraph,
    /// Opening formulae, salutations.
    Opener,
    Dateline,
    List,
    Item,
    Table,
    Row,
    Cell,
    /// Closing formulae and signatures.
    Closer,
    Signature,
    /// Postscript.
    Postscript,
    /// A quoted passage or block quotation.
    Quote,
    /// An attachment or enclosure, with its own heading and blocks in `children`.
    Attachment,
    /// An original page break between blocks; the page number is in `label`.
    PageBreak,
}

/// Inline content of a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    /// Text rendered differently in the source (italic, bold, underlined); `rend` as given.
    Styled {
        rend: String,
        text: String,
    },
    /// A person, place, organisation or term mention.
    Mention {
        kind: MentionKind,
        text: String,
        /// The source's `corresp`/`target`/`ref` value, kept verbatim ("#p_RWS1").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// What the reference resolves to inside the same source (a volume's List of
        /// Persons entry), if anything. Dangling references leave this `None`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resolved: Option<String>,
    },
    /// A cross-reference the source tagged (TEI `<ref target="#d45">Document 45</ref>`): the
    /// visible text and the target exactly as the source gives it. What the target points at is
    /// for the link stage to say; a `ref` without a target is plain text, not a `Ref`.
    Ref {
        text: String,
        target: String,
    },
    /// The place where note `n` is anchored.
    NoteRef {
        n: String,
    },
    /// An original page break inside running text.
    PageBreak {
        n: String,
    },
    LineBreak,
    /// What an edition marks in the text as the source has it (TEI `add`, `del`, `unclear`), or
    /// the diplomatic form of a line end inside a word (`lb` after a hyphen, or
    /// `lb break="no"`). `kind` is "add" (an insertion, shown marked), "unclear" (read with
    /// doubt, shown marked), "del" (a deletion, shown struck through) or "lb" (`text` is what the
    /// line ends with in the source: the hyphen, or nothing). The text of "add" and "unclear"
    /// is part of the reading text; that of "del" and "lb" is not (a deletion stays searchable
    /// among [`Document::variants`]; the word broken at "lb" is joined), so search finds the
    /// joined word while [`Document::diplomatic_text`] shows the line as the source breaks it.
    Edit {
        kind: String,
        text: String,
    },
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text { text: s.into() }
    }
}

/// The text of a run of inlines, whitespace not yet collapsed: the words of text, styled
/// text, mentions and references; a space for a line break; nothing for note anchors and
/// page breaks (as `Document::finalize` renders them).
pub fn inlines_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text { text }
            | Inline::Styled { text, .. }
            | Inline::Mention { text, .. }
            | Inline::Ref { text, .. } => s.push_str(text),
            Inline::LineBreak => s.push(' '),
            Inline::Edit { kind, text } if reading_edit(kind) => s.push_str(text),
            Inline::NoteRef { .. } | Inline::PageBreak { .. } | Inline::Edit { .. } => {}
        }
    }
    s
}

/// Whether the text of an [`Inline::Edit`] of this kind is part of the reading text ("add",
/// "unclear"), or not ("del", "lb").
pub fn reading_edit(kind: &str) -> bool {
    !matches!(kind, "del" | "lb")
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    #[default]
    Person,
    Place,
    Organization,
    /// A `gloss`/`term`: abbreviation or glossed expression.
    Term,
}

/// A footnote or editorial note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The printed number or mark ("1", "*").
    pub n: String,
    /// "source", "footnote", "editorial", or the source's own type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The note's content as inlines (mentions kept).
    pub inlines: Vec<Inline>,
    /// Plain text of the note, derived from `inlines` by [`Document::finalize`].
    pub text: String,
    /// Where the note is anchored in `Document::text`; derived by finalize.
    pub anchor: Option<Anchor>,
}

/// A position in the document's plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// Character (not byte) offset into `Document::text`.
    pub offset: usize,
    /// Up to five words of text immediately before the anchor, for display.
    pub after: String,
}

/// A tagged cross-reference ([`Inline::Ref`]) and where its text stands, collected by
/// [`Document::tagged_refs`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaggedRef {
    /// The visible text, whitespace collapsed as in `Document::text`.
    pub text: String,
    /// The target verbatim ("#d45", "frus1955-57v21", "frus1943v03#pg_531").
    pub target: String,
    /// Character offset of `text`: into `Document::text` when `note` is `None`, into that
    /// note's `Note::text` otherwise.
    pub offset: usize,
    /// The number of the note the reference is in.
    pub note: Option<String>,
}

/// A mention collected from body or notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub kind: MentionKind,
    pub text: String,
    pub reference: Option<String>,
    pub resolved: Option<String>,
    /// Character offset into `Document::text`, or `None` when the mention is in a note.
    pub offset: Option<usize>,
    /// The note number when the mention is inside a note.
    pub note: Option<String>,
}

impl Document {
    /// Derive `text`, note texts and anchors, and the mention list from the body and
    /// note inlines. Readers call this once after building the body.
    pub fn finalize(&mut self) {
        let mut r = Renderer::default();
        r.blocks(&self.body);
        let text = r.finish();
        let mut mentions = std::mem::take(&mut r.mentions);
        // the first anchor of each note number, looked up once per note
        let mut anchors: std::collections::HashMap<&str, &Anchor> = std::collections::HashMap::new();
        for (n, a) in &r.note_anchors {
            anchors.entry(n.as_str()).or_insert(a);
        }
        for note in &mut self.notes {
            let mut nr = Renderer::default();
            nr.inlines(&note.inlines);
            note.text = nr.finish();
            note.anchor = anchors.get(note.n.as_str()).map(|a| (*a).clone());
            for mut m in std::mem::take(&mut nr.mentions) {
                m.offset = None;
                m.note = Some(note.n.clone());
                mentions.push(m);
            }
        }
        self.text = text;
        self.mentions = mentions;
    }

    /// The source's tagged cross-references ([`Inline::Ref`]) of the body, then of each note in
    /// note order, with their offsets in the text `finalize` derives. Computed on demand (the
    /// store keeps no copy), so it always agrees with the body.
    pub fn tagged_refs(&self) -> Vec<TaggedRef> {
        let mut r = Renderer::default();
        r.blocks(&self.body);
        let mut out = std::mem::take(&mut r.refs);
        for note in &self.notes {
            let mut nr = Renderer::default();
            nr.inlines(&note.inlines);
            out.extend(nr.refs.into_iter().map(|t| TaggedRef { note: Some(note.n.clone()), ..t }));
        }
        out
    }

    /// The text as the source lays it out: `text`, but each line ending where the source's
    /// does, a word broken at a line end kept broken with its hyphen ("conve-" / "nuto"), where
    /// `text` joins it ("convenuto"). Computed on demand from the body.
    pub fn diplomatic_text(&self) -> String {
        let mut r = Renderer { diplomatic: true, ..Default::default() };
        r.blocks(&self.body);
        r.finish()
    }

    /// Plain text of a note by number.
    pub fn note(&self, n: &str) -> Option<&Note> {
        self.notes.iter().find(|note| note.n == n)
    }

    /// The year-precision "decade" facet value ("1950s") of the start of the date.
    pub fn decade(&self) -> Option<String> {
        let y = self.date.as_ref()?.year_from()?;
        Some(format!("{}s", y - y.rem_euclid(10)))
    }
}

/// Renders blocks to plain text: blocks separated by blank lines, list labels kept,
/// whitespace runs collapsed, page breaks and note refs invisible.
#[derive(Default)]
struct Renderer {
    /// Lines as the source breaks them (for [`Document::diplomatic_text`]).
    diplomatic: bool,
    out: String,
    chars: usize,
    pending_space: bool,
    note_anchors: Vec<(String, Anchor)>,
    mentions: Vec<Mention>,
    refs: Vec<TaggedRef>,
}

impl Renderer {
    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        if b.kind == BlockKind::PageBreak {
            return;
        }
        let leaf = !b.inlines.is_empty() || b.label.is_some();
        if leaf {
            self.paragraph_break();
            if let Some(label) = &b.label {
                self.push_text(label);
                self.pending_space = true;
            }
            self.inlines(&b.inlines);
        }
        if b.kind == BlockKind::Row {
            self.paragraph_break();
            for (i, cell) in b.children.iter().enumerate() {
                if i > 0 {
                    self.push_raw(" | ");
                }
                self.inlines(&cell.inlines);
            }
            return;
        }
        self.blocks(&b.children);
    }

    fn paragraph_break(&mut self) {
        if !self.out.is_empty() {
            self.push_raw("\n\n");
        }
        self.pending_space = false;
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Styled { text, .. } => self.push_text(text),
                Inline::Mention { kind, text, reference, resolved } => {
                    self.push_text(text);
                    let collapsed = collapse_ws(text);
                    let start = self.chars - collapsed.chars().count();
                    self.mentions.push(Mention {
                        kind: *kind,
                        text: collapsed,
                        reference: reference.clone(),
                        resolved: resolved.clone(),
                        offset: Some(start),
                        note: None,
                    });
                }
                Inline::Ref { text, target } => {
                    self.push_text(text);
                    let collapsed = collapse_ws(text);
                    let start = self.chars - collapsed.chars().count();
                    self.refs.push(TaggedRef { text: collapsed, target: target.clone(), offset: start, note: None });
                }
                Inline::NoteRef { n } => {
                    let anchor = Anchor { offset: self.chars, after: last_words(&self.out, 5) };
                    self.note_anchors.push((n.clone(), anchor));
                }
                Inline::PageBreak { .. } => {}
                Inline::LineBreak if self.diplomatic => self.push_raw("\n"),
                Inline::LineBreak => self.pending_space = true,
                Inline::Edit { kind, text } if kind == "lb" && self.diplomatic => {
                    self.push_text(text);
                    self.push_raw("\n");
                }
                Inline::Edit { kind, text } if reading_edit(kind) => self.push_text(text),
                Inline::Edit { .. } => {}
            }
        }
    }

    fn out_ends_with_space(&self) -> bool {
        self.out.ends_with(char::is_whitespace)
    }

    /// Append text collapsing whitespace runs to single spaces.
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.out.is_empty() && !self.out_ends_with_space() {
                    self.out.push(' ');
                    self.chars += 1;
                }
                self.pending_space = false;
                self.out.push(c);
                self.chars += 1;
            }
        }
    }

    fn push_raw(&mut self, s: &str) {
        // trim a trailing space before the separator
        while self.out.ends_with(' ') {
            self.out.pop();
            self.chars -= 1;
        }
        self.out.push_str(s);
        self.chars += s.chars().count();
        self.pending_space = false;
    }

    fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.out);
        out.truncate(out.trim_end().len());
        out
    }
}

/// Roman numerals as editions print volume numbers ("Volume XXIII"); `None` outside 1–3999.
pub fn roman_numeral(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    Some(s)
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last `n` words of `s`, read from its end (a note anchor is taken at every note, so
/// this must not walk the whole text rendered so far).
fn last_words(s: &str, n: usize) -> String {
    let mut words: Vec<&str> = s.split_whitespace().rev().take(n).collect();
    words.reverse();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(inlines: Vec<Inline>) -> Block {
        Block { kind: BlockKind::Paragraph, inlines, ..Default::default() }
    }

    #[test]
    fn finalize_renders_text_anchors_and_mentions() {
        let mut d = Document {
            body: vec![
                Block { kind: BlockKind::Head, inlines: vec![Inline::text("52. Memo")], ..Default::default() },
                Block {
                    kind: BlockKind::List,
                    children: vec![Block {
                        kind: BlockKind::Item,
                        label: Some("1.".into()),
                        inlines: vec![
                            Inline::text("The visit to "),
                            Inline::Mention {
                                kind: MentionKind::Place,
                                text: "Moscow".into(),
                                reference: None,
                                resolved: None,
                            },
                            Inline::NoteRef { n: "2".into() },
                            Inline::text("\n   will   lend force."),
                        ],
                        ..Default::default()
                    }],
                    ..Default::default()
                },
                Block { kind: BlockKind::PageBreak, label: Some("122".into()), ..Default::default() },
                para(vec![Inline::text("End")]),
            ],
            notes: vec![Note {
                n: "2".into(),
                kind: "footnote".into(),
                inlines: vec![Inline::text("Adenauer  visited.")],
                ..Default::default()
            }],
            ..Default::default()
        };
        d.finalize();
        assert_eq!(d.text, "52. Memo\n\n1. The visit to Moscow will lend force.\n\nEnd");
        let a = d.notes[0].anchor.as_ref().unwrap();
        let before: String = d.text.chars().take(a.offset).collect();
        assert!(before.ends_with("Moscow"), "{before:?}");
        assert_eq!(a.after, "1. The visit to Moscow");
        assert_eq!(d.notes[0].text, "Adenauer visited.");
        let m = &d.mentions[0];
        let at: String = d.text.chars().skip(m.offset.unwrap()).take(6).collect();
        assert_eq!(at, "Moscow");
    }

    #[test]
    fn tagged_refs_render_as_text_with_offsets_in_body_and_notes() {
        let xref = |text: &str, target: &str| Inline::Ref { text: text.into(), target: target.into() };
        let mut d = Document {
            body: vec![para(vec![
                Inline::text("See "),
                xref("Document\n  45", "#d45"),
                Inline::text(" and "),
                Inline::Mention { kind: MentionKind::Person, text: "Dulles".into(), reference: None, resolved: None },
                Inline::NoteRef { n: "1".into() },
                Inline::text("."),
            ])],
            notes: vec![Note {
                n: "1".into(),
                kind: "footnote".into(),
                inlines: vec![Inline::text("Printed in "), xref("volume XIX", "frus1955-57v19"), Inline::text(".")],
                ..Default::default()
            }],
            ..Default::default()
        };
        d.finalize();
        assert_eq!(d.text, "See Document 45 and Dulles.");
        assert_eq!(d.notes[0].text, "Printed in volume XIX.");
        // the mention after the reference keeps its right offset
        assert_eq!(d.mentions[0].offset, Some(20));
        assert_eq!(d.notes[0].anchor.as_ref().map(|a| a.offset), Some(26));
        let refs = d.tagged_refs();
        assert_eq!(
            refs,
            [
                TaggedRef { text: "Document 45".into(), target: "#d45".into(), offset: 4, note: None },
                TaggedRef {
                    text: "volume XIX".into(),
                    target: "frus1955-57v19".into(),
                    offset: 11,
                    note: Some("1".into())
                },
            ]
        );
        let at: String = d.text.chars().skip(refs[0].offset).take(11).collect();
        assert_eq!(at, "Document 45");
        // serialized like the other inlines, tagged by `t`
        let json = serde_json::to_value(xref("Document 45", "#d45")).unwrap();
        assert_eq!(json, serde_json::json!({"t": "ref", "text": "Document 45", "target": "#d45"}));
        let back: Inline = serde_json::from_value(json).unwrap();
        assert_eq!(back, xref("Document 45", "#d45"));
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman_numeral(23).as_deref(), Some("XXIII"));
        assert_eq!(roman_numeral(1994).as_deref(), Some("MCMXCIV"));
        assert_eq!(roman_numeral(0), None);
        assert_eq!(roman_numeral(4000), None);
    }

    #[test]
    fn table_rows_render_with_separators() {
        let cell = |s: &str| Block { kind: BlockKind::Cell, inlines: vec![Inline::text(s)], ..Default::default() };
        let mut d = Document {
            body: vec![Block {
                kind: BlockKind::Table,
                children: vec![Block {
                    kind: BlockKind::Row,
                    children: vec![cell("a"), cell("b")],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        d.finalize();
        assert_eq!(d.text, "a | b");
    }
}
