//! The reading room: an HTTP server over an [`Archive`] with server-rendered pages that work
//! without JavaScript, and a small JSON API described by OpenAPI 3.
//!
//! Pages: `/` (search box, collections), `/search` (ranked hits, facets, date range, sort,
//! pages), `/doc/{id}` (one document: metadata, text with marginal page numbers and
//! footnotes, witnesses, people, places, filing number, references, related documents,
//! citation, previous/next), `/collection/{id}` (table of contents), `/person/{id}` (a
//! person of the authority file and the documents that mention them), `/place/{id}` (a
//! gazetteer place and the documents that name it), `/timeline?q=…` (a search's documents by
//! date; `/timeline.svg?q=…` the drawing alone), `/kwic?q=…` (keyword in context, also
//! `/kwic.csv` and `/api/kwic`), `/compare?a=…&b=…` (two witnesses of a document as a word
//! diff).
//! The issue ledger (issue 6): `/issues` (every issue with its positions counted by status),
//! `/issue/{id}` (parties × years, `?status=`), `/issue/{id}/ledger.csv`; the document page
//! shows the positions a document states beside their passages.
//! API: `/api/search`, `/api/doc/{id}`, `/api/doc/{id}/links`, `/api/person/{id}`,
//! `/api/place/{id}`, `/api/timeline`, `/api/collections`, `/api/issues`, `/api/issue/{id}`,
//! `/api/positions`, `/api/position/{id}`, `/api/openapi.json`.
//! Ids contain '/', so document, collection and position routes are wildcards.
//!
//! Cheap requests (a document page) run on the async workers; heavy ones (searches, exports,
//! related documents, timelines, issue and person pages) on a bounded pool ([`pool`]), so that
//! a flood of searches queues there (503 beyond the queue) while document pages stay fast.
//! The server loop ([`server`]) caps connections and times out slow and idle clients; long
//! lists come a page at a time. User input never causes a 500:
//! bad parameters and query syntax errors are 400 with a message, unknown ids a 404 page.
//! Every response carries a strict Content-Security-Policy (no inline script or style), so
//! the HTML has no `style` attributes and no inline script.
//!
//! GET never writes. The only writes are the ledger's curation routes (`POST
//! /api/position/{id}/accept|reject|edit`, `POST /api/positions`), and they need a bearer
//! token the server was given ([`WebConfig`], [`auth`]): without tokens the server is
//! read-only (403), a missing or unknown token is a 401, and the token's name is recorded as
//! who made the change.
//!
//! This is the only crate that knows HTTP.

mod api;
pub mod auth;
mod cite;
mod doc;
mod drafting;
mod edition;
mod entity;
mod export;
mod issues;
mod kwic;
mod ledger_api;
mod links;
mod lookup;
mod oai;
mod pages;
mod params;
mod pool;
mod sections;
pub mod server;
mod sitemap;
mod util;

use std::net::SocketAddr;
use std::sync::Arc;

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chancery_core::{Archive, Document, LedgerFilter, Position, SearchRequest, SearchResults, Sort, Status};

pub use auth::{parse_api_tokens, read_api_tokens, ApiToken, TokenFileError, WebConfig};
use params::{Paging, PositionsParams, StatusParam};
pub use params::{SearchParams, MAX_PAGE_SIZE, MAX_QUERY_CHARS};
pub use server::{serve_on, shutdown_signal, ServeOptions, LOOPBACK_HOSTS};

/// The `Content-Security-Policy` sent with every response.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const STYLE_CSS: &str = include_str!("../static/style.css");
const APP_JS: &str = include_str!("../static/app.js");
const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// Documents fetched per request when listing a collection in date order.
const COLLECTION_PAGE: usize = 1000;

/// Most documents drawn on a timeline (search, place, person).
const TIMELINE_LIMIT: usize = 1000;

/// The suffix of `/api/doc/{id}/links`.
const LINKS_SUFFIX: &str = "/links";

/// Largest request body a write accepts (bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
struct AppState {
    archive: Arc<Archive>,
    config: Arc<WebConfig>,
    /// Where heavy requests run ([`AppState::heavy`]).
    pool: pool::Pool,
    /// Largest request body (bytes).
    max_body_bytes: usize,
    /// Collections' documents in edition order ([`edition`]), made once each.
    contents: edition::Cache,
}

/// Why a request failed, before it is shown as an HTML page or a JSON error.
#[derive(Debug)]
enum Failure {
    BadRequest(String),
    /// No credentials, or credentials the server does not know (401).
    Unauthorized(String),
    /// Refused whatever the credentials: writes are disabled (403).
    Forbidden(String),
    NotFound(String),
    /// The request conflicts with the ledger's state: a duplicate, a change that changes
    /// nothing (409).
    Conflict(String),
    /// Well formed, but naming what the archive does not have or allow (an unknown issue, a
    /// party not in the issue, an empty field): 422.
    Unprocessable(String),
    /// A method the address does not take (405; the caller sets `Allow`).
    MethodNotAllowed(String),
    TooLarge(String),
    UnsupportedMedia(String),
    /// The request names a host this server does not answer to (421).
    Misdirected(String),
    /// The server is at a limit (heavy queue full, request timed out): 503 with `Retry-After`.
    Busy(String),
    Internal(String),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Conflict(_) => StatusCode::CONFLICT,
            Failure::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::Misdirected(_) => StatusCode::MISDIRECTED_REQUEST,
            Failure::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::BadRequest(m)
            | Failure::Unauthorized(m)
            | Failure::Forbidden(m)
            | Failure::NotFound(m)
            | Failure::Conflict(m)
            | Failure::Unprocessable(m)
            | Failure::MethodNotAllowed(m)
            | Failure::TooLarge(m)
            | Failure::UnsupportedMedia(m)
            | Failure::Misdirected(m)
            | Failure::Busy(m)
            | Failure::Internal(m) => m,
        }
    }

    /// Headers every answer of this kind carries: `Retry-After` on a 503, the bearer
    /// challenge on a 401.
    fn with_headers(&self, mut res: Response) -> Response {
        match self {
            Failure::Busy(_) => {
                res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            Failure::Unauthorized(_) => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"chancery\""));
            }
            _ => {}
        }
        res
    }

    fn html(&self) -> Response {
        self.with_headers(
            (self.status(), Html(pages::error_page(self.status().as_u16(), self.message()).into_string()))
                .into_response(),
        )
    }

    fn json(&self) -> Response {
        self.with_headers(
            (self.status(), axum::Json(api::ApiError { error: self.message().to_string() })).into_response(),
        )
    }

    fn text(&self) -> Response {
        self.with_headers(
            (self.status(), [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.message().to_string())
                .into_response(),
        )
    }
}

/// Errors from the archive: a query the index cannot parse is the user's (400); anything
/// else is ours (500).
fn classify(e: chancery_core::Error) -> Failure {
    match &e {
        chancery_core::Error::Index(ie) if is_query_error(ie) => Failure::BadRequest(format!("{ie}")),
        _ => Failure::Internal(format!("the archive failed: {e}")),
    }
}

/// Errors of a ledger write: what the request names and the archive does not have (a position,
/// a document, a passage of it, an issue, a party of the issue) is a 404, a duplicate or a
/// change that changes nothing a 409, other input the ledger cannot take (an empty field) a
/// 422; anything else is ours (500).
fn classify_write(e: chancery_core::Error) -> Failure {
    use chancery_ledger::LedgerError as L;
    match e {
        chancery_core::Error::Ledger(L::UnknownPosition(id)) => Failure::NotFound(format!("no position {id:?}")),
        chancery_core::Error::Ledger(l @ (L::DuplicatePosition(_) | L::NoChange(_))) => {
            Failure::Conflict(l.to_string())
        }
        chancery_core::Error::Ledger(l) => Failure::Unprocessable(l.to_string()),
        chancery_core::Error::NotFound(m) => Failure::NotFound(m),
        // what the request names is not there: the passage, the issue, the party in the issue
        chancery_core::Error::Invalid(m)
            if m.starts_with("no passage of ") || m.starts_with("no issue ") || m.contains(" is not a party to ") =>
        {
            Failure::NotFound(m)
        }
        chancery_core::Error::Invalid(m) => Failure::Unprocessable(m),
        e => classify(e),
    }
}

