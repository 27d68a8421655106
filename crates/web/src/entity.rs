//! Pages of the things documents name: a person of the authority file (`/person/{id}`), a
//! place of the gazetteer (`/place/{id}`), and the timeline of a search (`/timeline`). Each
//! lists its documents and draws them on a timeline (the SVG of
//! `chancery_link::timeline::svg`, inlined: it has no style or script, so it passes the CSP,
//! and it escapes every text it is given). The list below the drawing says the same in text.

use chancery_core::{MentioningDocument, Person};
use chancery_link::authority::{parse_source_url, VariantKind};
use chancery_link::places::Place;
use chancery_link::timeline::{self, SvgOptions, TimelineItem};
use maud::{html, Markup, PreEscaped};

use crate::pages::layout;
use crate::params::SearchParams;
use crate::util::{count, doc_url, external_url, lang_attr, language_label, long_day};

/// The timeline SVG inlined in a page (the XML declaration dropped), in a figure with a
/// caption.
pub fn inline_timeline(items: &[TimelineItem], title: &str, id_prefix: &str) -> Markup {
    let svg = timeline::svg(
        items,
        &SvgOptions { title: title.to_string(), id_prefix: id_prefix.to_string(), ..SvgOptions::default() },
    );
    let start = svg.find("<svg").unwrap_or(0);
    if items.iter().all(|i| i.from.is_none()) {
        return html! { p.help { "None of these documents is dated, so there is nothing to draw." } };
    }
    html! {
        figure.timeline {
            div.timeline-scroll { (PreEscaped(&svg[start..])) }
            figcaption { "Documents by date, coloured by archive; each mark links to its document. The list below gives the same documents." }
        }
    }
}

/// "September 18, 1955", "1955-09 – 1955-12", or "undated".
fn item_date(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f == t => long_day(f).unwrap_or_else(|| f.to_string()),
        (Some(f), Some(t)) => format!(
            "{} – {}",
            long_day(f).unwrap_or_else(|| f.to_string()),
            long_day(t).unwrap_or_else(|| t.to_string())
        ),
        (Some(f), None) => long_day(f).unwrap_or_else(|| f.to_string()),
        _ => "undated".to_string(),
    }
}

/// The items of a timeline as a list, in the same order.
fn item_list(items: &[TimelineItem]) -> Markup {
    html! {
        ol.timeline-list {
            @for it in items {
                li {
                    a href=(it.href) { (it.title) }
                    br;
                    span.meta {
                        @if let Some(f) = &it.from { time datetime=(f) { (item_date(it.from.as_deref(), it.to.as_deref())) } } @else { "undated" }
                        @if it.inferred { " (inferred date)" }
                        " · " (it.archive) " · " code.id { (it.id) }
                    }
                }
            }
        }
    }
}

fn variant_kind(k: VariantKind) -> &'static str {
    match k {
        VariantKind::Alternate => "alternate form",
        VariantKind::Original => "as printed in a source",
        VariantKind::Title => "title printed with the name",
    }
}

/// A source URL of the authority as a link: FRUS person lists by volume and entry.
fn source_link(url: &str) -> Markup {
    let label = match parse_source_url(url) {
        Some((volume, entry)) => format!("{volume} #{entry}"),
        None => url.trim_start_matches("https://").trim_start_matches("http://").to_string(),
    };
    html! {
        @if let Some(u) = external_url(url) {
            a href=(u) rel="noopener noreferrer" { (label) }
        } @else {
            (url)
        }
    }
}

fn sources_list(sources: &[String]) -> Markup {
    html! {
        @if !sources.is_empty() {
            ul.inline-list.sources {
                @for s in sources { li { (source_link(s)) } }
            }
        }
    }
}

/// "1888–1959", "born 1888", "died 1959".
pub fn life_years(p: &Person) -> Option<String> {
    match (p.birth, p.death) {
        (Some(b), Some(d)) => Some(format!("{b}–{d}")),
        (Some(b), None) => Some(format!("born {b}")),
        (None, Some(d)) => Some(format!("died {d}")),
        (None, None) => None,
    }
}

/// The VIAF record of a person, when the id looks like one.
pub fn viaf_url(p: &Person) -> Option<String> {
    p.viaf
        .as_deref()
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|v| format!("https://viaf.org/viaf/{v}"))
}

