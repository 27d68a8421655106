//! The issue ledger in the JSON API (issue 6): issues, an issue's table, positions with their
//! history (reads, open to all), and curation (writes: accept, reject, edit, add), which need
//! a bearer token the server was given (see [`crate::auth`]).
//!
//! The ledger crate's types are mirrored here, so the API has an OpenAPI schema of its own and
//! adds what a client would otherwise have to compute: labels of conditions, party names,
//! locators ("¶3(c)"), the described condition changes, and the URLs of the passage, the
//! position on its issue page and the position in the API.

use std::collections::HashMap;

use chancery_core::{Change, Position};
use chancery_ledger::{condition_label, Condition, ConditionChange, Issue, Origin, Party};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiDate;
use crate::issues::{
    issue_api_url, issue_csv_url, issue_url, party_name, passage_anchor, passage_url, position_api_url, position_url,
    Counts, IssuePage,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiParty {
    /// "ussr", "japan", "usa"…
    pub id: String,
    /// "Soviet Union".
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStatusCounts {
    pub proposed: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// An issue of the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiIssue {
    /// Slug used in URLs ("habomai-shikotan").
    pub id: String,
    pub title: String,
    pub description: String,
    /// The parties shown as rows of its table, in order.
    pub parties: Vec<ApiParty>,
    /// Its positions by status (only in `/api/issues`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<ApiStatusCounts>,
    /// The issue's page in the reading room.
    pub url: String,
    /// Its table as JSON.
    pub api_url: String,
    /// Its table as CSV.
    pub csv_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCondition {
    /// The source's words.
    pub text: String,
    /// Normalized key for comparing conditions across documents ("not-militarized").
    pub key: String,
    /// The key's label ("islands not militarized"), when the built-in rules have one.
    pub label: Option<String>,
}

/// Where a position is stated.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSource {
    /// The document id.
    pub document: String,
    /// The document's title, when the archive holds it.
    pub document_title: Option<String>,
    /// Index path of the block in the document's body (`[4, 2]`); empty for a note.
    pub block: Vec<usize>,
    /// The paragraph's printed label ("3.").
    pub label: Option<String>,
    /// An enumerated item inside the paragraph ("(c)").
    pub part: Option<String>,
    /// A clause number in an unlabelled list inside the paragraph.
    pub clause: Option<usize>,
    /// The note number, for a passage in a note.
    pub note: Option<String>,
    /// Character offsets into the document's text (or the note's text), half-open.
    pub span_start: Option<usize>,
    pub span_end: Option<usize>,
    /// The exact passage.
    pub text: String,
    /// The passage for people: "¶3(c)", "n. 6", "block 3".
    pub locator: String,
    /// The anchor of the passage on the document page (`b4.2`, `fn-6`).
    pub anchor: Option<String>,
    /// The document page at the passage.
    pub url: String,
}

/// A rule ("rule", with its id) or a person ("person", with a name) put the position in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrigin {
    /// "rule" or "person".
    pub kind: String,
    /// The extraction rule's id (kind "rule").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Who entered it (kind "person").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What a party wanted on an issue, on what conditions, when, tied to its passage.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPosition {
    /// Stable id (`frus1955-57v23p1/d52#b4.2(c)/habomai-shikotan/ussr`); percent-encode it in
    /// URLs ('#' as %23).
    pub id: String,
    pub issue: String,
    pub party: String,
    pub party_name: String,
    /// The source document's date.
    pub date: Option<ApiDate>,
    /// The position in the source's own words.
    pub stance: String,
    pub conditions: Vec<ApiCondition>,
    /// Who stated it: a person or office as printed, or a party id.
    pub stated_by: String,
    /// Whose record the document is (a party id, or "unknown"): a US memorandum reporting a
    /// Soviet offer is `party: "ussr"`, `reported_by: "usa"`.
    pub reported_by: String,
    pub reported_by_name: String,
    pub source: ApiSource,
    pub origin: ApiOrigin,
    /// proposed (by a rule, not yet curated), accepted, rejected.
    pub status: String,
    /// The position on its issue page.
    pub url: String,
    /// This position (with its history) in the API.
    pub api_url: String,
}

/// How a party's conditions moved between two consecutive dated steps of its positions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiConditionChange {
    pub from_positions: Vec<String>,
    pub to_positions: Vec<String>,
    pub from_date: ApiDate,
    pub to_date: ApiDate,
    /// Conditions of the later step the earlier did not have.
    pub added: Vec<ApiCondition>,
    /// Conditions of the earlier step the later does not have.
    pub removed: Vec<ApiCondition>,
    pub kept: Vec<ApiCondition>,
    /// A condition was added or removed.
    pub changed: bool,
    /// "1955: islands not militarized → 1960: all foreign troops withdrawn from Japan".
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPartyRow {
    pub party: ApiParty,
    /// One cell per column: the party's positions of that year, by date.
    pub cells: Vec<Vec<ApiPosition>>,
    pub changes: Vec<ApiConditionChange>,
}

/// One issue's positions as a table: parties (rows) by years (columns), one page of positions
/// at a time (`offset`, `limit`; the positions taken year by year, party by party, by date).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiIssueLedger {
    pub issue: ApiIssue,
    /// The statuses shown (`status` parameter; by default proposed and accepted).
    pub statuses: Vec<String>,
    /// Positions with these statuses in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    /// Column headings of this page: years, then "undated" if a position of the page has no
    /// date.
    pub columns: Vec<String>,
    /// This page's positions; each row's condition changes are those that concern them.
    pub rows: Vec<ApiPartyRow>,
    /// The whole issue at a glance: its columns, and per party the number of positions in
    /// each.
    pub all_columns: Vec<String>,
    pub counts: Vec<ApiPartyCounts>,
}