fn is_query_error(e: &chancery_index::IndexError) -> bool {
    matches!(e, chancery_index::IndexError::Query(_))
}

impl AppState {
    /// Run `f` against the archive. On the multi-threaded runtime of `serve` it runs right on
    /// the worker (a request's store and index work is a few milliseconds, and the runtime has
    /// one worker per core): the blocking pool cost two thread hand-offs a request, and
    /// `block_in_place` grew the pool to ~150 threads under 64 connections (594 MB RSS at 10k
    /// documents, issue 4). Elsewhere (tests on a current-thread runtime) it goes to the
    /// blocking pool.
    async fn with<T, F>(&self, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, Failure> + Send + 'static,
    {
        let archive = Arc::clone(&self.archive);
        if tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
            return f(&archive);
        }
        match tokio::task::spawn_blocking(move || f(&archive)).await {
            Ok(r) => r,
            Err(_) => Err(Failure::Internal("the request's worker failed".to_string())),
        }
    }

    /// Run heavy work `f` (a search, an export, related documents, a timeline, an issue or
    /// person page) on the bounded pool ([`pool::Pool`]), so that it never holds up the async
    /// workers that serve document pages and static files. A full queue is a 503 with
    /// `Retry-After` at once.
    async fn heavy<T, F>(&self, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, Failure> + Send + 'static,
    {
        let archive = Arc::clone(&self.archive);
        match self.pool.run(move || f(&archive)).await {
            Ok(r) => r,
            Err(pool::Refused::Full) => Err(Failure::Busy(format!(
                "the server is busy with other searches ({} running, {} waiting); try again in a moment",
                self.pool.threads(),
                self.pool.queue()
            ))),
            Err(pool::Refused::Failed) => Err(Failure::Internal("the request's worker failed".to_string())),
        }
    }
}

/// The application with no API tokens (every write is refused): every route, the fallback
/// 404 and the security headers.
pub fn router(archive: Arc<Archive>) -> Router {
    router_with(archive, WebConfig::default())
}

/// The application with a configuration (the API tokens that may write), and the limits of
/// [`ServeOptions::default`].
pub fn router_with(archive: Arc<Archive>, config: WebConfig) -> Router {
    app(archive, config, &ServeOptions::default())
}

/// The application with a configuration and the limits of `options`: every route, the
/// fallback 404; around them (innermost first) the request timeout, the body limit, the
/// check of the host name, and the security headers on every answer.
pub fn app(archive: Arc<Archive>, config: WebConfig, options: &ServeOptions) -> Router {
    let limits = Arc::new(options.clone());
    let state = AppState {
        archive,
        config: Arc::new(config),
        pool: pool::Pool::new(options.heavy_threads, options.heavy_queue),
        max_body_bytes: options.max_body_bytes,
        contents: edition::Cache::default(),
    };
    routes()
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&limits), server::time_limit))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&limits), server::limit_body))
        .layer(axum::middleware::from_fn_with_state(limits, server::check_host))
        .layer(axum::middleware::map_response(security_headers))
}

fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/doc/{*id}", get(document))
        .route("/related/{*id}", get(related))
        .route("/collection/{*id}", get(collection))
        .route("/person/{id}", get(person))
        .route("/place/{id}", get(place))
        .route("/timeline", get(timeline))
        .route("/timeline.svg", get(timeline_svg))
        .route("/api/search", get(api_search))
        .route("/api/doc/{*id}", get(api_doc))
        .route("/api/person/{id}", get(api_person))
        .route("/api/place/{id}", get(api_place))
        .route("/api/timeline", get(api_timeline))
        .route("/api/collections", get(api_collections))
        .route("/issues", get(issues_page))
        .route("/issue/{id}", get(issue_page))
        .route("/issue/{id}/ledger.csv", get(issue_csv))
        .route("/api/issues", get(api_issues))
        .route("/api/issue/{id}", get(api_issue))
        .route("/api/positions", get(api_positions).post(api_add_position))
        .route("/api/position/{*id}", get(api_position).post(api_curate_position).fallback(position_methods))
        .route("/api/openapi.json", get(openapi))
        .route("/oai", get(oai::oai_get).post(oai::oai_post))
        .route("/lookup", get(lookup::form))
        .route("/api/lookup", get(lookup::api))
        .route("/lookup.csv", get(lookup::csv))
        .route("/lookup.ris", get(lookup::ris))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemap/{name}", get(sitemap::page))
        // exports of many documents (issue 17); one document's are under /doc/{id} (cite.rs)
        .route("/export.jsonl", get(export::jsonl))
        .route("/export.bib", get(export::bib))
        .route("/export.ris", get(export::ris_export))
        .route("/export.csl.json", get(export::csl))
        // issue 16: keyword in context, reading an edition, comparing witnesses
        .route("/kwic", get(kwic::page))
        .route("/kwic.csv", get(kwic::csv))
        .route("/api/kwic", get(kwic::api))
        .route("/compare", get(drafting::compare))
        .route("/static/style.css", get(|| async { static_file(STYLE_CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { static_file(APP_JS, "text/javascript; charset=utf-8") }))
        .route("/static/favicon.svg", get(|| async { static_file(FAVICON_SVG, "image/svg+xml") }))
        .fallback(not_found)
}

/// Serve the reading room on `addr` until the process is interrupted (Ctrl-C), read-only
/// (no API tokens). Builds its own tokio runtime; prints nothing.
pub fn serve(archive: Archive, addr: SocketAddr) -> anyhow::Result<()> {
    serve_with(archive, addr, WebConfig::default())
}

/// [`serve`] with a configuration: `chancery serve --api-token-file FILE` passes
/// `WebConfig::from_token_file(FILE)?` so that curators can write through the API.
pub fn serve_with(archive: Archive, addr: SocketAddr, config: WebConfig) -> anyhow::Result<()> {
    serve_with_options(archive, addr, config, ServeOptions::default())
}

/// [`serve_with`] with the server's limits (`chancery serve`'s flags). The host of `addr` is
/// answered besides the loopback names and `options.allowed_hosts`.
pub fn serve_with_options(
    archive: Archive,
    addr: SocketAddr,
    config: WebConfig,
    mut options: ServeOptions,
) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // the heavy pool's threads and one spare: nothing else runs on the blocking pool
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .max_blocking_threads(options.heavy_threads.max(1) + 1)
        .enable_all()
        .build()?;
    options.allow_bound_address(addr);
    // Searches name people through the person authority (`person:`, the person a search
    // names): load it once now, not in the first reader's search (seconds in a debug build).
    if let Err(e) = archive.persons_named("") {
        tracing::warn!("the person authority could not be loaded: {e}");
    }
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let app = app(Arc::new(archive), config, &options);
        serve_on(listener, app, &options, shutdown_signal()).await?;
        Ok(())
    })
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

