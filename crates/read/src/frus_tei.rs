//! FRUS TEI: the Office of the Historian's TEI master encoding of *Foreign Relations of the
//! United States*.
//!
//! A volume file (`TEI` root with the `frus` namespace) holds many `div type="document"`; each
//! becomes one [`Document`] carrying the volume (teiHeader title, editors), the compilation and
//! chapter it sits in, the page it starts on, its dateline date and place, its source note
//! (classification and archival references), its footnotes with their anchors, and person,
//! place and term mentions resolved against the volume's own List of Persons and List of
//! Abbreviations, and its tagged cross-references (`ref target`, kept verbatim as
//! [`Inline::Ref`]). A bare document `div` at the root (an extract such as Kennan's Long Telegram)
//! is read the same way; its volume id then comes from the file name.
//!
//! The file is parsed once into one DOM; the persons and terms maps are built once; the
//! document walk is recursive with a depth guard, so deeply nested input cannot overflow the
//! stack.

use crate::{xml, Input, ReadError, Reader};
use chancery_model::archival::{classification, parse_archival_refs, ArchivalRef};
use chancery_model::date::{parse_iso, parse_iso_range, parse_text, DateInterval};
use chancery_model::{
    Block, BlockKind, Collection, Contributor, Division, Document, Inline, MentionKind, Note, Publication, Source,
};
use roxmltree::Node;
use std::collections::HashMap;

pub struct FrusTei;

const NAME: &str = "frus-tei";
/// Element nesting within a document deeper than this is read as plain text (no recursion),
/// so the body tree stays shallow enough to be stored and read back (the store's JSON
/// reader refuses nesting past 128; each block level costs two). Real FRUS documents nest
/// about a dozen deep; [`xml::MAX_DEPTH`] refuses anything past 256 before this.
const MAX_DEPTH: usize = 32;
/// How far back a note or page break looks for the block it belongs to before it gives up
/// (so a run of page breaks cannot make every later note scan them all).
const MAX_LOOKBACK: usize = 1000;
/// Bytes looked at by [`Reader::sniff`].
const SNIFF_BYTES: usize = 8192;

impl Reader for FrusTei {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, input: &Input) -> bool {
        sniff_text(&crate::head(input, SNIFF_BYTES))
    }

    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError> {
        let decoded = xml::decode(input.bytes)?;
        let patch = declare_missing_prefixes(&decoded);
        let text: &str = match &patch {
            Some(p) => &p.text,
            None => &decoded,
        };
        let dom = xml::parse(text).map_err(|e| match &patch {
            Some(p) => p.unshift(e),
            None => e,
        })?;
        read_dom(&dom, input.rel_path)
    }
}

// ---------------------------------------------------------------------------------------------
// Sniffing

fn sniff_text(head: &str) -> bool {
    let Some((local, ns)) = xml::root_element(head) else { return false };
    let tag = root_start_tag(head).map_or("", |(start, end)| &head[start..end]);
    match local.as_str() {
        "TEI" => ns == xml::TEI_NS && (declares_frus_ns(tag) || has_frus_idno(head)),
        "div" => {
            tag_attr(tag, "type") == Some("document")
                && (ns == xml::TEI_NS || (ns.is_empty() && (tag.contains("frus:") || declares_frus_ns(tag))))
        }
        _ => false,
    }
}

fn declares_frus_ns(tag: &str) -> bool {
    tag.contains(&format!("\"{}\"", xml::FRUS_NS)) || tag.contains(&format!("'{}'", xml::FRUS_NS))
}

fn has_frus_idno(head: &str) -> bool {
    head.match_indices("<idno").any(|(at, _)| {
        let rest = &head[at..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        tag_attr(tag, "type") == Some("frus")
    })
}

/// The value of attribute `name` in a start tag's text (`<div type="document" …`), found by
/// a plain scan: the name must follow whitespace, so `subtype` does not match `type`.
fn tag_attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(i) = tag.get(from..)?.find(name) {
        let at = from + i;
        from = at + name.len();
        let preceded = tag[..at].ends_with(char::is_whitespace);
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let value = &rest[1..];
        if preceded {
            return value.find(quote).map(|end| &value[..end]);
        }
    }
    None
}

/// Byte range of the root element's start tag (`<` up to and including `>`, or to the end of
/// the prefix), skipping the declaration, comments, processing instructions and a DOCTYPE.
fn root_start_tag(text: &str) -> Option<(usize, usize)> {
    let mut pos = 0;
    loop {
        let s = text.get(pos..)?;
        let trimmed = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        pos += s.len() - trimmed.len();
        let (open, close) = if trimmed.starts_with("<?") {
            ("<?", "?>")
        } else if trimmed.starts_with("<!--") {
            ("<!--", "-->")
        } else if trimmed.starts_with("<!") {
            ("<!", ">")
        } else if trimmed.starts_with('<') {
            let end = trimmed.find('>').map_or(trimmed.len(), |e| e + 1);
            return Some((pos, pos + end));
        } else {
            return None;
        };
        pos += open.len() + trimmed.get(open.len()..)?.find(close)? + close.len();
    }
}

// ---------------------------------------------------------------------------------------------
// Undeclared namespace prefixes
//
// FRUS extracts (the Kennan file) are a bare `div` cut out of a volume: they use `frus:`
// attributes without declaring the prefix, which is not namespace-well-formed. The prefix's
// URI is known, so it is declared on the root before parsing; positions of errors on the
// patched line are shifted back.

struct Patched {
    text: String,
    line: u32,
    column: u32,
    len: u32,
}

impl Patched {
    fn unshift(&self, e: ReadError) -> ReadError {
        match e {
            ReadError::Syntax { line, column, message } if line == self.line && column > self.column => {
                ReadError::Syntax { line, column: column.saturating_sub(self.len).max(self.column), message }
            }
            other => other,
        }
    }
}

