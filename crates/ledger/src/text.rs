//! Text handling for extraction: the passages ("units") of a document with their offsets,
//! the normalized text the rules run on, and its sentences, clauses and enumerated parts.
//!
//! Rules run on a *normalized* copy of a passage: editorial brackets removed ("H[abomai]" →
//! "Habomai") and typographic quotes made plain ("Japan’s" → "Japan's"). Every normalized
//! offset maps back to the original, so excerpts are always cut from the source's own text.

use std::ops::Range;

use chancery_model::{Block, BlockKind, Document};
use regex::Regex;
use std::sync::OnceLock;

/// A passage of a document the rules look at: a paragraph or list item of the body, or a
/// note.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The passage text as in the document (without the block's printed label).
    pub text: String,
    /// Character offset of `text` in `Document::text` (body) or in the note's text, when known.
    pub char_start: Option<usize>,
    pub block: Vec<usize>,
    pub label: Option<String>,
    pub note: Option<String>,
}

/// The units of a document in reading order: body paragraphs and items first, then the notes
/// (except the source note).
pub(crate) fn units(doc: &Document) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut cursor = Cursor::default();
    let mut path = Vec::new();
    walk(&doc.body, &doc.text, &mut cursor, &mut path, &mut out);
    for note in &doc.notes {
        if note.kind == "source" {
            continue;
        }
        let (text, char_start) = if note.text.is_empty() {
            (collapse(&chancery_model::inlines_text(&note.inlines)), None)
        } else {
            (note.text.clone(), Some(0))
        };
        if text.trim().is_empty() {
            continue;
        }
        out.push(Unit { text, char_start, block: Vec::new(), label: None, note: Some(note.n.clone()) });
    }
    out
}

/// How far into `Document::text` the blocks have been located: byte and character offsets.
#[derive(Default)]
struct Cursor {
    byte: usize,
    chars: usize,
}

fn walk(blocks: &[Block], doc_text: &str, cursor: &mut Cursor, path: &mut Vec<usize>, out: &mut Vec<Unit>) {
    for (i, b) in blocks.iter().enumerate() {
        path.push(i);
        match b.kind {
            BlockKind::PageBreak | BlockKind::Table | BlockKind::Row | BlockKind::Cell => {}
            _ => {
                if !b.inlines.is_empty() {
                    let label = b.label.as_deref().map(collapse).filter(|l| !l.is_empty());
                    let body = collapse(&chancery_model::inlines_text(&b.inlines));
                    let rendered = match &label {
                        Some(l) if !body.is_empty() => format!("{l} {body}"),
                        Some(l) => l.clone(),
                        None => body.clone(),
                    };
                    let prefix = rendered.len() - body.len();
                    let found = (!rendered.is_empty())
                        .then(|| {
                            doc_text.get(cursor.byte..).and_then(|rest| rest.find(&rendered)).map(|at| cursor.byte + at)
                        })
                        .flatten();
                    let char_start = found.map(|at| {
                        let start = cursor.chars + doc_text[cursor.byte..at + prefix].chars().count();
                        let end = at + rendered.len();
                        cursor.chars = start + doc_text[at + prefix..end].chars().count();
                        cursor.byte = end;
                        start
                    });
                    let eligible = matches!(
                        b.kind,
                        BlockKind::Paragraph | BlockKind::Item | BlockKind::Quote | BlockKind::Postscript
                    );
                    if eligible && !body.trim().is_empty() {
                        out.push(Unit {
                            text: body,
                            char_start,
                            block: path.clone(),
                            label: b.label.clone().filter(|l| !l.trim().is_empty()),
                            note: None,
                        });
                    }
                }
                walk(&b.children, doc_text, cursor, path, out);
            }
        }
        path.pop();
    }
}

/// Whitespace runs collapsed to one space, trimmed (as `Document::finalize` renders text).
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A normalized copy of a text with a map back to the original.
#[derive(Debug, Clone)]
pub(crate) struct Norm {
    pub s: String,
    /// For each byte offset of `s` (and `s.len()`): the original offset of the character there,
    /// placed before any editorial bracket removed just before it (for the start of a range).
    start_map: Vec<usize>,
    /// The same, placed after removed brackets (for the end of a range).
    end_map: Vec<usize>,
}

impl Norm {
    pub fn new(orig: &str) -> Norm {
        let mut s = String::with_capacity(orig.len());
        let mut start_map = Vec::with_capacity(orig.len() + 1);
        let mut end_map = Vec::with_capacity(orig.len() + 1);
        let mut dropped_from: Option<usize> = None;
        for (at, c) in orig.char_indices() {
            let r = match c {
                '[' | ']' => {
                    dropped_from.get_or_insert(at);
                    continue;
                }
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
                c => c,
            };
            let start = dropped_from.take().unwrap_or(at);
            for _ in 0..r.len_utf8() {
                start_map.push(start);
                end_map.push(at);
            }
            s.push(r);
        }
        start_map.push(dropped_from.unwrap_or(orig.len()));
        end_map.push(orig.len());
        Norm { s, start_map, end_map }
    }

