//! References from one document to another: telegrams, despatches, airgrams and instructions
//! ("telegram 609 to Tokyo, September 18", "Embtel 151", "Dept’s 284, Feb 3 [13]", "Tokyo’s
//! telegram 201"), FRUS documents ("Document 45", "Documents 45 and 46", "vol. XXI, Document
//! 45"), volumes ("Foreign Relations, 1943, vol. iii, pp. 531–532"), notes ("footnote 3") and
//! Central Decimal File numbers cited on their own in footnotes.
//!
//! [`extract`] reads a document's body text and notes and returns every reference with the exact
//! passage, where it is (a character offset into `Document::text`, or into `Note::text` with the
//! note number), and everything the passage and its context say about the item cited: number,
//! direction and post, date, filing number. Dates without a year ("September 18") are resolved
//! against the citing document's date (or the date its own file number gives) and marked
//! inferred; a bare "telegram 609" takes what an earlier full reference to telegram 609 in the
//! same document says, and names those fields in [`CrossRef::inferred`]. [`resolve`] then links
//! each reference to a held document when the archive has it ([`Held`]); anything not held stays
//! an unresolved reference with all it knows.
//!
//! A TEI `<ref target="#d45">` the source tagged ([`chancery_model::Inline::Ref`]) is a reference
//! too: [`resolve_ref_target`] turns its target ("#d45", "frus1955-57v21", "frus1943v03#pg_531")
//! into a document or volume id, and the target is kept verbatim in [`CrossRef::ref_targets`].
//! When the text of the same passage already reads as a reference to the same item ("Document
//! 45", "vol. XI, pp. 280"), the tag joins that reference instead of doubling it; a target that
//! is no document or volume (a person "#p_RWS1", a URL) is no cross-reference.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chancery_model::date::{days_from_civil, parse_ymd, DateInterval, MONTH_NAMES};
use chancery_model::{Document, TaggedRef};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use crate::filing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    Telegram,
    Despatch,
    Airgram,
    Instruction,
    /// A numbered document of a FRUS volume.
    Document,
    /// A FRUS volume.
    Volume,
    /// A note of the same document ("footnote 3").
    Note,
    /// A Central Decimal File number cited on its own.
    File,
}

impl RefKind {
    fn is_communication(self) -> bool {
        matches!(self, RefKind::Telegram | RefKind::Despatch | RefKind::Airgram | RefKind::Instruction)
    }
}

/// Which way a communication went between the Department of State and a post abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sent to the post (by the Department): "telegram 609 to Tokyo", "Deptel 609".
    To,
    /// Sent from the post (to the Department): "telegram 773 from Tokyo", "Embtel 151".
    From,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossRef {
    pub kind: RefKind,
    /// The passage exactly as it stands in the text.
    pub text: String,
    /// The telegram, despatch, document or note number ("609", "A-12", "45").
    pub number: Option<String>,
    pub direction: Option<Direction>,
    /// The post abroad the communication went to or came from ("Tokyo").
    pub post: Option<String>,
    /// Who sent it, when known: "Department of State", a post, "Embassy".
    pub sender: Option<String>,
    /// A circular telegram or airgram (sent to many posts).
    pub circular: bool,
    /// The date as worded in the passage ("September 18", "Feb 3 [13]").
    pub date_text: Option<String>,
    /// The date, with the year taken from the passage or, marked inferred, from the citing
    /// document's date.
    pub date: Option<DateInterval>,
    /// The Central Decimal File number of the item cited, when the text gives one.
    pub file_number: Option<String>,
    /// The id the reference points at: "frus1955-57v23p1/d45" for a FRUS document, a volume id
    /// for a volume. Computed from the text whether or not the archive holds it.
    pub target: Option<String>,
    /// Pages of a volume reference ("531–532, and 542–543").
    pub pages: Option<String>,
    /// Character offset of the passage: into `Document::text` when `note` is `None`, into that
    /// note's `Note::text` otherwise.
    pub offset: Option<usize>,
    /// The number of the note the passage is in.
    pub note: Option<String>,
    /// Fields not stated by the passage itself but taken from context: "post", "direction",
    /// "date", "year", "file_number", "kind", "sender".
    pub inferred: Vec<String>,
    /// The id of the held document (or volume) this reference is, set by [`resolve`].
    pub resolved: Option<String>,
    /// The `ref/@target`s the source tagged this passage with, verbatim ("#d45"); empty when the
    /// reference was read from untagged text only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ref_targets: Vec<String>,
}

impl CrossRef {
    fn new(kind: RefKind, text: &str) -> Self {
        CrossRef {
            kind,
            text: text.to_string(),
            number: None,
            direction: None,
            post: None,
            sender: None,
            circular: false,
            date_text: None,
            date: None,
            file_number: None,
            target: None,
            pages: None,
            offset: None,
            note: None,
            inferred: Vec::new(),
            resolved: None,
            ref_targets: Vec::new(),
        }
    }

    fn infer(&mut self, field: &str) {
        if !self.inferred.iter().any(|f| f == field) {
            self.inferred.push(field.to_string());
        }
    }

    fn is_full(&self) -> bool {
        self.post.is_some() || self.direction.is_some() || self.date_text.is_some() || self.circular
    }
}

pub const DEPARTMENT: &str = "Department of State";

// ---------------------------------------------------------------------------------------------
// Patterns

/// Word boundaries in these patterns are ASCII ones, `(?-u:\b)`: with Unicode boundaries the
/// regex crate's lazy DFA gives up on any text holding a non-ASCII character (a curly quote,
/// an en dash) and the scan falls back to a backtracking engine over the whole text, which
/// was a fifth of the time of a document page (issue 4's profile). The words and numbers the
/// patterns look for are ASCII.
fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

const NUM: &str = r"(?-i:[A-Z]{1,3}-)?\d{1,6}";

