//! Person mentions resolved against the person authority ([`crate::authority`]).
//!
//! [`resolve`] takes one [`Document`] and returns a [`Resolution`] for every person mention
//! the source tagged (`Mention` of kind person) and for every person name it finds in the
//! untagged text ("spotting": the text, the notes and the summary). Each resolution keeps the
//! passage (text, field, note, offset), the authority id it resolved to or `None`, the rule
//! that decided it ([`Method`], [`Evidence`]) and any doubt ([`Flag`]). Unresolved names stay
//! in the output as names.
//!
//! # Rules
//!
//! **FRUS tags.** A `persName corresp="#p_RWS1"` in volume V (the part of the document id
//! before `/`, or a FRUS collection id) resolves through the authority's source URLs
//! (`…/historicaldocuments/V/persons#p_RWS1`). The tag is trusted only when the mention's text
//! fits a name of the tagged person: its surname (allowing one slip in 5–6 letters, two from
//! 7, as printed lists carry "Hatayoma" for "Hatoyama"), or a given name/nickname ("Frank"), or
//! no name at all ("the Secretary"). A text that names somebody else ("Robertson" tagged with
//! Cutler's id) is flagged [`Flag::TagContradictsText`] and resolved by name instead. A tag
//! the authority does not know is flagged [`Flag::TagNotInAuthority`] and the name is used,
//! with the given names of the volume's own list entry (`Mention::resolved`) when it has one.
//! Outside FRUS volumes a tag means nothing to the authority and the name alone decides.
//! Tagged mentions are resolved (or flagged) whatever their text; `persName` without `corresp`
//! ("Dulles" in a note) goes by name.
//!
//! **Names.** A name is split into surname and given names or initials ("N.S. Khrushchev",
//! "Khrushchev, Nikita", "Мао Цзэдун" read surname first). Keys come from
//! [`normalize_name`] (case, diacritics, Cyrillic → Latin: "Хрущёв" ~ "Khrushchev") plus a
//! loose spelling key (y/i, x/ks, doubled letters). Russian case endings of surnames are
//! undone ("Молотову", "Вышинского", "Сталиным"). Candidates are the persons with that surname
//! whose given names and initials do not contradict the text ("Н. Рощин" cannot be Alexei
//! Roshchin).
//!
//! **Spotting evidence.** A capitalized word that is a surname in the authority is taken as
//! a person name only with evidence: a title before it (Mr., Ambassador, Secretary, Premier,
//! Comrade, тов.… see [`crate::authority::TITLE_WORDS`]), initials or a given name that fit
//! a candidate, a *distinctive* surname (at least 4 letters, not an English word nor a given
//! name, not a place name by the authority's own remarks, not written in lower case in the
//! same document, borne by at most 10 persons and less often a given name; Latin script
//! must match a surname letter for letter), a person of the document's own FRUS volume list
//! (only mid-sentence and not an English word), or the same surname resolved elsewhere in the
//! document (coreference). Words overlapping any source mention (a place, a term) are not
//! spotted. A capitalized word right after a surname makes it a given name ("Allison
//! Smith"), unless the person's name is written surname first. Spotted names with a title,
//! initials or a distinctive surname but nobody fitting stay as names, flagged
//! [`Flag::NoCandidate`] ("Н. Рощин").
//!
//! **Deciding.** Each candidate is scored: name fit (full given name 3, initials 2), the
//! document's date against the years the record evidences (life years, years of the FRUS
//! volumes that list the person, years named in remarks: +2 inside, less by 0.2 a year
//! outside; excluded when the document is older than the person's birth + 12 or predates the
//! evidenced years by more than 20; −1.5 when the person was dead), listing in the document's
//! FRUS volume (+3), overlap of the person's remarks with the document's words (IDF-weighted;
//! the remark the document's own volume gives counts extra), co-occurrence in FRUS person
//! lists with the people the document names with certainty (up to +1.5),
//! coreference (+4) and a small prominence prior. The best wins when it leads the next by at
//! least 1; otherwise the mention is [`Flag::Ambiguous`] and `person` stays `None`. So
//! "Hatoyama" in 1955 is Hatoyama Ichiro (volume lists of 1952–57), never Yukio (2009–10).
//!
//! Offsets are characters: into `Document::text` for [`Field::Text`], into the note's text for
//! [`Field::Note`], into the summary for [`Field::Summary`]. `mention` indexes
//! `Document::mentions` for tagged mentions and is `None` for spotted names.
//!
//! **Contributors.** [`resolve_contributors`] (or [`resolve_all`], which does both in one pass)
//! resolves the people a document is by or to (`Document::contributors` whose role is one of
//! [`AGENT_ROLES`]: the "from"/"to" of a FRUS heading, a TEI letter's sender and recipient, a
//! Wilson Center record's creators) by the same rules, each a [`Resolution`] of
//! [`Field::Contributor`] naming the contributor it is for (its index and role). A contributor carrying a FRUS person-list id in a FRUS
//! volume goes the way of a tagged mention; any other name must show the evidence a name in
//! the text needs (read as a name standing alone, so the volume's list may vouch for it), so
//! offices and bodies ("Secretary of State", "Embassy in Japan") resolve to nobody and are left
//! out. Catalog headings are read as names ("Khrushchev, Nikita Sergeyevich, 1894-1971"). Editors,
//! translators and the scholars who contributed a record are people of our time and are not
//! looked for. Contributors learn from the mentions (coreference, co-occurrence) but never
//! change how a mention resolves: [`resolve`] gives the same answers with or without them.

