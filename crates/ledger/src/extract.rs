//! Rule-based candidate extraction: a document in, proposed positions out.
//!
//! # How a passage becomes a position
//! 1. **Passages.** Every paragraph, list item, quotation paragraph and postscript of the body,
//!    and every note except the source note, is a passage. A passage with an enumeration
//!    ("The major issues outstanding are: (a) … (b) … and (c) …") or a list of clauses after a
//!    colon ("have substantially agreed on the following: x; y; z") is cut into its parts; the
//!    text before the first part is its introduction.
//! 2. **Issues.** A part belongs to an issue when it contains one of the issue's cue words
//!    (and, for issues with `context`, the paragraph contains a context word), when its
//!    introduction names the issue, or when it uses one of the issue's anaphora ("these
//!    islands") and one of the two preceding passages, or another part of the same paragraph,
//!    was about the issue. Notes only look back within themselves.
//! 3. **Relevant sentences.** Within a part, only sentences that name the issue (a cue word
//!    or an anaphor) count; a part that inherits its issue from the introduction counts whole.
//! 4. **Holders.** Each stance cue of `data/rules.toml` in a relevant sentence names a holder
//!    by its rule: the first party named in the clause before the cue ("the Soviet Union
//!    wants"), all parties named there ("Malik and Matsumoto have substantially agreed"), the
//!    party named right before it ("the Soviet condition that"), the first after it ("пожелании
//!    советского правительства"), or the document's own voice ("our views", "violates
//!    international law"; "we", "our" and "I" are that voice too). Stance cues of an
//!    introduction give their holders to every part. Names of people and offices count for their
//!    party (`data/parties.toml`: Malik → ussr, Shigemitsu → japan, EE → usa).
//! 5. **Conditions.** Each condition cue in a relevant sentence ("conditional on", "provided
//!    there is", "once a", "in the event of", "only after", "the … condition that", "must be
//!    withdrawn") yields the text up to the end of its clause; it is split at "and" when every
//!    piece has a known key ("a withdraw of all foreign troops … and a peace treaty is signed"
//!    → `foreign-troops-withdrawn`, `peace-treaty-signed`). A condition goes to the holders of
//!    the cues in its sentence (or, if there are none, to the passage's holders).
//! 6. **Positions.** One candidate per passage part, issue and party: the stance is the
//!    relevant sentences where the party holds a cue (narrowed to the party's clause when a
//!    sentence holds two parties: "…, while Japan objects to this provision"); the source is the
//!    part's exact text with its offsets; date from the document; reported by the party whose
//!    record the document is.
//!
//! # Whose record
//! A document is the record of the party whose `collections` prefix its collection or id
//! carries (FRUS → usa), else whose archive its `archive` field or source note names (RGANI →
//! ussr), else whose language its original is in; else "unknown" (and then positions held by
//! the document's own voice are not proposed).
//!
//! # Limits
//! - The rules know English and a little Russian; other languages yield nothing.
//! - A position is dated by its document. A note reporting a later conversation ("In telegram
//!   773 from Tokyo, September 22, …") gets the memorandum's date, not the conversation's.
//! - Subjects are found by position, not by parsing: "the first party named in the clause" is
//!   wrong for passive or inverted sentences ("the offer made by Malik was rejected").
//! - A predicted or reported stance ("Japan will almost certainly continue to reject …") is
//!   proposed like a stated one; telling them apart is left to the person who accepts it.
//! - Conditions of a promise being withdrawn ("our promise … in the event of a signed peace
//!   treaty is now being changed") are attached as if they were the position's conditions.
//! - Anaphora reach back two passages; a longer argument loses its issue.
//! - An introduction that itself states a position on an issue ("The Soviets want the islands
//!   back for these reasons: (a) … (b) …") yields one candidate per part, not one for the
//!   introduction. Tables, headings, datelines, openers and closers are not read.
//! - Implicit positions are out of reach: "both men had nodded approval while reading the
//!   remainder" (of a telegram stating the US views) is a Japanese position to a reader, not to
//!   the rules.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use chancery_model::Document;
use regex::Regex;

use crate::data::{self, ConditionMode, Cues, Fallback, Holder, PartyProfile, Rules};
use crate::model::{Condition, Issue, Origin, Position, SourceRef, Span, Status};
use crate::text::{self, Norm, Unit};

/// The party id used when a document's own party cannot be told.
pub const UNKNOWN_PARTY: &str = "unknown";

