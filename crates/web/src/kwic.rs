//! Keyword in context (issue 16): a search's occurrences with the words around them, as a
//! concordance prints them. `/kwic?…` (the page), `/kwic.csv?…` (every line, RFC 4180, UTF-8)
//! and `/api/kwic?…` (JSON) take the search's parameters (`q`, `from`, `to`, `collection`,
//! `filter`, `sort` for the documents' order) and `order` (`doc`, `left`, `right`) and
//! `page` for the lines.
//!
//! The work is bounded: the first [`KwicLimits::documents`] documents of the search are read,
//! at most [`KwicLimits::lines`] lines kept ([`KwicLimits::per_document`] from one
//! document); the lines are sorted as a whole, then shown [`LINES_PAGE`] a page. The page
//! says when a limit was reached. It runs on the heavy pool like a search.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chancery_core::Archive;
use chancery_index::{Kwic, KwicLimits, KwicLine, KwicOrder};
use maud::{html, Markup};
use serde::Serialize;

use crate::pages::{layout, page_links};
use crate::params::SearchParams;
use crate::util::{date_words, doc_url_back};
use crate::{classify, AppState, Failure};

/// Lines on one page of the concordance.
pub const LINES_PAGE: usize = 100;

/// What the concordance reads at most.
pub const LIMITS: KwicLimits = KwicLimits { documents: 200, lines: 2000, per_document: 100, width: 60 };

/// The order of the lines (`order=`), and which page of them (`page=`).
struct View {
    order: KwicOrder,
    page: usize,
}

fn order_param(o: KwicOrder) -> &'static str {
    match o {
        KwicOrder::Document => "doc",
        KwicOrder::Left => "left",
        KwicOrder::Right => "right",
    }
}

fn order_label(o: KwicOrder) -> &'static str {
    match o {
        KwicOrder::Document => "document order",
        KwicOrder::Left => "left context",
        KwicOrder::Right => "right context",
    }
}

fn parse(raw: Option<&str>) -> Result<(SearchParams, View), String> {
    let (p, view) = parse_values(raw)?;
    if let Some(why) = p.unanswerable() {
        return Err(why);
    }
    let pages = LIMITS.lines.div_ceil(LINES_PAGE);
    if view.page > pages {
        return Err(format!("page: a concordance has at most {pages} pages"));
    }
    Ok((p, view))
}

/// Each value of the query string, without the page's checks: the API answers a page past
/// the last, an empty date range or no words with no lines and a note, since the OpenAPI
/// document allows those values.
fn parse_values(raw: Option<&str>) -> Result<(SearchParams, View), String> {
    let p = SearchParams::parse_values(raw)?;
    let mut order = KwicOrder::Document;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if k == "order" && !v.trim().is_empty() {
            order = match v.trim() {
                "doc" | "document" => KwicOrder::Document,
                "left" => KwicOrder::Left,
                "right" => KwicOrder::Right,
                other => return Err(format!("order: {other:?} is not one of doc, left, right")),
            };
        }
    }
    Ok((p.clone(), View { order, page: p.page }))
}

/// The `order` of `/api/kwic`, as the OpenAPI document states it (`document` is also read
/// as `doc`).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // a schema only: the handler reads the raw query string
pub enum ApiKwicOrder {
    Doc,
    Left,
    Right,
}

/// The query string (with its `?`) of a concordance: the search's words, dates, collection,
/// filters and document order, then the lines' order and page.
pub fn query_string(p: &SearchParams, order: KwicOrder, page: usize) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    let search = p.timeline_query();
    let search = search.trim_start_matches('?');
    if let Some(sort) = p.sort {
        s.append_pair("sort", sort.as_str());
    }
    if order != KwicOrder::Document {
        s.append_pair("order", order_param(order));
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    let rest = s.finish();
    match (search.is_empty(), rest.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("?{search}"),
        (true, false) => format!("?{rest}"),
        (false, false) => format!("?{search}&{rest}"),
    }
}

/// The concordance page of a search.
pub fn kwic_url(p: &SearchParams) -> String {
    format!("/kwic{}", query_string(p, KwicOrder::Document, 1))
}

fn run(a: &Archive, p: &SearchParams, order: KwicOrder) -> Result<Kwic, Failure> {
    let req = chancery_core::SearchRequest { offset: 0, ..p.to_request() };
    let mut k = a.kwic(&req, LIMITS).map_err(classify)?;
    chancery_index::kwic::sort_lines(&mut k.lines, order);
    Ok(k)
}

fn nothing_asked() -> Failure {
    Failure::BadRequest("a concordance needs words to look for: give q".to_string())
}

/// `/kwic`: the concordance page.
pub async fn page(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (p, view) = match parse(raw.as_deref()) {
        Ok(x) => x,
        Err(m) => return Failure::BadRequest(m).html(),
    };
    let r = st
        .heavy(move |a| {
            if p.q.is_empty() {
                return Ok((StatusCode::OK, kwic_page(&p, &view, None)));
            }
            let k = run(a, &p, view.order)?;
            Ok((StatusCode::OK, kwic_page(&p, &view, Some(&k))))
        })
        .await;
    match r {
        Ok((status, page)) => (status, Html(page.into_string())).into_response(),
        Err(f) => f.html(),
    }
}