    /// The original byte range of a normalized range.
    pub fn orig(&self, r: &Range<usize>) -> Range<usize> {
        let a = self.start_map.get(r.start).copied().unwrap_or(0);
        let b = self.end_map.get(r.end).copied().unwrap_or(a);
        a..b.max(a)
    }
}

/// Trim whitespace and the given characters from both ends of a range of `s`.
pub(crate) fn trim_range(s: &str, r: Range<usize>, extra: &[char]) -> Range<usize> {
    let Some(t) = s.get(r.clone()) else { return r.start..r.start };
    let lead = t.len() - t.trim_start_matches(|c: char| c.is_whitespace() || extra.contains(&c)).len();
    let t2 = &t[lead..];
    let kept = t2.trim_end_matches(|c: char| c.is_whitespace() || extra.contains(&c)).len();
    (r.start + lead)..(r.start + lead + kept)
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("built-in pattern"))
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "dr", "gen", "col", "st", "no", "nos", "vol", "pp", "p", "cf", "art", "sen", "amb", "comrade", "тов",
    "т", "тт", "г", "гг", "см", "ст",
];

/// Sentence ranges of `s` within `within` (byte offsets into `s`).
pub(crate) fn sentences(s: &str, within: Range<usize>) -> Vec<Range<usize>> {
    static END: OnceLock<Regex> = OnceLock::new();
    let end = re(&END, r#"[.!?]+["')\u{2019}\u{201D}]*\s+["'(\u{201C}\u{2018}]?[\p{Lu}\d]"#);
    let Some(text) = s.get(within.clone()) else { return Vec::new() };
    let mut out = Vec::new();
    let mut start = 0;
    for m in end.find_iter(text) {
        // the dot's word: an initial or a known abbreviation does not end a sentence
        let before = &text[..m.start()];
        let word: String =
            before.chars().rev().take_while(|c| c.is_alphanumeric()).collect::<Vec<_>>().into_iter().rev().collect();
        let lower = word.to_lowercase();
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) || ABBREVIATIONS.contains(&lower.as_str())
        {
            continue;
        }
        // the boundary is after the punctuation and closing quotes, before the whitespace
        let punct_end =
            m.start() + text[m.start()..m.end()].trim_end_matches(|c: char| !c.is_whitespace()).trim_end().len();
        if punct_end > start {
            out.push(within.start + start..within.start + punct_end);
        }
        start = punct_end;
    }
    if start < text.len() {
        out.push(within.start + start..within.end);
    }
    out.into_iter().map(|r| trim_range(s, r, &[])).filter(|r| !r.is_empty()).collect()
}

/// Clause starts inside a range: after ";" and ":", and at "that", ", while", "whereas",
/// "although", "but" (and their Russian counterparts), used to find the subject of a cue.
pub(crate) fn clause_starts(s: &str, within: Range<usize>) -> Vec<usize> {
    static B: OnceLock<Regex> = OnceLock::new();
    // Cyrillic words take their neighbours into the match instead of a Unicode `\b`, which would
    // keep the regex engine off its fast paths on non-ASCII text
    let b = re(
        &B,
        r"(?i)[;:]|(?-u:\b)(?:that|whereas|although|but)(?-u:\b)|,\s*while(?-u:\b)|(?:^|[^\w])(?:что|но|а\s+также)(?:[^\w]|$)",
    );
    let mut out = vec![within.start];
    if let Some(t) = s.get(within.clone()) {
        out.extend(b.find_iter(t).map(|m| within.start + m.end()));
    }
    out
}

/// Major clause starts (for narrowing an excerpt to one party's clause): ";", ":", ", while",
/// "whereas", "although", ", but".
pub(crate) fn major_clause_starts(s: &str, within: Range<usize>) -> Vec<usize> {
    static B: OnceLock<Regex> = OnceLock::new();
    let b = re(&B, r"(?i)[;:]|,\s*while(?-u:\b)|(?-u:\b)(?:whereas|although)(?-u:\b)|,\s*but(?-u:\b)");
    let mut out = vec![within.start];
    if let Some(t) = s.get(within.clone()) {
        out.extend(b.find_iter(t).map(|m| within.start + m.start()));
    }
    out
}

/// An enumerated part of a passage: "(a) …", or one clause of "the following: x; y; z".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The part's text range (after its marker).
    pub range: Range<usize>,
    pub label: Option<String>,
    pub clause: Option<usize>,
}