/// Extraction rules compiled for a set of issues. Build it once and extract from many
/// documents; [`extract`] builds one per call.
#[derive(Debug, Clone)]
pub struct Extractor {
    issues: Vec<CompiledIssue>,
    parties: Vec<PartyProfile>,
    /// Party names and persons, one capture group each.
    names: Option<Cues>,
    /// What each capture group of `names` is.
    groups: Vec<Who>,
    /// "we", "our", "I": the document's voice.
    voice_words: Regex,
    /// Per party: its archives as one pattern.
    archives: Vec<Option<Cues>>,
    /// The cue words of every issue, to pass over documents about none of them at once.
    any_issue: Option<Cues>,
    rules: Rules,
}

#[derive(Debug, Clone)]
struct CompiledIssue {
    id: String,
    cues: Option<Cues>,
    context: Option<Cues>,
    anaphora: Option<Cues>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Party {
        party: usize,
        person: bool,
    },
    /// "we", "our", "I": the document's own voice.
    Voice,
}

#[derive(Debug, Clone)]
struct Mention {
    range: Range<usize>,
    who: Who,
}

/// A resolved holder of a cue.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HolderHit {
    party: String,
    /// A person or office as printed, or the document's voice name.
    stated_by: Option<String>,
    /// True when `stated_by` is a person or office named in the passage.
    person: bool,
}

#[derive(Debug, Clone)]
struct CueHit {
    cue: usize,
    range: Range<usize>,
    /// Where a condition's text starts.
    text_start: usize,
}

/// Per-document facts the rules need.
struct DocFacts {
    reporter: String,
    voice: Option<String>,
}

/// A candidate being assembled: one passage part, one issue, one party.
#[derive(Debug, Default)]
struct Draft {
    rule: Option<String>,
    stated_by: Option<String>,
    person: bool,
    excerpt: Option<Range<usize>>,
    conditions: Vec<Condition>,
}

impl Extractor {
    /// Compile the built-in rules and parties for these issues.
    pub fn new(issues: &[Issue]) -> Extractor {
        Extractor::with_rules(issues, data::builtin_profiles().to_vec(), Rules::builtin().clone())
    }

    /// Compile given rules and party profiles (see [`crate::data`]) for these issues.
    pub fn with_rules(issues: &[Issue], parties: Vec<PartyProfile>, rules: Rules) -> Extractor {
        let any_issue = data::cues_regex(&issues.iter().flat_map(|i| i.cues.iter().cloned()).collect::<Vec<_>>());
        let issues = issues
            .iter()
            .map(|i| CompiledIssue {
                id: i.id.clone(),
                cues: data::cues_regex(&i.cues),
                context: data::cues_regex(&i.context),
                anaphora: data::cues_regex(&i.anaphora),
            })
            .collect();
        let mut alts: Vec<String> = Vec::new();
        let mut whos: Vec<Who> = Vec::new();
        for (pi, p) in parties.iter().enumerate() {
            for n in &p.names {
                alts.push(n.clone());
                whos.push(Who::Party { party: pi, person: false });
            }
            for n in &p.persons {
                alts.push(n.clone());
                whos.push(Who::Party { party: pi, person: true });
            }
        }
        let (names, groups) = match Cues::new(&alts, true) {
            Some((cues, order)) => (Some(cues), order.into_iter().map(|i| whos[i]).collect()),
            None => (None, Vec::new()),
        };
        let voice_words = Regex::new(r"(?-u:\b)(?:[Ww]e|[Oo]urs?|I)(?-u:\b)").expect("built-in pattern");
        let archives = parties.iter().map(|p| data::cues_regex(&p.archives)).collect();
        Extractor { issues, parties, names, groups, voice_words, archives, any_issue, rules }
    }

    /// The candidate positions of one document, all `Proposed` with a rule origin, in reading
    /// order. Never panics; a document without text yields nothing.
    pub fn extract(&self, doc: &Document) -> Vec<Position> {
        if !self.may_concern(doc) {
            return Vec::new();
        }
        let facts = DocFacts { reporter: self.reporter(doc), voice: self.voice(doc) };
        let units = text::units(doc);
        let mut out = Vec::new();
        let mut recent: Vec<Vec<usize>> = Vec::new();
        for unit in &units {
            if unit.note.is_some() {
                recent.clear();
            }
            let prev: Vec<usize> = recent.iter().rev().take(2).flatten().copied().collect();
            let found = self.unit(doc, unit, &facts, &prev, &mut out);
            if unit.note.is_none() {
                recent.push(found);
            }
        }
        out
    }

