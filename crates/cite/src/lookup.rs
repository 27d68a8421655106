//! Reading a pasted citation (issue 17's citation lookup): what it names, before anything is
//! looked up. A FRUS citation names a volume and a document or a page ("FRUS, 1955–57, vol.
//! XXIII, pt. 1, doc. 52"; "Foreign Relations of the United States, 1955–1957, Volume XXIII,
//! Part 1, Japan, p. 122"), a history.state.gov or Wilson Center address or "Wilson Center
//! Digital Archive 300264" names a document; anything else (an archival reference, a decimal
//! file number, a telegram) is text to be found.

use regex::Regex;
use std::sync::OnceLock;

/// What a citation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cited {
    /// A document by its id in this archive.
    Id(String),
    /// A FRUS volume (its collection id, `frus1955-57v23p1`) and a document number or a page.
    Frus { volume: String, document: Option<String>, page: Option<String> },
    /// Text to find: what kind of reference it looks like, and the text.
    Text { kind: TextKind, text: String },
}

/// The kind of reference a text citation looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// "RGANI, f. 52, op. 1, d. 598"
    ArchivalReference,
    /// "661.9429/9–1855"
    FileNumber,
    /// "Tokyo telegram 773, September 22, 1955"
    Telegram,
    Other,
}

/// A pattern of this file, compiled once (they are constants, tested below; one that failed
/// to compile would match nothing).
fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn caps<'t>(cell: &'static OnceLock<Option<Regex>>, pattern: &str, text: &'t str) -> Option<regex::Captures<'t>> {
    re(cell, pattern).and_then(|r| r.captures(text))
}

fn is_match(cell: &'static OnceLock<Option<Regex>>, pattern: &str, text: &str) -> bool {
    re(cell, pattern).is_some_and(|r| r.is_match(text))
}

/// What `citation` names.
pub fn parse(citation: &str) -> Cited {
    static HSG: OnceLock<Option<Regex>> = OnceLock::new();
    static WILSON_URL: OnceLock<Option<Regex>> = OnceLock::new();
    static WILSON: OnceLock<Option<Regex>> = OnceLock::new();
    static FRUS: OnceLock<Option<Regex>> = OnceLock::new();
    static DOC: OnceLock<Option<Regex>> = OnceLock::new();
    static PAGE: OnceLock<Option<Regex>> = OnceLock::new();
    static ARCHIVAL: OnceLock<Option<Regex>> = OnceLock::new();
    static FILE: OnceLock<Option<Regex>> = OnceLock::new();
    static TELEGRAM: OnceLock<Option<Regex>> = OnceLock::new();
    let text = citation.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = caps(&HSG, r"historicaldocuments/(frus[0-9a-z-]+)/(d[0-9]+)", &text) {
        return Cited::Id(format!("{}/{}", &c[1], &c[2]));
    }
    if let Some(c) = caps(&WILSON_URL, r"digitalarchive\.wilsoncenter\.org/document/([0-9]+)", &text) {
        return Cited::Id(format!("wilson-center/{}", &c[1]));
    }
    if let Some(c) = caps(&WILSON, r"(?i)Wilson Center Digital Archive,?\s*(?:no\.\s*|#\s*)?([0-9]{3,})", &text) {
        return Cited::Id(format!("wilson-center/{}", &c[1]));
    }
    let frus = caps(
        &FRUS,
        r"(?i)(?:FRUS|Foreign Relations of the United States),?\s*([0-9]{4})(?:\s*[–—-]\s*([0-9]{2,4}))?,\s*(?:vol\.?|volume)\s*([IVXLCDM]+|[0-9]+)(?:,?\s*(?:pt\.?|part)\s*([0-9]+|[IVX]+))?",
        &text,
    );
    if let Some(c) = frus {
        let from = &c[1];
        let to = c.get(2).map(|m| m.as_str()).map(|t| if t.len() == 4 { t[2..].to_string() } else { t.to_string() });
        let vol = c[3].parse::<u32>().ok().or_else(|| chancery_model::text::roman(&c[3]));
        let part =
            c.get(4).and_then(|m| m.as_str().parse::<u32>().ok().or_else(|| chancery_model::text::roman(m.as_str())));
        if let Some(vol) = vol {
            let mut volume = format!("frus{from}");
            if let Some(t) = to {
                volume.push_str(&format!("-{t}"));
            }
            volume.push_str(&format!("v{vol:02}"));
            if let Some(p) = part {
                volume.push_str(&format!("p{p}"));
            }
            let rest = &text[c.get(0).map_or(0, |m| m.end())..];
            let document = caps(&DOC, r"(?i)\b(?:doc\.?|document)\s*([0-9]+)", rest).map(|d| d[1].to_string());
            let page = caps(&PAGE, r"(?i)\bpp?\.\s*([0-9]+)", rest).map(|p| p[1].to_string());
            return Cited::Frus { volume, document, page };
        }
    }
    let kind = if is_match(&ARCHIVAL, r"(?i)\bf\.\s*[0-9]+,\s*op\.\s*[0-9]+", &text) {
        TextKind::ArchivalReference
    } else if is_match(&FILE, r"\b[0-9]{3}\.[0-9]{2,}[A-Z0-9]*/[0-9]", &text) {
        TextKind::FileNumber
    } else if is_match(&TELEGRAM, r"(?i)\btelegram\s+(?:no\.\s*)?[0-9]+", &text) {
        TextKind::Telegram
    } else {
        TextKind::Other
    };
    Cited::Text { kind, text }
}

