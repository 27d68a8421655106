//! Generic TEI letters and dispatches (`tei-letter`).
//!
//! Reads any TEI P5 file whose root is `TEI` (or `teiCorpus`) in the TEI namespace and that
//! does not use the FRUS namespace (FRUS volumes have their own reader). Nothing here assumes
//! FRUS conventions: metadata comes from the TEI Guidelines' own header elements
//! (`titleStmt`, `publicationStmt`, `msDesc/msIdentifier`, `profileDesc/correspDesc`,
//! `langUsage`, `abstract`, `availability`), the body from `text/body`.
//!
//! Editorial conventions: `choice` shows `expan`/`reg`/`corr` over `abbr`/`orig`/`sic`, the
//! forms not shown kept as searchable `Document::variants`, like `del`; `supplied` text is kept
//! and shown in square brackets as printed editions show it (unless the source already puts
//! brackets around it); `gap` becomes "[…]"; `add` and `unclear` (of text alone) and `del` are
//! kept as [`Inline::Edit`] marks (a deletion outside the reading text, searchable among the
//! variants); `lb break="no"` and a hyphen at a line's end before a lowercase letter join the
//! word, the line end kept beside it as an `Edit` of kind "lb" (the diplomatic form,
//! `Document::diplomatic_text`); `fw`, `metamark`, address, endorsement and docket divisions
//! and the header's address notes become blocks labelled with their role (`Block::role`), as
//! do `front` and `back` (the index lists an edition copies into each letter are skipped); a
//! `ref` with a `target` is kept as a cross-reference ([`Inline::Ref`], its text and the target
//! verbatim), one without a target is plain text. Notes stand where their anchor is: inline,
//! at an `anchor` their `@target`/`@corresp` names (with or without '#'), or at a `ptr`/`ref`
//! pointing at their `xml:id`; numbers that restart in each division get the division's number
//! before them ("2.1"). Passages marked with another `xml:lang` than the document's are kept
//! with their language (`Document::passages`). Markup that arrives as escaped text
//! (`&lt;script&gt;`) stays text, verbatim.
//!
//! Dates: `@when`, `@from`/`@to`, `@notBefore`/`@notAfter` are Gregorian, as TEI defines them; a
//! date given only in another calendar (`@when-custom`, `@from-custom`/`@to-custom` with
//! `@datingMethod`, or wording with `@calendar`) is converted when the calendar is the Julian,
//! and never read as Gregorian when it is one this reader cannot convert (Hijri, Florentine…);
//! either way the calendar and the value as written are kept (`DateInterval::calendar`,
//! `custom`).
//!
//! Metadata: the id is the `xml:id` or `publicationStmt/idno`, else the file's path; the title
//! the main or analytic title of `titleStmt`; the collection the edition the header names
//! (series title, `editionStmt`), never the library holding the manuscript, which with the
//! whole `msIdentifier` and the item's `locus` is an archival reference; the date from
//! `correspDesc` (every action's date kept), else a dateline, `msDesc/history/origDate`, the
//! header's creation date or its publication date, each labelled (`DateInterval::basis`); the
//! place from `correspAction` (`placeName` or `settlement`), else `origPlace`. A record without
//! transcribed text is stored as metadata-only; a CMIF file gives one metadata-only record per
//! `correspDesc` (`Document::correspondence_record`, with the letter's URL in its edition when
//! the entry gives one), which the link stage joins to the letter it describes when the
//! archive holds it; an ODD and an edition's authority lists are not documents
//! ([`ReadError::NotADocument`]).
//!
//! DTDs are refused by [`crate::xml::parse`], so entity bombs and external entities never
//! expand.

use crate::xml::{self, TEI_NS};
use crate::{Input, ReadError, Reader};
use chancery_model::archival::{ArchivalRef, Unit};
use chancery_model::date::{parse_iso, parse_iso_julian, parse_iso_range, parse_text, reread_as_julian, DateInterval};
use chancery_model::text::slug;
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
        if let Some(why) = not_a_document(root) {
            return Err(ReadError::NotADocument(why.into()));
        }
        match tei_name(root) {
            "TEI" if is_cmif(root) => cmif(root, input, &stem),
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

/// Why a well-formed TEI file is not a source document: a schema specification (ODD), or an
/// edition's index of persons, places, organisations or events (its body only lists).
fn not_a_document(root: Node) -> Option<&'static str> {
    if root.descendants().any(|n| matches!(tei_name(n), "schemaSpec" | "elementSpec")) {
        return Some("a TEI schema specification (ODD)");
    }
    let body = child(root, "text").and_then(|t| child(t, "body"))?;
    let mut parts = body.children().filter(|c| c.is_element()).peekable();
    parts.peek()?;
    parts
        .all(|c| matches!(tei_name(c), "listPerson" | "listPlace" | "listOrg" | "listEvent" | "listNym"))
        .then_some("an index of persons, places, organisations or events (an edition's authority file)")
}

