//! Shared XML parsing for the TEI readers: one place that refuses DTDs (and so entity
//! expansion and external entities), honours the declared encoding, and turns parser errors
//! into positioned [`ReadError`]s.

use crate::ReadError;
use std::borrow::Cow;

/// Decode XML bytes to text: UTF-8 by default, or the encoding the XML declaration names
/// (e.g. ISO-8859-1, windows-1252), via `encoding_rs`.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(label) = declared_encoding(bytes) {
        let enc = encoding_rs::Encoding::for_label(label.as_bytes())
            .ok_or_else(|| ReadError::Encoding(format!("unknown encoding {label:?} in XML declaration")))?;
        if enc != encoding_rs::UTF_8 {
            let (text, _, had_errors) = enc.decode(bytes);
            if had_errors {
                return Err(ReadError::Encoding(format!("bytes invalid in declared encoding {label}")));
            }
            return Ok(text);
        }
    }
    crate::utf8(bytes).map(Cow::Borrowed)
}

fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    // Only ASCII quotes delimit the label (a typographic quote is no XML: the parser reports it).
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].to_string())
}

/// Parse XML text. DTDs are refused outright (no entity expansion, no external entities).
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, ReadError> {
    let opts = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let pos = e.pos();
        match &e {
            roxmltree::Error::DtdDetected => {
                let at = text.find("<!DOCTYPE").unwrap_or(0);
                let (line, column) = crate::line_col(text.as_bytes(), at);
                let message = "DTDs are refused (entity expansion and external entities are not allowed)".to_string();
                ReadError::Syntax { line, column, message }
            }
            // roxmltree reports a document that ends early at 1:1; the place it went wrong
            // is the end of the text.
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => {
                let line = text.split('\n').count() as u32;
                let column = text.rsplit('\n').next().map_or(1, |l| l.chars().count() as u32 + 1);
                ReadError::Syntax { line, column, message: format!("{e} (input ends here)") }
            }
            _ => ReadError::Syntax { line: pos.row, column: pos.col, message: e.to_string() },
        }
    })
}

/// The local name and namespace of the root element, found by a cheap scan of the prefix
/// (skipping the declaration, comments and processing instructions).
pub fn root_element(prefix: &str) -> Option<(String, String)> {
    let mut s = prefix;
    loop {
        s = s.trim_start_matches('\u{feff}').trim_start();
        if let Some(rest) = s.strip_prefix("<?") {
            s = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = s.strip_prefix("<!--") {
            s = &rest[rest.find("-->")? + 3..];
        } else if s.starts_with("<!") {
            // DOCTYPE: still report the root so the reader can refuse it with a position
            let rest = &s[2..];
            s = &rest[rest.find('>')? + 1..];
        } else {
            break;
        }
    }
    let rest = s.strip_prefix('<')?;
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let qname = &rest[..end];
    let local = qname.rsplit(':').next()?.to_string();
    let tag_end = rest.find('>').unwrap_or(rest.len());
    let attrs = &rest[..tag_end];
    let ns = attrs.find("xmlns=\"").and_then(|i| attrs[i + 7..].split('"').next()).unwrap_or("").to_string();
    Some((local, ns))
}

pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";
pub const FRUS_NS: &str = "http://history.state.gov/frus/ns/1.0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_after_comment() {
        let s = "<?xml version=\"1.0\"?>\n<!-- c -->\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"x\">";
        assert_eq!(root_element(s), Some(("TEI".into(), TEI_NS.into())));
    }

    #[test]
    fn dtd_refused_with_position() {
        let s = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<lolz>&lol;</lolz>";
        match parse(s) {
            Err(ReadError::Syntax { line, message, .. }) => {
                assert_eq!(line, 2);
                assert!(message.contains("DTD"), "{message}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn declared_latin1_is_decoded() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><p>caf\xe9</p>";
        assert!(decode(bytes).unwrap().contains("café"));
        let bad = b"<?xml version=\"1.0\"?><p>caf\xe9</p>";
        assert!(matches!(decode(bad), Err(ReadError::Encoding(_))));
    }
}
