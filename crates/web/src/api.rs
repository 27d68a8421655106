//! The JSON API and its OpenAPI 3 description (generated from these types with utoipa).
//!
//! The response types here mirror the index's `SearchResults` and the store's
//! `CollectionSummary` so the API has a schema of its own that does not change when those
//! crates' internals do. The document itself is the model's `Document` serialized as is;
//! the model crate does not depend on utoipa, so its schema is given as a free-form object
//! with a description (see [`DocumentJson`]).

use std::collections::BTreeMap;

use chancery_core::{CollectionSummary, Document, Person, SearchResults};
use chancery_link::authority::VariantKind;
use chancery_link::crossref::Direction;
use chancery_link::filing;
use chancery_link::people::{Field, Method};
use chancery_link::places::{Gazetteer, Place};
use chancery_link::timeline::TimelineItem;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::links::{evidence_words, flag_kind, flag_words, ref_kind_words, Copy, DocLinks, FoundFile};
use crate::util::{doc_url, person_url, place_url};

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
    /// The value to filter by (`filter=field:value`); for `person` and `place` an authority
    /// or gazetteer id, for `issue` and `party` a ledger id.
    pub value: String,
    pub count: u64,
    /// The name an id stands for (`person`, `place`, `issue`, `party`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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
    /// Facet field (decade, year, collection, doc_type, classification, language, person,
    /// place, country_pair, issue, party) → counts, the most frequent first (years and
    /// decades in order), at most `facet_limit` values a facet.
    pub facets: BTreeMap<String, Vec<ApiFacetCount>>,
    /// Facet field → how many distinct values it has among all the matches (more than
    /// `facets` lists when the list was cut to `facet_limit`).
    pub facet_distinct: BTreeMap<String, usize>,
    /// What was done with the request, in words: a query cut to its first 500 characters,
    /// control characters ignored, a date range that is empty, a page past the deepest offset.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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

// ---------------------------------------------------------------------------------------
// Links (issue 5)

/// Where a passage stands: the field ("text", "note", "summary"), the note number, and the
/// character offset into `Document::text` or into the note's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPassage {
    /// "text", "note", "summary", or "contributor" (one of the people the document is by or
    /// to, with its `role`).
    pub field: String,
    pub note: Option<String>,
    pub offset: Option<usize>,
    /// The contributor's role as the document gives it ("from", "to", "author").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One copy of a document (witness), with the evidence that it is the same document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCopy {
    pub id: String,
    pub title: String,
    /// The file it was read from.
    pub path: String,
    /// The reader that read it ("frus-tei", "plain-text").
    pub format: String,
    /// The edition kept (searches show it, not the other copies).
    pub primary: bool,
    /// The copy asked about.
    pub this: bool,
    /// Similarity to the primary, 0..=1 (absent for the primary).
    pub score: Option<f64>,
    pub reasons: Vec<String>,
    pub url: String,
}

/// A person mention and what it resolved to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPersonMention {
    /// The name as printed.
    pub text: String,
    pub passage: ApiPassage,
    /// Authority id, when resolved; the person is at `/api/person/{id}`.
    pub person: Option<String>,
    /// The person's preferred name, when resolved.
    pub person_name: Option<String>,
    /// `frus_ref` (the source's tag), `name` (a tagged name matched by name), `spotted`.
    pub method: String,
    /// The rules that identified it, in words.
    pub evidence: Vec<String>,
    /// A doubt: `tag_contradicts_text`, `tag_not_in_authority`, `ambiguous`, `no_candidate`.
    pub flag: Option<String>,
    /// The doubt in words.
    pub flag_text: Option<String>,
    /// Authority ids considered, best first.
    pub candidates: Vec<String>,
}