fn declare_missing_prefixes(text: &str) -> Option<Patched> {
    let mut decls = String::new();
    for (prefix, uri) in [("frus", xml::FRUS_NS), ("xi", "http://www.w3.org/2001/XInclude")] {
        if text.contains(&format!("{prefix}:")) && !text.contains(&format!("xmlns:{prefix}")) {
            decls.push_str(&format!(" xmlns:{prefix}=\"{uri}\""));
        }
    }
    if decls.is_empty() {
        return None;
    }
    let (start, end) = root_start_tag(text)?;
    let tag = text.get(start..end)?;
    let name_len = tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(tag.len());
    if name_len <= 1 {
        return None;
    }
    let at = start + name_len;
    let mut patched = String::with_capacity(text.len() + decls.len());
    patched.push_str(text.get(..at)?);
    patched.push_str(&decls);
    patched.push_str(text.get(at..)?);
    let before = text.get(..at)?;
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Some(Patched { text: patched, line, column, len: decls.chars().count() as u32 })
}

// ---------------------------------------------------------------------------------------------
// Volume level

struct Volume {
    /// `frus1955-57v23p1`, or `None` when neither the file nor its name gives a FRUS id.
    id: Option<String>,
    title: Option<String>,
    editors: Vec<Contributor>,
    /// The volume's `publicationStmt`: publisher, place and year of publication.
    publication: Option<Publication>,
}

/// The volume's List of Persons and List of Abbreviations, by `xml:id`.
#[derive(Default)]
struct Lookup<'a> {
    entries: HashMap<&'a str, String>,
}

impl Lookup<'_> {
    /// Resolve a `corresp`/`target` value (`#p_RWS1`; several space-separated ids resolve
    /// only when all do).
    fn resolve(&self, reference: &str) -> Option<String> {
        let mut out = Vec::new();
        for r in reference.split_whitespace() {
            let id = r.strip_prefix('#')?;
            out.push(self.entries.get(id)?.as_str());
        }
        (!out.is_empty()).then(|| out.join("; "))
    }
}

