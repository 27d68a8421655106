//! Full-text search over documents, with tantivy. This is the only crate that knows tantivy.
//!
//! * [`Index::open`] opens or creates an index directory with the schema declared in
//!   `build_schema` (an index built with another schema is refused: rebuild it). Analyzers
//!   are registered on every open.
//! * A document's title, summary, text, notes and variants are analysed in the field of its
//!   language: English (`body_en`), Russian (`body_ru`), Italian (`body_it`) and every other
//!   Snowball language of [`STEMMED`] (`body_de`, `body_fr`, `body_es`…) stemmed then folded
//!   (`chancery_model::text`: diacritics, Turkish ı/İ), Chinese/Japanese/Korean (`body_cjk`,
//!   character bigrams), anything else (`body_other`, lowercased and folded). A language
//!   neither declared nor detected counts as English. The `title` field is folded, not stemmed.
//!   A passage in another language (`Document::passages`) is also analysed in the field of
//!   its own language, so a Greek address on a German letter is found by its Greek forms.
//!   Queries search all of them, plus `title`, `person`, `place` and `org`.
//! * Editorial brackets do not split words ("H[abomai]" is indexed as "habomai"), and CJK
//!   text is indexed as character bigrams (see `tokenizer.rs`).
//! * [`Index::search`] takes a [`SearchRequest`] (query string, date bounds, collection,
//!   facet filters, sort, page) and returns hits with snippets and facet counts over all
//!   matching documents.

mod facets;
mod fold;
pub mod kwic;
mod query;
mod recover;
mod snippet;
mod stem;
mod tokenizer;
mod translit;

pub use kwic::{Kwic, KwicLimits, KwicLine, KwicOrder};
pub use query::{Names, NoNames, TermCount, Understood};

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chancery_model::{Collection, DateInterval, Document, MentionKind};
use frostem::Algorithm;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, Score, TantivyDocument, Term};

use crate::fold::FoldFilter;
use crate::snippet::WindowedSnippets;
use crate::stem::CachedStemmer;
use crate::tokenizer::ChanceryTokenizer;

/// Longest query string accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits returned in one page.
pub const MAX_LIMIT: usize = 1000;
/// Deepest page start accepted.
pub const MAX_OFFSET: usize = 100_000;
/// Memory budget of the index writer (shared by its threads).
pub const WRITER_MEMORY: usize = 100_000_000;
/// Length of snippets, in characters.
const SNIPPET_CHARS: usize = 240;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The user's query (or a filter or date bound of the request) cannot be understood.
    #[error("invalid query: {0}")]
    Query(String),
    /// A document that cannot be indexed (no id).
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    /// The index on disk was built with another schema; rebuild it from the store.
    #[error("the index at {0} was built with a different schema; rebuild it")]
    SchemaMismatch(String),
    /// No index in the directory (opened without creating one).
    #[error("there is no search index at {0}")]
    Missing(String),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot open index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// Sort order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    /// Oldest first by `date.from`; undated documents last.
    DateAsc,
    /// Newest first by `date.from`; undated documents last.
    DateDesc,
}

/// A search. `from`/`to` are date bounds read with `chancery_model::date::parse_bound`
/// ("1955", "1955-09", "1955-09-18", "September 1955"): a document matches when its date
/// interval overlaps `[from.from, to.to]`; documents without a date do not match a date
/// bound. `filters` are `(facet field, value)` pairs over `collection`, `decade`, `year`,
/// `doc_type`, `classification`, `language`: values of the same field are alternatives
/// (OR), different fields must all hold (AND).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    pub query: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub collection: Option<String>,
    pub filters: Vec<(String, String)>,
    pub sort: Sort,
    /// Page size, capped at [`MAX_LIMIT`].
    pub limit: usize,
    pub offset: usize,
    /// Most values reported per facet, the most frequent first (0: every value). Years and
    /// decades are always reported whole. [`SearchResults::facet_distinct`] says how many
    /// values each facet had.
    pub facet_limit: usize,
}