fn static_file(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

async fn not_found(uri: Uri) -> Response {
    let f = Failure::NotFound(format!("There is no page at {}.", uri.path()));
    if uri.path().starts_with("/api/") {
        f.json()
    } else {
        f.html()
    }
}

fn html(page: maud::Markup) -> Response {
    Html(page.into_string()).into_response()
}

/// Collections with counts of documents as a reader sees them: another witness of a
/// document held (the plain-text copy of d52) is not counted again. The counts are the
/// index's (which leaves witnesses out); the total is all documents so counted.
fn reader_collections(a: &Archive) -> Result<(Vec<chancery_core::CollectionSummary>, u64), Failure> {
    let mut cols = a.collections().map_err(classify)?;
    let req = chancery_core::SearchRequest { limit: 0, facet_limit: 0, ..Default::default() };
    let all = a.search(&req).map_err(classify)?;
    if let Some(counts) = all.facets.get("collection") {
        for c in &mut cols {
            c.count = counts.iter().find(|f| f.value == c.id).map_or(0, |f| f.count);
        }
    }
    cols.retain(|c| c.count > 0);
    Ok((cols, all.total as u64))
}

/// The most recently added documents, each once: a witness of a document held is left out
/// (its primary is listed, or will be).
fn recent_once(a: &Archive, n: usize) -> Result<Vec<chancery_core::RecentDocument>, Failure> {
    let mut out = Vec::with_capacity(n);
    for r in a.recent(n * 3).map_err(classify)? {
        if out.len() == n {
            break;
        }
        if a.primary_of(&r.id).map_err(classify)?.is_none() {
            out.push(r);
        }
    }
    Ok(out)
}

async fn home(State(st): State<AppState>) -> Response {
    let loaded = st
        .with(|a| {
            let (cols, total) = reader_collections(a)?;
            Ok((cols, total, recent_once(a, pages::RECENT_SHOWN)?))
        })
        .await;
    match loaded {
        Ok((cols, total, recent)) => html(pages::home(&cols, total, &recent, st.archive.ledger_issues())),
        Err(f) => f.html(),
    }
}

async fn search(State(st): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let base = cite::base_of(&headers);
    let (p, error) = match SearchParams::parse(raw.as_deref()) {
        Ok(p) => (p, None),
        Err(m) => (SearchParams::lenient(raw.as_deref()), Some(m)),
    };
    // A submitted form sends its empty fields ("from=&to="); send the reader on to the
    // canonical URL so links back to this search stay short.
    if error.is_none() && params::has_empty_values(raw.as_deref()) {
        return axum::response::Redirect::to(&p.url()).into_response();
    }
    let r = st
        .heavy(move |a| {
            let cols = reader_collections(a)?.0;
            let none = pages::SearchExtras::default();
            if let Some(m) = error {
                return Ok((StatusCode::BAD_REQUEST, pages::search_page(&p, None, &cols, Some(&m), &none)));
            }
            if p.is_empty() {
                // words that held nothing but control characters: say so, list nothing
                let extras = pages::SearchExtras {
                    understood: (!p.q_notes.is_empty()).then(|| chancery_core::Understood {
                        query: String::new(),
                        notes: [p.q_notes.clone(), vec!["Nothing searchable was left in the query.".to_string()]]
                            .concat(),
                        terms: Vec::new(),
                    }),
                    ..Default::default()
                };
                return Ok((StatusCode::OK, pages::search_page(&p, None, &cols, None, &extras)));
            }
            // the page shows FACET_VALUES_SHOWN values a facet: count no more (an active
            // filter's value matches every hit, so it is always among them)
            let req = chancery_core::SearchRequest {
                facet_limit: p.facet_limit.unwrap_or(pages::FACET_VALUES_SHOWN),
                ..p.to_request()
            };
            match a.search(&req).map_err(classify) {
                Ok(results) => {
                    let extras = search_extras(a, &p, &results, &base)?;
                    Ok((StatusCode::OK, pages::search_page(&p, Some(&results), &cols, None, &extras)))
                }
                Err(Failure::BadRequest(m)) => {
                    Ok((StatusCode::BAD_REQUEST, pages::search_page(&p, None, &cols, Some(&m), &none)))
                }
                Err(f) => Err(f),
            }
        })
        .await;
    match r {
        Ok((status, page)) => (status, Html(page.into_string())).into_response(),
        Err(f) => f.html(),
    }
}

/// What the search page shows beside the hits: how the words were read (the query
/// inspector) and the person or place of the authority or gazetteer the words name.
fn search_extras(a: &Archive, p: &SearchParams, r: &SearchResults, base: &str) -> Result<pages::SearchExtras, Failure> {
    let mut understood = if p.q.is_empty() { None } else { Some(a.understand(&p.q).map_err(classify)?) };
    if let Some(u) = understood.as_mut() {
        let mut notes = p.q_notes.clone();
        notes.append(&mut u.notes);
        u.notes = notes;
    }
    // one COinS span a hit, so that Zotero offers the page's documents as "multiple"
    let mut coins = Vec::with_capacity(r.hits.len());
    for hit in &r.hits {
        if let Some(doc) = a.get(&hit.id).map_err(classify)? {
            let record = chancery_core::citation::Record::of(&doc);
            coins.push((
                hit.id.clone(),
                chancery_core::citation::coins(&record, &format!("{base}{}", util::doc_url(&hit.id))),
            ));
        }
    }
    Ok(pages::SearchExtras { understood, entities: named_entities(a, &p.q, r)?, coins })
}

/// The people and places a query names: `person:X`/`place:X`, or the whole query as a name.
/// A person is shown when the results mention them (the person facet), else when any
/// document held does; a place when the gazetteer knows the name.
fn named_entities(a: &Archive, q: &str, r: &SearchResults) -> Result<Vec<pages::Entity>, Failure> {
    let mut out = Vec::new();
    let q = q.trim();
    if q.is_empty() || q.chars().count() > 80 {
        return Ok(out);
    }
    let (person_name, place_name) = match q.split_once(':') {
        Some((f, v)) if f.trim() == "person" => (Some(v.trim().trim_matches('"')), None),
        Some((f, v)) if f.trim() == "place" => (None, Some(v.trim().trim_matches('"'))),
        Some(_) => (None, None),
        None if q.contains(['"', '(', ')', '*', '~'])
            || q.split_whitespace().any(|w| matches!(w, "OR" | "AND" | "NOT")) =>
        {
            (None, None)
        }
        None => (Some(q), Some(q)),
    };
    if let Some(name) = person_name.filter(|n| !n.is_empty()) {
        let in_results: Vec<&str> =
            r.facets.get("person").map(|v| v.iter().map(|f| f.value.as_str()).collect()).unwrap_or_default();
        let candidates = a.persons_named(name).map_err(classify)?;
        let pick = match candidates.iter().find(|c| in_results.contains(&c.id.as_str())) {
            Some(c) => Some(c),
            None => {
                let mut found = None;
                for c in candidates.iter().take(5) {
                    if !a.documents_mentioning(&c.id, 1).map_err(classify)?.is_empty() {
                        found = Some(c);
                        break;
                    }
                }
                found
            }
        };
        if let Some(person) = pick {
            out.push(pages::Entity::Person(person.clone()));
        }
    }
    if let Some(name) = place_name.filter(|n| !n.is_empty()) {
        if let Some(place) = a.places_named(name).into_iter().next() {
            out.push(pages::Entity::Place(place));
        }
    }
    Ok(out)
}

/// The documents before and after `d` in its collection (the store's date order), never a
/// witness of a document held (the plain-text copy of d52 is passed over: its primary is
/// the document itself or one listed); an untitled one is named by its id.
fn neighbours(a: &Archive, d: &Document) -> Result<(Option<doc::Neighbour>, Option<doc::Neighbour>), Failure> {
    let (mut prev, mut next) = a.neighbours(d).map_err(classify)?;
    // step over witnesses, a few at most
    for _ in 0..8 {
        let Some(n) = prev.as_ref() else { break };
        if a.primary_of(&n.id).map_err(classify)?.is_none() {
            break;
        }
        prev = match a.get(&n.id).map_err(classify)? {
            Some(w) => a.neighbours(&w).map_err(classify)?.0,
            None => None,
        };
    }
    for _ in 0..8 {
        let Some(n) = next.as_ref() else { break };
        if a.primary_of(&n.id).map_err(classify)?.is_none() {
            break;
        }
        next = match a.get(&n.id).map_err(classify)? {
            Some(w) => a.neighbours(&w).map_err(classify)?.1,
            None => None,
        };
    }
    let named = |n: Option<chancery_core::Neighbour>| {
        n.map(|n| doc::Neighbour { title: if n.title.trim().is_empty() { n.id.clone() } else { n.title }, id: n.id })
    };
    Ok((named(prev), named(next)))
}

fn path_id(p: PathId) -> Result<String, Failure> {
    match p {
        Ok(Path(id)) => Ok(id.trim_start_matches('/').to_string()),
        Err(e) => Err(Failure::BadRequest(format!("bad document id in the URL: {e}"))),
    }
}

type PathId = Result<Path<String>, axum::extract::rejection::PathRejection>;

/// An HTML page about the id in the path, made on the heavy pool: a bad id is a 400 page, a
/// failure of `f` its error page.
async fn page_for<F>(st: AppState, id: PathId, f: F) -> Response
where
    F: FnOnce(&Archive, String) -> Result<maud::Markup, Failure> + Send + 'static,
{
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.html(),
    };
    match st.heavy(move |a| f(a, id)).await {
        Ok(page) => html(page),
        Err(f) => f.html(),
    }
}