/// A CMIF file (Correspondence Metadata Interchange Format): a header whose `profileDesc`
/// lists letters (`correspDesc`), and no transcription.
fn is_cmif(root: Node) -> bool {
    let Some(profile) = child(root, "teiHeader").and_then(|h| child(h, "profileDesc")) else { return false };
    let letters = children(profile, "correspDesc").count();
    let cited = children(profile, "correspDesc").any(|c| attr(c, "source").is_some() || attr(c, "ref").is_some());
    let empty_text = match child(root, "text") {
        None => true,
        Some(t) => deep_text(t).trim().is_empty(),
    };
    empty_text && (letters > 1 || (letters == 1 && cited))
}

/// A CMIF file's letters: each `correspDesc` one metadata-only record (senders, recipients,
/// places, dates, the printed edition it is from as its source note), id `{file}/{n}` where the
/// entry has no `@key`/`@ref` of its own.
fn cmif(root: Node, input: &Input, stem: &str) -> Result<Vec<Document>, ReadError> {
    let header = child(root, "teiHeader");
    let file_desc = header.and_then(|h| child(h, "fileDesc"));
    let profile = header.and_then(|h| child(h, "profileDesc"));
    let bibls: Vec<Node> =
        file_desc.and_then(|f| child(f, "sourceDesc")).map(|s| children(s, "bibl").collect()).unwrap_or_default();
    let rights = file_desc.and_then(|f| first_descendant(f, "availability")).map(plain).filter(|s| !s.is_empty());
    let mut out = Vec::new();
    for (i, cd) in profile.into_iter().flat_map(|p| children(p, "correspDesc")).enumerate() {
        let mut doc = Document {
            id: format!("{stem}/{}", i + 1),
            source: Source { path: input.rel_path.to_string(), format: "tei-letter".into() },
            doc_type: Some("letter".into()),
            metadata_only: true,
            correspondence_record: true,
            rights: rights.clone(),
            ..Default::default()
        };
        correspondence(&mut doc, cd);
        // the letter's own address in its edition (`@ref`, or a `@source` that is a URL)
        doc.url = attr(cd, "ref")
            .or_else(|| attr(cd, "source"))
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(str::to_string);
        let bibl = match attr(cd, "source").and_then(local_target) {
            Some(src) => bibls.iter().find(|b| xml_id(**b) == Some(src)).or(bibls.first()),
            None => bibls.first(),
        };
        doc.source_note = bibl.map(|b| plain(*b)).filter(|s| !s.is_empty());
        let names = |role: &str| {
            doc.contributors.iter().filter(|c| c.role == role).map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        };
        let (from, to) = (names("sender"), names("recipient"));
        let mut title = match (from.is_empty(), to.is_empty()) {
            (false, false) => format!("{from} → {to}"),
            (false, true) => from,
            (true, false) => format!("→ {to}"),
            (true, true) => format!("{stem} {}", i + 1),
        };
        if let Some(d) = &doc.date {
            title = format!("{title}, {}", d.text);
        }
        doc.title = title;
        doc.finalize();
        out.push(doc);
    }
    Ok(out)
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

/// Date of a TEI `date` (or `docDate`) element: `@when`, `@from`/`@to`,
/// `@notBefore`/`@notAfter`, else its text. The wording is the element's text when it has
/// any, else the attribute value(s).
fn tei_date(n: Node) -> Option<DateInterval> {
    let wording = plain(n);
    let word = |fallback: &str| if wording.is_empty() { fallback.to_string() } else { wording.clone() };
    // the calendar of the `-custom` values (`@datingMethod`) and of the wording (`@calendar`)
    let method = attr(n, "datingMethod").map(calendar_name);
    let wording_calendar = attr(n, "calendar").map(calendar_name);
    let custom = attr(n, "when-custom").map(str::to_string).or_else(|| {
        let lo = attr(n, "from-custom").or_else(|| attr(n, "notBefore-custom"));
        let hi = attr(n, "to-custom").or_else(|| attr(n, "notAfter-custom"));
        match (lo, hi) {
            (Some(a), Some(b)) => Some(format!("{a}/{b}")),
            (Some(a), None) | (None, Some(a)) => Some(a.to_string()),
            _ => None,
        }
    });
    // (a `@datingMethod` beside a `@when` alone names no calendar: `@when` is Gregorian)
    let calendar =
        if custom.is_some() { method.clone() } else { wording_calendar.clone() }.filter(|c| c != "gregorian");
    let with_calendar = |iv: DateInterval| DateInterval {
        calendar: calendar.clone().or(iv.calendar),
        custom: custom.clone().or(iv.custom),
        ..iv
    };
    // `@when`, `@from`/`@to`, `@notBefore`/`@notAfter` are Gregorian whatever the calendar
    if let Some(when) = attr(n, "when").or_else(|| attr(n, "when-iso")) {
        if let Some(iv) = parse_iso(when) {
            return Some(with_calendar(DateInterval { text: word(when), ..iv }));
        }
    }
    let lo = attr(n, "from").or_else(|| attr(n, "notBefore")).or_else(|| attr(n, "from-iso"));
    let hi = attr(n, "to").or_else(|| attr(n, "notAfter")).or_else(|| attr(n, "to-iso"));
    if let (Some(a), Some(b)) = (lo, hi) {
        if let Some(iv) = parse_iso_range(a, b, word(&format!("{a}/{b}"))) {
            return Some(with_calendar(iv));
        }
    }
    // no Gregorian value: the custom one, converted where its calendar is known
    if let Some(c) = &custom {
        let parsed = match method.as_deref() {
            Some("julian") => match c.split_once('/') {
                Some((a, b)) => parse_iso_julian(a).zip(parse_iso_julian(b)).map(|(a, b)| DateInterval {
                    to: b.to,
                    precision: chancery_model::Precision::Range,
                    ..a
                }),
                None => parse_iso_julian(c),
            },
            Some("gregorian") => match c.split_once('/') {
                Some((a, b)) => parse_iso_range(a, b, c.as_str()),
                None => parse_iso(c),
            },
            // a calendar this reader cannot convert: never read as if it were Gregorian
            _ => return None,
        };
        return parsed.map(|iv| with_calendar(DateInterval { text: word(c), ..iv }));
    }
    // the wording, in the calendar `@calendar` names
    match wording_calendar.as_deref() {
        None | Some("gregorian") => parse_text(&wording),
        Some("julian") => parse_text(&wording).and_then(reread_as_julian),
        Some(_) => None,
    }
}

/// A calendar as a TEI pointer names it (`#julian`, `cal:Julian`, `…/calendars#hijri`):
/// the last part, lowercased, with the usual names made one ("julianisch", "old style" are
/// "julian"; "gregorianisch", "new style" "gregorian").
fn calendar_name(pointer: &str) -> String {
    let last = pointer.rsplit(['#', '/', ':']).find(|p| !p.trim().is_empty()).unwrap_or(pointer);
    let name = last.trim().to_lowercase();
    if name.starts_with("julian") || name == "os" || name == "old-style" || name == "oldstyle" {
        "julian".into()
    } else if name.starts_with("gregorian") || name == "ns" || name == "new-style" || name == "newstyle" {
        "gregorian".into()
    } else {
        name
    }
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

    // id: the document's own xml:id or publicationStmt/idno, else its path in the edition
    let pub_idno = file_desc
        .and_then(|f| child(f, "publicationStmt"))
        .and_then(|p| child(p, "idno"))
        .map(plain)
        .filter(|s| !s.is_empty());
    doc.id = xml_id(tei).map(str::to_string).or(pub_idno).unwrap_or_else(|| fallback_id.to_string());

    // title: the main or analytic title, else the first that is not the series' or a date
    if let Some(ts) = title_stmt {
        doc.title = document_title(ts).unwrap_or_default();
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
        doc.collection = edition_collection(f);
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
            doc.language = attr(lang, "ident").and_then(normalize_lang);
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
        if doc.language.is_none() {
            doc.language = h
                .descendants()
                .find(|n| tei_name(*n) == "textLang")
                .and_then(|t| attr(t, "mainLang"))
                .and_then(normalize_lang);
        }
    }
    doc.summary = summary;
    // every manuscript witness: its identifier whole, with the folios of the item; its origin
    // dates and places the document when the correspondence does not
    if let Some(f) = file_desc {
        for ms in f.descendants().filter(|n| tei_name(*n) == "msDesc") {
            ms_desc(&mut doc, ms);
        }
    }
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
            .and_then(normalize_lang);
    }
    if doc.language.is_some() {
        doc.language_basis = Some("declared".into());
    }

    // text: front, body and back; a record without one is described, not transcribed
    let text = child(tei, "text");
    let mut b = BodyBuilder::default();
    if let Some(text) = text {
        b.index_note_targets(text);
    }
    let mut blocks = Vec::new();
    if let Some(text) = text {
        for part in text.children().filter(|c| c.is_element()) {
            match tei_name(part) {
                "front" | "back" => {
                    let role = tei_name(part);
                    let start = blocks.len();
                    b.blocks(part, &mut blocks, 0);
                    set_role(&mut blocks[start..], role);
                }
                "body" => b.blocks(part, &mut blocks, 0),
                "group" => b.blocks(part, &mut blocks, 0),
                _ => {}
            }
        }
    }
    // endorsements, addresses and dockets the header describes: blocks of their own
    if let Some(h) = header {
        for n in h.descendants().filter(|n| tei_name(*n) == "note") {
            if let Some(role @ ("address" | "endorsement" | "docket" | "superscription")) = attr(n, "type") {
                let mut inlines = Vec::new();
                b.inline_children(n, &mut inlines, 1);
                if has_content(&inlines) {
                    blocks.push(Block {
                        kind: BlockKind::Paragraph,
                        inlines,
                        role: Some(role.into()),
                        ..Default::default()
                    });
                }
            }
        }
    }
    let placeholder = header
        .and_then(|h| child(h, "revisionDesc"))
        .is_some_and(|r| matches!(attr(r, "status"), Some("placeholder" | "metadata-only" | "stub")));
    let transcribed = blocks.iter().any(|bl| bl.role.is_none() && block_has_words(bl));
    doc.metadata_only = !transcribed || (placeholder && !blocks.iter().any(block_has_words));
    doc.body = blocks;
    doc.notes = std::mem::take(&mut b.notes);
    doc.variants = std::mem::take(&mut b.variants);
    for l in std::mem::take(&mut b.languages) {
        if doc.language.as_deref() != Some(l.as_str()) && !doc.other_languages.contains(&l) {
            doc.other_languages.push(l);
        }
    }
    if let Some(t) = text {
        doc.passages = passages(t, doc.language.as_deref());
    }
    if doc.title.is_empty() {
        doc.title = text
            .and_then(|t| first_descendant(t, "head"))
            .map(plain)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| doc.id.clone());
    }

    // a dateline date in the body: the date when the header gives none, else kept when it differs
    let dateline_date = text
        .into_iter()
        .flat_map(|t| t.descendants())
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
    // the header's fallbacks, labelled: the creation date, then the publication date
    if doc.date.is_none() {
        doc.date = profile
            .and_then(|p| child(p, "creation"))
            .and_then(|c| first_descendant(c, "date"))
            .and_then(tei_date)
            .map(|d| d.with_basis("creation"));
    }
    if doc.date.is_none() {
        doc.date = file_desc
            .and_then(|f| child(f, "publicationStmt"))
            .and_then(|p| child(p, "date"))
            .and_then(tei_date)
            .map(|d| d.with_basis("publication"));
    }

    doc.finalize();
    Ok(doc)
}