/// Values reported per facet unless a request asks otherwise.
pub const DEFAULT_FACET_LIMIT: usize = 100;

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            from: None,
            to: None,
            collection: None,
            filters: Vec::new(),
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            facet_limit: DEFAULT_FACET_LIMIT,
        }
    }
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest { query: query.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents (not just this page).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet field → values with counts over all matching documents. Decades and years are
    /// in chronological order, other facets by decreasing count, cut to the request's
    /// `facet_limit`.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// Facet field → how many distinct values it had among all matching documents (more
    /// than `facets` lists when the list was cut).
    #[serde(default)]
    pub facet_distinct: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub date: Option<DateInterval>,
    pub collection: Option<Collection>,
    /// BM25 score for relevance order; 0 when sorted by date.
    pub score: f32,
    /// Plain-text passage around the best match (the opening of the text when nothing in the
    /// text matched).
    pub snippet: String,
    /// The same passage, HTML-escaped, matches in `<b>`.
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
    /// What an id value stands for (a person's or place's name), filled in by the caller;
    /// the index leaves it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The facet fields, in the order a reader is shown them (time first, then the source, then
/// what the documents are about). `person`, `place`, `country_pair`, `issue` and `party` hold
/// what the link and ledger stages found ([`Subjects`]); a document can have several of each.
pub const FACETS: [&str; 11] = [
    "decade",
    "year",
    "collection",
    "doc_type",
    "classification",
    "language",
    "person",
    "place",
    "country_pair",
    "issue",
    "party",
];

/// What the link stage found in a document, indexed as multi-valued facets: authority ids
/// of the people it mentions, gazetteer ids of the places it names, and the country pairs
/// of its own Central Decimal File numbers ("Japan–Soviet Union"), and the issues and parties
/// of the ledger positions it states (not those rejected by a person). The index does not
/// know what the ids mean: labels are the caller's business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subjects {
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub country_pairs: Vec<String>,
    /// Ledger issue ids ("habomai-shikotan").
    pub issues: Vec<String>,
    /// Ledger party ids ("ussr").
    pub parties: Vec<String>,
}

/// Analysers registered on the index.
const AN_EN: &str = "chancery_en";
const AN_RU: &str = "chancery_ru";
const AN_IT: &str = "chancery_it";
const AN_CJK: &str = "chancery_cjk";
const AN_SIMPLE: &str = "chancery_simple";

/// The other languages with a Snowball stemmer, each with its body field and analyzer:
/// (ISO 639-1 code, algorithm, field name = analyzer name).
const STEMMED: [(&str, Algorithm, &str); 14] = [
    ("de", Algorithm::German, "body_de"),
    ("fr", Algorithm::French, "body_fr"),
    ("es", Algorithm::Spanish, "body_es"),
    ("pt", Algorithm::Portuguese, "body_pt"),
    ("nl", Algorithm::Dutch, "body_nl"),
    ("da", Algorithm::Danish, "body_da"),
    ("no", Algorithm::Norwegian, "body_no"),
    ("sv", Algorithm::Swedish, "body_sv"),
    ("fi", Algorithm::Finnish, "body_fi"),
    ("hu", Algorithm::Hungarian, "body_hu"),
    ("ro", Algorithm::Romanian, "body_ro"),
    ("tr", Algorithm::Turkish, "body_tr"),
    ("el", Algorithm::Greek, "body_el"),
    ("ca", Algorithm::Catalan, "body_ca"),
];

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub body_en: Field,
    pub body_ru: Field,
    pub body_it: Field,
    pub body_cjk: Field,
    pub body_other: Field,
    /// The body fields of [`STEMMED`], in its order.
    pub body_stemmed: [Field; STEMMED.len()],
    pub person: Field,
    pub place: Field,
    pub org: Field,
    /// Stored only: the plain text, for snippets.
    pub text: Field,
    /// Stored only: the date interval as JSON.
    pub date: Field,
    pub collection: Field,
    pub collection_title: Field,
    pub date_from: Field,
    pub date_to: Field,
    pub year: Field,
    pub decade: Field,
    pub doc_type: Field,
    pub classification: Field,
    pub language: Field,
    pub person_id: Field,
    pub place_id: Field,
    pub country_pair: Field,
    pub issue: Field,
    pub party: Field,
    /// Fast only: [`id_key`] of the id, the last tie-break of [`Index::sharing_subjects`].
    pub id_key: Field,
}

fn analysed(analyzer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keyword = STRING | FAST;
    let number: NumericOptions = (INDEXED | FAST).into();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        // not stemmed: an English stemmer would make Italian "lettere" match every "Letter" title
        // (the title is also in the body field of its language, stemmed there)
        title: b.add_text_field("title", analysed(AN_SIMPLE, true)),
        body_en: b.add_text_field("body_en", analysed(AN_EN, false)),
        body_ru: b.add_text_field("body_ru", analysed(AN_RU, false)),
        body_it: b.add_text_field("body_it", analysed(AN_IT, false)),
        body_cjk: b.add_text_field("body_cjk", analysed(AN_CJK, false)),
        body_other: b.add_text_field("body_other", analysed(AN_SIMPLE, false)),
        body_stemmed: STEMMED.map(|(_, _, name)| b.add_text_field(name, analysed(name, false))),
        person: b.add_text_field("person", analysed(AN_SIMPLE, false)),
        place: b.add_text_field("place", analysed(AN_SIMPLE, false)),
        org: b.add_text_field("org", analysed(AN_SIMPLE, false)),
        text: b.add_text_field("text", STORED),
        date: b.add_text_field("date", STORED),
        collection: b.add_text_field("collection", keyword.clone() | STORED),
        collection_title: b.add_text_field("collection_title", STORED),
        date_from: b.add_i64_field("date_from", number.clone()),
        date_to: b.add_i64_field("date_to", number.clone()),
        year: b.add_i64_field("year", number),
        decade: b.add_text_field("decade", keyword.clone()),
        doc_type: b.add_text_field("doc_type", keyword.clone()),
        classification: b.add_text_field("classification", keyword.clone()),
        language: b.add_text_field("language", keyword.clone() | STORED),
        person_id: b.add_text_field("person_id", keyword.clone()),
        place_id: b.add_text_field("place_id", keyword.clone()),
        country_pair: b.add_text_field("country_pair", keyword.clone()),
        issue: b.add_text_field("issue", keyword.clone()),
        party: b.add_text_field("party", keyword),
        id_key: b.add_u64_field("id_key", FAST),
    };
    (b.build(), fields)
}

