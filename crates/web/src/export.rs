//! Exports of many documents (issue 17): the whole archive, a collection, a search (its top N
//! hits) or chosen documents, as JSON Lines (`/export.jsonl`: one stored document a line) or
//! as citations (`/export.bib`, `/export.ris`, `/export.csl.json`).
//!
//! The answer is streamed: a blocking task walks the selection a page at a time (the store's
//! OAI order for the archive and a collection, the index's pages for a search) and hands each
//! document's text to the response through a small bounded channel, so memory stays bounded
//! whatever the archive's size, and a client that stops reading stops the walk. At most
//! [`MAX_EXPORTS`] run at once (503 beyond).

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chancery_core::citation::{bibtex, csl_json, export, ris, Bib, Record};
use chancery_core::{Archive, Document, OaiQuery, OaiSet, SearchRequest};
use utoipa::openapi::path::{Parameter, ParameterIn};

use crate::params::{SearchParams, MAX_OFFSET};
use crate::util::doc_url;
use crate::{AppState, Failure};

/// Exports running at once, at most.
pub const MAX_EXPORTS: usize = 4;
/// Most `id` parameters of one export.
pub const MAX_IDS: usize = 1000;
/// Documents read from the store per step of the walk.
const STEP: usize = 100;

static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    JsonLines,
    BibTeX,
    Ris,
    CslJson,
}

impl Format {
    fn media_type(self) -> &'static str {
        match self {
            Format::JsonLines => "application/x-ndjson; charset=utf-8",
            Format::BibTeX => "application/x-bibtex; charset=utf-8",
            Format::Ris => "application/x-research-info-systems; charset=utf-8",
            Format::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Format::JsonLines => "chancery.jsonl",
            Format::BibTeX => "chancery.bib",
            Format::Ris => "chancery.ris",
            Format::CslJson => "chancery.csl.json",
        }
    }

    /// One document's part of the export (`first`: no document was written before it).
    fn item(self, d: &Document, page: &str, first: bool) -> String {
        match self {
            Format::JsonLines => export::json_line(d, page),
            Format::BibTeX => bibtex(&Record::of(d), Some(page), Bib::BibTeX) + "\n\n",
            Format::Ris => ris(&Record::of(d), Some(page)),
            Format::CslJson => {
                let item = serde_json::to_string_pretty(&csl_json(&Record::of(d), Some(page))).unwrap_or_default();
                format!("{}{item}", if first { "" } else { ",\n" })
            }
        }
    }

    fn head(self) -> &'static str {
        if self == Format::CslJson {
            "[\n"
        } else {
            ""
        }
    }

    fn tail(self) -> &'static str {
        if self == Format::CslJson {
            "\n]\n"
        } else {
            ""
        }
    }
}

/// Which documents an export holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selection {
    /// These documents, in this order (unknown ids are left out).
    Ids(Vec<String>),
    /// Every document, or those of one collection, in the order they were stored.
    Stored(Option<String>),
    /// The hits of a search, in its order.
    Search(Box<SearchParams>),
}

/// The parameters of an export: `id` (repeatable), `limit` (the first N), and a search's
/// `q`, `from`, `to`, `collection`, `filter`, `sort`. Nothing: the whole archive; only
/// `collection`: that collection.
pub(crate) fn parse(raw: Option<&str>) -> Result<(Selection, usize), String> {
    let mut ids = Vec::new();
    let mut limit = usize::MAX;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = v.trim();
        match k.as_ref() {
            "id" if !v.is_empty() => {
                ids.push(v.to_string());
                if ids.len() > MAX_IDS {
                    return Err(format!("too many ids (at most {MAX_IDS})"));
                }
            }
            "limit" if !v.is_empty() => {
                limit = match v.parse::<usize>() {
                    Ok(n) if (1..=MAX_OFFSET).contains(&n) => n,
                    _ => return Err(format!("limit: {v:?} must be a whole number from 1 to {MAX_OFFSET}")),
                }
            }
            "q" | "from" | "to" | "collection" | "filter" | "sort" => {
                rest.append_pair(&k, v);
            }
            _ => {}
        }
    }
    let p = SearchParams::parse_values(Some(&rest.finish()))?;
    if !ids.is_empty() {
        return Ok((Selection::Ids(ids), limit));
    }
    let only_collection = p.q.is_empty() && p.from.is_none() && p.to.is_none() && p.filters.is_empty();
    if only_collection && p.sort.is_none() {
        return Ok((Selection::Stored(p.collection), limit));
    }
    if p.unanswerable().is_some() {
        // an empty date range: nothing (every value the OpenAPI document allows is accepted)
        return Ok((Selection::Ids(Vec::new()), limit));
    }
    if limit == usize::MAX {
        limit = MAX_OFFSET;
    }
    Ok((Selection::Search(Box::new(p)), limit))
}

