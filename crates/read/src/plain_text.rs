//! Plain-text transcriptions: a FRUS document pasted from the web, or any other UTF-8 text.
//!
//! The FRUS layout (`frus1955-57v23p1-d52.txt`): a first line "52. Memorandum From … to the
//! Secretary of State1" (number, title and a glued footnote marker), headings ("SUBJECT",
//! "Recommendation:"), bullet items, numbered paragraphs ("1." on its own line, then the
//! paragraph) and the footnotes listed at the end ("  1. Source: Department of State, …").
//!
//! Footnote markers are glued to a word or to punctuation ("Moscow2", "decision,4",
//! "(Tab A).7"). A glued number is taken as a marker only when it is the next note number in
//! sequence and a footnote with that number exists in the trailing list, so "1365 Japanese",
//! "Article 2(c)" or "1951" stay text. Markers become [`Inline::NoteRef`]s.
//!
//! Any other text becomes one document: title from the first non-empty line, paragraphs split
//! on blank lines, notes only when a trailing numbered list matches markers in the text.

use crate::{utf8, Input, ReadError, Reader};
use chancery_model::archival::{classification, parse_archival_refs};
use chancery_model::date::{parse_text, DateInterval, Precision};
use chancery_model::{Block, BlockKind, Collection, Document, Inline, Note, Source};

pub struct PlainText;

impl Reader for PlainText {
    fn name(&self) -> &'static str {
        "plain-text"
    }

    fn sniff(&self, input: &Input) -> bool {
        utf8(input.bytes).map(looks_like_text).unwrap_or(false)
    }

    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError> {
        let text = utf8(input.bytes)?;
        if text.trim().is_empty() {
            return Err(ReadError::Invalid("no text".into()));
        }
        if text.contains('\0') {
            return Err(ReadError::Invalid("NUL byte in text".into()));
        }
        Ok(vec![parse(text, input, self.name())])
    }
}

/// Text, not binary and not XML or JSON: no NUL, at most 1% control characters other than
/// line breaks and tabs, and not starting with `<` or `{`.
fn looks_like_text(text: &str) -> bool {
    if text.contains('\0') || text.trim_start().starts_with(['<', '{']) {
        return false;
    }
    let (mut total, mut control) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            control += 1;
        }
    }
    control * 100 <= total
}

/// A piece of a line: text, or a recovered footnote marker.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Text(String),
    Mark(u32),
}

/// One line of the body with its markers recovered.
struct Line {
    /// The text with markers removed, trimmed.
    plain: String,
    segs: Vec<Seg>,
}

struct RawNote {
    n: u32,
    text: String,
}

