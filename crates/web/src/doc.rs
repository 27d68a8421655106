//! The document page: metadata, archival references, the body rendered from the
//! [`Block`]/[`Inline`] tree with marginal page numbers and two-way footnotes (sidenotes on
//! wide screens, each with its own `sn-N` id), previous/next in the collection, and a
//! citation. Under the title only the essentials are shown; the rest of the metadata and
//! the identifications of the people and terms mentioned sit in a closed `<details>`.

use std::collections::{HashMap, HashSet};

use chancery_model::{Block, BlockKind, DateInterval, Document, Inline, MentionKind};
use maud::{html, Markup};

use crate::issues::{block_anchor, passage_mark, positions_section, DocLedger};
use crate::pages::layout_with_head;
use crate::util::{
    capitalize, cite_date, collection_url, date_words, doc_url, doc_url_back, external_url, frag, lang_attr,
    language_label, language_name, normalized,
};

/// Deepest block nesting rendered as structure; anything deeper is rendered flat.
const MAX_DEPTH: usize = 32;

/// Notes longer than this (characters) are marked long in the margin (`.sidenote.long`); they
/// open whole there (issue 16), no longer cut short.
const SIDENOTE_CHARS: usize = 400;

/// A neighbour in the collection's date order.
pub struct Neighbour {
    pub id: String,
    pub title: String,
}

pub struct DocPage<'a> {
    pub doc: &'a Document,
    pub prev: Option<Neighbour>,
    pub next: Option<Neighbour>,
    /// The search the reader came from (validated `/search…` URL).
    pub back: Option<String>,
    /// The collection's title as the store knows it (falls back to the document's).
    pub collection_title: Option<String>,
    /// Witnesses, people, places, references and related documents (issue 5).
    pub links: Option<&'a crate::links::DocLinks>,
    /// The positions the document states (issue 6), shown beside their passages.
    pub ledger: Option<&'a DocLedger>,
    /// The documents of its chapter (or edition), for the contents panel.
    pub chapter: Option<Chapter>,
}

/// The contents panel of a document page: the documents of the division it sits in, in the
/// edition's order, the current one marked.
pub struct Chapter {
    /// The division's title ("Chapter 1: …"), or `None` for the whole collection.
    pub title: Option<String>,
    pub collection_id: String,
    /// The division's anchor on the collection page.
    pub anchor: Option<String>,
    /// A long list is cut around the current document.
    pub entries: Vec<PanelEntry>,
    /// Entries left out before and after the ones listed.
    pub cut: (usize, usize),
    pub total: usize,
}

/// One document of the contents panel: (id, number, title, date, whether it is the current one).
pub type PanelEntry = (String, Option<String>, String, Option<DateInterval>, bool);

/// Entries listed in the contents panel at most (a window around the current document).
const PANEL_ENTRIES: usize = 41;

/// The contents panel of `doc` in `contents` (which lists it).
pub fn chapter_panel(contents: &crate::edition::Contents, doc: &Document) -> Chapter {
    let list = contents.chapter_of(&doc.context);
    let total = list.len();
    let at = list.iter().position(|e| e.id == doc.id).unwrap_or(0);
    let half = PANEL_ENTRIES / 2;
    let start = at.saturating_sub(half).min(total.saturating_sub(PANEL_ENTRIES));
    let end = (start + PANEL_ENTRIES).min(total);
    let entries = list[start..end]
        .iter()
        .map(|e| (e.id.clone(), e.number.clone(), e.title.clone(), e.date.clone(), e.id == doc.id))
        .collect();
    let division = doc.context.last();
    Chapter {
        title: division.map(|d| format!("{}: {}", capitalize(&d.kind), d.title)),
        collection_id: doc.collection.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
        anchor: division.map(crate::pages::division_anchor),
        entries,
        cut: (start, total - end),
        total,
    }
}

fn chapter_panel_html(c: &Chapter, collection_title: &str, back: Option<&str>) -> Markup {
    let url = collection_url(&c.collection_id);
    let heading = c.title.as_deref().unwrap_or(collection_title);
    html! {
        details.contents-panel {
            // a short summary: a FRUS chapter's title runs to several lines
            summary { (if c.title.is_some() { "Contents of this chapter" } else { "Contents" }) " (" (crate::util::count(c.total as u64, "document")) ")" }
            nav aria-label="Contents of this chapter" {
                p.chapter-title { (heading) }
                @if c.cut.0 > 0 {
                    p.cut { a href=(match &c.anchor { Some(a) => format!("{url}#{a}"), None => url.clone() }) { (c.cut.0) " earlier" } }
                }
                ol.contents-list {
                    @for (id, number, title, date, current) in &c.entries {
                        li.current[*current] {
                            @if let Some(n) = number { span.num { (n) ". " } }
                            @if *current {
                                a href=(doc_url_back(id, back)) aria-current="page" { (if title.is_empty() { id } else { title }) }
                            } @else {
                                a href=(doc_url_back(id, back)) { (if title.is_empty() { id } else { title }) }
                            }
                            @if let Some(d) = date { " " span.date { (date_words(d)) } }
                        }
                    }
                }
                @if c.cut.1 > 0 {
                    p.cut { a href=(match &c.anchor { Some(a) => format!("{url}#{a}"), None => url.clone() }) { (c.cut.1) " later" } }
                }
                p.all { a href=(url) { "All documents of " (collection_title) } }
            }
        }
    }
}

/// Renders body blocks and inlines; keeps track of ids already handed out so every note
/// reference and page marker has a unique anchor. Every block rendered as an element gets the
/// anchor of its index path in `Document::body` (`b4.2`), which ledger positions link to.
struct Body<'a> {
    doc: &'a Document,
    /// The index path of the block being rendered.
    path: Vec<usize>,
    /// The document's positions in the issue ledger.
    ledger: Option<&'a DocLedger>,
    note_refs: HashMap<String, usize>,
    page_ids: HashSet<String>,
    /// What the document's references resolved to in the archive (from the page's links):
    /// held document ids and held volume (collection) ids.
    held_docs: HashSet<String>,
    held_volumes: HashSet<String>,
    /// Rendering a sidenote, which is hidden from assistive technology: links in it stay out of
    /// the tab order.
    in_sidenote: bool,
}