/// One line of the JSON answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiKwicLine<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// ISO first day of the document's date.
    pub date: Option<&'a str>,
    pub left: &'a str,
    pub keyword: &'a str,
    pub right: &'a str,
    /// Byte offset of the keyword in the document's text.
    pub offset: usize,
}

/// The JSON answer of `/api/kwic`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiKwic<'a> {
    /// Why nothing was looked for (no words, an empty date range, a page past the last).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub documents: usize,
    pub documents_read: usize,
    /// Lines found (all pages).
    pub total: usize,
    pub truncated: bool,
    pub order: &'static str,
    pub page: usize,
    pub page_size: usize,
    pub lines: Vec<ApiKwicLine<'a>>,
}

fn api_line(l: &KwicLine) -> ApiKwicLine<'_> {
    ApiKwicLine {
        id: &l.id,
        title: &l.title,
        date: l.date.as_ref().map(|d| d.from.as_str()),
        left: &l.left,
        keyword: &l.keyword,
        right: &l.right,
        offset: l.offset,
    }
}

/// `/api/kwic`: one page of the concordance as JSON.
#[utoipa::path(
    get,
    path = "/api/kwic",
    operation_id = "kwic",
    tag = "archive",
    params(
        SearchParams,
        ("order" = Option<ApiKwicOrder>, Query, description = "The lines' order: by document (the search's order), by the words left of the keyword read outward, or by the keyword and the words right of it"),
    ),
    responses(
        (status = 200, description = "One page of the concordance (100 lines); no lines and a note when there is nothing to look for", body = ApiKwic),
        (status = 400, description = "A value the parameter does not allow", body = crate::api::ApiError),
        (status = 503, description = "The server is at a limit (too many heavy requests queued, or the request took too long); Retry-After says when to try again", body = crate::api::ApiError),
    )
)]
pub async fn api(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (p, view) = match parse_values(raw.as_deref()) {
        Ok(x) => x,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    let pages = LIMITS.lines.div_ceil(LINES_PAGE);
    let why = if p.q.is_empty() {
        Some("a concordance needs words to look for: give q".to_string())
    } else if view.page > pages {
        Some(format!("page {}: a concordance has at most {pages} pages", view.page))
    } else {
        p.unanswerable()
    };
    if let Some(why) = why {
        let body = ApiKwic {
            notes: vec![why],
            documents: 0,
            documents_read: 0,
            total: 0,
            truncated: false,
            order: order_param(view.order),
            page: view.page,
            page_size: LINES_PAGE,
            lines: Vec::new(),
        };
        return match serde_json::to_string(&body) {
            Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
            Err(e) => Failure::Internal(format!("JSON: {e}")).json(),
        };
    }
    let r = st
        .heavy(move |a| {
            let k = run(a, &p, view.order)?;
            let lines = k.lines.iter().skip((view.page - 1) * LINES_PAGE).take(LINES_PAGE).map(api_line).collect();
            let body = ApiKwic {
                notes: Vec::new(),
                documents: k.documents,
                documents_read: k.documents_read,
                total: k.lines.len(),
                truncated: k.truncated,
                order: order_param(view.order),
                page: view.page,
                page_size: LINES_PAGE,
                lines,
            };
            serde_json::to_string(&body).map_err(|e| Failure::Internal(format!("JSON: {e}")))
        })
        .await;
    match r {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(f) => f.json(),
    }
}

/// `/kwic.csv`: every line of the concordance (all pages), in the order asked for.
pub async fn csv(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (p, view) = match parse(raw.as_deref()) {
        Ok(x) => x,
        Err(m) => return Failure::BadRequest(m).text(),
    };
    if p.q.is_empty() {
        return nothing_asked().text();
    }
    let r = st.heavy(move |a| Ok(to_csv(&run(a, &p, view.order)?.lines))).await;
    match r {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"kwic.csv\"")),
            ],
            body,
        )
            .into_response(),
        Err(f) => f.text(),
    }
}

/// The CSV header of a concordance.
pub const CSV_HEADER: [&str; 7] = ["document", "title", "date", "left", "keyword", "right", "offset"];

/// RFC 4180: fields with a comma, a quote or a line end are quoted, quotes doubled; lines end
/// in CRLF. Nothing else is changed (no byte-order mark, no guard against spreadsheet
/// formulas: the text is the document's).
pub fn to_csv(lines: &[KwicLine]) -> String {
    fn field(out: &mut String, v: &str) {
        if v.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&v.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(v);
        }
    }
    fn row<'a>(out: &mut String, values: impl IntoIterator<Item = &'a str>) {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(out, v);
        }
        out.push_str("\r\n");
    }
    let mut out = String::new();
    row(&mut out, CSV_HEADER);
    for l in lines {
        let offset = l.offset.to_string();
        let date = l.date.as_ref().map(|d| d.from.as_str()).unwrap_or("");
        row(&mut out, [l.id.as_str(), &l.title, date, &l.left, &l.keyword, &l.right, &offset]);
    }
    out
}