/// A party's number of positions per column of the whole issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPartyCounts {
    pub party: ApiParty,
    pub counts: Vec<usize>,
}

/// A page of positions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPositions {
    /// Positions matching the filters.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub positions: Vec<ApiPosition>,
}

/// One change of the ledger: who, when, what, and the position before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiChange {
    /// RFC 3339 UTC timestamp.
    pub at: String,
    /// The API token's name, a curator's name, or "rule" (extraction during ingest).
    pub by: String,
    /// add, accept, reject, edit.
    pub action: String,
    /// The position's id.
    pub position: String,
    pub before: Option<ApiPosition>,
    pub after: Option<ApiPosition>,
}

/// A position and every change made to it, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPositionHistory {
    pub position: ApiPosition,
    pub history: Vec<ApiChange>,
}

/// Where in a document a passage is: a quotation, a printed paragraph number, a note number
/// (give at least one).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiPassageQuery {
    /// Words quoted from the passage (case and spacing are not significant).
    pub quote: Option<String>,
    /// The paragraph's printed number ("3").
    pub paragraph: Option<String>,
    /// A note number.
    pub note: Option<String>,
}

/// Its schema, by hand: at least one of the three, each a string (a passage of nothing is
/// refused, so the document must not allow it).
impl utoipa::PartialSchema for ApiPassageQuery {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let field = |d: &str| ObjectBuilder::new().schema_type(Type::String).description(Some(d));
        ObjectBuilder::new()
            .description(Some("Where in the document: give a quote, a paragraph or a note (at least one)."))
            .property("quote", field("Words quoted from the passage (case and spacing are not significant)."))
            .property("paragraph", field("The paragraph's printed number (\"3\")."))
            .property("note", field("A note number."))
            .min_properties(Some(1))
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl utoipa::ToSchema for ApiPassageQuery {}

impl ApiPassageQuery {
    pub fn into_query(self) -> Result<chancery_core::PassageQuery, String> {
        if self.quote.is_none() && self.paragraph.is_none() && self.note.is_none() {
            return Err("passage: give a quote, a paragraph or a note".to_string());
        }
        Ok(chancery_core::PassageQuery { quote: self.quote, paragraph: self.paragraph, note: self.note })
    }
}

/// A position entered by hand (`POST /api/positions`). It is stored as accepted, entered by
/// the token's owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiNewPosition {
    /// An issue id (`/api/issues`).
    #[schema(pattern = r"\S")]
    pub issue: String,
    /// One of the issue's parties.
    #[schema(pattern = r"\S")]
    pub party: String,
    /// The id of a document the archive holds.
    #[schema(pattern = r"\S")]
    pub document: String,
    pub passage: ApiPassageQuery,
    /// The stance in the source's words (default: the passage).
    #[schema(pattern = r"\S")]
    pub stance: Option<String>,
    /// The conditions, one item each, in the source's words.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Who stated it (default: the party).
    pub stated_by: Option<String>,
    /// Whose record the document is (default: found from the document).
    pub reported_by: Option<String>,
}

/// Changes to a position (`POST /api/position/{id}/edit`); fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiPositionEdit {
    #[schema(pattern = r"\S")]
    pub issue: Option<String>,
    #[schema(pattern = r"\S")]
    pub party: Option<String>,
    #[schema(pattern = r"\S")]
    pub stance: Option<String>,
    /// The whole new list of conditions (empty: none).
    pub conditions: Option<Vec<String>>,
    #[schema(pattern = r"\S")]
    pub stated_by: Option<String>,
    #[schema(pattern = r"\S")]
    pub reported_by: Option<String>,
    /// Another passage of the same document.
    pub passage: Option<ApiPassageQuery>,
}