fn word_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    static P: OnceLock<String> = OnceLock::new();
    let p = P.get_or_init(|| {
        format!(
            r"(?i)(?-u:\b)(?P<circ>circular\s+)?(?P<kind>telegram|cable|despatch|dispatch|airgram|instruction)(?P<pl>s)?\s+(?:Nos?\.?\s*|numbers?\s+)?(?P<nums>{NUM}(?:\s*(?:,|and|&)\s*{NUM})*)(?-u:\b)"
        )
    });
    re(&C, p)
}

fn abbr_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"(?i)(?-u:\b)(?P<abbr>deptel|embtel|depcirtel|circtel|urtel|mytel|reftel|embdes|depdes|urdes|mydes)(?P<pl>s)?(?-u:\b)\.?\s*(?:Nos?\.?\s*)?(?P<nums>\d{1,6}(?:\s*(?:,|and|&)\s*\d{1,6})*)(?-u:\b)",
    )
}

fn poss_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"(?P<who>(?:[A-Z][\p{L}.\-]*\s+){0,2}[A-Z][\p{L}.\-]*)[’']s\s+(?:(?P<circ>(?i:circular)\s+)?(?P<kind>(?i:telegram|cable|despatch|dispatch|airgram))\s+)?(?:No\.?\s*)?(?P<nums>\d{1,6})(?-u:\b)",
    )
}

fn doc_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"(?-u:\b)(?P<w>Documents?|Docs?\.)\s+(?P<nums>\d{1,4}(?:\s*(?:,\s*(?:and\s+)?|and|&|–|-|to|through)\s*\d{1,4})*)(?-u:\b)",
    )
}

fn vol_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"(?:(?P<fr>Foreign Relations),?\s+(?P<years>1[789]\d\d(?:\s*[–-]\s*(?:1[789])?\d\d)?),?\s+)?(?-u:\b)(?:[Vv]ol\.|[Vv]olume)\s+(?P<num>[IVXLC]+|[ivxlc]+|\d{1,3})(?-u:\b)(?:,?\s+(?:[Pp]art|pt\.)\s+(?P<part>\d))?(?:,?\s+pp?\.\s+(?P<pages>\d+(?:\s*[–-]\s*\d+)?(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)\d+(?:\s*[–-]\s*\d+)?)*))?",
    )
}

fn note_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?-u:\b)(?i:footnote|note)s?\s+(?P<n>\d{1,3})(?-u:\b)(?:\s+(?i:above|below))?")
}

fn tail_dir_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"^\s+(?P<dir>to|from)\s+(?P<the>the\s+)?(?P<post>[A-Z][\p{L}.\-]*(?:\s+(?:(?:de|da|do|del|la)\s+)?[A-Z][\p{L}.\-]*){0,2})",
    )
}

fn tail_date_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(
        &C,
        r"^(?:,\s*|\s+of\s+|\s+)(?P<date>(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+(?P<day>\d{1,2})(?-u:\b)(?:\s*\[(?P<corr>\d{1,2})\])?(?:,?\s+(?P<year>1[789]\d\d)(?-u:\b))?)(?P<time>,?\s+(?:\d{1,2}(?::\d{2})?\s*[ap]\.\s?m\.|noon|midnight))?",
    )
}

fn leading_number_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"^(?P<n>\d{1,5})\.\s")
}

fn frus_volume_re() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"^(?P<series>frus\d{4}(?:-\d{2})?)v\d")
}

/// Words that start a sentence or name an office rather than a post.
const NOT_POSTS: &[&str] = &[
    "In",
    "On",
    "See",
    "The",
    "Answer",
    "Reference",
    "Re",
    "Per",
    "As",
    "And",
    "From",
    "To",
    "Cf",
    "Cf.",
    "Also",
    "With",
    "By",
    "Under",
    "Following",
    "For",
    "Your",
    "Our",
    "My",
    "His",
    "Her",
    "Its",
    "Their",
    "A",
    "An",
    "This",
    "That",
    "Text",
    "Summary",
    "Paraphrase",
    "Ambassador",
    "Secretary",
    "President",
    "Minister",
    "Prime",
    "Chargé",
    "Consul",
    "General",
    "Governor",
    "Senator",
    "Mr.",
    "Mrs.",
    "Dr.",
    "Admiral",
    "Foreign",
];

/// Embassy countries and the city of the post, for FRUS titles that name the embassy by country
/// ("Telegram From the Department of State to the Embassy in Japan"). A stopgap until the
/// gazetteer ([`crate::places`]) can answer; countries whose capital changed in 1940–1963
/// (Germany, China, Pakistan) are left out on purpose.
const EMBASSY_POSTS: &[(&str, &str)] = &[
    ("Japan", "Tokyo"),
    ("the Soviet Union", "Moscow"),
    ("Soviet Union", "Moscow"),
    ("the United Kingdom", "London"),
    ("United Kingdom", "London"),
    ("France", "Paris"),
    ("Italy", "Rome"),
    ("Korea", "Seoul"),
    ("India", "New Delhi"),
    ("Canada", "Ottawa"),
    ("Mexico", "Mexico City"),
    ("Poland", "Warsaw"),
    ("Egypt", "Cairo"),
    ("Turkey", "Ankara"),
    ("Iran", "Tehran"),
    ("the Philippines", "Manila"),
    ("Indonesia", "Djakarta"),
    ("Thailand", "Bangkok"),
    ("Burma", "Rangoon"),
    ("Belgium", "Brussels"),
    ("the Netherlands", "The Hague"),
    ("Spain", "Madrid"),
    ("Portugal", "Lisbon"),
    ("Greece", "Athens"),
    ("Yugoslavia", "Belgrade"),
    ("Czechoslovakia", "Prague"),
    ("Hungary", "Budapest"),
    ("Austria", "Vienna"),
    ("Switzerland", "Bern"),
    ("Sweden", "Stockholm"),
    ("Norway", "Oslo"),
    ("Denmark", "Copenhagen"),
    ("Finland", "Helsinki"),
];