/// The citations of a pasted footnote apparatus or bibliography. When its first line starts
/// with a note number ("1.", "2)", "[3]", or a number and a space), each note is one citation:
/// a line that starts with a number begins the next note, other lines continue the note
/// before them, and the number is dropped. Otherwise each line is one citation. Blank lines
/// are skipped.
pub fn split_citations(text: &str) -> Vec<String> {
    static NOTE: OnceLock<Option<Regex>> = OnceLock::new();
    let marker = |line: &str| -> Option<usize> {
        caps(&NOTE, r"^\s*(?:\[[0-9]{1,3}\]\s*|[0-9]{1,3}[.)]\s+|[0-9]{1,3}\s+[^\s0-9])", line).map(|c| {
            let m = c.get(0).map_or(0, |m| m.end());
            // a number and a space: the marker ends before the first letter it matched
            if line[..m].trim_end().ends_with(|ch: char| ch.is_ascii_digit() || ch == ']' || ch == '.' || ch == ')') {
                m
            } else {
                line[..m].char_indices().last().map_or(m, |(i, _)| i)
            }
        })
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(first) = lines.first() else { return Vec::new() };
    if marker(first).is_none() {
        return lines.iter().map(|l| l.trim().to_string()).collect();
    }
    let mut notes: Vec<String> = Vec::new();
    for line in lines {
        match marker(line) {
            Some(end) => notes.push(line[end..].trim().to_string()),
            None => {
                if let Some(last) = notes.last_mut() {
                    last.push(' ');
                    last.push_str(line.trim());
                }
            }
        }
    }
    notes.retain(|n| !n.is_empty());
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apparatus_is_split_into_its_notes() {
        let notes = "1. FRUS, 1955–57, vol. XXIII, pt. 1,\n   doc. 52.\n\n2) Wilson Center Digital Archive 300264\n[3] RGANI, f. 52, op. 1, d. 598\n4 Tokyo telegram 773, September 22, 1955\n";
        assert_eq!(
            split_citations(notes),
            [
                "FRUS, 1955–57, vol. XXIII, pt. 1, doc. 52.",
                "Wilson Center Digital Archive 300264",
                "RGANI, f. 52, op. 1, d. 598",
                "Tokyo telegram 773, September 22, 1955"
            ]
        );
        // without note numbers: one a line; a file number is not a note number
        assert_eq!(
            split_citations("661.9429/9–1855\n\nWilson Center Digital Archive 300264\n"),
            ["661.9429/9–1855", "Wilson Center Digital Archive 300264"]
        );
        assert!(split_citations(" \n").is_empty());
    }

    #[test]
    fn the_issues_citations_are_read() {
        let frus = |volume: &str, document: Option<&str>, page: Option<&str>| Cited::Frus {
            volume: volume.into(),
            document: document.map(Into::into),
            page: page.map(Into::into),
        };
        assert_eq!(parse("FRUS, 1955–57, vol. XXIII, pt. 1, doc. 52"), frus("frus1955-57v23p1", Some("52"), None));
        assert_eq!(
            parse("Foreign Relations of the United States, 1955–1957, Volume XXIII, Part 1, Japan, p. 122"),
            frus("frus1955-57v23p1", None, Some("122"))
        );
        assert_eq!(parse("FRUS 1946, vol. VI, doc. 475"), frus("frus1946v06", Some("475"), None));
        assert_eq!(
            parse("https://history.state.gov/historicaldocuments/frus1955-57v23p1/d52"),
            Cited::Id("frus1955-57v23p1/d52".into())
        );
        assert_eq!(
            parse("https://digitalarchive.wilsoncenter.org/document/300264"),
            Cited::Id("wilson-center/300264".into())
        );
        assert_eq!(parse("Wilson Center Digital Archive 300264"), Cited::Id("wilson-center/300264".into()));
        assert!(matches!(parse("RGANI, f. 52, op. 1, d. 598"), Cited::Text { kind: TextKind::ArchivalReference, .. }));
        assert!(matches!(parse("661.9429/9–1855"), Cited::Text { kind: TextKind::FileNumber, .. }));
        assert!(matches!(
            parse("Tokyo telegram 773, September 22, 1955"),
            Cited::Text { kind: TextKind::Telegram, .. }
        ));
        assert!(matches!(parse("a letter of no kind"), Cited::Text { kind: TextKind::Other, .. }));
        use chancery_model::text::roman;
        assert_eq!(roman("XXIII"), Some(23));
        assert_eq!(roman("IV"), Some(4));
        assert_eq!(roman("ABC"), None);
    }
}
