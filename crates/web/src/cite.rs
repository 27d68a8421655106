//! Citations on the document page and as downloads (issue 17): the page's `<meta>` tags for
//! Zotero and other reference managers, the cite box (Chicago full note, short note and
//! bibliography entry, MLA, APA, rendered by a CSL processor, each with a copy button), and
//! `/doc/{id}/cite.{bib,biblatex.bib,ris,json}` — also reached by content negotiation on
//! `/doc/{id}` (`Accept: application/x-bibtex`, `application/x-research-info-systems`,
//! `application/vnd.citationstyles.csl+json`). The formats are `chancery-cite`'s.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chancery_core::citation::{bibtex, csl_json, meta_tags, render_all, ris, Bib, Record};
use chancery_core::Document;
use maud::{html, Markup, PreEscaped};

use crate::util::doc_url;
use crate::{classify, AppState};

/// A download format of one document's citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Download {
    BibTeX,
    BibLaTeX,
    Ris,
    CslJson,
}

impl Download {
    const ALL: [Download; 4] = [Download::BibTeX, Download::BibLaTeX, Download::Ris, Download::CslJson];

    /// The path suffix after the document id.
    fn suffix(self) -> &'static str {
        match self {
            Download::BibTeX => "/cite.bib",
            Download::BibLaTeX => "/cite.biblatex.bib",
            Download::Ris => "/cite.ris",
            Download::CslJson => "/cite.json",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Download::BibTeX => "BibTeX",
            Download::BibLaTeX => "BibLaTeX",
            Download::Ris => "RIS",
            Download::CslJson => "CSL-JSON",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Download::BibTeX | Download::BibLaTeX => "application/x-bibtex; charset=utf-8",
            Download::Ris => "application/x-research-info-systems; charset=utf-8",
            Download::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Download::BibTeX | Download::BibLaTeX => "bib",
            Download::Ris => "ris",
            Download::CslJson => "json",
        }
    }

    /// The body for one record.
    fn write(self, r: &Record, page: &str) -> String {
        match self {
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
    Download::ALL.into_iter().find_map(|d| id.strip_suffix(d.suffix()).map(|doc| (doc, d)))
}

/// The download an `Accept` header asks for (a reference manager's media type).
pub(crate) fn negotiate(headers: &HeaderMap) -> Option<Download> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?.to_ascii_lowercase();
    let first = accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim()).find(|t| !t.is_empty())?;
    match first {
        "application/x-bibtex" | "text/x-bibtex" => Some(Download::BibTeX),
        "application/x-research-info-systems" => Some(Download::Ris),
        "application/vnd.citationstyles.csl+json" | "application/citeproc+json" => Some(Download::CslJson),
        _ => None,
    }
}

/// The citation of document `id` as a download; `None` when there is no such document (the
/// caller answers as for any unknown page).
pub(crate) async fn download(st: &AppState, id: String, format: Download, base: String) -> Option<Response> {
    let r = st
        .with(move |a| {
            let Some(d) = a.get(&id).map_err(classify)? else { return Ok(None) };
            let page = format!("{base}{}", doc_url(&d.id));
            Ok(Some((Record::of(&d), page)))
        })
        .await;
    match r {
        Ok(Some((record, page))) => {
            let body = format.write(&record, &page);
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
    }
}