use crate::authority::{
    key_of, normalize_name as normalize, parse_query, parse_source_url, remark_words, volume_years, Authority, NameFit,
    Query,
};
use chancery_model::{Document, MentionKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

pub use crate::authority::normalize_name;

/// One person mention and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// The name as it stands in the document ("N.S. Khrushchev", "Вышинского").
    pub text: String,
    pub field: Field,
    /// The note number when `field` is [`Field::Note`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Character offset of `text` in its field, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// Index into `Document::mentions` for source-tagged mentions; `None` when spotted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<usize>,
    /// The authority id, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub method: Method,
    /// Why this is a name and why this person.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<Flag>,
    /// Authority ids considered, best first (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// For [`Field::Contributor`]: the contributor's role as the document gives it ("from",
    /// "to", "author").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// For [`Field::Contributor`]: the index into `Document::contributors`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributor: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Text,
    Note,
    Summary,
    /// Not in a passage: one of the people the document is by or to (its heading's "from" or
    /// "to", a letter's sender, a record's creator); see [`resolve_contributors`].
    Contributor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Through the FRUS volume's person-list id, confirmed by the text.
    FrusRef,
    /// A source-tagged mention matched by its name (untagged, or the tag unusable).
    Name,
    /// Found in untagged text and matched by name.
    Spotted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Evidence {
    /// The source's own tag.
    Tag {
        reference: String,
    },
    /// A title right before the name.
    Title {
        word: String,
    },
    Initials,
    GivenName,
    /// A surname that is unlikely to be anything but a name.
    Distinctive,
    /// The person is in the document's FRUS volume List of Persons.
    VolumeList,
    /// The same surname resolved elsewhere in the document.
    Coreference,
    /// The document's date fits the person's years better than the others'.
    Date,
    /// The person's remarks share words with the document.
    Context,
    /// The only person with that name.
    Unique,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// The tag points at `tagged` but the text names somebody else.
    TagContradictsText { tagged: String, text: String },
    /// The tag is not among the authority's sources for this volume.
    TagNotInAuthority { reference: String },
    /// Several persons fit about equally well.
    Ambiguous { candidates: Vec<String> },
    /// A name (with evidence) that fits nobody in the authority.
    NoCandidate,
}

/// Roles of the people a document is by or to, which are resolved: the FRUS reader's
/// "from"/"to", a TEI letter's "sender", "recipient", "forwarder" and "redirected-to", a
/// Wilson Center record's "author" (its creators), and "creator"/"addressee".
pub const AGENT_ROLES: &[&str] =
    &["author", "creator", "from", "sender", "to", "recipient", "addressee", "forwarder", "redirected-to"];

/// Resolve every person mention of `doc`, tagged or spotted, in document order (text, then
/// notes, then summary).
pub fn resolve(doc: &Document, authority: &Authority) -> Vec<Resolution> {
    run(doc, authority, false).0
}

/// Resolve the people `doc` is by or to (its contributors of [`AGENT_ROLES`]), in the order of
/// `Document::contributors`, each a [`Resolution`] of [`Field::Contributor`] with the
/// contributor's `role` and index (`contributor`). Only names with evidence are returned,
/// resolved or not.
pub fn resolve_contributors(doc: &Document, authority: &Authority) -> Vec<Resolution> {
    run(doc, authority, true).1
}

/// [`resolve`] and [`resolve_contributors`] in one pass: (mentions, contributors).
pub fn resolve_all(doc: &Document, authority: &Authority) -> (Vec<Resolution>, Vec<Resolution>) {
    run(doc, authority, true)
}

fn run(doc: &Document, authority: &Authority, contributors: bool) -> (Vec<Resolution>, Vec<Resolution>) {
    let ctx = Ctx::new(doc, authority);
    let mut items = Vec::new();
    let mut occupied = Occupied::new();
    collect_mentions(doc, &mut items, &mut occupied);
    for (field, note, text) in regions(doc) {
        let busy = occupied.get(&(field, note.clone())).cloned().unwrap_or_default();
        spot(&ctx, text, field, note, &busy, false, &mut items);
    }
    if contributors {
        collect_contributors(&ctx, doc, &mut items);
    }
    decide(&ctx, &mut items);
    let (agents, items): (Vec<Item>, Vec<Item>) =
        items.into_iter().filter(|it| it.keep).partition(|it| it.contributor.is_some());
    let ids = |v: &[usize]| v.iter().take(5).map(|&i| authority.persons()[i].id.clone()).collect::<Vec<String>>();
    let agents = agents
        .into_iter()
        .filter_map(|it| {
            let i = it.contributor?;
            let c = doc.contributors.get(i)?;
            Some(Resolution {
                text: c.name.clone(),
                field: Field::Contributor,
                note: None,
                offset: None,
                mention: None,
                person: it.person.map(|p| authority.persons()[p].id.clone()),
                method: it.method,
                evidence: it.evidence,
                flag: it.flag,
                candidates: ids(&it.ranked),
                role: Some(c.role.clone()),
                contributor: Some(i),
            })
        })
        .collect();
    let mut out: Vec<(usize, usize, Resolution)> = items
        .into_iter()
        .map(|it| {
            let region = match it.field {
                Field::Text => 0,
                Field::Note => {
                    1 + doc.notes.iter().position(|n| Some(&n.n) == it.note.as_ref()).unwrap_or(doc.notes.len())
                }
                Field::Summary => 2 + doc.notes.len(),
                Field::Contributor => 3 + doc.notes.len(),
            };
            let res = Resolution {
                text: it.text,
                field: it.field,
                note: it.note,
                offset: it.offset,
                mention: it.mention,
                person: it.person.map(|i| authority.persons()[i].id.clone()),
                method: it.method,
                evidence: it.evidence,
                flag: it.flag,
                candidates: ids(&it.ranked),
                role: None,
                contributor: None,
            };
            (region, it.offset.unwrap_or(usize::MAX), res)
        })
        .collect();
    out.sort_by_key(|(r, o, _)| (*r, *o));
    (out.into_iter().map(|(_, _, r)| r).collect(), agents)
}

// ---------------------------------------------------------------------------------------

struct Ctx<'a> {
    auth: &'a Authority,
    volume: Option<String>,
    years: Option<(i32, i32)>,
    /// Remark-word ids present in the document.
    words: HashSet<u32>,
    /// Normalized words the document writes in lower case.
    lower: HashSet<String>,
}

impl<'a> Ctx<'a> {
    fn new(doc: &Document, auth: &'a Authority) -> Self {
        let volume = doc
            .id
            .split('/')
            .next()
            .filter(|v| volume_years(v).is_some())
            .or_else(|| doc.collection.as_ref().map(|c| c.id.as_str()).filter(|v| volume_years(v).is_some()))
            .map(str::to_string);
        let years = doc
            .date
            .as_ref()
            .and_then(|d| Some((year_of(&d.from)?, year_of(&d.to)?)))
            .or_else(|| volume.as_deref().and_then(volume_years));
        let mut all = String::new();
        all.push_str(&doc.title);
        all.push('\n');
        all.push_str(&doc.text);
        for n in &doc.notes {
            all.push('\n');
            all.push_str(&n.text);
        }
        if let Some(s) = &doc.summary {
            all.push('\n');
            all.push_str(s);
        }
        let words = remark_words(&all).filter_map(|w| auth.index.words.get(&w).copied()).collect::<HashSet<u32>>();
        let lower = all
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
            .map(normalize)
            .collect();
        Ctx { auth, volume, years, words, lower }
    }
}

fn year_of(iso: &str) -> Option<i32> {
    iso.get(..4)?.parse().ok()
}

