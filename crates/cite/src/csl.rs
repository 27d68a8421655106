//! CSL-JSON items and their rendering through a CSL processor (hayagriva): Chicago notes and
//! bibliography (full note, short note, bibliography entry), MLA and APA.
//!
//! What is rendered is the very CSL-JSON item Chancery hands out (`/doc/{id}/cite.json`), so
//! another CSL processor given the same item and style gives the same citation (tested against
//! citeproc-py with the Chicago style of the scholarly-clients kit).

use std::sync::OnceLock;

use hayagriva::archive::{locales, ArchivedStyle};
use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::{IndependentStyle, Locale, Style as CslStyle};
use hayagriva::{BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, ElemChildren};
use serde_json::{json, Map, Value};

use crate::record::{Kind, Name, Record, Ymd};

/// The styles a document page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Chicago notes and bibliography (17th ed., the CSL style Zotero and citeproc-py ship): the first, full note.
    ChicagoNote,
    /// Chicago shortened note.
    ChicagoShortNote,
    /// Chicago bibliography entry.
    ChicagoBibliography,
    /// MLA 9th ed. works-cited entry.
    Mla,
    /// APA 7th ed. reference-list entry.
    Apa,
}

impl Style {
    pub const ALL: [Style; 5] =
        [Style::ChicagoNote, Style::ChicagoShortNote, Style::ChicagoBibliography, Style::Mla, Style::Apa];

    /// A label for people ("Chicago, full note").
    pub fn label(self) -> &'static str {
        match self {
            Style::ChicagoNote => "Chicago, full note",
            Style::ChicagoShortNote => "Chicago, short note",
            Style::ChicagoBibliography => "Chicago, bibliography",
            Style::Mla => "MLA",
            Style::Apa => "APA",
        }
    }

    /// A name for URLs and the command line ("chicago-note").
    pub fn slug(self) -> &'static str {
        match self {
            Style::ChicagoNote => "chicago-note",
            Style::ChicagoShortNote => "chicago-short-note",
            Style::ChicagoBibliography => "chicago-bibliography",
            Style::Mla => "mla",
            Style::Apa => "apa",
        }
    }

    /// The style hayagriva's archive ships for MLA and APA; Chicago is the bundled CSL file.
    fn archived(self) -> Option<ArchivedStyle> {
        match self {
            Style::ChicagoNote | Style::ChicagoShortNote | Style::ChicagoBibliography => None,
            Style::Mla => Some(ArchivedStyle::ModernLanguageAssociation),
            Style::Apa => Some(ArchivedStyle::AmericanPsychologicalAssociation),
        }
    }
}

/// The Chicago Manual of Style 17th edition (full note) CSL style, as Zotero and
/// citeproc-py use it (citation-style-language/styles, CC BY-SA 3.0; the file keeps its
/// credits and licence).
pub const CHICAGO_CSL: &str = include_str!("../styles/chicago-fullnote-bibliography.csl");

/// A citation as plain text and as HTML (italics as `<i>`, text escaped by the processor).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub text: String,
    pub html: String,
}

/// Errors of CSL rendering.
#[derive(Debug, thiserror::Error)]
pub enum CslError {
    #[error("CSL style: {0}")]
    Style(String),
    #[error("CSL-JSON item: {0}")]
    Item(String),
    #[error("the CSL processor failed on this item")]
    Processor,
}

