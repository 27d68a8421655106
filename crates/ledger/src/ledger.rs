//! Curation with a full history ([`Ledger`]) and the comparison of a party's conditions over
//! time ([`condition_changes`]).
//!
//! The [`Ledger`] here is an in-memory reference of the rules the store must follow: every
//! change is a [`Change`] with who, when, and the position before and after; nothing is
//! removed; re-extraction never overrides what a person decided.

use std::collections::BTreeMap;

use chancery_model::DateInterval;
use serde::{Deserialize, Serialize};

use crate::data::condition_label;
use crate::model::{Action, Change, Condition, Origin, Position, Status};
use crate::LedgerError;

/// The author recorded for changes made by extraction.
pub const RULE_AUTHOR: &str = "rule";

/// How a party's conditions changed between two consecutive dated steps of its positions on
/// one issue ("1955: islands not militarized → 1960: all foreign troops withdrawn").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionChange {
    /// The positions of the earlier step (same date interval), in the order given.
    pub from_positions: Vec<String>,
    /// The positions of the later step.
    pub to_positions: Vec<String>,
    pub from_date: DateInterval,
    pub to_date: DateInterval,
    /// Conditions of the later step whose key the earlier step does not have.
    pub added: Vec<Condition>,
    /// Conditions of the earlier step whose key the later step does not have.
    pub removed: Vec<Condition>,
    /// Conditions present in both (as worded in the later step).
    pub kept: Vec<Condition>,
}

impl ConditionChange {
    /// True when a condition was added or removed.
    pub fn changed(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty()
    }

    /// "1955: islands not militarized → 1960: all foreign troops withdrawn from Japan" (removed
    /// conditions → added ones, by their labels, or their text for keys without a label).
    pub fn describe(&self) -> String {
        let names = |cs: &[Condition]| {
            if cs.is_empty() {
                "—".to_string()
            } else {
                cs.iter().map(|c| condition_label(&c.key).unwrap_or(&c.text).to_string()).collect::<Vec<_>>().join(", ")
            }
        };
        let year = |d: &DateInterval| d.from.get(..4).unwrap_or(&d.from).to_string();
        format!("{}: {} → {}: {}", year(&self.from_date), names(&self.removed), year(&self.to_date), names(&self.added))
    }
}

/// Compare the conditions of consecutive positions of one party on one issue.
///
/// Positions are grouped into steps by date interval (two witnesses of one memorandum, or two
/// paragraphs of it, are one step) and the steps ordered by date; a condition is identified by
/// its key. Undated positions, and steps whose positions state no condition at all, are left
/// out: silence is not a withdrawal of conditions. Pass the positions you want compared
/// (typically the accepted ones of one party); the order given does not matter.
pub fn condition_changes(positions: &[Position]) -> Vec<ConditionChange> {
    let mut steps: Vec<(DateInterval, Vec<String>, Vec<Condition>)> = Vec::new();
    for p in positions {
        let Some(date) = &p.date else { continue };
        let step = match steps.iter().position(|(d, _, _)| d.from == date.from && d.to == date.to) {
            Some(i) => i,
            None => {
                steps.push((date.clone(), Vec::new(), Vec::new()));
                steps.len() - 1
            }
        };
        let (_, ids, conds) = &mut steps[step];
        ids.push(p.id.clone());
        for c in &p.conditions {
            if !conds.iter().any(|x| x.key == c.key) {
                conds.push(c.clone());
            }
        }
    }
    steps.retain(|(_, _, c)| !c.is_empty());
    steps.sort_by(|a, b| (&a.0.from, &a.0.to).cmp(&(&b.0.from, &b.0.to)));
    steps
        .windows(2)
        .map(|w| {
            let (fd, fids, fc) = &w[0];
            let (td, tids, tc) = &w[1];
            ConditionChange {
                from_positions: fids.clone(),
                to_positions: tids.clone(),
                from_date: fd.clone(),
                to_date: td.clone(),
                added: tc.iter().filter(|c| !fc.iter().any(|x| x.key == c.key)).cloned().collect(),
                removed: fc.iter().filter(|c| !tc.iter().any(|x| x.key == c.key)).cloned().collect(),
                kept: tc.iter().filter(|c| fc.iter().any(|x| x.key == c.key)).cloned().collect(),
            }
        })
        .collect()
}

