//! Generic TEI letters and dispatches (`tei-letter`).
//!
//! Reads any TEI P5 file whose root is `TEI` (or `teiCorpus`) in the TEI namespace and that
//! does not use the FRUS namespace (FRUS volumes have their own reader). Nothing here assumes
//! FRUS conventions: metadata comes from the TEI Guidelines' own header elements
//! (`titleStmt`, `publicationStmt`, `msDesc/msIdentifier`, `profileDesc/correspDesc`,
//! `langUsage`, `abstract`, `availability`), the body from `text/body`.
//!
//! Editorial conventions: `del` is omitted; `choice` prefers `expan`/`reg`/`corr` over
//! `abbr`/`orig`/`sic`; `supplied` text is kept and shown in square brackets as printed
//! editions show it (unless the source already puts brackets around it); `gap` becomes
//! "[…]"; `fw` (running heads, catchwords) is omitted; a `ref` with a `target` is kept as a
//! cross-reference ([`Inline::Ref`], its text and the target verbatim), one without a target is
//! plain text. Markup that arrives as escaped text
//! (`&lt;script&gt;`) stays text, verbatim.
//!
//! DTDs are refused by [`crate::xml::parse`], so entity bombs and external entities never
//! expand.

use crate::xml::{self, TEI_NS};
use crate::{Input, ReadError, Reader};
use chancery_model::archival::{ArchivalRef, Unit};
use chancery_model::date::{parse_iso, parse_iso_range, parse_text, DateInterval};
use chancery_model::{Block, BlockKind, Collection, Contributor, Document, Inline, MentionKind, Note, Source};
use roxmltree::Node;

pub struct TeiLetter;

/// How deep the body walk recurses before it falls back to the plain text of a subtree: deep
/// enough for any real edition (the deepest in the shared corpus nests 15 deep in all), shallow
/// enough that the body tree can be stored and read back (the store's JSON reader refuses
/// nesting past 128; each block level costs two). [`xml::MAX_DEPTH`] refuses input nested
/// past 256 before this.
const MAX_DEPTH: usize = 32;
/// How far back a note between blocks looks for the block to anchor to.
const MAX_LOOKBACK: usize = 1000;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

impl Reader for TeiLetter {
    fn name(&self) -> &'static str {
        "tei-letter"
    }

    fn sniff(&self, input: &Input) -> bool {
        let head = crate::head(input, 64 * 1024);
        if head.contains(xml::FRUS_NS) || !head.contains(TEI_NS) {
            return false;
        }
        match xml::root_element(&head) {
            Some((local, _)) => local == "TEI" || local == "teiCorpus",
            // `root_element` cannot skip a DOCTYPE with an internal subset; such a TEI file
            // is still ours, so that `read` can refuse the DTD with a position.
            None => head.contains("<!DOCTYPE") && (head.contains("<TEI") || head.contains("<teiCorpus")),
        }
    }

    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError> {
        let text = xml::decode(input.bytes)?;
        let doc = xml::parse(&text)?;
        let root = doc.root_element();
        let stem = path_stem(input.rel_path);
        match tei_name(root) {
            "TEI" => Ok(vec![read_tei(root, input, &stem, None)?]),
            "teiCorpus" => {
                let corpus_title = child(root, "teiHeader")
                    .and_then(|h| path(h, &["fileDesc", "titleStmt", "title"]))
                    .map(plain)
                    .filter(|t| !t.is_empty());
                let members: Vec<Node> = root.descendants().filter(|n| tei_name(*n) == "TEI").collect();
                if members.is_empty() {
                    return Err(ReadError::Invalid("teiCorpus without any TEI document".into()));
                }
                let mut out = Vec::with_capacity(members.len());
                for (i, m) in members.into_iter().enumerate() {
                    let fallback = format!("{stem}/{}", i + 1);
                    out.push(read_tei(m, input, &fallback, corpus_title.as_deref())?);
                }
                Ok(out)
            }
            other => Err(ReadError::Invalid(format!("root element is {other:?}, not TEI or teiCorpus"))),
        }
    }
}

/// The rel_path without its extension.
fn path_stem(rel_path: &str) -> String {
    let file_start = rel_path.rfind('/').map_or(0, |i| i + 1);
    match rel_path.rfind('.') {
        Some(dot) if dot > file_start => rel_path.get(..dot).unwrap_or(rel_path).to_string(),
        _ => rel_path.to_string(),
    }
}

