//! The issue ledger in the reading room (issue 6): the list of issues (`/issues`), one issue's
//! positions as a table of parties × years (`/issue/{id}`), and the positions a document
//! states, beside their passages on the document page.
//!
//! Every position shows the source's words (stance, conditions by their label), who stated it
//! and whose record reports it, its status (a rule's proposal is drawn dashed until a person
//! accepts it), and its source. Pointing at a position (mouse or keyboard focus) shows the
//! passage; following it opens the document at that passage (`/doc/{id}#b4.2` for a block,
//! `#fn-6` for a note), which the page highlights with `:target`. Condition changes between a
//! party's consecutive positions are written out under the party's row and marked on the
//! conditions they concern. All of it is text from documents or curators, so it goes through
//! maud's escaping only.

use std::collections::HashMap;
use std::sync::OnceLock;

use chancery_core::{IssueLedger, Position, Status};
use chancery_ledger::{condition_label, Condition, Issue, Origin, Party, SourceRef};
use maud::{html, Markup};

use crate::pages::{layout, page_links};
use crate::params::{Paging, StatusParam};
use crate::util::{date_words, doc_url, frag, id_path};

/// The reading-room page of an issue.
pub fn issue_url(id: &str) -> String {
    format!("/issue/{}", id_path(id))
}

/// The JSON of an issue's ledger.
pub fn issue_api_url(id: &str) -> String {
    format!("/api/issue/{}", id_path(id))
}

/// The CSV export of an issue's ledger.
pub fn issue_csv_url(id: &str) -> String {
    format!("/issue/{}/ledger.csv", id_path(id))
}

/// One position in the API (its id may contain '/', '#', parentheses: percent-encoded).
pub fn position_api_url(id: &str) -> String {
    format!("/api/position/{}", id_path(id))
}

/// The HTML id of a position on its issue page: `p-` and the position id made id-safe.
pub fn position_anchor(id: &str) -> String {
    format!("p-{}", frag(id))
}

/// A position on its issue page.
pub fn position_url(p: &Position) -> String {
    format!("{}#{}", issue_url(&p.issue), position_anchor(&p.id))
}

/// The HTML id of a block of the document page by its index path: `b4.2` for `[4, 2]`.
pub fn block_anchor(path: &[usize]) -> String {
    let mut s = String::from("b");
    for (i, n) in path.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        s.push_str(&n.to_string());
    }
    s
}

/// The anchor of a passage on its document's page: the note (`fn-6`) or the block (`b4.2`).
pub fn passage_anchor(s: &SourceRef) -> Option<String> {
    match &s.note {
        Some(n) => Some(format!("fn-{}", frag(n))),
        None if !s.block.is_empty() => Some(block_anchor(&s.block)),
        None => None,
    }
}

/// The document page at the passage.
pub fn passage_url(s: &SourceRef) -> String {
    match passage_anchor(s) {
        Some(a) => format!("{}#{a}", doc_url(&s.document)),
        None => doc_url(&s.document),
    }
}

fn parties() -> &'static [Party] {
    static PARTIES: OnceLock<Vec<Party>> = OnceLock::new();
    PARTIES.get_or_init(chancery_ledger::builtin_parties)
}

/// A party's name ("Soviet Union") from its id; "unknown party" for the unknown one; the id
/// itself for a party the built-in list does not know.
pub fn party_name(id: &str) -> String {
    if id == chancery_ledger::UNKNOWN_PARTY {
        return "unknown party".to_string();
    }
    parties().iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Who stated a position: a party id becomes its name, a person or office stays as printed.
pub fn stated_by_words(s: &str) -> String {
    match parties().iter().find(|p| p.id == s) {
        Some(p) => p.name.clone(),
        None => s.to_string(),
    }
}

/// A condition as shown: its label when the key has one, else the source's words.
pub fn condition_words(c: &Condition) -> String {
    condition_label(&c.key).map_or_else(|| c.text.clone(), str::to_string)
}

pub fn status_words(s: Status) -> &'static str {
    match s {
        Status::Proposed => "Proposal",
        Status::Accepted => "Accepted",
        Status::Rejected => "Rejected",
    }
}

/// Whether a position was proposed by a rule or entered by a person, in words.
pub fn origin_words(o: &Origin) -> String {
    match o {
        Origin::Rule { rule } => format!("found by the rule {rule}"),
        Origin::Person { name } => format!("entered by {name}"),
    }
}

/// Positions counted by status, for one issue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub proposed: u64,
    pub accepted: u64,
    pub rejected: u64,
}