/// Positions and their complete change history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    positions: BTreeMap<String, Position>,
    history: Vec<Change>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// A ledger from stored positions and history (as the store keeps them).
    pub fn from_parts(positions: Vec<Position>, history: Vec<Change>) -> Ledger {
        Ledger { positions: positions.into_iter().map(|p| (p.id.clone(), p)).collect(), history }
    }

    pub fn get(&self, id: &str) -> Option<&Position> {
        self.positions.get(id)
    }

    /// Every position, by id.
    pub fn positions(&self) -> impl Iterator<Item = &Position> {
        self.positions.values()
    }

    /// Every change, oldest first.
    pub fn history(&self) -> &[Change] {
        &self.history
    }

    /// The changes of one position, oldest first.
    pub fn history_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.history.iter().filter(move |c| c.position == id)
    }

    /// Add a new position (a person's entry, or a rule's candidate).
    pub fn add(&mut self, p: Position, at: &str, by: &str) -> Result<Change, LedgerError> {
        if self.positions.contains_key(&p.id) {
            return Err(LedgerError::DuplicatePosition(p.id));
        }
        Ok(self.record(at, by, Action::Add, None, p))
    }

    /// A person accepts a position.
    pub fn accept(&mut self, id: &str, at: &str, by: &str) -> Result<Change, LedgerError> {
        self.set_status(id, Status::Accepted, Action::Accept, at, by)
    }

    /// A person rejects a position; it stays in the ledger, marked rejected.
    pub fn reject(&mut self, id: &str, at: &str, by: &str) -> Result<Change, LedgerError> {
        self.set_status(id, Status::Rejected, Action::Reject, at, by)
    }

    /// Replace a position by an edited version with the same id.
    pub fn edit(&mut self, p: Position, at: &str, by: &str) -> Result<Change, LedgerError> {
        let before = self.positions.get(&p.id).ok_or_else(|| LedgerError::UnknownPosition(p.id.clone()))?.clone();
        if before == p {
            return Err(LedgerError::NoChange(p.id));
        }
        Ok(self.record(at, by, Action::Edit, Some(before), p))
    }

    /// Merge the candidates extracted from one document: new candidates are added, candidates
    /// no person has touched are updated, and earlier rule candidates of that document that
    /// extraction no longer yields and no person has touched are marked rejected by
    /// [`RULE_AUTHOR`]. Anything a person added, accepted, rejected or edited is left as it is.
    pub fn propose(&mut self, document: &str, candidates: Vec<Position>, at: &str) -> Vec<Change> {
        let mut changes = Vec::new();
        let fresh: Vec<String> = candidates.iter().map(|p| p.id.clone()).collect();
        for p in candidates {
            match self.positions.get(&p.id) {
                None => changes.push(self.record(at, RULE_AUTHOR, Action::Add, None, p)),
                Some(old) if *old != p && !self.touched(&p.id) => {
                    let before = old.clone();
                    changes.push(self.record(at, RULE_AUTHOR, Action::Edit, Some(before), p));
                }
                Some(_) => {}
            }
        }
        let stale: Vec<Position> = self
            .positions
            .values()
            .filter(|p| p.source.document == document && !fresh.contains(&p.id))
            .filter(|p| matches!(p.origin, Origin::Rule { .. }) && p.status == Status::Proposed)
            .filter(|p| !self.touched(&p.id))
            .cloned()
            .collect();
        for before in stale {
            let mut after = before.clone();
            after.status = Status::Rejected;
            changes.push(self.record(at, RULE_AUTHOR, Action::Reject, Some(before), after));
        }
        changes
    }

    /// True when a person (not extraction) has changed the position, or it is a person's entry.
    pub fn touched(&self, id: &str) -> bool {
        self.positions.get(id).is_some_and(|p| matches!(p.origin, Origin::Person { .. }))
            || self.history_of(id).any(|c| c.by != RULE_AUTHOR)
    }

    fn set_status(
        &mut self,
        id: &str,
        status: Status,
        action: Action,
        at: &str,
        by: &str,
    ) -> Result<Change, LedgerError> {
        let before = self.positions.get(id).ok_or_else(|| LedgerError::UnknownPosition(id.to_string()))?.clone();
        if before.status == status {
            return Err(LedgerError::NoChange(id.to_string()));
        }
        let mut after = before.clone();
        after.status = status;
        Ok(self.record(at, by, action, Some(before), after))
    }

    fn record(&mut self, at: &str, by: &str, action: Action, before: Option<Position>, after: Position) -> Change {
        let change = Change {
            at: at.to_string(),
            by: by.to_string(),
            action,
            position: after.id.clone(),
            before,
            after: Some(after.clone()),
        };
        self.positions.insert(after.id.clone(), after);
        self.history.push(change.clone());
        change
    }
}