/// Local name of a TEI element ("" for anything else).
fn tei_name<'a>(n: Node<'a, '_>) -> &'a str {
    if n.is_element() && n.tag_name().namespace() == Some(TEI_NS) {
        n.tag_name().name()
    } else {
        ""
    }
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| tei_name(*c) == name)
}

fn children<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a
where
    'i: 'a,
{
    n.children().filter(move |c| tei_name(*c) == name)
}

fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(n, |cur, name| child(cur, name))
}

fn first_descendant<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.descendants().find(|c| tei_name(*c) == name)
}

/// Plain text of an element, with the body's editorial choices, whitespace collapsed.
fn plain(n: Node) -> String {
    let mut b = BodyBuilder::default();
    let mut out = Vec::new();
    b.inline_children(n, &mut out, 0);
    collapse(&chancery_model::inlines_text(&out))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute(name).map(str::trim).filter(|v| !v.is_empty())
}

fn xml_id<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    n.attribute((XML_NS, "id")).map(str::trim).filter(|v| !v.is_empty())
}

/// The source's own reference for a name: `@ref`, else `@key`, else `@corresp`.
fn reference(n: Node) -> Option<String> {
    attr(n, "ref").or_else(|| attr(n, "key")).or_else(|| attr(n, "corresp")).map(str::to_string)
}

