//! Search parameters: parsed from the query string, validated (bad values are a 400 with a
//! message, never a panic), turned into a [`SearchRequest`], and written back into canonical
//! `/search?…` URLs for facet, sort and pagination links.

use chancery_core::{LedgerFilter, SearchRequest, Sort, Status, DEFAULT_FACET_LIMIT};

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Largest page size (`size`/`limit`).
pub const MAX_PAGE_SIZE: usize = 100;
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// Deepest offset a request may ask for.
pub const MAX_OFFSET: usize = 10_000;
/// Most `filter` parameters in one request.
pub const MAX_FILTERS: usize = 20;
/// Largest `facet_limit` other than 0 (every value).
pub const MAX_FACET_LIMIT: usize = 100_000;
/// The facet fields a `filter=field:value` may name, in the order the page shows them (the
/// index's list).
pub const FACET_FIELDS: &[&str] = &chancery_core::FACETS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortParam {
    Relevance,
    Date,
    DateDesc,
}

impl SortParam {
    pub fn parse(s: &str) -> Option<SortParam> {
        match s {
            "relevance" => Some(SortParam::Relevance),
            "date" | "date-asc" => Some(SortParam::Date),
            "date-desc" => Some(SortParam::DateDesc),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SortParam::Relevance => "relevance",
            SortParam::Date => "date",
            SortParam::DateDesc => "date-desc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortParam::Relevance => "relevance",
            SortParam::Date => "oldest first",
            SortParam::DateDesc => "newest first",
        }
    }
}

/// The parameters of a search, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub collection: Option<String>,
    /// Facet filters `(field, value)`, each field one of [`FACET_FIELDS`], no duplicates.
    pub filters: Vec<(String, String)>,
    /// `None`: the default (relevance with a query, date without).
    pub sort: Option<SortParam>,
    /// 1-based page number.
    pub page: usize,
    pub size: usize,
    /// An explicit `offset` (API callers); overrides `page`.
    pub offset: Option<usize>,
    /// Values reported per facet (API callers; 0: every value). `None`: the index's default.
    pub facet_limit: Option<usize>,
    /// What was done to the words before searching (control characters dropped, a query cut
    /// to [`MAX_QUERY_CHARS`]): the words are never refused.
    pub q_notes: Vec<String>,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            q: String::new(),
            from: None,
            to: None,
            collection: None,
            filters: Vec::new(),
            sort: None,
            page: 1,
            size: DEFAULT_PAGE_SIZE,
            offset: None,
            facet_limit: None,
            q_notes: Vec::new(),
        }
    }
}

/// Check a date bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Returns the interval's first and
/// last day (ISO) for range checks.
pub fn parse_date_bound(name: &str, value: &str) -> Result<(String, String), String> {
    let bad = || format!("{name}: {value:?} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
    if value.contains('T') || value.len() > 10 {
        return Err(bad());
    }
    let iv = chancery_model::date::parse_iso(value).ok_or_else(bad)?;
    Ok((iv.from, iv.to))
}

/// The words as searched: control and invisible characters dropped (a `%00` never reaches the
/// page as "�"), cut to [`MAX_QUERY_CHARS`] at a space; with a sentence for each change.
pub fn clean_query(v: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let invisible = |c: char| c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{FFFD}');
    let mut q: String = v.chars().map(|c| if invisible(c) { ' ' } else { c }).collect();
    if q != v {
        notes.push("Control characters in the query were ignored.".to_string());
        q = q.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        let head: String = q.chars().take(MAX_QUERY_CHARS).collect();
        q = match head.rfind(' ') {
            Some(space) if space > 0 => head[..space].to_string(),
            _ => head,
        };
        notes.push(format!("The query was {n} characters long: its first {} were searched.", q.chars().count()));
    }
    (q.trim().to_string(), notes)
}

fn parse_number(name: &str, value: &str, min: usize, max: usize) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("{name}: {value:?} must be a whole number from {min} to {max}")),
    }
}

impl SearchParams {
    /// Parse a raw (still percent-encoded) query string. Unknown parameters are ignored. An
    /// empty date range or a page past [`MAX_OFFSET`] is refused (the pages say why).
    pub fn parse(raw: Option<&str>) -> Result<SearchParams, String> {
        let p = SearchParams::parse_values(raw)?;
        match p.unanswerable() {
            Some(why) => Err(why),
            None => Ok(p),
        }
    }