#[derive(Debug, Clone)]
struct Item {
    text: String,
    field: Field,
    note: Option<String>,
    offset: Option<usize>,
    mention: Option<usize>,
    queries: Vec<Query>,
    /// Surname keys (for coreference).
    keys: Vec<String>,
    /// The person a trusted tag points at.
    tagged: Option<usize>,
    evidence: Vec<Evidence>,
    /// Spotted without evidence of its own: kept only by coreference.
    weak: bool,
    method: Method,
    flag: Option<Flag>,
    person: Option<usize>,
    ranked: Vec<usize>,
    keep: bool,
    /// A weak spot may still be vouched for by the document's FRUS volume list (a
    /// mid-sentence word that is no common English word).
    volume_ok: bool,
    /// The index of the contributor this name is, for names from `Document::contributors`.
    /// Such items learn from the others but never teach them (see [`decide`]).
    contributor: Option<usize>,
}

impl Item {
    fn new(text: String, field: Field, note: Option<String>, offset: Option<usize>, method: Method) -> Self {
        Item {
            text,
            field,
            note,
            offset,
            mention: None,
            queries: vec![],
            keys: vec![],
            tagged: None,
            evidence: vec![],
            weak: false,
            method,
            flag: None,
            person: None,
            ranked: vec![],
            keep: true,
            volume_ok: false,
            contributor: None,
        }
    }
}

type Occupied = HashMap<(Field, Option<String>), Vec<(usize, usize)>>;

/// Items for the source's person mentions; spans of all mentions (any kind) are occupied.
fn collect_mentions(doc: &Document, items: &mut Vec<Item>, occupied: &mut Occupied) {
    let mut cursors: HashMap<String, usize> = HashMap::new();
    for (idx, m) in doc.mentions.iter().enumerate() {
        let len = m.text.chars().count();
        let (field, offset) = match &m.note {
            None => (Field::Text, m.offset),
            Some(n) => {
                // Mentions of a note come in order: find each after the previous one.
                let note_text = doc.note(n).map(|x| x.text.as_str()).unwrap_or("");
                let from = cursors.get(n).copied().unwrap_or(0);
                let at = find_chars(note_text, &m.text, from);
                if let Some(a) = at {
                    cursors.insert(n.clone(), a + len);
                }
                (Field::Note, at)
            }
        };
        if let Some(o) = offset {
            occupied.entry((field, m.note.clone())).or_default().push((o, o + len));
        }
        if m.kind != MentionKind::Person {
            continue;
        }
        let mut it = Item::new(m.text.clone(), field, m.note.clone(), offset, Method::Name);
        it.mention = Some(idx);
        it.queries = parse_query(&m.text);
        items.push(with_tag(it, m.reference.clone(), m.resolved.as_deref()));
    }
}

/// Keys, the tag as evidence, and the volume's list entry as an extra query.
fn with_tag(mut it: Item, reference: Option<String>, resolved: Option<&str>) -> Item {
    it.keys = it.queries.iter().flat_map(|q| q.surnames.clone()).collect();
    if let Some(r) = reference {
        it.evidence.push(Evidence::Tag { reference: r });
    }
    if let Some(entry) = resolved {
        // The volume's own list entry: "Hatayoma, Ichiro, Prime Minister …"
        let mut parts = entry.splitn(3, ',');
        if let (Some(sur), Some(given)) = (parts.next(), parts.next()) {
            it.queries.extend(parse_query(&format!("{sur},{given}")).into_iter().map(|mut q| {
                q.list_entry = true;
                q
            }));
        }
    }
    it
}

/// Items for the contributors of [`AGENT_ROLES`]: a FRUS person-list id of the document's
/// volume is a tag; any other name is spotted as a name standing alone, in its natural order.
fn collect_contributors(ctx: &Ctx, doc: &Document, items: &mut Vec<Item>) {
    for (idx, c) in doc.contributors.iter().enumerate() {
        if !AGENT_ROLES.contains(&c.role.as_str()) {
            continue;
        }
        let name = heading_name(&c.name);
        if name.is_empty() {
            continue;
        }
        let frus_tag = c.reference.as_deref().filter(|r| {
            ctx.volume.as_deref().is_some_and(|v| {
                ctx.auth.frus_ref_position(v, r).is_some() || r.trim().trim_start_matches('#').starts_with("p_")
            })
        });
        if let Some(r) = frus_tag {
            let mut it = Item::new(c.name.clone(), Field::Text, None, None, Method::Name);
            it.contributor = Some(idx);
            it.queries = parse_query(&name);
            items.push(with_tag(it, Some(r.to_string()), None));
            continue;
        }
        // Spotting says whether this is a person's name at all; the name that reaches its end
        // is the contributor, matched with all its given names ("John Foster Dulles", where
        // spotting alone would stop at "Foster", a common word).
        let natural = natural_order(&name);
        let mut found = Vec::new();
        spot(ctx, &natural, Field::Text, None, &[], true, &mut found);
        let last = found.into_iter().rev().find(|it| {
            let end = it.offset.unwrap_or(0) + it.text.chars().count();
            !natural.chars().skip(end).any(char::is_alphabetic)
        });
        if let Some(mut it) = last {
            it.contributor = Some(idx);
            it.offset = None;
            it.text = c.name.clone();
            it.queries.extend(parse_query(&natural));
            items.push(it);
        }
    }
}