fn kwic_page(p: &SearchParams, view: &View, k: Option<&Kwic>) -> Markup {
    let title = if p.q.is_empty() { "Keyword in context".to_string() } else { format!("Keyword in context: {}", p.q) };
    let back = p.url();
    let search_url = p.with_page(1).url();
    html! {
        (layout(&title, false, html! {
            nav.breadcrumbs aria-label="Breadcrumbs" {
                ol { li { a href=(search_url) { "Search" } } li aria-current="page" { "Keyword in context" } }
            }
            h1 #kwic-h { "Keyword in context" }
            form.kwic-form role="search" action="/kwic" method="get" {
                label for="kwic-q" { "Words" }
                input #kwic-q type="search" name="q" value=(p.q) maxlength="500";
                @if let Some(c) = &p.collection { input type="hidden" name="collection" value=(c); }
                @if let Some(v) = &p.from { input type="hidden" name="from" value=(v); }
                @if let Some(v) = &p.to { input type="hidden" name="to" value=(v); }
                @for (f, v) in &p.filters { input type="hidden" name="filter" value=(format!("{f}:{v}")); }
                button type="submit" { "Show in context" }
            }
            @if let Some(k) = k {
                (lines(p, view, k, &back))
            } @else {
                p { "Type words to see each of their occurrences with the words around them." }
            }
        }))
    }
}

fn lines(p: &SearchParams, view: &View, k: &Kwic, back: &str) -> Markup {
    let total = k.lines.len();
    let pages = total.div_ceil(LINES_PAGE).max(1);
    let from = (view.page - 1) * LINES_PAGE;
    let shown: Vec<&KwicLine> = k.lines.iter().skip(from).take(LINES_PAGE).collect();
    html! {
        section.kwic aria-labelledby="kwic-count" {
            h2 #kwic-count {
                (crate::util::count(total as u64, "occurrence"))
                " of " q { (p.q) } " in " (crate::util::count(k.documents_read as u64, "document"))
            }
            @if k.truncated {
                p.note {
                    "The concordance reads at most the first " (LIMITS.documents) " documents of the search ("
                    (k.documents) " match), " (LIMITS.per_document) " occurrences of a document and "
                    (LIMITS.lines) " in all; narrow the search to see the rest."
                }
            }
            p.range {
                @if !shown.is_empty() { "Lines " (from + 1) "–" (from + shown.len()) " of " (total) ". " }
                a href=(format!("/kwic.csv{}", query_string(p, view.order, 1))) download="kwic.csv" { "Download all lines as CSV" }
                " · " a href=(p.with_page(1).url()) { "Back to the list of documents" }
            }
            nav.sort aria-label="Order of the lines" {
                "Sort by: "
                @for (i, o) in [KwicOrder::Document, KwicOrder::Left, KwicOrder::Right].into_iter().enumerate() {
                    @if i > 0 { " · " }
                    @if o == view.order {
                        strong aria-current="true" { (order_label(o)) }
                    } @else {
                        a href=(format!("/kwic{}", query_string(p, o, 1))) { (order_label(o)) }
                    }
                }
            }
            @if shown.is_empty() && total > 0 {
                p { "This page is past the last line." }
            }
            @if !shown.is_empty() {
                div.table-wrap {
                    table.kwic {
                        caption.visually-hidden { "Occurrences with the words before and after them" }
                        thead {
                            tr {
                                th scope="col" { "Before" }
                                th scope="col" { "Keyword" }
                                th scope="col" { "After" }
                                th scope="col" { "Document" }
                            }
                        }
                        tbody {
                            @for l in &shown {
                                tr {
                                    td.left { (l.left) }
                                    td.keyword { strong { (l.keyword) } }
                                    td.right { (l.right) }
                                    td.source {
                                        a href=(doc_url_back(&l.id, Some(back))) { (if l.title.is_empty() { &l.id } else { &l.title }) }
                                        @if let Some(d) = &l.date {
                                            " · " time datetime=(d.from) { (date_words(d)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (page_links(view.page, pages, "Pages of the concordance", &|n| format!("/kwic{}", query_string(p, view.order, n))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let l = KwicLine {
            id: "frus/d1".into(),
            title: "Memorandum, \"secret\"".into(),
            date: None,
            left: "islands, of ".into(),
            keyword: "Habomai".into(),
            right: " and Шикотан".into(),
            offset: 7,
        };
        let csv = to_csv(&[l]);
        assert_eq!(
            csv,
            "document,title,date,left,keyword,right,offset\r\n\
             frus/d1,\"Memorandum, \"\"secret\"\"\",,\"islands, of \",Habomai, and Шикотан,7\r\n"
        );
    }

    #[test]
    fn query_strings_keep_the_search_and_the_order() {
        let p = SearchParams::parse(Some("q=Habomai&collection=frus1955-57v23p1&page=3")).unwrap();
        assert_eq!(query_string(&p, KwicOrder::Left, 2), "?q=Habomai&collection=frus1955-57v23p1&order=left&page=2");
        assert_eq!(kwic_url(&p), "/kwic?q=Habomai&collection=frus1955-57v23p1");
    }
}