/// A JSON answer about the id in the path, made on the heavy pool, with JSON errors.
async fn json_for<T, F>(st: AppState, id: PathId, f: F) -> Response
where
    T: serde::Serialize + Send + 'static,
    F: FnOnce(&Archive, String) -> Result<T, Failure> + Send + 'static,
{
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.json(),
    };
    match st.heavy(move |a| f(a, id)).await {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

async fn document(
    State(st): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.html(),
    };
    // `/doc/{id}/cite.bib` and the like, or a reference manager's Accept header
    let download = match cite::download_path(&id) {
        Some((doc, format)) => Some((doc.to_string(), format)),
        None => cite::negotiate(&headers).map(|f| (id.clone(), f)),
    };
    if let Some((doc, format)) = download {
        if let Some(res) = cite::download(&st, doc, format, cite::base_of(&headers)).await {
            return res;
        }
    }
    let back = params::back_param(raw.as_deref());
    let cache = st.contents.clone();
    let r = st
        .with(move |a| {
            let Some(d) = a.get(&id).map_err(classify)? else {
                return Err(Failure::NotFound(format!("There is no document with the id “{id}”.")));
            };
            let mut chapter = None;
            let (prev, next, collection_title) = match &d.collection {
                Some(c) => {
                    // the edition's own order when the collection is listed whole, else the
                    // store's date order
                    let contents = cache.get(a, &c.id)?;
                    let (prev, next) = match contents.as_deref().and_then(|k| Some((k, k.position(&d.id)?))) {
                        Some((k, i)) => {
                            chapter = Some(doc::chapter_panel(k, &d));
                            let named = |e: &edition::Entry| doc::Neighbour {
                                id: e.id.clone(),
                                title: if e.title.trim().is_empty() { e.id.clone() } else { e.title.clone() },
                            };
                            (i.checked_sub(1).map(|j| named(&k.entries[j])), k.entries.get(i + 1).map(named))
                        }
                        None => neighbours(a, &d)?,
                    };
                    // The document carries its collection's title; ask the store only when it
                    // does not.
                    let title = match c.title.trim() {
                        "" => a.collection(&c.id).map_err(classify)?.map(|s| s.title),
                        t => Some(t.to_string()),
                    };
                    (prev, next, title)
                }
                None => (None, None, None),
            };
            let links = links::gather(a, &d)?;
            let ledger = doc_ledger(a, &d.id)?;
            Ok(doc::doc_page(&doc::DocPage {
                doc: &d,
                prev,
                next,
                back,
                collection_title,
                links: Some(&links),
                ledger: Some(&ledger),
                chapter,
            }))
        })
        .await;
    match r {
        Ok(page) => html(page),
        Err(f) => f.html(),
    }
}

async fn collection(
    State(st): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.html(),
    };
    let page = match params::page_param(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).html(),
    };
    let cache = st.contents.clone();
    let r = st
        .heavy(move |a| {
            let Some(mut summary) = a.collection(&id).map_err(classify)? else {
                return Err(Failure::NotFound(format!("There is no collection with the id “{id}”.")));
            };
            let offset = (page - 1).saturating_mul(COLLECTION_PAGE);
            // the edition's own order (document number, then date) when the collection is
            // listed whole; a very large one a page at a time in date order
            let (contents, total) = match cache.get(a, &id)? {
                Some(c) => {
                    let n = c.entries.len();
                    (c, n)
                }
                None => {
                    let (mut c, total) = edition::read_page(a, &id, offset, COLLECTION_PAGE)?;
                    edition::edition_order(&mut c.entries);
                    (Arc::new(c), total)
                }
            };
            // documents as a reader sees them: the index leaves witnesses out
            summary.count = total as u64;
            let pages = total.div_ceil(COLLECTION_PAGE).max(1);
            if page > pages {
                return Err(Failure::NotFound(format!("The contents of “{id}” have {pages} page(s), not {page}.")));
            }
            let listed_whole = contents.entries.len() == total && total > 0;
            let shown: &[edition::Entry] = if listed_whole {
                let end = (offset + COLLECTION_PAGE).min(total);
                &contents.entries[offset.min(end)..end]
            } else {
                &contents.entries
            };
            // what was read of the collection (issue 15), on its first page
            let fidelity = if page == 1 { a.fidelity(&id).map_err(classify)? } else { None };
            Ok(pages::collection_page(&summary, &contents, shown, page, pages, fidelity.as_ref()))
        })
        .await;
    match r {
        Ok(page) => html(page),
        Err(f) => f.html(),
    }
}