    /// Why a search whose values are each valid can find nothing: a date range whose start is
    /// after its end, a page past [`MAX_OFFSET`]. The API answers such a search with no hits
    /// and this sentence (every value the OpenAPI document allows is accepted); the pages
    /// refuse it.
    pub fn unanswerable(&self) -> Option<String> {
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            if let (Ok((first, _)), Ok((_, last))) = (parse_date_bound("from", from), parse_date_bound("to", to)) {
                if first > last {
                    return Some(format!("the date range is empty: from {from} is after to {to}"));
                }
            }
        }
        if self.offset() > MAX_OFFSET {
            return Some(format!("page {} is too deep (results are available up to {MAX_OFFSET})", self.page));
        }
        None
    }

    /// Parse each value of a raw query string, without [`SearchParams::unanswerable`]'s checks.
    pub fn parse_values(raw: Option<&str>) -> Result<SearchParams, String> {
        let mut p = SearchParams::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = value.trim();
            match key.as_ref() {
                "q" => (p.q, p.q_notes) = clean_query(v),
                "from" if !v.is_empty() => {
                    parse_date_bound("from", v)?;
                    p.from = Some(v.to_string());
                }
                "to" if !v.is_empty() => {
                    parse_date_bound("to", v)?;
                    p.to = Some(v.to_string());
                }
                "collection" if !v.is_empty() => p.collection = Some(v.to_string()),
                "filter" if !v.is_empty() => {
                    let (field, val) = v
                        .split_once(':')
                        .ok_or_else(|| format!("filter: {v:?} must be field:value, e.g. decade:1950s"))?;
                    let (field, val) = (field.trim(), val.trim());
                    if !FACET_FIELDS.contains(&field) {
                        return Err(format!(
                            "filter: unknown field {field:?} (use one of: {})",
                            FACET_FIELDS.join(", ")
                        ));
                    }
                    if val.is_empty() {
                        return Err(format!("filter: {field}: the value is empty"));
                    }
                    let pair = (field.to_string(), val.to_string());
                    if !p.filters.contains(&pair) {
                        p.filters.push(pair);
                    }
                    if p.filters.len() > MAX_FILTERS {
                        return Err(format!("too many filters (at most {MAX_FILTERS})"));
                    }
                }
                "sort" if !v.is_empty() => {
                    p.sort = Some(
                        SortParam::parse(v)
                            .ok_or_else(|| format!("sort: {v:?} is not one of relevance, date, date-desc"))?,
                    )
                }
                "page" if !v.is_empty() => p.page = parse_number("page", v, 1, MAX_OFFSET)?,
                "size" | "limit" if !v.is_empty() => p.size = parse_number("page size", v, 1, MAX_PAGE_SIZE)?,
                "offset" if !v.is_empty() => p.offset = Some(parse_number("offset", v, 0, MAX_OFFSET)?),
                "facet_limit" if !v.is_empty() => {
                    p.facet_limit = Some(parse_number("facet_limit", v, 0, MAX_FACET_LIMIT)?)
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// Whatever of a bad request can be shown again in the form: the words (cut to
    /// [`MAX_QUERY_CHARS`]) and the valid parts; used to redisplay a search that failed.
    pub fn lenient(raw: Option<&str>) -> SearchParams {
        let mut p = SearchParams::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = value.trim();
            let one = |k: &str| form_urlencoded::Serializer::new(String::new()).append_pair(k, v).finish();
            match key.as_ref() {
                "q" => (p.q, p.q_notes) = clean_query(v),
                k @ ("from" | "to" | "collection" | "filter" | "sort") => {
                    if let Ok(one) = SearchParams::parse(Some(&one(k))) {
                        p.from = one.from.or(p.from);
                        p.to = one.to.or(p.to);
                        p.collection = one.collection.or(p.collection);
                        p.sort = one.sort.or(p.sort);
                        for f in one.filters {
                            if !p.filters.contains(&f) && p.filters.len() < MAX_FILTERS {
                                p.filters.push(f);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        p
    }

    /// True when nothing at all was asked for (the bare search page).
    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.collection.is_none()
            && self.filters.is_empty()
    }

    /// True when anything narrows the search beyond the words.
    pub fn has_restrictions(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.collection.is_some() || !self.filters.is_empty()
    }

    pub fn effective_sort(&self) -> SortParam {
        self.sort.unwrap_or(if self.q.is_empty() { SortParam::Date } else { SortParam::Relevance })
    }

    pub fn offset(&self) -> usize {
        self.offset.unwrap_or_else(|| (self.page - 1).saturating_mul(self.size))
    }

    pub fn to_request(&self) -> SearchRequest {
        SearchRequest {
            query: self.q.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            collection: self.collection.clone(),
            filters: self.filters.clone(),
            sort: match self.effective_sort() {
                SortParam::Relevance => Sort::Relevance,
                SortParam::Date => Sort::DateAsc,
                SortParam::DateDesc => Sort::DateDesc,
            },
            limit: self.size,
            offset: self.offset(),
            facet_limit: self.facet_limit.unwrap_or(DEFAULT_FACET_LIMIT),
        }
    }

    /// The canonical `/search?…` URL of these parameters.
    pub fn url(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        if let Some(v) = &self.from {
            s.append_pair("from", v);
        }
        if let Some(v) = &self.to {
            s.append_pair("to", v);
        }
        if let Some(v) = &self.collection {
            s.append_pair("collection", v);
        }
        for (f, v) in &self.filters {
            s.append_pair("filter", &format!("{f}:{v}"));
        }
        if let Some(sort) = self.sort {
            s.append_pair("sort", sort.as_str());
        }
        if self.size != DEFAULT_PAGE_SIZE {
            s.append_pair("size", &self.size.to_string());
        }
        match self.offset {
            Some(o) if o > 0 => {
                s.append_pair("offset", &o.to_string());
            }
            Some(_) => {}
            None if self.page > 1 => {
                s.append_pair("page", &self.page.to_string());
            }
            None => {}
        }
        let qs = s.finish();
        if qs.is_empty() {
            "/search".to_string()
        } else {
            format!("/search?{qs}")
        }
    }

    /// The query string (with its `?`, or empty) of what a timeline draws: the words, dates,
    /// collection and filters; sort and page do not apply.
    pub fn timeline_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        if let Some(v) = &self.from {
            s.append_pair("from", v);
        }
        if let Some(v) = &self.to {
            s.append_pair("to", v);
        }
        if let Some(v) = &self.collection {
            s.append_pair("collection", v);
        }
        for (f, v) in &self.filters {
            s.append_pair("filter", &format!("{f}:{v}"));
        }
        let qs = s.finish();
        if qs.is_empty() {
            String::new()
        } else {
            format!("?{qs}")
        }
    }

    /// The timeline of the documents these parameters find (`/timeline?…`).
    pub fn timeline_url(&self) -> String {
        format!("/timeline{}", self.timeline_query())
    }

    /// The search for what a timeline draws (`/search?…`, first page, default order).
    pub fn search_url(&self) -> String {
        format!("/search{}", self.timeline_query())
    }

    /// The request for a timeline: every match (up to `limit`) by date.
    pub fn to_timeline_request(&self, limit: usize) -> SearchRequest {
        SearchRequest { sort: Sort::DateAsc, limit, offset: 0, ..self.to_request() }
    }

    /// A new search (first page) from these parameters changed by `f`.
    fn derive(&self, f: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut p = self.clone();
        p.page = 1;
        p.offset = None;
        f(&mut p);
        p
    }

    pub fn with_filter(&self, field: &str, value: &str) -> SearchParams {
        self.derive(|p| {
            let pair = (field.to_string(), value.to_string());
            if !p.filters.contains(&pair) {
                p.filters.push(pair);
            }
        })
    }

    pub fn without_filter(&self, field: &str, value: &str) -> SearchParams {
        self.derive(|p| p.filters.retain(|(f, v)| !(f == field && v == value)))
    }

    pub fn without_collection(&self) -> SearchParams {
        self.derive(|p| p.collection = None)
    }

    pub fn without_dates(&self) -> SearchParams {
        self.derive(|p| {
            p.from = None;
            p.to = None;
        })
    }

    /// Only the words: every filter, date bound and collection dropped.
    pub fn words_only(&self) -> SearchParams {
        self.derive(|p| {
            p.from = None;
            p.to = None;
            p.collection = None;
            p.filters.clear();
        })
    }

    pub fn with_query(&self, q: &str) -> SearchParams {
        self.derive(|p| p.q = q.to_string())
    }

    pub fn with_sort(&self, sort: SortParam) -> SearchParams {
        self.derive(|p| p.sort = Some(sort))
    }

    pub fn with_page(&self, page: usize) -> SearchParams {
        let mut p = self.clone();
        p.offset = None;
        p.page = page.max(1);
        p
    }

    pub fn is_filtered(&self, field: &str, value: &str) -> bool {
        self.filters.iter().any(|(f, v)| f == field && v == value)
    }
}

/// Which positions an issue page, its CSV and `/api/issue/{id}` show (`status=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusParam {
    /// No parameter: every position but the rejected ones.
    Default,
    Accepted,
    Proposed,
    Rejected,
    /// Every position, the rejected ones too.
    All,
}

impl StatusParam {
    /// The `status` parameter of a raw query string (absent or empty: the default).
    pub fn from_query(raw: Option<&str>) -> Result<StatusParam, String> {
        let value = form_urlencoded::parse(raw.unwrap_or("").as_bytes()).filter(|(k, _)| k == "status").last();
        match value.as_ref().map(|(_, v)| v.trim()) {
            None | Some("") => Ok(StatusParam::Default),
            Some("accepted") => Ok(StatusParam::Accepted),
            Some("proposed") => Ok(StatusParam::Proposed),
            Some("rejected") => Ok(StatusParam::Rejected),
            Some("all") => Ok(StatusParam::All),
            Some(v) => Err(format!("status: {v:?} is not one of accepted, proposed, rejected, all")),
        }
    }

    /// The statuses to show, as `Archive::issue_ledger` takes them (empty: all but rejected).
    pub fn statuses(self) -> Vec<Status> {
        match self {
            StatusParam::Default => Vec::new(),
            StatusParam::Accepted => vec![Status::Accepted],
            StatusParam::Proposed => vec![Status::Proposed],
            StatusParam::Rejected => vec![Status::Rejected],
            StatusParam::All => vec![Status::Proposed, Status::Accepted, Status::Rejected],
        }
    }

    /// The value of the parameter (`None` for the default).
    pub fn as_param(self) -> Option<&'static str> {
        match self {
            StatusParam::Default => None,
            StatusParam::Accepted => Some("accepted"),
            StatusParam::Proposed => Some("proposed"),
            StatusParam::Rejected => Some("rejected"),
            StatusParam::All => Some("all"),
        }
    }

    /// The statuses shown, as names (`["proposed", "accepted"]` for the default).
    pub fn names(self) -> Vec<String> {
        match self {
            StatusParam::Default => vec!["proposed".to_string(), "accepted".to_string()],
            s => s.statuses().iter().map(|s| s.as_str().to_string()).collect(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusParam::Default => "proposed and accepted",
            StatusParam::Accepted => "accepted only",
            StatusParam::Proposed => "proposals only",
            StatusParam::Rejected => "rejected only",
            StatusParam::All => "all, rejected too",
        }
    }
}

/// Most positions `/api/positions` returns at once.
pub const MAX_POSITIONS: usize = 1000;
/// Positions `/api/positions` returns when no `limit` is given.
pub const DEFAULT_POSITIONS: usize = 200;

/// The parameters of `/api/positions`: the store's filter and a page of the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionsParams {
    pub filter: LedgerFilter,
    pub limit: usize,
    pub offset: usize,
}

impl PositionsParams {
    pub fn parse(raw: Option<&str>) -> Result<PositionsParams, String> {
        let mut p = PositionsParams { limit: DEFAULT_POSITIONS, ..Default::default() };
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            match key.as_ref() {
                "issue" => p.filter.issue = Some(v.to_string()),
                "party" => p.filter.party = Some(v.to_string()),
                "document" => p.filter.document = Some(v.to_string()),
                "status" => {
                    p.filter.status = Some(
                        v.parse::<Status>()
                            .map_err(|_| format!("status: {v:?} is not one of proposed, accepted, rejected"))?,
                    )
                }
                "limit" | "size" => p.limit = parse_number("limit", v, 1, MAX_POSITIONS)?,
                "offset" => p.offset = parse_number("offset", v, 0, usize::MAX / 2)?,
                _ => {}
            }
        }
        Ok(p)
    }
}

/// True when the query string has a parameter with an empty value (`from=&to=`).
pub fn has_empty_values(raw: Option<&str>) -> bool {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).any(|(_, v)| v.trim().is_empty())
}

/// A `back` parameter is only followed when it is a search URL of this site.
pub fn valid_back(back: &str) -> bool {
    (back == "/search" || back.starts_with("/search?"))
        && back.len() <= 4000
        && !back.chars().any(|c| c.is_control() || c == '\\')
}

/// The `back` parameter of a raw query string, if it is valid.
pub fn back_param(raw: Option<&str>) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "back")
        .map(|(_, v)| v.into_owned())
        .last()
        .filter(|b| valid_back(b))
}

