//! Citation lookup (issue 17): `/lookup` (a form; one citation a line, a table back) and
//! `/api/lookup?q=…` (JSON, one answer a line of `q`). What a citation names is the archive's
//! ([`chancery_core::Archive::lookup`]).

use axum::extract::{RawQuery, State};
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