// ---------------------------------------------------------------------------------------------
// Context of the citing document

struct Ctx {
    /// The FRUS volume id the citing document belongs to.
    volume: Option<String>,
    /// The citing document's date (its own, or the one its file number gives).
    citing: Option<DateInterval>,
    /// Direction and post of the citing document when it is a communication with a post.
    dir: Option<Direction>,
    post: Option<String>,
}

impl Ctx {
    fn of(doc: &Document) -> Self {
        let volume = doc.collection.as_ref().map(|c| c.id.clone()).filter(|id| frus_volume_re().is_match(id));
        let citing = doc.date.clone().or_else(|| filing::infer_date(doc));
        let (dir, post) = match direction_and_post(doc) {
            Some((d, p)) => (Some(d), p),
            None => (None, None),
        };
        Ctx { volume, citing, dir, post }
    }
}

fn is_department(name: &str) -> bool {
    let n = name.trim();
    n.contains("Department of State")
        || n.contains("Secretary of State")
        || n.eq_ignore_ascii_case("Department")
        || n.eq_ignore_ascii_case("Dept")
        || n.eq_ignore_ascii_case("Dept.")
}

/// The post a party's name places it at: "Embassy in Japan" → Tokyo, "Consulate General at Hong
/// Kong" → Hong Kong.
fn post_of_party(name: &str) -> Option<String> {
    let name = match name.find('(') {
        Some(i) => name[..i].trim(),
        None => name.trim(),
    };
    if let Some(i) = name.rfind(" at ") {
        let city = name[i + 4..].trim();
        return (!city.is_empty()).then(|| city.to_string());
    }
    let i = name.rfind(" in ")?;
    let country = name[i + 4..].trim();
    EMBASSY_POSTS.iter().find(|(c, _)| *c == country).map(|(_, city)| city.to_string())
}

/// Direction and post of a document exchanged between the Department and a post, from its
/// from/to contributors or its title.
fn direction_and_post(doc: &Document) -> Option<(Direction, Option<String>)> {
    let role = |r: &str| doc.contributors.iter().find(|c| c.role == r).map(|c| c.name.clone());
    let (from, to) = match (role("from").or_else(|| role("sender")), role("to").or_else(|| role("recipient"))) {
        (Some(f), Some(t)) => (f, t),
        _ => title_parties(&doc.title)?,
    };
    let place = doc.place.clone().filter(|p| !p.is_empty() && p != "Washington");
    match (is_department(&from), is_department(&to)) {
        (true, false) => Some((Direction::To, post_of_party(&to))),
        (false, true) => Some((Direction::From, place.or_else(|| post_of_party(&from)))),
        _ => None,
    }
}

fn title_parties(title: &str) -> Option<(String, String)> {
    static C: OnceLock<Regex> = OnceLock::new();
    let r = re(&C, r"(?i)^(?:.*?(?-u:\b)from\s+)?(?:the\s+)?(?P<from>.+?)\s+to\s+(?:the\s+)?(?P<to>.+?)\s*$");
    let c = r.captures(title)?;
    Some((c["from"].to_string(), c["to"].to_string()))
}

// ---------------------------------------------------------------------------------------------
// Extraction

/// A reference found in one text, with its byte span there.
struct Found {
    r: CrossRef,
    start: usize,
    end: usize,
}

/// Every reference in a document's body text and notes: body references first (offsets into
/// `Document::text`), then each note's in note order (offsets into `Note::text`, `note` set).
pub fn extract(doc: &Document) -> Vec<CrossRef> {
    let ctx = Ctx::of(doc);
    let tags = doc.tagged_refs();
    let mut body = scan(&doc.text, &ctx);
    add_tags(&doc.text, &mut body, tags.iter().filter(|t| t.note.is_none()), &ctx);
    let mut body_refs: Vec<CrossRef> = body.into_iter().map(|f| f.r).collect();
    let mut note_refs: Vec<CrossRef> = Vec::new();
    for note in &doc.notes {
        let mut found = scan(&note.text, &ctx);
        add_tags(&note.text, &mut found, tags.iter().filter(|t| t.note.as_deref() == Some(note.n.as_str())), &ctx);
        for f in &mut found {
            f.r.note = Some(note.n.clone());
        }
        // A source note's file number is the citing document's own, not a reference.
        let own = note.kind == "source";
        if !own {
            for (start, number) in filing::find_spans(&note.text) {
                if found.iter().any(|f| start < f.end && f.start < start + number.len()) {
                    continue;
                }
                attach_file_number(&mut found, &mut body_refs, note, start, number);
            }
            found.sort_by_key(|f| f.start);
        }
        note_refs.extend(found.into_iter().map(|f| f.r));
    }
    let mut all = body_refs;
    all.extend(note_refs);
    propagate(&mut all);
    all
}