/// Split a passage into an introduction and enumerated parts: a run of markers "(a)", "(b)"…
/// (or "(1)", "(2)"…, "(i)", "(ii)"…) in order, at least two; otherwise, a list of at least two
/// clauses separated by ";" after a colon. `None` when the passage has no such structure.
pub(crate) fn parts(s: &str) -> Option<(Range<usize>, Vec<Part>)> {
    static M: OnceLock<Regex> = OnceLock::new();
    let m = re(&M, r"(?:^|[\s:;,\u{2014}])\(([a-z]|[ivx]{1,4}|\d{1,2})\)\s");
    let markers: Vec<(usize, usize, String)> = m
        .captures_iter(s)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.get(1)?;
            Some((label.start() - 1, whole.end(), label.as_str().to_string()))
        })
        .collect();
    for series in [letters(), romans(), digits()] {
        let mut chosen: Vec<&(usize, usize, String)> = Vec::new();
        for mk in &markers {
            let wanted = series.get(chosen.len());
            if wanted == Some(&mk.2) && chosen.last().is_none_or(|l| l.0 < mk.0) {
                chosen.push(mk);
            }
        }
        if chosen.len() >= 2 {
            let intro = 0..chosen[0].0;
            let mut out = Vec::new();
            for (i, mk) in chosen.iter().enumerate() {
                let end = chosen.get(i + 1).map_or(s.len(), |n| n.0);
                let r = trim_part(s, mk.1..end);
                out.push(Part { range: r, label: Some(format!("({})", mk.2)), clause: None });
            }
            return Some((intro, out));
        }
    }
    // "…the following: x; y; z"
    let colon = s.find(':')?;
    let rest = colon + 1..s.len();
    let pieces: Vec<Range<usize>> = split_keep(s, rest.clone(), ';');
    if pieces.len() < 2 {
        return None;
    }
    let out = pieces
        .into_iter()
        .enumerate()
        .map(|(i, r)| Part { range: trim_part(s, r), label: None, clause: Some(i + 1) })
        .filter(|p| !p.range.is_empty())
        .collect::<Vec<_>>();
    (out.len() >= 2).then_some((0..colon + 1, out))
}

fn letters() -> Vec<String> {
    ('a'..='z').map(|c| c.to_string()).collect()
}

fn romans() -> Vec<String> {
    ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"].iter().map(|s| s.to_string()).collect()
}

fn digits() -> Vec<String> {
    (1..=40).map(|n| n.to_string()).collect()
}

fn split_keep(s: &str, r: Range<usize>, sep: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for (i, c) in s[r.clone()].char_indices() {
        if c == sep {
            out.push(start..r.start + i);
            start = r.start + i + c.len_utf8();
        }
    }
    out.push(start..r.end);
    out
}

/// A part's range without surrounding whitespace, separators and a leading or trailing "and".
fn trim_part(s: &str, r: Range<usize>) -> Range<usize> {
    let mut r = trim_range(s, r, &[';', ',']);
    loop {
        let t = &s[r.clone()];
        if let Some(rest) = t.strip_prefix("and ") {
            r = trim_range(s, r.end - rest.len()..r.end, &[';', ',']);
        } else if t.ends_with(" and") {
            r = trim_range(s, r.start..r.end - 4, &[';', ',']);
        } else {
            return r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_maps_back_over_brackets_and_quotes() {
        let orig = "transfer of H[abomai] and S[hikotan] in Japan’s “view”";
        let n = Norm::new(orig);
        assert_eq!(n.s, "transfer of Habomai and Shikotan in Japan's \"view\"");
        let at = n.s.find("Habomai").unwrap();
        let r = n.orig(&(at..at + "Habomai".len()));
        assert_eq!(&orig[r], "H[abomai]");
        let at = n.s.find("Japan's").unwrap();
        assert_eq!(&orig[n.orig(&(at..at + "Japan's".len()))], "Japan’s");
        let all = n.orig(&(0..n.s.len()));
        assert_eq!(&orig[all], orig);
        let lead = Norm::new("[Here follows a summary.]");
        assert_eq!(&"[Here follows a summary.]"[lead.orig(&(0..lead.s.len()))], "[Here follows a summary.]");
    }

    #[test]
    fn sentences_skip_initials_and_abbreviations() {
        let s =
            "Comrade N.S. Khrushchev said so. The U.S. agreed. Then “Hope Japan will.” Believe it. Я спросил тов. Мао.";
        let got: Vec<&str> = sentences(s, 0..s.len()).into_iter().map(|r| &s[r]).collect();
        assert_eq!(
            got,
            [
                "Comrade N.S. Khrushchev said so.",
                "The U.S. agreed.",
                "Then “Hope Japan will.”",
                "Believe it.",
                "Я спросил тов. Мао."
            ]
        );
        let t = "the agreement signed.....with Hatoyama. Next";
        assert_eq!(sentences(t, 0..t.len()).len(), 2);
    }

    #[test]
    fn enumerations_and_clause_lists() {
        let s = "The issues are: (a) one thing, while another; (b) a second; and (c) the third.";
        let (intro, ps) = parts(s).unwrap();
        assert_eq!(&s[intro], "The issues are: ");
        let texts: Vec<&str> = ps.iter().map(|p| &s[p.range.clone()]).collect();
        assert_eq!(texts, ["one thing, while another", "a second", "the third."]);
        assert_eq!(ps[2].label.as_deref(), Some("(c)"));
        let l = "They agreed on the following: x will happen once signed; y will support z; w later.";
        let (_, ps) = parts(l).unwrap();
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[1].clause, Some(2));
        assert_eq!(&l[ps[1].range.clone()], "y will support z");
        assert!(parts("Advice on the Kuriles (point (a) above) was given.").is_none());
        assert!(parts("Article 2(c) and 3(b) apply.").is_none());
    }
}
