//! The document page's link sections (issue 5): witnesses, people, places, the decoded
//! filing number, references and related documents. Each item names the passage it comes
//! from (a link to the note, or "in the text" with the words around it) and the rule that
//! produced it; unresolved names and references stay visible with everything known.

use chancery_link::crossref::{CrossRef, Direction, RefKind};
use chancery_link::filing;
use chancery_link::places::Gazetteer;
use chancery_model::{DateInterval, Document};
use maud::{html, Markup};

use crate::links::{
    context, evidence_words, field_words, flag_words, method_words, passage_text, ref_kind_words, DocLinks, FoundFile,
    RelatedDoc,
};
use crate::util::{capitalize, doc_url, external_url, frag, long_day, person_url, place_url};

/// Characters of context shown either side of a reference.
const CONTEXT_CHARS: usize = 60;

/// A link to a note of this page ("note 4"), or the words for the text.
fn note_link(note: Option<&str>) -> Markup {
    html! {
        @match note {
            Some(n) => a href=(format!("#fn-{}", frag(n))) { "note " (n) },
            None => "in the text",
        }
    }
}

/// "(3×)" after a passage seen more than once.
fn times(n: usize) -> Markup {
    html! { @if n > 1 { " (" (n) "×)" } }
}

/// The notice at the top of a witness's page.
pub fn witness_notice(links: &DocLinks) -> Markup {
    html! {
        @if let Some(p) = &links.primary {
            p.witness-notice role="note" {
                "This is another copy of “" (p.title) "”; the edition kept is "
                a href=(doc_url(&p.id)) { code.id { (p.id) } } "."
            }
        }
    }
}

fn witnesses(doc: &Document, links: &DocLinks) -> Markup {
    html! {
        @if let Some(p) = &links.primary {
            section.links.witnesses aria-labelledby="witnesses-h" {
                h2 #witnesses-h { "Witnesses" }
                p {
                    "This copy is another witness of a document held in a richer edition: "
                    a href=(doc_url(&p.id)) { (p.title) } " (" code.id { (p.id) } ")"
                    @if !p.format.is_empty() { ", read from " code { (p.path) } " (" (p.format) ")" }
                    ". Searches show the edition kept, not this copy."
                }
                @if !p.reasons.is_empty() {
                    p.why { "Why they are one document: " (p.reasons.join("; ")) "." }
                }
                p { a.compare href=(crate::drafting::compare_url(&p.id, &doc.id)) { "Compare this copy with the edition kept, word by word" } }
            }
        } @else if !links.copies.is_empty() {
            section.links.witnesses aria-labelledby="witnesses-h" {
                h2 #witnesses-h { "Witnesses" }
                p { "The archive holds " (links.copies.len()) " copies of this document; this edition is kept, the others are listed here and left out of searches." }
                ul.witness-list {
                    @for c in &links.copies {
                        li {
                            @if c.this {
                                strong { "This copy" } " (the edition kept)"
                            } @else {
                                a href=(doc_url(&c.id)) { code.id { (c.id) } }
                            }
                            @if !c.path.is_empty() { ": " code { (c.path) } }
                            @if !c.format.is_empty() { " (" (c.format) ")" }
                            @if let Some(s) = c.score { span.score { " · similarity score " (format!("{s:.2}")) } }
                            @if !c.reasons.is_empty() { br; span.why { (c.reasons.join("; ")) } }
                            @if !c.this { br; a.compare href=(crate::drafting::compare_url(&doc.id, &c.id)) { "Compare with this edition, word by word" } }
                        }
                    }
                }
            }
        }
    }
}

