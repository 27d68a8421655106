//! Citation lookup (issue 17): `/lookup` (a form; one citation a line, a table back) and
//! `/api/lookup?q=…` (JSON, one answer a citation of `q`), the table as CSV (`/lookup.csv?q=…`)
//! and the documents matched as RIS (`/lookup.ris?q=…`). `q` holds one citation a line, or
//! numbered notes (a footnote apparatus: one citation a note). What a citation names is the
//! archive's ([`chancery_core::Archive::lookup`]).

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chancery_core::Lookup;
use maud::html;

use crate::util::doc_url;
use crate::{classify, html as page, AppState, Failure};

/// Longest text looked up (bytes): a footnote apparatus, not a book.
const MAX_LOOKUP: usize = 20_000;

fn text_param(raw: Option<&str>) -> Result<String, Failure> {
    let q = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "q")
        .map(|(_, v)| v.to_string())
        .last()
        .unwrap_or_default();
    if q.len() > MAX_LOOKUP {
        return Err(Failure::BadRequest(format!("the text is longer than {MAX_LOOKUP} bytes")));
    }
    Ok(q)
}

fn how(l: &Lookup) -> &'static str {
    use chancery_core::Matched::*;
    match l.matched {
        Some(Exact) => "exact",
        Some(ByPage) => "by page",
        Some(ByArchivalReference) => "by archival reference",
        Some(ByFileNumber) => "by file number",
        Some(ByTelegram) => "by telegram",
        Some(Fuzzy) => "fuzzy",
        None => "no match",
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading
/// `=`, `+`, `-` or `@` gets a `'` so that a spreadsheet does not run it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The lookup table as CSV: citation, match, document, title, page, candidates (ids, `; `).
pub(crate) fn table_csv(answers: &[Lookup], base: &str) -> String {
    let mut out = String::from("citation,match,document,title,url,candidates\r\n");
    for l in answers {
        let (id, title, url) = match &l.document {
            Some(d) => (d.id.as_str(), d.title.as_str(), format!("{base}{}", doc_url(&d.id))),
            None => ("", "", String::new()),
        };
        let candidates = l.candidates.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join("; ");
        let row = [l.citation.as_str(), how(l), id, title, url.as_str(), candidates.as_str()];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn download(body: String, media_type: &'static str, file: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static(file)),
        ],
        body,
    )
        .into_response()
}

/// `/lookup.csv?q=…`: the table.
pub(crate) async fn csv(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let q = match text_param(raw.as_deref()) {
        Ok(q) if !q.trim().is_empty() => q,
        Ok(_) => return Failure::BadRequest("give the citations to look up in q, one a line".into()).text(),
        Err(f) => return f.text(),
    };
    let base = crate::cite::base_of(&headers);
    match st.heavy(move |a| a.lookup_all(&q).map_err(classify)).await {
        Ok(answers) => {
            download(table_csv(&answers, &base), "text/csv; charset=utf-8", "attachment; filename=\"lookup.csv\"")
        }
        Err(f) => f.text(),
    }
}

/// `/lookup.ris?q=…`: the documents the citations matched, as RIS (each once, in order).
pub(crate) async fn ris(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let q = match text_param(raw.as_deref()) {
        Ok(q) if !q.trim().is_empty() => q,
        Ok(_) => return Failure::BadRequest("give the citations to look up in q, one a line".into()).text(),
        Err(f) => return f.text(),
    };
    let base = crate::cite::base_of(&headers);
    let r = st
        .heavy(move |a| {
            let mut out = String::new();
            let mut seen = std::collections::HashSet::new();
            for l in a.lookup_all(&q).map_err(classify)? {
                let Some(hit) = l.document else { continue };
                if !seen.insert(hit.id.clone()) {
                    continue;
                }
                if let Some(d) = a.get(&hit.id).map_err(classify)? {
                    let page = format!("{base}{}", doc_url(&d.id));
                    out.push_str(&chancery_core::citation::ris(&chancery_core::citation::Record::of(&d), Some(&page)));
                }
            }
            Ok(out)
        })
        .await;
    match r {
        Ok(body) => {
            download(body, "application/x-research-info-systems; charset=utf-8", "attachment; filename=\"lookup.ris\"")
        }
        Err(f) => f.text(),
    }
}

pub(crate) async fn api(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = match text_param(raw.as_deref()) {
        Ok(q) => q,
        Err(f) => return f.json(),
    };
    if q.trim().is_empty() {
        return Failure::BadRequest("give the citations to look up in q, one a line".into()).json();
    }
    match st.heavy(move |a| a.lookup_all(&q).map_err(classify)).await {
        Ok(answers) => axum::Json(answers).into_response(),
        Err(f) => f.json(),
    }
}

pub(crate) async fn form(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = match text_param(raw.as_deref()) {
        Ok(q) => q,
        Err(f) => return f.html(),
    };
    let answers = if q.trim().is_empty() {
        Vec::new()
    } else {
        let text = q.clone();
        match st.heavy(move |a| a.lookup_all(&text).map_err(classify)).await {
            Ok(a) => a,
            Err(f) => return f.html(),
        }
    };
    let body = html! {
        h1 { "Look up a citation" }
        form.lookup method="get" action="/lookup" {
            label for="lookup-q" { "Citations, one a line (a FRUS citation, a history.state.gov or Wilson Center address, an archival reference, a file number, a telegram)" }
            textarea #lookup-q name="q" rows="6" maxlength="20000" { (q) }
            button type="submit" { "Look up" }
        }
        @if !answers.is_empty() {
            @let qs = form_urlencoded::Serializer::new(String::new()).append_pair("q", &q).finish();
            p.downloads {
                "Download: "
                a href=(format!("/lookup.csv?{qs}")) { "the table (CSV)" }
                " · "
                a href=(format!("/lookup.ris?{qs}")) { "the documents matched (RIS)" }
            }
            table.lookup {
                thead { tr { th { "Citation" } th { "Match" } th { "Document" } th { "Candidates" } } }
                tbody {
                    @for l in &answers {
                        tr {
                            td { (l.citation) }
                            td { (how(l)) }
                            td { @if let Some(d) = &l.document { a href=(doc_url(&d.id)) { (d.title) } } }
                            td {
                                @if !l.candidates.is_empty() {
                                    ul { @for c in &l.candidates { li { a href=(doc_url(&c.id)) { (c.title) } } } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(crate::pages::layout("Look up a citation", true, body))
}
