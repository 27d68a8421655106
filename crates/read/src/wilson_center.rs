//! Wilson Center Digital Archive records, in two shapes.
//!
//! - [`WilsonCenterJson`] (`wilson-center-json`): objects of the Digital Archive JSON API, as
//!   the `digitalarchive` client documents them. A *record* (`title` with `doc_date`,
//!   `source`, `translations`…) becomes one document `wilson-center/{id}`; a *transcript*
//!   asset (`raw`/`html` with `content_type`) becomes one document
//!   `wilson-center/transcript/{id}`; a *collection* object (`name` with
//!   `short_description`/`description`) is not a document: it is read without error and
//!   yields no documents (`Ok(vec![])`). An object `{"results": [records…]}` yields one
//!   document per record.
//! - [`WilsonCenterText`] (`wilson-center-text`): a record page saved as text (record date,
//!   title, "Citation:", "Summary:", "Credits:", "Original Language:", "Contents:", then the
//!   translation).
//!
//! HTML (translations, transcripts, descriptions) is parsed with html5ever via `scraper` and
//! reduced to paragraphs of plain text: `style`, `script` and `head` are dropped, block
//! elements become paragraphs, whitespace (including `&nbsp;`) collapses. No markup survives.

use crate::{Input, ReadError, Reader};
use chancery_model::archival::{parse_archival_refs, ArchivalRef};
use chancery_model::date::{parse_iso, parse_text, DateInterval};
use chancery_model::{Block, BlockKind, Collection, Contributor, Document, Inline, Source};
use serde_json::{Map, Value};

pub struct WilsonCenterJson;
pub struct WilsonCenterText;

const SITE: &str = "https://digitalarchive.wilsoncenter.org";
const ARCHIVE_NAME: &str = "Wilson Center Digital Archive";

// ---------------------------------------------------------------------------------------
// JSON

/// What kind of Digital Archive object a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Record,
    Transcript,
    Collection,
    Results,
}

fn shape(obj: &Map<String, Value>) -> Option<Shape> {
    let has = |k: &str| obj.contains_key(k);
    if has("title")
        && (has("doc_date") || has("frontend_doc_date") || has("source") || has("translations") || has("transcripts"))
    {
        Some(Shape::Record)
    } else if (has("raw") || has("html")) && has("content_type") {
        Some(Shape::Transcript)
    } else if has("name") && (has("short_description") || has("description")) {
        Some(Shape::Collection)
    } else if obj.get("results").is_some_and(Value::is_array) {
        Some(Shape::Results)
    } else {
        None
    }
}

impl Reader for WilsonCenterJson {
    fn name(&self) -> &'static str {
        "wilson-center-json"
    }

    /// A JSON object with the keys of a Digital Archive object, or any JSON text that is not
    /// an object (`null`, an array, a number): the Digital Archive's records are objects, so
    /// the other kinds are refused by name, never read as a plain-text transcription.
    fn sniff(&self, input: &Input) -> bool {
        let head = crate::head(input, 256 * 1024);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        match head.chars().next() {
            Some('{') => {
                let key = |k: &str| head.contains(&format!("\"{k}\""));
                (key("title")
                    && (key("doc_date")
                        || key("frontend_doc_date")
                        || key("source")
                        || key("translations")
                        || key("transcripts")))
                    || ((key("raw") || key("html")) && key("content_type"))
                    || (key("name") && (key("short_description") || key("description")))
            }
            Some('[' | '"' | '-' | '0'..='9' | 't' | 'f' | 'n') => {
                crate::utf8(input.bytes).is_ok_and(|text| json_kind(text.trim()).is_some())
            }
            _ => false,
        }
    }

    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError> {
        let text = crate::utf8(input.bytes)?;
        if let Some(kind) = json_kind(text.trim()).filter(|k| *k != "an object") {
            return Err(ReadError::Invalid(format!("not a Wilson Center record (JSON top level is {kind})")));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| ReadError::Syntax {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            // serde_json counts columns from 0 at the start of a line; ReadError's are 1-based
            column: u32::try_from(e.column().max(1)).unwrap_or(u32::MAX),
            message: format!("invalid JSON: {e}"),
        })?;
        let Value::Object(obj) = value else {
            return Err(ReadError::Invalid("not a Wilson Center record (JSON top level is not an object)".into()));
        };
        match shape(&obj) {
            Some(Shape::Record) => Ok(vec![record(&obj, input)?]),
            Some(Shape::Transcript) => Ok(vec![transcript(&obj, input)?]),
            // A collection describes a set of records; it is not itself a document.
            Some(Shape::Collection) => Ok(vec![]),
            Some(Shape::Results) => {
                let mut out = Vec::new();
                for r in obj.get("results").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(o) = r.as_object().filter(|o| shape(o) == Some(Shape::Record)) {
                        out.push(record(o, input)?);
                    }
                }
                Ok(out)
            }
            None => {
                Err(ReadError::Invalid("JSON object is not a Wilson Center record, transcript or collection".into()))
            }
        }
    }
}

