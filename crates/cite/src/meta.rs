//! The `<meta>` tags a document page carries so that reference managers read it: Highwire
//! Press `citation_*` tags (Zotero's, Mendeley's and Google Scholar's), Dublin Core `DC.*`,
//! and the few Zotero-namespace tags (`z.itemType`, `z.recipients`, `z.translators`) that
//! Zotero's Embedded Metadata translator reads for item types Highwire has no tag for.
//!
//! How Zotero types the item: a FRUS document carries `citation_inbook_title`, which makes it a
//! `bookSection`; a letter and an archival record carry no Highwire type tag but `z.itemType`
//! (`letter`, `manuscript`). No COinS is written on a document page: Zotero prefers COinS to
//! these tags, and COinS cannot carry the volume, series, language or archive location. A page
//! listing several documents (search results) carries one COinS span a document ([`coins`]), so
//! that Zotero offers them as "multiple" and saves the ones chosen.

use crate::record::{Kind, Record};

/// The tags of a record as (name, content) pairs, in order; contents are plain text (the page
/// escapes them). `page_url`: the document's address in this reading room, when known.
pub fn meta_tags(r: &Record, page_url: Option<&str>) -> Vec<(&'static str, String)> {
    let mut m: Vec<(&'static str, String)> = Vec::new();
    let mut put = |name: &'static str, v: &str| {
        let v = v.trim();
        if !v.is_empty() {
            m.push((name, v.to_string()));
        }
    };
    let title = if r.kind == Kind::BookSection { r.title_with_place_and_date() } else { r.title.clone() };
    put("citation_title", &title);
    put("DC.title", &title);
    for a in &r.authors {
        // Zotero takes Highwire authors instead of every Dublin Core and z.* creator (a
        // letter's recipient, a translator): only a book section, which has none of those,
        // names its authors both ways
        if r.kind == Kind::BookSection {
            put("citation_author", &a.inverted());
        }
        put("DC.creator", &a.inverted());
    }
    match r.kind {
        Kind::BookSection => {
            for e in &r.editors {
                put("citation_editor", &e.inverted());
            }
            // not `citation_book_title`: Zotero reads `book` in it as Open Graph's namespace
            put("citation_inbook_title", r.container_title.as_deref().unwrap_or(""));
            put("citation_series_title", r.series.as_deref().unwrap_or(""));
            put("citation_volume", r.volume.as_deref().unwrap_or(""));
            put("citation_publisher", r.publisher.as_deref().unwrap_or(""));
            put("DC.publisher", r.publisher.as_deref().unwrap_or(""));
            put("eprints.place_of_pub", r.publisher_place.as_deref().unwrap_or(""));
            if let Some(p) = &r.pages {
                put("citation_firstpage", &p.first);
                put("citation_lastpage", &p.last);
            }
            // the section is dated by its volume; the document's own date is in its title
            let year = r.published.map(|y| format!("{y:04}")).or_else(|| r.date.map(|d| d.iso()));
            put("citation_date", year.as_deref().unwrap_or(""));
            put("DC.date", year.as_deref().unwrap_or(""));
        }
        Kind::Letter | Kind::Manuscript => {
            put("z.itemType", if r.kind == Kind::Letter { "letter" } else { "manuscript" });
            if let Some(d) = &r.date {
                put("citation_date", &d.iso());
                put("DC.date", &d.iso());
            }
            if r.kind == Kind::Letter {
                for n in &r.recipients {
                    put("z.recipients", &n.inverted());
                }
            }
            for n in &r.translators {
                put("z.translators", &n.inverted());
            }
            for n in &r.contributors {
                put("eprints.contributors_name", &n.inverted());
            }
            // Zotero's archive location; the archive's own name leads it
            let location = match (&r.archive, &r.archive_location) {
                (Some(a), Some(l)) if !l.starts_with(a.as_str()) => format!("{a}, {l}"),
                (_, Some(l)) => l.clone(),
                (Some(a), None) => a.clone(),
                (None, None) => String::new(),
            };
            put("DC.coverage", &location);
        }
    }
    put("citation_language", r.language.as_deref().unwrap_or(""));
    put("DC.language", r.language.as_deref().unwrap_or(""));
    if let Some(u) = page_url {
        put("citation_abstract_html_url", u);
        put("DC.identifier", u);
    }
    if let Some(s) = &r.rights {
        put("DC.rights", s);
    }
    m
}

/// The OpenURL 1.0 ContextObject (KEV) of a record, for a COinS span
/// (`<span class="Z3988" title="…">`): a FRUS document as a book item (Zotero `bookSection`,
/// with its volume's title, publisher, place and year, and its pages), a letter or an archival
/// record as a document; the page's URL as `rft_id`. Values are percent-encoded as UTF-8.
pub fn coins(r: &Record, page_url: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    /// Everything but RFC 3986's unreserved characters.
    const VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    let enc = |v: &str| utf8_percent_encode(v, VALUE).to_string();
    let mut kev: Vec<String> = vec!["ctx_ver=Z39.88-2004".to_string()];
    let mut put = |k: &str, v: &str| {
        let v = v.trim();
        if !v.is_empty() {
            kev.push(format!("{k}={}", enc(v)));
        }
    };
    put("rft_val_fmt", "info:ofi/fmt:kev:mtx:book");
    match r.kind {
        Kind::BookSection => {
            put("rft.genre", "bookitem");
            put("rft.atitle", &r.title);
            put("rft.btitle", r.container_title.as_deref().unwrap_or(""));
            put("rft.series", r.series.as_deref().unwrap_or(""));
            put("rft.pub", r.publisher.as_deref().unwrap_or(""));
            put("rft.place", r.publisher_place.as_deref().unwrap_or(""));
            put("rft.date", &r.published.map(|y| y.to_string()).unwrap_or_default());
            if let Some(p) = &r.pages {
                put("rft.spage", &p.first);
                put("rft.epage", &p.last);
            }
        }
        Kind::Letter | Kind::Manuscript => {
            put("rft.genre", "document");
            put("rft.title", &r.title);
            put("rft.date", &r.date.as_ref().map(|d| d.iso()).unwrap_or_default());
        }
    }
    for a in &r.authors {
        put("rft.au", &a.inverted());
    }
    put("rft_id", page_url);
    kev.join("&")
}