fn register_analyzers(index: &tantivy::Index) {
    let base = || TextAnalyzer::builder(ChanceryTokenizer).filter(RemoveLongFilter::limit(100)).filter(LowerCaser);
    let m = index.tokenizers();
    // stemmed, then folded (diacritics, the Turkish dotted and dotless i): "città" finds "citta"
    m.register(AN_EN, base().filter(CachedStemmer::new(Algorithm::English)).filter(FoldFilter).build());
    m.register(AN_RU, base().filter(CachedStemmer::new(Algorithm::Russian)).filter(FoldFilter).build());
    m.register(AN_IT, base().filter(CachedStemmer::new(Algorithm::Italian)).filter(FoldFilter).build());
    for (_, algorithm, name) in STEMMED {
        m.register(name, base().filter(CachedStemmer::new(algorithm)).filter(FoldFilter).build());
    }
    m.register(AN_CJK, base().build());
    m.register(AN_SIMPLE, base().filter(FoldFilter).filter(AsciiFoldingFilter).build());
}

/// Which body field analyses a language (ISO 639-1 or 639-3, any case, region ignored).
fn body_field(fields: &Fields, language: Option<&str>) -> Field {
    let code = language.map(normalize_language).unwrap_or_default();
    match code.as_str() {
        "" | "en" | "eng" => fields.body_en,
        "ru" | "rus" => fields.body_ru,
        "it" | "ita" => fields.body_it,
        c if STEMMED.iter().any(|(code, _, _)| *code == c) => {
            let i = STEMMED.iter().position(|(code, _, _)| *code == c).unwrap_or_default();
            fields.body_stemmed[i]
        }
        "zh" | "zho" | "chi" | "ja" | "jpn" | "ko" | "kor" => fields.body_cjk,
        _ => fields.body_other,
    }
}

/// "en-US" → "en", " RU " → "ru".
fn normalize_language(code: &str) -> String {
    code.trim().split(['-', '_']).next().unwrap_or_default().to_lowercase()
}

/// Normalised keyword value of a facet field (what is indexed and what filters compare).
fn keyword_value(facet: &str, value: &str) -> String {
    match facet {
        "language" => normalize_language(value),
        "doc_type" => value.trim().to_lowercase(),
        // Markings are shown as printed in title case ("Top Secret"), whatever case the
        // source or the filter used ("SECRET", "secret").
        "classification" => title_case(value),
        _ => value.trim().to_string(),
    }
}

fn title_case(value: &str) -> String {
    let words = value.split_whitespace().map(|w| {
        let mut chars = w.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>(),
            None => String::new(),
        }
    });
    words.collect::<Vec<_>>().join(" ")
}

/// A tantivy index of documents.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    parser: query::UserQueryParser,
    /// Facet ordinals per segment, kept current by the reader (a tantivy warmer).
    facet_tables: Arc<facets::FacetTables>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").finish_non_exhaustive()
    }
}

