//! An issue's ledger arranged for display and export: parties as rows, years as columns,
//! each cell the positions of that party in that year, with the condition changes per party.
//! The CLI, the API and the `/issue/{id}` page all show this one arrangement; CSV export is
//! here too so that they write the same columns.

use serde::{Deserialize, Serialize};

use crate::data::builtin_parties;
use crate::ledger::{condition_changes, ConditionChange};
use crate::model::{Issue, Origin, Party, Position};

/// The column heading of undated positions.
pub const UNDATED: &str = "undated";

/// One issue's positions as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueLedger {
    pub issue: Issue,
    /// Column headings: the years that have positions, ascending, then [`UNDATED`] if any
    /// position has no date.
    pub columns: Vec<String>,
    pub rows: Vec<PartyRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRow {
    pub party: Party,
    /// One cell per column: the party's positions of that year, ordered by date.
    pub cells: Vec<Vec<Position>>,
    /// Condition changes between consecutive dated positions of the party.
    pub changes: Vec<ConditionChange>,
}

/// Arrange positions of one issue (positions of other issues are ignored). Rows follow the
/// issue's parties, then any other party holding a position, by id. Pass the positions to show
/// (e.g. the accepted ones, or all but the rejected).
pub fn issue_ledger(issue: &Issue, positions: &[Position]) -> IssueLedger {
    let mine: Vec<&Position> = positions.iter().filter(|p| p.issue == issue.id).collect();
    let column_of = |p: &Position| p.date.as_ref().and_then(|d| d.from.get(..4)).unwrap_or(UNDATED).to_string();
    let mut years: Vec<String> = mine.iter().map(|p| column_of(p)).filter(|c| c != UNDATED).collect();
    years.sort();
    years.dedup();
    if mine.iter().any(|p| column_of(p) == UNDATED) {
        years.push(UNDATED.to_string());
    }
    let mut parties: Vec<Party> = issue.parties.clone();
    let mut extra: Vec<String> =
        mine.iter().map(|p| p.party.clone()).filter(|id| !parties.iter().any(|x| &x.id == id)).collect();
    extra.sort();
    extra.dedup();
    let known = builtin_parties();
    for id in extra {
        let name = known.iter().find(|k| k.id == id).map_or_else(|| id.clone(), |k| k.name.clone());
        parties.push(Party { id, name });
    }
    let rows = parties
        .into_iter()
        .map(|party| {
            let of_party: Vec<Position> = mine.iter().filter(|p| p.party == party.id).map(|p| (*p).clone()).collect();
            let cells = years
                .iter()
                .map(|col| {
                    let mut cell: Vec<Position> = of_party.iter().filter(|p| &column_of(p) == col).cloned().collect();
                    cell.sort_by(|a, b| a.date.as_ref().map(|d| &d.from).cmp(&b.date.as_ref().map(|d| &d.from)));
                    cell
                })
                .collect();
            let changes = condition_changes(&of_party);
            PartyRow { party, cells, changes }
        })
        .collect();
    IssueLedger { issue: issue.clone(), columns: years, rows }
}

/// The CSV header of [`to_csv`].
pub const CSV_HEADER: &[&str] = &[
    "id",
    "issue",
    "party",
    "date_from",
    "date_to",
    "date_text",
    "stance",
    "condition_keys",
    "conditions",
    "stated_by",
    "reported_by",
    "document",
    "locator",
    "span_start",
    "span_end",
    "origin",
    "rule_or_person",
    "status",
];

/// Positions as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed),
/// with the columns of [`CSV_HEADER`]. Several conditions are separated by " | " (texts) and
/// ";" (keys).
pub fn to_csv(positions: &[Position]) -> String {
    let mut out = String::new();
    line(&mut out, CSV_HEADER.iter().map(|s| s.to_string()));
    for p in positions {
        let (origin, who) = match &p.origin {
            Origin::Rule { rule } => ("rule", rule.clone()),
            Origin::Person { name } => ("person", name.clone()),
        };
        let d = p.date.as_ref();
        line(
            &mut out,
            [
                p.id.clone(),
                p.issue.clone(),
                p.party.clone(),
                d.map(|d| d.from.clone()).unwrap_or_default(),
                d.map(|d| d.to.clone()).unwrap_or_default(),
                d.map(|d| d.text.clone()).unwrap_or_default(),
                p.stance.clone(),
                p.conditions.iter().map(|c| c.key.as_str()).collect::<Vec<_>>().join(";"),
                p.conditions.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | "),
                p.stated_by.clone(),
                p.reported_by.clone(),
                p.source.document.clone(),
                p.source.locator(),
                p.source.span.map(|s| s.start.to_string()).unwrap_or_default(),
                p.source.span.map(|s| s.end.to_string()).unwrap_or_default(),
                origin.to_string(),
                who,
                p.status.to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}
