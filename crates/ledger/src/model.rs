//! The ledger's data: issues, parties, positions with their conditions and sources, and the
//! record of every change a person makes.
//!
//! Everything here is plain data with serde derives, so the store can keep it as rows or JSON
//! and the API can return it as is. Field names are part of the JSON API: rename with care.

use std::fmt;
use std::str::FromStr;

use chancery_model::DateInterval;
use serde::{Deserialize, Serialize};

/// A party to an issue: a government or other actor whose positions the ledger records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Party {
    /// Stable id: "ussr", "japan", "usa", "china", or any other slug.
    pub id: String,
    /// Display name: "Soviet Union".
    pub name: String,
}

/// A question the parties take positions on ("Transfer of Habomai and Shikotan").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable slug used in URLs and the CLI: "habomai-shikotan".
    pub id: String,
    /// "Transfer of Habomai and Shikotan".
    pub title: String,
    /// One or two sentences saying what is at stake.
    pub description: String,
    /// The parties shown as rows of the issue's ledger, in display order.
    pub parties: Vec<Party>,
    /// Words that assign a passage to this issue (cue syntax: see `data/issues.toml`).
    /// An issue without cues is never found by extraction; positions can still be entered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
    /// When not empty, a paragraph is only assigned by a cue if it also contains one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// Phrases that carry the issue over from one of the two preceding passages
    /// ("these islands").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anaphora: Vec<String>,
}

impl Issue {
    /// The party of this issue with the given id.
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id == id)
    }
}

/// What a party wanted, offered or refused on one issue at one time, tied to the passage that
/// states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Stable id. Extracted candidates get `{document}#{unit}/{issue}/{party}` (see
    /// [`SourceRef::unit`]), so extracting the same document again yields the same ids and a
    /// person's decisions stay attached to them.
    pub id: String,
    /// The issue's id.
    pub issue: String,
    /// The id of the party whose position this is.
    pub party: String,
    /// When: the date of the source document (an interval, with its wording).
    pub date: Option<DateInterval>,
    /// The position in the source's own words: a verbatim excerpt of the passage.
    pub stance: String,
    /// The conditions attached to it, one item each.
    pub conditions: Vec<Condition>,
    /// Who stated it: a person or office as printed ("Malik", "Shigemitsu", "EE") or, when the
    /// passage names only the party, the party id.
    pub stated_by: String,
    /// Whose record this is: the party that wrote the document ("usa" for a FRUS memorandum
    /// reporting a Soviet offer; "ussr" for a note from a Soviet archive), or "unknown".
    pub reported_by: String,
    /// The document and exact passage.
    pub source: SourceRef,
    /// Whether a rule proposed it or a person entered it.
    pub origin: Origin,
    pub status: Status,
}

/// A condition a position is subject to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Condition {
    /// The source's words ("Japan's not militarizing these islands").
    pub text: String,
    /// A normalized short form for comparing conditions across documents
    /// ("not-militarized", "foreign-troops-withdrawn", "peace-treaty-signed"); for a condition
    /// no rule knows, a slug of its first content words.
    pub key: String,
}

/// Where a position is stated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The document id (`frus1955-57v23p1/d52`, `wilson-center/300264`).
    pub document: String,
    /// Index path of the block within `Document::body` (`[4, 2]`: the third child of the fifth
    /// block); empty when the passage is in a note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub block: Vec<usize>,
    /// The block's printed label ("3."), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The printed label of an enumerated item inside the paragraph ("(c)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// The 1-based number of a clause in an unlabelled list inside the paragraph ("have agreed
    /// on the following: x; y; z").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<usize>,
    /// The note number when the passage is in a note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Character offsets of the passage: into `Document::text` for a body passage, into the
    /// note's `text` for a note passage. `None` when the document was not finalized and the
    /// passage could not be located.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The exact passage text (equal to the spanned text when `span` is set).
    pub text: String,
}

/// A half-open range of character (not byte) offsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl SourceRef {
    /// A compact passage id inside the document, used in position ids: `b4.2(c)` (block path
    /// and part), `b4.1:2` (second clause of a list), `n6` (note 6).
    pub fn unit(&self) -> String {
        let mut s = match &self.note {
            Some(n) => format!("n{n}"),
            None => format!("b{}", self.block.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(".")),
        };
        if let Some(p) = &self.part {
            s.push_str(p);
        }
        if let Some(c) = self.clause {
            s.push_str(&format!(":{c}"));
        }
        s
    }

    /// A human locator for citations and the issue page: "¶3(c)", "¶2, clause 1", "n. 6",
    /// "block 3" (an unlabelled paragraph, 1-based).
    pub fn locator(&self) -> String {
        let mut s = match (&self.note, &self.label) {
            (Some(n), _) => format!("n. {n}"),
            (None, Some(l)) => format!("¶{}", l.trim_end_matches('.')),
            (None, None) => {
                format!("block {}", self.block.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join("."))
            }
        };
        if let Some(p) = &self.part {
            s.push_str(p);
        }
        if let Some(c) = self.clause {
            s.push_str(&format!(", clause {c}"));
        }
        s
    }
}

/// How a position came into the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Proposed by an extraction rule (its id in `data/rules.toml`, e.g. "en.willingness").
    Rule { rule: String },
    /// Entered by a person.
    Person { name: String },
}

/// Where a position stands in curation. Rule candidates start as `Proposed`; a person accepts
/// or rejects them. Who did so, and when, is in the [`Change`] history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Proposed,
    Accepted,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = crate::LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "proposed" => Ok(Status::Proposed),
            "accepted" => Ok(Status::Accepted),
            "rejected" => Ok(Status::Rejected),
            _ => Err(crate::LedgerError::Parse(format!("unknown status {s:?} (proposed, accepted, rejected)"))),
        }
    }
}

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A position entered the ledger (by a person, or a rule during ingest).
    Add,
    Accept,
    Reject,
    /// Any other modification (stance, conditions, party, issue, date…), or a rule candidate
    /// replaced by a newer extraction.
    Edit,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Edit => "edit",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = crate::LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "add" => Ok(Action::Add),
            "accept" => Ok(Action::Accept),
            "reject" => Ok(Action::Reject),
            "edit" => Ok(Action::Edit),
            _ => Err(crate::LedgerError::Parse(format!("unknown action {s:?} (add, accept, reject, edit)"))),
        }
    }
}

/// One entry of the ledger's history: nothing is overwritten without one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// When, as an RFC 3339 timestamp supplied by the caller (this crate reads no clock).
    pub at: String,
    /// Who: a person's name or API token owner, or "rule" for extraction during ingest.
    pub by: String,
    pub action: Action,
    /// The id of the position changed.
    pub position: String,
    /// The position before the change (`None` for `add`).
    pub before: Option<Position>,
    /// The position after the change.
    pub after: Option<Position>,
}