impl Index {
    /// Open the index in `dir`, creating the directory and an empty index if missing (for
    /// the one process that writes).
    pub fn open(dir: &Path) -> Result<Index> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = build_schema();
        let directory = MmapDirectory::open(dir)?;
        let index = if tantivy::Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
            let index = tantivy::Index::open(directory)?;
            if index.schema() != schema {
                return Err(IndexError::SchemaMismatch(dir.display().to_string()));
            }
            index
        } else {
            tantivy::Index::create(directory, schema, tantivy::IndexSettings::default())?
        };
        Self::from_tantivy(index, fields, ReloadPolicy::Manual)
    }

    /// Open the last committed index in `dir` to read it, never creating or changing
    /// anything; its searcher follows the commits of the process that writes (tantivy's
    /// `OnCommitWithDelay`: a watch on the index's meta file).
    pub fn open_read_only(dir: &Path) -> Result<Index> {
        let missing = || IndexError::Missing(dir.display().to_string());
        if !dir.is_dir() {
            return Err(missing());
        }
        let (schema, fields) = build_schema();
        let directory = MmapDirectory::open(dir)?;
        if !tantivy::Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
            return Err(missing());
        }
        let index = tantivy::Index::open(directory)?;
        if index.schema() != schema {
            return Err(IndexError::SchemaMismatch(dir.display().to_string()));
        }
        Self::from_tantivy(index, fields, ReloadPolicy::OnCommitWithDelay)
    }

    /// A throwaway index in memory.
    pub fn open_in_ram() -> Result<Index> {
        let (schema, fields) = build_schema();
        Self::from_tantivy(tantivy::Index::create_in_ram(schema), fields, ReloadPolicy::Manual)
    }

    /// The position in the store's change feed the last commit holds (`None`: a commit
    /// without one, or no commit yet).
    pub fn committed_seq(&self) -> Result<Option<i64>> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(|p| p.strip_prefix("seq:")).and_then(|n| n.parse().ok()))
    }

    fn from_tantivy(index: tantivy::Index, fields: Fields, policy: ReloadPolicy) -> Result<Index> {
        register_analyzers(&index);
        let facet_tables = Arc::new(facets::FacetTables::default());
        let warmer: Arc<dyn tantivy::Warmer> = facet_tables.clone();
        let reader = index
            .reader_builder()
            .reload_policy(policy)
            .warmers(vec![Arc::downgrade(&warmer)])
            .num_warming_threads(1)
            .try_into()?;
        let parser = query::UserQueryParser::new(&index, &fields);
        Ok(Index { index, reader, fields, parser, facet_tables })
    }

    /// A writer. Only one may exist at a time (across processes too). Changes become visible
    /// to [`Index::search`] on [`IndexWriterHandle::commit`].
    pub fn writer(&self) -> Result<IndexWriterHandle> {
        let writer = self.index.writer(WRITER_MEMORY)?;
        Ok(IndexWriterHandle { writer, reader: self.reader.clone(), fields: self.fields })
    }

    /// See commits made since (by another `Index` or process). Commits through this index's
    /// own writers are picked up automatically.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Number of searchable documents.
    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Remove every document (committed at once). To rebuild without a moment of empty
    /// index, use a writer: `delete_all`, `add` each document, then `commit`.
    pub fn delete_all(&self) -> Result<()> {
        let mut w = self.writer()?;
        w.delete_all()?;
        w.commit()
    }

    /// Run a search (`person:` and `place:` search names as printed: see
    /// [`search_with`](Self::search_with)).
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        self.search_with(req, &NoNames)
    }

    /// Run a search, `person:` and `place:` taking the names and ids `names` knows. A query
    /// string is never refused ([`understand`](Self::understand) says how it was read); one
    /// that holds nothing searchable matches nothing, an empty one every document.
    pub fn search_with(&self, req: &SearchRequest, names: &dyn Names) -> Result<SearchResults> {
        if req.offset > MAX_OFFSET {
            return Err(IndexError::Query(format!("offset larger than {MAX_OFFSET}")));
        }
        let f = &self.fields;
        let (query, text_query) = self.build_query(req, names)?;

        let searcher = self.reader.searcher();
        let limit = req.limit.min(MAX_LIMIT);
        let page = TopDocs::with_limit(limit.max(1)).and_offset(req.offset);
        let aggs = facets::Facets { tables: self.facet_tables.clone(), limit: req.facet_limit };
        let (total, scored, facets): (usize, Vec<(f32, DocAddress)>, _) = match req.sort {
            Sort::Relevance => searcher.search(&query, &(Count, page.order_by_score(), aggs))?,
            Sort::DateAsc | Sort::DateDesc => {
                let order = if req.sort == Sort::DateAsc { Order::Asc } else { Order::Desc };
                let (total, docs, aggs) =
                    searcher.search(&query, &(Count, page.order_by_fast_field::<i64>("date_from", order), aggs))?;
                (total, docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(), aggs)
            }
        };

        let mut generators: HashMap<Field, WindowedSnippets> = HashMap::new();
        let mut hits = Vec::new();
        for (score, addr) in scored.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let language = text_of(f.language);
            let body = body_field(f, language.as_deref());
            let generator = match generators.entry(body) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let mut g = SnippetGenerator::create(&searcher, &*text_query, body)?;
                    g.set_max_num_chars(SNIPPET_CHARS);
                    let mut terms = Vec::new();
                    text_query.query_terms(&mut |term, _| {
                        if term.field() == body {
                            terms.extend(term.value().as_str().map(str::to_string));
                        }
                    });
                    e.insert(WindowedSnippets::new(g, terms, SNIPPET_CHARS))
                }
            };
            let text = text_of(f.text).unwrap_or_default();
            let snippet = generator.snippet(&text);
            let (snippet, snippet_html) = if snippet.highlighted().is_empty() {
                let opening = opening(&text, SNIPPET_CHARS);
                (opening.to_string(), escape_html(opening))
            } else {
                (snippet.fragment().to_string(), snippet.to_html())
            };
            let collection = text_of(f.collection)
                .map(|id| Collection { id, title: text_of(f.collection_title).unwrap_or_default() });
            hits.push(Hit {
                id: text_of(f.id).unwrap_or_default(),
                title: text_of(f.title).unwrap_or_default(),
                date: text_of(f.date).and_then(|j| serde_json::from_str(&j).ok()),
                collection,
                score,
                snippet,
                snippet_html,
            });
        }
        Ok(SearchResults { total, hits, facets: facets.counts, facet_distinct: facets.distinct })
    }

    /// The query of a search request: the text query and its filters (dates, collection,
    /// facets), and the text query alone (for snippets and concordances).
    fn build_query(&self, req: &SearchRequest, names: &dyn Names) -> Result<(BooleanQuery, Box<dyn Query>)> {
        let f = &self.fields;
        let text_query: Box<dyn Query> = if req.query.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            match self.parser.parse(cap(&req.query), names, false)?.query {
                Some(q) => q,
                None => Box::new(tantivy::query::EmptyQuery),
            }
        };

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        let mut filter = |q: Box<dyn Query>| clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        if let Some(from) = non_empty(&req.from) {
            let days = bound(from)?.from_days().ok_or_else(|| bad_bound(from))?;
            filter(Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_i64(f.date_to, days)),
                std::ops::Bound::Unbounded,
            )));
        }
        if let Some(to) = non_empty(&req.to) {
            let days = bound(to)?.to_days().ok_or_else(|| bad_bound(to))?;
            filter(Box::new(RangeQuery::new(
                std::ops::Bound::Unbounded,
                std::ops::Bound::Included(Term::from_field_i64(f.date_from, days)),
            )));
        }
        let mut facet_filters: BTreeMap<&str, Vec<Term>> = BTreeMap::new();
        if let Some(c) = non_empty(&req.collection) {
            facet_filters.entry("collection").or_default().push(Term::from_field_text(f.collection, c.trim()));
        }
        for (name, value) in &req.filters {
            let term = match name.as_str() {
                "year" => {
                    let y: i64 = value
                        .trim()
                        .parse()
                        .map_err(|_| IndexError::Query(format!("year filter {value:?} is not a year")))?;
                    Term::from_field_i64(f.year, y)
                }
                "collection" | "decade" | "doc_type" | "classification" | "language" | "person" | "place"
                | "country_pair" | "issue" | "party" => {
                    let field = self.facet_field(name).ok_or_else(|| IndexError::Query(name.clone()))?;
                    Term::from_field_text(field, &keyword_value(name, value))
                }
                other => {
                    return Err(IndexError::Query(format!(
                        "unknown filter field {other:?} (expected one of {})",
                        FACETS.join(", ")
                    )))
                }
            };
            let name = FACETS.iter().find(|n| **n == name).copied().unwrap_or("collection");
            facet_filters.entry(name).or_default().push(term);
        }
        for terms in facet_filters.into_values() {
            let alternatives: Vec<(Occur, Box<dyn Query>)> = terms
                .into_iter()
                .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>))
                .collect();
            filter(Box::new(BooleanQuery::new(alternatives)));
        }
        let query = BooleanQuery::new(clauses);
        Ok((query, text_query))
    }

    /// Keyword in context: the occurrences of the query's words in the texts of the documents
    /// `req` finds (in its order, from its offset; its limit is ignored), within `limits`.
    /// See [`kwic`](crate::kwic).
    pub fn kwic(&self, req: &SearchRequest, names: &dyn Names, limits: KwicLimits) -> Result<Kwic> {
        if req.offset > MAX_OFFSET {
            return Err(IndexError::Query(format!("offset larger than {MAX_OFFSET}")));
        }
        let f = &self.fields;
        let (query, text_query) = self.build_query(req, names)?;
        let searcher = self.reader.searcher();
        let page = TopDocs::with_limit(limits.documents.clamp(1, MAX_LIMIT)).and_offset(req.offset);
        let (total, addrs): (usize, Vec<DocAddress>) = match req.sort {
            Sort::Relevance => {
                let (n, docs) = searcher.search(&query, &(Count, page.order_by_score()))?;
                (n, docs.into_iter().map(|(_, a)| a).collect())
            }
            Sort::DateAsc | Sort::DateDesc => {
                let order = if req.sort == Sort::DateAsc { Order::Asc } else { Order::Desc };
                let (n, docs) =
                    searcher.search(&query, &(Count, page.order_by_fast_field::<i64>("date_from", order)))?;
                (n, docs.into_iter().map(|(_, a)| a).collect())
            }
        };
        // the query's terms by field, as indexed
        let mut by_field: HashMap<Field, HashSet<String>> = HashMap::new();
        text_query.query_terms(&mut |term, _| {
            if let Some(t) = term.value().as_str() {
                by_field.entry(term.field()).or_default().insert(t.to_string());
            }
        });
        // the name and title fields are folded, not stemmed: read the text so when the body
        // terms are not in it
        let mut names_terms: HashSet<String> = HashSet::new();
        for field in [f.title, f.person, f.place, f.org] {
            names_terms.extend(by_field.get(&field).into_iter().flatten().cloned());
        }
        let mut analyzers: HashMap<Field, TextAnalyzer> = HashMap::new();
        let mut out = Kwic { documents: total, documents_read: 0, lines: Vec::new(), truncated: total > addrs.len() };
        for addr in addrs {
            if out.lines.len() >= limits.lines {
                out.truncated = true;
                break;
            }
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let text = text_of(f.text).unwrap_or_default();
            let body = body_field(f, text_of(f.language).as_deref());
            let room = limits.per_document.min(limits.lines - out.lines.len());
            out.documents_read += 1;
            let mut found = (Vec::new(), false);
            for (field, terms) in [(body, by_field.get(&body)), (f.title, Some(&names_terms))] {
                let Some(terms) = terms.filter(|t| !t.is_empty()) else { continue };
                let analyzer = match analyzers.entry(field) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(self.index.tokenizer_for_field(field)?),
                };
                found = kwic::occurrences(analyzer, &text, terms, room);
                if !found.0.is_empty() {
                    break;
                }
            }
            let (spans, more) = found;
            out.truncated |= more;
            if spans.is_empty() {
                continue;
            }
            let id = text_of(f.id).unwrap_or_default();
            let title = text_of(f.title).unwrap_or_default();
            let date: Option<DateInterval> = text_of(f.date).and_then(|j| serde_json::from_str(&j).ok());
            for (start, end) in spans {
                let (left, keyword, right) = kwic::context(&text, start, end, limits.width);
                out.lines.push(KwicLine {
                    id: id.clone(),
                    title: title.clone(),
                    date: date.clone(),
                    left,
                    keyword,
                    right,
                    offset: start,
                });
            }
        }
        Ok(out)
    }

    /// How a query string is read: the query as understood, what was rewritten or resolved,
    /// and each top-level part with the number of documents it matches alone (no filters).
    pub fn understand(&self, query: &str, names: &dyn Names) -> Result<Understood> {
        let mut notes = Vec::new();
        if query.chars().count() > MAX_QUERY_CHARS {
            notes.push(format!("Only the first {MAX_QUERY_CHARS} characters of the query were read."));
        }
        let parsed = self.parser.parse(cap(query), names, true)?;
        notes.extend(parsed.notes);
        let searcher = self.reader.searcher();
        let mut terms = Vec::with_capacity(parsed.parts.len());
        for part in parsed.parts {
            let count = match &part.query {
                Some(q) => searcher.search(q.as_ref(), &Count)? as u64,
                None => 0,
            };
            terms.push(TermCount { term: part.label, excluded: part.excluded, also: part.also, count });
        }
        Ok(Understood { query: parsed.read_as, notes, terms })
    }

    /// The ids of the documents that share the most of `subjects`' people and places, best
    /// first: each shared id scores its BM25 idf, so sharing a rare place or person counts
    /// more than sharing a common one. Country pairs are not compared.
    ///
    /// Equal scores are common (documents naming the same two places) and are ordered, not
    /// left to where a document happens to sit in the index: nearest in date to `near_day`
    /// (days, as [`DateInterval::from_days`]; undated documents last), then by a fixed hash
    /// of the id. So two ingests of the same documents, however their segments were cut or
    /// merged, give the same candidates. Block-max WAND pruning is kept: only documents
    /// scoring at least the current k-th score are looked at.
    pub fn sharing_subjects(&self, subjects: &Subjects, near_day: Option<i64>, limit: usize) -> Result<Vec<String>> {
        let f = &self.fields;
        let terms = subjects
            .people
            .iter()
            .map(|p| Term::from_field_text(f.person_id, p))
            .chain(subjects.places.iter().map(|p| Term::from_field_text(f.place_id, p)));
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>))
            .collect();
        let limit = limit.min(MAX_LIMIT);
        if clauses.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let weight = BooleanQuery::new(clauses).weight(EnableScoring::enabled_from_searcher(&searcher))?;
        // the worst of the best `limit` on top
        let mut best: BinaryHeap<Shared> = BinaryHeap::with_capacity(limit + 1);
        let mut threshold = Score::MIN;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            // a segment without any dated document has no `date_from` column at all
            let keys = segment.fast_fields().column_opt::<u64>("id_key")?;
            let dates = segment.fast_fields().column_opt::<i64>("date_from")?;
            let alive = segment.alive_bitset();
            weight.for_each_pruning(threshold, segment, &mut |doc, score| {
                if alive.is_some_and(|a| a.is_deleted(doc)) {
                    return threshold;
                }
                let distance = match (near_day, dates.as_ref().and_then(|c| c.first(doc))) {
                    (Some(near), Some(day)) => near.abs_diff(day),
                    _ => u64::MAX,
                };
                let key = keys.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                let candidate = Shared { score, distance, key, addr: DocAddress::new(ord as u32, doc) };
                if best.len() < limit {
                    best.push(candidate);
                } else if best.peek().is_some_and(|worst| candidate < *worst) {
                    best.pop();
                    best.push(candidate);
                }
                if best.len() == limit {
                    // one step below the k-th score: documents tying with it still come in
                    threshold = best.peek().map_or(Score::MIN, |worst| worst.score.next_down());
                }
                threshold
            })?;
        }
        let mut ids = Vec::with_capacity(best.len());
        for shared in best.into_sorted_vec() {
            let doc: TantivyDocument = searcher.doc(shared.addr)?;
            ids.extend(doc.get_first(f.id).and_then(|v| v.as_str()).map(str::to_string));
        }
        Ok(ids)
    }

    fn facet_field(&self, name: &str) -> Option<Field> {
        let f = &self.fields;
        Some(match name {
            "collection" => f.collection,
            "decade" => f.decade,
            "doc_type" => f.doc_type,
            "classification" => f.classification,
            "language" => f.language,
            "person" => f.person_id,
            "place" => f.place_id,
            "country_pair" => f.country_pair,
            "issue" => f.issue,
            "party" => f.party,
            _ => return None,
        })
    }
}