/// A `page` parameter for listings other than search (collection pages).
pub fn page_param(raw: Option<&str>) -> Result<usize, String> {
    match form_urlencoded::parse(raw.unwrap_or("").as_bytes()).filter(|(k, _)| k == "page").last() {
        Some((_, v)) if !v.trim().is_empty() => parse_number("page", v.trim(), 1, MAX_OFFSET),
        _ => Ok(1),
    }
}

/// Positions per page of an issue (`/issue/{id}`, `/api/issue/{id}`) unless `size`/`limit`
/// says otherwise, and the most a page may hold.
pub const DEFAULT_ISSUE_PAGE: usize = 100;
pub const MAX_ISSUE_PAGE: usize = 1000;
/// Documents per page of a person (`/person/{id}`, `/api/person/{id}`), and the most.
pub const DEFAULT_PERSON_PAGE: usize = 100;
pub const MAX_PERSON_PAGE: usize = 1000;

/// One page of a long list: `offset` and `size`. Pages read `page` (from 1) and `size`; the
/// API reads `offset` and `limit` (either spelling is accepted on both). The deepest offset is
/// [`MAX_OFFSET`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub offset: usize,
    pub size: usize,
}

impl Paging {
    pub fn parse(raw: Option<&str>, default_size: usize, max_size: usize) -> Result<Paging, String> {
        let mut page = None;
        let mut offset = None;
        let mut size = default_size;
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            match key.as_ref() {
                "page" => page = Some(parse_number("page", v, 1, MAX_OFFSET)?),
                "offset" => offset = Some(parse_number("offset", v, 0, MAX_OFFSET)?),
                "size" | "limit" => size = parse_number("limit", v, 1, max_size)?,
                _ => {}
            }
        }
        let offset = match (offset, page) {
            (Some(o), _) => o,
            (None, Some(p)) => (p - 1).saturating_mul(size),
            (None, None) => 0,
        };
        if offset > MAX_OFFSET {
            return Err(format!("the page is too deep (lists are available up to {MAX_OFFSET} items)"));
        }
        Ok(Paging { offset, size })
    }

    /// The page number (from 1) this offset falls on.
    pub fn page(&self) -> usize {
        self.offset / self.size.max(1) + 1
    }

    /// How many pages `total` items make (at least 1).
    pub fn pages(&self, total: usize) -> usize {
        total.div_ceil(self.size.max(1)).max(1)
    }
}

