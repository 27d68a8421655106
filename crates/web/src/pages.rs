//! Server-rendered pages (maud escapes every interpolated string): the layout, home,
//! search, collection and error pages. The document page is in [`crate::doc`].

use chancery_core::{CollectionSummary, Fidelity, Issue, Person, RecentDocument, SearchResults, Understood};
use chancery_link::places::Place;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::edition::{Contents, Entry};
use crate::params::{SearchParams, SortParam, FACET_FIELDS};
use crate::util::{clean_snippet, collection_url, count, date_words, doc_url, doc_url_back, language_label, span};

/// The page frame: skip link, header with site navigation (and a search box on pages that
/// have none of their own), main, footer.
pub fn layout(title: &str, quick_search: bool, body: Markup) -> Markup {
    layout_with_head(title, quick_search, html! {}, body)
}

/// [`layout`] with more in the page's head (a document page's citation meta tags).
pub fn layout_with_head(title: &str, quick_search: bool, head: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Chancery" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                script src="/static/app.js" defer {}
                (head)
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "Chancery" }
                    nav aria-label="Site" {
                        ul {
                            li { a href="/" { "Collections" } }
                            li { a href="/search" { "Search" } }
                            li { a href="/issues" { "Issues" } }
                            li { a href="/api/openapi.json" { "API" } }
                        }
                    }
                    @if quick_search {
                        form.quick role="search" action="/search" method="get" {
                            label.visually-hidden for="site-q" { "Search the archive" }
                            input #site-q type="search" name="q" maxlength="500" placeholder="Search the archive";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p {
                        "Chancery, a research archive of diplomatic documents. "
                        a href="/api/openapi.json" { "JSON API (OpenAPI 3)" }
                        "."
                    }
                }
            }
        }
    }
}

pub fn error_page(status: u16, message: &str) -> Markup {
    let heading = match status {
        400 => "Bad request",
        404 => "Not found",
        413 => "Request too large",
        421 => "Wrong host name",
        503 => "The reading room is busy",
        _ => "Something went wrong",
    };
    layout(
        heading,
        true,
        html! {
            h1 { (heading) }
            p.error-message { (message) }
            p { "Go to the " a href="/" { "list of collections" } " or " a href="/search" { "search the archive" } "." }
        },
    )
}