/// What kind of JSON value `text` is at its top level, when it is JSON: whole (parsed without
/// building anything), or cut short, or nested past serde_json's depth limit (still JSON,
/// refused as such). `None` for text that only starts like JSON ("[Translation]", "1955 was").
fn json_kind(text: &str) -> Option<&'static str> {
    let kind = match text.chars().next()? {
        '{' => "an object",
        '[' => "an array",
        '"' => "a string",
        't' | 'f' => "a boolean",
        'n' => "null",
        _ => "a number",
    };
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => Some(kind),
        // An array that is JSON as far as it goes: cut short, or nested too deep to finish.
        Err(e) if kind == "an array" || kind == "an object" => {
            let eof = e.classify() == serde_json::error::Category::Eof;
            let too_deep = e.to_string().starts_with("recursion limit exceeded");
            (eof || too_deep).then_some(kind)
        }
        Err(_) => None,
    }
}

/// A string field; numbers are accepted too (ids arrive as both).
fn s(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(v) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The display name of an API sub-object (`name`, `title` or `value`), or a plain string.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(o) => s(o, "name").or_else(|| s(o, "title")).or_else(|| s(o, "value")),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// A list field as a list of objects/strings (a single object counts as a list of one).
fn list<'a>(obj: &'a Map<String, Value>, key: &str) -> Vec<&'a Value> {
    match obj.get(key) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ (Value::Object(_) | Value::String(_))) => vec![v],
        _ => Vec::new(),
    }
}

/// `doc_date` "YYYYMMDD" (with "00" for an unknown month or day).
fn doc_date(raw: &str, wording: Option<String>) -> Option<DateInterval> {
    let raw = raw.trim();
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return parse_iso(raw).or_else(|| parse_text(raw));
    }
    let (y, m, d) = (raw.get(0..4)?, raw.get(4..6)?, raw.get(6..8)?);
    let iso = match (m, d) {
        ("00", _) => y.to_string(),
        (_, "00") => format!("{y}-{m}"),
        _ => format!("{y}-{m}-{d}"),
    };
    let iv = parse_iso(&iso)?;
    Some(DateInterval { text: wording.unwrap_or_else(|| raw.to_string()), ..iv })
}