/// The passages of the text marked in another language than the document's (`xml:lang` on
/// any element below `text`, the outermost of a language only), each with its reading text.
fn passages(text: Node, language: Option<&str>) -> Vec<chancery_model::Passage> {
    let mut out: Vec<chancery_model::Passage> = Vec::new();
    let lang_of = |n: Node| n.attribute((XML_NS, "lang")).and_then(normalize_lang);
    for n in text.descendants().filter(|n| n.is_element() && *n != text) {
        let Some(l) = lang_of(n) else { continue };
        if language == Some(l.as_str()) {
            continue;
        }
        // inside a passage of the same language already taken
        if n.ancestors().skip(1).take_while(|a| *a != text).any(|a| lang_of(a).as_deref() == Some(l.as_str())) {
            continue;
        }
        let t = plain(n);
        if t.chars().any(char::is_alphabetic) && !out.iter().any(|p| p.language == l && p.text == t) {
            out.push(chancery_model::Passage { language: l, text: t, detected: false });
        }
    }
    out
}

/// Whether a block (or one of its children) holds words, not only gaps, page breaks or notes.
fn block_has_words(b: &Block) -> bool {
    let words = chancery_model::inlines_text(&b.inlines);
    let words = words.replace("[…]", "");
    words.chars().any(char::is_alphanumeric) || b.children.iter().any(block_has_words)
}

