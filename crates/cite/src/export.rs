//! A document as text to take away (issue 17): Markdown and plain text with its citation, TEI
//! (for a document read from TEI, the source's own element, byte for byte; for others a TEI
//! file made from the stored text and notes), and one JSON line.
//!
//! The TEI export does not parse the document again: it finds the element in the source file
//! (the FRUS `div` whose `xml:id` ends the document's id, or the whole file of a one-letter
//! edition) and copies the source's bytes, inside a `TEI` root that declares the source root's
//! namespaces, so that the text and notes are the source's.

use chancery_model::Document;

use crate::csl::{render, Style};
use crate::record::Record;

/// The Chicago full note of a document (plain text), or its title when no note can be made.
fn note(doc: &Document, page: &str) -> String {
    render(&Record::of(doc), Some(page), Style::ChicagoNote).map(|c| c.text).unwrap_or_else(|_| doc.title.clone())
}

/// The lines of metadata both text exports give: (label, value).
fn facts(doc: &Document) -> Vec<(&'static str, String)> {
    let mut f = Vec::new();
    if let Some(c) = &doc.collection {
        f.push(("Collection", c.title.clone()));
    }
    if let Some(n) = &doc.number {
        f.push(("Number", n.clone()));
    }
    if let Some(d) = &doc.date {
        f.push(("Date", d.text.clone()));
    }
    if let Some(p) = &doc.place {
        f.push(("Place", p.clone()));
    }
    for c in &doc.contributors {
        f.push(("Contributor", format!("{} ({})", c.name, c.role)));
    }
    if let Some(c) = &doc.classification {
        f.push(("Classification", c.clone()));
    }
    for r in &doc.archival_refs {
        f.push(("Archival reference", r.text.clone()));
    }
    if let Some(s) = &doc.source_note {
        f.push(("Source", s.clone()));
    }
    if let Some(l) = &doc.language {
        f.push(("Language", l.clone()));
    }
    f
}

/// Markdown that renders as the words: characters Markdown would read as markup escaped.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A paragraph of Markdown: escaped, and not read as a list, heading or quote by its start.
fn md_paragraph(s: &str) -> String {
    let e = md_escape(s.trim());
    let starts_block =
        e.starts_with(['-', '+', '=']) || e.split_once(". ").is_some_and(|(n, _)| n.parse::<u32>().is_ok());
    if starts_block {
        format!("\\{e}")
    } else {
        e
    }
}

/// The document as Markdown: title, metadata, summary, text (paragraphs as the stored text
/// has them), notes as footnote definitions, and how to cite it (Chicago full note, the
/// page's URL).
pub fn markdown(doc: &Document, page: &str) -> String {
    let mut out = format!("# {}\n\n", md_escape(doc.title.trim()));
    for (k, v) in facts(doc) {
        out.push_str(&format!("- **{k}:** {}\n", md_escape(&v)));
    }
    out.push_str(&format!("- **Reading room:** <{page}>\n\n"));
    if let Some(s) = doc.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str(&format!("> {}\n\n", md_escape(s.trim())));
    }
    for para in doc.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(&md_paragraph(&para.split_whitespace().collect::<Vec<_>>().join(" ")));
        out.push_str("\n\n");
    }
    if !doc.notes.is_empty() {
        out.push_str("## Notes\n\n");
        for n in &doc.notes {
            let label: String = n.n.chars().filter(|c| c.is_alphanumeric()).collect();
            let label = if label.is_empty() { "note".to_string() } else { label };
            out.push_str(&format!(
                "[^{label}]: {}\n\n",
                md_escape(&n.text.split_whitespace().collect::<Vec<_>>().join(" "))
            ));
        }
    }
    out.push_str("## Cite as\n\n");
    out.push_str(&md_escape(&note(doc, page)));
    out.push('\n');
    out
}

/// The document as plain text: title, metadata, text, notes, and how to cite it.
pub fn plain_text(doc: &Document, page: &str) -> String {
    let title = doc.title.trim();
    let mut out = format!("{title}\n{}\n\n", "=".repeat(title.chars().count().clamp(3, 78)));
    for (k, v) in facts(doc) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push_str(&format!("Reading room: {page}\n\n"));
    if let Some(s) = doc.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str(&format!("Summary: {}\n\n", s.trim()));
    }
    out.push_str(doc.text.trim());
    out.push_str("\n\n");
    if !doc.notes.is_empty() {
        out.push_str("Notes\n-----\n\n");
        for n in &doc.notes {
            out.push_str(&format!("[{}] {}\n\n", n.n, n.text.trim()));
        }
    }
    out.push_str(&format!("Cite as\n-------\n\n{}\n", note(doc, page)));
    out
}