fn record(obj: &Map<String, Value>, input: &Input) -> Result<Document, ReadError> {
    let id = s(obj, "id").ok_or_else(|| ReadError::Invalid("Wilson Center record without an id".into()))?;
    let mut doc = Document {
        id: format!("wilson-center/{id}"),
        source: Source { path: input.rel_path.to_string(), format: "wilson-center-json".into() },
        title: s(obj, "title").map(|t| html_inline_text(&t)).unwrap_or_default(),
        url: Some(format!("{SITE}/document/{id}")),
        ..Default::default()
    };
    let wording = s(obj, "frontend_doc_date");
    doc.date = match s(obj, "doc_date") {
        Some(raw) => doc_date(&raw, wording.clone()),
        None => wording.as_deref().and_then(parse_text),
    }
    .map(|d| d.with_basis("record"));
    doc.summary = s(obj, "description").map(|d| html_inline_text(&d)).filter(|d| !d.is_empty());
    if let Some(source) = s(obj, "source") {
        doc.archival_refs = parse_archival_refs(&source);
        doc.source_note = Some(source);
    }
    doc.archive = list(obj, "repositories")
        .into_iter()
        .find_map(name_of)
        .or_else(|| doc.archival_refs.iter().find_map(|r| r.repository.clone()));
    doc.collection = list(obj, "collections")
        .into_iter()
        .find_map(|c| {
            let title = name_of(c)?;
            let cid = c.as_object().and_then(|o| s(o, "id")).unwrap_or_else(|| chancery_model::text::slug(&title));
            Some(Collection { id: format!("wilson-center/collection/{cid}"), title })
        })
        .or_else(|| Some(Collection { id: "wilson-center".into(), title: ARCHIVE_NAME.into() }));
    doc.doc_type = obj.get("type").and_then(name_of).map(|t| t.to_lowercase());
    doc.classification = list(obj, "classifications").into_iter().find_map(name_of);

    // rights: the rights statements; else the donors credit as the site prints it
    let rights: Vec<String> = list(obj, "rights")
        .into_iter()
        .filter_map(|r| match r {
            Value::Object(o) => s(o, "rights").or_else(|| s(o, "title")).map(|t| html_inline_text(&t)),
            other => name_of(other),
        })
        .filter(|t| !t.is_empty())
        .collect();
    let donors: Vec<String> = list(obj, "donors").into_iter().filter_map(name_of).collect();
    doc.rights = if !rights.is_empty() {
        Some(rights.join("\n\n"))
    } else if !donors.is_empty() {
        Some(format!("This document was made possible with support from {}", donors.join(", ")))
    } else {
        None
    };

    // people
    for (key, role) in [("creators", "author"), ("contributors", "contributor")] {
        for v in list(obj, key) {
            if let Some(name) = name_of(v) {
                let reference = v.as_object().and_then(|o| s(o, "uri").or_else(|| s(o, "id")));
                doc.contributors.push(Contributor { role: role.into(), name, reference });
            }
        }
    }

    // body: the first translation, else the first transcript
    let record_lang = list(obj, "languages").into_iter().find_map(language_code);
    let translations = list(obj, "translations");
    let transcripts = list(obj, "transcripts");
    let (asset, is_translation) = match (translations.first(), transcripts.first()) {
        (Some(t), _) => (t.as_object(), true),
        (None, Some(t)) => (t.as_object(), false),
        (None, None) => (None, false),
    };
    if let Some(asset) = asset {
        let html = s(asset, "html").or_else(|| s(asset, "raw")).unwrap_or_default();
        let paras = html_paragraphs(&html);
        let (blocks, heading_date) = body_blocks(paras, &doc.title);
        doc.body = blocks;
        push_heading_date(&mut doc, heading_date);
        let asset_lang = asset.get("language").and_then(language_code);
        if is_translation {
            doc.language = asset_lang;
            doc.original_language = record_lang.filter(|o| Some(o) != doc.language.as_ref());
            for key in ["translator", "translators"] {
                for v in list(asset, key) {
                    if let Some(name) = name_of(v) {
                        doc.contributors.push(Contributor { role: "translator".into(), name, reference: None });
                    }
                }
            }
        } else {
            doc.language = asset_lang.or(record_lang);
        }
    } else {
        doc.language = record_lang;
    }
    doc.finalize();
    Ok(doc)
}

fn transcript(obj: &Map<String, Value>, input: &Input) -> Result<Document, ReadError> {
    let id = s(obj, "id").ok_or_else(|| ReadError::Invalid("Wilson Center transcript without an id".into()))?;
    let html = s(obj, "html").or_else(|| s(obj, "raw")).unwrap_or_default();
    let is_html = s(obj, "content_type").is_none_or(|c| c.contains("html"));
    let paras = if is_html {
        html_paragraphs(&html)
    } else {
        html.split("\n\n").map(collapse).filter(|p| !p.is_empty()).map(|p| (BlockKind::Paragraph, p)).collect()
    };
    let mut doc = Document {
        id: format!("wilson-center/transcript/{id}"),
        source: Source { path: input.rel_path.to_string(), format: "wilson-center-json".into() },
        title: format!("Transcript {id}"),
        url: s(obj, "url").map(|u| if u.starts_with('/') { format!("{SITE}{u}") } else { u }),
        collection: Some(Collection { id: "wilson-center".into(), title: ARCHIVE_NAME.into() }),
        body: paras
            .into_iter()
            .map(|(kind, text)| Block { kind, inlines: vec![Inline::text(text)], ..Default::default() })
            .collect(),
        ..Default::default()
    };
    doc.finalize();
    doc.language = detect_script_language(&doc.text);
    Ok(doc)
}