/// Give blocks (and their children) a role, where they have none.
fn set_role(blocks: &mut [Block], role: &str) {
    for b in blocks {
        if b.role.is_none() {
            b.role = Some(role.to_string());
        }
    }
}

/// The document's title in a `titleStmt`: `type="main"`, else `level="a"`, else the first that
/// is not a series', journal's or monograph's title, a date or empty.
fn document_title(ts: Node) -> Option<String> {
    let titles: Vec<Node> = children(ts, "title").collect();
    let pick = |f: &dyn Fn(Node) -> bool| titles.iter().copied().filter(|t| f(*t)).map(plain).find(|s| !s.is_empty());
    pick(&|t| attr(t, "type") == Some("main"))
        .or_else(|| pick(&|t| attr(t, "level") == Some("a")))
        .or_else(|| {
            pick(&|t| {
                !matches!(attr(t, "level"), Some("s" | "j" | "m"))
                    && !attr(t, "type").is_some_and(|ty| ty.contains("date") || ty == "sub")
            })
        })
        .or_else(|| pick(&|_| true))
}

/// The edition a document belongs to, as its header names it: the series title
/// (`titleStmt/title[@level="s"]`, `seriesStmt/title`), with `editionStmt/edition` as its id
/// when given. `None` when the header names no edition (the ingest then files the document
/// under the edition's folder).
fn edition_collection(file_desc: Node) -> Option<Collection> {
    let series = child(file_desc, "titleStmt")
        .into_iter()
        .flat_map(|ts| children(ts, "title"))
        .find(|t| attr(*t, "level") == Some("s"))
        .or_else(|| child(file_desc, "seriesStmt").and_then(|s| child(s, "title")))
        .map(plain)
        .filter(|s| !s.is_empty())?;
    let edition = path(file_desc, &["editionStmt", "edition"]).map(plain).map(|e| slug(&e)).filter(|e| !e.is_empty());
    Some(Collection { id: edition.unwrap_or_else(|| slug(&series)), title: series })
}