/// The response body: the chunks the walk sends.
struct Chunks(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0.poll_recv(cx).map(|c| c.map(|b| Ok(http_body::Frame::data(b))))
    }
}

/// Counts a running export until dropped.
struct Running;

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Walk the selection, sending each document's part; stops when the client has gone.
fn walk(a: &Archive, sel: &Selection, limit: usize, format: Format, base: &str, tx: &tokio::sync::mpsc::Sender<Bytes>) {
    let mut sent = 0usize;
    let mut send = |d: &Document| -> bool {
        if sent >= limit {
            return false;
        }
        let page = format!("{base}{}", doc_url(&d.id));
        let ok = tx.blocking_send(Bytes::from(format.item(d, &page, sent == 0))).is_ok();
        sent += 1;
        ok && sent < limit
    };
    let result: chancery_core::Result<()> = (|| {
        match sel {
            Selection::Ids(ids) => {
                for id in ids {
                    if let Some(d) = a.get(id)? {
                        if !send(&d) {
                            break;
                        }
                    }
                }
            }
            Selection::Stored(collection) => {
                let mut q =
                    OaiQuery { set: collection.clone().map(|c| OaiSet::Collection(Some(c))), ..Default::default() };
                loop {
                    let headers = a.oai_headers(&q, STEP)?;
                    let Some(last) = headers.last() else { break };
                    q.after = Some((last.stamp.clone(), last.id.clone()));
                    for h in headers.iter().filter(|h| !h.deleted) {
                        if let Some(d) = a.get(&h.id)? {
                            if !send(&d) {
                                return Ok(());
                            }
                        }
                    }
                    if headers.len() < STEP {
                        break;
                    }
                }
            }
            Selection::Search(p) => {
                let mut offset = 0;
                while offset < limit.min(MAX_OFFSET) {
                    let req = SearchRequest { offset, limit: STEP, facet_limit: 1, ..p.to_request() };
                    let r = a.search(&req)?;
                    for h in &r.hits {
                        if let Some(d) = a.get(&h.id)? {
                            if !send(&d) {
                                return Ok(());
                            }
                        }
                    }
                    if r.hits.len() < STEP {
                        break;
                    }
                    offset += STEP;
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        tracing::warn!("an export stopped: {e}");
    }
}

/// An export as a streamed response; bad parameters are a 400, too many exports a 503.
async fn respond(st: AppState, format: Format, raw: Option<String>, headers: HeaderMap) -> Response {
    let (sel, limit) = match parse(raw.as_deref()) {
        Ok(s) => s,
        Err(m) => return Failure::BadRequest(m).text(),
    };
    if RUNNING.fetch_add(1, Ordering::SeqCst) >= MAX_EXPORTS {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        return Failure::Busy(format!("{MAX_EXPORTS} exports are running; try again in a moment")).text();
    }
    let running = Running;
    let base = crate::cite::base_of(&headers);
    let archive: Arc<Archive> = Arc::clone(&st.archive);
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(16);
    tokio::task::spawn_blocking(move || {
        let _running = running;
        if !format.head().is_empty() && tx.blocking_send(Bytes::from_static(format.head().as_bytes())).is_err() {
            return;
        }
        walk(&archive, &sel, limit, format, &base, &tx);
        let _ = tx.blocking_send(Bytes::from_static(format.tail().as_bytes()));
    });
    let mut res = Response::new(Body::new(Chunks(rx)));
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", format.file_name())) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res.into_response()
}

/// The query parameters of an export, for the OpenAPI document.
pub struct ExportParams;

impl utoipa::IntoParams for ExportParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut ps = crate::params::openapi::timeline();
        ps.extend(crate::params::openapi::search().into_iter().filter(|p| p.name == "sort"));
        ps.push(crate::params::openapi::export_ids(MAX_IDS));
        ps.push(crate::params::openapi::export_limit(MAX_OFFSET));
        ps
    }
}

#[utoipa::path(
    get,
    path = "/export.jsonl",
    operation_id = "export_jsonl",
    tag = "export",
    params(ExportParams),
    responses(
        (status = 200, description = "One stored document a line (the model's JSON without its derived mentions, with `page`, the reading room's URL, and `citation`, the Chicago note). Nothing selected: the whole archive; only `collection`: that collection, in the order stored; with words, dates or filters: the search's hits in its order (its first 10000 at most; an empty date range: none); with `id`: those documents", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "A value a parameter does not allow", content_type = "text/plain", body = String),
        (status = 503, description = "Too many exports are running; Retry-After says when to try again", content_type = "text/plain", body = String),
    )
)]
pub(crate) async fn jsonl(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    respond(st, Format::JsonLines, raw, headers).await
}

