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
pub fn read_with(readers: &[Box<dyn Reader>], input: &Input) -> Result<Vec<Document>, ReadError> {
    if input.bytes.is_empty() {
        return Err(ReadError::UnknownFormat("empty file (0 bytes)".into()));
    }
    match readers.iter().find(|r| r.sniff(input)) {
        Some(r) => r.read(input),
        None => Err(ReadError::UnknownFormat(describe_unknown(input.bytes))),
    }
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