/// `/api/search`. A search whose values are each valid but which can find nothing (an empty
/// date range, a page past the deepest offset) is answered with no hits and a note, not
/// refused: the OpenAPI document cannot state how two parameters must relate.
#[utoipa::path(
    get,
    path = "/api/search",
    operation_id = "search",
    tag = "archive",
    params(SearchParams),
    responses(
        (status = 200, description = "Ranked hits with snippets and facet counts", body = api::ApiSearchResults),
        (status = 400, description = "A value the parameter does not allow, or a query the syntax does not allow", body = api::ApiError),
        (status = 503, description = "The server is at a limit (too many heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match SearchParams::parse_values(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    let r = st
        .heavy(move |a| {
            let mut notes = p.q_notes.clone();
            if let Some(why) = p.unanswerable() {
                notes.push(why);
                let req = p.to_request();
                if p.offset() <= params::MAX_OFFSET {
                    // an empty date range: nothing matches
                    return Ok(api::no_results(req.offset, req.limit, notes));
                }
                // a page too deep: the matches are counted and the facets drawn, no hit listed
                let mut r = a.search(&SearchRequest { offset: 0, limit: 1, ..req.clone() }).map_err(classify)?;
                r.hits.clear();
                return Ok(api::search_results(&r, req.offset, req.limit, notes));
            }
            let req = p.to_request();
            let r = a.search(&req).map_err(classify)?;
            Ok(api::search_results(&r, req.offset, req.limit, notes))
        })
        .await;
    match r {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

#[utoipa::path(
    get,
    path = "/api/doc/{id}",
    operation_id = "get_document",
    tag = "archive",
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52", description = "Document id; it may contain '/' (frus1955-57v23p1/d52), sent as it is or percent-encoded")),
    responses(
        (status = 200, description = "The document", body = api::DocumentJson),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 404, description = "No document with this id", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_doc(
    State(st): State<AppState>,
    id: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.json(),
    };
    // `/api/doc/{id}/links`: the links of document `id`, unless a document's own id ends in
    // "/links" (then that document is returned). The document is read on the async worker;
    // its links (related documents: a search) on the heavy pool.
    let doc_id = id.clone();
    let found = st
        .with(move |a| {
            if let Some(d) = a.get(&doc_id).map_err(classify)? {
                return Ok(Err(d));
            }
            if let Some(base) = doc_id.strip_suffix(LINKS_SUFFIX) {
                if let Some(d) = a.get(base).map_err(classify)? {
                    return Ok(Ok(d));
                }
                return Err(Failure::NotFound(format!("no document with id {base:?}")));
            }
            Err(Failure::NotFound(format!("no document with id {doc_id:?}")))
        })
        .await;
    match found {
        Ok(Err(doc)) => axum::Json(doc).into_response(),
        Ok(Ok(of)) => api_links(st, of).await,
        Err(f) => f.json(),
    }
}

/// `/api/doc/{id}/links`, reached through [`api_doc`] (one wildcard route): the links of a
/// document, on the heavy pool (related documents are a search).
#[utoipa::path(
    get,
    path = "/api/doc/{id}/links",
    operation_id = "get_document_links",
    tag = "links",
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52", description = "Document id; it may contain '/' (frus1955-57v23p1/d52), sent as it is or percent-encoded. When a document's own id ends in /links, /api/doc/{id} returns that document")),
    responses(
        (status = 200, description = "The document's witnesses, people, places, filing numbers, references and related documents", body = api::ApiLinks),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 404, description = "No document with this id", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_links(st: AppState, d: Document) -> Response {
    let r = st
        .heavy(move |a| {
            let mut l = links::gather(a, &d)?;
            l.related = links::related(a, &d.id)?;
            Ok(axum::Json(api::links(&d, &l)).into_response())
        })
        .await;
    r.unwrap_or_else(|f| f.json())
}

/// Documents that mention a person counted at most (a person page says "10000 or more").
pub(crate) const MAX_PERSON_DOCS: usize = params::MAX_OFFSET;

/// One page of the documents that mention a person, oldest first, and how many there are.
#[derive(Debug, Clone)]
pub(crate) struct PersonDocs {
    pub page: Vec<chancery_core::MentioningDocument>,
    /// All of them, counted up to [`MAX_PERSON_DOCS`].
    pub total: usize,
    /// The ids of all of them (up to [`MAX_PERSON_DOCS`]).
    pub ids: std::collections::HashSet<String>,
    pub paging: Paging,
}

/// The documents that mention a person, oldest first, without the other witnesses of a
/// document (a copy of a document is not another document that mentions them; searches leave
/// witnesses out in the same way): one page of them. The source of the paged lists of a
/// person: today the store's list (at most [`MAX_PERSON_DOCS`]) is cut here; a paged store
/// query can take its place.
fn mentioning(a: &Archive, person: &str, paging: Paging) -> Result<PersonDocs, Failure> {
    let mut all = Vec::new();
    for d in a.documents_mentioning(person, MAX_PERSON_DOCS).map_err(classify)? {
        if a.primary_of(&d.id).map_err(classify)?.is_none() {
            all.push(d);
        }
    }
    let total = all.len();
    let ids = all.iter().map(|d| d.id.clone()).collect();
    let page = all.into_iter().skip(paging.offset).take(paging.size).collect();
    Ok(PersonDocs { page, total, ids, paging })
}

fn unknown_person(id: &str) -> Failure {
    Failure::NotFound(format!("There is no person with the id “{id}” in the authority file."))
}

fn unknown_place(id: &str) -> Failure {
    Failure::NotFound(format!("There is no place with the id “{id}” in the gazetteer."))
}

/// `/related/{id}`: the documents most related to a document, with the reasons; with
/// `?fragment` only the list, which the document page's script puts in its Related section.
async fn related(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let fragment = raw.as_deref().is_some_and(|q| q.split('&').any(|p| p == "fragment" || p.starts_with("fragment=")));
    page_for(st, id, move |a, id| {
        let Some(title) = a.title(&id).map_err(classify)? else {
            return Err(Failure::NotFound(format!("There is no document with the id “{id}”.")));
        };
        let related = links::related(a, &id)?;
        Ok(if fragment { sections::related_list(&related) } else { sections::related_page(&id, &title, &related) })
    })
    .await
}

async fn person(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let paging = match Paging::parse(raw.as_deref(), params::DEFAULT_PERSON_PAGE, params::MAX_PERSON_PAGE) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).html(),
    };
    page_for(st, id, move |a, id| {
        let Some(p) = a.person(&id).map_err(classify)? else { return Err(unknown_person(&id)) };
        let docs = mentioning(a, &id, paging)?;
        // the timeline draws the documents of every page (at most 1000), those the list has
        let mut items = a.person_timeline(&id, util::doc_url).map_err(classify)?;
        items.retain(|i| docs.ids.contains(&i.id));
        Ok(entity::person_page(&p, &docs, &items))
    })
    .await
}

/// A place, the text query for its names, and the documents the gazetteer found it in (at
/// most [`TIMELINE_LIMIT`], by date) with their total.
type PlaceDocs = (chancery_link::places::Place, String, Vec<chancery_link::timeline::TimelineItem>, usize);

fn place_docs(a: &Archive, id: &str) -> Result<PlaceDocs, Failure> {
    let Some(p) = chancery_link::places::Gazetteer::builtin().get(id) else { return Err(unknown_place(id)) };
    let query = entity::place_query(p);
    // the documents the gazetteer found the place in (the `place` facet), which also knows
    // the forms a phrase search misses ("H[abomai]", case endings)
    let req = chancery_core::SearchRequest {
        filters: vec![("place".to_string(), p.id.clone())],
        sort: Sort::DateAsc,
        limit: TIMELINE_LIMIT,
        ..Default::default()
    };
    let (items, total) = a.timeline(&req, util::doc_url).map_err(classify)?;
    Ok((p.clone(), query, items, total))
}

/// Documents of a place page shown with the passage that names the place (the first, by date).
const PLACE_PASSAGES: usize = 100;

/// The passage naming the place in each of the first [`PLACE_PASSAGES`] documents: where the
/// gazetteer found it in the text (or else in a note), as (before, name as printed, after,
/// note number).
fn place_passages(
    a: &Archive,
    place: &str,
    items: &[chancery_link::timeline::TimelineItem],
) -> Result<HashMap<String, entity::Passage>, Failure> {
    let mut out = HashMap::new();
    for it in items.iter().take(PLACE_PASSAGES) {
        let Some(d) = a.get(&it.id).map_err(classify)? else { continue };
        let found = a.found(&d).map_err(classify)?;
        let mut matches: Vec<_> = found.places.iter().filter(|m| m.place == place).collect();
        // in the text first, then in the notes
        matches.sort_by_key(|m| m.offset.is_none());
        let passage = matches.iter().find_map(|m| {
            let (text, at, note) = match (m.offset, &m.note, m.note_offset) {
                (Some(o), _, _) => (d.text.as_str(), o, None),
                (None, Some(n), Some(o)) => (d.note(n)?.text.as_str(), o, Some(n.clone())),
                _ => return None,
            };
            let start = text.char_indices().nth(at).map(|(i, _)| i)?;
            let len: usize = text[start..].chars().take(m.text.chars().count()).map(char::len_utf8).sum();
            let (before, word, after) = chancery_index::kwic::context(text, start, start + len, 90);
            Some(entity::Passage { before, word, after, note })
        });
        if let Some(p) = passage {
            out.insert(it.id.clone(), p);
        }
    }
    Ok(out)
}

async fn place(State(st): State<AppState>, id: PathId) -> Response {
    page_for(st, id, |a, id| {
        let (p, query, items, total) = place_docs(a, &id)?;
        // Corpus documents the gazetteer cites are linked when the archive holds them.
        let mut held = std::collections::HashSet::new();
        for s in p.sources.iter().filter_map(|s| s.strip_prefix("corpus:")) {
            let doc_id = s.split_once(" (").map_or(s, |(d, _)| d);
            if a.title(doc_id).map_err(classify)?.is_some() {
                held.insert(doc_id.to_string());
            }
        }
        let passages = place_passages(a, &p.id, &items)?;
        Ok(entity::place_page(&p, &items, total, &query, &|d| held.contains(d), &passages))
    })
    .await
}

async fn timeline(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let (p, error) = match SearchParams::parse(raw.as_deref()) {
        Ok(p) => (p, None),
        Err(m) => (SearchParams::lenient(raw.as_deref()), Some(m)),
    };
    if error.is_none() && params::has_empty_values(raw.as_deref()) {
        return axum::response::Redirect::to(&p.timeline_url()).into_response();
    }
    let r = st
        .heavy(move |a| {
            if let Some(m) = error {
                return Ok((StatusCode::BAD_REQUEST, entity::timeline_page(&p, None, Some(&m))));
            }
            if p.is_empty() {
                return Ok((StatusCode::OK, entity::timeline_page(&p, None, None)));
            }
            match a.timeline(&p.to_timeline_request(TIMELINE_LIMIT), util::doc_url).map_err(classify) {
                Ok((items, total)) => Ok((StatusCode::OK, entity::timeline_page(&p, Some((&items, total)), None))),
                Err(Failure::BadRequest(m)) => Ok((StatusCode::BAD_REQUEST, entity::timeline_page(&p, None, Some(&m)))),
                Err(f) => Err(f),
            }
        })
        .await;
    match r {
        Ok((status, page)) => (status, Html(page.into_string())).into_response(),
        Err(f) => f.html(),
    }
}

/// The timeline items of a search given as query parameters (not empty).
fn timeline_items(
    a: &Archive,
    p: &SearchParams,
) -> Result<(Vec<chancery_link::timeline::TimelineItem>, usize), Failure> {
    if p.is_empty() {
        return Err(Failure::BadRequest(
            "nothing to draw: give words (q), dates (from, to), a collection or a filter".to_string(),
        ));
    }
    a.timeline(&p.to_timeline_request(TIMELINE_LIMIT), util::doc_url).map_err(classify)
}

async fn timeline_svg(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match SearchParams::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).text(),
    };
    let r = st
        .heavy(move |a| {
            let (items, _) = timeline_items(a, &p)?;
            let title = if p.q.is_empty() { "Timeline".to_string() } else { format!("Timeline: {}", p.q) };
            let options = chancery_link::timeline::SvgOptions { title, ..Default::default() };
            Ok(chancery_link::timeline::svg(&items, &options))
        })
        .await;
    match r {
        Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        Err(f) => f.text(),
    }
}