/// A language code as BCP 47 wants it (see [`chancery_model::text::normalize_language`]).
pub fn normalize_lang(code: &str) -> Option<String> {
    chancery_model::text::normalize_language(code)
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
        let kind = attr(action, "type").unwrap_or("");
        let role = match kind {
            "sent" => "sender",
            "received" => "recipient",
            "forwarded" => "forwarder",
            "redirected" => "redirected-to",
            "transmitted" => "transmitter",
            "delivered" => "delivered-to",
            "" => continue,
            other => other,
        };
        for agent in action.children().filter(|c| matches!(tei_name(*c), "persName" | "orgName" | "name")) {
            let name = plain(agent);
            if !name.is_empty() {
                doc.contributors.push(Contributor { role: role.to_string(), name, reference: reference(agent) });
            }
        }
        // the place: placeName, or settlement as some editions write it
        let place = action
            .children()
            .find(|c| matches!(tei_name(*c), "placeName" | "settlement"))
            .map(plain)
            .filter(|s| !s.is_empty());
        let date = child(action, "date").and_then(tei_date);
        if role == "sender" {
            if doc.place.is_none() {
                doc.place = place;
            }
            match (&doc.date, date) {
                (None, Some(d)) => doc.date = Some(d.with_basis("correspDesc")),
                (Some(_), Some(d)) => doc.other_dates.push(d.with_basis("correspDesc:sent")),
                _ => {}
            }
        } else if let Some(d) = date {
            // the other actions' dates (received, forwarded…) are kept beside the sending date
            doc.other_dates.push(d.with_basis(&format!("correspDesc:{kind}")));
        }
    }
}

