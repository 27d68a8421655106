//! Readers: one file per source format, each behind the [`Reader`] trait.
//!
//! A reader turns the bytes of one file into [`Document`]s of the one model, keeping the
//! source's wording. Readers never touch the store, the index or the network, and never
//! panic on input: every failure is a [`ReadError`] with a position where one is known.
//! Adding a format means adding a file here and one line in [`readers`]; no other reader
//! changes. Format is recognized from content ([`Reader::sniff`]), not from the extension.

pub mod frus_tei;
pub mod plain_text;
pub mod tei_letter;
pub mod wilson_center;
pub mod xml;

use std::path::Path;

pub use chancery_model::Document;

/// One input file.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Path as given on the command line (for messages).
    pub path: &'a Path,
    /// Path relative to the ingest root, `/`-separated; used for ids when the source has
    /// none of its own.
    pub rel_path: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Malformed input at a known position (1-based line and column).
    #[error("line {line}, column {column}: {message}")]
    Syntax { line: u32, column: u32, message: String },
    /// Bytes that are not text in the declared or expected encoding.
    #[error("{0}")]
    Encoding(String),
    /// Well-formed input that is not what the format requires.
    #[error("{0}")]
    Invalid(String),
    /// Well-formed input that is not a source document: a schema (TEI ODD, RELAX NG), an
    /// edition's index or guidelines. The ingest reports the file as passed over, not failed.
    #[error("not a source document: {0}")]
    NotADocument(String),
    /// No reader recognizes the content.
    #[error("unrecognized format: {0}")]
    UnknownFormat(String),
}

pub trait Reader: Send + Sync {
    /// Stable name, stored in `Document::source.format` ("frus-tei").
    fn name(&self) -> &'static str;
    /// True when the content is in this reader's format. Must be cheap (look at a prefix)
    /// and must not panic.
    fn sniff(&self, input: &Input) -> bool;
    /// Read every document in the input. Documents come back finalized
    /// ([`Document::finalize`]) with `source` set.
    fn read(&self, input: &Input) -> Result<Vec<Document>, ReadError>;
}

/// All readers, most specific first: the first whose `sniff` accepts an input reads it.
pub fn readers() -> Vec<Box<dyn Reader>> {
    vec![
        Box::new(frus_tei::FrusTei),
        Box::new(tei_letter::TeiLetter),
        Box::new(wilson_center::WilsonCenterJson),
        Box::new(wilson_center::WilsonCenterText),
        Box::new(plain_text::PlainText),
    ]
}

/// Recognize the input's format and read it.
pub fn read(input: &Input) -> Result<Vec<Document>, ReadError> {
    read_with(&readers(), input)
}

/// Like [`read`] with a prepared reader list (avoids rebuilding it per file).
///
/// Text in UTF-16 or UTF-32 with a byte order mark is transcoded to UTF-8 once, here, so
/// that every reader sees UTF-8. A document type declaration in an XML prolog is refused
/// here, before any reader is asked, so a DTD is reported as such whatever the root.
pub fn read_with(readers: &[Box<dyn Reader>], input: &Input) -> Result<Vec<Document>, ReadError> {
    if input.bytes.is_empty() {
        return Err(ReadError::UnknownFormat("empty file (0 bytes)".into()));
    }
    let transcoded = transcode_bom(input.bytes)?;
    let input = match &transcoded {
        Some(utf8) => &Input { bytes: utf8.as_bytes(), ..*input },
        None => input,
    };
    if let Some(at) = xml::doctype_in_prolog(input.bytes) {
        let (line, column) = line_col(input.bytes, at);
        return Err(ReadError::Syntax { line, column, message: xml::DTD_REFUSED.into() });
    }
    let docs = match readers.iter().find(|r| r.sniff(input)) {
        Some(r) => r.read(input)?,
        None => {
            // well-formed-looking XML of a vocabulary no reader knows (an edition's sigla table):
            // not a source document, passed over rather than failed
            let head = head(input, 4096);
            if let Some((root, _)) = xml::root_element(&head) {
                return Err(ReadError::NotADocument(format!("XML whose root element is <{root}>, not TEI")));
            }
            return Err(ReadError::UnknownFormat(describe_unknown(input.bytes)));
        }
    };
    for (i, d) in docs.iter().enumerate() {
        check_id(&d.id).map_err(|why| {
            ReadError::Invalid(format!("document {} of {} has an unusable id ({why})", i + 1, docs.len()))
        })?;
    }
    Ok(docs)
}

/// The longest id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;