#[utoipa::path(
    get,
    path = "/api/person/{id}",
    operation_id = "get_person",
    tag = "links",
    params(
        ("id" = String, Path, min_length = 1, example = "107127", description = "Authority id (Office of the Historian person id)"),
        params::PersonPaging
    ),
    responses(
        (status = 200, description = "The person and the documents that mention them", body = api::ApiPerson),
        (status = 400, description = "A bad offset or limit", body = api::ApiError),
        (status = 404, description = "No person with this id", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_person(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let paging = match Paging::parse(raw.as_deref(), params::DEFAULT_PERSON_PAGE, params::MAX_PERSON_PAGE) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    json_for(st, id, move |a, id| {
        let Some(p) = a.person(&id).map_err(classify)? else { return Err(unknown_person(&id)) };
        let docs = mentioning(a, &id, paging)?;
        Ok(api::person(&p, &docs))
    })
    .await
}

#[utoipa::path(
    get,
    path = "/api/place/{id}",
    operation_id = "get_place",
    tag = "links",
    params(("id" = String, Path, min_length = 1, example = "habomai", description = "Gazetteer id (habomai)")),
    responses(
        (status = 200, description = "The place and the documents that name it", body = api::ApiPlace),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 404, description = "No place with this id", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_place(State(st): State<AppState>, id: PathId) -> Response {
    json_for(st, id, |a, id| {
        let (p, query, items, total) = place_docs(a, &id)?;
        Ok(api::place(&p, &query, &items, total))
    })
    .await
}

/// `/api/timeline`: nothing asked for, or an empty date range, draws nothing (and says why in
/// `notes`); it is not refused.
#[utoipa::path(
    get,
    path = "/api/timeline",
    operation_id = "timeline",
    tag = "links",
    params(params::TimelineParams),
    responses(
        (status = 200, description = "The matching documents by date (at most 1000)", body = api::ApiTimeline),
        (status = 400, description = "A value the parameter does not allow, or a query the syntax does not allow", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_timeline(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match SearchParams::parse_values(raw.as_deref()) {
        Ok(p) => SearchParams { page: 1, offset: None, ..p },
        Err(m) => return Failure::BadRequest(m).json(),
    };
    let r = st
        .heavy(move |a| {
            let mut notes = p.q_notes.clone();
            let nothing = if p.is_empty() {
                Some("nothing to draw: give words (q), dates (from, to), a collection or a filter".to_string())
            } else {
                p.unanswerable()
            };
            if let Some(why) = nothing {
                notes.push(why);
                return Ok(api::ApiTimeline { total: 0, items: Vec::new(), notes });
            }
            let (items, total) = timeline_items(a, &p)?;
            Ok(api::ApiTimeline { total, items: api::timeline_items(&items), notes })
        })
        .await;
    match r {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

#[utoipa::path(
    get,
    path = "/api/collections",
    operation_id = "list_collections",
    tag = "archive",
    responses((status = 200, description = "The collections held", body = [api::ApiCollection]))
)]
async fn api_collections(State(st): State<AppState>) -> Response {
    match st.with(|a| Ok(reader_collections(a)?.0)).await {
        Ok(cols) => axum::Json(api::collections(&cols)).into_response(),
        Err(f) => f.json(),
    }
}

/// `/api/openapi.json`: the OpenAPI 3.1 document of the API, made from the handlers above.
async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], api::openapi_json()).into_response()
}

// ---------------------------------------------------------------------------------------
// The issue ledger (issue 6)

/// The positions a document states (all but the rejected), in the order of the document: body
/// passages by block, then notes. One indexed query.
fn doc_ledger(a: &Archive, id: &str) -> Result<issues::DocLedger, Failure> {
    let filter = LedgerFilter { document: Some(id.to_string()), ..Default::default() };
    let mut positions: Vec<issues::DocPosition> = a
        .ledger_positions(&filter)
        .map_err(classify)?
        .into_iter()
        .filter(|p| p.status != Status::Rejected)
        .map(|p| issues::DocPosition {
            issue_title: a.ledger_issue(&p.issue).map_or_else(|| p.issue.clone(), |i| i.title.clone()),
            position: p,
        })
        .collect();
    positions.sort_by(|x, y| {
        let key = |d: &issues::DocPosition| {
            let s = &d.position.source;
            let note = s.note.as_deref().map(|n| (n.parse::<u64>().unwrap_or(u64::MAX), n.to_string()));
            (note.is_some(), s.block.clone(), note, d.position.id.clone())
        };
        key(x).cmp(&key(y))
    });
    Ok(issues::DocLedger { positions })
}

/// The titles of the documents the positions come from.
fn titles<'p>(a: &Archive, positions: impl IntoIterator<Item = &'p Position>) -> Result<ledger_api::Titles, Failure> {
    let mut out: HashMap<String, String> = HashMap::new();
    for p in positions {
        let doc = &p.source.document;
        if !out.contains_key(doc) {
            if let Some(t) = a.title(doc).map_err(classify)?.filter(|t| !t.trim().is_empty()) {
                out.insert(doc.clone(), t);
            }
        }
    }
    Ok(out)
}

fn ledger_positions_of(l: &chancery_core::IssueLedger) -> impl Iterator<Item = &Position> {
    l.rows.iter().flat_map(|r| r.cells.iter().flatten())
}

/// An issue's table with the statuses asked for, or a 404.
fn issue_ledger(a: &Archive, id: &str, shown: StatusParam) -> Result<chancery_core::IssueLedger, Failure> {
    a.issue_ledger(id, &shown.statuses())
        .map_err(classify)?
        .ok_or_else(|| Failure::NotFound(format!("There is no issue with the id “{id}”.")))
}

async fn issues_page(State(st): State<AppState>) -> Response {
    let r = st
        .heavy(|a| {
            let counts = a.ledger_counts_by_issue().map_err(classify)?;
            Ok(issues::issues_page(&issues::counts_by_issue(a.ledger_issues(), &counts)))
        })
        .await;
    match r {
        Ok(page) => html(page),
        Err(f) => f.html(),
    }
}

/// One page of an issue's positions with the statuses asked for, or a 404. The source of
/// the paged lists of an issue: today the whole table is arranged (`Archive::issue_ledger`)
/// and the page cut out of it ([`issues::paged`]); a paged store query can take its place
/// here without the pages or the API changing.
fn issue_positions_page(
    a: &Archive,
    id: &str,
    shown: StatusParam,
    paging: Paging,
) -> Result<issues::IssuePage, Failure> {
    let l = issue_ledger(a, id, shown)?;
    Ok(issues::paged(&l, paging))
}

async fn issue_page(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let shown = match StatusParam::from_query(raw.as_deref()) {
        Ok(s) => s,
        Err(m) => return Failure::BadRequest(m).html(),
    };
    let paging = match Paging::parse(raw.as_deref(), params::DEFAULT_ISSUE_PAGE, params::MAX_ISSUE_PAGE) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).html(),
    };
    page_for(st, id, move |a, id| {
        let page = issue_positions_page(a, &id, shown, paging)?;
        let titles = titles(a, page.positions())?;
        Ok(issues::issue_page(&page, &titles, shown))
    })
    .await
}