/// The language of a text from its dominant script, when the script says it: Cyrillic →
/// "ru", Hangul → "ko", kana → "ja", Han → "zh". Latin script says nothing certain.
pub(crate) fn detect_script_language(text: &str) -> Option<String> {
    let (mut latin, mut cyr, mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        match c as u32 {
            0x0400..=0x052F => cyr += 1,
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF | 0x1100..=0x11FF => hangul += 1,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => han += 1,
            _ if c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    let total = latin + cyr + han + kana + hangul;
    if total == 0 {
        return None;
    }
    let code = if cyr * 2 > total {
        "ru"
    } else if hangul * 2 > total {
        "ko"
    } else if kana > 0 && (kana + han) * 2 > total {
        "ja"
    } else if han * 2 > total {
        "zh"
    } else {
        return None;
    };
    Some(code.to_string())
}

/// An ISO 639-1 code from an API language object (`id` "rus"/"ru", `name` "Russian") or a
/// language name.
fn language_code(v: &Value) -> Option<String> {
    match v {
        Value::String(name) => iso_from_name(name).or_else(|| iso_from_code(name)),
        Value::Object(o) => s(o, "id")
            .and_then(|c| iso_from_code(&c))
            .or_else(|| s(o, "name").and_then(|n| iso_from_name(&n)))
            .or_else(|| s(o, "value").and_then(|n| iso_from_name(&n))),
        _ => None,
    }
}

const LANGUAGES: &[(&str, &str, &str, &str)] = &[
    // name, ISO 639-1, ISO 639-2/B, ISO 639-2/T
    ("english", "en", "eng", "eng"),
    ("russian", "ru", "rus", "rus"),
    ("chinese", "zh", "chi", "zho"),
    ("japanese", "ja", "jpn", "jpn"),
    ("korean", "ko", "kor", "kor"),
    ("german", "de", "ger", "deu"),
    ("french", "fr", "fre", "fra"),
    ("italian", "it", "ita", "ita"),
    ("spanish", "es", "spa", "spa"),
    ("portuguese", "pt", "por", "por"),
    ("polish", "pl", "pol", "pol"),
    ("czech", "cs", "cze", "ces"),
    ("slovak", "sk", "slo", "slk"),
    ("hungarian", "hu", "hun", "hun"),
    ("romanian", "ro", "rum", "ron"),
    ("bulgarian", "bg", "bul", "bul"),
    ("serbian", "sr", "srp", "srp"),
    ("croatian", "hr", "hrv", "hrv"),
    ("serbo-croatian", "sh", "hbs", "hbs"),
    ("ukrainian", "uk", "ukr", "ukr"),
    ("vietnamese", "vi", "vie", "vie"),
    ("mongolian", "mn", "mon", "mon"),
    ("arabic", "ar", "ara", "ara"),
    ("persian", "fa", "per", "fas"),
    ("farsi", "fa", "per", "fas"),
    ("turkish", "tr", "tur", "tur"),
    ("hebrew", "he", "heb", "heb"),
    ("albanian", "sq", "alb", "sqi"),
    ("greek", "el", "gre", "ell"),
    ("dutch", "nl", "dut", "nld"),
    ("swedish", "sv", "swe", "swe"),
    ("finnish", "fi", "fin", "fin"),
    ("norwegian", "no", "nor", "nor"),
    ("danish", "da", "dan", "dan"),
    ("hindi", "hi", "hin", "hin"),
    ("indonesian", "id", "ind", "ind"),
    ("khmer", "km", "khm", "khm"),
    ("lao", "lo", "lao", "lao"),
    ("estonian", "et", "est", "est"),
    ("latvian", "lv", "lav", "lav"),
    ("lithuanian", "lt", "lit", "lit"),
    ("georgian", "ka", "geo", "kat"),
    ("armenian", "hy", "arm", "hye"),
    ("slovenian", "sl", "slv", "slv"),
    ("macedonian", "mk", "mac", "mkd"),
    ("belarusian", "be", "bel", "bel"),
];

/// ISO 639-1 code of an English language name ("Russian" → "ru").
pub fn iso_from_name(name: &str) -> Option<String> {
    let n = name.trim().to_lowercase();
    LANGUAGES.iter().find(|(l, ..)| *l == n).map(|(_, c, ..)| c.to_string())
}

fn iso_from_code(code: &str) -> Option<String> {
    let c = code.trim().to_lowercase();
    LANGUAGES.iter().find(|(_, a, b, t)| *a == c || *b == c || *t == c).map(|(_, a, ..)| a.to_string())
}

// ---------------------------------------------------------------------------------------
// HTML to paragraphs

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose content is never text.
fn is_dropped(tag: &str) -> bool {
    matches!(
        tag,
        "style"
            | "script"
            | "head"
            | "title"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
    )
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "tr"
            | "br"
            | "blockquote"
            | "section"
            | "article"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "pre"
            | "hr"
            | "body"
            | "center"
            | "address"
    )
}

/// Plain paragraphs of an HTML fragment or document: headings as [`BlockKind::Head`], all
/// other blocks as paragraphs. Iterative, so deep nesting cannot overflow the stack.
pub(crate) fn html_paragraphs(html: &str) -> Vec<(BlockKind, String)> {
    let doc = scraper::Html::parse_document(&tame_html(html));
    let mut out: Vec<(BlockKind, String)> = Vec::new();
    let mut cur = String::new();
    let mut heading_depth = 0usize;
    let flush = |cur: &mut String, out: &mut Vec<(BlockKind, String)>, heading: bool| {
        let text = collapse(cur);
        cur.clear();
        if !text.is_empty() {
            out.push((if heading { BlockKind::Head } else { BlockKind::Paragraph }, text));
        }
    };
    let root = doc.tree.root();
    let mut node = root;
    'walk: loop {
        // enter
        let mut descend = true;
        match node.value() {
            scraper::Node::Text(t) => cur.push_str(t),
            scraper::Node::Element(e) => {
                let tag = e.name();
                if is_dropped(tag) {
                    descend = false;
                } else if is_block(tag) {
                    flush(&mut cur, &mut out, heading_depth > 0);
                    if tag.len() == 2 && tag.starts_with('h') && tag != "hr" {
                        heading_depth += 1;
                    }
                } else if matches!(tag, "td" | "th") {
                    cur.push_str(" | ");
                } else if matches!(tag, "img") {
                    descend = false;
                }
            }
            _ => {}
        }
        if descend {
            if let Some(c) = node.first_child() {
                node = c;
                continue 'walk;
            }
        }
        // leave, then move to the next sibling or climb
        loop {
            if let scraper::Node::Element(e) = node.value() {
                let tag = e.name();
                if is_block(tag) && !is_dropped(tag) {
                    flush(&mut cur, &mut out, heading_depth > 0);
                    if tag.len() == 2 && tag.starts_with('h') && tag != "hr" {
                        heading_depth = heading_depth.saturating_sub(1);
                    }
                }
            }
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(s) = node.next_sibling() {
                node = s;
                continue 'walk;
            }
            match node.parent() {
                Some(p) => node = p,
                None => break 'walk,
            }
        }
    }
    flush(&mut cur, &mut out, false);
    // table rows start with the cell separator: trim it
    for (_, t) in &mut out {
        if let Some(rest) = t.strip_prefix("| ") {
            *t = rest.to_string();
        }
    }
    out.retain(|(_, t)| !t.is_empty() && t != "|");
    out
}