pub fn person_page(p: &Person, docs: &crate::PersonDocs, items: &[TimelineItem]) -> Markup {
    let title = if p.preferred.trim().is_empty() { p.id.as_str() } else { p.preferred.as_str() };
    let documents: &[MentioningDocument] = &docs.page;
    let size = docs.paging.size;
    let page_url = |n: usize| {
        let mut q: Vec<String> = Vec::new();
        if n > 1 {
            q.push(format!("page={n}"));
        }
        if size != crate::params::DEFAULT_PERSON_PAGE {
            q.push(format!("size={size}"));
        }
        match q.is_empty() {
            true => crate::util::person_url(&p.id),
            false => format!("{}?{}", crate::util::person_url(&p.id), q.join("&")),
        }
    };
    let pages = docs.paging.pages(docs.total);
    let current = docs.paging.page();
    let more = if docs.total >= crate::MAX_PERSON_DOCS { " or more" } else { "" };
    layout(
        title,
        true,
        html! {
            nav.breadcrumbs aria-label="Breadcrumbs" { ol { li { a href="/" { "Collections" } } li { "People" } } }
            article.entity {
                h1 { (title) }
                // who this is, before anything else: life dates and the authority's one-line
                // identification
                @if life_years(p).is_some() || !p.remarks.is_empty() {
                    p.lede.identification {
                        @if let Some(y) = life_years(p) { span.life { (y) } }
                        @if life_years(p).is_some() && !p.remarks.is_empty() { ". " }
                        @if let Some(r) = p.remarks.first() { span.ident { (r.text) } }
                    }
                }
                section aria-labelledby="docs-h" {
                    h2 #docs-h { "Documents that mention " (title) }
                    @if docs.total == 0 {
                        p { "No document of the archive mentions this person." }
                    } @else if documents.is_empty() {
                        p.no-positions { "There is no page " (current) " of these documents: they fill " (pages) "." }
                    } @else {
                        p { (count(docs.total as u64, "document")) (more) " of the archive "
                            (if docs.total == 1 && more.is_empty() { "mentions" } else { "mention" }) " this person, oldest first."
                            @if pages > 1 {
                                " Documents " (docs.paging.offset + 1) "–" (docs.paging.offset + documents.len())
                                " (page " (current) " of " (pages) "):"
                            }
                        }
                        ol.timeline-list.mentioning {
                            @for d in documents {
                                li {
                                    a href=(doc_url(&d.id)) { (if d.title.trim().is_empty() { &d.id } else { &d.title }) }
                                    br;
                                    span.meta {
                                        (item_date(d.date_from.as_deref(), d.date_to.as_deref()))
                                        @if let Some(c) = &d.collection_id { " · " (c) }
                                        " · " (count(d.mentions, "mention"))
                                        " · " code.id { (d.id) }
                                    }
                                }
                            }
                        }
                        (crate::pages::page_links(current, pages, "Pages of documents", &page_url))
                        (inline_timeline(items, &format!("Documents mentioning {title}"), "person-timeline"))
                    }
                }
                (offices_section(p))
                details.authority-record {
                    summary { "The authority’s record: names, remarks and sources" }
                    dl.meta {
                        @if let Some(y) = life_years(p) { div { dt { "Life" } dd { (y) } } }
                        div { dt { "Authority id" } dd { code.id { (p.id) } span.kind { " (Office of the Historian, people)" } } }
                        @if let Some(u) = viaf_url(p) {
                            div { dt { "VIAF" } dd { a href=(u) rel="noopener noreferrer" { (u) } } }
                        }
                    }
                    @if !p.variants.is_empty() {
                        section aria-labelledby="variants-h" {
                            h2 #variants-h { "Names" }
                            div.table-wrap {
                                table.variants {
                                    thead { tr { th scope="col" { "Name" } th scope="col" { "Kind" } th scope="col" { "Sources" } } }
                                    tbody {
                                        @for v in &p.variants {
                                            tr {
                                                td { (v.name) }
                                                td { (variant_kind(v.kind)) }
                                                td { (sources_list(&v.sources)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !p.remarks.is_empty() {
                        section aria-labelledby="remarks-h" {
                            h2 #remarks-h { "Remarks" }
                            ul.remarks {
                                @for r in &p.remarks {
                                    li { (r.text) (sources_list(&r.sources)) }
                                }
                            }
                        }
                    }
                }
                p.json { a href=(format!("/api/person/{}", crate::util::id_path(&p.id))) { "This person as JSON" } }
            }
        },
    )
}

/// A person's offices over time, as the lists of persons of the FRUS volumes give them.
fn offices_section(p: &Person) -> Markup {
    let offices = chancery_link::authority::offices(p);
    html! {
        @if !offices.is_empty() {
            section.offices aria-labelledby="offices-h" {
                h2 #offices-h { "Offices over time" }
                p.help { "As the lists of persons of the FRUS volumes describe them; the years are those the volumes cover, the dates of an office are in its words." }
                div.table-wrap {
                    table.offices {
                        thead { tr { th scope="col" { "Years" } th scope="col" { "Office" } th scope="col" { "Given by" } } }
                        tbody {
                            @for o in &offices {
                                tr {
                                    td.years {
                                        @match o.years {
                                            Some((f, t)) if f == t => { (f) },
                                            Some((f, t)) => { (f) "–" (t) },
                                            None => { "undated" },
                                        }
                                    }
                                    td { (o.text) }
                                    td.volumes {
                                        @match o.volumes.len() {
                                            0 => { "the Office of the Historian" },
                                            1 => { code.id { (o.volumes[0]) } },
                                            n => { code.id { (o.volumes[0]) } " and " (n - 1) " more" },
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
}

/// A gazetteer source as a link: GeoNames, Wikipedia, or a document of the corpus (linked
/// when the archive holds it).
fn place_source(s: &str, held: &dyn Fn(&str) -> bool) -> Markup {
    if let Some(id) = s.strip_prefix("geonames:") {
        if id.chars().all(|c| c.is_ascii_digit()) {
            let u = format!("https://www.geonames.org/{id}");
            return html! { "GeoNames " a href=(u) rel="noopener noreferrer" { (id) } };
        }
    }
    if let Some(rest) = s.strip_prefix("wikipedia:") {
        if let Some((lang, article)) = rest.split_once(':') {
            if lang.chars().all(|c| c.is_ascii_lowercase()) && (2..=3).contains(&lang.len()) {
                let path = percent_encoding::utf8_percent_encode(&article.replace(' ', "_"), WIKI_TITLE).to_string();
                let u = format!("https://{lang}.wikipedia.org/wiki/{path}");
                return html! { "Wikipedia (" (lang) "): " a href=(u) rel="noopener noreferrer" lang=[lang_attr(Some(lang))] { (article) } };
            }
        }
    }
    if let Some(rest) = s.strip_prefix("corpus:") {
        let (id, form) = match rest.split_once(" (") {
            Some((id, form)) => (id, Some(form.trim_end_matches(')'))),
            None => (rest, None),
        };
        return html! {
            "Corpus: "
            @if held(id) { a href=(doc_url(id)) { code.id { (id) } } } @else { code.id { (id) } }
            @if let Some(f) = form { " (" (f) ")" }
        };
    }
    html! { (s) }
}

/// Characters escaped in a Wikipedia article title (letters, digits and `_-.,()` kept).
const WIKI_TITLE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'_').remove(b'-').remove(b'.').remove(b',').remove(b'(').remove(b')');

fn coordinates(c: [f64; 2]) -> String {
    let [lat, lon] = c;
    format!(
        "{:.2}° {}, {:.2}° {}",
        lat.abs(),
        if lat < 0.0 { "S" } else { "N" },
        lon.abs(),
        if lon < 0.0 { "W" } else { "E" }
    )
}

/// The search query that finds the documents naming a place: its names as phrases, OR'ed.
pub fn place_query(p: &Place) -> String {
    let mut names: Vec<String> =
        p.names().filter(|n| !n.contains('"') && !n.trim().is_empty()).map(|n| format!("\"{n}\"")).collect();
    names.dedup();
    names.join(" OR ")
}

/// The passage of a document that names a place: the words before, the name as printed, the
/// words after, and the note it is in (if not the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub before: String,
    pub word: String,
    pub after: String,
    pub note: Option<String>,
}

/// A place's page, laid out as a person's (issue 16): the name and what it is, the documents
/// that name it by date, each with its passage, then the timeline, then the gazetteer's names
/// and sources, folded.
pub fn place_page(
    p: &Place,
    items: &[TimelineItem],
    total: usize,
    query: &str,
    held: &dyn Fn(&str) -> bool,
    passages: &std::collections::HashMap<String, Passage>,
) -> Markup {
    let search = SearchParams { q: query.to_string(), ..SearchParams::default() };
    let facet = SearchParams { filters: vec![("place".to_string(), p.id.clone())], ..SearchParams::default() };
    layout(
        &p.name,
        true,
        html! {
            nav.breadcrumbs aria-label="Breadcrumbs" { ol { li { a href="/" { "Collections" } } li { "Places" } } }
            article.entity {
                h1 { (p.name) }
                p.lede.identification {
                    span.kind { (p.kind.label()) }
                    @if let Some(c) = p.coordinates { ", " span.coordinates { (coordinates(c)) } }
                    @if let Some(n) = &p.note { ". " span.ident { (n) } }
                }
                section aria-labelledby="docs-h" {
                    h2 #docs-h { "Documents that name " (p.name) }
                    @if items.is_empty() {
                        p { "No document of the archive names this place." }
                    } @else {
                        p {
                            (count(total as u64, "document"))
                            @if total > items.len() { " (the first " (items.len()) " by date are shown)" }
                            ". Oldest first, each with the passage that names it."
                        }
                        ol.timeline-list {
                            @for it in items {
                                li {
                                    a href=(it.href) { (it.title) }
                                    br;
                                    span.meta {
                                        @if let Some(f) = &it.from { time datetime=(f) { (item_date(it.from.as_deref(), it.to.as_deref())) } } @else { "undated" }
                                        @if it.inferred { " (inferred date)" }
                                        " · " code.id { (it.id) }
                                    }
                                    @if let Some(x) = passages.get(&it.id) {
                                        blockquote.place-passage {
                                            @if let Some(n) = &x.note { span.kind { "Note " (n) ": " } }
                                            "…" (x.before) mark { (x.word) } (x.after) "…"
                                        }
                                    }
                                }
                            }
                        }
                        (inline_timeline(items, &format!("Documents naming {}", p.name), "place-timeline"))
                    }
                    p.help {
                        "Found where the gazetteer recognises one of its names (the search filter "
                        a href=(facet.url()) { code { "place:" (p.id) } } "). A text search for its names: "
                        a href=(search.url()) { code { (query) } } "."
                    }
                }
                details.authority-record {
                    summary { "The gazetteer’s entry: names and sources" }
                    dl.meta {
                        div { dt { "Kind" } dd { (p.kind.label()) } }
                        @if let Some(c) = p.coordinates { div { dt { "Coordinates" } dd { (coordinates(c)) } } }
                        div { dt { "Gazetteer id" } dd { code.id { (p.id) } } }
                        @if let Some(n) = &p.note { div { dt { "Note" } dd { (n) } } }
                    }
                    @if !p.variants.is_empty() {
                        section aria-labelledby="variants-h" {
                            h2 #variants-h { "Other names" }
                            div.table-wrap {
                                table.variants {
                                    thead { tr { th scope="col" { "Name" } th scope="col" { "Language" } th scope="col" { "Note" } } }
                                    tbody {
                                        @for v in &p.variants {
                                            tr {
                                                td lang=[lang_attr(Some(&v.lang))] { (v.name) }
                                                td { (language_label(&v.lang)) }
                                                td {
                                                    @if v.historical { "historical name" @if v.note.is_some() { "; " } }
                                                    @if let Some(n) = &v.note { (n) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !p.sources.is_empty() {
                        section aria-labelledby="sources-h" {
                            h2 #sources-h { "Sources" }
                            ul.remarks { @for s in &p.sources { li { (place_source(s, held)) } } }
                        }
                    }
                }
                p.json { a href=(format!("/api/place/{}", crate::util::id_path(&p.id))) { "This place as JSON" } }
            }
        },
    )
}

/// The timeline of a search: the form, the drawing and the list.
pub fn timeline_page(p: &SearchParams, result: Option<(&[TimelineItem], usize)>, error: Option<&str>) -> Markup {
    let title = if p.q.is_empty() { "Timeline".to_string() } else { format!("Timeline: {}", p.q) };
    let qs = p.timeline_query();
    html! {
        (layout(&title, false, html! {
            h1 #timeline-h { "Timeline" }
            @if let Some(e) = error {
                div.error-box role="alert" {
                    h2 { "This timeline cannot be drawn" }
                    p.error-message { (e) }
                }
            }
            form.search role="search" action="/timeline" method="get" aria-labelledby="timeline-h" {
                div.field.q {
                    label for="q" { "Words" }
                    input #q type="search" name="q" value=(p.q) maxlength="500" aria-describedby="q-help";
                    p #q-help .help { "The same words as a search: \"quoted phrases\", OR, -word, title:, person:, place:." }
                }
                div.field-row {
                    div.field {
                        label for="from" { "From" }
                        input #from name="from" value=[p.from.as_deref()] inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="12";
                    }
                    div.field {
                        label for="to" { "To" }
                        input #to name="to" value=[p.to.as_deref()] inputmode="numeric" placeholder="YYYY[-MM[-DD]]" size="12";
                    }
                }
                @if let Some(c) = &p.collection { input type="hidden" name="collection" value=(c); }
                @for (f, v) in &p.filters { input type="hidden" name="filter" value=(format!("{f}:{v}")); }
                button type="submit" { "Draw" }
            }
            @if let Some((items, total)) = result {
                section.timeline-results aria-labelledby="results-h" {
                    h2 #results-h {
                        (count(total as u64, "document"))
                        @if !p.q.is_empty() { " for " q { (p.q) } }
                    }
                    p.range {
                        @if total > items.len() { "The first " (items.len()) " by date are drawn. " }
                        a href=(p.search_url()) { "See these results as a list" }
                        " · "
                        a href=(format!("/timeline.svg{qs}")) type="image/svg+xml" { "Download the timeline (SVG)" }
                    }
                    @if !items.is_empty() {
                        (inline_timeline(items, &title, "timeline"))
                        (item_list(items))
                    }
                }
            } @else if error.is_none() {
                p { "Enter words to see the matching documents by date." }
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_link::authority::{Remark, Variant};

    #[test]
    fn person_page_escapes_the_record() {
        let p = Person {
            id: "1".into(),
            preferred: "Evil <script>alert(1)</script>".into(),
            variants: vec![Variant {
                name: "<img src=x onerror=alert(1)>".into(),
                kind: VariantKind::Original,
                sources: vec!["javascript:alert(1)".into()],
            }],
            viaf: Some("1\"><script>".into()),
            birth: Some(1900),
            death: None,
            remarks: vec![Remark { text: "<b>bold</b>".into(), sources: vec![] }],
        };
        let docs = crate::PersonDocs {
            page: Vec::new(),
            total: 0,
            ids: Default::default(),
            paging: crate::params::Paging { offset: 0, size: 100 },
        };
        let html = person_page(&p, &docs, &[]).into_string();
        assert!(!html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("<b>bold"), "{html}");
        assert!(html.contains("Evil &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(!html.contains("viaf.org"), "a VIAF id that is not one is not linked");
        assert!(html.contains("born 1900"));
    }

    #[test]
    fn place_page_escapes_the_entry_and_timeline() {
        let mut place = chancery_link::places::Gazetteer::builtin().get("habomai").unwrap().clone();
        place.name = "<script>alert(1)</script>".into();
        let items = vec![TimelineItem {
            id: "x".into(),
            title: "T <script>alert(2)</script>".into(),
            href: "/doc/x".into(),
            archive: "FRUS".into(),
            from: Some("1955-09-18".into()),
            to: Some("1955-09-18".into()),
            date_text: "September 18, 1955".into(),
            inferred: false,
        }];
        let passages = std::collections::HashMap::from([(
            "x".to_string(),
            Passage { before: "the <b>".into(), word: "<i>Habomai".into(), after: " and".into(), note: None },
        )]);
        let html = place_page(&place, &items, 1, &place_query(&place), &|_| false, &passages).into_string();
        assert!(html.contains("&lt;i&gt;Habomai"), "the passage is escaped: {html}");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(html.contains("&quot;Habomais&quot; OR"), "{html}");
    }

    #[test]
    fn coordinates_read_as_degrees() {
        assert_eq!(coordinates([43.5, 146.1]), "43.50° N, 146.10° E");
        assert_eq!(coordinates([-33.9, -70.6]), "33.90° S, 70.60° W");
    }
}