fn mention_class(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Person => "person",
        MentionKind::Place => "place",
        MentionKind::Organization => "org",
        MentionKind::Term => "term",
    }
}

impl<'a> Body<'a> {
    fn new(doc: &'a Document) -> Self {
        Body {
            doc,
            path: Vec::new(),
            ledger: None,
            note_refs: HashMap::new(),
            page_ids: HashSet::new(),
            held_docs: HashSet::new(),
            held_volumes: HashSet::new(),
            in_sidenote: false,
        }
    }

    /// Remember what the document's references resolved to, so tagged references in the text
    /// can link to what the archive holds.
    fn with_links(mut self, links: Option<&crate::links::DocLinks>) -> Self {
        for r in links.map(|l| l.references.as_slice()).unwrap_or_default() {
            match (&r.r.resolved, r.r.kind) {
                (Some(id), chancery_link::crossref::RefKind::Volume) => self.held_volumes.insert(id.clone()),
                (Some(id), chancery_link::crossref::RefKind::Document) => self.held_docs.insert(id.clone()),
                _ => false,
            };
        }
        self
    }

    fn with_ledger(mut self, ledger: Option<&'a DocLedger>) -> Self {
        self.ledger = ledger.filter(|l| !l.positions.is_empty());
        self
    }

    /// The anchor of the block being rendered (`b4.2`).
    fn anchor(&self) -> String {
        block_anchor(&self.path)
    }

    /// The ledger's mark for the positions stated in the block being rendered, if any.
    fn mark(&self) -> Option<Markup> {
        self.ledger.and_then(|l| passage_mark(l.of_block(&self.path)))
    }

    /// Render child `i` of the block being rendered.
    fn child(&mut self, i: usize, b: &Block, depth: usize) -> Markup {
        self.path.push(i);
        let m = self.block(b, depth);
        self.path.pop();
        m
    }

    /// A reference the source tagged (`ref target`): a link to the document or volume it names
    /// when the archive holds it, otherwise its text; the target as the source gives it in the
    /// title either way.
    fn cross_ref(&self, text: &str, target: &str) -> Markup {
        let volume = self.doc.collection.as_ref().map(|c| c.id.as_str());
        let href = chancery_link::crossref::resolve_ref_target(target, volume).and_then(|id| {
            if self.held_docs.contains(&id) {
                Some(doc_url(&id))
            } else if self.held_volumes.contains(&id) {
                Some(collection_url(&id))
            } else {
                None
            }
        });
        let title = collapse(target);
        let tabindex = self.in_sidenote.then_some("-1");
        html! {
            @if let Some(href) = href {
                a.xref href=(href) title=(title) tabindex=[tabindex] { (collapse(text)) }
            } @else {
                span.xref title=(title) { (collapse(text)) }
            }
        }
    }

    /// The id for a page marker, unique in the page (`pg-122`, then none for repeats).
    fn page_id(&mut self, n: &str) -> Option<String> {
        let id = format!("pg-{}", frag(n));
        self.page_ids.insert(id.clone()).then_some(id)
    }

    fn page_marker(&mut self, n: &str, block: bool) -> Markup {
        let id = self.page_id(n);
        html! {
            @if block {
                div.pb id=[id] { span.pb-label { "p. " (n) } }
            } @else {
                span.pb id=[id] { span.pb-label { "p. " (n) } }
            }
        }
    }

    fn inlines(&mut self, items: &[Inline], in_note: bool) -> Markup {
        html! { @for i in items { (self.inline(i, in_note)) } }
    }

    fn inline(&mut self, i: &Inline, in_note: bool) -> Markup {
        match i {
            Inline::Text { text } => html! { (collapse(text)) },
            Inline::Styled { rend, text } => styled(rend, &collapse(text)),
            Inline::Mention { kind, text, resolved, .. } => html! {
                span class=(mention_class(*kind)) title=[resolved.as_deref().map(collapse)] { (collapse(text)) }
            },
            Inline::Ref { text, target } => self.cross_ref(text, target),
            Inline::NoteRef { n } if in_note => html! { sup { (n) } },
            Inline::NoteRef { n } => self.note_ref(n),
            Inline::PageBreak { n } if in_note => html! { span.pb-inline { "[p. " (n) "]" } },
            Inline::PageBreak { n } => self.page_marker(n, false),
            Inline::LineBreak => html! { br; },
            // an edition's marks: an insertion ⟨…⟩, a doubtful reading with [?], a deletion
            // struck through; a line end inside a word only in the diplomatic form (hidden)
            Inline::Edit { kind, text } => match kind.as_str() {
                "add" => html! { span.add title="added in the source" { "⟨" (collapse(text)) "⟩" } },
                "unclear" => html! { span.unclear title="unclear in the source" { (collapse(text)) "[?]" } },
                "del" => html! { del title="deleted in the source" { (collapse(text)) } },
                "lb" => html! { span.lb-diplomatic hidden { (text) br; } },
                _ => html! { (collapse(text)) },
            },
        }
    }

    /// A superscript link to the note, and the note itself as a sidenote (shown in the
    /// margin on wide screens, hidden from assistive technology: the link reaches the note).
    fn note_ref(&mut self, n: &str) -> Markup {
        let count = self.note_refs.entry(n.to_string()).or_insert(0);
        *count += 1;
        let f = frag(n);
        let ref_id = if *count == 1 { format!("fnref-{f}") } else { format!("fnref-{f}-{count}") };
        let note = self.doc.note(n);
        let first = *count == 1;
        let side = match (note, first) {
            (Some(note), true) => {
                self.in_sidenote = true;
                let m = self.inlines(&note.inlines, true);
                self.in_sidenote = false;
                Some(m)
            }
            _ => None,
        };
        html! {
            sup.noteref {
                a href=(format!("#fn-{f}")) id=(ref_id) role="doc-noteref" aria-label=(format!("Note {n}")) data-note=(f) { (n) }
            }
            @if let (Some(note), Some(side)) = (note, side) {
                @let long = note.text.chars().count() > SIDENOTE_CHARS;
                // a long note opens whole (issue 16): the class only marks it
                span.sidenote.long[long] id=(format!("sn-{f}")) aria-hidden="true" {
                    span.sn-num { (n) } " " (side)
                }
            }
        }
    }