/// A place the document names.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPlaceMention {
    /// Gazetteer id; the place is at `/api/place/{id}`.
    pub place: String,
    pub name: String,
    /// The words as printed ("Habomais", "H[abomai]").
    pub text: String,
    pub passage: ApiPassage,
    /// The source itself tags the name as a place.
    pub from_tag: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCountry {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFilingSource {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
}

/// A Central Decimal File number, decoded as far as the published tables allow.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFileNumber {
    /// As printed ("661.9429/9–1855").
    pub text: String,
    /// Where the document gives it: "archival reference", "source note", "note N".
    pub found_in: String,
    /// "1910-1949" or "1950-1963".
    pub scheme: Option<String>,
    pub class_digit: Option<u8>,
    pub class_label: Option<String>,
    pub subject: String,
    pub countries: Vec<ApiCountry>,
    /// Both countries' names, sorted, joined by an en dash ("Japan–Soviet Union").
    pub country_pair: Option<String>,
    pub subdivision: Option<String>,
    /// The nearest file a source titles ("661.94 Soviet-Japanese relations").
    pub file: Option<String>,
    /// The date after the slash (inferred, basis "filing-number").
    pub date: Option<ApiDate>,
    pub enclosure: Option<String>,
    /// Parts left undecoded, each with the reason.
    pub undecoded: Vec<String>,
    /// The published descriptions the decoded parts come from.
    pub sources: Vec<ApiFilingSource>,
}

/// A reference to another document, telegram, despatch, volume, note or file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiReference {
    /// telegram, despatch, airgram, instruction, document, volume, note, file.
    pub kind: String,
    /// The passage as it stands.
    pub text: String,
    pub passage: ApiPassage,
    pub number: Option<String>,
    /// "to" or "from" the post.
    pub direction: Option<String>,
    pub post: Option<String>,
    pub sender: Option<String>,
    pub circular: bool,
    pub date_text: Option<String>,
    pub date: Option<ApiDate>,
    pub file_number: Option<String>,
    /// The id the reference points at, whether or not it is held.
    pub target: Option<String>,
    pub pages: Option<String>,
    /// Fields taken from context rather than the passage.
    pub inferred: Vec<String>,
    /// The held document (or collection) it resolves to.
    pub resolved: Option<String>,
    pub resolved_title: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRelated {
    pub id: String,
    pub title: String,
    pub score: f64,
    /// The reasons in one line ("shares places: Habomai, Shikotan; 4 years apart").
    pub explanation: String,
    /// Each reason in words.
    pub reasons: Vec<String>,
    pub url: String,
}

/// Everything a document is linked to, each item with the passage it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLinks {
    pub id: String,
    /// When the document is another witness of a document: the edition kept.
    pub primary: Option<ApiCopy>,
    /// When it is the edition kept and other witnesses exist: every copy, this one first.
    pub witnesses: Vec<ApiCopy>,
    /// Whether a person authority is held (without one, no name is resolved).
    pub authority: bool,
    pub people: Vec<ApiPersonMention>,
    pub places: Vec<ApiPlaceMention>,
    pub filing_numbers: Vec<ApiFileNumber>,
    pub references: Vec<ApiReference>,
    pub related: Vec<ApiRelated>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiNameVariant {
    pub name: String,
    /// alternate, original (as a source printed it), title.
    pub kind: String,
    /// Source URLs (FRUS person lists on history.state.gov).
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRemark {
    pub text: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiMentioningDocument {
    pub id: String,
    pub title: String,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub collection: Option<String>,
    /// Mentions of the person in it.
    pub mentions: u64,
    pub url: String,
}

/// A person of the authority file and the documents that mention them (oldest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPerson {
    pub id: String,
    pub preferred: String,
    pub variants: Vec<ApiNameVariant>,
    pub viaf: Option<String>,
    pub viaf_url: Option<String>,
    pub birth: Option<i32>,
    pub death: Option<i32>,
    pub remarks: Vec<ApiRemark>,
    /// The documents that mention them in all (counted up to 10000).
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    /// This page of them (`offset`, `limit`: default 100, at most 1000).
    pub documents: Vec<ApiMentioningDocument>,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPlaceVariant {
    pub name: String,
    /// ISO 639-1.
    pub lang: String,
    pub historical: bool,
    pub note: Option<String>,
}

/// A document on a timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTimelineItem {
    pub id: String,
    pub title: String,
    pub archive: String,
    /// First possible day (ISO); absent when undated.
    pub from: Option<String>,
    pub to: Option<String>,
    pub date_text: String,
    pub inferred: bool,
    pub url: String,
}

/// A gazetteer place and the documents that name it (by date).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPlace {
    pub id: String,
    pub name: String,
    /// island-group, island, strait, sea, city, country, region.
    pub kind: String,
    /// [latitude, longitude].
    pub coordinates: Option<Vec<f64>>,
    pub variants: Vec<ApiPlaceVariant>,
    /// geonames:ID, wikipedia:LANG:Title, corpus:DOC (form).
    pub sources: Vec<String>,
    pub note: Option<String>,
    /// The search that found the documents.
    pub query: String,
    /// Documents found (more than listed when over the limit).
    pub total: usize,
    pub documents: Vec<ApiTimelineItem>,
    pub url: String,
}