    /// False when a finalized document names no issue anywhere (the common case in a large
    /// ingest), so that nothing more need be done.
    fn may_concern(&self, doc: &Document) -> bool {
        let Some(any) = &self.any_issue else { return false };
        if doc.text.is_empty() {
            return true; // not finalized: let the passages decide
        }
        let strip = |t: &str| t.replace(['[', ']'], "");
        any.is_match(&strip(&doc.text)) || doc.notes.iter().any(|n| n.text.is_empty() || any.is_match(&strip(&n.text)))
    }

    /// Extract from one passage; returns the issues it was found to be about.
    fn unit(
        &self,
        doc: &Document,
        unit: &Unit,
        facts: &DocFacts,
        prev: &[usize],
        out: &mut Vec<Position>,
    ) -> Vec<usize> {
        // A passage that names no issue and follows none cannot be about one: one scan of the
        // combined cues (brackets dropped, as `may_concern` does) instead of normalizing it
        // and scanning it for every issue's cues, context and anaphora.
        if prev.is_empty() {
            if let Some(any) = &self.any_issue {
                let named = if unit.text.contains(['[', ']']) {
                    any.is_match(&unit.text.replace(['[', ']'], ""))
                } else {
                    any.is_match(&unit.text)
                };
                if !named {
                    return Vec::new();
                }
            }
        }
        let norm = Norm::new(&unit.text);
        let s = norm.s.as_str();
        let whole = 0..s.len();
        // cue-word matches per issue (ignoring context), and whether the context holds
        let direct: Vec<Vec<Range<usize>>> =
            self.issues.iter().map(|i| i.cues.as_ref().map(|c| c.ranges(s)).unwrap_or_default()).collect();
        let context_ok: Vec<bool> =
            self.issues.iter().map(|i| i.context.as_ref().is_none_or(|re| re.is_match(s))).collect();
        let anaphora: Vec<Vec<Range<usize>>> =
            self.issues.iter().map(|i| i.anaphora.as_ref().map(|c| c.ranges(s)).unwrap_or_default()).collect();
        let named_here: Vec<bool> = (0..self.issues.len()).map(|i| context_ok[i] && !direct[i].is_empty()).collect();
        // most passages are about none of the issues: stop before the costlier work
        if !named_here.iter().any(|n| *n)
            && !(0..self.issues.len()).any(|i| prev.contains(&i) && !anaphora[i].is_empty())
        {
            return Vec::new();
        }
        let mentions = self.mentions(s);
        let hits = self.cue_hits(s);

        let (intro, parts) = match text::parts(s) {
            Some((intro, parts)) => (intro, parts),
            None => (0..0, vec![text::Part { range: whole.clone(), label: None, clause: None }]),
        };
        let inside = |r: &Range<usize>, within: &Range<usize>| r.start >= within.start && r.end <= within.end;
        let intro_issues: Vec<usize> =
            (0..self.issues.len()).filter(|&i| named_here[i] && direct[i].iter().any(|r| inside(r, &intro))).collect();

        // holders of the introduction's stance cues go to every part
        let mut last: Option<HolderHit> = None;
        let mut intro_holders: Vec<(String, HolderHit)> = Vec::new();
        if !intro.is_empty() {
            let sents = text::sentences(s, intro.clone());
            for h in hits.iter().filter(|h| inside(&h.range, &intro) && !self.rules.cues[h.cue].condition) {
                for holder in self.resolve(s, h, &intro, &sents, &mentions, facts, &mut last) {
                    if !intro_holders.iter().any(|(_, x)| x.party == holder.party) {
                        intro_holders.push((self.rules.cues[h.cue].id.clone(), holder));
                    }
                }
            }
        }

        let mut unit_issues: Vec<usize> = intro_issues.clone();
        for part in &parts {
            let seg = part.range.clone();
            if seg.is_empty() {
                continue;
            }
            let sents = text::sentences(s, seg.clone());
            if sents.is_empty() {
                continue;
            }
            let sentence_of = |at: usize| sents.iter().position(|r| r.start <= at && at < r.end.max(r.start + 1));
            // resolve every cue of the part in reading order (so "previous" works)
            let seg_hits: Vec<&CueHit> = hits.iter().filter(|h| inside(&h.range, &seg)).collect();
            let resolved: Vec<(usize, Option<usize>, Vec<HolderHit>)> = seg_hits
                .iter()
                .enumerate()
                .map(|(k, h)| {
                    (k, sentence_of(h.range.start), self.resolve(s, h, &seg, &sents, &mentions, facts, &mut last))
                })
                .collect();

            for i in 0..self.issues.len() {
                let from_intro = intro_issues.contains(&i);
                let named = named_here[i] && direct[i].iter().any(|r| inside(r, &seg));
                let known = named_here[i] || prev.contains(&i) || unit_issues.contains(&i);
                let anaphoric = known && anaphora[i].iter().any(|r| inside(r, &seg));
                if !(from_intro || named || anaphoric) {
                    continue;
                }
                if !unit_issues.contains(&i) {
                    unit_issues.push(i);
                }
                let relevant: Vec<bool> = sents
                    .iter()
                    .map(|sr| {
                        from_intro
                            || direct[i].iter().any(|r| inside(r, sr))
                            || (known && anaphora[i].iter().any(|r| inside(r, sr)))
                    })
                    .collect();
                let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
                let mut order: Vec<String> = Vec::new();
                // own cues
                for (k, sent, holders) in &resolved {
                    let Some(sent) = *sent else { continue };
                    if !relevant[sent] {
                        continue;
                    }
                    let hit = seg_hits[*k];
                    for holder in holders {
                        let excerpt = self.excerpt(s, &sents[sent], hit, holder, &resolved, &seg_hits);
                        let d = drafts.entry(holder.party.clone()).or_insert_with(|| {
                            order.push(holder.party.clone());
                            Draft::default()
                        });
                        d.note(&self.rules.cues[hit.cue].id, holder, excerpt);
                    }
                }
                // the introduction's holders hold every relevant sentence
                for (rule, holder) in &intro_holders {
                    let hull = hull(sents.iter().zip(&relevant).filter(|(_, r)| **r).map(|(sr, _)| sr.clone()));
                    let d = drafts.entry(holder.party.clone()).or_insert_with(|| {
                        order.push(holder.party.clone());
                        Draft::default()
                    });
                    d.note(rule, holder, hull);
                }
                if drafts.is_empty() {
                    continue;
                }
                // conditions
                for (k, sent, holders) in &resolved {
                    let Some(sent) = *sent else { continue };
                    let hit = seg_hits[*k];
                    if !relevant[sent] || !self.rules.cues[hit.cue].condition {
                        continue;
                    }
                    let conds = self.conditions(&norm, &unit.text, hit, &sents[sent]);
                    if conds.is_empty() {
                        continue;
                    }
                    let mut targets: Vec<String> = holders.iter().map(|h| h.party.clone()).collect();
                    for (k2, sent2, hs) in &resolved {
                        if *sent2 == Some(sent) && !self.rules.cues[seg_hits[*k2].cue].condition {
                            targets.extend(hs.iter().map(|h| h.party.clone()));
                        }
                    }
                    targets.extend(intro_holders.iter().map(|(_, h)| h.party.clone()));
                    if targets.is_empty() {
                        targets = order.clone();
                    }
                    for t in targets {
                        if let Some(d) = drafts.get_mut(&t) {
                            for c in &conds {
                                if !d.conditions.iter().any(|x| x.key == c.key) {
                                    d.conditions.push(c.clone());
                                }
                            }
                        }
                    }
                }
                for party in order {
                    let Some(d) = drafts.remove(&party) else { continue };
                    if party == UNKNOWN_PARTY {
                        continue;
                    }
                    out.push(self.position(doc, facts, unit, &norm, part, &self.issues[i].id, &party, d));
                }
            }
        }
        unit_issues
    }