/// How many elements [`tame_html`] lets be open at once.
const MAX_HTML_OPEN: usize = 256;

/// HTML elements that never have content (no end tag).
fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose end tag the tree builder implies when a later end tag closes past them.
fn end_implied(tag: &str) -> bool {
    matches!(tag, "dd" | "dt" | "li" | "optgroup" | "option" | "p" | "rb" | "rp" | "rt" | "rtc")
}

/// Elements whose end tag runs the tree builder's adoption agency.
fn formatting(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike" | "strong" | "tt" | "u"
    )
}

/// Start tags before which the tree builder closes an open `p`.
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "listing"
            | "form"
            | "li"
            | "dd"
            | "dt"
    )
}

/// The HTML with every tag's attributes removed and nesting capped, in one linear pass, so
/// that html5ever works in linear time on any input: its tokenizer checks each attribute of
/// a tag against all the tag's others, and its tree builder looks through the stack of open
/// elements at each tag. No text is taken from attributes.
///
/// Tags are found by the HTML tokenizer's own rules (a `<` then a letter, or `</` then a
/// letter; a quoted attribute value may hold `>`), and only what lies outside tags is copied as
/// it is: whatever html5ever makes of the result, it finds no attribute. The open elements are
/// counted so as never to be fewer than the tree builder's (an end tag closes only the element
/// on top, past the ones whose end the tree builder implies; a start tag closes only an open
/// `p` or list item on top); past [`MAX_HTML_OPEN`], start tags are dropped (their text stays)
/// until elements close.
fn tame_html(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<String> = Vec::new();
    let mut copied = 0; // bytes before this are in `out`, or deliberately left out
    let mut i = 0;
    while let Some(lt) = bytes.get(i..).and_then(|rest| rest.iter().position(|&b| b == b'<')).map(|p| i + p) {
        let end_tag = bytes.get(lt + 1) == Some(&b'/');
        let name_at = lt + 1 + usize::from(end_tag);
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_len = bytes
            .get(name_at..)
            .unwrap_or_default()
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
            .unwrap_or(bytes.len() - name_at);
        let name_end = name_at + name_len;
        out.push_str(html.get(copied..lt).unwrap_or_default());
        let Some((tag_end, self_closing)) = tag_end(bytes, name_end) else {
            // the input ends inside the tag: html5ever drops it, and so does this
            return out;
        };
        copied = tag_end;
        i = tag_end;
        let name = html.get(name_at..name_end).unwrap_or_default().to_ascii_lowercase();
        if end_tag {
            let implied = open.iter().rev().take_while(|o| **o != name && end_implied(o)).count();
            let skip = if formatting(&name) { 0 } else { implied };
            if open.len() > skip && open.get(open.len() - skip - 1) == Some(&name) {
                open.truncate(open.len() - skip - 1);
            }
        } else if !is_void(&name) {
            let top = open.last().map(String::as_str);
            let closes_top = match top {
                Some("p") => closes_p(&name),
                Some("li") => name == "li",
                Some("dd" | "dt") => matches!(name.as_str(), "dd" | "dt"),
                Some("option") => name == "option",
                _ => false,
            };
            if open.len() - usize::from(closes_top) >= MAX_HTML_OPEN {
                continue; // dropped (closing nothing): its text stays, its nesting goes
            }
            if closes_top {
                open.pop();
            }
            open.push(name.clone());
        }
        out.push('<');
        if end_tag {
            out.push('/');
        }
        out.push_str(&name);
        out.push_str(if self_closing && !end_tag { "/>" } else { ">" });
    }
    out.push_str(html.get(copied..).unwrap_or_default());
    out
}