/// The source's tagged references of one text (offsets in characters into `text`), each turned
/// into a document or volume reference through [`resolve_ref_target`]. A tag joins a reference
/// already read from the same passage when they cite the same item (the same target, or a
/// document of the tagged volume), and corrects one whose target was only inferred from
/// context; otherwise it is a reference of its own. Targets that are no document or volume
/// are skipped.
fn add_tags<'t>(text: &str, found: &mut Vec<Found>, tags: impl Iterator<Item = &'t TaggedRef>, ctx: &Ctx) {
    for t in tags {
        if t.text.trim().is_empty() {
            continue;
        }
        let Some(target) = resolve_ref_target(&t.target, ctx.volume.as_deref()) else { continue };
        let Some(start) = byte_offset(text, t.offset) else { continue };
        let end = start + t.text.len();
        if text.get(start..end) != Some(t.text.as_str()) {
            continue;
        }
        let kind = if target.contains('/') { RefKind::Document } else { RefKind::Volume };
        let in_volume = format!("{target}/");
        let over = |f: &Found| f.start < end && start < f.end;
        let same = found.iter().position(|f| over(f) && f.r.target.as_deref() == Some(target.as_str())).or_else(|| {
            found.iter().position(|f| {
                over(f)
                    && kind == RefKind::Volume
                    && f.r.kind == RefKind::Document
                    && f.r.target.as_ref().is_some_and(|x| x.starts_with(&in_volume))
            })
        });
        if let Some(i) = same {
            let r = &mut found[i].r;
            if r.target.as_deref() == Some(target.as_str()) {
                r.inferred.retain(|f| f != "target");
            }
            r.ref_targets.push(t.target.clone());
            continue;
        }
        // A target inferred from context ("vol. XI" read in the citing volume's series) gives way
        // to the tag when the printed number agrees with it.
        let guessed = found.iter().position(|f| {
            over(f)
                && f.r.kind == kind
                && f.r.ref_targets.is_empty()
                && f.r.inferred.iter().any(|x| x == "target")
                && numbers_agree(&f.r, &target)
        });
        if let Some(i) = guessed {
            let r = &mut found[i].r;
            r.target = Some(target);
            r.inferred.retain(|f| f != "target");
            r.ref_targets.push(t.target.clone());
            continue;
        }
        let mut r = CrossRef::new(kind, &t.text);
        if kind == RefKind::Document {
            r.number = target.rsplit_once("/d").map(|(_, n)| n.to_string());
        }
        r.pages = t.target.split_once("#pg_").map(|(_, p)| p.to_string()).filter(|p| !p.is_empty());
        r.target = Some(target);
        r.ref_targets.push(t.target.clone());
        r.offset = Some(t.offset);
        found.push(Found { r, start, end });
    }
    found.sort_by_key(|f| f.start);
}

/// Whether the number printed in a document or volume reference is the one of `target`
/// ("45" and "…/d45"; "XI" and "frus1955-57v11").
fn numbers_agree(r: &CrossRef, target: &str) -> bool {
    let Some(printed) = r.number.as_deref() else { return false };
    match r.kind {
        RefKind::Document => target.rsplit_once("/d").is_some_and(|(_, n)| n == printed),
        RefKind::Volume => {
            let printed = printed.parse::<u32>().ok().or_else(|| roman(printed));
            let digits: String =
                target.rsplit_once('v').map_or("", |(_, v)| v).chars().take_while(char::is_ascii_digit).collect();
            printed.is_some() && digits.parse::<u32>().ok() == printed
        }
        _ => false,
    }
}

/// The byte index of character `chars` of `text` (the end for `chars` == its length).
fn byte_offset(text: &str, chars: usize) -> Option<usize> {
    text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).nth(chars)
}

/// Give a file number found in a note to the reference it belongs to: the nearest full
/// communication reference before it in the note, else the body reference the note is anchored
/// to; otherwise record it as a reference of its own.
fn attach_file_number(
    found: &mut Vec<Found>,
    body: &mut [CrossRef],
    note: &chancery_model::Note,
    start: usize,
    number: &str,
) {
    let owner = found
        .iter_mut()
        .rfind(|f| f.start < start && f.r.kind.is_communication() && f.r.is_full())
        .filter(|f| f.r.file_number.is_none());
    if let Some(f) = owner {
        f.r.file_number = Some(number.to_string());
        return;
    }
    let before_any = !found.iter().any(|f| f.start < start && f.r.kind.is_communication());
    if before_any {
        if let Some(anchor) = &note.anchor {
            let anchored = body.iter_mut().find(|r| {
                let end = r.offset.unwrap_or(0) + r.text.chars().count();
                r.kind.is_communication() && r.file_number.is_none() && end <= anchor.offset && anchor.offset - end <= 2
            });
            if let Some(r) = anchored {
                r.file_number = Some(number.to_string());
                return;
            }
        }
    }
    let mut r = CrossRef::new(RefKind::File, number);
    r.file_number = Some(number.to_string());
    r.date = filing::decode(number).and_then(|f| f.date);
    r.offset = Some(char_offset(&note.text, start));
    r.note = Some(note.n.clone());
    found.push(Found { r, start, end: start + number.len() });
}

/// A bare reference ("telegram 609") takes what a fuller reference to the same item in the
/// same document says.
fn propagate(refs: &mut [CrossRef]) {
    for i in 0..refs.len() {
        let r = &refs[i];
        if !r.kind.is_communication() || r.number.is_none() || (r.post.is_some() && r.direction.is_some()) {
            continue;
        }
        let donor = refs.iter().enumerate().find(|(j, d)| {
            *j != i
                && d.kind == r.kind
                && d.number == r.number
                && d.circular == r.circular
                && (d.post.is_some() || d.direction.is_some())
                && !d.inferred.iter().any(|f| f == "post" || f == "direction")
                && (r.direction.is_none() || d.direction == r.direction)
                && (r.post.is_none() || d.post == r.post)
        });
        let Some((_, d)) = donor else { continue };
        let d = d.clone();
        let r = &mut refs[i];
        if r.direction.is_none() && d.direction.is_some() {
            r.direction = d.direction;
            r.infer("direction");
        }
        if r.post.is_none() && d.post.is_some() {
            r.post = d.post.clone();
            r.infer("post");
        }
        if r.sender.is_none() && d.sender.is_some() {
            r.sender = d.sender.clone();
            r.infer("sender");
        }
        if r.date.is_none() && d.date.is_some() {
            r.date = d.date.clone();
            r.infer("date");
        }
        if r.file_number.is_none() && d.file_number.is_some() {
            r.file_number = d.file_number.clone();
            r.infer("file_number");
        }
    }
}

fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

/// Find every reference in one text. Overlapping matches: the earliest (then the longest) wins.
fn scan(text: &str, ctx: &Ctx) -> Vec<Found> {
    let mut cands: Vec<Found> = Vec::new();
    for c in word_re().captures_iter(text) {
        communication(text, &c, ctx, &mut cands);
    }
    for c in abbr_re().captures_iter(text) {
        abbreviation(text, &c, ctx, &mut cands);
    }
    for c in poss_re().captures_iter(text) {
        possessive(text, &c, ctx, &mut cands);
    }
    let vols: Vec<Found> = vol_re().captures_iter(text).filter_map(|c| volume(&c, ctx)).collect();
    let mut used_vol = vec![false; vols.len()];
    for c in doc_re().captures_iter(text) {
        documents(text, &c, ctx, &vols, &mut used_vol, &mut cands);
    }
    cands.extend(vols.into_iter().zip(used_vol).filter(|(_, used)| !used).map(|(v, _)| v));
    for c in note_re().captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let mut r = CrossRef::new(RefKind::Note, m.as_str());
        r.number = c.name("n").map(|n| n.as_str().to_string());
        cands.push(Found { r, start: m.start(), end: m.end() });
    }
    cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Found> = Vec::new();
    for f in cands {
        if out.iter().any(|o| f.start < o.end && o.start < f.end && !(f.start == o.start && f.end == o.end)) {
            continue;
        }
        out.push(f);
    }
    for f in &mut out {
        f.r.offset = Some(char_offset(text, f.start));
    }
    out
}

fn split_numbers(nums: &str) -> Vec<String> {
    static C: OnceLock<Regex> = OnceLock::new();
    let r = re(&C, r"(?:[A-Z]{1,3}-)?\d+");
    r.find_iter(nums).map(|m| m.as_str().to_string()).collect()
}

fn kind_of(word: &str) -> RefKind {
    match word.to_ascii_lowercase().as_str() {
        "despatch" | "dispatch" => RefKind::Despatch,
        "airgram" => RefKind::Airgram,
        "instruction" => RefKind::Instruction,
        _ => RefKind::Telegram,
    }
}

/// What follows a communication number: "to Tokyo", "from the Department", ", September 18".
struct Tail {
    end: usize,
    direction: Option<Direction>,
    post: Option<String>,
    department: bool,
    date_text: Option<String>,
    month: Option<u32>,
    day: Option<u32>,
    year: Option<i32>,
}

fn month_number(name: &str) -> Option<u32> {
    let head = name.get(..3)?;
    MONTH_NAMES.iter().position(|m| m.starts_with(head)).map(|i| i as u32 + 1)
}

fn is_month_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    w.len() >= 3 && MONTH_NAMES.iter().any(|m| m.starts_with(w))
}

/// Byte spans of the words of `s`.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"\S+").find_iter(s).map(|m| (m.start(), m.as_str())).collect()
}

fn tail(text: &str, at: usize) -> Tail {
    let mut t = Tail {
        end: at,
        direction: None,
        post: None,
        department: false,
        date_text: None,
        month: None,
        day: None,
        year: None,
    };
    let rest = text.get(at..).unwrap_or("");
    if let Some(c) = tail_dir_re().captures(rest) {
        if let Some(post_m) = c.name("post") {
            let raw = post_m.as_str();
            let mut kept_end = 0;
            let mut first = "";
            for (i, w) in word_spans(raw) {
                if is_month_word(w) {
                    break;
                }
                if first.is_empty() {
                    first = w;
                }
                kept_end = i + w.len();
            }
            let post = raw[..kept_end].trim_end_matches(['.', ',']);
            let dir = if &c["dir"] == "to" { Direction::To } else { Direction::From };
            if first == "Department" || first == "Dept." || first == "Dept" {
                // "from the Department" is a Department telegram to the post; "to the Department" the reverse.
                t.department = true;
                t.direction = Some(if dir == Direction::To { Direction::From } else { Direction::To });
                t.end = at + post_m.start() + first.len();
            } else if !post.is_empty() && !NOT_POSTS.contains(&first) && c.name("the").is_none() {
                t.direction = Some(dir);
                t.post = Some(post.to_string());
                t.end = at + post_m.start() + post.len();
            }
        }
    }
    let rest = text.get(t.end..).unwrap_or("");
    if let Some(c) = tail_date_re().captures(rest) {
        let month = c.name("month").and_then(|m| month_number(m.as_str()));
        let day = c.name("corr").or(c.name("day")).and_then(|d| d.as_str().parse::<u32>().ok());
        if let (Some(m), Some(d)) = (month, day) {
            t.date_text = c.name("date").map(|m| m.as_str().to_string());
            t.month = Some(m);
            t.day = Some(d);
            t.year = c.name("year").and_then(|y| y.as_str().parse().ok());
            t.end += c.get(0).map_or(0, |m| m.end());
        }
    }
    t
}

/// The date of a tail: with its printed year, or the year that puts it nearest the citing date.
fn tail_date(t: &Tail, ctx: &Ctx, r: &mut CrossRef) {
    let (Some(m), Some(d), Some(wording)) = (t.month, t.day, t.date_text.as_deref()) else { return };
    r.date_text = Some(wording.to_string());
    if let Some(y) = t.year {
        r.date = DateInterval::day(y, m, d, wording).map(|iv| iv.with_basis("reference"));
        return;
    }
    let Some((cy, cm, cd)) = ctx.citing.as_ref().and_then(|c| parse_ymd(&c.from)) else { return };
    let citing_day = days_from_civil(cy, cm, cd);
    let best = [cy - 1, cy, cy + 1]
        .into_iter()
        .filter_map(|y| DateInterval::day(y, m, d, wording).map(|iv| (y, iv)))
        .min_by_key(|(y, _)| (days_from_civil(*y, m, d) - citing_day).abs());
    if let Some((_, mut iv)) = best {
        iv.basis = Some("reference; year from the citing document's date".to_string());
        iv.inferred = true;
        r.date = Some(iv);
        r.infer("year");
    }
}