fn parse(text: &str, input: &Input, format: &str) -> Document {
    let raw_lines: Vec<&str> = if text.contains('\n') {
        text.split('\n').map(|l| l.trim_end_matches('\r')).collect()
    } else {
        text.split('\r').collect()
    };
    let first = raw_lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);

    // Trailing footnote list, kept only when its markers are found in the text.
    let mut notes_at = raw_lines.len();
    let mut raw_notes = Vec::new();
    let mut lines = None;
    if let Some((start, found)) = trailing_notes(&raw_lines).filter(|(s, _)| *s > first) {
        let (scanned, matched) = scan_lines(raw_lines.get(..start).unwrap_or(&[]), found.len() as u32);
        let total = found.len();
        if matched >= 1 && (matched == total || (matched >= 3 && 3 * matched >= 2 * total)) {
            notes_at = start;
            raw_notes = found;
            lines = Some(scanned);
        }
    }
    let lines = lines.unwrap_or_else(|| scan_lines(&raw_lines, 0).0);

    let frus = frus_id(input.rel_path);
    let mut doc = Document {
        // Always path-based: a transcription is a second witness of a document whose edition
        // (e.g. the FRUS TEI) owns the edition id, and must never overwrite it. The FRUS
        // volume and number are kept in `collection` and `number` for witness matching.
        id: plain_id(input),
        source: Source { path: source_path(input), format: format.to_string() },
        ..Default::default()
    };

    // Title line: "52. Memorandum From …1" or, generically, the first non-empty line.
    let mut body = Builder::default();
    let mut first = first;
    // A file opening with a bare dateline ("January 24, 1960"): the date, then the title.
    if let Some(found) = lines.get(first).and_then(|l| dateline(&l.plain)) {
        let mut next = lines.iter().enumerate().skip(first + 1).take_while(|(i, _)| *i < notes_at);
        if let Some((i, _)) = next.find(|(_, l)| !l.plain.is_empty()) {
            if let Some(line) = lines.get(first) {
                body.push_block(Block {
                    kind: BlockKind::Dateline,
                    inlines: inlines(&line.segs),
                    ..Default::default()
                });
            }
            body.dateline = Some(found);
            first = i;
        }
    }
    let mut start = first;
    if let Some(line) = lines.get(first).filter(|l| !l.plain.is_empty()) {
        let mut title = line.plain.clone();
        let mut segs = line.segs.clone();
        let mut label = None;
        if let Some((num, rest_at)) = numbered_prefix(&line.plain) {
            let note1_here = line.segs.contains(&Seg::Mark(1));
            if frus.is_some() || note1_here {
                doc.number = Some(num.to_string());
                label = Some(format!("{num}."));
                title = line.plain.get(rest_at..).unwrap_or("").trim().to_string();
                segs = strip_prefix_chars(&line.segs, line.plain.get(..rest_at).unwrap_or("").chars().count());
                doc.doc_type = doc_type(&title);
            }
        }
        doc.title = truncate_chars(&title, 200);
        if line.plain.chars().count() <= 200 {
            body.push_block(Block { kind: BlockKind::Head, label, inlines: inlines(&segs), ..Default::default() });
            start = first + 1;
        }
    }
    if doc.number.is_none() {
        doc.number = frus.as_ref().map(|(_, d)| d.clone());
    }

    let body_lines = lines.get(start..notes_at.min(lines.len())).unwrap_or(&[]);
    body.lines(body_lines);
    if let Some((place, date)) = body.dateline.take() {
        doc.place = place;
        doc.date = Some(date);
    }
    doc.body = body.finish();

    for raw in &raw_notes {
        let text = raw.text.trim().to_string();
        let is_source = text.starts_with("Source:");
        if is_source && doc.source_note.is_none() {
            doc.archival_refs = parse_archival_refs(&text);
            doc.classification = classification(&text);
            doc.archive = doc.archival_refs.iter().find_map(|r| r.repository.clone());
            doc.source_note = Some(text.clone());
        }
        doc.notes.push(Note {
            n: raw.n.to_string(),
            kind: if is_source { "source" } else { "footnote" }.to_string(),
            inlines: vec![Inline::text(text)],
            ..Default::default()
        });
    }
    doc.collection = frus.map(|(volume, _)| Collection { id: volume, title: String::new() });
    doc.finalize();
    doc.language = english(&doc.text).then(|| "en".to_string());
    doc
}

/// The trailing numbered list: the last line "1. text" from which every following non-blank
/// line is either the next numbered entry or a continuation of the current one.
fn trailing_notes(lines: &[&str]) -> Option<(usize, Vec<RawNote>)> {
    let start = (0..lines.len()).rev().find(|&i| matches!(lines.get(i).and_then(|l| note_line(l)), Some((1, _))))?;
    let mut notes: Vec<RawNote> = Vec::new();
    for line in lines.get(start..)? {
        if line.trim().is_empty() {
            continue;
        }
        let next = notes.len() as u32 + 1;
        match (note_line(line), notes.last_mut()) {
            (Some((n, rest)), _) if n == next => notes.push(RawNote { n, text: rest.to_string() }),
            (_, Some(last)) => {
                last.text.push(' ');
                last.text.push_str(line.trim());
            }
            (_, None) => return None,
        }
    }
    Some((start, notes))
}

/// "  3. Draft prepared in NA …" → (3, "Draft prepared in NA …").
fn note_line(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start();
    let end = t.find(|c: char| !c.is_ascii_digit())?;
    if end == 0 || end > 3 {
        return None;
    }
    let n: u32 = t.get(..end)?.parse().ok()?;
    let rest = t.get(end..)?.strip_prefix('.')?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    (!rest.is_empty()).then_some((n, rest))
}

/// Recover markers in document order over all lines; returns the lines and how many markers
/// were found. `max` is the number of footnotes (0: no markers at all).
fn scan_lines(lines: &[&str], max: u32) -> (Vec<Line>, usize) {
    let mut expected = 1;
    let out = lines
        .iter()
        .map(|l| {
            let segs = if max == 0 { vec![Seg::Text(l.to_string())] } else { split_markers(l, &mut expected, max) };
            let segs = trim_segs(segs);
            let plain = segs
                .iter()
                .filter_map(|s| match s {
                    Seg::Text(t) => Some(t.as_str()),
                    Seg::Mark(_) => None,
                })
                .collect::<String>()
                .trim()
                .to_string();
            Line { plain, segs }
        })
        .collect();
    (out, (expected - 1) as usize)
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁴' as u32 + 4),
        _ => None,
    }
}