// ---------------------------------------------------------------------------------------
// The parameters as the OpenAPI document states them. They are built here, from the constants
// and value lists the parsers above use, so that the document cannot drift from what the
// server accepts; every allowed value is stated (enums, patterns, ranges), and an empty value
// (`from=&to=`, what an HTML form sends) counts as not given.

/// ISO date bound `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (years 0001 to 9999, real days; 29
/// February is accepted in leap years although the pattern leaves it out), or empty.
pub const DATE_PATTERN: &str = concat!(
    "^$|^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})",
    "(-(0[1-9]|1[0-2])|-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|-(0[13-9]|1[0-2])-(29|30)|-(0[13578]|1[02])-31)?$"
);

/// The values `sort` accepts (and the empty value: the default).
pub const SORT_VALUES: [&str; 5] = ["", "relevance", "date", "date-asc", "date-desc"];
/// The values `status` of an issue accepts.
pub const STATUS_VALUES: [&str; 5] = ["", "accepted", "proposed", "rejected", "all"];
/// The values `status` of `/api/positions` accepts.
pub const POSITION_STATUS_VALUES: [&str; 4] = ["", "proposed", "accepted", "rejected"];

/// The pattern of a `filter` value: a facet field, a colon, a value that is not blank.
pub fn filter_pattern() -> String {
    format!("^({}):.*[^ ].*$", FACET_FIELDS.join("|"))
}