fn push_numbers(base: CrossRef, nums: &[String], start: usize, end: usize, out: &mut Vec<Found>) {
    for n in nums {
        let mut r = base.clone();
        r.number = Some(n.clone());
        out.push(Found { r, start, end });
    }
}

fn communication(text: &str, c: &Captures, ctx: &Ctx, out: &mut Vec<Found>) {
    let (Some(m), Some(nums_m)) = (c.get(0), c.name("nums")) else { return };
    let mut nums = split_numbers(nums_m.as_str());
    let mut end = m.end();
    if c.name("pl").is_none() && nums.len() > 1 {
        // "telegram 609, 1955": only a plural introduces a list.
        nums.truncate(1);
        end = nums_m.start() + nums_m.as_str().find(nums[0].as_str()).unwrap_or(0) + nums[0].len();
    }
    let kind = kind_of(c.name("kind").map_or("telegram", |k| k.as_str()));
    let t = tail(text, end);
    let mut r = CrossRef::new(kind, "");
    if c.name("circ").is_some() {
        r.circular = true;
        r.direction = Some(Direction::To);
        r.sender = Some(DEPARTMENT.to_string());
    }
    if t.direction.is_some() {
        r.direction = t.direction;
        r.post = t.post.clone();
        match t.direction {
            Some(Direction::To) if !t.department => r.sender = Some(DEPARTMENT.to_string()),
            Some(Direction::From) => r.sender = t.post.clone(),
            _ => {}
        }
        if t.department {
            if let Some(p) = &ctx.post {
                r.post = Some(p.clone());
                r.infer("post");
            }
            if t.direction == Some(Direction::To) {
                r.sender = Some(DEPARTMENT.to_string());
            }
        }
    }
    tail_date(&t, ctx, &mut r);
    let end = t.end.max(end);
    r.text = text.get(m.start()..end).unwrap_or("").to_string();
    push_numbers(r, &nums, m.start(), end, out);
}

fn abbreviation(text: &str, c: &Captures, ctx: &Ctx, out: &mut Vec<Found>) {
    let (Some(m), Some(abbr), Some(nums_m)) = (c.get(0), c.name("abbr"), c.name("nums")) else { return };
    let abbr = abbr.as_str().to_ascii_lowercase();
    let mut nums = split_numbers(nums_m.as_str());
    let mut end = m.end();
    if c.name("pl").is_none() && nums.len() > 1 {
        nums.truncate(1);
        end = nums_m.start() + nums_m.as_str().find(nums[0].as_str()).unwrap_or(0) + nums[0].len();
    }
    let kind = if abbr.ends_with("des") { RefKind::Despatch } else { RefKind::Telegram };
    let mut r = CrossRef::new(kind, "");
    let flip = |d: Direction| if d == Direction::To { Direction::From } else { Direction::To };
    // Who sent it, as the abbreviation says; "my"/"ur" depend on who writes.
    let dir = match abbr.as_str() {
        "deptel" | "depdes" => Some(Direction::To),
        "depcirtel" | "circtel" => {
            r.circular = true;
            Some(Direction::To)
        }
        "embtel" | "embdes" => Some(Direction::From),
        "mytel" | "mydes" => ctx.dir,
        "urtel" | "urdes" => ctx.dir.map(flip),
        _ => None,
    };
    r.direction = dir;
    match dir {
        Some(Direction::To) => r.sender = Some(DEPARTMENT.to_string()),
        Some(Direction::From) => r.sender = Some("Embassy".to_string()),
        None => {}
    }
    if matches!(abbr.as_str(), "mytel" | "mydes" | "urtel" | "urdes") && dir.is_some() {
        r.infer("direction");
    }
    let t = tail(text, end);
    if t.post.is_some() && !t.department {
        r.post = t.post.clone();
    } else if !r.circular && dir.is_some() {
        if let Some(p) = &ctx.post {
            r.post = Some(p.clone());
            r.infer("post");
            if dir == Some(Direction::From) {
                r.sender = Some(p.clone());
            }
        }
    }
    tail_date(&t, ctx, &mut r);
    let end = t.end.max(end);
    r.text = text.get(m.start()..end).unwrap_or("").to_string();
    push_numbers(r, &nums, m.start(), end, out);
}

fn possessive(text: &str, c: &Captures, ctx: &Ctx, out: &mut Vec<Found>) {
    let (Some(m), Some(who_m), Some(nums_m)) = (c.get(0), c.name("who"), c.name("nums")) else { return };
    let spans = word_spans(who_m.as_str());
    let keep_from = spans.iter().rposition(|(_, w)| NOT_POSTS.contains(w)).map_or(0, |i| i + 1);
    let Some(&(first_at, _)) = spans.get(keep_from) else { return };
    let who = spans[keep_from..].iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
    let start = who_m.start() + first_at;
    let department = is_department(&who);
    let office = matches!(who.as_str(), "Embassy" | "Emb" | "Legation" | "Consulate" | "Mission");
    let t = tail(text, nums_m.end());
    let has_kind = c.name("kind").is_some();
    // Without "telegram" a possessive number is read as a telegram only for an office or with a date.
    if !has_kind && !department && !office && t.date_text.is_none() {
        return;
    }
    let kind = kind_of(c.name("kind").map_or("telegram", |k| k.as_str()));
    let mut r = CrossRef::new(kind, "");
    if !has_kind {
        r.infer("kind");
    }
    r.circular = c.name("circ").is_some();
    if department {
        r.direction = Some(Direction::To);
        r.sender = Some(DEPARTMENT.to_string());
        if !r.circular {
            if let Some(p) = &ctx.post {
                r.post = Some(p.clone());
                r.infer("post");
            }
        }
    } else if office {
        r.direction = Some(Direction::From);
        r.sender = Some(who.clone());
        if let Some(p) = &ctx.post {
            r.post = Some(p.clone());
            r.infer("post");
        }
    } else {
        r.direction = Some(Direction::From);
        r.post = Some(who.clone());
        r.sender = Some(who.clone());
    }
    tail_date(&t, ctx, &mut r);
    let end = t.end.max(m.end());
    r.text = text.get(start..end).unwrap_or("").to_string();
    let nums = vec![nums_m.as_str().to_string()];
    push_numbers(r, &nums, start, end, out);
}