/// Closing punctuation a marker may be glued to.
fn closing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '”' | '’' | '"' | '\'' | '»' | '…')
}

/// Split a line at glued footnote markers that are the next expected note number (≤ `max`).
/// One pass over the characters, keeping the two before the current one (no copy of the line).
fn split_markers(line: &str, expected: &mut u32, max: u32) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut text_from = 0;
    let (mut prev, mut prev2): (Option<char>, Option<char>) = (None, None);
    let mut at = 0;
    while let Some(c) = line.get(at..).and_then(|rest| rest.chars().next()) {
        let ascii = c.is_ascii_digit();
        let sup = superscript_digit(c).is_some();
        if !(ascii || sup) || *expected > max {
            (prev2, prev) = (prev, Some(c));
            at += c.len_utf8();
            continue;
        }
        let glued = match prev {
            None => false,
            Some(p) if sup => !p.is_whitespace() && superscript_digit(p).is_none(),
            Some(p) => p.is_alphabetic() || closing_punct(p),
        };
        let digit_before = prev2.is_some_and(|p| p.is_ascii_digit());
        let before = prev;
        // the whole run of digits of the same kind
        let mut end = at;
        let mut value: u32 = 0;
        let mut run = 0usize;
        for d in line.get(at..).unwrap_or_default().chars() {
            let digit = if ascii { d.to_digit(10).filter(|_| d.is_ascii_digit()) } else { superscript_digit(d) };
            let Some(digit) = digit else { break };
            value = value.saturating_mul(10).saturating_add(digit);
            end += d.len_utf8();
            run += 1;
            (prev2, prev) = (prev, Some(d));
        }
        let next = line.get(end..).and_then(|rest| rest.chars().next());
        let number_like = ascii
            && (matches!(before, Some(':')) && digit_before // 10:30
                || matches!(before, Some(',')) && digit_before && run == 3); // 1,365
        let ok = glued
            && run <= 3
            && !number_like
            && value == *expected
            && next.is_none_or(|n| !n.is_alphanumeric() && superscript_digit(n).is_none());
        if ok {
            if let Some(t) = line.get(text_from..at).filter(|t| !t.is_empty()) {
                segs.push(Seg::Text(t.to_string()));
            }
            segs.push(Seg::Mark(value));
            *expected += 1;
            text_from = end;
        }
        at = end;
    }
    if let Some(t) = line.get(text_from..).filter(|t| !t.is_empty()) {
        segs.push(Seg::Text(t.to_string()));
    }
    segs
}

/// Trim leading whitespace of the first text and trailing whitespace of the last text.
fn trim_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    if let Some(Seg::Text(t)) = segs.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Seg::Text(t)) = segs.last_mut() {
        *t = t.trim_end().to_string();
    }
    segs.retain(|s| !matches!(s, Seg::Text(t) if t.is_empty()));
    segs
}

/// Drop the first `n` characters of text (markers kept), then leading whitespace.
fn strip_prefix_chars(segs: &[Seg], mut n: usize) -> Vec<Seg> {
    let mut out = Vec::new();
    for s in segs {
        match s {
            Seg::Text(t) if n > 0 => {
                let count = t.chars().count();
                if count <= n {
                    n -= count;
                } else {
                    out.push(Seg::Text(t.chars().skip(n).collect()));
                    n = 0;
                }
            }
            other => out.push(other.clone()),
        }
    }
    trim_segs(out)
}

fn inlines(segs: &[Seg]) -> Vec<Inline> {
    segs.iter()
        .map(|s| match s {
            Seg::Text(t) => Inline::text(t.clone()),
            Seg::Mark(n) => Inline::NoteRef { n: n.to_string() },
        })
        .collect()
}

/// "52. Memorandum …" → (52, byte offset of "Memorandum").
fn numbered_prefix(t: &str) -> Option<(u32, usize)> {
    let end = t.find(|c: char| !c.is_ascii_digit())?;
    if end == 0 || end > 4 {
        return None;
    }
    let n: u32 = t.get(..end)?.parse().ok()?;
    let rest = t.get(end..)?.strip_prefix('.')?;
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() || trimmed.is_empty() {
        return None;
    }
    Some((n, t.len() - trimmed.len()))
}

