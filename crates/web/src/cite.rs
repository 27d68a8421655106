//! Citations on the document page and as downloads (issue 17): the page's `<meta>` tags for
//! Zotero and other reference managers, the cite box (Chicago full note, short note and
//! bibliography entry, MLA, APA, rendered by a CSL processor, each with a copy button), and
//! `/doc/{id}/cite.{bib,biblatex.bib,ris,json}` — also reached by content negotiation on
//! `/doc/{id}` (`Accept: application/x-bibtex`, `application/x-research-info-systems`,
//! `application/vnd.citationstyles.csl+json`). The formats are `chancery-cite`'s.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};

use chancery_core::citation::{bibtex, csl_json, export, meta_tags, render_all, ris, Bib, Record};
use chancery_core::Document;
use maud::{html, Markup, PreEscaped};

use crate::util::doc_url;
use crate::{classify, AppState, Failure};

/// A download format of one document's citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Download {
    BibTeX,
    BibLaTeX,
    Ris,
    CslJson,
    /// The document itself as Markdown, with its citation (`/doc/{id}.md`).
    Markdown,
    /// … as plain text (`/doc/{id}.txt`).
    Text,
    /// … as TEI (`/doc/{id}.tei.xml`): the source's element for a TEI source.
    Tei,
}

impl Download {
    const ALL: [Download; 4] = [Download::BibTeX, Download::BibLaTeX, Download::Ris, Download::CslJson];
    /// The document exports, offered beside the citations.
    const EXPORTS: [Download; 3] = [Download::Tei, Download::Markdown, Download::Text];

    /// The path suffix after the document id.
    fn suffix(self) -> &'static str {
        match self {
            Download::BibTeX => "/cite.bib",
            Download::BibLaTeX => "/cite.biblatex.bib",
            Download::Ris => "/cite.ris",
            Download::CslJson => "/cite.json",
            Download::Markdown => ".md",
            Download::Text => ".txt",
            Download::Tei => ".tei.xml",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Download::BibTeX => "BibTeX",
            Download::BibLaTeX => "BibLaTeX",
            Download::Ris => "RIS",
            Download::CslJson => "CSL-JSON",
            Download::Markdown => "Markdown",
            Download::Text => "plain text",
            Download::Tei => "TEI",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Download::BibTeX | Download::BibLaTeX => "application/x-bibtex; charset=utf-8",
            Download::Ris => "application/x-research-info-systems; charset=utf-8",
            Download::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
            Download::Markdown => "text/markdown; charset=utf-8",
            Download::Text => "text/plain; charset=utf-8",
            Download::Tei => "application/tei+xml; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Download::BibTeX | Download::BibLaTeX => "bib",
            Download::Ris => "ris",
            Download::CslJson => "json",
            Download::Markdown => "md",
            Download::Text => "txt",
            Download::Tei => "tei.xml",
        }
    }

    /// The body for one document (`tei`: the TEI export, made beforehand as it may read a file).
    fn write(self, d: &Document, r: &Record, page: &str, tei: Option<String>) -> String {
        match self {
            Download::Markdown => export::markdown(d, page),
            Download::Text => export::plain_text(d, page),
            Download::Tei => tei.unwrap_or_default(),
            Download::BibTeX => bibtex(r, Some(page), Bib::BibTeX) + "\n",
            Download::BibLaTeX => bibtex(r, Some(page), Bib::BibLaTeX) + "\n",
            Download::Ris => ris(r, Some(page)),
            Download::CslJson => {
                serde_json::to_string_pretty(&serde_json::Value::Array(vec![csl_json(r, Some(page))]))
                    .unwrap_or_default()
                    + "\n"
            }
        }
    }
}

/// The download a path names: the document id and the format (`None`: not a download path).
pub(crate) fn download_path(id: &str) -> Option<(&str, Download)> {
    Download::ALL.into_iter().chain(Download::EXPORTS).find_map(|d| id.strip_suffix(d.suffix()).map(|doc| (doc, d)))
}

/// The download an `Accept` header asks for (a reference manager's media type).
pub(crate) fn negotiate(headers: &HeaderMap) -> Option<Download> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?.to_ascii_lowercase();
    let first = accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim()).find(|t| !t.is_empty())?;
    match first {
        "application/x-bibtex" | "text/x-bibtex" => Some(Download::BibTeX),
        "application/x-research-info-systems" => Some(Download::Ris),
        "application/vnd.citationstyles.csl+json" | "application/citeproc+json" => Some(Download::CslJson),
        "text/markdown" => Some(Download::Markdown),
        "text/plain" => Some(Download::Text),
        "application/tei+xml" => Some(Download::Tei),
        _ => None,
    }
}