pub mod openapi {
    use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    use utoipa::openapi::{RefOr, Required, Schema};

    use super::*;

    fn query(name: &str, description: String, schema: impl Into<RefOr<Schema>>) -> Parameter {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema))
            .build()
    }

    fn string() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String)
    }

    fn one_of(values: &[&str]) -> ObjectBuilder {
        string().enum_values(Some(values.iter().copied()))
    }

    /// A whole number from `min` to `max`, or the empty value (= not given, as a form sends it).
    fn int(min: usize, max: usize) -> OneOfBuilder {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(min)).maximum(Some(max)))
            .item(one_of(&[""]))
    }

    /// `offset` and `limit` of a paged list ([`Paging`]).
    pub fn paging(what: &str, default: usize, max: usize) -> Vec<Parameter> {
        vec![
            query(
                "offset",
                format!("{what} skipped (at most {MAX_OFFSET}; `page` from 1 is accepted instead)"),
                int(0, MAX_OFFSET),
            ),
            query("limit", format!("{what} listed, 1 to {max} (default {default}; `size` is a synonym)"), int(1, max)),
        ]
    }

    /// The query parameters of a search (`/api/search`, `/api/timeline`), as
    /// [`SearchParams::parse`] reads them.
    pub fn search() -> Vec<Parameter> {
        vec![
            query(
                "q",
                format!(
                    "Query: words (all required), \"phrases\", OR, NOT/-word, title:, person:, place:, fuzzy word~1. \
                     Empty with filters lists everything. Longer than {MAX_QUERY_CHARS} characters, it is cut at a \
                     space (and the answer says so); control characters are ignored."
                ),
                string(),
            ),
            query(
                "from",
                "Earliest date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD. A range whose `from` is after its `to` \
                 finds nothing (the answer's `notes` say so)."
                    .to_string(),
                string().pattern(Some(DATE_PATTERN)),
            ),
            query(
                "to",
                "Latest date, inclusive (to=1960 includes all of 1960): YYYY, YYYY-MM or YYYY-MM-DD.".to_string(),
                string().pattern(Some(DATE_PATTERN)),
            ),
            query("collection", "Only this collection id.".to_string(), string()),
            ParameterBuilder::from(query(
                "filter",
                format!(
                    "Facet filter `field:value`, field one of {}; repeat the parameter to combine filters (at most \
                     {MAX_FILTERS}). A value no document has finds nothing.",
                    FACET_FIELDS.join(", ")
                ),
                ArrayBuilder::new().items(string().pattern(Some(filter_pattern()))).max_items(Some(MAX_FILTERS)),
            ))
            .style(Some(ParameterStyle::Form))
            .explode(Some(true))
            .build(),
            query(
                "sort",
                "relevance (the default with a query), date (oldest first, the default without; date-asc is a \
                 synonym), date-desc."
                    .to_string(),
                one_of(&SORT_VALUES),
            ),
            query(
                "page",
                format!(
                    "1-based page number. A page past the first {MAX_OFFSET} results is empty (the answer's \
                     `notes` say so); `offset` overrides it."
                ),
                int(1, MAX_OFFSET),
            ),
            query(
                "size",
                format!("Page size, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); `limit` is a synonym."),
                int(1, MAX_PAGE_SIZE),
            ),
            query("offset", "Explicit offset of the first hit (overrides page).".to_string(), int(0, MAX_OFFSET)),
            query(
                "facet_limit",
                format!(
                    "Values reported per facet, the most frequent first (default {DEFAULT_FACET_LIMIT}; 0: every \
                     value). Years and decades are always whole; `facet_distinct` says how many values each facet has."
                ),
                int(0, MAX_FACET_LIMIT),
            ),
        ]
    }

    /// The query parameters of a timeline (`/api/timeline`): a search's words, dates,
    /// collection and filters (sort and pages do not apply).
    pub fn timeline() -> Vec<Parameter> {
        search()
            .into_iter()
            .filter(|p| matches!(p.name.as_str(), "q" | "from" | "to" | "collection" | "filter"))
            .collect()
    }

    /// `id` of an export: chosen documents (a search's selected hits), repeatable.
    pub fn export_ids(max: usize) -> Parameter {
        ParameterBuilder::from(query(
            "id",
            format!(
                "A document to export (repeat for several, at most {max}); unknown ids and empty values are left \
                 out. With ids, the search parameters are ignored."
            ),
            ArrayBuilder::new().items(string()).max_items(Some(max)),
        ))
        .style(Some(ParameterStyle::Form))
        .explode(Some(true))
        .build()
    }

    /// `limit` of an export: its first N documents.
    pub fn export_limit(max: usize) -> Parameter {
        query(
            "limit",
            format!("Only the first N documents, 1 to {max} (default: all; a search's first {max})"),
            int(1, max),
        )
    }

    /// `status` of an issue's positions ([`StatusParam`]).
    pub fn status() -> Parameter {
        query(
            "status",
            "Which positions: accepted, proposed, rejected, or all. Default (absent or empty): proposed and \
             accepted, all but the rejected."
                .to_string(),
            one_of(&STATUS_VALUES),
        )
    }

    /// The query parameters of `/api/positions` ([`PositionsParams`]).
    pub fn positions() -> Vec<Parameter> {
        vec![
            query("issue", "Only this issue (an id of `/api/issues`).".to_string(), {
                let ids: Vec<String> = chancery_ledger::builtin_issues().into_iter().map(|i| i.id).collect();
                string().enum_values(Some(std::iter::once(String::new()).chain(ids)))
            }),
            query("party", "Only this party (\"ussr\").".to_string(), string()),
            query("document", "Only positions stated in this document.".to_string(), string()),
            query(
                "status",
                "Only this status: proposed, accepted or rejected (default: every status).".to_string(),
                one_of(&POSITION_STATUS_VALUES),
            ),
            query(
                "limit",
                format!("Page size, 1 to {MAX_POSITIONS} (default {DEFAULT_POSITIONS}; `size` is a synonym)."),
                int(1, MAX_POSITIONS),
            ),
            query("offset", "Offset of the first position returned.".to_string(), int(0, usize::MAX / 2)),
        ]
    }
}

