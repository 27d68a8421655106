//! chancery-ledger: the issue ledger — who wanted what, on what condition, when.
//!
//! Diplomatic documents record positions: what each party demanded, offered, conceded, and on
//! what condition. The ledger keeps them as data, each tied to the passage that states it:
//!
//! - an [`Issue`] ("Transfer of Habomai and Shikotan") with its [`Party`]s;
//! - a [`Position`]: issue, party, date (the document's), the stance in the source's words,
//!   its [`Condition`]s one by one (each with a normalized key such as `not-militarized`),
//!   who stated it and whose record reports it (a US memorandum reporting a Soviet offer is
//!   `reported_by: "usa"`, `party: "ussr"`), the exact passage ([`SourceRef`]: block path,
//!   printed paragraph label and item, note number, character offsets, text), its origin (an
//!   extraction rule or a person) and its [`Status`] (proposed, accepted, rejected);
//! - a [`Change`] for every addition, acceptance, rejection or edit, with who and when;
//! - [`condition_changes`]: how a party's conditions moved between consecutive dates ("1955:
//!   islands not militarized → 1960: all foreign troops withdrawn from Japan").
//!
//! Positions get in two ways: **candidate extraction by rule** ([`extract()`], [`Extractor`];
//! the rules and their limits are described in [`extract`'s module](mod@crate::extract)), which only
//! ever *proposes*; and **curation** by a person, who accepts, rejects, edits or adds
//! ([`Ledger`] is the reference of those rules: nothing is overwritten without a [`Change`],
//! and re-extraction never overrides a person's decision).
//!
//! The built-in issues, parties and rules are data written for this project
//! (`data/issues.toml`, `data/parties.toml`, `data/rules.toml`), compiled into the crate.
//!
//! This crate is pure: it never does SQL, HTTP, file I/O or format parsing, reads no clock
//! (callers supply timestamps), and never panics on a document.

pub mod data;
pub mod entry;
pub mod extract;
pub mod ledger;
pub mod model;
mod text;
pub mod view;

pub use data::{builtin_issues, builtin_parties, condition_label};
pub use entry::{condition_from_text, locate, PassageQuery};
pub use extract::{extract, Extractor, UNKNOWN_PARTY};
pub use ledger::{condition_changes, ConditionChange, Ledger, RULE_AUTHOR};
pub use model::{Action, Change, Condition, Issue, Origin, Party, Position, SourceRef, Span, Status};
pub use view::{issue_ledger, to_csv, IssueLedger, PartyRow, CSV_HEADER, UNDATED};

/// Errors of the ledger: bad rule or issue data, unknown or duplicate positions, changes that
/// change nothing, unparsable status or action names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// An issues, parties or rules file that does not parse or refers to unknown ids.
    #[error("ledger data: {0}")]
    Data(String),
    /// A name that is not a status or action.
    #[error("{0}")]
    Parse(String),
    #[error("no position {0:?}")]
    UnknownPosition(String),
    #[error("position {0:?} already exists")]
    DuplicatePosition(String),
    /// An accept of an accepted position, a reject of a rejected one, an edit that changes
    /// nothing.
    #[error("position {0:?}: nothing to change")]
    NoChange(String),
}
