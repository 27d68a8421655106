//! Shared XML parsing for the TEI readers: one place that refuses DTDs (and so entity
//! expansion and external entities), honours the declared encoding, and turns parser errors
//! into positioned [`ReadError`]s.

use crate::ReadError;
use std::borrow::Cow;

/// Decode XML bytes to text: UTF-8 by default, or the encoding the XML declaration names
/// (e.g. ISO-8859-1, windows-1252), via `encoding_rs`. A declaration naming UTF-16 or UTF-32
/// on bytes that read as ASCII is the declaration of a file [`crate::read_with`] has already
/// transcoded from its byte order mark (a real UTF-16 file cannot start with ASCII `<?xml`).
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(label) = declared_encoding(bytes) {
        let lower = label.to_ascii_lowercase();
        let utf16_or_32 = lower.starts_with("utf-16") || lower.starts_with("utf-32") || lower.starts_with("ucs");
        if !utf16_or_32 {
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
    }
    crate::utf8(bytes).map(Cow::Borrowed)
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start of the bytes.
/// Works on bytes: a malformed declaration (a typographic quote, a label that never ends)
/// names no encoding, and the parser then reports the declaration with its position.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = bytes.get(..bytes.len().min(200))?;
    let decl = head.strip_prefix(b"<?xml")?;
    let decl = decl.get(..find(decl, b"?>")?)?;
    let at = find(decl, b"encoding")?;
    let rest = decl.get(at + b"encoding".len()..)?.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let label = rest.get(..rest.iter().position(|&b| b == quote)?)?;
    std::str::from_utf8(label).ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The message of a refused document type declaration.
pub const DTD_REFUSED: &str =
    "DTDs are refused: a document type declaration (<!DOCTYPE …>) is not allowed (no entity expansion, no external entities)";

/// The byte offset of a `<!DOCTYPE` in the prolog of XML-looking bytes (after an optional
/// byte order mark, the XML declaration, comments, processing instructions and whitespace).
pub fn doctype_in_prolog(bytes: &[u8]) -> Option<usize> {
    let mut pos = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    loop {
        let rest = bytes.get(pos..)?;
        let ws = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        pos += ws;
        let rest = bytes.get(pos..)?;
        let skip_to =
            |open: &[u8], close: &[u8]| Some(open.len() + find(rest.get(open.len()..)?, close)? + close.len());
        if rest.starts_with(b"<?") {
            pos += skip_to(b"<?", b"?>")?;
        } else if rest.starts_with(b"<!--") {
            pos += skip_to(b"<!--", b"-->")?;
        } else if rest.len() >= 9 && rest.get(..9)?.eq_ignore_ascii_case(b"<!DOCTYPE") {
            return Some(pos);
        } else {
            return None;
        }
    }
}

/// How deep elements may nest. Deeper input is refused before the tree is built: the readers
/// walk the tree recursively, and the deepest real TEI in the shared corpus nests 15 deep.
pub const MAX_DEPTH: usize = 256;
/// Attributes one element may carry (the parser checks each against all the element's
/// others, so the cost grows with the square of this; real TEI has a handful).
pub const MAX_ATTRIBUTES: usize = 64;
/// Namespace declarations in scope at once (each element that declares one copies those of
/// its parent in the parser).
pub const MAX_NAMESPACES: usize = 64;

/// Parse XML text. DTDs are refused outright (no entity expansion, no external entities);
/// input beyond [`MAX_DEPTH`], [`MAX_ATTRIBUTES`] or [`MAX_NAMESPACES`] is refused with its
/// position, so every shape of input parses in time linear in its size.
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, ReadError> {
    if let Some(at) = doctype_in_prolog(text.as_bytes()) {
        let (line, column) = crate::line_col(text.as_bytes(), at);
        return Err(ReadError::Syntax { line, column, message: DTD_REFUSED.into() });
    }
    check_limits(text)?;
    let opts = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let pos = e.pos();
        match &e {
            roxmltree::Error::DtdDetected => {
                let at = text.find("<!DOCTYPE").unwrap_or(0);
                let (line, column) = crate::line_col(text.as_bytes(), at);
                ReadError::Syntax { line, column, message: DTD_REFUSED.into() }
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

/// One linear pass of a streaming tokenizer (quick-xml) over the text, refusing what would
/// make the tree builder (roxmltree) or the readers' walks superlinear or deeply recursive:
/// nesting deeper than [`MAX_DEPTH`], an element with more than [`MAX_ATTRIBUTES`]
/// attributes, more than [`MAX_NAMESPACES`] namespace declarations in scope. Where the
/// tokenizer finds the text malformed it stops and leaves the message to roxmltree, which
/// fails at the same place or earlier (quick-xml is the more lenient of the two).
fn check_limits(text: &str) -> Result<(), ReadError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    // Declarations in scope, per open element (a stack of counts).
    let mut open: Vec<usize> = Vec::new();
    let mut in_scope = 0usize;
    let refuse = |at: u64, message: String| {
        let (line, column) = crate::line_col(text.as_bytes(), usize::try_from(at).unwrap_or(usize::MAX));
        Err(ReadError::Syntax { line, column, message })
    };
    loop {
        let start = reader.buffer_position();
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                in_scope -= open.pop().unwrap_or(0);
                continue;
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => continue,
        };
        let (mut attributes, mut declared) = (0usize, 0usize);
        for a in e.attributes().with_checks(false) {
            let Ok(a) = a else { break };
            attributes += 1;
            let key = a.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                declared += 1;
            }
        }
        if attributes > MAX_ATTRIBUTES {
            return refuse(start, format!("an element with {attributes} attributes (the limit is {MAX_ATTRIBUTES})"));
        }
        if in_scope + declared > MAX_NAMESPACES {
            return refuse(
                start,
                format!("more than {MAX_NAMESPACES} namespace declarations in scope (the limit is {MAX_NAMESPACES})"),
            );
        }
        if !empty {
            if open.len() >= MAX_DEPTH {
                return refuse(start, format!("elements nested more than {MAX_DEPTH} deep (the limit is {MAX_DEPTH})"));
            }
            open.push(declared);
            in_scope += declared;
        }
    }
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