/// A volume or page number in Roman numerals: I, V, X, L and C only (a printed "D" or "M" is
/// not a volume number here).
fn roman(s: &str) -> Option<u32> {
    if s.chars().all(|c| matches!(c.to_ascii_uppercase(), 'I' | 'V' | 'X' | 'L' | 'C')) {
        chancery_model::text::roman(s)
    } else {
        None
    }
}

/// "1955–1957" → "1955-57", "1943" → "1943".
fn series_years(years: &str) -> Option<String> {
    let parts: Vec<&str> = years.split(['–', '-']).map(str::trim).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y] if y.len() == 4 => Some(y.to_string()),
        [a, b] if a.len() == 4 && (b.len() == 2 || b.len() == 4) => Some(format!("{a}-{}", &b[b.len() - 2..])),
        _ => None,
    }
}

fn volume(c: &Captures, ctx: &Ctx) -> Option<Found> {
    let m = c.get(0)?;
    let num_s = c.name("num")?.as_str();
    let num = num_s.parse::<u32>().ok().or_else(|| roman(num_s))?;
    let series = match c.name("years") {
        Some(y) => series_years(y.as_str()).map(|s| format!("frus{s}")),
        None => ctx.volume.as_deref().and_then(|v| frus_volume_re().captures(v)).map(|vc| vc["series"].to_string()),
    };
    let mut r = CrossRef::new(RefKind::Volume, m.as_str());
    r.number = Some(num_s.to_string());
    r.pages = c.name("pages").map(|p| p.as_str().to_string());
    if let Some(series) = series {
        let part = c.name("part").map(|p| format!("p{}", p.as_str())).unwrap_or_default();
        r.target = Some(format!("{series}v{num:02}{part}"));
        if c.name("years").is_none() {
            r.infer("target");
        }
    }
    Some(Found { r, start: m.start(), end: m.end() })
}

fn documents(text: &str, c: &Captures, ctx: &Ctx, vols: &[Found], used: &mut [bool], out: &mut Vec<Found>) {
    let (Some(m), Some(nums_m)) = (c.get(0), c.name("nums")) else { return };
    let plural = c.name("w").is_some_and(|w| w.as_str().starts_with("Documents") || w.as_str() == "Docs.");
    let mut nums: Vec<u32> = Vec::new();
    let mut end = m.end();
    static RANGE: OnceLock<Regex> = OnceLock::new();
    let range = re(&RANGE, r"(?P<a>\d+)\s*(?:–|-|to|through)\s*(?P<b>\d+)|(?P<n>\d+)");
    for rc in range.captures_iter(nums_m.as_str()) {
        if let (Some(a), Some(b)) = (rc.name("a"), rc.name("b")) {
            let (a, b) = (a.as_str().parse::<u32>().unwrap_or(0), b.as_str().parse::<u32>().unwrap_or(0));
            if a < b && b - a <= 50 {
                nums.extend(a..=b);
            } else {
                nums.extend([a, b]);
            }
        } else if let Some(n) = rc.name("n").and_then(|n| n.as_str().parse::<u32>().ok()) {
            nums.push(n);
        }
        if !plural {
            end = nums_m.start() + rc.get(0).map_or(0, |x| x.end());
            break;
        }
    }
    // "vol. XXI, Document 45": the volume just before names the volume of the document.
    let mut start = m.start();
    let mut volume = ctx.volume.clone();
    let mut from_text = false;
    for (i, v) in vols.iter().enumerate() {
        let gap = text.get(v.end..m.start()).unwrap_or("x");
        if v.end <= m.start() && gap.chars().all(|ch| ch == ',' || ch.is_whitespace()) && gap.len() <= 3 {
            if let Some(t) = &v.r.target {
                volume = Some(t.clone());
                from_text = true;
            }
            start = v.start;
            used[i] = true;
        }
    }
    let passage = text.get(start..end).unwrap_or("").to_string();
    for n in nums.into_iter().filter(|n| *n > 0) {
        let mut r = CrossRef::new(RefKind::Document, &passage);
        r.number = Some(n.to_string());
        if let Some(v) = &volume {
            r.target = Some(format!("{v}/d{n}"));
            if !from_text {
                r.infer("target");
            }
        }
        out.push(Found { r, start, end });
    }
}

// ---------------------------------------------------------------------------------------------
// Keys and resolution