/// One manuscript description: its identifier whole (country, settlement, institution,
/// repository, collections, shelfmark, alternative identifiers) and the folios of its item as an
/// archival reference; its date and place of origin (`history/origin`) as fallbacks for the
/// document's own. The first witness's repository is the document's archive.
fn ms_desc(doc: &mut Document, ms: Node) {
    let Some(id) = child(ms, "msIdentifier") else { return };
    let get = |name: &str| child(id, name).map(plain).filter(|s| !s.is_empty());
    let country = get("country");
    let settlement = get("settlement").or_else(|| get("placeName"));
    let institution = get("institution");
    let repository = get("repository").filter(|r| !r.eq_ignore_ascii_case("unknown"));
    let collections: Vec<String> = children(id, "collection").map(plain).filter(|s| !s.is_empty()).collect();
    let idno = child(id, "idno");
    let shelfmark = idno.map(plain).filter(|s| !s.is_empty());
    let folios =
        ms.descendants().find(|n| tei_name(*n) == "locus").and_then(|l| match (attr(l, "from"), attr(l, "to")) {
            (Some(a), Some(b)) if a != b => Some(format!("{a}-{b}")),
            (Some(a), _) => Some(a.to_string()),
            _ => non_empty(plain(l)),
        });
    let mut parts: Vec<String> = Vec::new();
    parts.extend(country.clone());
    parts.extend(settlement.clone());
    parts.extend(institution.clone());
    parts.extend(get("repository"));
    parts.extend(collections.iter().cloned());
    parts.extend(shelfmark.clone());
    if let Some(f) = &folios {
        parts.push(format!("fol. {f}"));
    }
    let alt: Vec<String> = children(id, "altIdentifier")
        .map(|a| {
            let p: Vec<String> = a.children().filter(|c| c.is_element()).map(plain).filter(|s| !s.is_empty()).collect();
            p.join(", ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    if !parts.is_empty() {
        let level = idno.and_then(|i| attr(i, "type")).unwrap_or("shelfmark").to_string();
        let mut units: Vec<Unit> = shelfmark.map(|value| Unit { level, value }).into_iter().collect();
        units.extend(folios.map(|value| Unit { level: "folios".into(), value }));
        let mut series = Vec::new();
        series.extend(institution.clone());
        series.extend(collections);
        let mut text = parts.join(", ");
        if !alt.is_empty() {
            text = format!("{text} (also: {})", alt.join("; "));
        }
        doc.archival_refs.push(ArchivalRef {
            text,
            repository: repository.clone().or(institution.clone()),
            series,
            units,
            file_number: None,
        });
    }
    if doc.archive.is_none() {
        doc.archive = repository.or(institution);
    }
    if let Some(origin) = child(ms, "history").and_then(|h| child(h, "origin")) {
        if doc.date.is_none() {
            doc.date = first_descendant(origin, "origDate").and_then(tei_date).map(|d| d.with_basis("origDate"));
        }
        if doc.place.is_none() {
            doc.place = first_descendant(origin, "origPlace").map(plain).filter(|s| !s.is_empty());
        }
    }
}

/// Builds body blocks and notes from TEI elements.
#[derive(Default)]
struct BodyBuilder {
    notes: Vec<Note>,
    /// Other forms of words (abbreviations, `sic`, `orig`, deletions): searchable, not shown.
    variants: Vec<String>,
    /// Languages of marked passages (`xml:lang`), normalized, each once.
    languages: Vec<String>,
    /// Notes pointed at from an anchor (`note/@target` or `@corresp`, with or without '#'):
    /// anchor id → note.
    note_for_anchor: std::collections::HashMap<String, roxmltree::NodeId>,
    /// Notes with an `xml:id` a `ptr`/`ref` may point at.
    note_by_id: std::collections::HashMap<String, roxmltree::NodeId>,
    /// Notes already read (at their anchor or pointer), with the number given.
    done: std::collections::HashMap<roxmltree::NodeId, String>,
    /// Note numbers given so far, to number per division where they restart.
    used_n: std::collections::HashSet<String>,
    /// The current top-level division's number (1-based), for notes numbered per division.
    division: usize,
    /// A word broken at a line end continues in the next text: trim its leading space.
    join_next: bool,
}

/// Elements that are blocks even inside a paragraph.
fn is_block_in_p(name: &str) -> bool {
    matches!(name, "list" | "table" | "lg" | "floatingText" | "listBibl")
}

/// The id a pointer names: `#id` or a bare `id` (no scheme, no path).
fn local_target(t: &str) -> Option<&str> {
    let t = t.trim();
    let t = t.strip_prefix('#').unwrap_or(t);
    (!t.is_empty() && !t.contains(['/', ':', ' ', '#'])).then_some(t)
}

impl BodyBuilder {
    /// Find the notes that are anchored elsewhere than where they stand: at an `anchor` their
    /// `@target`/`@corresp` names, or at every `ptr`/`ref` that points at their `xml:id`.
    fn index_note_targets(&mut self, text: Node) {
        let mut anchors = std::collections::HashSet::new();
        for n in text.descendants().filter(|n| tei_name(*n) == "anchor") {
            if let Some(id) = xml_id(n) {
                anchors.insert(id);
            }
        }
        for n in text.descendants().filter(|n| tei_name(*n) == "note") {
            if let Some(id) = xml_id(n) {
                self.note_by_id.insert(id.to_string(), n.id());
            }
            for t in ["target", "corresp"].iter().filter_map(|a| n.attribute(*a)).flat_map(str::split_whitespace) {
                if let Some(t) = local_target(t).filter(|t| anchors.contains(t)) {
                    self.note_for_anchor.entry(t.to_string()).or_insert(n.id());
                }
            }
        }
    }

    /// The note a pointer or anchor stands for, read there (once): its number.
    fn note_at(&mut self, note: Node, depth: usize) -> String {
        if let Some(n) = self.done.get(&note.id()) {
            return n.clone();
        }
        let n = self.note(note, depth);
        self.done.insert(note.id(), n.clone());
        n
    }

    /// Whether a note is read elsewhere (at its anchor or pointer), so not where it stands.
    fn anchored_elsewhere(&self, note: Node) -> bool {
        self.done.contains_key(&note.id()) || self.note_for_anchor.values().any(|&id| id == note.id())
    }

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
            "p" | "ab" | "byline" | "trailer" | "docAuthor" | "l" | "bibl" => {
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
            "note" if self.anchored_elsewhere(c) => {}
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
            // forme work (running heads, catchwords) and metamarks: blocks labelled as such
            "fw" | "metamark" => {
                let start = out.len();
                self.mixed(c, BlockKind::Paragraph, out, depth);
                set_role(&mut out[start..], name);
            }
            "div"
                if matches!(
                    attr(c, "type"),
                    Some("address" | "endorsement" | "docket" | "envelope" | "cover" | "superscription")
                ) =>
            {
                let role = attr(c, "type").unwrap_or("address").to_string();
                let start = out.len();
                self.blocks(c, out, depth);
                set_role(&mut out[start..], &role);
            }
            "address" => {
                let start = out.len();
                self.mixed(c, BlockKind::Paragraph, out, depth);
                set_role(&mut out[start..], "address");
            }
            "div" if matches!(c.parent().map(tei_name), Some("body" | "front" | "back" | "group")) => {
                self.division += 1;
                self.mixed_or_blocks(c, BlockKind::Paragraph, out, depth)
            }
            // index data an edition copies into each letter: not the letter's text
            "listPerson" | "listPlace" | "listOrg" | "listEvent" | "listNym" | "listRelation" | "listWit" => {}
            "del" => self.variant(c),
            // omitted: pointers, figures' graphics, milestones
            "ptr" | "graphic" | "lb" | "cb" | "milestone" | "anchor" | "figDesc" => {}
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
                    children.push(Block { kind: BlockKind::Item, label, inlines, children: nested, role: None });
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
        let mut n = attr(c, "n").map(str::to_string).unwrap_or_else(|| (self.notes.len() + 1).to_string());
        // numbers that restart in each division get the division's number before them
        if self.used_n.contains(&n) {
            let base = n.clone();
            n = format!("{}.{base}", self.division.max(1));
            let mut k = 2;
            while self.used_n.contains(&n) {
                n = format!("{}.{base}.{k}", self.division.max(1));
                k += 1;
            }
        }
        self.used_n.insert(n.clone());
        let kind = attr(c, "type").unwrap_or("footnote").to_string();
        let mut inlines = Vec::new();
        self.inline_children(c, &mut inlines, depth + 1);
        self.notes.push(Note { n: n.clone(), kind, inlines, ..Default::default() });
        n
    }

    /// Keep the words of an element not shown (a deletion, an abbreviation beside its
    /// expansion) as a searchable variant.
    fn variant(&mut self, n: Node) {
        let v = collapse(&deep_text(n));
        if v.chars().any(char::is_alphanumeric) && v.len() <= 200 && !self.variants.contains(&v) {
            self.variants.push(v);
        }
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
                if self.join_next {
                    let rest = t.trim_start();
                    if !rest.is_empty() {
                        self.join_next = false;
                    }
                    out.push(Inline::text(rest));
                } else {
                    out.push(Inline::text(t));
                }
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
        if let Some(l) = c.attribute((XML_NS, "lang")).and_then(normalize_lang) {
            if !self.languages.contains(&l) {
                self.languages.push(l);
            }
        }
        let name = tei_name(c);
        let d = depth + 1;
        match name {
            "note" if self.anchored_elsewhere(c) => {}
            "note" => {
                let n = self.note(c, d);
                out.push(Inline::NoteRef { n });
            }
            // an anchor a note points at: the note's place
            "anchor" => {
                if let Some(note) = xml_id(c).and_then(|id| self.note_for_anchor.get(id)).copied() {
                    if let Some(note) = c.document().get_node(note) {
                        let n = self.note_at(note, d);
                        out.push(Inline::NoteRef { n });
                    }
                }
            }
            // a pointer to a note: the note's place (its marker is the note's number)
            "ptr" | "ref"
                if c.attribute("target").and_then(local_target).is_some_and(|t| self.note_by_id.contains_key(t)) =>
            {
                let target = c.attribute("target").and_then(local_target).unwrap_or_default();
                if let Some(note) = self.note_by_id.get(target).copied().and_then(|id| c.document().get_node(id)) {
                    let n = self.note_at(note, d);
                    out.push(Inline::NoteRef { n });
                }
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
                // the forms not shown stay searchable
                for other in c.children().filter(|x| x.is_element() && Some(*x) != pick) {
                    self.variant(other);
                }
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
            "lb" => self.line_break(c, out),
            "space" => out.push(Inline::text(" ")),
            // an insertion or a doubtful reading: marked as an edition prints it
            "add" | "unclear" if c.children().all(|x| x.is_text()) => {
                let mut text: String = c.children().filter_map(|x| x.text()).collect();
                if self.join_next {
                    text = text.trim_start().to_string();
                    self.join_next = text.is_empty();
                }
                if !text.is_empty() {
                    out.push(Inline::Edit { kind: name.to_string(), text });
                }
            }
            // a deletion: shown struck through, not part of the reading text, searchable
            "del" => {
                self.variant(c);
                let text = collapse(&deep_text(c));
                if !text.is_empty() {
                    out.push(Inline::Edit { kind: "del".into(), text });
                }
            }
            "fw" | "ptr" | "graphic" | "cb" | "milestone" | "figDesc" | "metamark" | "surplus" => {}
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

impl BodyBuilder {
    /// A line break: a space, unless the word goes on (`break="no"`, or a hyphen at the line's
    /// end before a lowercase letter), when the parts are joined, the hyphen dropped, so the
    /// word is found whole.
    fn line_break(&mut self, c: Node, out: &mut Vec<Inline>) {
        let no_break = attr(c, "break") == Some("no");
        let next_lower = c
            .next_sibling()
            .and_then(|n| n.text().filter(|_| n.is_text()))
            .and_then(|t| t.trim_start().chars().next())
            .is_some_and(char::is_lowercase);
        if let Some(Inline::Text { text }) = out.last_mut() {
            let trimmed = text.trim_end();
            let mut chars = trimmed.chars().rev();
            let hyphen = chars.next().filter(|h| matches!(h, '-' | '¬' | '\u{2010}' | '='));
            let letter_before = chars.next().is_some_and(char::is_alphabetic);
            if let Some(h) = hyphen.filter(|_| letter_before && (no_break || next_lower)) {
                let keep = trimmed.len() - h.len_utf8();
                text.truncate(keep);
                self.join_next = true;
                // the diplomatic form: the hyphen and the line's end, as the source has them
                out.push(Inline::Edit { kind: "lb".into(), text: h.to_string() });
                return;
            }
            if no_break {
                let keep = text.trim_end().len();
                text.truncate(keep);
            }
        }
        if no_break {
            self.join_next = true;
            out.push(Inline::Edit { kind: "lb".into(), text: String::new() });
        } else {
            out.push(Inline::LineBreak);
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
        Inline::Edit { kind, text } => kind != "lb" && !text.trim().is_empty(),
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
