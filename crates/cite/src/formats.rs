//! BibTeX and BibLaTeX (written by the `biblatex` crate, which escapes TeX's special
//! characters) and RIS (tags as Zotero, EndNote and Citavi read them) from a [`Record`].

use biblatex::{Chunk, Entry, EntryType, Spanned};

use crate::record::{Kind, Name, Record};

/// Which BibTeX dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bib {
    BibTeX,
    BibLaTeX,
}

fn names(ns: &[Name]) -> String {
    ns.iter()
        .map(|n| if n.literal || n.given.is_none() { format!("{{{}}}", n.family) } else { n.inverted() })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// One entry of a record. `url_fallback`: the document's page here, used when the source
/// has no URL of its own.
pub fn bibtex(r: &Record, url_fallback: Option<&str>, dialect: Bib) -> String {
    let ty = match (r.kind, dialect) {
        (Kind::BookSection, _) => EntryType::InCollection,
        (Kind::Letter, Bib::BibLaTeX) => EntryType::Unknown("letter".to_string()),
        (Kind::Manuscript, Bib::BibLaTeX) => EntryType::Unpublished,
        _ => EntryType::Misc,
    };
    let mut e = Entry::new(r.key.clone(), ty);
    // names keep their braces ({Department of State}); other fields are escaped text
    let mut set = |k: &str, v: &str, verbatim: bool| {
        let v = v.trim();
        if !v.is_empty() {
            let chunk = if verbatim { Chunk::Verbatim(v.to_string()) } else { Chunk::Normal(v.to_string()) };
            e.set(k, vec![Spanned::detached(chunk)]);
        }
    };
    let title = if r.kind == Kind::BookSection { r.title_with_place_and_date() } else { r.title.clone() };
    // a title in braces keeps its capitals
    set("title", &title, true);
    if !r.authors.is_empty() {
        set("author", &names(&r.authors), false);
    }
    if !r.editors.is_empty() {
        set("editor", &names(&r.editors), false);
    }
    if !r.translators.is_empty() {
        set("translator", &names(&r.translators), false);
    }
    let url = r.url.as_deref().or(url_fallback).unwrap_or("");
    let mut notes: Vec<String> = Vec::new();
    match r.kind {
        Kind::BookSection => {
            set("booktitle", r.container_title.as_deref().unwrap_or(""), true);
            set("series", r.series.as_deref().unwrap_or(""), true);
            set("volume", r.volume.as_deref().unwrap_or(""), false);
            set("number", r.number.as_deref().unwrap_or(""), false);
            set("publisher", r.publisher.as_deref().unwrap_or(""), false);
            set("address", r.publisher_place.as_deref().unwrap_or(""), false);
            if let Some(y) = r.published {
                set("year", &y.to_string(), false);
            }
            if let Some(p) = &r.pages {
                let range = if p.first == p.last { p.first.clone() } else { format!("{}--{}", p.first, p.last) };
                set("pages", &range, false);
            }
        }
        Kind::Letter | Kind::Manuscript => {
            if let Some(d) = &r.date {
                match dialect {
                    Bib::BibLaTeX => set("date", &d.iso(), false),
                    Bib::BibTeX => {
                        set("year", &d.year.to_string(), false);
                        if let Some(m) = d.month {
                            set("month", &m.to_string(), false);
                        }
                    }
                }
            }
            if r.kind == Kind::Letter && !r.recipients.is_empty() {
                notes.push(format!("To {}", r.recipients.iter().map(Name::display).collect::<Vec<_>>().join(" and ")));
            }
            let place: Vec<&str> =
                [r.archive.as_deref(), r.archive_location.as_deref()].into_iter().flatten().collect();
            if !place.is_empty() {
                let key = if dialect == Bib::BibLaTeX { "library" } else { "howpublished" };
                set(key, &place.join(", "), false);
            }
            if let Some(c) = r.credit() {
                notes.push(c);
            }
            set("organization", r.source_database.as_deref().unwrap_or(""), false);
            if r.kind == Kind::Letter {
                set(
                    if dialect == Bib::BibLaTeX { "location" } else { "address" },
                    r.place.as_deref().unwrap_or(""),
                    false,
                );
            }
        }
    }
    if !notes.is_empty() {
        set("note", &notes.join(". "), false);
    }
    set("language", r.language.as_deref().unwrap_or(""), false);
    set("url", url, false);
    match dialect {
        Bib::BibLaTeX => e.to_biblatex_string(),
        // only a malformed date field fails, and the BibTeX entry sets none
        Bib::BibTeX => e.to_bibtex_string().unwrap_or_else(|_| e.to_biblatex_string()),
    }
}

/// A RIS record (tags of two capitals and a digit or letter, `  - `, the value on one line).
pub fn ris(r: &Record, url_fallback: Option<&str>) -> String {
    let mut o = String::new();
    let mut tag = |t: &str, v: &str| {
        let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
        if !v.is_empty() {
            o.push_str(t);
            o.push_str("  - ");
            o.push_str(&v);
            o.push_str("\r\n");
        }
    };
    let ty = match r.kind {
        Kind::BookSection => "CHAP",
        Kind::Letter => "PCOMM",
        Kind::Manuscript => "MANSCPT",
    };
    tag("TY", ty);
    let title = if r.kind == Kind::BookSection { r.title_with_place_and_date() } else { r.title.clone() };
    tag("TI", &title);
    for a in &r.authors {
        tag("AU", &a.inverted());
    }
    match r.kind {
        Kind::BookSection => {
            for e in &r.editors {
                tag("ED", &e.inverted());
            }
            tag("T2", r.container_title.as_deref().unwrap_or(""));
            tag("T3", r.series.as_deref().unwrap_or(""));
            tag("VL", r.volume.as_deref().unwrap_or(""));
            tag("PB", r.publisher.as_deref().unwrap_or(""));
            tag("CY", r.publisher_place.as_deref().unwrap_or(""));
            if let Some(y) = r.published {
                tag("PY", &y.to_string());
            }
            if let Some(p) = &r.pages {
                tag("SP", &p.first);
                tag("EP", &p.last);
            }
            if let Some(d) = &r.date {
                tag("Y2", &ris_date(d));
            }
        }
        Kind::Letter | Kind::Manuscript => {
            if let Some(d) = &r.date {
                tag("PY", &d.year.to_string());
                tag("DA", &ris_date(d));
            }
            for n in &r.recipients {
                tag("A2", &n.inverted());
            }
            for n in &r.translators {
                tag("A4", &n.inverted());
            }
            tag("AN", r.archive.as_deref().unwrap_or(""));
            tag("AV", r.archive_location.as_deref().unwrap_or(""));
            tag("DB", r.source_database.as_deref().unwrap_or(""));
            tag("CY", r.place.as_deref().unwrap_or(""));
            if let Some(c) = r.credit() {
                tag("N1", &c);
            }
        }
    }
    tag("LA", r.language.as_deref().unwrap_or(""));
    tag("AB", r.summary.as_deref().unwrap_or(""));
    tag("UR", r.url.as_deref().or(url_fallback).unwrap_or(""));
    tag("ID", &r.key);
    // "ER  - " (with nothing after it) ends a record
    o.push_str("ER  - \r\n");
    o
}

/// RIS date: `YYYY/MM/DD/` with the unknown parts empty.
fn ris_date(d: &crate::record::Ymd) -> String {
    let two = |n: Option<u32>| n.map(|n| format!("{n:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", d.year, two(d.month), two(d.day))
}