#[utoipa::path(
    get,
    path = "/export.bib",
    operation_id = "export_bibtex",
    tag = "export",
    params(ExportParams),
    responses(
        (status = 200, description = "The selected documents' BibTeX entries (the selection as for /export.jsonl)", content_type = "application/x-bibtex", body = String),
        (status = 400, description = "A value a parameter does not allow", content_type = "text/plain", body = String),
        (status = 503, description = "Too many exports are running; Retry-After says when to try again", content_type = "text/plain", body = String),
    )
)]
pub(crate) async fn bib(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    respond(st, Format::BibTeX, raw, headers).await
}

#[utoipa::path(
    get,
    path = "/export.ris",
    operation_id = "export_ris",
    tag = "export",
    params(ExportParams),
    responses(
        (status = 200, description = "The selected documents as RIS records (the selection as for /export.jsonl)", content_type = "application/x-research-info-systems", body = String),
        (status = 400, description = "A value a parameter does not allow", content_type = "text/plain", body = String),
        (status = 503, description = "Too many exports are running; Retry-After says when to try again", content_type = "text/plain", body = String),
    )
)]
pub(crate) async fn ris_export(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    respond(st, Format::Ris, raw, headers).await
}

#[utoipa::path(
    get,
    path = "/export.csl.json",
    operation_id = "export_csl_json",
    tag = "export",
    params(ExportParams),
    responses(
        (status = 200, description = "The selected documents as one CSL-JSON array (the selection as for /export.jsonl)", content_type = "application/vnd.citationstyles.csl+json", body = [Object]),
        (status = 400, description = "A value a parameter does not allow", content_type = "text/plain", body = String),
        (status = 503, description = "Too many exports are running; Retry-After says when to try again", content_type = "text/plain", body = String),
    )
)]
pub(crate) async fn csl(State(st): State<AppState>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    respond(st, Format::CslJson, raw, headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections() {
        assert_eq!(parse(None).unwrap(), (Selection::Stored(None), usize::MAX));
        assert_eq!(
            parse(Some("collection=frus1955-57v23p1&limit=5")).unwrap(),
            (Selection::Stored(Some("frus1955-57v23p1".into())), 5)
        );
        let (s, n) = parse(Some("q=Habomai&limit=3")).unwrap();
        assert!(matches!(s, Selection::Search(p) if p.q == "Habomai"));
        assert_eq!(n, 3);
        assert_eq!(parse(Some("q=Habomai")).unwrap().1, MAX_OFFSET);
        assert_eq!(parse(Some("id=a&id=b&q=x")).unwrap().0, Selection::Ids(vec!["a".into(), "b".into()]));
        assert_eq!(parse(Some("q=x&from=1960&to=1950")).unwrap().0, Selection::Ids(Vec::new()), "an empty range");
        for bad in ["limit=0", "limit=x", "sort=best", "filter=colour:red"] {
            assert!(parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