impl ApiPositionEdit {
    pub fn into_edit(self) -> Result<chancery_core::PositionEdit, String> {
        Ok(chancery_core::PositionEdit {
            issue: self.issue,
            party: self.party,
            stance: self.stance,
            conditions: self.conditions,
            stated_by: self.stated_by,
            reported_by: self.reported_by,
            passage: self.passage.map(ApiPassageQuery::into_query).transpose()?,
        })
    }
}

fn party(p: &Party) -> ApiParty {
    ApiParty { id: p.id.clone(), name: p.name.clone() }
}

fn date(d: &chancery_model::DateInterval) -> ApiDate {
    ApiDate { from: d.from.clone(), to: d.to.clone(), text: d.text.clone() }
}

pub fn condition(c: &Condition) -> ApiCondition {
    ApiCondition { text: c.text.clone(), key: c.key.clone(), label: condition_label(&c.key).map(str::to_string) }
}

pub fn issue(i: &Issue, counts: Option<Counts>) -> ApiIssue {
    ApiIssue {
        id: i.id.clone(),
        title: i.title.clone(),
        description: i.description.clone(),
        parties: i.parties.iter().map(party).collect(),
        counts: counts.map(|c| ApiStatusCounts { proposed: c.proposed, accepted: c.accepted, rejected: c.rejected }),
        url: issue_url(&i.id),
        api_url: issue_api_url(&i.id),
        csv_url: issue_csv_url(&i.id),
    }
}

/// Document titles by id, for the sources of positions.
pub type Titles = HashMap<String, String>;

pub fn position(p: &Position, titles: &Titles) -> ApiPosition {
    let s = &p.source;
    ApiPosition {
        id: p.id.clone(),
        issue: p.issue.clone(),
        party: p.party.clone(),
        party_name: party_name(&p.party),
        date: p.date.as_ref().map(date),
        stance: p.stance.clone(),
        conditions: p.conditions.iter().map(condition).collect(),
        stated_by: p.stated_by.clone(),
        reported_by: p.reported_by.clone(),
        reported_by_name: party_name(&p.reported_by),
        source: ApiSource {
            document: s.document.clone(),
            document_title: titles.get(&s.document).cloned(),
            block: s.block.clone(),
            label: s.label.clone(),
            part: s.part.clone(),
            clause: s.clause,
            note: s.note.clone(),
            span_start: s.span.map(|x| x.start),
            span_end: s.span.map(|x| x.end),
            text: s.text.clone(),
            locator: s.locator(),
            anchor: passage_anchor(s),
            url: passage_url(s),
        },
        origin: match &p.origin {
            Origin::Rule { rule } => ApiOrigin { kind: "rule".into(), rule: Some(rule.clone()), name: None },
            Origin::Person { name } => ApiOrigin { kind: "person".into(), rule: None, name: Some(name.clone()) },
        },
        status: p.status.as_str().to_string(),
        url: position_url(p),
        api_url: position_api_url(&p.id),
    }
}

fn condition_change(c: &ConditionChange) -> ApiConditionChange {
    ApiConditionChange {
        from_positions: c.from_positions.clone(),
        to_positions: c.to_positions.clone(),
        from_date: date(&c.from_date),
        to_date: date(&c.to_date),
        added: c.added.iter().map(condition).collect(),
        removed: c.removed.iter().map(condition).collect(),
        kept: c.kept.iter().map(condition).collect(),
        changed: c.changed(),
        description: c.describe(),
    }
}

pub fn issue_ledger(page: &IssuePage, statuses: Vec<String>, titles: &Titles) -> ApiIssueLedger {
    let l = &page.table;
    ApiIssueLedger {
        issue: issue(&l.issue, None),
        statuses,
        total: page.total,
        offset: page.paging.offset,
        limit: page.paging.size,
        all_columns: page.columns.clone(),
        counts: page.counts.iter().map(|(p, c)| ApiPartyCounts { party: party(p), counts: c.clone() }).collect(),
        columns: l.columns.clone(),
        rows: l
            .rows
            .iter()
            .map(|r| ApiPartyRow {
                party: party(&r.party),
                cells: r.cells.iter().map(|c| c.iter().map(|p| position(p, titles)).collect()).collect(),
                changes: r.changes.iter().map(condition_change).collect(),
            })
            .collect(),
    }
}

pub fn change(c: &Change, titles: &Titles) -> ApiChange {
    ApiChange {
        at: c.at.clone(),
        by: c.by.clone(),
        action: c.action.as_str().to_string(),
        position: c.position.clone(),
        before: c.before.as_ref().map(|p| position(p, titles)),
        after: c.after.as_ref().map(|p| position(p, titles)),
    }
}

// The routes themselves, with their OpenAPI descriptions, are the handlers in lib.rs.