/// The documents a search finds, by date.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTimeline {
    pub total: usize,
    pub items: Vec<ApiTimelineItem>,
    /// Why nothing was drawn (nothing asked for, an empty date range), or what was done to
    /// the words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The bearer token scheme of the write routes.
struct ApiTokenScheme;

impl utoipa::Modify for ApiTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "An API token the server was given (`chancery serve --api-token-file FILE`, lines `name token`). \
             Only writes need one; the token's name is recorded as the author of the change."
                .to_string(),
        );
        components.add_security_scheme("api_token", SecurityScheme::Http(http));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chancery",
        description = "Search and read the documents of a Chancery archive, and its issue ledger.\n\n\
            Reads need no token. Writes (POST: curating the issue ledger) need `Authorization: Bearer <token>` \
            with a token the server was started with; the token's name is recorded as who made the change. \
            A server started without tokens refuses every write (403); a missing or unknown token is a 401. \
            Request bodies are JSON (`Content-Type: application/json`), at most 64 KiB."
    ),
    modifiers(&ApiTokenScheme),
    paths(
        crate::api_search,
        crate::kwic::api,
        crate::api_doc,
        crate::api_links,
        crate::api_collections,
        crate::api_person,
        crate::api_place,
        crate::api_timeline,
        crate::api_issues,
        crate::api_issue,
        crate::issue_csv,
        crate::api_positions,
        crate::api_position,
        crate::api_accept_position,
        crate::api_reject_position,
        crate::api_edit_position,
        crate::api_add_position,
        crate::export::jsonl,
        crate::export::bib,
        crate::export::ris_export,
        crate::export::csl
    ),
    components(schemas(
        crate::ledger_api::ApiParty,
        crate::ledger_api::ApiStatusCounts,
        crate::ledger_api::ApiIssue,
        crate::ledger_api::ApiCondition,
        crate::ledger_api::ApiSource,
        crate::ledger_api::ApiOrigin,
        crate::ledger_api::ApiPosition,
        crate::ledger_api::ApiConditionChange,
        crate::ledger_api::ApiPartyRow,
        crate::ledger_api::ApiIssueLedger,
        crate::ledger_api::ApiPartyCounts,
        crate::ledger_api::ApiPositions,
        crate::ledger_api::ApiChange,
        crate::ledger_api::ApiPositionHistory,
        crate::ledger_api::ApiPassageQuery,
        crate::ledger_api::ApiNewPosition,
        crate::ledger_api::ApiPositionEdit,
        ApiError,
        ApiSearchResults,
        crate::kwic::ApiKwic,
        crate::kwic::ApiKwicLine,
        crate::kwic::ApiKwicOrder,
        ApiHit,
        ApiDate,
        ApiCollectionRef,
        ApiFacetCount,
        ApiCollection,
        DocumentJson,
        ApiPassage,
        ApiCopy,
        ApiPersonMention,
        ApiPlaceMention,
        ApiCountry,
        ApiFilingSource,
        ApiFileNumber,
        ApiReference,
        ApiRelated,
        ApiLinks,
        ApiNameVariant,
        ApiRemark,
        ApiMentioningDocument,
        ApiPerson,
        ApiPlaceVariant,
        ApiTimelineItem,
        ApiPlace,
        ApiTimeline
    ))
)]
pub struct ApiDoc;

pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The answer to a search that can find nothing (an empty date range), with the reason.
pub fn no_results(offset: usize, limit: usize, notes: Vec<String>) -> ApiSearchResults {
    ApiSearchResults {
        total: 0,
        offset,
        limit,
        hits: Vec::new(),
        facets: BTreeMap::new(),
        facet_distinct: BTreeMap::new(),
        notes,
    }
}