fn norm_post(p: &str) -> String {
    p.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn key(direction: Option<Direction>, post: Option<&str>, circular: bool, number: &str, year: i32) -> Option<String> {
    if circular {
        return Some(format!("telegram:circular:{number}:{year}"));
    }
    let dir = match direction? {
        Direction::To => "to",
        Direction::From => "from",
    };
    Some(format!("telegram:{dir}:{}:{number}:{year}", norm_post(post?)))
}

/// The key a telegram reference shares with the held document that is that telegram: direction,
/// post, number and year ("telegram:from:tokyo:773:1955"). `None` unless all are known.
pub fn telegram_key_of_reference(r: &CrossRef) -> Option<String> {
    if r.kind != RefKind::Telegram {
        return None;
    }
    let year = r.date.as_ref()?.year_from()?;
    key(r.direction, r.post.as_deref(), r.circular, r.number.as_deref()?, year)
}

/// The same key for a document that is a telegram: FRUS prints the telegram's number at the
/// start of its text ("695." in frus1955-57v23p1 document 51); direction and post come from the
/// from/to parties (or the title) and the dateline place; the year from the date.
pub fn telegram_key_of_document(doc: &Document) -> Option<String> {
    let is_telegram = doc.doc_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("telegram"))
        || doc.title.to_lowercase().contains("telegram");
    if !is_telegram {
        return None;
    }
    let number = telegram_number(doc)?;
    let year = doc.date.as_ref().and_then(DateInterval::year_from)?;
    if doc.title.to_lowercase().contains("circular") {
        return key(None, None, true, &number, year);
    }
    let (dir, post) = direction_and_post(doc)?;
    key(Some(dir), post.as_deref(), false, &number, year)
}

/// The telegram number printed as the first paragraph's label after the heading and dateline.
fn telegram_number(doc: &Document) -> Option<String> {
    let mut paras = doc.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).peekable();
    if let Some(first) = paras.peek() {
        let numbered_head = doc.number.as_ref().is_some_and(|n| first.starts_with(&format!("{n}. ")));
        if (!doc.title.is_empty() && first.contains(doc.title.as_str())) || numbered_head {
            paras.next();
        }
    }
    for p in paras.take(4) {
        if let Some(c) = leading_number_re().captures(p) {
            return Some(c["n"].to_string());
        }
        if p.len() > 200 {
            break;
        }
    }
    None
}

/// What the archive holds, for resolving references: document ids (and FRUS aliases
/// `volume/dN`), volume ids, and telegram keys.
#[derive(Debug, Clone, Default)]
pub struct Held {
    docs: HashMap<String, String>,
    volumes: HashSet<String>,
    telegrams: HashMap<String, String>,
}

impl Held {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn from_documents<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Self {
        let mut h = Self::new();
        for d in docs {
            h.add(d);
        }
        h
    }

    /// Register a document. The first document registered under an alias or key keeps it.
    pub fn add(&mut self, doc: &Document) {
        self.docs.entry(doc.id.clone()).or_insert_with(|| doc.id.clone());
        if let Some(c) = &doc.collection {
            if frus_volume_re().is_match(&c.id) {
                self.volumes.insert(c.id.clone());
                if let Some(n) = &doc.number {
                    self.docs.entry(format!("{}/d{n}", c.id)).or_insert_with(|| doc.id.clone());
                }
            }
        }
        if let Some(k) = telegram_key_of_document(doc) {
            self.telegrams.entry(k).or_insert_with(|| doc.id.clone());
        }
    }
}

/// Link references to held documents: a document reference to the held document with that id
/// (or FRUS alias), a volume reference to a held volume, a telegram to the held document with
/// the same [`telegram_key_of_reference`]. Unheld items keep `resolved` `None`.
pub fn resolve(refs: &mut [CrossRef], held: &Held) {
    for r in refs {
        r.resolved = match r.kind {
            RefKind::Document => r.target.as_ref().and_then(|t| held.docs.get(t)).cloned(),
            RefKind::Volume => r.target.clone().filter(|t| held.volumes.contains(t)),
            RefKind::Telegram => telegram_key_of_reference(r).and_then(|k| held.telegrams.get(&k)).cloned(),
            _ => None,
        };
    }
}

/// The id a TEI `ref/@target` points at, from inside `citing_volume`: "#d45" →
/// "frus1955-57v23p1/d45", "frus1955-57v21" → "frus1955-57v21", "frus1955-57v21#d45" →
/// "frus1955-57v21/d45", "frus1955-57v11#pg_280" → "frus1955-57v11" (a page is not a document);
/// `None` for targets that are not documents or volumes ("#p_RWS1", a URL).
pub fn resolve_ref_target(target: &str, citing_volume: Option<&str>) -> Option<String> {
    let t = target.trim();
    let (vol, frag) = match t.split_once('#') {
        Some((v, f)) => (v, Some(f)),
        None => (t, None),
    };
    let explicit = !vol.is_empty();
    let vol = if explicit { vol } else { citing_volume? };
    if !frus_volume_re().is_match(vol) {
        return None;
    }
    match frag {
        Some(f) if f.starts_with('d') && f.len() > 1 && f[1..].bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("{vol}/{f}"))
        }
        // a page, or a chapter of another volume: the volume
        Some(f) if explicit || f.starts_with("pg_") => Some(vol.to_string()),
        // a person, term or division of this volume is not a cross-reference
        Some(_) => None,
        None => Some(vol.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman("XXIII"), Some(23));
        assert_eq!(roman("iii"), Some(3));
        assert_eq!(roman("XIV"), Some(14));
        assert_eq!(roman("Q"), None);
    }

    #[test]
    fn series_years_follow_hsg_ids() {
        assert_eq!(series_years("1955–1957").as_deref(), Some("1955-57"));
        assert_eq!(series_years("1943").as_deref(), Some("1943"));
        assert_eq!(series_years("1952–54").as_deref(), Some("1952-54"));
    }

    #[test]
    fn parties_of_titles() {
        assert_eq!(
            title_parties("Telegram From the Department of State to the Embassy in Japan"),
            Some(("Department of State".into(), "Embassy in Japan".into()))
        );
        assert_eq!(post_of_party("Embassy in Japan").as_deref(), Some("Tokyo"));
        assert_eq!(post_of_party("Consulate General at Hong Kong").as_deref(), Some("Hong Kong"));
        assert_eq!(post_of_party("Chargé in the Soviet Union (Kennan)").as_deref(), Some("Moscow"));
    }
}