/// A name as catalog headings write it, without life dates: "Khrushchev, Nikita Sergeyevich,
/// 1894-1971" → "Khrushchev, Nikita Sergeyevich"; "Kennan (1904–2005)" → "Kennan".
fn heading_name(name: &str) -> String {
    let mut kept = String::new();
    let mut group = String::new();
    let mut depth = 0usize;
    for ch in name.chars() {
        match ch {
            '(' | '[' => {
                if depth == 0 {
                    group.clear();
                }
                depth += 1;
                group.push(ch);
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                group.push(ch);
                if depth == 0 && !group.chars().any(|c| c.is_ascii_digit()) {
                    kept.push_str(&group);
                }
            }
            _ if depth > 0 => group.push(ch),
            _ => kept.push(ch),
        }
    }
    if depth > 0 {
        kept.push_str(&group);
    }
    kept.split(',')
        .map(str::trim)
        .filter(|part| part.chars().any(char::is_alphabetic) && !part.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(", ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Surname, Given Names" → "Given Names Surname", when both sides read as parts of a name
/// (capitalized words or initials, no "of"); anything else as it is.
fn natural_order(name: &str) -> String {
    let Some((sur, given)) = name.split_once(',') else { return name.to_string() };
    let namey = |s: &str, max: usize| {
        let words: Vec<&str> = s.split_whitespace().collect();
        !words.is_empty()
            && words.len() <= max
            && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) && !w.contains(','))
    };
    if namey(sur, 3) && namey(given, 4) {
        format!("{} {}", given.trim(), sur.trim())
    } else {
        name.to_string()
    }
}

/// Character offset of `needle` in `hay` at or after character `from`.
fn find_chars(hay: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let start_byte = hay.char_indices().nth(from).map(|(b, _)| b)?;
    let rel = hay[start_byte..].find(needle)?;
    Some(from + hay[start_byte..start_byte + rel].chars().count())
}

fn regions(doc: &Document) -> Vec<(Field, Option<String>, &str)> {
    let mut out = vec![(Field::Text, None, doc.text.as_str())];
    for n in &doc.notes {
        out.push((Field::Note, Some(n.n.clone()), n.text.as_str()));
    }
    if let Some(s) = &doc.summary {
        out.push((Field::Summary, None, s.as_str()));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Spotting

#[derive(Debug, Clone)]
struct Tok<'t> {
    /// The word, possessive removed.
    word: &'t str,
    start: usize,
    end: usize,
    /// Text between the previous token and this one.
    sep: &'t str,
    /// Directly followed by a full stop.
    dot: bool,
    cap: bool,
    all_caps: bool,
    cyrillic: bool,
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut prev_end_byte = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        if !c.is_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let apostrophe =
                matches!(c, '\'' | '’') && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic()) && j > start;
            if c.is_alphabetic() || apostrophe || is_combining_char(c) {
                j += 1;
            } else {
                break;
            }
        }
        let end_byte = chars.get(j).map_or(text.len(), |x| x.0);
        let mut word = &text[b..end_byte];
        let mut end = j;
        for suf in ["'s", "’s"] {
            if let Some(w) = word.strip_suffix(suf) {
                if !w.is_empty() {
                    word = w;
                    end = j - 2;
                }
            }
        }
        let letters = word.chars().filter(|c| c.is_alphabetic());
        let cap = word.chars().next().is_some_and(char::is_uppercase);
        let all_caps =
            word.chars().filter(|c| c.is_alphabetic()).count() > 1 && letters.clone().all(char::is_uppercase);
        let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        out.push(Tok {
            word,
            start,
            end,
            sep: &text[prev_end_byte..b],
            dot: chars.get(j).is_some_and(|x| x.1 == '.') && end == j,
            cap,
            all_caps,
            cyrillic,
        });
        prev_end_byte = end_byte;
        i = j;
    }
    out
}

fn is_combining_char(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

fn tok_key(t: &Tok) -> String {
    key_of(t.word)
}

fn is_initial(t: &Tok) -> bool {
    t.dot && t.cap && t.word.chars().count() == 1
}

fn is_title_tok(t: &Tok) -> bool {
    (t.cap || t.cyrillic) && crate::authority::is_title_word(&tok_key(t))
}

fn is_common(t: &Tok) -> bool {
    static SET: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| COMMON_WORDS.split_whitespace().chain(STOP_WORDS.split_whitespace()).collect());
    set.contains(normalize(t.word).as_str())
}

fn sentence_start(toks: &[Tok], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let sep = toks[i].sep;
    if sep.contains('\n') {
        return true;
    }
    let prev = &toks[i - 1];
    let ends = sep.trim_start().starts_with(['.', '!', '?', ':', ';', '•']) || sep.contains(['“', '"', '«', '(', '[']);
    ends && !is_initial(prev) && !is_title_tok(prev)
}