pub fn search_results(r: &SearchResults, offset: usize, limit: usize, notes: Vec<String>) -> ApiSearchResults {
    ApiSearchResults {
        notes,
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
                (
                    k.clone(),
                    v.iter()
                        .map(|f| ApiFacetCount { value: f.value.clone(), count: f.count, label: f.label.clone() })
                        .collect(),
                )
            })
            .collect(),
        facet_distinct: r.facet_distinct.clone(),
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

fn api_date(d: &chancery_model::DateInterval) -> ApiDate {
    ApiDate { from: d.from.clone(), to: d.to.clone(), text: d.text.clone() }
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::Text => "text",
        Field::Note => "note",
        Field::Summary => "summary",
        Field::Contributor => "contributor",
    }
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::FrusRef => "frus_ref",
        Method::Name => "name",
        Method::Spotted => "spotted",
    }
}

fn copy(c: &Copy) -> ApiCopy {
    ApiCopy {
        id: c.id.clone(),
        title: c.title.clone(),
        path: c.path.clone(),
        format: c.format.clone(),
        primary: c.primary,
        this: c.this,
        score: c.score,
        reasons: c.reasons.clone(),
        url: doc_url(&c.id),
    }
}

pub fn file_number(f: &FoundFile) -> ApiFileNumber {
    let n = &f.number;
    let all = filing::sources();
    ApiFileNumber {
        text: n.text.clone(),
        found_in: f.found_in.clone(),
        scheme: n.scheme.clone(),
        class_digit: n.class.as_ref().map(|c| c.digit),
        class_label: n.class.as_ref().map(|c| c.label.clone()),
        subject: n.subject.clone(),
        countries: n.countries.iter().map(|c| ApiCountry { code: c.code.clone(), name: c.name.clone() }).collect(),
        country_pair: filing::country_pair(n),
        subdivision: n.subdivision.as_ref().map(|s| match &s.label {
            Some(l) => format!("{} {l}", s.code),
            None => s.code.clone(),
        }),
        file: n.file.as_ref().map(|x| format!("{} {}", x.number, x.title)),
        date: n.date.as_ref().map(api_date),
        enclosure: n.enclosure.clone(),
        undecoded: n.undecoded.clone(),
        sources: n
            .sources
            .iter()
            .map(|id| match all.iter().find(|s| &s.id == id) {
                Some(s) => ApiFilingSource {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    url: s.url.clone(),
                },
                None => ApiFilingSource {
                    id: id.clone(),
                    title: String::new(),
                    publisher: String::new(),
                    url: String::new(),
                },
            })
            .collect(),
    }
}