    fn label(label: &Option<String>) -> Markup {
        html! { @if let Some(l) = label { span.label { (l) } " " } }
    }

    fn blocks(&mut self, blocks: &[Block], depth: usize) -> Markup {
        let parts: Vec<Markup> = blocks.iter().enumerate().map(|(i, b)| self.child(i, b, depth)).collect();
        html! { @for m in parts { (m) } }
    }

    fn block(&mut self, b: &Block, depth: usize) -> Markup {
        if depth > MAX_DEPTH {
            return self.flat(b);
        }
        let inner = |s: &mut Self| -> Markup {
            html! { (Self::label(&b.label)) (s.inlines(&b.inlines, false)) }
        };
        let has_text = !b.inlines.is_empty() || b.label.is_some();
        match b.kind {
            BlockKind::PageBreak => match &b.label {
                Some(n) => self.page_marker(n, true),
                None => html! {},
            },
            BlockKind::Head => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! {
                    @if let Some(m) = mark { (m) }
                    @if depth == 0 { h2.head id=(id) { (content) } } @else { h3.head id=(id) { (content) } }
                    (children)
                }
            }
            BlockKind::Paragraph => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! {
                    @if has_text {
                        @if let Some(m) = mark { (m) }
                        p id=(id) { (content) }
                    }
                    (children)
                }
            }
            BlockKind::List => {
                let (id, mark) = (self.anchor(), self.mark());
                let label = b.label.clone();
                let content = self.inlines(&b.inlines, false);
                let items: Vec<Markup> = b
                    .children
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if c.kind == BlockKind::Item {
                            self.child(i, c, depth + 1)
                        } else if c.kind == BlockKind::PageBreak {
                            let m = self.child(i, c, depth + 1);
                            html! { li.pb-item { (m) } }
                        } else {
                            let m = self.child(i, c, depth + 1);
                            html! { li.plain { (m) } }
                        }
                    })
                    .collect();
                let head = !b.inlines.is_empty() || label.is_some();
                html! {
                    @if let Some(m) = mark { (m) }
                    @if head { p.list-head id=(id) { (Self::label(&label)) (content) } }
                    ol.list role="list" id=[(!head).then_some(&id)] { @for m in items { (m) } }
                }
            }
            BlockKind::Item => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = self.inlines(&b.inlines, false);
                let children = self.blocks(&b.children, depth + 1);
                html! {
                    li.item id=(id) {
                        @if let Some(m) = mark { (m) }
                        @if let Some(l) = &b.label { span.label { (l) } " " }
                        (content)
                        (children)
                    }
                }
            }
            BlockKind::Table => {
                let (id, mark) = (self.anchor(), self.mark());
                let caption = if has_text { Some(inner(self)) } else { None };
                let rows: Vec<Markup> = b
                    .children
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        self.path.push(i);
                        let m = self.row(r, depth + 1);
                        self.path.pop();
                        m
                    })
                    .collect();
                html! {
                    @if let Some(m) = mark { (m) }
                    div.table-wrap {
                        table.body-table id=(id) {
                            @if let Some(c) = caption { caption { (c) } }
                            tbody { @for r in rows { (r) } }
                        }
                    }
                }
            }
            BlockKind::Row => {
                let row = self.row(b, depth);
                html! { div.table-wrap { table.body-table { tbody { (row) } } } }
            }
            BlockKind::Cell => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! { div.cell id=(id) { @if let Some(m) = mark { (m) } (content) (children) } }
            }
            BlockKind::Quote => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! { blockquote id=(id) { @if let Some(m) = mark { (m) } @if has_text { p { (content) } } (children) } }
            }
            BlockKind::Attachment => {
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! {
                    section.attachment id=(id) {
                        @if let Some(m) = mark { (m) }
                        @if has_text { p.attachment-head { (content) } }
                        (children)
                    }
                }
            }
            BlockKind::Opener
            | BlockKind::Dateline
            | BlockKind::Closer
            | BlockKind::Signature
            | BlockKind::Postscript => {
                let class = match b.kind {
                    BlockKind::Opener => "opener",
                    BlockKind::Dateline => "dateline",
                    BlockKind::Closer => "closer",
                    BlockKind::Signature => "signature",
                    _ => "postscript",
                };
                let (id, mark) = (self.anchor(), self.mark());
                let content = inner(self);
                let children = self.blocks(&b.children, depth + 1);
                html! { div class=(class) id=(id) { @if let Some(m) = mark { (m) } @if has_text { p { (content) } } (children) } }
            }
        }
    }

    fn row(&mut self, r: &Block, depth: usize) -> Markup {
        if r.kind != BlockKind::Row {
            let m = self.block(r, depth + 1);
            return html! { tr { td { (m) } } };
        }
        let row_id = self.anchor();
        let row_mark = self.mark();
        let cells: Vec<Markup> = r
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.path.push(i);
                let m = if c.kind == BlockKind::Cell {
                    let (id, mark) = (self.anchor(), self.mark());
                    let label = Self::label(&c.label);
                    let content = self.inlines(&c.inlines, false);
                    let children = self.blocks(&c.children, depth + 2);
                    html! { td id=(id) { @if let Some(m) = mark { (m) } (label) (content) (children) } }
                } else {
                    let own = self.block(c, depth + 2);
                    html! { td { (own) } }
                };
                self.path.pop();
                m
            })
            .collect();
        html! { tr id=(row_id) { @for c in cells { (c) } } @if let Some(m) = row_mark { tr.ledger-row { td colspan=(cells_len(r)) { (m) } } } }
    }

    /// A block nested too deep: its text, without structure (iterative, so no depth of
    /// nesting can exhaust the stack).
    fn flat(&mut self, b: &Block) -> Markup {
        let mut out = Vec::new();
        let mut stack = vec![b];
        while let Some(x) = stack.pop() {
            if x.kind == BlockKind::PageBreak {
                if let Some(n) = &x.label {
                    out.push(self.page_marker(n, true));
                }
            } else if !x.inlines.is_empty() || x.label.is_some() {
                let content = self.inlines(&x.inlines, false);
                out.push(html! { p { (Self::label(&x.label)) (content) } });
            }
            stack.extend(x.children.iter().rev());
        }
        html! { @for m in out { (m) } }
    }
}