fn non_empty(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

/// A lowercase ASCII slug: letters and digits kept, everything else folded to single '-'.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Date of a TEI `date` (or `docDate`) element: `@when`, `@from`/`@to`,
/// `@notBefore`/`@notAfter`, else its text. The wording is the element's text when it has
/// any, else the attribute value(s).
fn tei_date(n: Node) -> Option<DateInterval> {
    let wording = plain(n);
    let word = |fallback: &str| if wording.is_empty() { fallback.to_string() } else { wording.clone() };
    if let Some(when) = attr(n, "when").or_else(|| attr(n, "when-iso")) {
        if let Some(iv) = parse_iso(when) {
            return Some(DateInterval { text: word(when), ..iv });
        }
    }
    let lo = attr(n, "from").or_else(|| attr(n, "notBefore")).or_else(|| attr(n, "from-iso"));
    let hi = attr(n, "to").or_else(|| attr(n, "notAfter")).or_else(|| attr(n, "to-iso"));
    if let (Some(a), Some(b)) = (lo, hi) {
        if let Some(iv) = parse_iso_range(a, b, word(&format!("{a}/{b}"))) {
            return Some(iv);
        }
    }
    parse_text(&wording)
}

fn read_tei(tei: Node, input: &Input, fallback_id: &str, corpus_title: Option<&str>) -> Result<Document, ReadError> {
    let header = child(tei, "teiHeader");
    let file_desc = header.and_then(|h| child(h, "fileDesc"));
    let profile = header.and_then(|h| child(h, "profileDesc"));
    let title_stmt = file_desc.and_then(|f| child(f, "titleStmt"));

    let mut doc = Document {
        source: Source { path: input.rel_path.to_string(), format: "tei-letter".into() },
        ..Default::default()
    };

    // id
    let pub_idno = file_desc
        .and_then(|f| child(f, "publicationStmt"))
        .and_then(|p| child(p, "idno"))
        .map(plain)
        .filter(|s| !s.is_empty());
    doc.id = xml_id(tei).map(str::to_string).or(pub_idno).unwrap_or_else(|| fallback_id.to_string());

    // title: the main title if marked, else the first
    if let Some(ts) = title_stmt {
        let titles: Vec<Node> = children(ts, "title").collect();
        let main = titles.iter().find(|t| attr(**t, "type") == Some("main")).or(titles.first());
        doc.title = main.map(|t| plain(*t)).unwrap_or_default();
        for ed in children(ts, "editor") {
            let role = if attr(ed, "role").is_some_and(|r| r.contains("transl")) { "translator" } else { "editor" };
            push_agent(&mut doc, role, ed);
        }
    }
    if let Some(f) = file_desc {
        for rs in f.descendants().filter(|n| tei_name(*n) == "respStmt") {
            resp_stmt(&mut doc, rs);
        }
        if let Some(av) = first_descendant(f, "availability") {
            doc.rights = non_empty(plain(av));
        }
        if let Some(ms) = first_descendant(f, "msIdentifier") {
            ms_identifier(&mut doc, ms);
        }
    }

    // profileDesc: correspondence, language, abstract
    let mut summary = None;
    if let Some(p) = profile {
        if let Some(cd) = child(p, "correspDesc") {
            correspondence(&mut doc, cd);
            doc.doc_type = Some(attr(cd, "type").unwrap_or("letter").to_string());
            summary = children(cd, "note").map(plain).find(|s| !s.is_empty());
        }
        if let Some(lang) = path(p, &["langUsage", "language"]) {
            doc.language = attr(lang, "ident").map(str::to_string);
        }
        if let Some(abs) = child(p, "abstract") {
            summary = non_empty(plain(abs)).or(summary);
        }
    }
    if let Some(h) = header {
        let note_summary = h
            .descendants()
            .find(|n| tei_name(*n) == "note" && attr(*n, "type") == Some("summary"))
            .map(plain)
            .filter(|s| !s.is_empty());
        summary = note_summary.or(summary);
    }
    doc.summary = summary;
    if doc.contributors.iter().all(|c| c.role != "sender") {
        if let Some(ts) = title_stmt {
            for a in children(ts, "author") {
                push_agent(&mut doc, "author", a);
            }
        }
    }
    if doc.collection.is_none() {
        if let Some(t) = corpus_title {
            doc.collection = Some(Collection { id: slug(t), title: t.to_string() });
        }
    }
    if doc.language.is_none() {
        doc.language = tei
            .attribute((XML_NS, "lang"))
            .or_else(|| child(tei, "text").and_then(|t| t.attribute((XML_NS, "lang"))))
            .map(str::to_string);
    }

    // body
    let text = child(tei, "text").ok_or_else(|| ReadError::Invalid(format!("TEI document {} has no text", doc.id)))?;
    let body = child(text, "body")
        .or_else(|| first_descendant(text, "body"))
        .ok_or_else(|| ReadError::Invalid(format!("TEI document {} has no text/body", doc.id)))?;
    let mut b = BodyBuilder::default();
    let mut blocks = Vec::new();
    b.blocks(body, &mut blocks, 0);
    doc.body = blocks;
    doc.notes = b.notes;
    if doc.title.is_empty() {
        doc.title = first_descendant(body, "head").map(plain).unwrap_or_else(|| doc.id.clone());
    }

    // a dateline date in the body: the date when the header gives none, else kept when it differs
    let dateline_date = body
        .descendants()
        .filter(|n| matches!(tei_name(*n), "dateline" | "docDate"))
        .find_map(|dl| match first_descendant(dl, "date") {
            Some(d) => tei_date(d),
            None => parse_text(&plain(dl)),
        })
        .map(|d| d.with_basis("dateline"));
    match (&doc.date, dateline_date) {
        (None, Some(d)) => doc.date = Some(d),
        (Some(cur), Some(d)) if (cur.from.as_str(), cur.to.as_str()) != (d.from.as_str(), d.to.as_str()) => {
            doc.other_dates.push(d)
        }
        _ => {}
    }

    doc.finalize();
    Ok(doc)
}

fn push_agent(doc: &mut Document, role: &str, n: Node) {
    // the name: a persName/orgName/name child if any, else the element's own text
    let named = n.children().find(|c| matches!(tei_name(*c), "persName" | "orgName" | "name" | "forename" | "surname"));
    let (name, reference) = match named {
        Some(p) if !matches!(tei_name(p), "forename" | "surname") => (plain(p), reference(p).or_else(|| reference(n))),
        _ => (plain(n), reference(n)),
    };
    if !name.is_empty() {
        doc.contributors.push(Contributor { role: role.to_string(), name, reference });
    }
}

fn resp_stmt(doc: &mut Document, rs: Node) {
    let resp = children(rs, "resp").map(plain).collect::<Vec<_>>().join(" ").to_lowercase();
    let role = if resp.contains("transl") {
        "translator"
    } else if resp.contains("edit") {
        "editor"
    } else {
        return;
    };
    for agent in rs.children().filter(|c| matches!(tei_name(*c), "persName" | "orgName" | "name")) {
        let name = plain(agent);
        if !name.is_empty() {
            doc.contributors.push(Contributor { role: role.to_string(), name, reference: reference(agent) });
        }
    }
}

fn correspondence(doc: &mut Document, cd: Node) {
    for action in children(cd, "correspAction") {
        let role = match attr(action, "type") {
            Some("sent") => "sender",
            Some("received") => "recipient",
            Some("forwarded") => "forwarder",
            Some("redirected") => "redirected-to",
            _ => continue,
        };
        for agent in action.children().filter(|c| matches!(tei_name(*c), "persName" | "orgName" | "name")) {
            let name = plain(agent);
            if !name.is_empty() {
                doc.contributors.push(Contributor { role: role.to_string(), name, reference: reference(agent) });
            }
        }
        if role == "sender" {
            if doc.place.is_none() {
                doc.place = child(action, "placeName").map(plain).filter(|s| !s.is_empty());
            }
            if doc.date.is_none() {
                doc.date = child(action, "date").and_then(tei_date).map(|d| d.with_basis("correspDesc"));
            }
        }
    }
}

fn ms_identifier(doc: &mut Document, ms: Node) {
    let get = |name: &str| child(ms, name).map(plain).filter(|s| !s.is_empty());
    let settlement = get("settlement");
    let repository = get("repository");
    let collections: Vec<String> = children(ms, "collection").map(plain).filter(|s| !s.is_empty()).collect();
    let idno = child(ms, "idno");
    let shelfmark = idno.map(plain).filter(|s| !s.is_empty());
    let mut parts: Vec<String> = Vec::new();
    parts.extend(settlement);
    parts.extend(repository.clone());
    parts.extend(collections.iter().cloned());
    parts.extend(shelfmark.clone());
    if parts.is_empty() {
        return;
    }
    let level = idno.and_then(|i| attr(i, "type")).unwrap_or("shelfmark").to_string();
    doc.archival_refs.push(ArchivalRef {
        text: parts.join(", "),
        repository: repository.clone(),
        series: collections.clone(),
        units: shelfmark.map(|value| Unit { level, value }).into_iter().collect(),
        file_number: None,
    });
    if repository.is_some() {
        doc.archive = repository.clone();
    }
    let repo = repository.unwrap_or_default();
    let coll = collections.join(", ");
    let title = if coll.is_empty() { repo.clone() } else { coll.clone() };
    if !title.is_empty() {
        doc.collection = Some(Collection { id: slug(&format!("{repo} {coll}")), title });
    }
}

/// Builds body blocks and notes from TEI elements.
#[derive(Default)]
struct BodyBuilder {
    notes: Vec<Note>,
}

/// Elements that are blocks even inside a paragraph.
fn is_block_in_p(name: &str) -> bool {
    matches!(name, "list" | "table" | "lg" | "floatingText" | "listBibl")
}

impl BodyBuilder {
    /// Block context: the children of `n` become blocks in `out`.
    fn blocks(&mut self, n: Node, out: &mut Vec<Block>, depth: usize) {
        let mut loose: Vec<Inline> = Vec::new();
        for c in n.children() {
            if c.is_text() {
                if let Some(t) = c.text().filter(|t| !t.trim().is_empty()) {
                    loose.push(Inline::text(t));
                }
                continue;
            }
            if !c.is_element() {
                continue;
            }
            let name = tei_name(c);
            // inline elements in block context gather into a loose paragraph
            if matches!(
                name,
                "hi" | "persName"
                    | "placeName"
                    | "orgName"
                    | "name"
                    | "rs"
                    | "choice"
                    | "supplied"
                    | "gap"
                    | "date"
                    | "seg"
                    | "unclear"
                    | "add"
                    | "lb"
                    | "term"
                    | "foreign"
                    | "emph"
                    | "ref"
            ) {
                self.inline(c, &mut loose, depth + 1);
                continue;
            }
            flush(&mut loose, BlockKind::Paragraph, out);
            self.block(c, name, out, depth + 1);
        }
        flush(&mut loose, BlockKind::Paragraph, out);
    }

    fn block(&mut self, c: Node, name: &str, out: &mut Vec<Block>, depth: usize) {
        if depth > MAX_DEPTH {
            let text = deep_text(c);
            if !text.trim().is_empty() {
                out.push(Block { inlines: vec![Inline::text(text)], ..Default::default() });
            }
            return;
        }
        match name {
            "p" | "ab" | "byline" | "trailer" | "docAuthor" | "l" | "address" | "bibl" => {
                self.mixed(c, BlockKind::Paragraph, out, depth)
            }
            "head" | "docTitle" | "titlePart" => self.mixed(c, BlockKind::Head, out, depth),
            "dateline" | "docDate" => self.mixed(c, BlockKind::Dateline, out, depth),
            "salute" => {
                let kind =
                    if c.ancestors().any(|a| tei_name(a) == "closer") { BlockKind::Closer } else { BlockKind::Opener };
                self.mixed(c, kind, out, depth)
            }
            "signed" => self.mixed(c, BlockKind::Signature, out, depth),
            "opener" => self.formula(c, BlockKind::Opener, out, depth),
            "closer" => self.formula(c, BlockKind::Closer, out, depth),
            "postscript" => {
                let mut children = Vec::new();
                self.blocks(c, &mut children, depth);
                if !children.is_empty() {
                    out.push(Block { kind: BlockKind::Postscript, children, ..Default::default() });
                }
            }
            "quote" | "cit" | "epigraph" | "q" | "said" => {
                let mut children = Vec::new();
                self.mixed_or_blocks(c, BlockKind::Quote, &mut children, depth);
                out.extend(children);
            }
            "list" | "listBibl" => out.push(self.list(c, depth)),
            "table" => out.push(self.table(c, depth)),
            "lg" => {
                let mut inlines = Vec::new();
                for (i, l) in c.children().filter(|l| l.is_element()).enumerate() {
                    if i > 0 {
                        inlines.push(Inline::LineBreak);
                    }
                    self.inline(l, &mut inlines, depth + 1);
                }
                if has_content(&inlines) {
                    out.push(Block { kind: BlockKind::Quote, inlines, ..Default::default() });
                }
            }
            "pb" => out.push(Block {
                kind: BlockKind::PageBreak,
                label: Some(attr(c, "n").unwrap_or("").to_string()),
                ..Default::default()
            }),
            "note" => {
                // a note standing between blocks: anchor it at the end of the previous block
                let n = self.note(c, depth);
                if let Some(last) = out.iter_mut().rev().take(MAX_LOOKBACK).find(|b| !b.inlines.is_empty()) {
                    last.inlines.push(Inline::NoteRef { n });
                }
            }
            "floatingText" => {
                let mut children = Vec::new();
                self.blocks(c, &mut children, depth);
                if !children.is_empty() {
                    out.push(Block { kind: BlockKind::Attachment, children, ..Default::default() });
                }
            }
            "div" if matches!(attr(c, "type"), Some("enclosure" | "attachment")) => {
                let mut children = Vec::new();
                self.blocks(c, &mut children, depth);
                if !children.is_empty() {
                    out.push(Block { kind: BlockKind::Attachment, children, ..Default::default() });
                }
            }
            // omitted: deletions, forme work, pointers, figures' graphics, milestones
            "del" | "fw" | "ptr" | "graphic" | "lb" | "cb" | "milestone" | "anchor" | "figDesc" | "metamark" => {}
            _ => self.mixed_or_blocks(c, BlockKind::Paragraph, out, depth),
        }
    }

    /// An element whose children are blocks when it has block children, else a leaf of `kind`.
    fn mixed_or_blocks(&mut self, c: Node, kind: BlockKind, out: &mut Vec<Block>, depth: usize) {
        let has_blocks = c.children().any(|x| {
            matches!(
                tei_name(x),
                "p" | "ab"
                    | "div"
                    | "head"
                    | "list"
                    | "table"
                    | "lg"
                    | "opener"
                    | "closer"
                    | "quote"
                    | "floatingText"
                    | "postscript"
                    | "dateline"
                    | "salute"
                    | "signed"
                    | "body"
                    | "text"
                    | "group"
                    | "front"
                    | "back"
            )
        });
        if has_blocks {
            self.blocks(c, out, depth);
        } else {
            self.mixed(c, kind, out, depth);
        }
    }

    /// Opener/closer: datelines, salutes and signatures become their own blocks, loose
    /// text a block of `kind`.
    fn formula(&mut self, c: Node, kind: BlockKind, out: &mut Vec<Block>, depth: usize) {
        let mut loose = Vec::new();
        for x in c.children() {
            let name = tei_name(x);
            match name {
                "dateline" | "salute" | "signed" | "p" | "address" | "byline" | "docDate" | "list" | "pb" => {
                    flush(&mut loose, kind, out);
                    self.block(x, name, out, depth + 1);
                }
                _ => self.inline(x, &mut loose, depth + 1),
            }
        }
        flush(&mut loose, kind, out);
    }

    /// A leaf block of `kind` from mixed content, split around lists/tables inside it.
    fn mixed(&mut self, c: Node, kind: BlockKind, out: &mut Vec<Block>, depth: usize) {
        let mut cur = Vec::new();
        for x in c.children() {
            let name = tei_name(x);
            if is_block_in_p(name) {
                flush(&mut cur, kind, out);
                self.block(x, name, out, depth + 1);
            } else {
                self.inline(x, &mut cur, depth + 1);
            }
        }
        flush(&mut cur, kind, out);
    }

    fn list(&mut self, c: Node, depth: usize) -> Block {
        let mut children = Vec::new();
        let mut label: Option<String> = None;
        for x in c.children() {
            match tei_name(x) {
                "head" => self.mixed(x, BlockKind::Head, &mut children, depth + 1),
                "label" => label = non_empty(plain(x)),
                "item" | "bibl" => {
                    let mut inlines = Vec::new();
                    let mut nested = Vec::new();
                    for y in x.children() {
                        let name = tei_name(y);
                        if is_block_in_p(name) || name == "p" {
                            self.block(y, name, &mut nested, depth + 2);
                        } else {
                            self.inline(y, &mut inlines, depth + 2);
                        }
                    }
                    let label = label.take().or_else(|| attr(x, "n").map(str::to_string));
                    children.push(Block { kind: BlockKind::Item, label, inlines, children: nested });
                }
                "pb" => self.block(x, "pb", &mut children, depth + 1),
                "note" => self.block(x, "note", &mut children, depth + 1),
                _ => {}
            }
        }
        Block { kind: BlockKind::List, children, ..Default::default() }
    }

    fn table(&mut self, c: Node, depth: usize) -> Block {
        let mut rows = Vec::new();
        for x in c.children() {
            match tei_name(x) {
                "head" => self.mixed(x, BlockKind::Head, &mut rows, depth + 1),
                "row" => {
                    let mut cells = Vec::new();
                    for cell in children(x, "cell") {
                        let mut inlines = Vec::new();
                        self.inline_children(cell, &mut inlines, depth + 2);
                        cells.push(Block { kind: BlockKind::Cell, inlines, ..Default::default() });
                    }
                    rows.push(Block { kind: BlockKind::Row, children: cells, ..Default::default() });
                }
                _ => {}
            }
        }
        Block { kind: BlockKind::Table, children: rows, ..Default::default() }
    }

    fn note(&mut self, c: Node, depth: usize) -> String {
        let n = attr(c, "n").map(str::to_string).unwrap_or_else(|| (self.notes.len() + 1).to_string());
        let kind = attr(c, "type").unwrap_or("footnote").to_string();
        let mut inlines = Vec::new();
        self.inline_children(c, &mut inlines, depth + 1);
        self.notes.push(Note { n: n.clone(), kind, inlines, ..Default::default() });
        n
    }

    fn inline_children(&mut self, n: Node, out: &mut Vec<Inline>, depth: usize) {
        for c in n.children() {
            self.inline(c, out, depth);
        }
    }

    /// Inline context.
    fn inline(&mut self, c: Node, out: &mut Vec<Inline>, depth: usize) {
        if c.is_text() {
            if let Some(t) = c.text() {
                out.push(Inline::text(t));
            }
            return;
        }
        if !c.is_element() {
            return;
        }
        if depth > MAX_DEPTH {
            out.push(Inline::text(deep_text(c)));
            return;
        }
        let name = tei_name(c);
        let d = depth + 1;
        match name {
            "note" => {
                let n = self.note(c, d);
                out.push(Inline::NoteRef { n });
            }
            "persName" | "placeName" | "orgName" | "geogName" | "term" | "gloss" | "rs" | "name" => {
                let kind = match (name, attr(c, "type")) {
                    ("placeName" | "geogName", _) | ("rs" | "name", Some("place")) => MentionKind::Place,
                    ("orgName", _) | ("rs" | "name", Some("org" | "organisation" | "organization")) => {
                        MentionKind::Organization
                    }
                    ("term" | "gloss", _) => MentionKind::Term,
                    ("rs", None) => MentionKind::Term,
                    _ => MentionKind::Person,
                };
                let mut inner = Vec::new();
                self.inline_children(c, &mut inner, d);
                let text = chancery_model::inlines_text(&inner);
                let reference = reference(c).or_else(|| attr(c, "target").map(str::to_string));
                out.push(Inline::Mention { kind, text, reference, resolved: None });
                // notes and breaks inside the name keep their places after it
                out.extend(
                    inner.into_iter().filter(|i| matches!(i, Inline::NoteRef { .. } | Inline::PageBreak { .. })),
                );
            }
            // a cross-reference with a target (kept verbatim); without one, plain text
            "ref" if c.attribute("target").is_some_and(|t| !t.trim().is_empty()) => {
                let mut inner = Vec::new();
                self.inline_children(c, &mut inner, d);
                let text = chancery_model::inlines_text(&inner);
                if !text.trim().is_empty() {
                    let target = c.attribute("target").unwrap_or_default().to_string();
                    out.push(Inline::Ref { text, target });
                }
                // notes and breaks inside the reference keep their places after it
                out.extend(
                    inner.into_iter().filter(|i| matches!(i, Inline::NoteRef { .. } | Inline::PageBreak { .. })),
                );
            }
            "hi" | "emph" | "foreign" | "title" | "soCalled" | "mentioned" => {
                let only_text = c.children().all(|x| x.is_text());
                if only_text {
                    let text: String = c.children().filter_map(|x| x.text()).collect();
                    let rend = attr(c, "rend").or_else(|| attr(c, "rendition")).unwrap_or(name).to_string();
                    out.push(Inline::Styled { rend, text });
                } else {
                    self.inline_children(c, out, d);
                }
            }
            "supplied" => {
                let mut inner = Vec::new();
                self.inline_children(c, &mut inner, d);
                let text = chancery_model::inlines_text(&inner);
                let before_bracket =
                    c.prev_sibling().and_then(|p| p.text().filter(|_| p.is_text())).is_some_and(|t| t.ends_with('['));
                if text.trim_start().starts_with('[') || before_bracket {
                    out.extend(inner);
                } else {
                    out.push(Inline::text("["));
                    out.extend(inner);
                    out.push(Inline::text("]"));
                }
            }
            "choice" => {
                let pick = ["expan", "reg", "corr", "abbr", "orig", "sic"]
                    .iter()
                    .find_map(|want| c.children().find(|x| tei_name(*x) == *want));
                match pick {
                    Some(p) => self.inline_children(p, out, d),
                    None => {
                        if let Some(first) = c.children().find(|x| x.is_element()) {
                            self.inline_children(first, out, d);
                        }
                    }
                }
            }
            "gap" => out.push(Inline::text("[…]")),
            "pb" => out.push(Inline::PageBreak { n: attr(c, "n").unwrap_or("").to_string() }),
            "lb" => {
                if attr(c, "break") != Some("no") {
                    out.push(Inline::LineBreak);
                }
            }
            "del" | "fw" | "ptr" | "graphic" | "cb" | "milestone" | "anchor" | "figDesc" | "metamark" | "surplus" => {}
            "p" | "ab" | "list" | "item" | "table" | "row" | "cell" | "l" | "lg" | "head" | "label" | "addrLine"
            | "dateline" | "salute" | "signed" => {
                // block-like content met inside running text: keep it, separated by spaces
                out.push(Inline::text(" "));
                self.inline_children(c, out, d);
                out.push(Inline::text(" "));
            }
            _ => self.inline_children(c, out, d),
        }
    }
}

fn has_content(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Text { text }
        | Inline::Styled { text, .. }
        | Inline::Mention { text, .. }
        | Inline::Ref { text, .. } => !text.trim().is_empty(),
        Inline::NoteRef { .. } => true,
        Inline::PageBreak { .. } | Inline::LineBreak => false,
    })
}

/// Move `cur` into a new leaf block of `kind` (page breaks alone become block page breaks).
fn flush(cur: &mut Vec<Inline>, kind: BlockKind, out: &mut Vec<Block>) {
    let inlines = std::mem::take(cur);
    if has_content(&inlines) {
        out.push(Block { kind, inlines, ..Default::default() });
    } else {
        for i in inlines {
            if let Inline::PageBreak { n } = i {
                out.push(Block { kind: BlockKind::PageBreak, label: Some(n), ..Default::default() });
            }
        }
    }
}

/// All text below a node, iteratively (used past the recursion limit).
fn deep_text(n: Node) -> String {
    let mut s = String::new();
    for d in n.descendants().filter(|d| d.is_text()) {
        if let Some(t) = d.text() {
            s.push_str(t);
        }
    }
    s
}