pub fn links(doc: &Document, l: &DocLinks) -> ApiLinks {
    let gazetteer = Gazetteer::builtin();
    ApiLinks {
        id: doc.id.clone(),
        primary: l.primary.as_ref().map(copy),
        witnesses: l.copies.iter().map(copy).collect(),
        authority: l.authority,
        people: l
            .people
            .iter()
            .map(|r| ApiPersonMention {
                text: r.text.clone(),
                passage: ApiPassage {
                    field: field_name(r.field).to_string(),
                    note: r.note.clone(),
                    offset: r.offset,
                    role: r.role.clone(),
                },
                person: r.person.clone(),
                person_name: r.person.as_ref().and_then(|p| l.names.get(p).cloned()),
                method: method_name(r.method).to_string(),
                evidence: r.evidence.iter().map(evidence_words).collect(),
                flag: r.flag.as_ref().map(|f| flag_kind(f).to_string()),
                flag_text: r.flag.as_ref().map(|f| flag_words(f, l)),
                candidates: r.candidates.clone(),
            })
            .collect(),
        places: l
            .places
            .iter()
            .map(|m| ApiPlaceMention {
                place: m.place.clone(),
                name: gazetteer.get(&m.place).map_or_else(|| m.place.clone(), |p| p.name.clone()),
                text: m.text.clone(),
                passage: ApiPassage {
                    field: if m.note.is_some() { "note" } else { "text" }.to_string(),
                    note: m.note.clone(),
                    offset: m.offset.or(m.note_offset),
                    role: None,
                },
                from_tag: m.from_tag,
            })
            .collect(),
        filing_numbers: l.files.iter().map(file_number).collect(),
        references: l
            .references
            .iter()
            .map(|x| {
                let r = &x.r;
                ApiReference {
                    kind: ref_kind_words(r.kind).to_string(),
                    text: r.text.clone(),
                    passage: ApiPassage {
                        field: if r.note.is_some() { "note" } else { "text" }.to_string(),
                        note: r.note.clone(),
                        offset: r.offset,
                        role: None,
                    },
                    number: r.number.clone(),
                    direction: r.direction.map(|d| match d {
                        Direction::To => "to".to_string(),
                        Direction::From => "from".to_string(),
                    }),
                    post: r.post.clone(),
                    sender: r.sender.clone(),
                    circular: r.circular,
                    date_text: r.date_text.clone(),
                    date: r.date.as_ref().map(api_date),
                    file_number: r.file_number.clone(),
                    target: r.target.clone(),
                    pages: r.pages.clone(),
                    inferred: r.inferred.clone(),
                    resolved: r.resolved.clone(),
                    resolved_title: x.resolved_title.clone(),
                }
            })
            .collect(),
        related: l
            .related
            .iter()
            .map(|r| ApiRelated {
                id: r.related.id.clone(),
                title: r.title.clone(),
                score: r.related.score,
                explanation: r.related.explain(),
                reasons: r.related.reasons.iter().map(ToString::to_string).collect(),
                url: doc_url(&r.related.id),
            })
            .collect(),
    }
}

pub fn person(p: &Person, documents: &crate::PersonDocs) -> ApiPerson {
    ApiPerson {
        id: p.id.clone(),
        preferred: p.preferred.clone(),
        variants: p
            .variants
            .iter()
            .map(|v| ApiNameVariant {
                name: v.name.clone(),
                kind: match v.kind {
                    VariantKind::Alternate => "alternate",
                    VariantKind::Original => "original",
                    VariantKind::Title => "title",
                }
                .to_string(),
                sources: v.sources.clone(),
            })
            .collect(),
        viaf: p.viaf.clone(),
        viaf_url: crate::entity::viaf_url(p),
        birth: p.birth,
        death: p.death,
        remarks: p.remarks.iter().map(|r| ApiRemark { text: r.text.clone(), sources: r.sources.clone() }).collect(),
        total: documents.total,
        offset: documents.paging.offset,
        limit: documents.paging.size,
        documents: documents
            .page
            .iter()
            .map(|d| ApiMentioningDocument {
                id: d.id.clone(),
                title: d.title.clone(),
                date_from: d.date_from.clone(),
                date_to: d.date_to.clone(),
                collection: d.collection_id.clone(),
                mentions: d.mentions,
                url: doc_url(&d.id),
            })
            .collect(),
        url: person_url(&p.id),
    }
}

pub fn timeline_items(items: &[TimelineItem]) -> Vec<ApiTimelineItem> {
    items
        .iter()
        .map(|i| ApiTimelineItem {
            id: i.id.clone(),
            title: i.title.clone(),
            archive: i.archive.clone(),
            from: i.from.clone(),
            to: i.to.clone(),
            date_text: i.date_text.clone(),
            inferred: i.inferred,
            url: i.href.clone(),
        })
        .collect()
}

pub fn place(p: &Place, query: &str, items: &[TimelineItem], total: usize) -> ApiPlace {
    ApiPlace {
        id: p.id.clone(),
        name: p.name.clone(),
        kind: p.kind.label().replace(' ', "-"),
        coordinates: p.coordinates.map(|c| c.to_vec()),
        variants: p
            .variants
            .iter()
            .map(|v| ApiPlaceVariant {
                name: v.name.clone(),
                lang: v.lang.clone(),
                historical: v.historical,
                note: v.note.clone(),
            })
            .collect(),
        sources: p.sources.clone(),
        note: p.note.clone(),
        query: query.to_string(),
        total,
        documents: timeline_items(items),
        url: place_url(&p.id),
    }
}