fn read_dom(dom: &roxmltree::Document, rel_path: &str) -> Result<Vec<Document>, ReadError> {
    let root = dom.root_element();
    let volume = volume_info(root, rel_path);

    // One pass in document order: document divs with the last page break before each, and the
    // persons and terms lists.
    let mut lookup = Lookup::default();
    let mut last_pb: Option<&str> = None;
    let mut found: Vec<(Node, Option<&str>)> = Vec::new();
    let mut doc_end = 0usize;
    for node in root.descendants().filter(Node::is_element) {
        match local(node) {
            "pb" => {
                if let Some(n) = node.attribute("n") {
                    last_pb = Some(n);
                }
            }
            "div" => {
                let range = node.range();
                if node.attribute("type") == Some("document") && range.start >= doc_end {
                    // a document div nested in another is read as its attachment
                    doc_end = range.end;
                    found.push((node, last_pb));
                }
                match xml_id(node) {
                    Some("persons") => index_persons(node, &mut lookup),
                    Some("terms") => index_terms(node, &mut lookup),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if found.is_empty() {
        return Err(ReadError::Invalid("no div type=\"document\" found".into()));
    }
    let prefix = match &volume.id {
        Some(id) => id.clone(),
        None => rel_path.strip_suffix(".xml").unwrap_or(rel_path).to_string(),
    };
    let collection = volume
        .id
        .as_ref()
        .map(|id| Collection { id: id.clone(), title: volume.title.clone().unwrap_or_else(|| derived_title(id)) });
    let mut docs = Vec::with_capacity(found.len());
    for (i, (div, page)) in found.into_iter().enumerate() {
        let mut doc = read_document(div, page, &lookup, i);
        doc.id = format!("{prefix}/{}", doc.id);
        doc.source = Source { path: rel_path.to_string(), format: NAME.to_string() };
        doc.collection = collection.clone();
        doc.contributors.extend(volume.editors.iter().cloned());
        doc.publication = volume.publication.clone();
        doc.finalize();
        docs.push(doc);
    }
    Ok(docs)
}

fn volume_info(root: Node, rel_path: &str) -> Volume {
    let mut id = None;
    let mut title = None;
    let mut editors = Vec::new();
    let mut publication = Publication::default();
    if is(root, "TEI") {
        id = xml_id(root).map(str::to_string);
        if let Some(header) = root.children().find(|n| is(*n, "teiHeader")) {
            let mut first_title = None;
            for n in header.descendants().filter(Node::is_element) {
                match local(n) {
                    "idno" if n.attribute("type") == Some("frus") && id.is_none() => {
                        id = Some(collapse(&plain_text(n))).filter(|s| !s.is_empty());
                    }
                    "title" if n.ancestors().any(|a| is(a, "titleStmt")) => {
                        let t = collapse(&plain_text(n));
                        if n.attribute("type") == Some("complete") && title.is_none() {
                            title = Some(t);
                        } else if first_title.is_none() {
                            first_title = Some(t);
                        }
                    }
                    "editor" if n.ancestors().any(|a| is(a, "titleStmt")) => {
                        let name = collapse(&plain_text(n));
                        if !name.is_empty() {
                            // FRUS names the series' general editor (`role="general"`) beside
                            // the volume's editors; a citation credits only the latter.
                            let role = if n.attribute("role") == Some("general") { "general editor" } else { "editor" };
                            editors.push(Contributor { role: role.into(), name, reference: None });
                        }
                    }
                    "publisher" | "pubPlace" | "date" if n.ancestors().any(|a| is(a, "publicationStmt")) => {
                        let text = Some(collapse(&plain_text(n))).filter(|t| !t.is_empty());
                        match local(n) {
                            "publisher" => publication.publisher = publication.publisher.take().or(text),
                            "pubPlace" => publication.place = publication.place.take().or(text),
                            _ if n.attribute("type") == Some("publication-date") => {
                                publication.year =
                                    publication.year.or_else(|| text.as_deref().and_then(|t| t.get(..4)?.parse().ok()))
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            title = title.or(first_title).filter(|t| !t.is_empty());
        }
    }
    if id.is_none() {
        id = frus_id_from_path(rel_path);
    }
    let publication = (publication != Publication::default()).then_some(publication);
    Volume { id, title, editors, publication }
}

/// `frus1946v06-d475-kennan.xml` → `frus1946v06`: the file name's FRUS volume id, when it
/// starts with one (`frus` and a year; a `-` followed by a digit continues the id).
fn frus_id_from_path(rel_path: &str) -> Option<String> {
    let name = rel_path.rsplit(['/', '\\']).next()?;
    let stem = name.strip_suffix(".xml").unwrap_or(name);
    let rest = stem.strip_prefix("frus")?;
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let bytes = stem.as_bytes();
    let mut end = stem.len();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            end = i;
            break;
        }
        if !(b.is_ascii_alphanumeric() || b == b'-') {
            end = i;
            break;
        }
    }
    Some(stem[..end].to_string())
}

/// A title from the id's own scheme (`frus1955-57v23p1` → "Foreign Relations of the United
/// States, 1955–1957, Volume XXIII, Part 1"), for volumes read without their header.
fn derived_title(id: &str) -> String {
    const SERIES: &str = "Foreign Relations of the United States";
    let parse = || -> Option<String> {
        let rest = id.strip_prefix("frus")?;
        let (years, vol) = rest.split_once('v')?;
        let years = match years.split_once('-') {
            Some((a, b)) if a.len() == 4 && b.len() == 2 && a.bytes().all(|c| c.is_ascii_digit()) => {
                format!("{a}–{}{b}", a.get(..2)?)
            }
            Some((a, b)) => format!("{a}–{b}"),
            None => years.to_string(),
        };
        if !years.chars().all(|c| c.is_ascii_digit() || c == '–') {
            return None;
        }
        let (vol, part) = match vol.split_once('p') {
            Some((v, p)) => (v, Some(p)),
            None => (vol, None),
        };
        let vol: u32 = vol.parse().ok()?;
        let mut t = format!("{SERIES}, {years}, Volume {}", chancery_model::roman_numeral(vol)?);
        if let Some(p) = part {
            let p: u32 = p.parse().ok()?;
            t.push_str(&format!(", Part {p}"));
        }
        Some(t)
    };
    parse().unwrap_or_else(|| format!("{SERIES} ({id})"))
}

/// List of Persons: each `persName xml:id` resolves to its whole item as it reads
/// ("Robertson, Walter S., Assistant Secretary of State for Far Eastern Affairs").
fn index_persons<'a>(div: Node<'a, '_>, lookup: &mut Lookup<'a>) {
    for item in div.descendants().filter(|n| is(*n, "item")) {
        let text = collapse(&plain_text(item));
        for name in item.descendants().filter(|n| is(*n, "persName")) {
            if let Some(id) = xml_id(name) {
                lookup.entries.insert(id, text.clone());
            }
        }
    }
}

/// List of Abbreviations: each `term xml:id` resolves to the item's text after the term and
/// its comma ("NA, Office of Northeast Asian Affairs, …" → "Office of Northeast Asian
/// Affairs, Department of State").
fn index_terms<'a>(div: Node<'a, '_>, lookup: &mut Lookup<'a>) {
    for item in div.descendants().filter(|n| is(*n, "item")) {
        let Some(term) = item.descendants().find(|n| is(*n, "term") && xml_id(*n).is_some()) else { continue };
        let Some(id) = xml_id(term) else { continue };
        let mut after = String::new();
        let term_end = term.range().end;
        let mut skip_end = 0usize;
        for n in item.descendants() {
            let start = n.range().start;
            if start < skip_end {
                continue;
            }
            if is(n, "note") {
                skip_end = n.range().end;
            } else if n.is_text() && start >= term_end {
                after.push_str(n.text().unwrap_or(""));
            }
        }
        let after = collapse(&after);
        let value = after.trim_start_matches([',', ':', ' ']).trim();
        let value = if value.is_empty() { collapse(&plain_text(item)) } else { value.to_string() };
        lookup.entries.insert(id, value);
    }
}

// ---------------------------------------------------------------------------------------------
// One document

fn read_document(div: Node, page: Option<&str>, lookup: &Lookup, index: usize) -> Document {
    let number = div.attribute("n").map(str::to_string);
    let id = match (xml_id(div), &number) {
        (Some(id), _) => id.to_string(),
        (None, Some(n)) => format!("d{n}"),
        (None, None) => format!("doc{}", index + 1),
    };

    let mut b = Builder { lookup, notes: Vec::new(), unnumbered: 0 };
    let mut body = Vec::new();
    if let Some(n) = page {
        let starts_with_pb = div.children().find(Node::is_element).is_some_and(|c| is(c, "pb"));
        if !starts_with_pb {
            body.push(page_break(n));
        }
    }
    body.extend(b.container(div, BlockKind::Paragraph, 0));

    let head = div.children().find(|c| is(*c, "head"));
    let title = head.map(|h| strip_number(&collapse(&plain_text(h))).to_string()).filter(|t| !t.is_empty());
    let title = title.unwrap_or_else(|| match &number {
        Some(n) => format!("Document {n}"),
        None => id.clone(),
    });

    let mut contributors = Vec::new();
    if let Some(h) = head {
        for n in h.descendants().filter(Node::is_element) {
            let role = n.attribute("type").filter(|t| matches!(*t, "from" | "to"));
            let named = matches!(local(n), "persName" | "gloss" | "orgName" | "name" | "term");
            if let (Some(role), true) = (role, named) {
                if n.ancestors().any(|a| is(a, "note")) {
                    continue;
                }
                let name = collapse(&plain_text(n));
                if !name.is_empty() {
                    contributors.push(Contributor { role: role.to_string(), name, reference: reference_of(n) });
                }
            }
        }
    }

    let source = own_descendant(div, |n| is(n, "note") && n.attribute("type") == Some("source"));
    let source_note = source.map(|n| collapse(&plain_text_all(n))).filter(|s| !s.is_empty());
    let mut archival_refs = source_note.as_deref().map(parse_archival_refs).unwrap_or_default();
    if archival_refs.is_empty() {
        archival_refs.extend(source_note.as_deref().and_then(file_number_ref));
    }
    let classification = source_note
        .as_deref()
        .and_then(classification)
        .or_else(|| opener_classification(div))
        .map(|c| if c.chars().any(char::is_uppercase) { c } else { title_case(&c) });

    let dateline = own_descendant(div, |n| is(n, "dateline"));
    let place = dateline
        .and_then(|d| d.descendants().find(|n| is(*n, "placeName")))
        .map(|p| collapse(&plain_text(p)))
        .filter(|p| !p.is_empty());
    let dateline_date = dateline.and_then(dateline_date);
    let frus_date = frus_interval(div);
    let (date, other_dates) = match (dateline_date, frus_date) {
        (Some(d), Some(f)) => {
            let differs = d.from != f.from || d.to != f.to;
            (Some(d), if differs { vec![f] } else { vec![] })
        }
        (d, f) => (d.or(f), vec![]),
    };

    let doc_type = doc_type(&title).or_else(|| {
        let note = source_note.as_deref()?;
        if note.starts_with("Source") {
            return None;
        }
        doc_type(note.rsplit(':').next()?.trim())
    });

    Document {
        id,
        title,
        number,
        doc_type,
        date,
        other_dates,
        place,
        context: context_of(div),
        archive: archival_refs.first().and_then(|r| r.repository.clone()),
        classification,
        language: Some("en".into()),
        contributors,
        source_note,
        archival_refs,
        body,
        notes: b.notes,
        ..Default::default()
    }
}

/// Enclosing `div`s (compilation, chapter), outermost first; titles without note text.
fn context_of(div: Node) -> Vec<Division> {
    let mut out: Vec<Division> = div
        .ancestors()
        .skip(1)
        .filter(|a| is(*a, "div"))
        .map(|a| Division {
            id: xml_id(a).map(str::to_string),
            kind: a.attribute("type").unwrap_or("div").to_string(),
            title: a.children().find(|c| is(*c, "head")).map(|h| collapse(&plain_text(h))).unwrap_or_default(),
        })
        .collect();
    out.reverse();
    out
}

/// The first descendant matching `pred` that belongs to the document itself, not to a nested
/// `div` (attachment): one pass that skips the nested divisions' subtrees.
fn own_descendant<'a, 'i>(div: Node<'a, 'i>, pred: impl Fn(Node) -> bool) -> Option<Node<'a, 'i>> {
    let mut skip_end = 0usize;
    for n in div.descendants().skip(1) {
        let range = n.range();
        if range.start < skip_end || !n.is_element() {
            continue;
        }
        if pred(n) {
            return Some(n);
        }
        if is(n, "div") || is(n, "attachment") {
            skip_end = range.end.max(range.start + 1);
        }
    }
    None
}

fn dateline_date(dateline: Node) -> Option<DateInterval> {
    let wording_of = |n: Node| collapse(&plain_text(n));
    let date = match dateline.descendants().find(|n| is(*n, "date")) {
        Some(d) => {
            let wording = wording_of(d);
            let from_when = d.attribute("when").and_then(parse_iso).map(|iv| DateInterval {
                text: if wording.is_empty() { iv.text.clone() } else { wording.clone() },
                ..iv
            });
            let from_range = || {
                let (a, b) = (d.attribute("notBefore")?, d.attribute("notAfter")?);
                parse_iso_range(a, b, if wording.is_empty() { format!("{a}/{b}") } else { wording.clone() })
            };
            from_when.or_else(from_range).or_else(|| parse_text(&wording))
        }
        None => parse_text(&wording_of(dateline)),
    };
    date.map(|d| d.with_basis("dateline"))
}

/// `frus:doc-dateTime-min` / `-max` as an interval; the text is the machine value.
fn frus_interval(div: Node) -> Option<DateInterval> {
    let min = div.attribute((xml::FRUS_NS, "doc-dateTime-min"))?;
    let max = div.attribute((xml::FRUS_NS, "doc-dateTime-max")).unwrap_or(min);
    let text = if min == max { min.to_string() } else { format!("{min}/{max}") };
    parse_iso_range(min, max, text).map(|d| d.with_basis("frus:doc-dateTime"))
}

/// A classification printed in the opener outside the dateline (`<seg><hi
/// rend="smallcaps">secret</hi></seg>`).
fn opener_classification(div: Node) -> Option<String> {
    let opener = own_descendant(div, |n| is(n, "opener"))?;
    opener.children().filter(|c| !is(*c, "dateline")).find_map(|c| {
        let text = collapse(&plain_text(c));
        classification(&text)
    })
}

/// A source note that is only a Central Decimal File number ("861.00/2–2246: Telegram").
fn file_number_ref(note: &str) -> Option<ArchivalRef> {
    let first = note.split([':', ';', ' ']).next()?.trim().trim_end_matches('.');
    let numbered = first.starts_with(|c: char| c.is_ascii_digit())
        && first.contains('/')
        && first.chars().all(|c| c.is_ascii_alphanumeric() || ".–-/".contains(c));
    numbered.then(|| ArchivalRef {
        text: first.to_string(),
        file_number: Some(first.to_string()),
        ..Default::default()
    })
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "52. Memorandum From …" → "Memorandum From …".
fn strip_number(title: &str) -> &str {
    let digits = title.len() - title.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return title;
    }
    let rest = &title[digits..];
    let rest = rest.strip_prefix(|c: char| c.is_ascii_lowercase() || c.is_ascii_uppercase()).unwrap_or(rest);
    match rest.strip_prefix(". ") {
        Some(r) => r.trim_start(),
        None => title,
    }
}

const DOC_TYPES: &[&str] = &[
    "memorandum of conversation",
    "memorandum for the record",
    "memorandum for the files",
    "memorandum",
    "circular telegram",
    "circular airgram",
    "circular instruction",
    "telegram",
    "airgram",
    "despatch",
    "dispatch",
    "letter",
    "editorial note",
    "note",
    "aide-mémoire",
    "aide-memoire",
    "minutes",
    "notes",
    "paper",
    "position paper",
    "briefing paper",
    "report",
    "message",
    "backchannel message",
    "instruction",
    "record",
    "summary",
    "statement",
    "diary entry",
    "draft",
    "study",
    "national intelligence estimate",
    "special national intelligence estimate",
    "intelligence memorandum",
    "intelligence report",
    "transcript",
    "press release",
    "communiqué",
    "agreement",
    "speech",
    "address",
    "editorial",
];

/// The kind of document the title names ("Memorandum From …" → "memorandum").
fn doc_type(title: &str) -> Option<String> {
    let lower = title.to_lowercase();
    let known = DOC_TYPES
        .iter()
        .filter(|t| lower.starts_with(**t) && lower[t.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
        .max_by_key(|t| t.len());
    if let Some(t) = known {
        return Some(t.to_string());
    }
    // "Backchannel Message From …": the words before " From ", when few and capitalized.
    let (before, _) = title.split_once(" From ")?;
    let words: Vec<&str> = before.split_whitespace().collect();
    let capitalized = words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()));
    (!words.is_empty() && words.len() <= 4 && capitalized).then(|| before.to_lowercase())
}

// ---------------------------------------------------------------------------------------------
// Body

struct Builder<'l, 'a> {
    lookup: &'l Lookup<'a>,
    notes: Vec<Note>,
    unnumbered: usize,
}

fn page_break(n: &str) -> Block {
    Block { kind: BlockKind::PageBreak, label: Some(n.to_string()), ..Default::default() }
}

/// Elements that are blocks when they appear among blocks or inside a paragraph.
fn is_block(n: Node) -> bool {
    match local(n) {
        "head" | "p" | "ab" | "list" | "table" | "opener" | "closer" | "dateline" | "signed" | "postscript" | "div"
        | "attachment" | "lg" | "figure" | "trailer" | "byline" | "argument" | "epigraph" | "floatingText" | "body"
        | "front" | "back" | "docAuthor" => true,
        "quote" => {
            n.attribute("rend").is_some_and(|r| r.contains("block"))
                || n.children().any(|c| matches!(local(c), "p" | "lg" | "list" | "ab"))
        }
        _ => false,
    }
}

impl Builder<'_, '_> {
    /// The children of a container as blocks; runs of inline content become `run_kind` blocks.
    fn container(&mut self, node: Node, run_kind: BlockKind, depth: usize) -> Vec<Block> {
        let (first, mut blocks) = self.mixed(node, run_kind, false, depth);
        if !first.is_empty() {
            blocks.insert(0, Block { kind: run_kind, inlines: first, ..Default::default() });
        }
        blocks
    }

    /// Mixed content: with `lift_first`, the inlines before the first block-level child come
    /// back separately (a paragraph's or item's own text); everything else becomes blocks.
    fn mixed(&mut self, node: Node, run_kind: BlockKind, lift_first: bool, depth: usize) -> (Vec<Inline>, Vec<Block>) {
        let mut lifted = Vec::new();
        let mut blocks = Vec::new();
        let mut run = Vec::new();
        if depth > MAX_DEPTH {
            push_text(&mut run, &plain_text_all(node), None);
            trim_run(&mut run);
            return (run, blocks);
        }
        let mut seen_block = false;
        // Whether `run` has text, known for its first `.0` inlines: each child asks, so the
        // run is not scanned from its start every time.
        let mut texty = (0usize, false);
        // Leading note anchors of `run` that found no block to go to (see `flush`).
        let mut kept = 0usize;
        for child in node.children() {
            // inside a paragraph's own text (before any block), notes and page breaks are inline
            let own_text = lift_first && !seen_block;
            if child.is_text() {
                push_text(&mut run, child.text().unwrap_or(""), None);
                continue;
            }
            if !child.is_element() {
                continue;
            }
            if !texty.1 {
                // the last inline known may have grown (text merges into it): look at it again
                let from = texty.0.saturating_sub(1).min(run.len());
                texty.1 = has_text(run.get(from..).unwrap_or_default());
            }
            texty.0 = run.len();
            let run_has_text = texty.1;
            match local(child) {
                "pb" if !run_has_text && !own_text => {
                    flush(&mut run, run_kind, &mut blocks, false, &mut lifted, &mut kept);
                    texty = (run.len(), false);
                    if let Some(n) = child.attribute("n") {
                        blocks.push(page_break(n));
                    }
                }
                "note" if !run_has_text && !own_text => {
                    let n = self.note(child, depth);
                    if let Some(n) = n {
                        match last_leaf(&mut blocks) {
                            Some(leaf) => leaf.inlines.push(Inline::NoteRef { n }),
                            None => run.push(Inline::NoteRef { n }),
                        }
                    }
                }
                _ if is_block(child) => {
                    flush(&mut run, run_kind, &mut blocks, lift_first && !seen_block, &mut lifted, &mut kept);
                    texty = (run.len(), false);
                    seen_block = true;
                    self.block(child, &mut blocks, depth + 1);
                }
                _ => self.inline_element(child, None, &mut run, depth + 1),
            }
        }
        flush(&mut run, run_kind, &mut blocks, lift_first && !seen_block, &mut lifted, &mut kept);
        (lifted, blocks)
    }

    /// One block-level element → block(s) appended to `out`.
    fn block(&mut self, node: Node, out: &mut Vec<Block>, depth: usize) {
        let simple = |kind: BlockKind, this: &mut Self, out: &mut Vec<Block>| {
            let (inlines, children) = this.mixed(node, BlockKind::Paragraph, true, depth);
            if !inlines.is_empty() || !children.is_empty() {
                out.push(Block { kind, inlines, children, ..Default::default() });
            }
        };
        match local(node) {
            "head" => simple(BlockKind::Head, self, out),
            "dateline" => simple(BlockKind::Dateline, self, out),
            "signed" => simple(BlockKind::Signature, self, out),
            "p" | "ab" | "trailer" | "byline" | "argument" | "docAuthor" => {
                let (inlines, children) = self.mixed(node, BlockKind::Paragraph, true, depth);
                if !inlines.is_empty() {
                    out.push(Block { kind: BlockKind::Paragraph, inlines, ..Default::default() });
                }
                out.extend(children);
            }
            "opener" => out.extend(self.container(node, BlockKind::Opener, depth)),
            "closer" => {
                let (inlines, children) = self.mixed(node, BlockKind::Closer, true, depth);
                out.push(Block { kind: BlockKind::Closer, inlines, children, ..Default::default() });
            }
            "postscript" => {
                let children = self.container(node, BlockKind::Paragraph, depth);
                out.push(Block { kind: BlockKind::Postscript, children, ..Default::default() });
            }
            "quote" => {
                let (inlines, children) = self.mixed(node, BlockKind::Paragraph, true, depth);
                out.push(Block { kind: BlockKind::Quote, inlines, children, ..Default::default() });
            }
            "div" | "attachment" | "floatingText" => {
                let children = self.container(node, BlockKind::Paragraph, depth);
                out.push(Block { kind: BlockKind::Attachment, children, ..Default::default() });
            }
            "list" => out.push(self.list(node, depth)),
            "table" => out.push(self.table(node, depth)),
            _ => out.extend(self.container(node, BlockKind::Paragraph, depth)),
        }
    }

    /// `list`: `label`/`item` pairs → items carrying the label; a `head` stays first.
    fn list(&mut self, node: Node, depth: usize) -> Block {
        let mut children = Vec::new();
        let mut label: Option<String> = None;
        for child in node.children().filter(Node::is_element) {
            match local(child) {
                "label" => {
                    if let Some(l) = label.take() {
                        children.push(Block { kind: BlockKind::Item, label: Some(l), ..Default::default() });
                    }
                    label = Some(collapse(&plain_text(child))).filter(|l| !l.is_empty());
                }
                "item" => {
                    let (inlines, kids) = self.mixed(child, BlockKind::Paragraph, true, depth + 1);
                    children.push(Block {
                        kind: BlockKind::Item,
                        label: label.take(),
                        inlines,
                        children: kids,
                        role: None,
                    });
                }
                "pb" => {
                    if let Some(n) = child.attribute("n") {
                        children.push(page_break(n));
                    }
                }
                "note" => {
                    if let Some(n) = self.note(child, depth + 1) {
                        match last_leaf(&mut children) {
                            Some(leaf) => leaf.inlines.push(Inline::NoteRef { n }),
                            None => {
                                children.push(Block {
                                    kind: BlockKind::Item,
                                    inlines: vec![Inline::NoteRef { n }],
                                    ..Default::default()
                                });
                            }
                        }
                    }
                }
                _ => self.block(child, &mut children, depth + 1),
            }
        }
        if let Some(l) = label {
            children.push(Block { kind: BlockKind::Item, label: Some(l), ..Default::default() });
        }
        Block { kind: BlockKind::List, children, ..Default::default() }
    }

    fn table(&mut self, node: Node, depth: usize) -> Block {
        let mut children = Vec::new();
        for child in node.children().filter(Node::is_element) {
            match local(child) {
                "row" => {
                    let mut cells = Vec::new();
                    for cell in child.children().filter(|c| is(*c, "cell")) {
                        let (inlines, kids) = self.mixed(cell, BlockKind::Paragraph, true, depth + 2);
                        cells.push(Block { kind: BlockKind::Cell, inlines, children: kids, ..Default::default() });
                    }
                    children.push(Block { kind: BlockKind::Row, children: cells, ..Default::default() });
                }
                "pb" => {
                    if let Some(n) = child.attribute("n") {
                        children.push(page_break(n));
                    }
                }
                _ => self.block(child, &mut children, depth + 1),
            }
        }
        Block { kind: BlockKind::Table, children, ..Default::default() }
    }

    /// Collect a note (in order of occurrence; nested notes after their parent) and return the
    /// number its anchor should carry, or `None` for a note printed in place (`rend="inline"`).
    fn note(&mut self, node: Node, depth: usize) -> Option<String> {
        let kind = match node.attribute("type") {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => "footnote".to_string(),
        };
        let n = match node.attribute("n").map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => n.to_string(),
            None if kind == "source" => "source".to_string(),
            None => {
                self.unnumbered += 1;
                if self.unnumbered == 1 {
                    "*".to_string()
                } else {
                    format!("*{}", self.unnumbered)
                }
            }
        };
        let at = self.notes.len();
        self.notes.push(Note { n: n.clone(), kind, ..Default::default() });
        let mut inlines = Vec::new();
        self.inlines(node, None, &mut inlines, depth + 1);
        trim_run(&mut inlines);
        if let Some(note) = self.notes.get_mut(at) {
            note.inlines = inlines;
        }
        (node.attribute("rend") != Some("inline")).then_some(n)
    }

    /// The content of `node` as inlines (block-level children flattened with line breaks).
    fn inlines(&mut self, node: Node, rend: Option<&str>, out: &mut Vec<Inline>, depth: usize) {
        if depth > MAX_DEPTH {
            push_text(out, &plain_text_all(node), rend);
            return;
        }
        for child in node.children() {
            if child.is_text() {
                push_text(out, child.text().unwrap_or(""), rend);
            } else if child.is_element() {
                self.inline_element(child, rend, out, depth + 1);
            }
        }
    }

    fn inline_element(&mut self, node: Node, rend: Option<&str>, out: &mut Vec<Inline>, depth: usize) {
        if depth > MAX_DEPTH {
            push_text(out, &plain_text_all(node), rend);
            return;
        }
        let kind = match local(node) {
            "persName" => Some(MentionKind::Person),
            "placeName" | "geogName" => Some(MentionKind::Place),
            "orgName" => Some(MentionKind::Organization),
            "gloss" | "term" => Some(MentionKind::Term),
            "name" => Some(match node.attribute("type") {
                Some("place") => MentionKind::Place,
                Some("org" | "organization" | "organisation") => MentionKind::Organization,
                _ => MentionKind::Person,
            }),
            _ => None,
        };
        if let Some(kind) = kind {
            self.mention(node, kind, out, depth);
            return;
        }
        // A cross-reference with a target is kept as one; without one it is plain text.
        if local(node) == "ref" {
            if let Some(target) = node.attribute("target").filter(|t| !t.trim().is_empty()) {
                let raw = plain_text(node);
                let inline = Inline::Ref { text: collapse(&raw), target: target.to_string() };
                self.wrapped(node, inline, &raw, out, depth);
                return;
            }
        }
        match local(node) {
            "note" => {
                if let Some(n) = self.note(node, depth) {
                    out.push(Inline::NoteRef { n });
                }
            }
            "pb" => {
                if let Some(n) = node.attribute("n") {
                    out.push(Inline::PageBreak { n: n.to_string() });
                }
            }
            "lb" => out.push(Inline::LineBreak),
            "gap" | "graphic" | "space" | "figDesc" => {}
            "choice" => {
                let preferred = node
                    .children()
                    .find(|c| matches!(local(*c), "corr" | "expan" | "reg"))
                    .or_else(|| node.children().find(Node::is_element));
                if let Some(p) = preferred {
                    self.inline_element(p, rend, out, depth + 1);
                }
            }
            "l" => {
                self.inlines(node, rend, out, depth);
                out.push(Inline::LineBreak);
            }
            "label" => {
                self.inlines(node, rend, out, depth);
                push_text(out, " ", rend);
            }
            _ if is_block(node) || matches!(local(node), "item" | "row" | "cell") => {
                out.push(Inline::LineBreak);
                self.inlines(node, rend, out, depth);
                out.push(Inline::LineBreak);
            }
            _ => {
                let own = node.attribute("rend").filter(|r| !r.is_empty());
                self.inlines(node, own.or(rend), out, depth);
            }
        }
    }

    /// A name or gloss: its text (notes excluded) with the verbatim reference and what it
    /// resolves to in the volume's lists; notes and page breaks inside follow it. Names inside
    /// a `ref` stay text of the reference.
    fn mention(&mut self, node: Node, kind: MentionKind, out: &mut Vec<Inline>, depth: usize) {
        let raw = plain_text(node);
        let text = collapse(&raw);
        let reference = reference_of(node);
        let resolved = reference.as_deref().and_then(|r| self.lookup.resolve(r));
        self.wrapped(node, Inline::Mention { kind, text, reference, resolved }, &raw, out, depth);
    }

    /// Push `inline` (a mention or reference made of `node`'s text `raw`, unless that text is
    /// empty) with the spaces around it, then the notes and page breaks inside `node`.
    fn wrapped(&mut self, node: Node, inline: Inline, raw: &str, out: &mut Vec<Inline>, depth: usize) {
        if !raw.trim().is_empty() {
            if raw.starts_with(char::is_whitespace) {
                push_text(out, " ", None);
            }
            out.push(inline);
            if raw.ends_with(char::is_whitespace) {
                push_text(out, " ", None);
            }
        }
        let mut skip_end = 0usize;
        for inner in node.descendants().skip(1).filter(Node::is_element) {
            let range = inner.range();
            if range.start < skip_end {
                continue; // inside a note already collected
            }
            if is(inner, "note") {
                skip_end = range.end.max(range.start + 1);
                if let Some(n) = self.note(inner, depth + 1) {
                    out.push(Inline::NoteRef { n });
                }
            } else if is(inner, "pb") {
                if let Some(n) = inner.attribute("n") {
                    out.push(Inline::PageBreak { n: n.to_string() });
                }
            }
        }
    }
}

/// End an inline run: as the lifted first inlines, a `kind` block, or (when it has no text)
/// page breaks as blocks and note anchors on the previous leaf. Anchors with no leaf to go to
/// stay in the run for the text that may follow; the first `kept` inlines of the run are such
/// anchors already, and are not looked at again (so a long run of them costs its length once).
fn flush(
    run: &mut Vec<Inline>,
    kind: BlockKind,
    blocks: &mut Vec<Block>,
    lift: bool,
    lifted: &mut Vec<Inline>,
    kept: &mut usize,
) {
    trim_run(run);
    let known = std::mem::take(kept).min(run.len());
    if run.is_empty() {
        return;
    }
    if lift {
        lifted.append(run);
        return;
    }
    if has_text(run.get(known..).unwrap_or_default()) {
        blocks.push(Block { kind, inlines: std::mem::take(run), ..Default::default() });
        return;
    }
    let rest: Vec<Inline> =
        if last_leaf(blocks).is_some() { std::mem::take(run) } else { run.drain(known..).collect() };
    for i in rest {
        match i {
            Inline::PageBreak { n } => blocks.push(page_break(&n)),
            Inline::NoteRef { n } => match last_leaf(blocks) {
                Some(leaf) => leaf.inlines.push(Inline::NoteRef { n }),
                None => run.push(Inline::NoteRef { n }),
            },
            _ => {}
        }
    }
    *kept = run.len();
}

/// The last block (depth-first) that carries running text, for a note anchor that falls
/// between blocks.
fn last_leaf(blocks: &mut [Block]) -> Option<&mut Block> {
    let last = blocks.iter_mut().rev().take(MAX_LOOKBACK).find(|b| b.kind != BlockKind::PageBreak)?;
    if last.children.iter().rev().take(MAX_LOOKBACK).any(|c| c.kind != BlockKind::PageBreak) {
        return last_leaf(&mut last.children);
    }
    Some(last)
}

fn has_text(run: &[Inline]) -> bool {
    run.iter().any(|i| match i {
        Inline::Text { text } | Inline::Styled { text, .. } | Inline::Ref { text, .. } => !text.trim().is_empty(),
        Inline::Mention { .. } => true,
        _ => false,
    })
}

/// Append text with whitespace runs collapsed to one space, merging with the previous run of
/// the same style.
fn push_text(out: &mut Vec<Inline>, raw: &str, rend: Option<&str>) {
    let mut norm = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                norm.push(' ');
                space = false;
            }
            norm.push(c);
        }
    }
    if space {
        norm.push(' ');
    }
    if norm.is_empty() {
        return;
    }
    let last = match out.last_mut() {
        Some(Inline::Text { text }) if rend.is_none() => Some(text),
        Some(Inline::Styled { rend: r, text }) if Some(r.as_str()) == rend => Some(text),
        _ => None,
    };
    if let Some(text) = last {
        if text.ends_with(' ') && norm.starts_with(' ') {
            text.push_str(&norm[1..]);
        } else {
            text.push_str(&norm);
        }
        return;
    }
    out.push(match rend {
        Some(r) => Inline::Styled { rend: r.to_string(), text: norm },
        None => Inline::Text { text: norm },
    });
}

/// Drop leading and trailing whitespace and line breaks of a run (the leading ones in one
/// drain, so a run opening with many line breaks costs its length once).
fn trim_run(run: &mut Vec<Inline>) {
    let mut lead = 0;
    for inline in run.iter_mut() {
        match inline {
            Inline::Text { text } | Inline::Styled { text, .. } => {
                let t = text.trim_start();
                if t.is_empty() {
                    lead += 1;
                } else {
                    if t.len() != text.len() {
                        *text = t.to_string();
                    }
                    break;
                }
            }
            Inline::LineBreak => lead += 1,
            _ => break,
        }
    }
    run.drain(..lead);
    while let Some(last) = run.last_mut() {
        match last {
            Inline::Text { text } | Inline::Styled { text, .. } => {
                let t = text.trim_end();
                if t.is_empty() {
                    run.pop();
                } else {
                    text.truncate(t.len());
                    break;
                }
            }
            Inline::LineBreak => {
                run.pop();
            }
            _ => break,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn local<'a>(n: Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

fn is(n: Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name
}

fn xml_id<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    n.attribute((roxmltree::NS_XML_URI, "id"))
}

fn reference_of(n: Node) -> Option<String> {
    ["corresp", "target", "ref"].iter().find_map(|a| n.attribute(*a)).map(str::to_string)
}

/// Text of a node without its notes (line breaks as spaces), iteratively.
fn plain_text(node: Node) -> String {
    text_of(node, true)
}

/// All text of a node, notes included.
fn plain_text_all(node: Node) -> String {
    text_of(node, false)
}

fn text_of(node: Node, skip_notes: bool) -> String {
    let mut s = String::new();
    let mut skip_end = 0usize;
    for n in node.descendants() {
        let range = n.range();
        if range.start < skip_end {
            continue;
        }
        if n.is_text() {
            s.push_str(n.text().unwrap_or(""));
        } else if skip_notes && is(n, "note") {
            skip_end = range.end.max(range.start + 1);
        } else if is(n, "lb") {
            s.push(' ');
        }
    }
    s
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_frus_ids() {
        assert_eq!(frus_id_from_path("frus/frus1946v06-d475-kennan.xml").as_deref(), Some("frus1946v06"));
        assert_eq!(frus_id_from_path("frus1955-57v23p1-excerpt.xml").as_deref(), Some("frus1955-57v23p1"));
        assert_eq!(frus_id_from_path("letters/kennan.xml"), None);
        assert_eq!(frus_id_from_path("frusx.xml"), None);
    }

    #[test]
    fn derived_titles() {
        assert_eq!(derived_title("frus1946v06"), "Foreign Relations of the United States, 1946, Volume VI");
        assert_eq!(
            derived_title("frus1955-57v23p1"),
            "Foreign Relations of the United States, 1955–1957, Volume XXIII, Part 1"
        );
        assert_eq!(derived_title("frus1919Parisv01"), "Foreign Relations of the United States (frus1919Parisv01)");
        assert_eq!(derived_title("frus€1-57v1"), "Foreign Relations of the United States (frus€1-57v1)");
    }

    #[test]
    fn numbers_and_types_from_titles() {
        assert_eq!(strip_number("52. Memorandum From X"), "Memorandum From X");
        assert_eq!(strip_number("1955 Memorandum"), "1955 Memorandum");
        assert_eq!(doc_type("Memorandum of Conversation").as_deref(), Some("memorandum of conversation"));
        assert_eq!(doc_type("Telegram From the Embassy").as_deref(), Some("telegram"));
        assert_eq!(doc_type("Editorial Note").as_deref(), Some("editorial note"));
        assert_eq!(doc_type("Notes on a Meeting").as_deref(), Some("notes"));
        assert_eq!(doc_type("Backchannel Message From Kissinger").as_deref(), Some("backchannel message"));
        assert_eq!(doc_type("The Chargé in the Soviet Union (Kennan) to the Secretary of State"), None);
    }

    #[test]
    fn attribute_scan_ignores_subtype() {
        assert_eq!(tag_attr("<div subtype=\"document\" type='x'>", "type"), Some("x"));
        assert_eq!(tag_attr("<div subtype=\"document\">", "type"), None);
        assert_eq!(tag_attr("<div type=", "type"), None);
    }

    #[test]
    fn undeclared_frus_prefix_is_declared_and_errors_shift_back() {
        let p = declare_missing_prefixes("<div type=\"document\" frus:a=\"1\"><p>x</div>").unwrap();
        assert!(p.text.starts_with("<div xmlns:frus="));
        let e = xml::parse(&p.text).map_err(|e| p.unshift(e)).unwrap_err();
        match e {
            ReadError::Syntax { line, column, .. } => assert_eq!((line, column), (1, 37)),
            other => panic!("{other:?}"),
        }
    }
}