/// The number of cells of a table row (at least one).
fn cells_len(r: &Block) -> usize {
    r.children.len().max(1)
}

/// Whitespace runs (source line breaks and indentation) as one space, as HTML shows them.
fn collapse(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = text.contains(|c: char| c.is_whitespace() && c != ' ') || text.contains("  ");
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    std::borrow::Cow::Owned(out)
}

fn styled(rend: &str, text: &str) -> Markup {
    let r = rend.to_ascii_lowercase();
    html! {
        @if r.contains("italic") || r == "i" || r == "em" {
            i { (text) }
        } @else if r.contains("bold") || r.contains("strong") || r == "b" {
            strong { (text) }
        } @else if r.contains("underline") || r == "u" {
            u { (text) }
        } @else if r.contains("sup") {
            sup { (text) }
        } @else if r.contains("sub") {
            sub { (text) }
        } @else if r.contains("smallcap") || r.contains("small-cap") {
            span.smallcaps { (text) }
        } @else if r.contains("strike") {
            s { (text) }
        } @else {
            span.rend { (text) }
        }
    }
}

/// The date as printed and normalized, with where it came from. A date read from the
/// document's own file number says so, and names the number.
fn date_markup(d: &DateInterval) -> Markup {
    if d.basis.as_deref() == Some(chancery_link::filing::DATE_BASIS) {
        return html! {
            time datetime=(d.from) { (cite_date(d)) }
            " "
            span.normalized.inferred-date {
                "(" (normalized(d)) "; inferred from the file number " (d.text) ", not stated by the document)"
            }
        };
    }
    let words = date_words(d);
    let norm = normalized(d);
    html! {
        time datetime=(d.from) { (words) }
        @if norm != words || d.when.is_some() || d.basis.is_some() || d.inferred {
            " "
            span.normalized {
                "("
                (norm)
                @if let Some(w) = &d.when { "; " (w) }
                @if let Some(b) = &d.basis { "; from the " (b) }
                @if d.inferred { "; inferred" }
                ")"
            }
        }
    }
}

/// Each distinct mention (kind, wording, identification) in order of first appearance, for
/// the list in the details block: the resolved text is then reachable without a mouse.
fn distinct_mentions(doc: &Document) -> Vec<(MentionKind, String, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for m in &doc.mentions {
        let text = collapse(m.text.trim()).into_owned();
        let Some(resolved) = m.resolved.as_deref().map(|r| collapse(r.trim()).into_owned()) else { continue };
        if text.is_empty() || resolved.is_empty() {
            continue;
        }
        if seen.insert((text.clone(), resolved.clone())) {
            out.push((m.kind, text, resolved));
        }
    }
    out
}

fn role_label(role: &str, n: usize) -> String {
    let base = capitalize(role);
    if n > 1 && !base.ends_with('s') {
        format!("{base}s")
    } else {
        base
    }
}

/// Where a date comes from, in words ("record" → "the archive’s record").
fn basis_words(basis: Option<&str>) -> String {
    match basis.unwrap_or("") {
        "record" => "the archive’s record".to_string(),
        "heading" => "the document’s heading".to_string(),
        "dateline" => "the dateline".to_string(),
        "filing-number" => "the file number".to_string(),
        "" => "the source".to_string(),
        other => format!("the {}", other.replace('-', " ")),
    }
}

/// The signature a text ends with, when the document names no author: its last paragraph a
/// short name ("Н. Рощин"), the one before it, when short, the signer's office ("Посол СССР в
/// Китае"). Returns (name, office, the passage as printed).
pub fn inferred_signer(doc: &Document) -> Option<(String, Option<String>, String)> {
    if doc.contributors.iter().any(|c| matches!(c.role.as_str(), "from" | "author" | "sender" | "creator")) {
        return None;
    }
    let paras: Vec<&str> = doc.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let name = *paras.last()?;
    let words: Vec<&str> = name.split_whitespace().collect();
    // an initial or two and a surname, capitalized
    let is_name = (2..=3).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words[..words.len() - 1].iter().all(|w| w.ends_with('.') && w.chars().count() <= 3)
        && words.last().is_some_and(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic));
    if !is_name {
        return None;
    }
    let office = paras.len().checked_sub(2).map(|i| paras[i]).filter(|o| {
        o.split_whitespace().count() <= 8 && !o.ends_with('.') && o.chars().next().is_some_and(char::is_uppercase)
    });
    let passage = match office {
        Some(o) => format!("{o} / {name}"),
        None => name.to_string(),
    };
    Some((name.to_string(), office.map(str::to_string), passage))
}

/// A date a document without one states in its text: the day and month of its first
/// dated phrase ("1 января", "January 1"), the year from that phrase or, failing that, the
/// first year the text names ("1950 г."), each with the passage it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredDate {
    /// ISO day.
    pub iso: String,
    /// "1 January 1950".
    pub words: String,
    /// Whether the year came from another passage than the day and month.
    pub year_elsewhere: bool,
    /// The passages as printed: the day and month (with the year when it is there), then the
    /// year's when it came from elsewhere.
    pub passages: Vec<String>,
}

const MONTHS_EN: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// Russian month names in the genitive ("1 января").
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase();
    MONTHS_EN.iter().chain(MONTHS_RU.iter()).position(|m| *m == w).map(|i| (i % 12) as u32 + 1)
}

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| !c.is_ascii_digit());
    (w.len() <= 2 && !w.is_empty() && word.trim_end_matches([',', '.']).chars().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year_of(word: &str) -> Option<i32> {
    let w = word.trim_end_matches([',', '.', ';', ')']).trim_start_matches('(');
    (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1500..=2100).contains(y))
}