/// The citation of document `id` as a download; `None` when there is no such document (the
/// caller answers as for any unknown page).
pub(crate) async fn download(st: &AppState, id: String, format: Download, base: String) -> Option<Response> {
    let roots = st.config.source_roots.clone();
    let r = st
        .with(move |a| {
            let Some(d) = a.get(&id).map_err(classify)? else { return Ok(None) };
            let page = format!("{base}{}", doc_url(&d.id));
            let tei = match format {
                Download::Tei => Some(tei_of(&d, &page, &roots)?),
                _ => None,
            };
            Ok(Some((d, page, tei)))
        })
        .await;
    match r {
        Ok(Some((d, page, tei))) => {
            let record = Record::of(&d);
            let body = format.write(&d, &record, &page, tei);
            let disposition = format!("inline; filename=\"{}.{}\"", record.key, format.extension());
            let mut res = ([(header::CONTENT_TYPE, format.media_type())], body).into_response();
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
            Some(res)
        }
        Ok(None) => None,
        Err(f) => Some(f.text()),
    }
}

/// The readers whose sources are TEI: their documents' TEI is the source's.
const TEI_FORMATS: [&str; 2] = ["frus-tei", "tei-letter"];

/// The file a document was read from, found under one of the source folders. A stored path
/// is relative to the folder that was ingested (or, for a letter edition, to the edition's
/// parent folder), so it is joined to each source folder and to the folders up to two levels
/// below it; an absolute path must lie in a source folder. Nothing outside them is read.
fn source_file(path: &str, roots: &[PathBuf]) -> Option<PathBuf> {
    let p = Path::new(path);
    if p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return None;
    }
    let subfolders = |dir: &Path| -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
            .unwrap_or_default();
        out.sort();
        out
    };
    roots.iter().find_map(|root| {
        let root = root.canonicalize().ok()?;
        let inside = |file: PathBuf| -> Option<PathBuf> {
            let file = file.canonicalize().ok()?;
            (file.starts_with(&root) && file.is_file()).then_some(file)
        };
        if p.is_absolute() {
            return inside(p.to_path_buf());
        }
        let mut folders = vec![root.clone()];
        for one in subfolders(&root) {
            folders.extend(subfolders(&one));
            folders.push(one);
        }
        folders.into_iter().find_map(|dir| inside(dir.join(p)))
    })
}

/// A document's TEI: for a TEI source the source's own element (the file read again from the
/// source folders), for any other a TEI file made from the stored text and notes.
fn tei_of(d: &Document, page: &str, roots: &[PathBuf]) -> Result<String, Failure> {
    if !TEI_FORMATS.contains(&d.source.format.as_str()) {
        return Ok(export::made_tei(d, page));
    }
    let Some(file) = source_file(&d.source.path, roots) else {
        return Err(Failure::NotFound(format!(
            "The TEI of {} is its source file {}, which this server cannot read (chancery serve --sources DIR names \
             the folders that were ingested).",
            d.id, d.source.path
        )));
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::NotFound(format!("the source file {} cannot be read: {e}", d.source.path)))?;
    export::source_tei(&text, d, page)
        .map_err(|e| Failure::NotFound(format!("the TEI of {} from {}: {e}", d.id, d.source.path)))
}

/// `http://host` of a request (the host was checked by the server's allowed hosts).
pub(crate) fn base_of(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

/// The `<meta>` tags of a document page (no COinS: Zotero would prefer its thinner item).
pub(crate) fn head_tags(doc: &Document) -> Markup {
    let record = Record::of(doc);
    let tags = meta_tags(&record, None);
    html! {
        link rel="schema.DC" href="http://purl.org/dc/elements/1.1/";
        @for (name, content) in &tags {
            meta name=(name) content=(content);
        }
    }
}

/// The cite box: each style with a copy button, and the downloads.
pub(crate) fn cite_box(doc: &Document) -> Markup {
    let record = Record::of(doc);
    let cites = render_all(&record, None);
    let base = doc_url(&doc.id);
    html! {
        @if cites.is_empty() {
            p { "No citation could be made for this document." }
        } @else {
            dl.citations {
                @for (style, c) in &cites {
                    dt { (style.label()) }
                    dd {
                        span.citation id=(format!("cite-{}", style.slug())) { (PreEscaped(&c.html)) }
                        " "
                        button.copy type="button" data-copy=(format!("cite-{}", style.slug())) hidden {
                            "Copy"
                        }
                    }
                }
            }
        }
        p.downloads {
            "Download: "
            @for (i, d) in Download::ALL.iter().enumerate() {
                @if i > 0 { " · " }
                a href=(format!("{base}{}", d.suffix())) { (d.label()) }
            }
        }
        p.downloads {
            "The document as: "
            @for (i, d) in Download::EXPORTS.iter().enumerate() {
                @if i > 0 { " · " }
                a href=(format!("{base}{}", d.suffix())) { (d.label()) }
            }
        }
    }
}