/// A paragraph label on its own line: "1.", "a.", "iv.", "(a)", "(2)".
fn label_only(t: &str) -> bool {
    let core = if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        inner
    } else if let Some(inner) = t.strip_suffix('.') {
        inner
    } else {
        return false;
    };
    let digits = !core.is_empty() && core.len() <= 3 && core.bytes().all(|b| b.is_ascii_digit());
    let letter = core.chars().count() == 1 && core.chars().all(|c| c.is_ascii_alphabetic());
    let roman = !core.is_empty() && core.len() <= 5 && core.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    digits || letter || roman
}

/// "• Japan–USSR Negotiations" → byte offset of the item text.
fn bullet(t: &str) -> Option<usize> {
    let mut chars = t.char_indices();
    let (_, c) = chars.next()?;
    if !matches!(c, '•' | '◦' | '▪' | '‣' | '·' | '-' | '*' | '–' | '—') {
        return None;
    }
    let (at, next) = chars.next()?;
    (next.is_whitespace() || c == '•').then_some(at)
}

/// "SUBJECT", "Recommendation:": a short one-line block in capitals or ending with a colon.
fn heading(t: &str) -> bool {
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let caps = letters >= 2 && !t.chars().any(char::is_lowercase) && t.chars().count() <= 80;
    let colon = t.ends_with(':') && t.chars().count() <= 60 && letters >= 2;
    caps || colon
}

/// "Washington, September 18, 1955." → (Some("Washington"), the date).
fn dateline(t: &str) -> Option<(Option<String>, DateInterval)> {
    if t.chars().count() > 80 {
        return None;
    }
    let body = t.trim_end_matches('.').trim();
    let (place, date_part) = match body.split_once(',') {
        Some((p, rest)) if is_place(p) => (Some(p.trim().to_string()), rest.trim()),
        _ => (None, body),
    };
    if date_part.split_whitespace().count() > 6 {
        return None;
    }
    let iv = parse_text(date_part)?;
    matches!(iv.precision, Precision::Day | Precision::Time).then(|| (place, iv.with_basis("dateline")))
}

fn is_place(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && p.len() <= 40
        && !p.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn doc_type(title: &str) -> Option<String> {
    const TYPES: &[(&str, &str)] = &[
        ("memorandum", "memorandum"),
        ("telegram", "telegram"),
        ("letter", "letter"),
        ("despatch", "despatch"),
        ("dispatch", "despatch"),
        ("airgram", "airgram"),
        ("editorial note", "editorial note"),
        ("note", "note"),
        ("message", "message"),
        ("minutes", "minutes"),
        ("report", "report"),
        ("instruction", "instruction"),
        ("circular", "circular"),
        ("paper", "paper"),
        ("aide-mémoire", "aide-mémoire"),
    ];
    let lower = title.to_lowercase();
    TYPES.iter().find_map(|(prefix, kind)| {
        let rest = lower.strip_prefix(prefix)?;
        (rest.is_empty() || !rest.starts_with(char::is_alphabetic)).then(|| kind.to_string())
    })
}

#[derive(Clone, Copy, PartialEq)]
enum ListKind {
    Numbered,
    Bullet,
}

/// Builds the body block by block.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    list: Option<(ListKind, Vec<Block>)>,
    /// The block being filled (paragraph or list item) and, for items, its list kind.
    leaf: Option<(Block, Option<ListKind>)>,
    dateline: Option<(Option<String>, DateInterval)>,
    /// A block other than a heading or dateline is in `blocks` (kept, not looked for each line).
    body_started: bool,
}