impl Counts {
    pub fn add(&mut self, s: Status, n: u64) {
        match s {
            Status::Proposed => self.proposed += n,
            Status::Accepted => self.accepted += n,
            Status::Rejected => self.rejected += n,
        }
    }
}

/// The issues with their positions counted by status, from the store's `(issue, status,
/// count)` rows.
pub fn counts_by_issue<'a>(issues: &'a [Issue], counts: &[(String, Status, u64)]) -> Vec<(&'a Issue, Counts)> {
    issues
        .iter()
        .map(|i| {
            let mut c = Counts::default();
            for (_, status, n) in counts.iter().filter(|(issue, _, _)| *issue == i.id) {
                c.add(*status, *n);
            }
            (i, c)
        })
        .collect()
}

fn counts_line(c: &Counts) -> Markup {
    html! {
        (c.proposed) " proposed · " (c.accepted) " accepted · " (c.rejected) " rejected"
    }
}

pub fn issues_page(issues: &[(&Issue, Counts)]) -> Markup {
    layout(
        "Issues",
        true,
        html! {
            h1 { "Issues" }
            p.lede {
                "The issue ledger: what each party wanted on a question, on what conditions, and when, "
                "each position tied to the passage that states it. Rules propose positions as documents are "
                "ingested; a curator accepts or rejects them."
            }
            ul.issue-list {
                @for (issue, c) in issues {
                    li {
                        h2 { a href=(issue_url(&issue.id)) { (issue.title) } }
                        p { (issue.description) }
                        p.counts {
                            "Parties: " (issue.parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "))
                            br;
                            "Positions: " (counts_line(c))
                        }
                    }
                }
            }
            p.json { a href="/api/issues" { "The issues as JSON" } }
        },
    )
}

/// How a condition of a position relates to the party's neighbouring positions.
#[derive(Debug, Default)]
struct ConditionMarks {
    /// condition key → the year since which it is asked (absent the step before).
    added: HashMap<String, String>,
    /// condition key → the year of the next step, which no longer has it.
    removed: HashMap<String, String>,
}

/// For each position id, the conditions added since the party's previous step and those its
/// next step no longer has.
fn change_marks(l: &IssueLedger) -> HashMap<&str, ConditionMarks> {
    let mut out: HashMap<&str, ConditionMarks> = HashMap::new();
    for row in &l.rows {
        for ch in row.changes.iter().filter(|c| c.changed()) {
            let year = ch.to_date.from.get(..4).unwrap_or(&ch.to_date.from).to_string();
            for id in &ch.to_positions {
                let m = out.entry(id.as_str()).or_default();
                for c in &ch.added {
                    m.added.insert(c.key.clone(), year.clone());
                }
            }
            for id in &ch.from_positions {
                let m = out.entry(id.as_str()).or_default();
                for c in &ch.removed {
                    m.removed.insert(c.key.clone(), year.clone());
                }
            }
        }
    }
    out
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Proposed => "position proposed",
        Status::Accepted => "position accepted",
        Status::Rejected => "position rejected",
    }
}

fn condition_item(c: &Condition, marks: Option<&ConditionMarks>) -> Markup {
    let words = condition_words(c);
    // The source's words, when the label is not them.
    let title = (words != c.text).then_some(c.text.as_str());
    let added = marks.and_then(|m| m.added.get(&c.key));
    let removed = marks.and_then(|m| m.removed.get(&c.key));
    let inner = html! { span.cond title=[title] { (words) } };
    html! {
        li {
            @match (added, removed) {
                (Some(a), Some(r)) => {
                    ins.cond-added { del.cond-removed { (inner) } " " span.cond-tag { "new in " (a) "; not in " (r) } }
                }
                (Some(a), None) => {
                    ins.cond-added { (inner) " " span.cond-tag { "new in " (a) } }
                }
                (None, Some(r)) => {
                    del.cond-removed { (inner) " " span.cond-tag { "not in " (r) } }
                }
                (None, None) => { (inner) }
            }
        }
    }
}