/// Surname keys of a token: its own key and, for Russian, the nominative of common case
/// endings.
fn surname_keys(t: &Tok) -> Vec<String> {
    let mut keys = vec![tok_key(t)];
    if t.cyrillic {
        let lower: String = t.word.chars().flat_map(char::to_lowercase).collect();
        for base in russian_nominatives(&lower) {
            let k = key_of(&base);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Nominative candidates of a Russian surname in an oblique case ("Вышинского" →
/// "вышинский", "Молотову" → "молотов", "Цзэдуном" → "цзэдун").
fn russian_nominatives(w: &str) -> Vec<String> {
    const RULES: &[(&str, &str)] = &[
        ("ского", "ский"),
        ("скому", "ский"),
        ("ским", "ский"),
        ("ском", "ский"),
        ("цкого", "цкий"),
        ("цкому", "цкий"),
        ("цким", "цкий"),
        ("цком", "цкий"),
        ("овым", "ов"),
        ("ова", "ов"),
        ("ову", "ов"),
        ("ове", "ов"),
        ("евым", "ев"),
        ("ева", "ев"),
        ("еву", "ев"),
        ("еве", "ев"),
        ("иным", "ин"),
        ("ина", "ин"),
        ("ину", "ин"),
        ("ине", "ин"),
        ("ыным", "ын"),
        ("ына", "ын"),
        ("ыну", "ын"),
    ];
    let mut out = Vec::new();
    for (suf, rep) in RULES {
        if let Some(stem) = w.strip_suffix(suf) {
            if stem.chars().count() >= 2 {
                out.push(format!("{stem}{rep}"));
            }
        }
    }
    if out.is_empty() {
        for suf in ["ом", "ем", "ым", "а", "у", "е"] {
            if let Some(stem) = w.strip_suffix(suf) {
                if stem.chars().count() >= 3 && stem.chars().last().is_some_and(is_russian_consonant) {
                    out.push(stem.to_string());
                }
            }
        }
    }
    out
}

fn is_russian_consonant(c: char) -> bool {
    "бвгджзйклмнпрстфхцчшщ".contains(c)
}

const PARTICLES: &[&str] =
    &["de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "du", "ter", "al", "el"];

/// Spot person names in `text`. `standalone`: the text is one name on its own (a contributor),
/// not a sentence, so its first word is not taken for a sentence start by the volume-list rule.
fn spot(
    ctx: &Ctx,
    text: &str,
    field: Field,
    note: Option<String>,
    busy: &[(usize, usize)],
    standalone: bool,
    items: &mut Vec<Item>,
) {
    let toks = tokenize(text);
    let ix = &ctx.auth.index;
    let overlaps = |a: usize, b: usize| busy.iter().any(|&(s, e)| a < e && s < b);
    let adjacent = |k: usize| toks[k].sep.chars().all(|c| c == ' ' || c == '-' || c == '\u{a0}');
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let particle = PARTICLES.contains(&t.word) && toks.get(i + 1).is_some_and(|n| n.cap);
        if !(t.cap || particle) || t.word.chars().count() < 2 || overlaps(t.start, t.end) {
            i += 1;
            continue;
        }
        if t.all_caps && t.word.chars().count() <= 3 {
            i += 1;
            continue;
        }
        // Longest surname: two words ("De Palma", "Vaillant-Couturier"), else one.
        let mut last = i;
        let mut keys: Vec<String> = Vec::new();
        if i + 1 < toks.len() && adjacent(i + 1) && toks[i + 1].cap && !overlaps(toks[i + 1].start, toks[i + 1].end) {
            let two = format!("{} {}", tok_key(t), tok_key(&toks[i + 1]));
            if ix.surnames.contains_key(&two) {
                keys.push(two);
                last = i + 1;
            }
        }
        if keys.is_empty() {
            if particle || is_title_tok(t) {
                i += 1;
                continue;
            }
            keys = surname_keys(t).into_iter().filter(|k| ix.surnames.contains_key(k)).collect();
        }
        if keys.is_empty() {
            i += 1;
            continue;
        }
        // Look behind: initials and given names, then a title.
        let mut first = i;
        let mut given: Vec<String> = Vec::new();
        let mut title: Option<String> = None;
        let mut given_tok = false;
        let mut had_initial = false;
        let mut unknown_before = false;
        let mut k = i;
        while k > 0 {
            let p = &toks[k - 1];
            let sep = toks[k].sep.trim();
            // a full stop only after an initial or an abbreviated title ("Mr.", "тов.")
            let abbreviation = p.dot && p.word.chars().count() <= 4 && is_title_tok(p);
            let sep_ok = sep.is_empty() || (sep == "." && (is_initial(p) || abbreviation));
            if !sep_ok || toks[k].sep.contains('\n') || overlaps(p.start, p.end) {
                break;
            }
            if is_initial(p) {
                given.push(tok_key(p));
                had_initial = true;
                first = k - 1;
            } else if is_title_tok(p) {
                title = Some(p.word.to_string());
                break;
            } else if p.cap && !is_common(p) && ix.given.contains_key(&tok_key(p)) {
                given.push(tok_key(p));
                given_tok = true;
                first = k - 1;
            } else {
                unknown_before = p.cap && !is_common(p) && !sentence_start(&toks, k - 1);
                break;
            }
            k -= 1;
            if given.len() >= 4 {
                break;
            }
        }
        given.reverse();
        // A sentence-initial word before the surname that fits nobody is no given name
        // here ("Tell Stalin"): the surname stands alone. Mid-sentence it is a given name
        // of somebody the authority does not have ("Allison Smith").
        if given_tok && title.is_none() && !had_initial && sentence_start(&toks, first) {
            let q = Query { surnames: keys.clone(), given: given.clone(), ..Default::default() };
            if ctx.auth.candidates(&q).is_empty() {
                given.clear();
                given_tok = false;
                first = i;
            }
        }
        // Look ahead: a capitalized word right after the surname.
        let next = toks.get(last + 1).filter(|n| {
            adjacent(last + 1) && n.cap && !n.all_caps && !is_title_tok(n) && !is_common(n) && !overlaps(n.start, n.end)
        });
        let mut queries = Vec::new();
        let strong_before = title.is_some() || !given.is_empty();
        if next.is_none() || strong_before {
            queries.push(Query { surnames: keys.clone(), given: given.clone(), ..Default::default() });
        }
        if let Some(n) = next {
            let q = Query {
                surnames: keys.clone(),
                given: vec![tok_key(n)],
                given_unverifiable: n.cyrillic,
                surname_first_only: true,
                ..Default::default()
            };
            if !strong_before && ctx.auth.candidates(&q).is_empty() {
                // "Paul Hoffman", "Allison Smith": this word is the given name of the next
                i += 1;
                continue;
            }
            queries.push(q);
        }
        if unknown_before && !strong_before {
            // part of another proper noun ("Foggy Bottom")
            i = last + 1;
            continue;
        }
        let start_tok = first;
        let end_tok = if next.is_some() && !strong_before { last + 1 } else { last };
        let span_start = toks[start_tok].start;
        let span_end = toks[end_tok].end;
        let span: String = text.chars().skip(span_start).take(span_end - span_start).collect();
        let mut it = Item::new(span, field, note.clone(), Some(span_start), Method::Spotted);
        it.keys = keys.clone();
        it.queries = queries;
        if let Some(w) = title {
            it.evidence.push(Evidence::Title { word: w });
        }
        let single = last == i;
        let distinctive = !single || distinctive(ctx, t);
        let mid_sentence = (standalone || !sentence_start(&toks, i)) && first == i;
        if it.evidence.is_empty() && given.is_empty() {
            if distinctive {
                it.evidence.push(Evidence::Distinctive);
            } else {
                // kept only by coreference or, mid-sentence, by the volume's list
                it.weak = true;
                it.volume_ok = mid_sentence && !is_common(t);
            }
        }
        if given_tok {
            it.evidence.push(Evidence::GivenName);
        } else if !given.is_empty() {
            it.evidence.push(Evidence::Initials);
        }
        items.push(it);
        i = end_tok + 1;
    }
}

fn distinctive(ctx: &Ctx, t: &Tok) -> bool {
    let ix = &ctx.auth.index;
    let key = tok_key(t);
    if key.chars().count() < 4 || t.all_caps || is_common(t) {
        return false;
    }
    // Latin script: spelled exactly as a surname in the authority ("Ballantine" is not
    // "Ballantyne").
    if !t.cyrillic && !ix.exact_surnames.contains(&normalize(t.word)) {
        return false;
    }
    if ctx.lower.contains(&normalize(t.word)) {
        return false;
    }
    let keys = surname_keys(t);
    let n = keys.iter().filter_map(|k| ix.surnames.get(k)).map(Vec::len).max().unwrap_or(0) as u32;
    // more often a given name than a surname ("George", "Frank")
    if n == 0 || n > 10 || ix.given.get(&key).copied().unwrap_or(0) > n {
        return false;
    }
    let (caps, after_prep) = ix.remark_caps.get(&key).copied().unwrap_or((0, 0));
    caps <= 10 + 5 * n && after_prep < 3
}

// ---------------------------------------------------------------------------------------
// Deciding

fn decide(ctx: &Ctx, items: &mut [Item]) {
    let auth = ctx.auth;
    // Tags first.
    for it in items.iter_mut() {
        let Some(Evidence::Tag { reference }) = it.evidence.first().cloned() else { continue };
        let Some(vol) = &ctx.volume else {
            // not a FRUS volume: its ids mean nothing to the authority; the name decides
            it.evidence.retain(|e| !matches!(e, Evidence::Tag { .. }));
            continue;
        };
        match auth.frus_ref_position(vol, &reference) {
            Some(p) => {
                let own: Vec<&Query> = it.queries.iter().filter(|q| !q.list_entry).collect();
                let names_nobody = own.iter().all(|q| q.surnames.iter().all(|s| s.is_empty()));
                if names_nobody || own.iter().any(|q| auth.text_fits(p, q)) {
                    it.tagged = Some(p);
                    it.person = Some(p);
                    it.method = Method::FrusRef;
                    it.ranked = vec![p];
                } else {
                    it.flag =
                        Some(Flag::TagContradictsText { tagged: auth.persons()[p].id.clone(), text: it.text.clone() });
                    // the list entry belongs to the tag, not to the text
                    it.queries.retain(|q| !q.list_entry);
                    it.evidence.retain(|e| !matches!(e, Evidence::Tag { .. }));
                }
            }
            None => {
                it.flag = Some(Flag::TagNotInAuthority { reference });
                it.evidence.retain(|e| !matches!(e, Evidence::Tag { .. }));
            }
        }
    }
    // Two passes: the second sees the first's decisions (co-occurrence, coreference).
    // surname key → persons resolved under it, with the items that did
    let mut established: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut anchors: Vec<usize> = Vec::new();
    for (n, it) in items.iter().enumerate() {
        if it.contributor.is_some() {
            continue; // contributors learn from the mentions, never the other way
        }
        if let Some(p) = it.tagged {
            if !anchors.contains(&p) {
                anchors.push(p);
            }
            for k in &it.keys {
                established.entry(k.clone()).or_default().push((p, n));
            }
        }
    }
    for pass in 0..2 {
        let mut decided: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for (n, it) in items.iter_mut().enumerate() {
            if it.tagged.is_some() {
                continue;
            }
            let mut coref: Vec<usize> = it
                .keys
                .iter()
                .filter_map(|k| established.get(k))
                .flatten()
                .filter(|(_, m)| *m != n)
                .map(|(p, _)| *p)
                .collect();
            coref.dedup();
            if it.weak && coref.is_empty() {
                // no evidence yet; a person of the volume list may still vouch for a
                // mid-sentence name
                let in_volume = it.volume_ok && ctx.volume.is_some() && {
                    let cands = candidates(ctx, it);
                    cands.iter().any(|(i, _)| in_volume(ctx, *i))
                };
                if !in_volume {
                    it.keep = false;
                    continue;
                }
                if !it.evidence.contains(&Evidence::VolumeList) {
                    it.evidence.push(Evidence::VolumeList);
                }
            }
            it.keep = true;
            let cands = candidates(ctx, it);
            if cands.is_empty() {
                it.person = None;
                it.ranked.clear();
                let name_signal = it
                    .evidence
                    .iter()
                    .any(|e| matches!(e, Evidence::Title { .. } | Evidence::Initials | Evidence::Distinctive));
                if it.method == Method::Spotted && (it.weak || !name_signal) {
                    // "San Francisco": a given name of somebody, but no sign of a person
                    it.keep = false;
                } else if it.flag.is_none() || matches!(it.flag, Some(Flag::NoCandidate | Flag::Ambiguous { .. })) {
                    it.flag = Some(Flag::NoCandidate);
                }
                continue;
            }
            let mut scored: Vec<(usize, f64, Vec<Evidence>)> = cands
                .iter()
                .filter_map(|&(i, fit)| score(ctx, i, fit, &anchors, &coref).map(|(s, e)| (i, s, e)))
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            // ranked: the scored ones, then those the dates ruled out
            it.ranked = scored.iter().map(|s| s.0).collect();
            let mut out: Vec<usize> = cands.iter().map(|c| c.0).filter(|i| !it.ranked.contains(i)).collect();
            out.sort_unstable();
            it.ranked.extend(out);
            let keep_flag = matches!(it.flag, Some(Flag::TagContradictsText { .. } | Flag::TagNotInAuthority { .. }));
            if !keep_flag {
                it.flag = None;
            }
            it.evidence.retain(|e| {
                !matches!(e, Evidence::Date | Evidence::Context | Evidence::Unique | Evidence::Coreference)
            });
            match scored.as_slice() {
                [] => {
                    it.person = None;
                    if it.method == Method::Spotted && it.weak {
                        it.keep = false;
                    } else if !keep_flag {
                        it.flag = Some(Flag::NoCandidate);
                    }
                }
                [(i, _, ev)] => {
                    it.person = Some(*i);
                    it.evidence.extend(ev.iter().cloned());
                    if cands.len() == 1 {
                        it.evidence.push(Evidence::Unique);
                    } else {
                        it.evidence.push(Evidence::Date);
                    }
                }
                [(i, s1, ev), (_, s2, _), ..] => {
                    if s1 - s2 >= 1.0 {
                        it.person = Some(*i);
                        it.evidence.extend(ev.iter().cloned());
                    } else {
                        it.person = None;
                        let close: Vec<String> =
                            scored.iter().filter(|s| s1 - s.1 < 1.0).map(|s| auth.persons()[s.0].id.clone()).collect();
                        if !keep_flag {
                            it.flag = Some(Flag::Ambiguous { candidates: close });
                        }
                    }
                }
            }
            dedup(&mut it.evidence);
            if let (Some(p), None) = (it.person, it.contributor) {
                decided.push((p, n, it.keys.clone()));
            }
        }
        if pass == 0 {
            for (p, n, keys) in decided {
                if !anchors.contains(&p) {
                    anchors.push(p);
                }
                for k in keys {
                    established.entry(k).or_default().push((p, n));
                }
            }
        }
    }
}

fn dedup(ev: &mut Vec<Evidence>) {
    let mut seen = Vec::new();
    ev.retain(|e| {
        if seen.contains(e) {
            false
        } else {
            seen.push(e.clone());
            true
        }
    });
}

fn in_volume(ctx: &Ctx, i: usize) -> bool {
    ctx.volume.as_ref().is_some_and(|v| ctx.auth.index.volumes[i].binary_search(v).is_ok())
}

fn candidates(ctx: &Ctx, it: &Item) -> Vec<(usize, NameFit)> {
    let mut out: Vec<(usize, NameFit)> = Vec::new();
    for q in &it.queries {
        for (i, fit) in ctx.auth.candidates(q) {
            match out.iter_mut().find(|(j, _)| *j == i) {
                Some(h) if fit > h.1 => h.1 = fit,
                Some(_) => {}
                None => out.push((i, fit)),
            }
        }
    }
    out
}

/// Score of candidate `i`, or `None` when the dates rule it out.
fn score(ctx: &Ctx, i: usize, fit: NameFit, anchors: &[usize], coref: &[usize]) -> Option<(f64, Vec<Evidence>)> {
    let ix = &ctx.auth.index;
    let person = &ctx.auth.persons()[i];
    let mut ev = Vec::new();
    let mut s = match fit {
        NameFit::Full => 3.0,
        NameFit::Initials => 2.0,
        _ => 0.0,
    };
    if let Some((y0, y1)) = ctx.years {
        if person.birth.is_some_and(|b| y1 < b + 12) {
            return None;
        }
        if let Some((a, b)) = ix.active[i] {
            if y1 < a - 20 {
                return None;
            }
            let dist = if y1 < a {
                a - y1
            } else if y0 > b {
                y0 - b
            } else {
                0
            };
            s += 2.0 - 0.2 * f64::from(dist.min(25));
        }
        if person.death.is_some_and(|d| y0 > d + 1) {
            s -= 1.5;
        }
    }
    if in_volume(ctx, i) {
        s += 3.0;
        ev.push(Evidence::VolumeList);
    }
    let words = &ix.remark_words[i];
    if !words.is_empty() {
        let overlap: f64 = words.iter().filter(|w| ctx.words.contains(w)).map(|&w| ix.idf(w)).sum();
        let c = 0.5 * overlap / (words.len() as f64).sqrt();
        if c > 1.0 {
            ev.push(Evidence::Context);
        }
        s += c;
    }
    // How the document's own volume identifies the person weighs more.
    if let Some(v) = &ctx.volume {
        let mut best = 0.0f64;
        for r in &person.remarks {
            if !r.sources.iter().any(|u| parse_source_url(u).is_some_and(|(vol, _)| &vol == v)) {
                continue;
            }
            let ids: HashSet<u32> = remark_words(&r.text).filter_map(|w| ix.words.get(&w).copied()).collect();
            let overlap: f64 = ids.iter().filter(|w| ctx.words.contains(w)).map(|&w| ix.idf(w)).sum();
            best = best.max(overlap / (ids.len().max(1) as f64).sqrt());
        }
        if best > 1.0 && !ev.contains(&Evidence::Context) {
            ev.push(Evidence::Context);
        }
        s += 0.5 * best;
    }
    let others: Vec<&usize> = anchors.iter().filter(|&&a| a != i).collect();
    if !others.is_empty() {
        let vols = &ix.volumes[i];
        let shared = others.iter().filter(|&&&a| ix.volumes[a].iter().any(|v| vols.binary_search(v).is_ok())).count();
        s += 1.5 * shared as f64 / others.len() as f64;
    }
    if coref.contains(&i) {
        s += 4.0;
        ev.push(Evidence::Coreference);
    }
    s += 0.1 * f64::from(ix.n_sources[i]).ln_1p();
    Some((s, ev))
}

/// Frequent English words that may start a sentence before a name.
const STOP_WORDS: &str = concat!(
    "a about above after again against all also although am among an and another any are as at be because ",
    "been before being below between both but by can could did do does during each either even ever every ",
    "few for from further had has have having he her here hers him his how however if in into is it its ",
    "just last least less many may might more most much must my neither never next no nor not now of off ",
    "on once one only or other our out over own perhaps same shall she should since so some still such than ",
    "that the their them then there these they this those though through thus to too toward under until up ",
    "upon very was we were what when where whether which while who whom whose why will with within without ",
    "would yet you your yesterday today tomorrow following recommendation subject ",
);

/// English words that are also name words in the authority: the lower-case entries of
/// SCOWL's `american-english` list (Debian `wamerican`) that occur as words of names in
/// `hsg-people`, plus month and day names (SCOWL notice: `crates/link/NOTICE.md`). A capitalized one of these is a name only with
/// other evidence.
const COMMON_WORDS: &str = concat!(
    "abbey abbot abed academician acting admiral adviser affairs ail air ales alias aline alpha also alter ",
    "amir and angel ani ante april arc archbishop archduke archer arias armada armies army arroyo art ash ",
    "askew assayed atlas august aviation await awkward ayatollah baas bacon badger bah bake baker ball bane ",
    "bannister baptist bar barber barefoot baring barker barks barney baron baroness barrios barrow barrows ",
    "bash basil bass bates battle bay beach beam bean beard beech beers begin bell bellow bellows belt bender ",
    "berg berry beryl big bigger bilge bill billings billy bin binder birch bird bishop black blacken bland ",
    "blank blessing bliss block blood bloom blow blue blunt bob bobby bolster bond bong bongo bonnet bonnie ",
    "bonsai boon booster booth border boring bourbon bow bowers bowling bowman bracken brand bravo bray ",
    "brewer bridge bridges brig brigade bright brims brink broad brook brooks brown browning bruins brunet ",
    "buck buckle bud bull bum bumpers bunker burden burger burns burr burrows bury busby bush butcher butler ",
    "butts cable cage cairns cal call calmer camp camps can canine canning cannon canto cape captain caramel ",
    "caraway cardinal cargo carol carpenter carrion carton carver case cash castle cat cater cattier cave ",
    "chain chairman chamberlain chambers champ chancellor chandler chase chatty cheek chew chi chic chick ",
    "chief child chiles chin chip chow church class clay clement clerk clock cloud coats coffin col colleen ",
    "collier colon colonel combs commander commanding commodore con cone constable constant converse cook ",
    "coon coons cooper cord corner corporal corps cotter cotton counselor count countryman court cousin ",
    "cousins covey cox coy crane creamer creel crews crook cross crouch crown cruise crystal cumming curry ",
    "curt cut cutter daft dale dam davenport davit dawn day deal dean deb debs december dell demos den dent ",
    "deputy derrick designate desire dewy dick dickey dieter dike dill din director dirk dirks divine ",
    "division doc dodge doe dole don dos doughty dove down downs drain drake drew droppers dry dryer dub dubs ",
    "duchess duff duke dun dung dunning dye dyer dyke ear earl early eaves eddy edge elder elect emery emir ",
    "emperor engineer ensign eraser espy etc eve fair faith falcon fall fallows fang far farmer father ",
    "february feller felt fens fetter field fields fife fill finch fine finger fink first fish fisher flack ",
    "flake fleck fleet flood flora flues font foo foot force ford fore forest forester fort forward foster ",
    "fourth fox frank franks free freeman french freshman friday fried friendly fries frost fry fryer fuller ",
    "funk gage gale galley gamble gardener garland garment garner garnet garret garrison gates gaucher gay ",
    "gen gene general generalissimo gentile gentle gentry gibbons gill glass glen goes gold goldsmith good ",
    "goodby gore goring gorse governor grace grade grain grand grant gravel graves gray great green greener ",
    "grew grey grieve griffin grimes gross group grove groves guest guild gunning gurney guy hacker haddock ",
    "hah hale hales hall ham hammer hand handler handy hank hanks harden hardy hare haring harmony harry hart ",
    "hatch haven hay haycock hays hazard head heard heater heath heather heck heckler hector hedges helm ",
    "helms heron herring hertz hew hickey hicks highland hill hills his hiss hitch hitter hobby hock hod ",
    "holder holiness holly home homer honorable hood hook hooker hooks hope hopper horn horsey hostler house ",
    "huddle huger huh hull hung hunt hunter huntsman hut identity iii ill imam interim ion isle ivy jack ",
    "january japan jarring jasper jay jewel jimmy jock john johns joy july june junior junta keel keels ken ",
    "key khan kidder king kitchen kitty knight knoll krone lacy lady lake lam lama lamb lance land lane lash ",
    "lasso later latter laurel law lay leach leader leaf learned leathers lee lei lest levels lever levy lie ",
    "lief lien lieutenant light lilac limb lime linden lisle list little loan lobe locker lodge lone long ",
    "longer looney lopes lord love loving low lubbers lute lynch mace mackintosh madam madame mainland major ",
    "mallet man manager mane manly manning manor mantilla maples march mare maria marina marine mark marks ",
    "marquess marquis mars marsh marshal marten martens martin martins marvel mas mason master masters mate ",
    "mates matt matte maw max maxim may mayo mead meadows means meeker meg member merchant merino merry meta ",
    "metropolitan mickey mike miles miller millet mills min miner minister mink minor minster miss mod monday ",
    "monsignor moo moody moon moonlight moor moors moose moot more morocco morrow moss mosses motley mount ",
    "mouser mufti mull mullah mustard mutter nail nay neighbor newel newton nickel nix noble noel non noon ",
    "north northern novas november now nutting obey october odd off officer ogle out overly pace pacific ",
    "packer page pal pan pares park parks parsons partridge parts pasha passage pastor pat patch pate ",
    "patriarch patsy payer peacock peak peal pearl peck peer pelt pennant per person persons peter peters ",
    "petty pharmacist philander photographer pick pier pierce pike pile piles pin ping pink pinto piper pipes ",
    "place plaza pleasant plot pol pope portal porter post pot potter powder power powers premier presidency ",
    "president press price pride prime primrose prince princess private proctor prof professor proper prosper ",
    "provisional prudence quay queen quell rabbi radius rainier ram randy rank ransom ray read reader reading ",
    "reams rear red reed reedy reeve regent rein reis render rep representative rev reverend rhea rice rich ",
    "riches rick riddle right rivers roach rob robin robins roe roebuck roger rogers roll roman rood root ",
    "rose rosemary rouse royal ruby ruddy rumor rush rusk rust sack said saint salaam sally salmon salt ",
    "sander sanders sands sandy sang saturday savage sawyer scissors scoop seal searing sears second ",
    "secretary section security semen senator september serge sergeant service sessions set settle sexton ",
    "shad shah shaikh shaker shanghai sharp shaykh shear shearer sheik sheikh shell shepherd sherry shields ",
    "shin shiner ship shoemaker shone short shy sick sickles sides sidle sill silver sim sims sin sir skiff ",
    "slack slaughter sleeper slim small smart smith smuts snow soapy sober sol solar son song sonny south ",
    "southern sovereign soviet sparks speak spear special spelled spender spike spokesman spring spry stabler ",
    "staff staggers staples star stark state steel steers stein steins sterling stern sterner steward stiles ",
    "stirrer stock stokes stone stoner stoney storey story stow strobe strong stump styles sue sully sultan ",
    "summers sun sunday sung swan swank sweet swift swing sylvan tack tad take tam tan tang tanner tape taro ",
    "taxis technical technician tel tell teller temple tempo terrace terry that thatcher the thee then thin ",
    "third tho thong thorn thrasher thursday tiger ting tip tom ton tong tony too topping tot tour tower ",
    "trail train tram treat tree trend tron true trued tsar tubby tuck tucker tuesday tufts tun turkey turner ",
    "tusk tweedy twining two under union until usher utter vale valentine van vane vans var very vest vice ",
    "victor vii viii villa vine viola viscount wade wadi waiter waldo wales walker wall wallop wan wands ward ",
    "warder ware warrant warren waters watt watts weaver wednesday weeks weight weir welch well welling ",
    "wellington wells welsh welters wen west wheeler white whiting wick wiener wight wilder wilds will wills ",
    "win wind wine wing winks winter winters wise withers wolf won woo wood woodcock woods woody work worth ",
    "wright wrong xii xiii xvi yen yeoman yew yoke you young yup ",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_case_endings() {
        assert!(russian_nominatives("вышинского").contains(&"вышинский".to_string()));
        assert!(russian_nominatives("молотову").contains(&"молотов".to_string()));
        assert!(russian_nominatives("сталиным").contains(&"сталин".to_string()));
        assert!(russian_nominatives("цзэдуном").contains(&"цзэдун".to_string()));
        assert!(russian_nominatives("берия").is_empty());
        assert_eq!(key_of("Вышинский"), key_of("Vyshinsky"));
    }

    #[test]
    fn contributor_names_as_catalogs_write_them() {
        assert_eq!(heading_name("Khrushchev, Nikita Sergeyevich, 1894-1971"), "Khrushchev, Nikita Sergeyevich");
        assert_eq!(heading_name("Kennan (1904–2005)"), "Kennan");
        assert_eq!(heading_name("Smith (Jr.)"), "Smith (Jr.)");
        assert_eq!(heading_name("1955"), "");
        assert_eq!(heading_name("Hoover, (1874–1964"), "Hoover");
        assert_eq!(natural_order("Khrushchev, Nikita Sergeyevich"), "Nikita Sergeyevich Khrushchev");
        assert_eq!(natural_order("Robertson, Walter S."), "Walter S. Robertson");
        assert_eq!(natural_order("Department of State, Washington"), "Department of State, Washington");
        assert_eq!(natural_order("Embassy in Japan"), "Embassy in Japan");
    }

    #[test]
    fn tokens_keep_char_offsets_and_initials() {
        let t = tokenize("Comrade N.S. Khrushchev's note — Хрущёв");
        let words: Vec<&str> = t.iter().map(|t| t.word).collect();
        assert_eq!(words, ["Comrade", "N", "S", "Khrushchev", "note", "Хрущёв"]);
        assert!(is_initial(&t[1]) && is_initial(&t[2]));
        assert_eq!((t[3].start, t[3].end), (13, 23));
        assert_eq!(t[5].start, 33);
        assert!(t[5].cyrillic);
        assert!(is_title_tok(&t[0]));
    }
}