/// The CSL-JSON item of a record (CSL-JSON schema 1.0). `url_fallback`: the address of the
/// document in this archive, used when the source has no canonical URL of its own.
pub fn csl_json(r: &Record, url_fallback: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.key));
    let ty = match r.kind {
        Kind::BookSection => "chapter",
        Kind::Letter => "letter",
        Kind::Manuscript => "manuscript",
    };
    m.insert("type".into(), json!(ty));
    let title = if r.kind == Kind::BookSection { r.title_with_place_and_date() } else { r.title.clone() };
    m.insert("title".into(), json!(title));
    names(&mut m, "author", &r.authors);
    if r.kind == Kind::Letter {
        names(&mut m, "recipient", &r.recipients);
    }
    names(&mut m, "editor", &r.editors);
    // CSL styles cite a translator in an author's place when there is no author ("Allison
    // Smith, trans., “Comrade …”"): a record without one credits its contributor and
    // translator in a note, as the Wilson Center's own citation does ("Contributed by … and
    // translated from Russian by …")
    if r.authors.is_empty() && r.kind == Kind::Manuscript {
        if let Some(credit) = r.credit() {
            m.insert("note".into(), json!(credit));
        }
    } else {
        names(&mut m, "translator", &r.translators);
        names(&mut m, "contributor", &r.contributors);
    }
    let put = |m: &mut Map<String, Value>, k: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            m.insert(k.into(), json!(v));
        }
    };
    match r.kind {
        Kind::BookSection => {
            put(&mut m, "container-title", &r.container_title);
            put(&mut m, "collection-title", &r.series);
            put(&mut m, "volume", &r.volume);
            put(&mut m, "publisher", &r.publisher);
            put(&mut m, "publisher-place", &r.publisher_place);
            // the chapter is dated by its book's year; the document's own date is in its title
            match (r.published, r.date) {
                (Some(y), _) => {
                    m.insert("issued".into(), date(&Ymd { year: y, month: None, day: None }));
                }
                (None, Some(d)) => {
                    m.insert("issued".into(), date(&d));
                }
                _ => {}
            }
            if let Some(p) = &r.pages {
                m.insert("page".into(), json!(p.range()));
            }
            put(&mut m, "number", &r.number);
        }
        Kind::Letter | Kind::Manuscript => {
            if let Some(d) = &r.date {
                m.insert("issued".into(), date(d));
            }
            put(&mut m, "archive", &r.archive);
            put(&mut m, "archive_location", &r.archive_location);
            put(&mut m, "collection-title", &r.source_database);
            if r.kind == Kind::Letter {
                put(&mut m, "publisher-place", &r.place);
            }
        }
    }
    put(&mut m, "language", &r.language);
    put(&mut m, "abstract", &r.summary);
    let url = r.url.clone().or_else(|| url_fallback.map(str::to_string));
    put(&mut m, "URL", &url);
    Value::Object(m)
}

fn names(m: &mut Map<String, Value>, key: &str, names: &[Name]) {
    if names.is_empty() {
        return;
    }
    let list: Vec<Value> = names
        .iter()
        .map(|n| match (&n.given, n.literal) {
            (Some(g), false) => json!({"family": n.family, "given": g}),
            _ => json!({"literal": n.family}),
        })
        .collect();
    m.insert(key.into(), Value::Array(list));
}

fn date(d: &Ymd) -> Value {
    let mut parts = vec![json!(d.year)];
    if let Some(m) = d.month {
        parts.push(json!(m));
        if let Some(day) = d.day {
            parts.push(json!(day));
        }
    }
    json!({"date-parts": [parts]})
}

/// The locales shipped with hayagriva, parsed once.
fn locale_files() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(locales)
}

fn independent(style: CslStyle) -> Result<IndependentStyle, CslError> {
    match style {
        CslStyle::Independent(s) => Ok(s),
        CslStyle::Dependent(_) => Err(CslError::Style("a dependent style (it names its parent)".into())),
    }
}

/// The style of `s`, parsed once per style.
fn style_of(s: Style) -> Result<&'static IndependentStyle, CslError> {
    type Parsed = Result<IndependentStyle, String>;
    static CHICAGO: OnceLock<Parsed> = OnceLock::new();
    static MLA: OnceLock<Parsed> = OnceLock::new();
    static APA: OnceLock<Parsed> = OnceLock::new();
    let (cell, archived) = match s.archived() {
        None => (&CHICAGO, None),
        Some(a @ ArchivedStyle::ModernLanguageAssociation) => (&MLA, Some(a)),
        Some(a) => (&APA, Some(a)),
    };
    let parsed = cell.get_or_init(|| match archived {
        Some(a) => independent(a.get()).map_err(|e| e.to_string()),
        None => style_from_xml(CHICAGO_CSL).map_err(|e| e.to_string()),
    });
    parsed.as_ref().map_err(|e| CslError::Style(e.clone()))
}