/// Where a tag whose name ends at `at` ends (just past its `>`), and whether it closes itself,
/// by the HTML tokenizer's attribute states; `None` when the input ends first.
fn tag_end(bytes: &[u8], mut at: usize) -> Option<(usize, bool)> {
    loop {
        // before an attribute name
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        match *bytes.get(at)? {
            b'>' => return Some((at + 1, false)),
            b'/' => {
                if bytes.get(at + 1) == Some(&b'>') {
                    return Some((at + 2, true));
                }
                at += 1;
                continue;
            }
            _ => {}
        }
        // the attribute name (its first character may be anything, even '=')
        at += 1;
        while !bytes.get(at).is_some_and(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>' || b == b'=') {
            bytes.get(at)?;
            at += 1;
        }
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            continue;
        }
        at += 1;
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        match *bytes.get(at)? {
            q @ (b'"' | b'\'') => {
                at += 1;
                at += bytes.get(at..)?.iter().position(|&b| b == q)? + 1;
            }
            b'>' => return Some((at + 1, false)),
            _ => {
                while !bytes.get(at).is_some_and(|&b| b.is_ascii_whitespace() || b == b'>') {
                    bytes.get(at)?;
                    at += 1;
                }
            }
        }
    }
}

/// An HTML string (a description, a title) as one line of text.
fn html_inline_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return collapse(html);
    }
    html_paragraphs(html).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Shared: the translation's own heading

/// True when a line is a date and nothing else ("January 25, 1960").
fn date_line(line: &str) -> Option<DateInterval> {
    let l = line.trim();
    if l.is_empty() || l.chars().count() > 40 {
        return None;
    }
    let d = parse_text(l)?;
    // the line must be mostly the date: no more than 6 words
    (l.split_whitespace().count() <= 6).then_some(d)
}

/// Body blocks from paragraphs: leading lines repeating the title become a heading, a
/// leading date line a dateline (its date returned, basis "heading").
fn body_blocks(paras: Vec<(BlockKind, String)>, title: &str) -> (Vec<Block>, Option<DateInterval>) {
    let mut blocks = Vec::new();
    let mut heading_date = None;
    let mut in_heading = true;
    let norm_title = collapse(title).to_lowercase();
    for (kind, text) in paras {
        if in_heading {
            if !norm_title.is_empty() && collapse(&text).to_lowercase() == norm_title {
                blocks.push(Block { kind: BlockKind::Head, inlines: vec![Inline::text(text)], ..Default::default() });
                continue;
            }
            if heading_date.is_none() {
                if let Some(d) = date_line(&text) {
                    heading_date = Some(d.with_basis("heading"));
                    blocks.push(Block {
                        kind: BlockKind::Dateline,
                        inlines: vec![Inline::text(text)],
                        ..Default::default()
                    });
                    continue;
                }
            }
            in_heading = false;
        }
        blocks.push(Block { kind, inlines: vec![Inline::text(text)], ..Default::default() });
    }
    (blocks, heading_date)
}

/// Keep a heading date: as the date when there is none, else in `other_dates` when it
/// differs from the record date.
fn push_heading_date(doc: &mut Document, heading: Option<DateInterval>) {
    let Some(h) = heading else { return };
    match &doc.date {
        None => doc.date = Some(h),
        Some(d) if (d.from.as_str(), d.to.as_str()) != (h.from.as_str(), h.to.as_str()) => doc.other_dates.push(h),
        Some(_) => {}
    }
}