    #[allow(clippy::too_many_arguments)]
    fn position(
        &self,
        doc: &Document,
        facts: &DocFacts,
        unit: &Unit,
        norm: &Norm,
        part: &text::Part,
        issue: &str,
        party: &str,
        d: Draft,
    ) -> Position {
        let passage = norm.orig(&part.range);
        let passage_text = unit.text.get(passage.clone()).unwrap_or_default().to_string();
        let span = unit.char_start.map(|c| {
            let start = c + unit.text.get(..passage.start).map_or(0, |t| t.chars().count());
            Span { start, end: start + passage_text.chars().count() }
        });
        let stance = d
            .excerpt
            .map(|r| norm.orig(&r))
            .and_then(|r| unit.text.get(r))
            .map(str::to_string)
            .unwrap_or_else(|| passage_text.clone());
        let source = SourceRef {
            document: doc.id.clone(),
            block: unit.block.clone(),
            label: unit.label.clone(),
            part: part.label.clone(),
            clause: part.clause,
            note: unit.note.clone(),
            span,
            text: passage_text,
        };
        Position {
            id: format!("{}#{}/{}/{}", doc.id, source.unit(), issue, party),
            issue: issue.to_string(),
            party: party.to_string(),
            date: doc.date.clone(),
            stance,
            conditions: d.conditions,
            stated_by: d.stated_by.unwrap_or_else(|| party.to_string()),
            reported_by: facts.reporter.clone(),
            source,
            origin: Origin::Rule { rule: d.rule.unwrap_or_default() },
            status: Status::Proposed,
        }
    }