/// A CSL style read from its XML (a `.csl` file).
pub fn style_from_xml(xml: &str) -> Result<IndependentStyle, CslError> {
    independent(CslStyle::from_xml(xml).map_err(|e| CslError::Style(e.to_string()))?)
}

/// One item's rendering in a style: its first (full) citation, a subsequent (short) one, and
/// its bibliography entry (for a style with a bibliography).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub note: Citation,
    pub short: Citation,
    pub bibliography: Option<Citation>,
}

/// One item rendered in `style` (a CSL-JSON item as [`csl_json`] writes it).
pub fn render_with(style: &IndependentStyle, item: &Value) -> Result<Rendered, CslError> {
    let item: Item = serde_json::from_value(item.clone()).map_err(|e| CslError::Item(e.to_string()))?;
    let other: Item = serde_json::from_value(json!({"id": "~other", "type": "book", "title": "~"}))
        .map_err(|e| CslError::Item(e.to_string()))?;
    // hayagriva must not take the server down whatever an item holds: a panic becomes an error
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let locales = locale_files();
        let mut driver = BibliographyDriver::new();
        // the full note, another work, and the item again: a subsequent citation that is not
        // "ibid." (the short note)
        for entry in [&item, &other, &item] {
            driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(entry)], style, locales));
        }
        let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
        let mut cites = rendered.citations.iter().map(|c| citation(&c.citation));
        let note = cites.next().ok_or(CslError::Processor)?;
        let short = cites.nth(1).ok_or(CslError::Processor)?;
        let bibliography = rendered
            .bibliography
            .and_then(|b| b.items.into_iter().find(|i| i.key != "~other").map(|i| citation(&i.content)));
        Ok(Rendered { note, short, bibliography })
    }))
    .unwrap_or(Err(CslError::Processor))
}

fn citation(e: &ElemChildren) -> Citation {
    let mut text = String::new();
    // writing to a String cannot fail
    let _ = e.write_buf(&mut text, BufWriteFormat::Plain);
    let mut html = String::new();
    write_html(e, &mut html);
    Citation { text: text.trim().to_string(), html: html.trim().to_string() }
}

/// HTML of a rendered citation with only `<i>`, `<b>` and `<a href>` (no style attributes: the
/// reading room's Content-Security-Policy forbids inline style), every text escaped.
fn write_html(children: &ElemChildren, out: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontWeight};
    use hayagriva::ElemChild;
    let formatted = |f: &hayagriva::Formatted, out: &mut String| {
        let italic = f.formatting.font_style == FontStyle::Italic;
        let bold = matches!(f.formatting.font_weight, FontWeight::Bold);
        if italic {
            out.push_str("<i>");
        }
        if bold {
            out.push_str("<b>");
        }
        out.push_str(&escape_html(&f.text));
        if bold {
            out.push_str("</b>");
        }
        if italic {
            out.push_str("</i>");
        }
    };
    for child in &children.0 {
        match child {
            ElemChild::Text(f) => formatted(f, out),
            ElemChild::Elem(e) => write_html(&e.children, out),
            ElemChild::Markup(m) => out.push_str(&escape_html(m)),
            ElemChild::Link { text, url } => {
                if url.starts_with("https://") || url.starts_with("http://") {
                    out.push_str("<a href=\"");
                    out.push_str(&escape_html(url));
                    out.push_str("\">");
                    formatted(text, out);
                    out.push_str("</a>");
                } else {
                    formatted(text, out);
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

/// Text escaped for HTML content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A record's citation in one of the styles the reading room offers.
pub fn render(r: &Record, url_fallback: Option<&str>, s: Style) -> Result<Citation, CslError> {
    let item = csl_json(r, url_fallback);
    let out = render_with(style_of(s)?, &item)?;
    match s {
        Style::ChicagoNote => Ok(out.note),
        Style::ChicagoShortNote => Ok(out.short),
        _ => out.bibliography.ok_or(CslError::Processor),
    }
}

/// Every style of [`Style::ALL`], in order, with its label; a style that fails is left out.
pub fn render_all(r: &Record, url_fallback: Option<&str>) -> Vec<(Style, Citation)> {
    Style::ALL.iter().filter_map(|&s| render(r, url_fallback, s).ok().map(|c| (s, c))).collect()
}
