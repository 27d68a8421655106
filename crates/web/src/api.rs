//! The JSON API and its OpenAPI 3 description (generated from these types with utoipa).
//!
//! The response types here mirror the index's `SearchResults` and the store's
//! `CollectionSummary` so the API has a schema of its own that does not change when those
//! crates' internals do. The document itself is the model's `Document` serialized as is;
//! the model crate does not depend on utoipa, so its schema is given as a free-form object
//! with a description (see [`DocumentJson`]).

use std::collections::BTreeMap;

use chancery_core::{CollectionSummary, SearchResults};
use serde::Serialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// What was wrong with the request, or what was not found.
    pub error: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDate {
    /// First day the date may denote (ISO `YYYY-MM-DD`).
    pub from: String,
    /// Last day the date may denote (ISO `YYYY-MM-DD`).
    pub to: String,
    /// The date as the source words it.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCollectionRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiHit {
    /// Document id (may contain '/'); the document is at `/api/doc/{id}`.
    pub id: String,
    pub title: String,
    pub date: Option<ApiDate>,
    pub collection: Option<ApiCollectionRef>,
    /// BM25 score (0 when sorted by date).
    pub score: f32,
    /// Plain-text snippet around the best match.
    pub snippet: String,
    /// The snippet as HTML: escaped text with `<b>` around matched words.
    pub snippet_html: String,
    /// The document's reading-room page.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// Offset of the first hit returned.
    pub offset: usize,
    /// Page size asked for.
    pub limit: usize,
    pub hits: Vec<ApiHit>,
    /// Facet field (decade, year, collection, doc_type, classification, language) → counts.
    pub facets: BTreeMap<String, Vec<ApiFacetCount>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCollection {
    pub id: String,
    pub title: String,
    /// Number of documents held.
    pub count: u64,
    /// Earliest date of its dated documents (ISO).
    pub date_from: Option<String>,
    /// Latest date of its dated documents (ISO).
    pub date_to: Option<String>,
}

/// A document of the archive as stored: `id`, `source`, `title`, `number`, `doc_type`,
/// `date` and `other_dates` (intervals `{from, to, text, precision, when?, basis?}`),
/// `place`, `collection {id, title}`, `context`, `archive`, `classification`, `language`,
/// `original_language`, `contributors [{role, name, reference}]`, `summary`, `rights`,
/// `source_note`, `archival_refs [{text, repository, series, units, file_number}]`, `url`,
/// `body` (blocks `{kind, label?, inlines?, children?}`; inlines tagged by `t`), `notes`,
/// `mentions`, `text`. Described as a free-form object because the model crate is not
/// annotated for OpenAPI.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct DocumentJson(pub serde_json::Value);

/// Query parameters of `/search` and `/api/search`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// Query (at most 500 characters): words (all required), "phrases", OR, NOT/-word,
    /// title:, person:, place:, fuzzy word~1. Empty with filters lists everything.
    q: Option<String>,
    /// Earliest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD.
    from: Option<String>,
    /// Latest date, inclusive (to=1960 includes all of 1960).
    to: Option<String>,
    /// Only this collection id.
    collection: Option<String>,
    /// Facet filter `field:value` (decade, year, collection, doc_type, classification,
    /// language); repeat the parameter to combine filters.
    filter: Option<Vec<String>>,
    /// relevance (default with a query), date (default without), date-desc.
    sort: Option<String>,
    /// 1-based page number.
    page: Option<usize>,
    /// Page size, 1 to 100 (default 20); `limit` is accepted as a synonym.
    size: Option<usize>,
    /// Explicit offset of the first hit (overrides page).
    offset: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/search",
    operation_id = "search",
    tag = "archive",
    params(SearchQuery),
    responses(
        (status = 200, description = "Ranked hits with snippets and facet counts", body = ApiSearchResults),
        (status = 400, description = "A bad parameter or query syntax", body = ApiError),
    )
)]
#[allow(dead_code)]
fn search_doc() {}

#[utoipa::path(
    get,
    path = "/api/doc/{id}",
    operation_id = "get_document",
    tag = "archive",
    params(("id" = String, Path, description = "Document id; it may contain '/' (frus1955-57v23p1/d52), which is not escaped")),
    responses(
        (status = 200, description = "The document", body = DocumentJson),
        (status = 404, description = "No document with this id", body = ApiError),
    )
)]
#[allow(dead_code)]
fn doc_doc() {}

#[utoipa::path(
    get,
    path = "/api/collections",
    operation_id = "list_collections",
    tag = "archive",
    responses((status = 200, description = "The collections held", body = [ApiCollection]))
)]
#[allow(dead_code)]
fn collections_doc() {}

#[derive(OpenApi)]
#[openapi(
    info(title = "Chancery", description = "Search and read the documents of a Chancery archive."),
    paths(search_doc, doc_doc, collections_doc),
    components(schemas(
        ApiError,
        ApiSearchResults,
        ApiHit,
        ApiDate,
        ApiCollectionRef,
        ApiFacetCount,
        ApiCollection,
        DocumentJson
    ))
)]
pub struct ApiDoc;

pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub fn search_results(r: &SearchResults, offset: usize, limit: usize) -> ApiSearchResults {
    ApiSearchResults {
        total: r.total,
        offset,
        limit,
        hits: r
            .hits
            .iter()
            .map(|h| ApiHit {
                id: h.id.clone(),
                title: h.title.clone(),
                date: h.date.as_ref().map(|d| ApiDate { from: d.from.clone(), to: d.to.clone(), text: d.text.clone() }),
                collection: h
                    .collection
                    .as_ref()
                    .map(|c| ApiCollectionRef { id: c.id.clone(), title: c.title.clone() }),
                score: h.score,
                snippet: h.snippet.clone(),
                snippet_html: crate::util::clean_snippet(&h.snippet_html),
                url: crate::util::doc_url(&h.id),
            })
            .collect(),
        facets: r
            .facets
            .iter()
            .map(|(k, v)| {
                (k.clone(), v.iter().map(|f| ApiFacetCount { value: f.value.clone(), count: f.count }).collect())
            })
            .collect(),
    }
}

pub fn collections(cols: &[CollectionSummary]) -> Vec<ApiCollection> {
    cols.iter()
        .map(|c| ApiCollection {
            id: c.id.clone(),
            title: c.title.clone(),
            count: c.count,
            date_from: c.date_from.clone(),
            date_to: c.date_to.clone(),
        })
        .collect()
}