    /// The excerpt a cue contributes: its sentence, or its major clause when the sentence
    /// also holds another party's cue.
    fn excerpt(
        &self,
        s: &str,
        sent: &Range<usize>,
        hit: &CueHit,
        holder: &HolderHit,
        resolved: &[(usize, Option<usize>, Vec<HolderHit>)],
        seg_hits: &[&CueHit],
    ) -> Range<usize> {
        let shared = resolved.iter().any(|(k, _, hs)| {
            let h = seg_hits[*k];
            h.range.start >= sent.start && h.range.end <= sent.end && hs.iter().any(|x| x.party != holder.party)
        });
        if !shared {
            return sent.clone();
        }
        let starts = text::major_clause_starts(s, sent.clone());
        let start = starts.iter().copied().filter(|&b| b <= hit.range.start).max().unwrap_or(sent.start);
        let end = starts.iter().copied().filter(|&b| b > hit.range.start).min().unwrap_or(sent.end);
        let r = text::trim_range(s, start..end, &[',', ';', ':']);
        if r.is_empty() {
            sent.clone()
        } else {
            r
        }
    }

    /// Party and voice mentions in order.
    fn mentions(&self, s: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        if let Some(names) = &self.names {
            // find the matches fast, then ask which name matched on the matched text alone
            for r in names.ranges(s) {
                if let Some(who) = names.which(&s[r.clone()]).and_then(|g| self.groups.get(g)) {
                    out.push(Mention { range: r, who: *who });
                }
            }
        }
        for m in self.voice_words.find_iter(s) {
            if !out.iter().any(|x| x.range.start < m.end() && m.start() < x.range.end) {
                out.push(Mention { range: m.range(), who: Who::Voice });
            }
        }
        out.sort_by_key(|m| m.range.start);
        out
    }

    fn cue_hits(&self, s: &str) -> Vec<CueHit> {
        let mut out = Vec::new();
        for (ci, cue) in self.rules.cues.iter().enumerate() {
            for c in cue.re.captures_iter(s) {
                let Some(m) = c.get(0) else { continue };
                let text_start = c.name("c").map_or(m.end(), |g| g.start());
                out.push(CueHit { cue: ci, range: m.range(), text_start });
            }
        }
        out.sort_by_key(|h| (h.range.start, h.range.end));
        out
    }