/// A file name made of the id's safe characters.
fn file_stem(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
}

#[utoipa::path(
    get,
    path = "/issue/{id}/ledger.csv",
    operation_id = "get_issue_ledger_csv",
    tag = "ledger",
    params(("id" = String, Path, min_length = 1, example = "habomai-shikotan", description = "Issue id"), StatusParam),
    responses(
        (status = 200, description = "The positions of the issue's table as CSV (RFC 4180, header: id, issue, party, date_from, date_to, date_text, stance, condition_keys, conditions, stated_by, reported_by, document, locator, span_start, span_end, origin, rule_or_person, status)", content_type = "text/csv", body = String),
        (status = 400, description = "A status the parameter does not allow", content_type = "text/plain", body = String),
        (status = 404, description = "No issue with this id", content_type = "text/plain", body = String),
        (status = 503, description = "The server is at a limit; Retry-After says when to try again", content_type = "text/plain", body = String),
    )
)]
async fn issue_csv(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let shown = match StatusParam::from_query(raw.as_deref()) {
        Ok(s) => s,
        Err(m) => return Failure::BadRequest(m).text(),
    };
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.text(),
    };
    let r = st
        .heavy(move |a| {
            let l = issue_ledger(a, &id, shown)?;
            let positions: Vec<Position> = ledger_positions_of(&l).cloned().collect();
            Ok((l.issue.id.clone(), chancery_ledger::to_csv(&positions)))
        })
        .await;
    match r {
        Ok((id, csv)) => {
            let suffix = shown.as_param().map(|s| format!("-{s}")).unwrap_or_default();
            let disposition = format!("attachment; filename=\"{}-ledger{suffix}.csv\"", file_stem(&id));
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"ledger.csv\"")),
                    ),
                ],
                csv,
            )
                .into_response()
        }
        Err(f) => f.text(),
    }
}

#[utoipa::path(
    get,
    path = "/api/issues",
    operation_id = "list_issues",
    tag = "ledger",
    responses(
        (status = 200, description = "The issues of the ledger with their positions counted by status", body = [ledger_api::ApiIssue]),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_issues(State(st): State<AppState>) -> Response {
    let r = st
        .heavy(|a| {
            let counts = a.ledger_counts_by_issue().map_err(classify)?;
            Ok(issues::counts_by_issue(a.ledger_issues(), &counts)
                .into_iter()
                .map(|(i, c)| ledger_api::issue(i, Some(c)))
                .collect::<Vec<_>>())
        })
        .await;
    match r {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

#[utoipa::path(
    get,
    path = "/api/issue/{id}",
    operation_id = "get_issue_ledger",
    tag = "ledger",
    params(
        ("id" = String, Path, min_length = 1, example = "habomai-shikotan", description = "Issue id (habomai-shikotan)"),
        StatusParam,
        params::IssuePaging
    ),
    responses(
        (status = 200, description = "The issue's positions, parties by years, with each party's condition changes described", body = ledger_api::ApiIssueLedger),
        (status = 400, description = "A status, offset or limit the parameter does not allow", body = api::ApiError),
        (status = 404, description = "No issue with this id", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_issue(State(st): State<AppState>, id: PathId, RawQuery(raw): RawQuery) -> Response {
    let shown = match StatusParam::from_query(raw.as_deref()) {
        Ok(s) => s,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    let paging = match Paging::parse(raw.as_deref(), params::DEFAULT_POSITIONS, params::MAX_POSITIONS) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    json_for(st, id, move |a, id| {
        let page = issue_positions_page(a, &id, shown, paging)?;
        let titles = titles(a, page.positions())?;
        Ok(ledger_api::issue_ledger(&page, shown.names(), &titles))
    })
    .await
}

/// One page of the positions a filter selects, and how many it selects in all. Today the
/// store's list is cut here; a paged store query can take its place.
fn positions_page(
    a: &Archive,
    filter: &LedgerFilter,
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<Position>), Failure> {
    let (total, page) = a.ledger_positions_page(filter, offset, limit).map_err(classify)?;
    Ok((usize::try_from(total).unwrap_or(usize::MAX), page))
}

#[utoipa::path(
    get,
    path = "/api/positions",
    operation_id = "list_positions",
    tag = "ledger",
    params(PositionsParams),
    responses(
        (status = 200, description = "Positions by issue, party, date and id", body = ledger_api::ApiPositions),
        (status = 400, description = "A value the parameter does not allow", body = api::ApiError),
        (status = 503, description = "The server is at a limit (heavy requests queued, or the request took too long); Retry-After says when to try again", body = api::ApiError),
    )
)]
async fn api_positions(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match PositionsParams::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(m) => return Failure::BadRequest(m).json(),
    };
    let r = st
        .heavy(move |a| {
            if let Some(i) = p.filter.issue.as_deref().filter(|i| a.ledger_issue(i).is_none()) {
                let known: Vec<&str> = a.ledger_issues().iter().map(|i| i.id.as_str()).collect();
                return Err(Failure::BadRequest(format!("issue: no issue {i:?} (issues: {})", known.join(", "))));
            }
            let (total, page) = positions_page(a, &p.filter, p.offset, p.limit)?;
            let titles = titles(a, &page)?;
            Ok(ledger_api::ApiPositions {
                total,
                offset: p.offset,
                limit: p.limit,
                positions: page.iter().map(|x| ledger_api::position(x, &titles)).collect(),
            })
        })
        .await;
    match r {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

#[utoipa::path(
    get,
    path = "/api/position/{id}",
    operation_id = "get_position",
    tag = "ledger",
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52#b4.0/habomai-shikotan/ussr", description = "Position id, percent-encoded ('#' as %23; '/' may stay)")),
    responses(
        (status = 200, description = "The position and its change history, oldest first", body = ledger_api::ApiPositionHistory),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 404, description = "No position with this id", body = api::ApiError),
    )
)]
async fn api_position(State(st): State<AppState>, id: PathId) -> Response {
    let id = match path_id(id) {
        Ok(id) => id,
        Err(f) => return f.json(),
    };
    let r = st
        .with(move |a| {
            let Some(p) = a.ledger_position(&id).map_err(classify)? else {
                return Err(Failure::NotFound(format!("no position {id:?}")));
            };
            let history = a.ledger_history(Some(&id)).map_err(classify)?;
            let titles = titles(a, std::iter::once(&p))?;
            Ok(ledger_api::ApiPositionHistory {
                position: ledger_api::position(&p, &titles),
                history: history.iter().map(|c| ledger_api::change(c, &titles)).collect(),
            })
        })
        .await;
    match r {
        Ok(body) => axum::Json(body).into_response(),
        Err(f) => f.json(),
    }
}

/// The name of the API token the request carries, or why it may not write.
fn writer(st: &AppState, headers: &HeaderMap) -> Result<String, Failure> {
    let value = headers.get(header::AUTHORIZATION).map(HeaderValue::as_bytes);
    auth::authorize(&st.config.api_tokens, value).map(str::to_string).map_err(|r| match r {
        auth::Refusal::WritesDisabled => Failure::Forbidden(r.message().to_string()),
        auth::Refusal::Missing | auth::Refusal::Wrong => Failure::Unauthorized(r.message().to_string()),
    })
}

/// A write's JSON body: `application/json`, at most the server's body limit (`max`), of the shape `T`
/// (unknown fields refused).
async fn json_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: Body, max: usize) -> Result<T, Failure> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json")) {
        return Err(Failure::UnsupportedMedia(format!(
            "send the body as JSON (Content-Type: application/json), not {:?}",
            if ct.is_empty() { "nothing" } else { ct }
        )));
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| Failure::TooLarge(format!("the body is larger than {} KiB", max / 1024)))?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::BadRequest(format!("the body does not fit: {e}")))
}