/// The words of `text` with their byte spans.
fn spanned_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The passage around words `from..to` of `text`: a few words either side.
fn passage_around(text: &str, words: &[(usize, usize)], from: usize, to: usize) -> String {
    let a = words[from.saturating_sub(3)].0;
    let b = words[(to + 6).min(words.len() - 1)].1;
    text[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The date of an undated document, as its text states it (see [`InferredDate`]).
pub fn inferred_date(doc: &Document) -> Option<InferredDate> {
    if doc.date.is_some() {
        return None;
    }
    let text = doc.text.as_str();
    let words = spanned_words(text);
    let w = |i: usize| &text[words[i].0..words[i].1];
    // the first "D month" or "month D"
    let (at, day, month) = (0..words.len().saturating_sub(1)).find_map(|i| {
        if let (Some(d), Some(m)) = (day_of(w(i)), month_of(w(i + 1))) {
            return Some((i, d, m));
        }
        if let (Some(m), Some(d)) = (month_of(w(i)), day_of(w(i + 1))) {
            // "May 5" but not "may 5 of them": a month in English is capitalized
            return w(i).starts_with(char::is_uppercase).then_some((i, d, m));
        }
        None
    })?;
    let (year, year_elsewhere, year_at) = match (at + 2 < words.len()).then(|| year_of(w(at + 2))).flatten() {
        Some(y) => (y, false, at + 2),
        None => {
            let i = (0..words.len()).find(|&i| year_of(w(i)).is_some())?;
            (year_of(w(i))?, true, i)
        }
    };
    let iso = format!("{year:04}-{month:02}-{day:02}");
    chancery_model::date::parse_bound(&iso)?;
    let month_name = capitalize(MONTHS_EN[month as usize - 1]);
    let mut passages = vec![passage_around(text, &words, at, if year_elsewhere { at + 1 } else { at + 2 })];
    if year_elsewhere {
        passages.push(passage_around(text, &words, year_at, year_at));
    }
    Some(InferredDate { iso, words: format!("{day} {month_name} {year}"), year_elsewhere, passages })
}

/// A key fact about who: role label, name as printed, the person (id, preferred name).
type Party = (String, String, Option<(String, String)>);

/// Who the document is from and to, as printed (an office stays an office), with the
/// person of the authority it resolves to, when it does: `(role label, name, (id, name))`.
fn parties(doc: &Document, links: Option<&crate::links::DocLinks>) -> Vec<Party> {
    let mut out: Vec<Party> = Vec::new();
    for c in doc
        .contributors
        .iter()
        .filter(|c| matches!(c.role.as_str(), "from" | "to" | "author" | "sender" | "recipient" | "addressee"))
    {
        let label = match c.role.as_str() {
            "from" | "author" | "sender" => "From",
            _ => "To",
        };
        let person = links.and_then(|l| {
            l.people
                .iter()
                .find(|r| r.field == chancery_core::Field::Contributor && r.text == c.name && r.person.is_some())
                .and_then(|r| r.person.clone())
                .map(|id| {
                    let name = l.name(&id).to_string();
                    (id, name)
                })
        });
        out.push((label.to_string(), c.name.clone(), person));
    }
    out
}

pub fn doc_page(page: &DocPage) -> Markup {
    let doc = page.doc;
    let title = if doc.title.trim().is_empty() { doc.id.as_str() } else { doc.title.as_str() };
    let mut body = Body::new(doc).with_links(page.links).with_ledger(page.ledger);
    let body_html = body.blocks(&doc.body, 0);
    // Notes rendered after the body so note refs inside the body are counted first.
    let notes_html: Vec<(String, String, Markup, bool, Option<Markup>)> = doc
        .notes
        .iter()
        .map(|n| {
            let f = frag(&n.n);
            let referenced = body.note_refs.contains_key(&n.n);
            let mark = page.ledger.and_then(|l| passage_mark(l.of_note(&n.n)));
            (n.n.clone(), f, body.inlines(&n.inlines, true), referenced, mark)
        })
        .collect();
    let collection_title = page
        .collection_title
        .clone()
        .or_else(|| doc.collection.as_ref().map(|c| c.title.clone()))
        .filter(|t| !t.is_empty());
    let mut roles: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in &doc.contributors {
        match roles.iter_mut().find(|(r, _)| *r == c.role) {
            Some((_, names)) => names.push(&c.name),
            None => roles.push((&c.role, vec![&c.name])),
        }
    }
    let translators: Vec<&str> =
        doc.contributors.iter().filter(|c| c.role == "translator").map(|c| c.name.as_str()).collect();
    let back = page.back.as_deref();
    let parties = parties(doc, page.links);
    let signer = inferred_signer(doc);
    let inferred = inferred_date(doc);
    let mentions = distinct_mentions(doc);
    let computed_files;
    let files = match page.links {
        Some(l) => &l.files,
        None => {
            computed_files = crate::links::file_numbers(doc);
            &computed_files
        }
    };

    let main = html! {
        nav.breadcrumbs aria-label="Breadcrumbs" {
            ol {
                li { a href="/" { "Collections" } }
                @if let Some(c) = &doc.collection {
                    li { a href=(collection_url(&c.id)) { (collection_title.as_deref().unwrap_or(&c.id)) } }
                    @for d in &doc.context {
                        li.division { a href=(format!("{}#{}", collection_url(&c.id), crate::pages::division_anchor(d))) { (d.title) } }
                    }
                }
            }
        }
        @if let Some(b) = back {
            p.back { a href=(b) { "← Back to search results" } }
        }
        @if let Some(c) = &page.chapter {
            (chapter_panel_html(c, collection_title.as_deref().unwrap_or(&c.collection_id), back))
        }
        article.doc {
            header.doc-head {
                @if let Some(n) = &doc.number { p.doc-number { "Document " (n) } }
                h1 lang=[lang_attr(doc.language.as_deref())] { (title) }
                dl.meta.essentials.key-facts {
                    @for (role, name, person) in &parties {
                        div.party { dt { (role) } dd {
                            (name)
                            @if let Some((id, preferred)) = person {
                                @if preferred != name {
                                    " (" a href=(crate::util::person_url(id)) { (preferred) } ")"
                                } @else {
                                    " " a.person-link href=(crate::util::person_url(id)) aria-label=(format!("{preferred}: person page")) { "→" }
                                }
                            }
                        } }
                    }
                    @if let Some((name, office, passage)) = &signer {
                        div.inferred { dt { "From" } dd {
                            (name) @if let Some(o) = office { ", " (o) }
                            p.inferred-note { "Inferred from the signature at the end of the text: “" (passage) "”." }
                        } }
                    }
                    @if let Some(d) = &inferred {
                        div.inferred { dt { "Date" } dd {
                            time datetime=(d.iso) { (d.words) }
                            p.inferred-note {
                                @if d.year_elsewhere {
                                    "Inferred from the text: the day from “" (d.passages[0]) "”, the year from “" (d.passages.get(1).map_or("", String::as_str)) "”."
                                } @else {
                                    "Inferred from the text: “" (d.passages[0]) "”."
                                }
                            }
                        } }
                    }
                    @if let Some(d) = &doc.date {
                        div { dt { "Date" } dd {
                            (date_markup(d))
                            @if !doc.other_dates.is_empty() {
                                p.date-conflict {
                                    "Dates differ: " (d.text) " is from " (basis_words(d.basis.as_deref()))
                                    @for o in &doc.other_dates {
                                        "; " (basis_words(o.basis.as_deref())) " gives " (o.text)
                                    }
                                    "."
                                }
                            }
                        } }
                    }
                    @if let Some(p) = &doc.place { div { dt { "Place" } dd { (p) } } }
                    @if let Some(c) = &doc.classification { div { dt { "Classification" } dd.classification { (c) } } }
                    @if !doc.archival_refs.is_empty() {
                        div { dt { "Archival reference" } dd {
                            @for (i, r) in doc.archival_refs.iter().enumerate() {
                                @if i > 0 { br; }
                                (r.text)
                            }
                        } }
                    }
                    @if let Some(l) = &doc.original_language {
                        div { dt { "Original language" } dd { (language_label(l)) } }
                    }
                    @if let Some(c) = &doc.collection {
                        div { dt { "Collection" } dd { a href=(collection_url(&c.id)) { (collection_title.as_deref().unwrap_or(&c.id)) } } }
                    }
                }
                @if doc.original_language.is_some() || !translators.is_empty() {
                    p.translation-credit {
                        "Translated"
                        @if let Some(l) = &doc.original_language { " from " (language_name(l).map_or_else(|| l.to_string(), str::to_string)) }
                        @if !translators.is_empty() { " by " (translators.join(" and ")) }
                        "."
                    }
                }
                details.more-meta {
                    summary { "More about this document" }
                    dl.meta {
                        @if !doc.other_dates.is_empty() {
                            div { dt { "Also dated" } dd {
                                ul.plain { @for d in &doc.other_dates { li { (date_markup(d)) } } }
                            } }
                        }
                        @if let Some(t) = &doc.doc_type { div { dt { "Type" } dd { (capitalize(t)) } } }
                        @if !doc.context.is_empty() {
                            div { dt { "Context" } dd {
                                ol.context { @for d in &doc.context { li { span.kind { (capitalize(&d.kind)) ": " } (d.title) } } }
                            } }
                        }
                        @for (role, names) in &roles {
                            div { dt { (role_label(role, names.len())) } dd { (names.join("; ")) } }
                        }
                        @if let Some(l) = &doc.language { div { dt { "Language" } dd { (language_label(l)) } } }
                        @if let Some(a) = &doc.archive { div { dt { "Archive" } dd { (a) } } }
                        div { dt { "Identifier" } dd { code { (doc.id) } } }
                    }
                    @if !mentions.is_empty() {
                        h2.mentions-h #mentions-h { "People and terms in this document" }
                        ul.mentions aria-labelledby="mentions-h" {
                            @for (kind, text, resolved) in &mentions {
                                li {
                                    span class=(format!("m-text m-{}", mention_class(*kind))) { (text) }
                                    " — " (resolved)
                                }
                            }
                        }
                    }
                }
                @if let Some(s) = &doc.summary {
                    p.summary { span.kind { "Summary: " } (s) }
                }
                @if let Some(l) = page.links { (crate::sections::witness_notice(l)) }
            }
            section.text aria-label="Text" lang=[lang_attr(doc.language.as_deref())] {
                (body_html)
            }
            @if !notes_html.is_empty() {
                section.notes aria-labelledby="notes-h" role="doc-endnotes" {
                    h2 #notes-h { "Notes" }
                    ol.notes {
                        @for (n, f, content, referenced, mark) in &notes_html {
                            li id=(format!("fn-{f}")) {
                                span.note-num { (n) "." } " "
                                (content)
                                @if let Some(diff) = doc.notes.iter().find(|x| &x.n == n).and_then(|x| crate::drafting::note_diff(&x.text)) {
                                    (diff)
                                }
                                @if *referenced {
                                    " " a.backref href=(format!("#fnref-{f}")) role="doc-backlink" aria-label=(format!("Back to the reference to note {n}")) { "↩" }
                                }
                                @if let Some(m) = mark { (m) }
                            }
                        }
                    }
                }
            }
            @if let Some(l) = page.ledger { (positions_section(l)) }
            @if let Some(l) = page.links { (crate::sections::all(doc, l)) }
            section.sources aria-labelledby="source-h" {
                h2 #source-h { "Source" }
                @if let Some(s) = &doc.source_note { p.source-note { (s) } }
                @if !doc.archival_refs.is_empty() {
                    h3 { "Archival references" }
                    @for r in &doc.archival_refs {
                        dl.archival {
                            div { dt { "Reference" } dd { (r.text) } }
                            @if let Some(x) = &r.repository { div { dt { "Repository" } dd { (x) } } }
                            @if !r.series.is_empty() { div { dt { "Series" } dd { (r.series.join(" › ")) } } }
                            @if !r.units.is_empty() {
                                div { dt { "Units" } dd {
                                    ul.units { @for u in &r.units { li { span.kind { (u.level) } " " (u.value) } } }
                                } }
                            }
                            @if let Some(x) = &r.file_number { div { dt { "File number" } dd { (x) } } }
                        }
                    }
                }
                (crate::sections::filing_numbers(files))
                @if let Some(r) = &doc.rights { p.rights { (r) } }
                @if let Some(u) = doc.url.as_deref().and_then(external_url) {
                    p { "Source record: " a href=(u) rel="noopener noreferrer" { (u) } }
                }
                p.json { a href=(format!("/api{}", doc_url(&doc.id))) { "This document as JSON" } }
            }
            section.cite aria-labelledby="cite-h" {
                h2 #cite-h { "Cite" }
                (crate::cite::cite_box(doc))
            }
        }
        @if page.prev.is_some() || page.next.is_some() {
            nav.prevnext aria-label="Documents in this collection, in the edition’s order" {
                ul {
                    @if let Some(p) = &page.prev {
                        li.prev { a href=(doc_url_back(&p.id, back)) rel="prev" { span.dir { "← Previous" } " " (p.title) } }
                    }
                    @if let Some(n) = &page.next {
                        li.next { a href=(doc_url_back(&n.id, back)) rel="next" { span.dir { "Next →" } " " (n.title) } }
                    }
                }
            }
        }
    };
    layout_with_head(title, true, crate::cite::head_tags(doc), main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chancery_model::{Collection, Contributor, Note};

    fn frus_doc() -> Document {
        let mut d = Document {
            id: "frus1955-57v23p1/d52".into(),
            title: "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson) to the Secretary of State".into(),
            number: Some("52".into()),
            date: DateInterval::day(1955, 9, 18, "September 18, 1955"),
            collection: Some(Collection {
                id: "frus1955-57v23p1".into(),
                title: "Foreign Relations of the United States, 1955–1957, Japan, Volume XXIII, Part 1".into(),
            }),
            contributors: vec![Contributor { role: "editor".into(), name: "David W. Mabon".into(), reference: None }],
            body: vec![
                Block { kind: BlockKind::PageBreak, label: Some("122".into()), ..Default::default() },
                Block {
                    kind: BlockKind::Paragraph,
                    inlines: vec![
                        Inline::text("Hope <Japan>"),
                        Inline::NoteRef { n: "4".into() },
                        Inline::Mention {
                            kind: MentionKind::Person,
                            text: "Dulles".into(),
                            reference: Some("#p_DJF1".into()),
                            resolved: Some("Dulles, John Foster, Secretary of State".into()),
                        },
                    ],
                    ..Default::default()
                },
            ],
            notes: vec![Note {
                n: "4".into(),
                kind: "footnote".into(),
                inlines: vec![Inline::text("As modified by Dulles")],
                ..Default::default()
            }],
            ..Default::default()
        };
        d.finalize();
        d
    }

    #[test]
    fn body_has_two_way_notes_page_markers_and_mentions() {
        let d = frus_doc();
        let html = doc_page(&DocPage {
            doc: &d,
            prev: None,
            next: None,
            back: None,
            collection_title: None,
            links: None,
            ledger: None,
            chapter: None,
        })
        .into_string();
        assert!(html.contains(r##"<a href="#fn-4" id="fnref-4""##), "{html}");
        assert!(html.contains(r##"<li id="fn-4">"##), "{html}");
        assert!(html.contains(r##"href="#fnref-4""##));
        assert!(html.contains(r#"<div class="pb" id="pg-122">"#));
        assert!(html.contains(r#"<span class="person" title="Dulles, John Foster, Secretary of State">Dulles</span>"#));
        assert!(html.contains("Hope &lt;Japan&gt;"));
        assert!(!html.contains("<Japan>"));
    }

    #[test]
    fn tagged_references_link_to_what_the_archive_holds() {
        let xref = |text: &str, target: &str| Inline::Ref { text: text.into(), target: target.into() };
        let mut d = frus_doc();
        d.body[1].inlines = vec![
            Inline::text("See "),
            xref("Document 45", "#d45"),
            Inline::text(", "),
            xref("<b>Document 46</b>", "#d46\"><script>alert(1)</script>"),
            Inline::text(" and "),
            xref("Robertson", "#p_RWS1"),
            Inline::NoteRef { n: "4".into() },
        ];
        d.notes[0].inlines = vec![Inline::text("In "), xref("volume XXI", "frus1955-57v21")];
        d.finalize();
        let mut refs = chancery_link::crossref::extract(&d);
        for r in &mut refs {
            r.resolved = match r.target.as_deref() {
                Some(t @ ("frus1955-57v23p1/d45" | "frus1955-57v21")) => Some(t.to_string()),
                _ => None,
            };
        }
        assert_eq!(refs.iter().filter(|r| r.resolved.is_some()).count(), 2, "{refs:#?}");
        let links = crate::links::DocLinks {
            references: refs.into_iter().map(|r| crate::links::Reference { r, resolved_title: None }).collect(),
            ..Default::default()
        };
        let page = |links| {
            doc_page(&DocPage {
                doc: &d,
                prev: None,
                next: None,
                back: None,
                collection_title: None,
                links,
                ledger: None,
                chapter: None,
            })
            .into_string()
        };
        let html = page(Some(&links));
        assert!(
            html.contains(r##"<a class="xref" href="/doc/frus1955-57v23p1/d45" title="#d45">Document 45</a>"##),
            "{html}"
        );
        // Text and target reach the page escaped.
        assert!(html.contains(
            r##"<span class="xref" title="#d46&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;b&gt;Document 46&lt;/b&gt;</span>"##
        ));
        assert!(!html.contains("<script>alert") && !html.contains("<b>Document"));
        // A person is no cross-reference: its text, the target in the title.
        assert!(html.contains(r##"<span class="xref" title="#p_RWS1">Robertson</span>"##));
        // A held volume, from a note: out of the tab order in the (hidden) sidenote, a plain
        // link in the list of notes.
        let held = r##"href="/collection/frus1955-57v21" title="frus1955-57v21""##;
        assert!(html.contains(&format!(r##"<a class="xref" {held} tabindex="-1">volume XXI</a>"##)), "{html}");
        assert!(html.contains(&format!(r##"<a class="xref" {held}>volume XXI</a>"##)), "{html}");
        // Without links nothing is known to be held: text only.
        let html = page(None);
        assert!(html.contains(r##"<span class="xref" title="#d45">Document 45</span>"##), "{html}");
        assert!(!html.contains("class=\"xref\" href"));
    }

    fn position(id: &str, block: Vec<usize>, note: Option<&str>, condition: &str) -> crate::issues::DocPosition {
        crate::issues::DocPosition {
            position: chancery_ledger::Position {
                id: id.into(),
                issue: "habomai-shikotan".into(),
                party: "ussr".into(),
                date: None,
                stance: "<script>alert(1)</script>".into(),
                conditions: vec![chancery_ledger::condition_from_text(condition)],
                stated_by: "ussr".into(),
                reported_by: "usa".into(),
                source: chancery_ledger::SourceRef {
                    document: "frus1955-57v23p1/d52".into(),
                    block,
                    note: note.map(str::to_string),
                    text: "passage".into(),
                    ..Default::default()
                },
                origin: chancery_ledger::Origin::Rule { rule: "test".into() },
                status: chancery_ledger::Status::Proposed,
            },
            issue_title: "Transfer of <Habomai>".into(),
        }
    }

    #[test]
    fn blocks_have_path_anchors_and_positions_sit_beside_their_passages() {
        let mut d = frus_doc();
        d.body.push(Block {
            kind: BlockKind::List,
            children: vec![Block {
                kind: BlockKind::Item,
                label: Some("3.".into()),
                inlines: vec![Inline::text("(c) demilitarized")],
                ..Default::default()
            }],
            ..Default::default()
        });
        d.finalize();
        let ledger = DocLedger {
            positions: vec![
                position("a", vec![2, 0], None, "the islands are not militarized"),
                position("b", vec![], Some("4"), "a peace treaty is signed"),
            ],
        };
        let html = doc_page(&DocPage {
            doc: &d,
            prev: None,
            next: None,
            back: None,
            collection_title: None,
            links: None,
            ledger: Some(&ledger),
            chapter: None,
        })
        .into_string();
        // Anchors by index path: the paragraph [1], the list [2] (no head: on the list), its item [2, 0].
        assert!(html.contains(r#"<p id="b1">Hope &lt;Japan&gt;"#), "{html}");
        assert!(html.contains(r#"<ol class="list" role="list" id="b2">"#), "{html}");
        // The item's mark is its first child; the note's mark closes its entry in the list.
        let item = &html[html.find(r#"<li class="item" id="b2.0">"#).expect("the item's anchor")..];
        assert!(
            item.starts_with(
                r#"<li class="item" id="b2.0"><div class="ledger-mark" role="note" aria-label="Issue ledger">"#
            ),
            "{item}"
        );
        let mark = &item[..item.find("</div>").unwrap()];
        assert!(mark.contains("Transfer of &lt;Habomai&gt;</a>: Soviet Union (<span class=\"status-word\">proposal</span>, on condition: islands not militarized)"), "{mark}");
        let note = &html[html.find(r#"<li id="fn-4">"#).unwrap()..];
        let note = &note[..note.find("</li></ul></details></div></li>").expect("the mark in the note's entry")];
        assert!(
            note.contains(
                "Soviet Union (<span class=\"status-word\">proposal</span>, on condition: peace treaty signed)"
            ),
            "{note}"
        );
        // The Positions section lists both, escaped, linked to their passages.
        let section = &html[html.find(r#"<section class="links positions""#).unwrap()..];
        assert!(section.contains(r##"<a href="#b2.0">block 3.1</a>"##), "{section}");
        assert!(section.contains(r##"<a href="#fn-4">n. 4</a>"##), "{section}");
        assert!(section.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{section}");
        assert!(!html.contains("<script>alert") && !html.contains("<Habomai>"), "{html}");
    }

    #[test]
    fn an_undated_text_gives_its_date_with_the_passage() {
        let doc = |text: &str| Document { id: "t".into(), text: text.into(), ..Default::default() };
        // the day and month in one place, the year in another
        let d =
            inferred_date(&doc("Вчера 2 мая посетил посла. Планы на второе полугодие 1951 г. обсуждались.")).unwrap();
        assert_eq!((d.iso.as_str(), d.words.as_str(), d.year_elsewhere), ("1951-05-02", "2 May 1951", true));
        assert_eq!(
            d.passages,
            ["Вчера 2 мая посетил посла. Планы на второе полугодие", "на второе полугодие 1951 г. обсуждались."]
        );
        // all in one phrase, English order
        let d = inferred_date(&doc("Tokyo, September 13, 1955, 7 p.m. The Ambassador called.")).unwrap();
        assert_eq!((d.iso.as_str(), d.year_elsewhere), ("1955-09-13", false));
        // nothing to go by; a dated document is left alone
        assert_eq!(inferred_date(&doc("may 5 of them come")), None);
        let mut dated = doc("1 January 1950");
        dated.date = chancery_model::date::parse_bound("1950");
        assert_eq!(inferred_date(&dated), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut b = Block { kind: BlockKind::Quote, inlines: vec![Inline::text("deep")], ..Default::default() };
        for _ in 0..5000 {
            b = Block { kind: BlockKind::Quote, children: vec![b], ..Default::default() };
        }
        let d = Document { id: "x".into(), body: vec![b], ..Default::default() };
        // On a thread with the 2 MiB stack of tokio's blocking pool, where pages are rendered.
        let html = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                doc_page(&DocPage {
                    doc: &d,
                    prev: None,
                    next: None,
                    back: None,
                    collection_title: None,
                    links: None,
                    ledger: None,
                    chapter: None,
                })
                .into_string()
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(html.contains("deep"));
    }
}