/// A candidate of [`Index::sharing_subjects`], ordered best first: higher score, then
/// nearer in date, then the smaller id key (`Ord` says "better is less").
#[derive(Debug, Clone, Copy)]
struct Shared {
    score: Score,
    distance: u64,
    key: u64,
    addr: DocAddress,
}

impl Ord for Shared {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.distance.cmp(&other.distance))
            .then(self.key.cmp(&other.key))
            .then(self.addr.cmp(&other.addr))
    }
}

impl PartialOrd for Shared {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Shared {}

/// A fixed 64-bit hash of a document id (FNV-1a): the same for the same id in every index
/// and every build, unlike the index's own document addresses.
fn id_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The first [`MAX_QUERY_CHARS`] characters of a query, cut back to a space.
fn cap(query: &str) -> &str {
    match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((i, _)) => {
            let head = &query[..i];
            match head.rfind(char::is_whitespace) {
                Some(space) if space > 0 => &head[..space],
                _ => head,
            }
        }
        None => query,
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

fn bound(s: &str) -> Result<DateInterval> {
    chancery_model::date::parse_bound(s).ok_or_else(|| bad_bound(s))
}

fn bad_bound(s: &str) -> IndexError {
    IndexError::Query(format!("cannot read {s:?} as a date (try 1955, 1955-09 or 1955-09-18)"))
}

/// The first `max` characters of `text`, cut back to a word boundary.
fn opening(text: &str, max: usize) -> &str {
    let text = text.trim_start();
    match text.char_indices().nth(max) {
        None => text,
        Some((cut, _)) => {
            let head = &text[..cut];
            match head.rfind(char::is_whitespace) {
                Some(space) if space > cut / 2 => head[..space].trim_end(),
                _ => head,
            }
        }
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Adds, replaces and deletes documents; nothing is visible until [`commit`](Self::commit).
pub struct IndexWriterHandle {
    writer: tantivy::IndexWriter,
    reader: IndexReader,
    fields: Fields,
}

impl IndexWriterHandle {
    /// Add a document, replacing any earlier one with the same id.
    pub fn add(&mut self, doc: &Document) -> Result<()> {
        self.add_with_subjects(doc, &Subjects::default())
    }

    /// Add a document with what the link stage found in it (the `person`, `place` and
    /// `country_pair` facets), replacing any earlier one with the same id.
    pub fn add_with_subjects(&mut self, doc: &Document, subjects: &Subjects) -> Result<()> {
        self.add_document(doc, subjects, true)
    }

    /// [`add_with_subjects`](Self::add_with_subjects) for a document whose id the index does
    /// not hold (a new id, or any id after [`delete_all`](Self::delete_all)): it does not
    /// delete an earlier copy. A delete costs the writer about 1.2 KB (a term weight with its
    /// own 1 KB BM25 table) that it keeps until the next commit, so deleting every id of a
    /// large ingest holds more than a gigabyte at a million documents.
    pub fn add_new_with_subjects(&mut self, doc: &Document, subjects: &Subjects) -> Result<()> {
        self.add_document(doc, subjects, false)
    }

    fn add_document(&mut self, doc: &Document, subjects: &Subjects, replace: bool) -> Result<()> {
        let f = &self.fields;
        if doc.id.trim().is_empty() {
            return Err(IndexError::InvalidDocument(format!("document without id (title {:?})", doc.title)));
        }
        if replace {
            self.writer.delete_term(Term::from_field_text(f.id, &doc.id));
        }
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_u64(f.id_key, id_key(&doc.id));
        d.add_text(f.title, &doc.title);

        let body = body_field(f, doc.language.as_deref());
        d.add_text(body, &doc.title);
        if let Some(summary) = &doc.summary {
            d.add_text(body, summary);
        }
        d.add_text(body, &doc.text);
        for note in &doc.notes {
            d.add_text(body, &note.text);
        }
        // the other forms of words (abbreviations, original spellings, deletions): found, not shown
        for v in &doc.variants {
            d.add_text(body, v);
        }
        // passages in another language: also in the field of their own language (its stemming)
        for p in &doc.passages {
            let field = body_field(f, Some(&p.language));
            if field != body {
                d.add_text(field, &p.text);
            }
        }
        d.add_text(f.text, &doc.text);

        for m in &doc.mentions {
            let field = match m.kind {
                MentionKind::Person => f.person,
                MentionKind::Place => f.place,
                MentionKind::Organization => f.org,
                MentionKind::Term => continue,
            };
            d.add_text(field, &m.text);
            if let Some(resolved) = m.resolved.as_deref().filter(|r| *r != m.text) {
                d.add_text(field, resolved);
            }
        }
        for c in &doc.contributors {
            d.add_text(f.person, &c.name);
        }
        if let Some(place) = &doc.place {
            d.add_text(f.place, place);
        }

        if let Some(date) = &doc.date {
            d.add_text(f.date, serde_json::to_string(date)?);
            if let (Some(from), Some(to)) = (date.from_days(), date.to_days()) {
                d.add_i64(f.date_from, from);
                d.add_i64(f.date_to, to);
            }
            if let Some(y) = date.year_from() {
                d.add_i64(f.year, i64::from(y));
            }
        }
        if let Some(decade) = doc.decade() {
            d.add_text(f.decade, decade);
        }
        if let Some(c) = &doc.collection {
            d.add_text(f.collection, c.id.trim());
            d.add_text(f.collection_title, &c.title);
        }
        let keyword = |d: &mut TantivyDocument, field: Field, facet: &str, value: &Option<String>| {
            if let Some(v) = value.as_deref().map(|v| keyword_value(facet, v)).filter(|v| !v.is_empty()) {
                d.add_text(field, v);
            }
        };
        keyword(&mut d, f.doc_type, "doc_type", &doc.doc_type);
        keyword(&mut d, f.classification, "classification", &doc.classification);
        keyword(&mut d, f.language, "language", &doc.language);
        for (field, values) in [
            (f.person_id, &subjects.people),
            (f.place_id, &subjects.places),
            (f.country_pair, &subjects.country_pairs),
            (f.issue, &subjects.issues),
            (f.party, &subjects.parties),
        ] {
            let mut seen: Vec<&str> = Vec::new();
            for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
                if !seen.contains(&v) {
                    seen.push(v);
                    d.add_text(field, v);
                }
            }
        }

        self.writer.add_document(d)?;
        Ok(())
    }

    /// Delete the document with this id (if any).
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Delete every document (including those added before in this handle).
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Make the changes durable and visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// [`commit`](Self::commit), recording with it the position `seq` of the store's change
    /// feed that the index now holds ([`Index::committed_seq`]).
    pub fn commit_at(&mut self, seq: i64) -> Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&format!("seq:{seq}"));
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Discard the changes since the last commit.
    pub fn rollback(&mut self) -> Result<()> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Commit and wait for background merges to finish.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_cuts_at_words_and_char_boundaries() {
        assert_eq!(opening("  short text", 100), "short text");
        assert_eq!(opening("alpha beta gamma", 12), "alpha beta");
        assert_eq!(opening("日本和苏联的谈判", 3), "日本和");
        assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }

    #[test]
    fn languages_pick_their_field() {
        let (_, f) = build_schema();
        assert_eq!(body_field(&f, None), f.body_en);
        assert_eq!(body_field(&f, Some("ru")), f.body_ru);
        assert_eq!(body_field(&f, Some("RU-ru")), f.body_ru);
        assert_eq!(body_field(&f, Some("ita")), f.body_it);
        assert_eq!(body_field(&f, Some("ja")), f.body_cjk);
        assert_eq!(body_field(&f, Some("zh")), f.body_cjk);
        assert_eq!(body_field(&f, Some("de")), f.body_stemmed[0]);
        assert_eq!(body_field(&f, Some("fr-FR")), f.body_stemmed[1]);
        assert_eq!(body_field(&f, Some("tr")), f.body_stemmed[11]);
        assert_eq!(body_field(&f, Some("la")), f.body_other, "no Snowball stemmer for Latin");
    }
}