/// An id must be usable in a URL, a citation and a command line: not empty, at most
/// [`MAX_ID_BYTES`], no control or invisible formatting characters (bidirectional overrides,
/// zero-width spaces), and no blank `/`-separated part at either end or of spaces alone
/// (`frus1955-57v23p1/` is the id of a document whose own id was empty; a URL's `//` is fine). The error says why, with the start of the id.
pub fn check_id(id: &str) -> Result<(), String> {
    let shown = || {
        let start: String = id.chars().take(40).flat_map(char::escape_debug).collect();
        if id.chars().count() > 40 {
            format!("\"{start}…\"")
        } else {
            format!("\"{start}\"")
        }
    };
    if id.trim().is_empty() {
        return Err("the id is empty".into());
    }
    if id.len() > MAX_ID_BYTES {
        return Err(format!("the id {} is {} bytes long; the limit is {MAX_ID_BYTES}", shown(), id.len()));
    }
    if id.chars().any(|c| c.is_control() || invisible(c)) {
        return Err(format!("the id {} holds a control or invisible character", shown()));
    }
    // A URL id keeps its "//"; what is refused is a blank first or last part (an id built
    // from an empty one: `frus1955-57v23p1/`) or a part of spaces alone.
    let blank = |part: &str| part.trim().is_empty();
    let parts = || id.split('/');
    if parts().next().is_some_and(blank)
        || parts().next_back().is_some_and(blank)
        || parts().any(|p| !p.is_empty() && blank(p))
    {
        return Err(format!("the id {} has an empty part", shown()));
    }
    Ok(())
}

/// Formatting characters that print as nothing (or reorder what follows).
fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// UTF-16 (LE/BE) or UTF-32 (LE/BE) text with a byte order mark, as UTF-8 without the mark;
/// `None` for anything else (UTF-8, with or without its mark, stays as it is). Malformed
/// code units are an error naming their byte offset.
pub fn transcode_bom(bytes: &[u8]) -> Result<Option<String>, ReadError> {
    // UTF-32LE's mark starts with UTF-16LE's: test it first.
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\x00\x00") {
        return utf32(rest, u32::from_le_bytes, "UTF-32LE").map(Some);
    }
    if let Some(rest) = bytes.strip_prefix(b"\x00\x00\xFE\xFF") {
        return utf32(rest, u32::from_be_bytes, "UTF-32BE").map(Some);
    }
    let (rest, enc, from) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (rest, encoding_rs::UTF_16LE, u16::from_le_bytes as fn([u8; 2]) -> u16)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (rest, encoding_rs::UTF_16BE, u16::from_be_bytes as fn([u8; 2]) -> u16)
    } else {
        return Ok(None);
    };
    if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(rest) {
        return Ok(Some(text.into_owned()));
    }
    // Find the first bad code unit for the message (offsets count the mark too).
    let units = rest.chunks_exact(2).map(|c| from([c[0], c[1]]));
    let mut at = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => at += 2 * c.len_utf16(),
            Err(_) => {
                return Err(ReadError::Encoding(format!("invalid {} at byte {at} (unpaired surrogate)", enc.name())))
            }
        }
    }
    Err(ReadError::Encoding(format!("invalid {} at byte {at} (the text ends inside a character)", enc.name())))
}

fn utf32(rest: &[u8], from: fn([u8; 4]) -> u32, name: &str) -> Result<String, ReadError> {
    let mut out = String::with_capacity(rest.len() / 4);
    for (i, c) in rest.chunks(4).enumerate() {
        let at = 4 + i * 4;
        let [a, b, c, d] = *c else {
            return Err(ReadError::Encoding(format!("invalid {name} at byte {at} (the text ends inside a character)")));
        };
        let ch = char::from_u32(from([a, b, c, d]))
            .ok_or_else(|| ReadError::Encoding(format!("invalid {name} at byte {at} (not a Unicode scalar value)")))?;
        out.push(ch);
    }
    Ok(out)
}

fn describe_unknown(bytes: &[u8]) -> String {
    if let Err(e) = std::str::from_utf8(bytes) {
        let (line, column) = line_col(bytes, e.valid_up_to());
        format!(
            "not a recognized text format (invalid UTF-8 at line {line}, column {column}, byte {})",
            e.valid_up_to()
        )
    } else {
        "text is not FRUS TEI, TEI, a Wilson Center record or a transcription".into()
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(bytes: &[u8], offset: usize) -> (u32, u32) {
    let upto = &bytes[..offset.min(bytes.len())];
    let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line as u32, col as u32)
}

/// Decode input as UTF-8 (a leading BOM is dropped), with the failing position on error.
pub fn utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        ReadError::Encoding(format!("invalid UTF-8 at line {line}, column {column} (byte {})", e.valid_up_to()))
    })
}

/// The first `n` bytes of the input as lossy text, for sniffing.
pub fn head(input: &Input, n: usize) -> String {
    String::from_utf8_lossy(&input.bytes[..input.bytes.len().min(n)]).into_owned()
}