fn collections_table(cols: &[CollectionSummary]) -> Markup {
    html! {
        @if cols.is_empty() {
            p { "The archive is empty. Ingest some files with " code { "chancery ingest PATH" } "." }
        } @else {
            div.table-wrap {
                table.collections {
                    caption.visually-hidden { "Collections held, with document counts and date spans" }
                    thead { tr { th scope="col" { "Collection" } th scope="col" { "Documents" } th scope="col" { "Dates" } } }
                    tbody {
                        @for c in cols {
                            tr {
                                td {
                                    a href=(collection_url(&c.id)) { (if c.title.is_empty() { &c.id } else { &c.title }) }
                                    br;
                                    code.id { (c.id) }
                                }
                                td.num { (c.count) }
                                td { (span(c.date_from.as_deref(), c.date_to.as_deref())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn search_form(p: &SearchParams, cols: &[CollectionSummary], heading_id: &str) -> Markup {
    html! {
        form.search role="search" action="/search" method="get" aria-labelledby=(heading_id) {
            div.field.q {
                label for="q" { "Words" }
                input #q type="search" name="q" value=(p.q) maxlength="500" aria-describedby="q-help";
                p #q-help .help {
                    "All words are required. Use \"quoted phrases\", OR, -word, title:, person:, place:, word~1. Names are found in any script (Molotov, Молотов)."
                }
            }
            @let advanced = p.from.is_some() || p.to.is_some() || p.collection.is_some();
            details.advanced open[advanced] {
                summary { "Dates and collection" }
                div.field-row {
                    div.field {
                        label for="from" { "From" }
                        input #from name="from" value=[p.from.as_deref()] inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="12" pattern="[0-9]{1,4}(-[0-9]{2}(-[0-9]{2})?)?" aria-describedby="date-help";
                    }
                    div.field {
                        label for="to" { "To" }
                        input #to name="to" value=[p.to.as_deref()] inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="12" pattern="[0-9]{1,4}(-[0-9]{2}(-[0-9]{2})?)?" aria-describedby="date-help";
                    }
                    div.field {
                        label for="collection" { "Collection" }
                        select #collection name="collection" {
                            option value="" selected[p.collection.is_none()] { "All collections" }
                            @for c in cols {
                                option value=(c.id) selected[p.collection.as_deref() == Some(c.id.as_str())] {
                                    (if c.title.is_empty() { &c.id } else { &c.title })
                                }
                            }
                        }
                    }
                }
                p #date-help .help { "Dates are inclusive: to 1960 includes all of 1960." }
            }
            @for (f, v) in &p.filters {
                input type="hidden" name="filter" value=(format!("{f}:{v}"));
            }
            @if let Some(s) = p.sort {
                input type="hidden" name="sort" value=(s.as_str());
            }
            button type="submit" { "Search" }
        }
    }
}

/// The number of documents stored in the whole archive (collections or not) is `total`.
/// Documents listed under "Recently added" on the home page.
pub const RECENT_SHOWN: usize = 8;

pub fn home(cols: &[CollectionSummary], total: u64, recent: &[RecentDocument], issues: &[Issue]) -> Markup {
    layout(
        "Reading room",
        false,
        html! {
            h1 { "Chancery reading room" }
            p.lede { "Diplomatic documents from " (count(cols.len() as u64, "collection")) ", " (count(total, "document")) " in all, searchable in their own words." }
            section aria-labelledby="search-h" {
                h2 #search-h { "Search" }
                (search_form(&SearchParams::default(), cols, "search-h"))
            }
            section aria-labelledby="collections-h" {
                h2 #collections-h { "Collections" }
                (collections_table(cols))
            }
            @if !issues.is_empty() {
                section aria-labelledby="issues-h" {
                    h2 #issues-h { "Issues" }
                    p { "Who wanted what, on what conditions, when: the " a href="/issues" { "issue ledger" } "." }
                    ul.issues-short {
                        @for i in issues { li { a href=(crate::issues::issue_url(&i.id)) { (i.title) } } }
                    }
                }
            }
            @if !recent.is_empty() {
                section aria-labelledby="recent-h" {
                    h2 #recent-h { "Recently added" }
                    ol.recent {
                        @for r in recent {
                            li {
                                a href=(doc_url(&r.id)) { (r.title) }
                                " · "
                                span.recent-date { (r.date_from.as_deref().unwrap_or("undated")) }
                                " · added " (r.ingested_at.get(..10).unwrap_or(&r.ingested_at))
                            }
                        }
                    }
                }
            }
        },
    )
}

fn facet_label(field: &str) -> &str {
    match field {
        "decade" => "Decade",
        "year" => "Year",
        "collection" => "Collection",
        "doc_type" => "Document type",
        "classification" => "Classification",
        "language" => "Language",
        "person" => "Person",
        "place" => "Place",
        "country_pair" => "Countries (file number)",
        "issue" => "Issue",
        "party" => "Party",
        other => other,
    }
}

/// How a facet value is shown: collections by title, languages by name, people and places
/// by the names the search gave them (`results`), the rest as they are.
fn facet_value_label(field: &str, value: &str, cols: &[CollectionSummary], results: Option<&SearchResults>) -> String {
    if let Some(label) = results
        .and_then(|r| r.facets.get(field))
        .and_then(|values| values.iter().find(|v| v.value == value))
        .and_then(|v| v.label.clone())
    {
        return label;
    }
    match field {
        "language" => language_label(value),
        "collection" => cols
            .iter()
            .find(|c| c.id == value && !c.title.is_empty())
            .map_or_else(|| value.to_string(), |c| c.title.clone()),
        _ => value.to_string(),
    }
}

/// Most values shown per facet.
pub(crate) const FACET_VALUES_SHOWN: usize = 30;

fn facets(p: &SearchParams, results: &SearchResults, cols: &[CollectionSummary]) -> Markup {
    let mut fields: Vec<&String> = results.facets.keys().collect();
    fields.sort_by_key(|f| FACET_FIELDS.iter().position(|k| k == f).unwrap_or(usize::MAX));
    html! {
        @for field in fields {
            @let values = &results.facets[field];
            @if !values.is_empty() && FACET_FIELDS.contains(&field.as_str()) {
                section.facet aria-labelledby=(format!("facet-{field}")) {
                    h3 #(format!("facet-{field}")) { (facet_label(field)) }
                    ul {
                        @for fc in values.iter().take(FACET_VALUES_SHOWN) {
                            @let label = fc.label.clone().unwrap_or_else(|| facet_value_label(field, &fc.value, cols, None));
                            li {
                                @if p.is_filtered(field, &fc.value) {
                                    a.active href=(p.without_filter(field, &fc.value).url()) aria-current="true"
                                        aria-label=(format!("{label}, {}, selected: remove this filter", count(fc.count, "document"))) {
                                        span.check aria-hidden="true" { "✓ " } (label) " " span.count { "(" (fc.count) ")" }
                                    }
                                } @else {
                                    a href=(p.with_filter(field, &fc.value).url()) aria-label=(format!("{label}, {}", count(fc.count, "document"))) {
                                        (label) " " span.count { "(" (fc.count) ")" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn active_filters(p: &SearchParams, cols: &[CollectionSummary], results: Option<&SearchResults>) -> Markup {
    html! {
        @if p.has_restrictions() {
            div.active-filters {
                h2.visually-hidden { "Active filters" }
                ul {
                    @if p.from.is_some() || p.to.is_some() {
                        li { a href=(p.without_dates().url()) aria-label="Remove the date range" {
                            "Dates: " (p.from.as_deref().unwrap_or("…")) " – " (p.to.as_deref().unwrap_or("…")) span aria-hidden="true" { " ×" }
                        } }
                    }
                    @if let Some(c) = &p.collection {
                        li { a href=(p.without_collection().url()) aria-label=(format!("Remove the collection filter {c}")) {
                            "Collection: " (facet_value_label("collection", c, cols, None)) span aria-hidden="true" { " ×" }
                        } }
                    }
                    @for (f, v) in &p.filters {
                        li { a href=(p.without_filter(f, v).url()) aria-label=(format!("Remove the filter {} {}", facet_label(f), v)) {
                            (facet_label(f)) ": " (facet_value_label(f, v, cols, results)) span aria-hidden="true" { " ×" }
                        } }
                    }
                    li { a.clear href=(p.words_only().url()) { "Clear all filters" } }
                }
            }
        }
    }
}

fn sort_links(p: &SearchParams) -> Markup {
    let current = p.effective_sort();
    html! {
        nav.sort aria-label="Sort order" {
            "Sort by: "
            @for (i, s) in [SortParam::Relevance, SortParam::Date, SortParam::DateDesc].into_iter().enumerate() {
                @if i > 0 { " · " }
                @if s == current {
                    strong aria-current="true" { (s.label()) }
                } @else {
                    a href=(p.with_sort(s).url()) { (s.label()) }
                }
            }
        }
    }
}

/// Links to the pages of a long list (`current` and `pages` from 1), as on search results:
/// the first, the last and two either side of the current one.
pub fn page_links(current: usize, pages: usize, label: &str, url: &dyn Fn(usize) -> String) -> Markup {
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(label) {
                ul {
                    @if current > 1 && current <= pages {
                        li { a href=(url(current - 1)) rel="prev" { "← Previous" } }
                    }
                    @for n in 1..=pages {
                        @if n == 1 || n == pages || n.abs_diff(current) <= 2 {
                            li {
                                @if n == current {
                                    span aria-current="page" { (n) }
                                } @else {
                                    a href=(url(n)) aria-label=(format!("Page {n}")) { (n) }
                                }
                            }
                        } @else if n.abs_diff(current) == 3 {
                            li aria-hidden="true" { "…" }
                        }
                    }
                    @if current < pages {
                        li { a href=(url(current + 1)) rel="next" { "Next →" } }
                    }
                }
            }
        }
    }
}

fn pagination(p: &SearchParams, total: usize) -> Markup {
    let size = p.size.max(1);
    let pages = total.div_ceil(size).min(crate::params::MAX_OFFSET / size + 1);
    let current = p.offset() / size + 1;
    html! {
        @if pages > 1 {
            nav.pagination aria-label="Pages of results" {
                ul {
                    @if current > 1 {
                        li { a href=(p.with_page(current - 1).url()) rel="prev" { "← Previous" } }
                    }
                    @for n in 1..=pages {
                        @if n == 1 || n == pages || n.abs_diff(current) <= 2 {
                            li {
                                @if n == current {
                                    span aria-current="page" { (n) }
                                } @else {
                                    a href=(p.with_page(n).url()) aria-label=(format!("Page {n}")) { (n) }
                                }
                            }
                        } @else if n.abs_diff(current) == 3 {
                            li aria-hidden="true" { "…" }
                        }
                    }
                    @if current < pages {
                        li { a href=(p.with_page(current + 1).url()) rel="next" { "Next →" } }
                    }
                }
            }
        }
    }
}

fn no_results(p: &SearchParams) -> Markup {
    let words: Vec<&str> = p.q.split_whitespace().collect();
    let plain = words.len() > 1 && !p.q.contains(['"', ':', '(', ')']);
    html! {
        div.no-results {
            p { "No documents match." }
            @if p.has_restrictions() || words.len() > 1 || p.q.is_empty() {
                p { "You could try:" }
                ul {
                    @if p.has_restrictions() && !p.q.is_empty() {
                        li { a href=(p.words_only().url()) { "the same words without filters, dates or collection" } }
                    }
                    @if plain {
                        @let fewer = words[..words.len() - 1].join(" ");
                        li { "fewer words: " a href=(p.with_query(&fewer).url()) { (fewer) } }
                        @let any = words.join(" OR ");
                        li { "any of the words: " a href=(p.with_query(&any).url()) { (any) } }
                    }
                    @if words.len() == 1 && !p.q.contains(['~', '"', ':']) {
                        @let fuzzy = format!("{}~1", words[0]);
                        li { "a spelling variant: " a href=(p.with_query(&fuzzy).url()) { (fuzzy) } }
                    }
                }
            }
        }
    }
}

/// A person or place the search's words name, shown above the hits.
#[derive(Debug, Clone)]
pub enum Entity {
    Person(Person),
    Place(Place),
}

/// What the search page shows beside the hits.
#[derive(Debug, Clone, Default)]
pub struct SearchExtras {
    /// How the words were read (the query inspector).
    pub understood: Option<Understood>,
    /// The people and places the words name.
    pub entities: Vec<Entity>,
    /// Each hit's OpenURL ContextObject (id, KEV) for its COinS span.
    pub coins: Vec<(String, String)>,
}

/// The people and places a search names, each linking to its page.
fn entity_cards(entities: &[Entity]) -> Markup {
    html! {
        @if !entities.is_empty() {
            section.entities aria-label="People and places named by this search" {
                @for e in entities {
                    @match e {
                        Entity::Person(person) => {
                            div.entity-card.person {
                                p.entity-kind { "Person" }
                                h2 { a href=(crate::util::person_url(&person.id)) { (person.preferred) } }
                                @if let Some(years) = crate::entity::life_years(person) {
                                    p.life { (years) }
                                }
                                @if let Some(r) = person.remarks.first() {
                                    p.ident { (r.text) }
                                }
                                p { a href=(crate::util::person_url(&person.id)) { "Documents that mention " (person.preferred) " →" } }
                            }
                        }
                        Entity::Place(place) => {
                            div.entity-card.place {
                                p.entity-kind { "Place" }
                                h2 { a href=(crate::util::place_url(&place.id)) { (place.name) } }
                                @if let Some(n) = &place.note { p.ident { (n) } }
                                p { a href=(crate::util::place_url(&place.id)) { "Documents that name " (place.name) " →" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The query inspector: the words as read, what was changed, and each part's count.
fn inspector(u: &Understood, total: Option<usize>) -> Markup {
    let emptied = total == Some(0) && u.terms.len() > 1;
    html! {
        details.inspector open[!u.notes.is_empty() || total == Some(0)] {
            summary { "How your search was read" }
            @if !u.query.is_empty() {
                p { "Searched for " code.read-as { (u.query) } }
            }
            @if !u.notes.is_empty() {
                ul.notes { @for n in &u.notes { li { (n) } } }
            }
            @if !u.terms.is_empty() {
                table.terms {
                    caption.visually-hidden { "Each part of the search and the documents it matches alone" }
                    thead { tr { th scope="col" { "Part" } th scope="col" { "Also searched as" } th scope="col" { "Documents" } } }
                    tbody {
                        @for t in &u.terms {
                            tr.zero[t.count == 0 && !t.excluded] {
                                td { @if t.excluded { "not " } code { (t.term) } }
                                td { (t.also.join(", ")) }
                                td.num {
                                    (t.count)
                                    @if emptied && t.count == 0 && !t.excluded { " — no document has this part" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The search page: the form, then either the results, an error about the request (with
/// the form still filled in, so it can be corrected), or the collections to browse.
pub fn search_page(
    p: &SearchParams,
    results: Option<&SearchResults>,
    cols: &[CollectionSummary],
    error: Option<&str>,
    extras: &SearchExtras,
) -> Markup {
    let title = match (error, p.q.is_empty()) {
        (Some(_), _) => "Search: bad request".to_string(),
        (None, true) => "Search".to_string(),
        (None, false) => format!("Search: {}", p.q),
    };
    html! {
        (layout(&title, false, html! {
            h1 #search-h { "Search" }
            @if let Some(e) = error {
                div.error-box role="alert" {
                    h2 { "This search cannot be run" }
                    p.error-message { (e) }
                }
            }
            (search_form(p, cols, "search-h"))
            @if let Some(u) = &extras.understood {
                (inspector(u, results.map(|r| r.total)))
            }
            (entity_cards(&extras.entities))
            @if error.is_none() {
                (results_or_collections(p, results, cols, &extras.coins))
            }
        }))
    }
}

fn results_or_collections(
    p: &SearchParams,
    results: Option<&SearchResults>,
    cols: &[CollectionSummary],
    coins: &[(String, String)],
) -> Markup {
    let back = p.url();
    html! {
            @if let Some(r) = results {
                div.results-layout {
                    section.results aria-labelledby="results-h" {
                        h2 #results-h {
                            @if r.total == 0 {
                                "No results"
                            } @else {
                                (count(r.total as u64, "result"))
                                @if !p.q.is_empty() { " for " q { (p.q) } }
                            }
                        }
                        (active_filters(p, cols, Some(r)))
                        @if r.total == 0 {
                            (no_results(p))
                        } @else {
                            @if !r.hits.is_empty() {
                                p.range {
                                    "Showing " (p.offset() + 1) "–" (p.offset() + r.hits.len()) " of " (r.total) ". "
                                    a.timeline-link href=(p.timeline_url()) { "See these results on a timeline" }
                                    @if !p.q.is_empty() {
                                        " · " a.kwic-link href=(crate::kwic::kwic_url(p)) { "Keyword in context" }
                                    }
                                }
                            }
                            (sort_links(p))
                            ol.hits start=(p.offset() + 1) {
                                @for hit in &r.hits {
                                    li.hit {
                                        h3 { a href=(doc_url_back(&hit.id, Some(&back))) { (if hit.title.is_empty() { &hit.id } else { &hit.title }) } }
                                        p.meta {
                                            @if let Some(d) = &hit.date {
                                                time datetime=(d.from) { (date_words(d)) }
                                            } @else {
                                                "Undated"
                                            }
                                            @if let Some(c) = &hit.collection {
                                                " · " a href=(collection_url(&c.id)) { (facet_value_label("collection", &c.id, cols, None)) }
                                            }
                                            " · " code.id { (hit.id) }
                                        }
                                        @if !hit.snippet_html.is_empty() {
                                            p.snippet { (PreEscaped(clean_snippet(&hit.snippet_html))) }
                                        }
                                        @if let Some((_, kev)) = coins.iter().find(|(id, _)| id == &hit.id) {
                                            span.Z3988 title=(kev) {}
                                        }
                                    }
                                }
                            }
                            @if r.hits.is_empty() {
                                p { "This page is past the last result. " a href=(p.with_page(1).url()) { "Go to the first page" } "." }
                            }
                            (pagination(p, r.total))
                        }
                    }
                    @if r.facets.values().any(|v| !v.is_empty()) {
                        aside.facets aria-labelledby="facets-h" {
                            h2 #facets-h { "Refine" }
                            (facets(p, r, cols))
                        }
                    }
                }
            } @else {
                section aria-labelledby="collections-h" {
                    h2 #collections-h { "Or browse a collection" }
                    (collections_table(cols))
                }
            }
    }
}

/// What was read of a collection's documents (the fidelity report of issue 15): counts of
/// documents dated (and from which part of the source), placed, with an archival reference,
/// with a language, notes anchored, metadata-only records and warnings.
fn fidelity_section(f: &Fidelity) -> Markup {
    let row = |what: &str, n: usize, of: usize| {
        html! { tr { th scope="row" { (what) } td.num { (n) } td.num { (of) } } }
    };
    html! {
        section aria-labelledby="fidelity-h" {
            h2 #fidelity-h { "What was read" }
            div.table-wrap {
                table.fidelity {
                    caption.visually-hidden { "What was read of this collection's documents" }
                    thead { tr { th scope="col" { "" } th scope="col" { "Documents" } th scope="col" { "Of" } } }
                    tbody {
                        (row("dated", f.dated, f.documents))
                        @for (basis, n) in &f.dated_by {
                            (row(&format!("dated from {basis}"), *n, f.documents))
                        }
                        (row("with a place", f.placed, f.documents))
                        (row("with an archival reference", f.with_archival_ref, f.documents))
                        (row("with a language declared", f.language_declared, f.documents))
                        (row("with a language detected", f.language_detected, f.documents))
                        (row("described, not transcribed", f.metadata_only, f.documents))
                        (row("correspondence records joined to a letter held", f.joined, f.documents))
                        (row("stored under another id (warnings)", f.warnings, f.documents))
                        tr { th scope="row" { "notes anchored at their word" } td.num { (f.notes_anchored) } td.num { (f.notes) } }
                    }
                }
            }
        }
    }
}

/// The anchor of a division on its collection's page.
pub fn division_anchor(d: &chancery_model::Division) -> String {
    let raw = d.id.clone().unwrap_or_else(|| d.title.chars().take(40).collect());
    let id: String = raw.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    format!("div-{id}")
}

/// The entries grouped by the divisions they sit in, in order: each group with its path of
/// divisions and the first and last document number in it.
fn toc_groups(entries: &[Entry]) -> Vec<(&[chancery_model::Division], Vec<&Entry>)> {
    let mut groups: Vec<(&[chancery_model::Division], Vec<&Entry>)> = Vec::new();
    for e in entries {
        match groups.last_mut() {
            Some((ctx, list)) if *ctx == e.context.as_slice() => list.push(e),
            _ => groups.push((e.context.as_slice(), vec![e])),
        }
    }
    groups
}

fn number_range(list: &[&Entry]) -> Option<String> {
    let first = list.iter().find_map(|e| e.number.as_deref())?;
    let last = list.iter().rev().find_map(|e| e.number.as_deref())?;
    Some(if first == last { format!("Document {first}") } else { format!("Documents {first}–{last}") })
}

pub fn collection_page(
    c: &CollectionSummary,
    contents: &Contents,
    entries: &[Entry],
    page: usize,
    pages: usize,
    fidelity: Option<&Fidelity>,
) -> Markup {
    let title = if c.title.is_empty() { c.id.clone() } else { c.title.clone() };
    let search = SearchParams { collection: Some(c.id.clone()), ..SearchParams::default() };
    let groups = toc_groups(entries);
    let editors = &contents.editors;
    let letters = contents.is_letters();
    html! {
        (layout(&title, true, html! {
            nav.breadcrumbs aria-label="Breadcrumbs" { ol { li { a href="/" { "Collections" } } li aria-current="page" { (title) } } }
            h1 { (title) }
            p.lede {
                code.id { (c.id) } " · " (count(c.count, "document"))
                " · " (span(c.date_from.as_deref(), c.date_to.as_deref()))
                " · " a href=(search.url()) { "search this collection" }
            }
            @if !editors.is_empty() {
                dl.meta.editors {
                    @for (role, name) in editors {
                        div { dt { (crate::util::capitalize(role)) } dd { (name) } }
                    }
                }
            }
            @if let Some(p) = &contents.publication {
                dl.meta.publication {
                    @if let Some(x) = &p.publisher { div { dt { "Publisher" } dd.publisher { (x) } } }
                    @if let Some(x) = &p.place { div { dt { "Place of publication" } dd.pub-place { (x) } } }
                    @if let Some(y) = p.year { div { dt { "Year of publication" } dd.pub-year { (y) } } }
                }
            }
            @if let Some(f) = fidelity {
                (fidelity_section(f))
            }
            @if letters {
                (letters_by_year(entries))
                (letters_by_correspondent(entries))
            } @else {
                section aria-labelledby="toc-h" {
                    h2 #toc-h { "Contents" }
                    @for (i, (ctx, list)) in groups.iter().enumerate() {
                        @let prev: &[chancery_model::Division] = if i == 0 { &[] } else { groups[i - 1].0 };
                        @for (depth, d) in ctx.iter().enumerate() {
                            @if prev.get(depth) != Some(d) {
                                @if depth == 0 {
                                    h3.division id=(division_anchor(d)) { span.kind { (crate::util::capitalize(&d.kind)) ": " } (d.title) }
                                } @else {
                                    h4.division id=(division_anchor(d)) { span.kind { (crate::util::capitalize(&d.kind)) ": " } (d.title) }
                                }
                            }
                        }
                        @if let Some(range) = number_range(list) { p.range { (range) } }
                        div.table-wrap {
                            table.toc {
                                thead { tr { th scope="col" { "No." } th scope="col" { "Title" } th scope="col" { "Date" } } }
                                tbody {
                                    @for e in list {
                                        tr {
                                            td.num { (e.number.as_deref().unwrap_or("")) }
                                            td { a href=(crate::util::doc_url(&e.id)) { (if e.title.is_empty() { &e.id } else { &e.title }) } }
                                            td.date {
                                                @if let Some(d) = &e.date {
                                                    time datetime=(d.from) { (date_words(d)) }
                                                } @else { "undated" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pagination aria-label="Pages of contents" {
                    ul {
                        @for n in 1..=pages {
                            li {
                                @if n == page {
                                    span aria-current="page" { (n) }
                                } @else {
                                    a href=(format!("{}?page={n}", collection_url(&c.id))) aria-label=(format!("Page {n}")) { (n) }
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// The year of a letter, or "Undated".
fn year_of(e: &Entry) -> String {
    e.date.as_ref().and_then(|d| d.from.get(..4)).map_or_else(|| "Undated".to_string(), str::to_string)
}

fn letter_row(e: &Entry) -> Markup {
    let who = |roles: &[&str]| {
        e.correspondents
            .iter()
            .filter(|(r, _)| roles.contains(&r.as_str()))
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    html! {
        tr {
            td.date {
                @if let Some(d) = &e.date { time datetime=(d.from) { (date_words(d)) } } @else { "undated" }
            }
            td { a href=(crate::util::doc_url(&e.id)) { (if e.title.is_empty() { &e.id } else { &e.title }) } }
            td.from { (who(&["from", "author", "sender"])) }
            td.to { (who(&["to", "recipient", "addressee"])) }
        }
    }
}

/// A letter edition's letters by year (in date order within a year).
fn letters_by_year(entries: &[Entry]) -> Markup {
    let mut years: Vec<(String, Vec<&Entry>)> = Vec::new();
    for e in entries {
        let y = year_of(e);
        match years.iter_mut().find(|(k, _)| *k == y) {
            Some((_, list)) => list.push(e),
            None => years.push((y, vec![e])),
        }
    }
    years.sort_by(|a, b| a.0.cmp(&b.0));
    html! {
        section.by-year aria-labelledby="by-year-h" {
            h2 #by-year-h { "Letters by year" }
            nav.years aria-label="Years" {
                ul.inline { @for (y, list) in &years { li { a href=(format!("#y-{y}")) { (y) } " (" (list.len()) ")" } } }
            }
            @for (y, list) in &years {
                h3 id=(format!("y-{y}")) { (y) }
                div.table-wrap {
                    table.toc.letters {
                        thead { tr { th scope="col" { "Date" } th scope="col" { "Letter" } th scope="col" { "From" } th scope="col" { "To" } } }
                        tbody { @for e in list { (letter_row(e)) } }
                    }
                }
            }
        }
    }
}

/// A letter edition's correspondents, each with their letters (sent or received), the most
/// frequent first.
fn letters_by_correspondent(entries: &[Entry]) -> Markup {
    let mut people: Vec<(String, Vec<&Entry>)> = Vec::new();
    for e in entries {
        let mut seen: Vec<&str> = Vec::new();
        for (_, name) in &e.correspondents {
            let name = name.trim();
            if name.is_empty() || seen.contains(&name) {
                continue;
            }
            seen.push(name);
            match people.iter_mut().find(|(k, _)| k == name) {
                Some((_, list)) => list.push(e),
                None => people.push((name.to_string(), vec![e])),
            }
        }
    }
    people.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    html! {
        section.by-correspondent aria-labelledby="by-corr-h" {
            h2 #by-corr-h { "Letters by correspondent" }
            ul.correspondents {
                @for (name, list) in &people {
                    li {
                        details {
                            summary { span.name { (name) } " (" (count(list.len() as u64, "letter")) ")" }
                            ul {
                                @for e in list {
                                    li {
                                        a href=(crate::util::doc_url(&e.id)) { (if e.title.is_empty() { &e.id } else { &e.title }) }
                                        @if let Some(d) = &e.date { " · " time datetime=(d.from) { (date_words(d)) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