    /// Who holds the position a cue states.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &self,
        s: &str,
        hit: &CueHit,
        seg: &Range<usize>,
        sents: &[Range<usize>],
        mentions: &[Mention],
        facts: &DocFacts,
        last: &mut Option<HolderHit>,
    ) -> Vec<HolderHit> {
        let cue = &self.rules.cues[hit.cue];
        let sent = sents
            .iter()
            .find(|r| r.start <= hit.range.start && hit.range.start < r.end)
            .cloned()
            .unwrap_or(seg.clone());
        let clause_starts = text::clause_starts(s, sent.clone());
        let clause_start = clause_starts.iter().copied().filter(|&b| b <= hit.range.start).max().unwrap_or(sent.start);
        let clause_end = clause_starts.iter().copied().filter(|&b| b > hit.range.end).min().unwrap_or(sent.end);
        let within = |m: &&Mention, r: Range<usize>| m.range.start >= r.start && m.range.end <= r.end;
        let before: Vec<&Mention> = mentions.iter().filter(|m| within(m, clause_start..hit.range.start)).collect();
        let chosen: Vec<&Mention> = match cue.holder {
            Holder::Subject => before.first().copied().into_iter().collect(),
            Holder::Joint => before,
            Holder::Sentence => mentions.iter().find(|m| within(m, sent.clone())).into_iter().collect(),
            Holder::Adjective => mentions
                .iter()
                .filter(|m| m.range.end <= hit.range.start && s[m.range.end..hit.range.start].trim().is_empty())
                .take(1)
                .collect(),
            Holder::After => mentions.iter().find(|m| within(m, hit.range.end..clause_end)).into_iter().collect(),
            Holder::Reporter => Vec::new(),
            Holder::None => return Vec::new(),
        };
        let mut out: Vec<HolderHit> = Vec::new();
        for m in chosen {
            let h = self.holder(s, m, facts);
            if !out.iter().any(|x| x.party == h.party) {
                out.push(h);
            }
        }
        if cue.holder == Holder::Reporter || (out.is_empty() && cue.fallback == Fallback::Reporter) {
            out = vec![HolderHit { party: facts.reporter.clone(), stated_by: facts.voice.clone(), person: false }];
        } else if out.is_empty() && cue.fallback == Fallback::Previous {
            out.extend(last.clone());
        }
        if let Some(h) = out.last() {
            *last = Some(h.clone());
        }
        out
    }

    fn holder(&self, s: &str, m: &Mention, facts: &DocFacts) -> HolderHit {
        match m.who {
            Who::Voice => HolderHit { party: facts.reporter.clone(), stated_by: facts.voice.clone(), person: false },
            Who::Party { party, person } => HolderHit {
                party: self.parties[party].id.clone(),
                stated_by: person.then(|| s[m.range.clone()].to_string()),
                person,
            },
        }
    }

    /// The conditions a condition cue states, in the source's words.
    fn conditions(&self, norm: &Norm, orig: &str, hit: &CueHit, sent: &Range<usize>) -> Vec<Condition> {
        let s = norm.s.as_str();
        let cue = &self.rules.cues[hit.cue];
        const DELIMS: &[char] = &[',', ';', ':', '.', '!', '?', '(', ')'];
        let start = match cue.mode {
            ConditionMode::After => hit.text_start,
            ConditionMode::Clause => {
                s[sent.start..hit.range.start].rfind(DELIMS).map_or(sent.start, |p| sent.start + p + 1)
            }
        };
        let from = match cue.mode {
            ConditionMode::After => start,
            ConditionMode::Clause => hit.range.end,
        };
        let rest = s.get(from..sent.end).unwrap_or_default();
        let mut end = sent.end;
        if let Some(p) = rest.find(DELIMS) {
            end = end.min(from + p);
        }
        for stop in &self.rules.stops {
            if let Some(p) = rest.find(stop.as_str()) {
                end = end.min(from + p);
            }
        }
        let r = text::trim_range(s, start..end.max(start), &['"', '\'', ',', ';']);
        if r.is_empty() {
            return Vec::new();
        }
        // split at " and " when every piece has a known key
        let mut pieces: Vec<Range<usize>> = Vec::new();
        let mut at = r.start;
        for (p, _) in s[r.clone()].match_indices(" and ") {
            pieces.push(at..r.start + p);
            at = r.start + p + " and ".len();
        }
        pieces.push(at..r.end);
        let pieces: Vec<Range<usize>> = pieces.into_iter().map(|p| text::trim_range(s, p, &[','])).collect();
        let keyed: Vec<Option<String>> = pieces.iter().map(|p| self.known_key(&s[p.clone()])).collect();
        let ranges = if pieces.len() > 1 && keyed.iter().all(Option::is_some) { pieces } else { vec![r] };
        ranges
            .into_iter()
            .filter_map(|p| {
                let text = orig.get(norm.orig(&p))?.to_string();
                let key = self.known_key(&s[p.clone()]).unwrap_or_else(|| slug(&s[p]));
                (!key.is_empty()).then_some(Condition { text, key })
            })
            .collect()
    }

    fn known_key(&self, text: &str) -> Option<String> {
        self.rules.keys.iter().find(|k| k.re.is_match(text)).map(|k| k.key.clone())
    }

    /// The party whose own record a document is (see the module documentation).
    pub fn reporter(&self, doc: &Document) -> String {
        let coll = doc.collection.as_ref().map(|c| c.id.to_lowercase()).unwrap_or_default();
        let id = doc.id.to_lowercase();
        for p in &self.parties {
            if p.collections.iter().any(|c| {
                let c = c.to_lowercase();
                !c.is_empty() && (coll.starts_with(&c) || id.starts_with(&c))
            }) {
                return p.id.clone();
            }
        }
        let hay: Vec<&str> = doc.archive.iter().chain(doc.source_note.iter()).map(String::as_str).collect();
        for (p, re) in self.parties.iter().zip(&self.archives) {
            if re.as_ref().is_some_and(|re| hay.iter().any(|h| re.is_match(h))) {
                return p.id.clone();
            }
        }
        let lang = doc.original_language.as_deref().or(doc.language.as_deref()).unwrap_or_default();
        for p in &self.parties {
            if !lang.is_empty() && p.languages.iter().any(|l| l.eq_ignore_ascii_case(lang)) {
                return p.id.clone();
            }
        }
        UNKNOWN_PARTY.to_string()
    }

    /// The name behind the document's "I"/"we": the sender in a FRUS-style title ("… (Robertson)
    /// to …"), a known person whose note or letter the title names ("Khrushchev's Note"), or the
    /// contributor who is its author or sender.
    fn voice(&self, doc: &Document) -> Option<String> {
        static FROM: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
        let from = FROM.get_or_init(|| Regex::new(r"\(([^()]{2,40})\)\s+to\b").expect("built-in pattern"));
        let title = Norm::new(&doc.title).s;
        if let Some(c) = from.captures(&title) {
            return c.get(1).map(|m| m.as_str().trim().to_string());
        }
        for m in self.mentions(&title) {
            if let Who::Party { person: true, .. } = m.who {
                if title[m.range.end..].starts_with("'s") {
                    return Some(title[m.range].to_string());
                }
            }
        }
        doc.contributors
            .iter()
            .find(|c| matches!(c.role.as_str(), "author" | "sender" | "from" | "creator"))
            .map(|c| c.name.clone())
    }
}