/// One position in a cell of the issue table.
fn position_item(p: &Position, titles: &HashMap<String, String>, marks: Option<&ConditionMarks>) -> Markup {
    let anchor = position_anchor(&p.id);
    let passage_id = format!("{anchor}-passage");
    let locator = p.source.locator();
    let title = titles.get(&p.source.document).map_or(p.source.document.as_str(), String::as_str);
    let other_record = p.reported_by != p.party && p.reported_by != chancery_ledger::UNKNOWN_PARTY;
    html! {
        li class=(status_class(p.status)) id=(anchor) {
            a.pos-link href=(passage_url(&p.source)) aria-describedby=(passage_id) {
                q.stance { (p.stance) }
            }
            div.passage id=(passage_id) role="tooltip" {
                span.passage-h { "The passage (" (locator) "): " }
                q { (p.source.text) }
            }
            @if !p.conditions.is_empty() {
                ul.conditions aria-label="Conditions" {
                    @for c in &p.conditions { (condition_item(c, marks)) }
                }
            }
            p.who {
                "stated by " (stated_by_words(&p.stated_by))
                " · "
                span.reported.other-record[other_record] {
                    "reported by " (party_name(&p.reported_by))
                }
                @if other_record { span.record-note { " (not " (party_name(&p.party)) "’s own record)" } }
            }
            p.source {
                span.status-badge { (status_words(p.status)) }
                @if let Some(d) = &p.date { " · " time datetime=(d.from) { (date_words(d)) } }
                " · " cite { (title) } ", " (locator)
            }
        }
    }
}

/// One page of an issue's positions, and what the page shows of the whole issue.
#[derive(Debug, Clone)]
pub struct IssuePage {
    /// The page's positions arranged as the table: the years they fall in, every party's row,
    /// and each row's condition changes that concern a position of the page.
    pub table: IssueLedger,
    /// The columns of the whole issue.
    pub columns: Vec<String>,
    /// Per party (in the table's row order) the number of positions of each column.
    pub counts: Vec<(Party, Vec<usize>)>,
    /// Per party and column, the page on which that cell's first position is.
    pub first_page: Vec<Vec<Option<usize>>>,
    /// Positions with the statuses shown, in all.
    pub total: usize,
    pub paging: Paging,
}

impl IssuePage {
    pub fn pages(&self) -> usize {
        self.paging.pages(self.total)
    }

    /// The positions of the page, in their order.
    pub fn positions(&self) -> impl Iterator<Item = &Position> {
        self.table.rows.iter().flat_map(|r| r.cells.iter().flatten())
    }
}

/// Cut one page out of a whole issue's table. The positions are taken year by year (the
/// table's columns), party by party within a year, and by date within a party's cell, so a
/// page is a run of the table read column after column.
pub fn paged(l: &IssueLedger, paging: Paging) -> IssuePage {
    let size = paging.size.max(1);
    let mut order: Vec<(usize, usize, &Position)> = Vec::new();
    let mut first_page: Vec<Vec<Option<usize>>> = vec![vec![None; l.columns.len()]; l.rows.len()];
    for col in 0..l.columns.len() {
        for (r, (row, firsts)) in l.rows.iter().zip(first_page.iter_mut()).enumerate() {
            if let Some(cell) = row.cells.get(col) {
                if !cell.is_empty() {
                    firsts[col] = Some(order.len() / size + 1);
                }
                order.extend(cell.iter().map(|p| (r, col, p)));
            }
        }
    }
    let total = order.len();
    let on_page: Vec<(usize, usize, &Position)> = order.into_iter().skip(paging.offset).take(size).collect();
    let mut cols: Vec<usize> = on_page.iter().map(|(_, c, _)| *c).collect();
    cols.sort_unstable();
    cols.dedup();
    let ids: std::collections::HashSet<&str> = on_page.iter().map(|(_, _, p)| p.id.as_str()).collect();
    let rows = l
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| chancery_ledger::PartyRow {
            party: row.party.clone(),
            cells: cols
                .iter()
                .map(|&c| {
                    on_page.iter().filter(|(pr, pc, _)| *pr == r && *pc == c).map(|(_, _, p)| (*p).clone()).collect()
                })
                .collect(),
            changes: row
                .changes
                .iter()
                .filter(|ch| ch.from_positions.iter().chain(&ch.to_positions).any(|id| ids.contains(id.as_str())))
                .cloned()
                .collect(),
        })
        .collect();
    IssuePage {
        table: IssueLedger {
            issue: l.issue.clone(),
            columns: cols.iter().map(|&c| l.columns[c].clone()).collect(),
            rows,
        },
        columns: l.columns.clone(),
        counts: l.rows.iter().map(|r| (r.party.clone(), r.cells.iter().map(Vec::len).collect())).collect(),
        first_page,
        total,
        paging,
    }
}