// ---------------------------------------------------------------------------------------
// Page text

/// Section labels of a record page, as printed.
const LABELS: &[&str] = &[
    "Citation:",
    "Summary:",
    "Credits:",
    "Original Language:",
    "Contents:",
    "Associated People & Organizations:",
    "Associated Places:",
    "Associated Topics:",
    "Subjects Discussed:",
    "Keywords:",
    "Related Documents:",
    "Document Information:",
    "Source:",
    "Rights:",
];

fn is_label(line: &str) -> bool {
    LABELS.contains(&line.trim())
}

impl Reader for WilsonCenterText {
    fn name(&self) -> &'static str {
        "wilson-center-text"
    }

    fn sniff(&self, input: &Input) -> bool {
        let head = crate::head(input, 64 * 1024);
        let has_line = |l: &str| head.lines().any(|x| x.trim() == l);
        has_line("Citation:") && head.contains(ARCHIVE_NAME) && (has_line("Summary:") || has_line("Original Language:"))
    }

    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError> {
        let text = crate::utf8(input.bytes)?;
        let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let Some(citation_at) = lines.iter().position(|l| l.trim() == "Citation:") else {
            return Err(ReadError::Invalid("no \"Citation:\" line".into()));
        };

        // sections: label → lines until the next label
        let mut sections: Vec<(&str, Vec<&str>)> = Vec::new();
        for l in lines.iter().skip(citation_at) {
            if is_label(l) {
                sections.push((l.trim(), Vec::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push(l);
            }
        }
        let section = |label: &str| sections.iter().find(|(l, _)| *l == label).map(|(_, b)| b.as_slice());

        // preamble: record date, then title
        let pre: Vec<&str> = lines.iter().take(citation_at).map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        let (record_date, title) = match pre.as_slice() {
            [] => (None, None),
            [one] => (None, Some(one.to_string())),
            [first, second, ..] => match date_line(first) {
                Some(d) => (Some(d), Some(second.to_string())),
                None => (None, Some(first.to_string())),
            },
        };

        let mut doc = Document {
            source: Source { path: input.rel_path.to_string(), format: "wilson-center-text".into() },
            title: title.clone().unwrap_or_default(),
            date: record_date.map(|d| d.with_basis("record")),
            collection: Some(Collection { id: "wilson-center".into(), title: ARCHIVE_NAME.into() }),
            ..Default::default()
        };

        // citation and url
        let mut citation_lines = Vec::new();
        for l in section("Citation:").unwrap_or_default() {
            let t = l.trim();
            if let Some(u) = t.strip_prefix('<').and_then(|u| u.strip_suffix('>')) {
                doc.url = Some(u.to_string());
            } else if t.starts_with("http://") || t.starts_with("https://") {
                doc.url = Some(t.to_string());
            } else if !t.is_empty() {
                citation_lines.push(t);
            }
        }
        let citation = citation_lines.join(" ");
        let stem = path_stem(input.rel_path);
        let number =
            doc.url.as_deref().and_then(trailing_number).or_else(|| trailing_number(&stem)).map(str::to_string);
        doc.id = match &number {
            Some(n) => format!("wilson-center/{n}"),
            None => format!("wilson-center/{}", path_stem(input.rel_path)),
        };
        if doc.url.is_none() {
            if let Some(n) = number {
                doc.url = Some(format!("{SITE}/document/{n}"));
            }
        }
        if !citation.is_empty() {
            citation_parts(&mut doc, &citation);
            doc.source_note = Some(citation);
        }

        let joined = |label: &str| section(label).map(|ls| paragraphs(ls).join("\n\n")).filter(|s| !s.is_empty());
        doc.summary = joined("Summary:");
        doc.rights = joined("Credits:").or_else(|| joined("Rights:"));
        if let Some(ol) = joined("Original Language:") {
            doc.original_language = ol.split([',', ';', '\n']).find_map(iso_from_name);
        }

        // contents list, then the body
        let contents = section("Contents:").unwrap_or_default();
        let norm_title = title.as_deref().map(collapse).unwrap_or_default();
        let body_start = contents
            .iter()
            .position(|l| !norm_title.is_empty() && collapse(l) == norm_title)
            .or_else(|| contents.iter().position(|l| !l.trim().is_empty() && !is_contents_entry(l)))
            .unwrap_or(contents.len());
        let entries: Vec<&str> = contents.iter().take(body_start).map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        let lang_of = |kind: &str| {
            entries.iter().find_map(|e| {
                let (k, lang) = e.split_once(" - ")?;
                (k.trim().eq_ignore_ascii_case(kind)).then(|| iso_from_name(lang)).flatten()
            })
        };
        let translated = lang_of("Translation");
        doc.language = translated.clone().or_else(|| lang_of("Transcript")).or_else(|| lang_of("Transcription"));
        if translated.is_none() {
            // the text is the original itself
            if doc.language.is_none() {
                doc.language = doc.original_language.clone();
            }
            if doc.language == doc.original_language {
                doc.original_language = None;
            }
        }
        let body_lines = contents.get(body_start..).unwrap_or_default();
        let mut paras: Vec<(BlockKind, String)> = Vec::new();
        let mut only_heads = true; // every paragraph so far is a heading
        for group in groups(body_lines) {
            // heading lines stand alone; other groups are paragraphs of joined lines
            let is_heading_group =
                only_heads && group.iter().all(|l| collapse(l) == norm_title || date_line(l).is_some());
            only_heads = is_heading_group;
            if is_heading_group {
                paras.extend(group.iter().map(|l| (BlockKind::Head, collapse(l))));
            } else {
                paras.push((BlockKind::Paragraph, group.join("\n")));
            }
        }
        let (blocks, heading_date) = body_blocks(paras, &norm_title);
        doc.body = blocks;
        push_heading_date(&mut doc, heading_date);
        doc.finalize();
        Ok(vec![doc])
    }
}

fn path_stem(rel_path: &str) -> String {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_string()
}

/// The number at the end of a URL or file stem ("…/document/300264" → "300264").
fn trailing_number(s: &str) -> Option<&str> {
    let s = s.trim_end_matches('/');
    let start = s.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    s.get(start..).filter(|n| !n.is_empty())
}

/// "Original Scan", "Translation - English", "Transcript - Russian".
fn is_contents_entry(line: &str) -> bool {
    let l = line.trim();
    let kind = l.split(" - ").next().unwrap_or(l).trim().to_lowercase();
    matches!(kind.as_str(), "original scan" | "translation" | "transcript" | "transcription" | "original")
        && l.chars().count() < 60
}

/// Non-empty lines grouped by blank lines.
fn groups<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut cur = Vec::new();
    for l in lines {
        if l.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(l.trim());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn paragraphs(lines: &[&str]) -> Vec<String> {
    groups(lines).into_iter().map(|g| g.join(" ")).collect()
}

/// The archival reference and the people named in a citation:
/// `"Title", date, Wilson Center Digital Archive, RGANI, f. 52, …, ll. 61. Contributed by A
/// and translated by B.`
fn citation_parts(doc: &mut Document, citation: &str) {
    let marker = format!("{ARCHIVE_NAME}, ");
    let after_archive = citation.find(&marker).and_then(|i| citation.get(i + marker.len()..));
    let people_markers = [". Contributed by ", ". Obtained and translated by ", ". Obtained by ", ". Translated by "];
    if let Some(rest) = after_archive {
        let end = people_markers.iter().filter_map(|m| rest.find(m)).min().unwrap_or(rest.len());
        let reference = rest.get(..end).unwrap_or(rest).trim().trim_end_matches('.').trim();
        if !reference.is_empty() {
            let mut refs = parse_archival_refs(reference);
            if refs.is_empty() {
                refs.push(ArchivalRef { text: reference.to_string(), ..Default::default() });
            }
            doc.archive = refs.iter().find_map(|r| r.repository.clone());
            doc.archival_refs = refs;
        }
    }
    // people: from the first marker to the end of the citation
    let Some(at) = people_markers.iter().filter_map(|m| citation.find(m)).min() else { return };
    let people = citation.get(at + 2..).unwrap_or("").trim().trim_end_matches('.');
    let split_names = |s: &str| -> Vec<String> {
        s.split(" and ")
            .flat_map(|p| p.split(", "))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect()
    };
    let mut push = |role: &str, names: &str| {
        for name in split_names(names) {
            doc.contributors.push(Contributor { role: role.into(), name, reference: None });
        }
    };
    if let Some(rest) = people.strip_prefix("Obtained and translated by ") {
        push("contributor", rest);
        push("translator", rest);
    } else if let Some(rest) = people.strip_prefix("Translated by ") {
        push("translator", rest);
    } else {
        let rest =
            people.strip_prefix("Contributed by ").or_else(|| people.strip_prefix("Obtained by ")).unwrap_or(people);
        match rest.split_once(" and translated by ") {
            Some((contributors, translators)) => {
                push("contributor", contributors);
                push("translator", translators);
            }
            None => push("contributor", rest),
        }
    }
}