impl Draft {
    fn note(&mut self, rule: &str, holder: &HolderHit, excerpt: Range<usize>) {
        if self.rule.is_none() {
            self.rule = Some(rule.to_string());
        }
        if let Some(name) = &holder.stated_by {
            if (holder.person && !self.person) || self.stated_by.is_none() {
                self.stated_by = Some(name.clone());
                self.person = holder.person;
            }
        }
        self.excerpt = Some(match self.excerpt.take() {
            Some(r) => r.start.min(excerpt.start)..r.end.max(excerpt.end),
            None => excerpt,
        });
    }
}

fn hull(ranges: impl Iterator<Item = Range<usize>>) -> Range<usize> {
    let mut out: Option<Range<usize>> = None;
    for r in ranges {
        out = Some(match out {
            Some(o) => o.start.min(r.start)..o.end.max(r.end),
            None => r,
        });
    }
    out.unwrap_or(0..0)
}

/// A short key for a condition no rule knows: its first four content words, lowercased and
/// joined by hyphens.
pub(crate) fn slug(text: &str) -> String {
    const STOP: &[&str] = &[
        "a", "an", "the", "of", "to", "that", "be", "is", "are", "was", "were", "these", "this", "those", "on", "by",
        "with", "from", "in", "its", "their", "his", "her", "s", "и", "в", "на", "что",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .take(4)
        .collect::<Vec<_>>()
        .join("-")
}

/// The candidate positions of one document for these issues, with the built-in rules and
/// parties (see the module documentation). All are `Proposed` with a rule origin.
///
/// The compiled rules of the last issue set are kept, so calling this per document costs no
/// recompilation while the issues stay the same; an [`Extractor`] of your own does the same
/// without the lock.
pub fn extract(doc: &Document, issues: &[Issue]) -> Vec<Position> {
    static LAST: Mutex<Option<(Vec<Issue>, Arc<Extractor>)>> = Mutex::new(None);
    let cached = LAST.lock().ok().and_then(|g| g.as_ref().filter(|(i, _)| i == issues).map(|(_, e)| Arc::clone(e)));
    let extractor = cached.unwrap_or_else(|| {
        let e = Arc::new(Extractor::new(issues));
        if let Ok(mut g) = LAST.lock() {
            *g = Some((issues.to_vec(), Arc::clone(&e)));
        }
        e
    });
    extractor.extract(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("the Allied Powers decide later"), "allied-powers-decide-later");
        assert_eq!(slug("…"), "");
    }
}