impl utoipa::IntoParams for SearchParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        openapi::search()
    }
}

/// The parameters of `/api/timeline`: those of a search that a timeline reads.
pub struct TimelineParams;

impl utoipa::IntoParams for TimelineParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        openapi::timeline()
    }
}

/// `status` of an issue (`/api/issue/{id}`, `/issue/{id}/ledger.csv`).
impl utoipa::IntoParams for StatusParam {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        vec![openapi::status()]
    }
}

/// `offset` and `limit` of a person's documents (`/api/person/{id}`).
pub struct PersonPaging;

impl utoipa::IntoParams for PersonPaging {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        openapi::paging("Documents", DEFAULT_PERSON_PAGE, MAX_PERSON_PAGE)
    }
}

/// `offset` and `limit` of an issue's positions (`/api/issue/{id}`).
pub struct IssuePaging;

impl utoipa::IntoParams for IssuePaging {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        openapi::paging("Positions", DEFAULT_POSITIONS, MAX_POSITIONS)
    }
}

impl utoipa::IntoParams for PositionsParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        openapi::positions()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_reads_pages_and_offsets() {
        assert_eq!(Paging::parse(None, 100, 1000), Ok(Paging { offset: 0, size: 100 }));
        assert_eq!(Paging::parse(Some("page=3&size=20"), 100, 1000), Ok(Paging { offset: 40, size: 20 }));
        assert_eq!(Paging::parse(Some("offset=5&limit=2"), 100, 1000), Ok(Paging { offset: 5, size: 2 }));
        let p = Paging::parse(Some("page=2&size=2&status=all"), 100, 1000).unwrap();
        assert_eq!((p.page(), p.pages(5), p.pages(0)), (2, 3, 1));
        for bad in ["page=0", "size=0", "limit=1001", "page=x", "offset=-1", "page=10000&size=1000"] {
            assert!(Paging::parse(Some(bad), 100, 1000).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_and_round_trips() {
        let p = SearchParams::parse(Some(
            "q=Habomai+Shikotan&from=1955&to=1960-01&filter=decade%3A1950s&filter=language:en&sort=date&page=2",
        ))
        .unwrap();
        assert_eq!(p.q, "Habomai Shikotan");
        assert_eq!(p.from.as_deref(), Some("1955"));
        assert_eq!(p.filters, vec![("decade".into(), "1950s".into()), ("language".into(), "en".into())]);
        assert_eq!(p.offset(), 20);
        let again = SearchParams::parse(p.url().strip_prefix("/search?")).unwrap();
        assert_eq!(again, p);
        assert_eq!(
            p.url(),
            "/search?q=Habomai+Shikotan&from=1955&to=1960-01&filter=decade%3A1950s&filter=language%3Aen&sort=date&page=2"
        );
    }

    #[test]
    fn rejects_bad_values() {
        for bad in [
            "from=notadate",
            "to=1955-13",
            "from=1955-09-18T10:00",
            "sort=best",
            "size=101",
            "page=0",
            "page=abc",
            "filter=decade",
            "filter=colour:red",
            "from=1960&to=1955",
            "page=1000",
        ] {
            assert!(SearchParams::parse(Some(bad)).is_err(), "{bad} accepted");
        }
        // words are never refused: a long query is cut at a space, and says so
        let long = format!("q={}", "ab ".repeat(200));
        let p = SearchParams::parse(Some(&long)).unwrap();
        assert!(p.q.chars().count() <= MAX_QUERY_CHARS && p.q.ends_with("ab"), "{}", p.q);
        assert!(p.q_notes[0].contains("its first"), "{:?}", p.q_notes);
        let p = SearchParams::parse(Some("q=Habo%00mai")).unwrap();
        assert_eq!((p.q.as_str(), p.q_notes.len()), ("Habo mai", 1));
        assert!(SearchParams::parse(Some(&format!("q={}", "é".repeat(500)))).is_ok());
    }

    #[test]
    fn lenient_keeps_the_valid_parts() {
        let p = SearchParams::lenient(Some("q=Habomai&from=notadate&to=1960&filter=colour:red&filter=decade:1950s"));
        assert_eq!(p.q, "Habomai");
        assert_eq!((p.from, p.to.as_deref()), (None, Some("1960")));
        assert_eq!(p.filters, vec![("decade".to_string(), "1950s".to_string())]);
        assert_eq!(SearchParams::lenient(Some(&format!("q={}", "a".repeat(600)))).q.len(), MAX_QUERY_CHARS);
    }

    #[test]
    fn filter_links_toggle_and_reset_the_page() {
        let p = SearchParams::parse(Some("q=x&page=3&filter=decade:1950s")).unwrap();
        let added = p.with_filter("language", "ru");
        assert_eq!(added.url(), "/search?q=x&filter=decade%3A1950s&filter=language%3Aru");
        assert_eq!(added.without_filter("decade", "1950s").url(), "/search?q=x&filter=language%3Aru");
        assert_eq!(p.words_only().url(), "/search?q=x");
    }

    #[test]
    fn timeline_urls_keep_what_is_drawn() {
        let p = SearchParams::parse(Some("q=Habomai&from=1955&filter=decade:1950s&sort=date&page=2")).unwrap();
        assert_eq!(p.timeline_url(), "/timeline?q=Habomai&from=1955&filter=decade%3A1950s");
        assert_eq!(p.search_url(), "/search?q=Habomai&from=1955&filter=decade%3A1950s");
        assert_eq!(SearchParams::default().timeline_url(), "/timeline");
        let r = p.to_timeline_request(1000);
        assert_eq!((r.limit, r.offset, r.sort), (1000, 0, Sort::DateAsc));
    }

    #[test]
    fn back_must_be_a_search_url() {
        assert!(valid_back("/search?q=x"));
        assert!(valid_back("/search"));
        for bad in ["//evil.example/search", "https://evil.example/", "/searchx", "javascript:alert(1)", "/search?\n"] {
            assert!(!valid_back(bad), "{bad}");
        }
        assert_eq!(back_param(Some("back=%2Fsearch%3Fq%3Dx")).as_deref(), Some("/search?q=x"));
        assert_eq!(back_param(Some("back=http%3A%2F%2Fx")), None);
    }
}