/// Why the source's TEI could not be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeiError {
    #[error("the source file is not well-formed XML: {0}")]
    NotXml(String),
    #[error("the source file has no element with xml:id {0:?}")]
    NoElement(String),
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// The `xml:id` a FRUS document's element carries: the last segment of its id, without the
/// `~2` an id clash adds (`frus1955-57v23p1/d52` → `d52`).
pub fn frus_element_id(doc_id: &str) -> &str {
    let last = doc_id.rsplit('/').next().unwrap_or(doc_id);
    last.split('~').next().unwrap_or(last)
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The source's TEI for a document. `source` is the text of the file the document was read
/// from. For a FRUS volume (`format` "frus-tei"): the `div` whose `xml:id` ends the document's
/// id, its bytes copied as they are, inside a `TEI` root with the source root's namespace
/// declarations and a header naming the document and where it was taken from. For any other
/// TEI source (a letter edition's file is one letter): the file as it is.
pub fn source_tei(source: &str, doc: &Document, page: &str) -> Result<String, TeiError> {
    let tree = roxmltree::Document::parse_with_options(
        source,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .map_err(|e| TeiError::NotXml(e.to_string()))?;
    if doc.source.format != "frus-tei" {
        return Ok(source.to_string());
    }
    let want = frus_element_id(&doc.id);
    let el = tree
        .descendants()
        .find(|n| n.is_element() && n.attribute((XML_NS, "id")) == Some(want))
        .ok_or_else(|| TeiError::NoElement(want.to_string()))?;
    let root = tree.root_element();
    let mut decls = String::new();
    let mut has_default = false;
    for ns in root.namespaces() {
        match ns.name() {
            Some(prefix) => decls.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape_xml(ns.uri()))),
            None => {
                has_default = true;
                decls.push_str(&format!(" xmlns=\"{}\"", escape_xml(ns.uri())));
            }
        }
    }
    if !has_default {
        decls.insert_str(0, &format!(" xmlns=\"{TEI_NS}\""));
    }
    let title = escape_xml(doc.title.trim());
    let from = escape_xml(&doc.source.path);
    let cite = escape_xml(&note(doc, page));
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <TEI{decls}>\n\
         <teiHeader>\n\
         <fileDesc>\n\
         <titleStmt><title>{title}</title></titleStmt>\n\
         <publicationStmt><p>Exported by Chancery from <ref target=\"{page}\">{page}</ref>.</p></publicationStmt>\n\
         <sourceDesc><p>The element with xml:id {want} of {from}, copied as it stands.</p><bibl>{cite}</bibl></sourceDesc>\n\
         </fileDesc>\n\
         </teiHeader>\n\
         <text>\n<body>\n{}\n</body>\n</text>\n\
         </TEI>\n",
        &source[el.range()],
        page = escape_xml(page),
    ))
}

/// A TEI file made from the stored document, for sources that are not TEI (Wilson Center
/// records, plain text): the header with the title, date, contributors and citation; the text
/// as paragraphs; the notes.
pub fn made_tei(doc: &Document, page: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"{TEI_NS}\">\n<teiHeader>\n<fileDesc>\n<titleStmt><title>{}</title></titleStmt>\n\
         <publicationStmt><p>Exported by Chancery from <ref target=\"{page}\">{page}</ref>.</p></publicationStmt>\n\
         <sourceDesc><bibl>{}</bibl>",
        escape_xml(doc.title.trim()),
        escape_xml(&note(doc, page)),
        page = escape_xml(page),
    );
    for r in &doc.archival_refs {
        out.push_str(&format!("<msDesc><msIdentifier><idno>{}</idno></msIdentifier></msDesc>", escape_xml(&r.text)));
    }
    out.push_str("</sourceDesc>\n</fileDesc>\n");
    if doc.date.is_some() || !doc.contributors.is_empty() {
        out.push_str("<profileDesc><correspDesc>");
        for c in &doc.contributors {
            let role = if c.role == "to" || c.role == "recipient" { "received" } else { "sent" };
            out.push_str(&format!(
                "<correspAction type=\"{role}\"><persName>{}</persName></correspAction>",
                escape_xml(&c.name)
            ));
        }
        if let Some(d) = &doc.date {
            out.push_str(&format!(
                "<correspAction type=\"sent\"><date from=\"{}\" to=\"{}\">{}</date></correspAction>",
                escape_xml(&d.from),
                escape_xml(&d.to),
                escape_xml(&d.text)
            ));
        }
        out.push_str("</correspDesc></profileDesc>\n");
    }
    out.push_str("</teiHeader>\n<text>\n<body>\n");
    for para in doc.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str(&format!("<p>{}</p>\n", escape_xml(para)));
    }
    for n in &doc.notes {
        out.push_str(&format!(
            "<note n=\"{}\" type=\"{}\">{}</note>\n",
            escape_xml(&n.n),
            escape_xml(&n.kind),
            escape_xml(n.text.trim())
        ));
    }
    out.push_str("</body>\n</text>\n</TEI>\n");
    out
}

/// One line of a JSON Lines export: the document as stored (the model's JSON), without its
/// derived mentions, with the reading room's URL and the Chicago note.
pub fn json_line(doc: &Document, page: &str) -> String {
    let mut v = serde_json::to_value(doc).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.remove("mentions");
        o.insert("page".into(), serde_json::Value::from(page));
        o.insert("citation".into(), serde_json::Value::from(note(doc, page)));
    }
    let mut line = serde_json::to_string(&v).unwrap_or_default();
    line.push('\n');
    line
}