/// The JSON answer to a write: the change, with 200 or (a new position) 201 and its Location.
fn change_response(a: &Archive, change: &chancery_core::Change, created: bool) -> Result<Response, Failure> {
    let titles = titles(a, change.before.iter().chain(change.after.iter()))?;
    let body = axum::Json(ledger_api::change(change, &titles));
    if created {
        let location = HeaderValue::from_str(&issues::position_api_url(&change.position))
            .map_err(|e| Failure::Internal(format!("the new position's URL: {e}")))?;
        Ok((StatusCode::CREATED, [(header::LOCATION, location)], body).into_response())
    } else {
        Ok(body.into_response())
    }
}

/// Another method on `/api/position/{…}`: 405, allowing what the address takes (POST for the
/// writes `…/accept`, `…/reject`, `…/edit`, GET for a position), as the OpenAPI document says.
async fn position_methods(uri: Uri) -> Response {
    let write = ["/accept", "/reject", "/edit"].iter().any(|w| uri.path().ends_with(w));
    let allow = if write { "POST" } else { "GET, HEAD" };
    let mut res = Failure::MethodNotAllowed(format!("this address takes {allow}")).json();
    res.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    res
}

/// `POST /api/position/{id}/accept`, `…/reject`, `…/edit` (a JSON body): one wildcard route,
/// which hands each write to its handler.
async fn api_curate_position(State(st): State<AppState>, id: PathId, headers: HeaderMap, body: Body) -> Response {
    // Who, before anything else: without a valid token nothing is read or revealed.
    let by = match writer(&st, &headers) {
        Ok(by) => by,
        Err(f) => return f.json(),
    };
    let path = match path_id(id) {
        Ok(p) => p,
        Err(f) => return f.json(),
    };
    let actions = "POST /api/position/{id}/accept, /reject or /edit";
    let Some((id, action)) = path.rsplit_once('/') else {
        return Failure::NotFound(format!("no write at this address ({actions})")).json();
    };
    let id = id.to_string();
    match action {
        "accept" => api_accept_position(st, id, by).await,
        "reject" => api_reject_position(st, id, by).await,
        "edit" => api_edit_position(st, id, by, headers, body).await,
        _ => Failure::NotFound(format!("no write {action:?} ({actions})")).json(),
    }
}

#[utoipa::path(
    post,
    path = "/api/position/{id}/accept",
    operation_id = "accept_position",
    tag = "ledger curation",
    security(("api_token" = [])),
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52#b4.0/habomai-shikotan/ussr", description = "Position id, percent-encoded")),
    responses(
        (status = 200, description = "Accepted; the change recorded (by: the token's name)", body = ledger_api::ApiChange),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 401, description = "No bearer token, or not one of the server's", body = api::ApiError),
        (status = 403, description = "The server has no API tokens: writes are disabled", body = api::ApiError),
        (status = 404, description = "No position with this id", body = api::ApiError),
        (status = 409, description = "Already accepted", body = api::ApiError),
    )
)]
async fn api_accept_position(st: AppState, id: String, by: String) -> Response {
    let r = st.with(move |a| change_response(a, &a.ledger_accept(&id, &by).map_err(classify_write)?, false)).await;
    r.unwrap_or_else(|f| f.json())
}

#[utoipa::path(
    post,
    path = "/api/position/{id}/reject",
    operation_id = "reject_position",
    tag = "ledger curation",
    security(("api_token" = [])),
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52#b4.0/habomai-shikotan/ussr", description = "Position id, percent-encoded")),
    responses(
        (status = 200, description = "Rejected (the position stays, marked rejected); the change recorded", body = ledger_api::ApiChange),
        (status = 400, description = "An id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 401, description = "No bearer token, or not one of the server's", body = api::ApiError),
        (status = 403, description = "The server has no API tokens: writes are disabled", body = api::ApiError),
        (status = 404, description = "No position with this id", body = api::ApiError),
        (status = 409, description = "Already rejected", body = api::ApiError),
    )
)]
async fn api_reject_position(st: AppState, id: String, by: String) -> Response {
    let r = st.with(move |a| change_response(a, &a.ledger_reject(&id, &by).map_err(classify_write)?, false)).await;
    r.unwrap_or_else(|f| f.json())
}

#[utoipa::path(
    post,
    path = "/api/position/{id}/edit",
    operation_id = "edit_position",
    tag = "ledger curation",
    security(("api_token" = [])),
    params(("id" = String, Path, min_length = 1, example = "frus1955-57v23p1/d52#b4.0/habomai-shikotan/ussr", description = "Position id, percent-encoded")),
    request_body(
        content = ledger_api::ApiPositionEdit,
        content_type = "application/json",
        example = json!({"conditions": ["the islands are not militarized"], "stated_by": "Malik"})
    ),
    responses(
        (status = 200, description = "Edited; the change recorded with the position before and after", body = ledger_api::ApiChange),
        (status = 400, description = "A body that is not valid JSON of this shape, or an id that is not valid percent-encoded UTF-8", body = api::ApiError),
        (status = 401, description = "No bearer token, or not one of the server's", body = api::ApiError),
        (status = 403, description = "The server has no API tokens: writes are disabled", body = api::ApiError),
        (status = 404, description = "No position with this id", body = api::ApiError),
        (status = 409, description = "The edit changes nothing", body = api::ApiError),
        (status = 413, description = "The body is larger than 64 KiB", body = api::ApiError),
        (status = 415, description = "The body is not application/json", body = api::ApiError),
        (status = 422, description = "An unknown issue or party, an empty field, a passage the document does not have", body = api::ApiError),
    )
)]
async fn api_edit_position(st: AppState, id: String, by: String, headers: HeaderMap, body: Body) -> Response {
    let edit = match json_body::<ledger_api::ApiPositionEdit>(&headers, body, st.max_body_bytes)
        .await
        .and_then(|e| e.into_edit().map_err(Failure::BadRequest))
    {
        Ok(e) => e,
        Err(f) => return f.json(),
    };
    let r = st.with(move |a| change_response(a, &a.ledger_edit(&id, &edit, &by).map_err(classify_write)?, false)).await;
    r.unwrap_or_else(|f| f.json())
}

/// `POST /api/positions`: a position entered by hand.
#[utoipa::path(
    post,
    path = "/api/positions",
    operation_id = "add_position",
    tag = "ledger curation",
    security(("api_token" = [])),
    request_body(
        content = ledger_api::ApiNewPosition,
        content_type = "application/json",
        example = json!({
            "issue": "habomai-shikotan",
            "party": "japan",
            "document": "frus1955-57v23p1/d52",
            "passage": {"paragraph": "4"},
            "stated_by": "Shigemitsu"
        })
    ),
    responses(
        (status = 201, description = "Added as accepted, entered by the token's name; Location names the new position", body = ledger_api::ApiChange),
        (status = 400, description = "A body that is not valid JSON of this shape", body = api::ApiError),
        (status = 401, description = "No bearer token, or not one of the server's", body = api::ApiError),
        (status = 403, description = "The server has no API tokens: writes are disabled", body = api::ApiError),
        (status = 404, description = "No document with this id", body = api::ApiError),
        (status = 409, description = "The position exists already", body = api::ApiError),
        (status = 413, description = "The body is larger than 64 KiB", body = api::ApiError),
        (status = 415, description = "The body is not application/json", body = api::ApiError),
        (status = 422, description = "An unknown issue, a party not in the issue, an empty field, a passage the document does not have", body = api::ApiError),
    )
)]
async fn api_add_position(State(st): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let by = match writer(&st, &headers) {
        Ok(by) => by,
        Err(f) => return f.json(),
    };
    let entry = match json_body::<ledger_api::ApiNewPosition>(&headers, body, st.max_body_bytes).await.and_then(|n| {
        Ok(chancery_core::NewPosition {
            issue: n.issue,
            party: n.party,
            document: n.document,
            passage: n.passage.into_query().map_err(Failure::BadRequest)?,
            stance: n.stance,
            conditions: n.conditions,
            stated_by: n.stated_by,
            reported_by: n.reported_by,
        })
    }) {
        Ok(e) => e,
        Err(f) => return f.json(),
    };
    let r = st
        .with(move |a| {
            let change = a.ledger_add(&entry, &by).map_err(classify_write)?;
            change_response(a, &change, true)
        })
        .await;
    r.unwrap_or_else(|f| f.json())
}