/// The people of the document, one entry per person (or per unresolved name).
fn people(doc: &Document, links: &DocLinks) -> Markup {
    struct Group<'a> {
        person: Option<&'a str>,
        texts: Vec<&'a str>,
        passages: Vec<(String, Option<&'a str>, usize)>,
        flags: Vec<String>,
        how: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for r in &links.people {
        let i = match groups.iter().position(|g| match (g.person, r.person.as_deref()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => g.texts.first().is_some_and(|t| *t == r.text),
            _ => false,
        }) {
            Some(i) => i,
            None => {
                groups.push(Group {
                    person: r.person.as_deref(),
                    texts: Vec::new(),
                    passages: Vec::new(),
                    flags: Vec::new(),
                    how: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        if !g.texts.contains(&r.text.as_str()) {
            g.texts.push(&r.text);
        }
        let key = match (r.field, &r.role) {
            (chancery_core::Field::Contributor, Some(role)) => format!("listed as {role}"),
            _ => field_words(r.field, r.note.as_deref()),
        };
        match g.passages.iter_mut().find(|(k, _, _)| *k == key) {
            Some(p) => p.2 += 1,
            None => g.passages.push((key, r.note.as_deref(), 1)),
        }
        if let Some(f) = &r.flag {
            let w = flag_words(f, links);
            if !g.flags.contains(&w) {
                g.flags.push(w);
            }
        }
        if r.person.is_some() {
            let words =
                std::iter::once(method_words(r.method).to_string()).chain(r.evidence.iter().map(evidence_words));
            for w in words {
                if !g.how.contains(&w) {
                    g.how.push(w);
                }
            }
        }
    }
    let tagged: Vec<&chancery_model::Mention> =
        doc.mentions.iter().filter(|m| m.kind == chancery_model::MentionKind::Person).collect();
    html! {
        section.links.people aria-labelledby="people-h" {
            h2 #people-h { "People" }
            @if groups.is_empty() {
                @if !links.authority {
                    p { "No person authority is held, so the names in this document are not identified."
                        @if !tagged.is_empty() { " The source tags " (tagged.len()) " person names; see “More about this document”." } }
                } @else {
                    p { "No person names were found in this document." }
                }
            } @else {
                p.help { "Names as printed, with the person of the authority file they are identified as, where they stand, and how they were identified." }
                ul.link-list {
                    @for g in &groups {
                        li {
                            @if let Some(p) = g.person {
                                a href=(person_url(p)) { (links.name(p)) }
                                " — printed "
                            }
                            @for (i, t) in g.texts.iter().enumerate() {
                                @if i > 0 { ", " }
                                span.m-text { (t) }
                            }
                            @if g.person.is_none() { span.unresolved { " (not identified)" } }
                            " · "
                            @for (i, (_, note, n)) in g.passages.iter().enumerate() {
                                @if i > 0 { ", " }
                                @if let Some(n) = note { (note_link(Some(n))) } @else { (g.passages[i].0) }
                                (times(*n))
                            }
                            @for f in &g.flags { br; span.flag { "⚠ " (f) } }
                            @if !g.how.is_empty() {
                                br; span.how { "Identified by: " (g.how.join("; ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn places(links: &DocLinks) -> Markup {
    struct Group<'a> {
        place: &'a str,
        texts: Vec<&'a str>,
        passages: Vec<(Option<&'a str>, usize)>,
        tagged: bool,
    }
    let mut groups: Vec<Group> = Vec::new();
    for m in &links.places {
        let i = match groups.iter().position(|g| g.place == m.place) {
            Some(i) => i,
            None => {
                groups.push(Group { place: &m.place, texts: Vec::new(), passages: Vec::new(), tagged: false });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        if !g.texts.contains(&m.text.as_str()) {
            g.texts.push(&m.text);
        }
        g.tagged |= m.from_tag;
        match g.passages.iter_mut().find(|(n, _)| *n == m.note.as_deref()) {
            Some(p) => p.1 += 1,
            None => g.passages.push((m.note.as_deref(), 1)),
        }
    }
    let gazetteer = Gazetteer::builtin();
    html! {
        @if !groups.is_empty() {
            section.links.places aria-labelledby="places-h" {
                h2 #places-h { "Places" }
                p.help { "Places of the gazetteer this document names, with the words as printed and where they stand." }
                ul.link-list {
                    @for g in &groups {
                        @let entry = gazetteer.get(g.place);
                        li {
                            a href=(place_url(g.place)) { (entry.map_or(g.place, |p| p.name.as_str())) }
                            @if let Some(p) = entry { span.kind { " (" (p.kind.label()) ")" } }
                            " — printed "
                            @for (i, t) in g.texts.iter().enumerate() {
                                @if i > 0 { ", " }
                                span.m-text { (t) }
                            }
                            " · "
                            @for (i, (note, n)) in g.passages.iter().enumerate() {
                                @if i > 0 { ", " }
                                (note_link(*note)) (times(*n))
                            }
                            @if g.tagged { span.how { " · tagged as a place by the source" } }
                        }
                    }
                }
            }
        }
    }
}

/// A cited date: "September 18, 1955", with how the year was found when it was inferred.
fn cited_date(d: &DateInterval) -> Markup {
    let words = if d.from == d.to { long_day(&d.from) } else { None };
    html! {
        time datetime=(d.from) { (words.unwrap_or_else(|| d.text.clone())) }
        @if d.inferred {
            span.normalized {
                @match d.basis.as_deref() {
                    Some(b) if b.contains("year from the citing document") => { " (the year is inferred from this document's date)" }
                    Some(b) => { " (inferred: " (b) ")" }
                    None => { " (inferred)" }
                }
            }
        }
    }
}

/// "telegram 609 to Tokyo" — what a reference cites, in words.
fn cited(r: &CrossRef) -> String {
    let mut s = capitalize(ref_kind_words(r.kind));
    if r.circular {
        s = format!("Circular {}", ref_kind_words(r.kind));
    }
    if let Some(n) = &r.number {
        s.push(' ');
        s.push_str(n);
    }
    match (r.direction, &r.post) {
        (Some(Direction::To), Some(p)) => s.push_str(&format!(" to {p}")),
        (Some(Direction::From), Some(p)) => s.push_str(&format!(" from {p}")),
        (None, Some(p)) => s.push_str(&format!(" ({p})")),
        _ => {}
    }
    if r.kind == RefKind::File || r.kind == RefKind::Volume {
        s = format!("{} {}", capitalize(ref_kind_words(r.kind)), r.text);
    }
    s
}

/// Fields a reference took from context, in words.
fn inferred_words(fields: &[String]) -> String {
    let names: Vec<&str> = fields
        .iter()
        .map(|f| match f.as_str() {
            "file_number" => "file number",
            other => other,
        })
        .collect();
    names.join(", ")
}

fn references(doc: &Document, links: &DocLinks) -> Markup {
    // One entry per item cited; its passages listed under it.
    let mut items: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in links.references.iter().enumerate() {
        let key = format!(
            "{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
            r.r.kind,
            r.r.number.as_deref().unwrap_or(&r.r.text),
            r.r.direction,
            r.r.post,
            r.r.date.as_ref().map(|d| &d.from),
            r.r.target,
            r.r.pages
        );
        match items.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(i),
            None => items.push((key, vec![i])),
        }
    }
    html! {
        @if !items.is_empty() {
            section.links.references aria-labelledby="refs-h" {
                h2 #refs-h { "References" }
                p.help { "Documents, telegrams and files this document cites, with the passages that cite them. Those the archive holds are linked." }
                ul.link-list.refs {
                    @for (_, idx) in &items {
                        @let first = &links.references[idx[0]];
                        @let r = &first.r;
                        @let date = idx.iter().find_map(|&i| links.references[i].r.date.as_ref());
                        @let file = idx.iter().find_map(|&i| links.references[i].r.file_number.as_deref());
                        li.ref {
                            strong.cited { (cited(r)) }
                            @if let Some(d) = date { ", " (cited_date(d)) }
                            @if let Some(s) = &r.sender { span.kind { " · sent by " (s) } }
                            @if let Some(f) = file {
                                " · file " (f)
                                @if let Some(sub) = filing::decode(f).map(|n| n.subject).filter(|s| !s.is_empty()) {
                                    span.kind { " (" (sub) ")" }
                                }
                            }
                            @if let Some(p) = &r.pages { " · pp. " (p) }
                            br;
                            @if let Some(id) = &first.r.resolved {
                                "Held: " a href=(doc_url(id)) { (first.resolved_title.as_deref().unwrap_or(id)) }
                            } @else if let Some(t) = &r.target {
                                span.unresolved { "Not held in this archive (" code.id { (t) } ")." }
                            } @else {
                                span.unresolved { "Not held in this archive." }
                            }
                            ul.passages {
                                @for &i in idx {
                                    @let x = &links.references[i].r;
                                    li {
                                        (note_link(x.note.as_deref())) ": "
                                        @let ctx = x.offset.and_then(|o| passage_text(doc, x.note.as_deref()).and_then(|t| context(t, o, x.text.chars().count(), CONTEXT_CHARS)));
                                        @if let Some((before, passage, after)) = ctx {
                                            q.passage { (before) mark { (passage) } (after) }
                                        } @else {
                                            q.passage { mark { (x.text) } }
                                        }
                                        @if !x.ref_targets.is_empty() {
                                            span.how {
                                                " · tagged by the source: "
                                                @for (i, t) in x.ref_targets.iter().enumerate() {
                                                    @if i > 0 { ", " }
                                                    code.id { (t) }
                                                }
                                            }
                                        }
                                        @if !x.inferred.is_empty() {
                                            span.how { " · taken from context: " (inferred_words(&x.inferred)) }
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

/// The Related section of the document page: a link to `/related/{id}`, which the page's
/// script replaces with the list itself (`/related/{id}?fragment`).
fn related(doc: &Document) -> Markup {
    let url = format!("/related/{}", doc.id);
    html! {
        section.links.related #related aria-labelledby="related-h" data-related=(format!("{url}?fragment")) {
            h2 #related-h { "Related documents" }
            p.help { "Documents of the archive that name the same places and people, with the reasons." }
            div.related-list aria-live="polite" {
                p { a href=(url) { "Show the documents most related to this one" } }
            }
        }
    }
}

/// The related documents as a list (or a sentence saying there are none).
pub fn related_list(related: &[RelatedDoc]) -> Markup {
    html! {
        @if related.is_empty() {
            p.none { "No related documents found: this document shares no resolved person or gazetteer place with another." }
        } @else {
            ol.link-list {
                @for r in related {
                    li {
                        a href=(doc_url(&r.related.id)) { (r.title) }
                        " " code.id { (r.related.id) }
                        br; span.why { (r.related.explain()) }
                    }
                }
            }
        }
    }
}

/// `/related/{id}` as a page of its own (without the script, or opened directly).
pub fn related_page(id: &str, title: &str, related: &[RelatedDoc]) -> Markup {
    let heading = if title.trim().is_empty() { id } else { title };
    crate::pages::layout(
        &format!("Related to: {heading}"),
        true,
        html! {
            h1 { "Documents related to " a href=(doc_url(id)) { (heading) } }
            p.help { "Documents of the archive that name the same places and people, with the reasons." }
            (related_list(related))
        },
    )
}

/// The decoded file numbers, for the Source section.
pub fn filing_numbers(files: &[FoundFile]) -> Markup {
    let sources = filing::sources();
    html! {
        @if !files.is_empty() {
            h3 #filing-h { "Filing number" }
            @for f in files {
                @let n = &f.number;
                dl.archival.filing aria-labelledby="filing-h" {
                    div { dt { "Number" } dd { (n.text) span.kind { " (" (f.found_in) ")" } } }
                    @if let Some(s) = &n.scheme { div { dt { "Scheme" } dd { "Central Decimal File, " (s.replace('-', "–")) } } }
                    @if let Some(c) = &n.class { div { dt { "Class" } dd { (c.digit) " — " (c.label) } } }
                    @if !n.countries.is_empty() {
                        div { dt { "Countries" } dd {
                            @for (i, c) in n.countries.iter().enumerate() {
                                @if i > 0 { " and " }
                                (c.name) span.kind { " (" (c.code) ")" }
                            }
                            @if let Some(pair) = filing::country_pair(n) { span.kind { " · pair " (pair) } }
                        } }
                    }
                    @if !n.subject.is_empty() { div { dt { "Subject" } dd { (n.subject) } } }
                    @if let Some(s) = &n.subdivision {
                        div { dt { "Subdivision" } dd { (s.code) @if let Some(l) = &s.label { " — " (l) } } }
                    }
                    @if let Some(file) = &n.file {
                        div { dt { "File" } dd {
                            (file.number) " “" (file.title) "”"
                            @if !file.exact { span.kind { " (this number is a subfile of it)" } }
                        } }
                    }
                    @if let Some(d) = &n.date {
                        div { dt { "Date" } dd {
                            time datetime=(d.from) { (long_day(&d.from).unwrap_or_else(|| d.from.clone())) }
                            span.normalized { " (read from the part after the slash)" }
                        } }
                    }
                    @if let Some(e) = &n.enclosure { div { dt { "Enclosure" } dd { (e) } } }
                    @if !n.undecoded.is_empty() {
                        div { dt { "Not decoded" } dd { ul.plain { @for u in &n.undecoded { li { (u) } } } } }
                    }
                    @if !n.sources.is_empty() {
                        div { dt { "Sources" } dd {
                            ul.plain {
                                @for id in &n.sources {
                                    li {
                                        @if let Some(s) = sources.iter().find(|s| &s.id == id) {
                                            @if let Some(u) = external_url(&s.url) {
                                                a href=(u) rel="noopener noreferrer" { (s.title) }
                                            } @else { (s.title) }
                                            span.kind { ", " (s.publisher) }
                                        } @else { (id) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        }
    }
}

/// Every link section, in reading order.
pub fn all(doc: &Document, links: &DocLinks) -> Markup {
    html! {
        (witnesses(doc, links))
        (people(doc, links))
        (places(links))
        (references(doc, links))
        (related(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cited_names_the_item() {
        let mut doc = Document {
            id: "x".into(),
            date: DateInterval::day(1955, 9, 18, "September 18, 1955"),
            body: vec![chancery_model::Block {
                kind: chancery_model::BlockKind::Paragraph,
                inlines: vec![chancery_model::Inline::text("See telegram 773 from Tokyo, September 22.")],
                ..Default::default()
            }],
            ..Default::default()
        };
        doc.finalize();
        let r = chancery_link::crossref::extract(&doc).into_iter().next().expect("a reference");
        assert_eq!(r.kind, RefKind::Telegram);
        assert_eq!(cited(&r), "Telegram 773 from Tokyo");
    }
}