/// The whole issue at a glance, when its positions take more than one page: parties × years,
/// the number of positions in each cell, linked to the page where they start.
fn summary(page: &IssuePage, page_url: &dyn Fn(usize) -> String) -> Markup {
    html! {
        section.ledger-summary aria-labelledby="summary-h" {
            h2 #summary-h { "All " (page.total) " positions, by year" }
            div.table-wrap {
                table.ledger.summary {
                    thead {
                        tr {
                            th scope="col" { "Party" }
                            @for c in &page.columns { th scope="col" { (c) } }
                        }
                    }
                    tbody {
                        @for (r, (party, counts)) in page.counts.iter().enumerate() {
                            tr {
                                th scope="row" { (party.name) }
                                @for (c, n) in counts.iter().enumerate() {
                                    td {
                                        @match page.first_page.get(r).and_then(|row| row.get(c)).copied().flatten() {
                                            Some(p) if *n > 0 => { a href=(page_url(p)) { (n) } }
                                            _ => { span.empty { span aria-hidden="true" { "—" } span.visually-hidden { "no position" } } }
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

pub fn issue_page(page: &IssuePage, titles: &HashMap<String, String>, shown: StatusParam) -> Markup {
    let l = &page.table;
    let issue = &l.issue;
    let marks = change_marks(l);
    let any = l.rows.iter().any(|r| r.cells.iter().any(|c| !c.is_empty()));
    let with_status = |base: String, s: StatusParam| match s.as_param() {
        Some(v) => format!("{base}?status={v}"),
        None => base,
    };
    let size = page.paging.size;
    let page_url = |n: usize| {
        let mut q: Vec<String> = Vec::new();
        if let Some(v) = shown.as_param() {
            q.push(format!("status={v}"));
        }
        if n > 1 {
            q.push(format!("page={n}"));
        }
        if size != crate::params::DEFAULT_ISSUE_PAGE {
            q.push(format!("size={size}"));
        }
        match q.is_empty() {
            true => issue_url(&issue.id),
            false => format!("{}?{}", issue_url(&issue.id), q.join("&")),
        }
    };
    let pages = page.pages();
    let current = page.paging.page();
    let first = page.paging.offset + 1;
    let last = (page.paging.offset + page.paging.size).min(page.total);
    let choices = [StatusParam::Default, StatusParam::Accepted, StatusParam::Proposed, StatusParam::All];
    let span = l.columns.len() + 1;
    layout(
        &issue.title,
        true,
        html! {
            nav.breadcrumbs aria-label="Breadcrumbs" {
                ol { li { a href="/issues" { "Issues" } } li aria-current="page" { (issue.title) } }
            }
            h1 { (issue.title) }
            p.lede { (issue.description) }
            div.ledger-tools {
                nav.status-choice aria-label="Positions shown" {
                    "Show: "
                    @for (i, s) in choices.into_iter().enumerate() {
                        @if i > 0 { " · " }
                        @if s == shown {
                            strong aria-current="true" { (s.label()) }
                        } @else {
                            a href=(with_status(issue_url(&issue.id), s)) { (s.label()) }
                        }
                    }
                }
                p.exports {
                    "Download this table: "
                    a href=(with_status(issue_csv_url(&issue.id), shown)) download { "CSV" }
                    " · "
                    a href=(with_status(issue_api_url(&issue.id), shown)) { "JSON" }
                }
                p.legend {
                    span.legend-item.proposed { "Proposal" } " a rule found, not yet accepted; "
                    span.legend-item.accepted { "Accepted" } " by a curator. Point at a position to read its passage; follow it to open the document there."
                }
            }
            @if pages > 1 {
                (summary(page, &page_url))
                p.page-range { "Positions " (first) "–" (last) " of " (page.total) " (page " (current) " of " (pages) ")" }
            }
            @if !any && page.total > 0 {
                p.no-positions { "There is no page " (current) " of this issue’s positions: it has " (pages) "." }
            } @else if !any {
                p.no-positions { "No positions of this issue are recorded"
                    @if shown != StatusParam::All { " with the statuses shown" } "." }
            } @else {
                table.ledger {
                    caption.visually-hidden { "Positions on " (issue.title) ", parties by year" }
                    thead {
                        tr {
                            th scope="col" { "Party" }
                            @for c in &l.columns { th scope="col" { (c) } }
                        }
                    }
                    tbody {
                        @for row in &l.rows {
                            tr.party-row {
                                th scope="row" { (row.party.name) }
                                @for (col, cell) in l.columns.iter().zip(&row.cells) {
                                    td data-col=(col) {
                                        @if cell.is_empty() {
                                            span.empty { span aria-hidden="true" { "—" } span.visually-hidden { "no position" } }
                                        } @else {
                                            ul.positions {
                                                @for p in cell { (position_item(p, titles, marks.get(p.id.as_str()))) }
                                            }
                                        }
                                    }
                                }
                            }
                            @let changed: Vec<String> = row.changes.iter().filter(|c| c.changed()).map(|c| c.describe()).collect();
                            @if !changed.is_empty() {
                                tr.change-row {
                                    td colspan=(span) {
                                        span.change-h { (row.party.name) ", conditions changed: " }
                                        @for (i, d) in changed.iter().enumerate() {
                                            @if i > 0 { "; " }
                                            mark.change { (d) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (page_links(current, pages, "Pages of positions", &page_url))
        },
    )
}

/// A position stated by a document, with the names the document page shows.
#[derive(Debug, Clone)]
pub struct DocPosition {
    pub position: Position,
    pub issue_title: String,
}

/// The positions of a document (not rejected), for its page.
#[derive(Debug, Clone, Default)]
pub struct DocLedger {
    pub positions: Vec<DocPosition>,
}

impl DocLedger {
    /// The positions of the block at `path` (none in a note).
    pub fn of_block<'a>(&'a self, path: &'a [usize]) -> impl Iterator<Item = &'a DocPosition> + 'a {
        self.positions.iter().filter(move |d| d.position.source.note.is_none() && d.position.source.block == path)
    }

    /// The positions stated in note `n`.
    pub fn of_note<'a>(&'a self, n: &'a str) -> impl Iterator<Item = &'a DocPosition> + 'a {
        self.positions.iter().filter(move |d| d.position.source.note.as_deref() == Some(n))
    }
}

/// The compact mark beside a passage of the document page: for each issue, the parties whose
/// positions the passage states, each with its status and conditions, the issue linked to the
/// first of them on the issue page.
pub fn passage_mark<'a>(positions: impl Iterator<Item = &'a DocPosition>) -> Option<Markup> {
    let mut groups: Vec<(&str, Vec<&DocPosition>)> = Vec::new();
    for d in positions {
        match groups.iter_mut().find(|(issue, _)| *issue == d.position.issue) {
            Some((_, g)) => g.push(d),
            None => groups.push((&d.position.issue, vec![d])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let n: usize = groups.iter().map(|(_, g)| g.len()).sum();
    // A disclosure (issue 16): open in the margin on wide screens, a small marker beside the
    // passage on a phone (app.js opens or closes it by width), so marks never sit between
    // paragraphs there.
    Some(html! {
        div.ledger-mark role="note" aria-label="Issue ledger" {
            details.ledger-fold {
                summary { "Issue ledger (" (n) ")" }
                ul {
                    @for (_, g) in &groups {
                        @let proposed = g.iter().any(|d| d.position.status == Status::Proposed);
                        li.proposed[proposed] {
                            a href=(position_url(&g[0].position)) { (g[0].issue_title) } ": "
                            @for (i, d) in g.iter().enumerate() {
                                @let p = &d.position;
                                @if i > 0 { "; " }
                                (party_name(&p.party)) " ("
                                span.status-word { (status_words(p.status).to_lowercase()) }
                                @if !p.conditions.is_empty() {
                                    ", on condition: " (p.conditions.iter().map(condition_words).collect::<Vec<_>>().join("; "))
                                }
                                ")"
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The document page's "Positions" section: every position the document states, each with
/// a link to its passage above and to its issue.
pub fn positions_section(ledger: &DocLedger) -> Markup {
    html! {
        @if !ledger.positions.is_empty() {
            section.links.positions aria-labelledby="positions-h" {
                h2 #positions-h { "Positions" }
                p.help {
                    "What each party wanted, as the issue ledger records it from this document: "
                    "a rule’s proposal until a curator accepts it."
                }
                ul.link-list {
                    @for d in &ledger.positions {
                        @let p = &d.position;
                        li class=(status_class(p.status)) {
                            a href=(position_url(p)) { (d.issue_title) } ": " strong { (party_name(&p.party)) }
                            " · " span.status-badge { (status_words(p.status)) }
                            " · "
                            @match passage_anchor(&p.source) {
                                Some(target) => { a href=(format!("#{target}")) { (p.source.locator()) } }
                                None => { (p.source.locator()) }
                            }
                            br;
                            q.stance { (p.stance) }
                            @if !p.conditions.is_empty() {
                                br;
                                "On condition: " (p.conditions.iter().map(condition_words).collect::<Vec<_>>().join("; "))
                            }
                            br;
                            span.how {
                                "stated by " (stated_by_words(&p.stated_by)) " · reported by " (party_name(&p.reported_by))
                                " · " (origin_words(&p.origin))
                            }
                        }
                    }
                }
            }
        }
    }
}