impl Builder {
    fn lines(&mut self, lines: &[Line]) {
        for (i, line) in lines.iter().enumerate() {
            let t = line.plain.as_str();
            if t.is_empty() {
                self.flush_leaf();
                continue;
            }
            let in_item = matches!(self.leaf, Some((_, Some(_))));
            let block_start = self.leaf.is_none() || in_item;
            if label_only(t) {
                self.start_item(ListKind::Numbered, Some(t.to_string()), Vec::new());
                continue;
            }
            if block_start {
                if let Some((num, rest_at)) = numbered_prefix(t).filter(|(n, _)| *n < 1000) {
                    let skip = t.get(..rest_at).unwrap_or("").chars().count();
                    self.start_item(ListKind::Numbered, Some(format!("{num}.")), strip_prefix_chars(&line.segs, skip));
                    continue;
                }
                if let Some(at) = bullet(t) {
                    let skip = t.get(..at).unwrap_or("").chars().count();
                    self.start_item(ListKind::Bullet, None, strip_prefix_chars(&line.segs, skip));
                    continue;
                }
            }
            if let Some((leaf, _)) = &mut self.leaf {
                if !leaf.inlines.is_empty() {
                    leaf.inlines.push(Inline::text(" "));
                }
                leaf.inlines.extend(inlines(&line.segs));
                continue;
            }
            let single = lines.get(i + 1).is_none_or(|n| n.plain.is_empty());
            let only_heads = self.list.is_none() && !self.body_started;
            if single && self.dateline.is_none() && only_heads {
                if let Some(found) = dateline(t) {
                    self.dateline = Some(found);
                    self.push_block(Block {
                        kind: BlockKind::Dateline,
                        inlines: inlines(&line.segs),
                        ..Default::default()
                    });
                    continue;
                }
            }
            if single && heading(t) {
                self.push_block(Block { kind: BlockKind::Head, inlines: inlines(&line.segs), ..Default::default() });
                continue;
            }
            self.close_list();
            self.leaf =
                Some((Block { kind: BlockKind::Paragraph, inlines: inlines(&line.segs), ..Default::default() }, None));
        }
    }

    fn start_item(&mut self, kind: ListKind, label: Option<String>, segs: Vec<Seg>) {
        self.flush_leaf();
        if self.list.as_ref().is_some_and(|(k, _)| *k != kind) {
            self.close_list();
        }
        let item = Block { kind: BlockKind::Item, label, inlines: inlines(&segs), ..Default::default() };
        self.leaf = Some((item, Some(kind)));
    }

    fn flush_leaf(&mut self) {
        match self.leaf.take() {
            Some((item, Some(kind))) => match &mut self.list {
                Some((_, items)) => items.push(item),
                None => self.list = Some((kind, vec![item])),
            },
            Some((para, None)) => {
                self.body_started = true;
                self.blocks.push(para);
            }
            None => {}
        }
    }

    fn close_list(&mut self) {
        if let Some((_, items)) = self.list.take() {
            self.body_started = true;
            self.blocks.push(Block { kind: BlockKind::List, children: items, ..Default::default() });
        }
    }

    fn push_block(&mut self, block: Block) {
        self.flush_leaf();
        self.close_list();
        self.body_started |= !matches!(block.kind, BlockKind::Head | BlockKind::Dateline);
        self.blocks.push(block);
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_leaf();
        self.close_list();
        self.blocks
    }
}

/// `frus1955-57v23p1-d52.txt` or `frus1955-57v23p1/d52.txt` → ("frus1955-57v23p1", "52").
fn frus_id(rel_path: &str) -> Option<(String, String)> {
    let mut parts = rel_path.rsplit(['/', '\\']);
    let file = parts.next()?;
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((volume, d)) = stem.rsplit_once("-d").filter(|(v, d)| is_frus_volume(v) && digits(d)) {
        return Some((volume.to_string(), d.to_string()));
    }
    let d = stem.strip_prefix('d').filter(|d| digits(d))?;
    let volume = parts.next().filter(|v| is_frus_volume(v))?;
    Some((volume.to_string(), d.to_string()))
}

fn is_frus_volume(v: &str) -> bool {
    v.strip_prefix("frus").is_some_and(|rest| {
        rest.len() >= 4
            && rest.bytes().take(4).all(|b| b.is_ascii_digit())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// The rel_path without its extension ("notes/letter.txt" → "notes/letter").
fn plain_id(input: &Input) -> String {
    let path = source_path(input);
    let (dir, file) = match path.rfind('/') {
        Some(i) => (path.get(..=i).unwrap_or(""), path.get(i + 1..).unwrap_or("")),
        None => ("", path.as_str()),
    };
    let stem = match file.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => file,
    };
    let id = format!("{dir}{stem}");
    if id.is_empty() {
        "document".to_string()
    } else {
        id
    }
}

fn source_path(input: &Input) -> String {
    if input.rel_path.is_empty() {
        input.path.to_string_lossy().replace('\\', "/")
    } else {
        input.rel_path.to_string()
    }
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => cut.get(..i).unwrap_or(&cut).trim_end().to_string(),
        _ => cut,
    }
}

/// English when common English function words make up a fair share of the words.
fn english(text: &str) -> bool {
    const WORDS: &[&str] =
        &["the", "of", "and", "to", "in", "is", "that", "for", "with", "not", "was", "be", "on", "have", "by", "this"];
    let (mut total, mut hits) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        total += 1;
        if WORDS.iter().any(|e| e.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    total >= 5 && hits * 100 >= total * 12
}
